import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsRelations } from 'typeorm';
import type { PersistedAgreement } from '@workflows/agreement/persistence';
import type { AgreementContext, Economics } from '@workflows/agreement/types';
import { AgreementCostLine } from './agreement-cost-line.entity';
import { AgreementMember } from './agreement-member.entity';
import { AgreementParty } from './agreement-party.entity';
import { Agreement } from './agreement.entity';

/** The agreement's row as TypeORM reads it; other modules name it by this, never the entity. */
export type AgreementRecord = Agreement;
export type AgreementMemberRecord = AgreementMember;

/** Whom a read is limited to: null sees every agreement, else those the organisation proposed or is a party to (none without one). */
export type AgreementVisibility = { organisationId: string | null } | null;

export interface ListFilter {
  /** A state code or a prefix of one ('extensionDecision'). */
  state?: string;
  /** Only agreements this organisation is a party to. */
  partner?: string;
  /** Only agreements whose next deadline is before this date. */
  deadlineBefore?: string;
}

/** A person the agreement names in a role, as a reminder addresses them. */
export interface MemberContact {
  email: string;
  name: string;
  organisation_id: string;
}


/** What a view of one agreement reads with it: its parties (and organisations), cost lines and people. */
const TERMS_RELATIONS: FindOptionsRelations<Agreement> = { parties: { organisation: true }, costLines: true, members: { person: true } };

/** The visibility rule of AgreementAccessService as SQL on alias `a`, parameter :visibleOrg. */
const visibleSql = (alias: string): string =>
  `(:visibleOrg::uuid IS NOT NULL AND (${alias}.proposed_by_organisation_id = :visibleOrg OR EXISTS (SELECT 1 FROM agreement_party vp WHERE vp.agreement_id = ${alias}.id AND vp.organisation_id = :visibleOrg)))`;

const sameLines = (rows: AgreementCostLine[], economics: Economics | null): boolean =>
  rows.length === (economics?.costLines.length ?? 0) &&
  rows.every((r, i) => r.label === economics?.costLines[i].label && r.amountKr === economics.costLines[i].amountKr);

const termsOf = (context: AgreementContext): string => JSON.stringify([context.terms.parties, context.terms.economics]);

/**
 * The one file that queries the agreement's own tables (agreement, agreement_party,
 * agreement_cost_line, agreement_member); a spec (agreement-tables.spec.ts) keeps it so. Writes take
 * the caller's EntityManager, so they run in the engine's transaction; reads take it when they must.
 */
@Injectable()
export class AgreementRepository {
  /** The kind's table, named to the engine (which writes the snapshot columns). */
  readonly table = 'agreement';
  /** Who may sign for a party, read with the case under the engine's lock (the table aliased `k`). */
  readonly lockedSignatoryIds = `ARRAY(SELECT m.person_id::text FROM agreement_member m WHERE m.agreement_id = k.id AND m.role = 'signatory') AS signatory_ids`;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(values: Partial<Agreement>, manager: EntityManager): Promise<void> {
    const repo = manager.getRepository(Agreement);
    await repo.insert(repo.create(values));
  }

