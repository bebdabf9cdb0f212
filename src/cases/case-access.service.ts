import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/audit/actor';
import { requireSignedIn } from '@app/auth/access';
import { DomainError } from '@app/common/domain-error';
import { requesterOf } from '@app/workflow-engine/authorisation';
import type { CaseKind } from './case-kind';
import { CaseRegistry } from './case-registry';
import { storedCases } from './stored-cases';

/**
 * Who may read which case of any kind, by the kind's own rules (maySee) on the case as stored in its
 * table. An unknown kind, a malformed id, a missing case and one the person may not see all answer
 * the same 404, so a case's existence is not revealed.
 */
@Injectable()
export class CaseAccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: CaseRegistry,
  ) {}

  async requireVisible(type: string, id: string, actor: Actor): Promise<CaseKind> {
    requireSignedIn(actor);
    if (!this.registry.has(type)) throw DomainError.notFound('Ärendet');
    const kind = this.registry.get(type);
    const notFound = DomainError.notFound(kind.definition.noun.definite);
    if (!isUUID(id)) throw notFound;
    const [stored] = await storedCases(this.dataSource.manager, kind, { ids: [id] });
    if (!stored || !kind.definition.rules.maySee(requesterOf(actor), stored.ruled)) throw notFound;
    return kind;
  }
}
