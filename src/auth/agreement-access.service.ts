import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { maySee, ROLES_SEEING_ALL, type RuledAgreement } from '@workflows/agreement/rules';
import type { Actor } from '@app/audit/actor';
import { DomainError } from '@app/common/domain-error';
import { requesterOf } from '@app/workflow-engine/authorisation';
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
    const agreement = await this.ruledAgreement(agreementId);
    if (!agreement || !maySee(requesterOf(actor), agreement)) throw DomainError.notFound('Överenskommelsen');
  }

  private async ruledAgreement(agreementId: string): Promise<RuledAgreement | null> {
    const [row] = await this.dataSource.query<Array<{ proposed_by: string; party_ids: string[] }>>(
      `SELECT a.proposed_by_organisation_id AS proposed_by,
              ARRAY(SELECT p.organisation_id::text FROM agreement_party p WHERE p.agreement_id = a.id) AS party_ids
         FROM agreement a WHERE a.id = $1`,
      [agreementId],
    );
    return row ? { proposedBy: row.proposed_by, partyIds: row.party_ids } : null;
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