  /** The columns the terms form edits beside the snapshot (title, diarienummer, purpose, invoicing …). */
  async writeOwnColumns(id: string, columns: Partial<Agreement>, manager: EntityManager): Promise<void> {
    await manager.getRepository(Agreement).update({ id }, columns);
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(Agreement).count();
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM agreement WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** The row alone. */
  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<Agreement | null> {
    return manager.getRepository(Agreement).findOneBy({ id });
  }

  /** The row with the people it names (firmatecknare, samverkansgrupp), for its rules. */
  async withMembers(id: string): Promise<Agreement | null> {
    return this.dataSource.getRepository(Agreement).findOne({ where: { id }, relations: { members: true } });
  }

  /** The row with everything a view shows: parties and their organisations, cost lines, people. */
  async withTerms(id: string, manager: EntityManager = this.dataSource.manager): Promise<Agreement | null> {
    return manager.getRepository(Agreement).findOne({ where: { id }, relations: TERMS_RELATIONS });
  }

  /** Title and diarienummer: the agreement's own columns, not in its snapshot. */
  async titleOf(id: string, manager: EntityManager): Promise<{ title: string; diarienummer: string | null }> {
    const [row] = await manager.query<Array<{ title: string; diarienummer: string | null }>>(`SELECT title, diarienummer FROM agreement WHERE id = $1`, [id]);
    return row;
  }

  /** Titles by id (ids that are no agreement are left out). */
  async titlesOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ id: string; title: string }>>(`SELECT id, title FROM agreement WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.title]));
  }

  async contextOf(id: string, manager: EntityManager): Promise<AgreementContext> {
    const [row] = await manager.query<Array<{ context: AgreementContext }>>(`SELECT context FROM agreement WHERE id = $1`, [id]);
    return row.context;
  }

  /** Just what maySee() reads of the context (proposer and parties); undefined when there is no such agreement. */
  async visibilityContextOf(id: string): Promise<Pick<AgreementContext, 'proposedBy' | 'terms'> | undefined> {
    const [row] = await this.dataSource.query<Array<{ context: Pick<AgreementContext, 'proposedBy' | 'terms'> }>>(
      `SELECT jsonb_build_object('proposedBy', context->'proposedBy', 'terms', jsonb_build_object('parties', context->'terms'->'parties')) AS context
         FROM agreement WHERE id = $1`,
      [id],
    );
    return row?.context;
  }

  /** Ids of the agreements an organisation proposed or is a party to (what its members may see). */
  async idsVisibleTo(organisationId: string, manager: Pick<EntityManager, 'query'> = this.dataSource.manager): Promise<string[]> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM agreement WHERE proposed_by_organisation_id = $1 UNION SELECT agreement_id FROM agreement_party WHERE organisation_id = $1`,
      [organisationId],
    );
    return rows.map((r) => r.id);
  }

  /** Ids of the agreements the list shows: next deadline first (none last), then by title. */
  async listedIds(filter: ListFilter, visibility: AgreementVisibility): Promise<string[]> {
    const qb = this.dataSource.getRepository(Agreement).createQueryBuilder('a').select('a.id', 'id');
    if (filter.state) qb.andWhere('(a.state = :state OR a.state LIKE :prefix)', { state: filter.state, prefix: `${filter.state}.%` });
    if (filter.partner) {
      qb.andWhere('EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.organisation_id = :partner)', { partner: filter.partner });
    }
    if (filter.deadlineBefore) qb.andWhere('a.next_deadline_date < :before', { before: filter.deadlineBefore });
    if (visibility) qb.andWhere(visibleSql('a'), { visibleOrg: visibility.organisationId });
    qb.orderBy('a.next_deadline_at', 'ASC', 'NULLS LAST').addOrderBy('a.title', 'ASC');
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  }

  /** Every agreement with its parties and their organisations, by title, for the committee's overview. */
  async withPartiesByTitle(visibility: AgreementVisibility): Promise<Agreement[]> {
    const qb = this.dataSource.getRepository(Agreement).createQueryBuilder('a').leftJoinAndSelect('a.parties', 'party').leftJoinAndSelect('party.organisation', 'organisation');
    if (visibility) qb.where(visibleSql('a'), { visibleOrg: visibility.organisationId });
    return qb.orderBy('a.title', 'ASC').getMany();
  }

  /** The people the agreement names in a role, with their addresses, by address. */
  async contactsInRole(agreementId: string, role: 'signatory' | 'samverkansgrupp', manager: EntityManager): Promise<MemberContact[]> {
    return manager.query<MemberContact[]>(
      `SELECT p.email, p.name, m.organisation_id
         FROM agreement_member m JOIN person p ON p.id = m.person_id
        WHERE m.agreement_id = $1 AND m.role = $2
        ORDER BY p.email`,
      [agreementId, role],
    );
  }

  /**
   * The terms tables (each party with its contribution, the cost lines) as projections of the
   * snapshot's context, written by the engine in the transition's transaction whenever the parties or
   * the economics changed (new terms, an amendment taking effect). The context is the one truth; a
   * cost line that did not change keeps its row (and the party the form said bears it).
   */
  async projectTerms(agreementId: string, next: PersistedAgreement, previous: PersistedAgreement | null, manager: EntityManager): Promise<void> {
    if (previous && termsOf(previous.context) === termsOf(next.context)) return;
    const { parties, economics } = next.context.terms;
    const partyRepo = manager.getRepository(AgreementParty);
    await partyRepo.delete({ agreementId });
    if (parties.length > 0) {
      await partyRepo.insert(
        parties.map((p, position) => {
          const contribution = economics?.contributions.find((c) => c.organisationId === p.organisationId);
          return { agreementId, organisationId: p.organisationId, kind: p.kind, position, contributionKr: contribution?.amountKr ?? null, shareBasisPoints: contribution?.shareBasisPoints ?? null };
        }),
      );
    }
    const lineRepo = manager.getRepository(AgreementCostLine);
    const lines = await lineRepo.find({ where: { agreementId }, order: { position: 'ASC' } });
    if (sameLines(lines, economics)) return;
    await lineRepo.delete({ agreementId });
    const bearer = (label: string, position: number) => lines.find((l) => l.position === position && l.label === label)?.organisationId ?? null;
    if (economics && economics.costLines.length > 0) {
      await lineRepo.insert(economics.costLines.map((l, position) => ({ agreementId, position, label: l.label, amountKr: l.amountKr, organisationId: bearer(l.label, position) })));
    }
  }

  /**
   * What the terms form says beside the snapshot: the party bearing each cost line (by position) and
   * the people the agreement names, which replace those it named before.
   */
  async writeFormRows(
    agreementId: string,
    bearers: ReadonlyArray<string | null>,
    members: ReadonlyArray<Pick<AgreementMember, 'personId' | 'role' | 'organisationId'>>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(AgreementMember).delete({ agreementId });
    for (const [position, organisationId] of bearers.entries()) {
      await manager.getRepository(AgreementCostLine).update({ agreementId, position }, { organisationId });
    }
    if (members.length) await manager.getRepository(AgreementMember).insert(members.map((m) => ({ ...m, agreementId })));
  }
}
