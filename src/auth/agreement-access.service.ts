import { Injectable } from '@nestjs/common';
import { maySee, ROLES_SEEING_ALL } from '@workflows/agreement/rules';
import type { Actor } from '@app/audit/actor';
import { AgreementRepository, type AgreementVisibility } from '@app/agreements/agreement.repository';
import { DomainError } from '@app/common/domain-error';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { ruledAgreementOf } from '@workflows/agreement/rules';
import { requireSignedIn } from './access';

/**
 * Who may read which agreement, by the rules table's maySee(): every read of an agreement by id
 * goes through requireVisible(), and every list through visibility(). One not seen is answered
 * exactly like one that does not exist.
 */
@Injectable()
export class AgreementAccessService {
  constructor(private readonly tables: AgreementRepository) {}

  async requireVisible(agreementId: string, actor: Actor): Promise<void> {
    requireSignedIn(actor);
    // The parties as the machine's context has them, exactly what the engine's rules check reads.
    const context = await this.tables.visibilityContextOf(agreementId);
    if (!context || !maySee(requesterOf(actor), ruledAgreementOf(context))) throw DomainError.notFound('Överenskommelsen');
  }

  /**
   * Whom a list is limited to, for the repository's reads (same rule as maySee()): null when the
   * actor sees everything, else the organisation whose agreements they see (none without one).
   */
  visibility(actor: Actor): AgreementVisibility {
    requireSignedIn(actor);
    if (actor.roles.some((r) => ROLES_SEEING_ALL.includes(r))) return null;
    const member = actor.roles.some((r) => r === 'member' || r === 'signatory');
    return { organisationId: member ? actor.organisationId : null };
  }
}
