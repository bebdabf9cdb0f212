import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { maySee, ROLES_SEEING_ALL } from '@workflows/agreement/rules';
import type { AgreementContext } from '@workflows/agreement/types';
import type { Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';
import { requesterOf } from '@app/workflow-engine/authorisation';
import { ruledAgreementOf } from '@workflows/agreement/rules';
import { requireSignedIn } from './access';

/**
 * Who may read which agreement, by the rules table's maySee(): every read of an agreement by id
 * goes through requireVisible(), and every list through visibleClause(). One not seen is answered
 * exactly like one that does not exist.
 */
@Injectable()
export class AgreementAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async requireVisible(agreementId: string, actor: Actor): Promise<void> {
    requireSignedIn(actor);
    // The parties as the machine's context has them, exactly what the engine's rules check reads.
    const [row] = await this.dataSource.query<Array<{ context: Pick<AgreementContext, 'proposedBy' | 'terms'> }>>(
      `SELECT jsonb_build_object('proposedBy', context->'proposedBy', 'terms', jsonb_build_object('parties', context->'terms'->'parties')) AS context
         FROM agreement WHERE id = $1`,
      [agreementId],
    );
    if (!row || !maySee(requesterOf(actor), ruledAgreementOf(row.context))) throw DomainError.notFound('Överenskommelsen');
  }

  /**
   * A SQL condition on alias `a` (table agreement) that keeps what the actor may see, with its
   * parameter; null when the actor sees everything. Same rule as maySee().
   */
  visibleClause(actor: Actor, alias = 'a'): { sql: string; organisationId: string | null } | null {
    requireSignedIn(actor);
    if (actor.roles.some((r) => ROLES_SEEING_ALL.includes(r))) return null;
    const member = actor.roles.some((r) => r === 'member' || r === 'signatory');
    return {
      sql: `(:visibleOrg::uuid IS NOT NULL AND (${alias}.proposed_by_organisation_id = :visibleOrg OR EXISTS (SELECT 1 FROM agreement_party vp WHERE vp.agreement_id = ${alias}.id AND vp.organisation_id = :visibleOrg)))`,
      organisationId: member ? actor.organisationId : null,
    };
  }
}
