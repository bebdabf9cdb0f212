import type { CalendarDate } from '@workflows/calendar/calendar';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { keysetRawPage, type Page, type PageRequest, type SortKey } from '@app/common/paging';
import { ALL_STATE_CODES, type AgreementStateCode, type PersistedAgreement } from '@workflows/agreement/persistence';
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



const LIST_COLUMNS = [
  'id',
  'title',
  'diarienummer',
  'committee',
  'state',
  'row_version',
  'proposed_by_organisation_id',
  'extension_period_months',
  'max_extensions',
  'decision_notice_months',
  'decision_window_months',
  'extensions_used',
  'total_kr',
  'next_deadline_at',
  'next_deadline_kind',
];

/** An agreement as the list shows it: its own projected columns, no children (one row per agreement). */
export interface AgreementListRow {
  id: string;
  title: string;
  diarienummer: string | null;
  committee: string | null;
  state: AgreementStateCode;
  row_version: number;
  proposed_by_organisation_id: string;
  start_date: string | null;
  end_date: string | null;
  extension_period_months: number | null;
  max_extensions: number | null;
  decision_notice_months: number | null;
  decision_window_months: number | null;
  extensions_used: number;
  total_kr: string | null;
  next_deadline_at: Date | null;
  next_deadline_kind: string | null;
  next_deadline_date: string | null;
  /** The sort key as text: the next deadline's instant, 'infinity' when none. */
  next_key: string;
}

/** Next deadline first (none last), then by title; the id breaks ties. agreement_list_idx serves it. */
const LIST_ORDER: SortKey<AgreementListRow>[] = [
  { sql: "COALESCE(a.next_deadline_at, 'infinity')", value: (r) => r.next_key },
  { sql: 'a.title', value: (r) => r.title },
  { sql: 'a.id', value: (r) => r.id },
];


/** The overview's columns a person can sort on, as SQL (nullable ones coalesced: a cursor holds no null). */
export type OverviewSortKey = 'name' | 'partners' | 'category' | 'purpose' | 'value' | 'cost' | 'validUntil';

/**
 * A yearly figure of the agreement for the year :year: the projected array's element for that year,
 * the first year's before the agreement starts and the last year's after it ends; the terms' own
 * figure when there is no projection or no year is asked for (the API's overview: the current terms).
 */
const yearlySql = (array: string, fallback: string): string =>
  `CASE WHEN :year::int IS NULL THEN a.${fallback} ELSE COALESCE(a.${array}[LEAST(GREATEST(:year::int - a.economics_from_year, 0), cardinality(a.${array}) - 1) + 1], a.${fallback}) END`;
const YEAR_VALUE_SQL = yearlySql('yearly_total_kr', 'total_kr');
const YEAR_COST_SQL = yearlySql('yearly_committee_cost_kr', 'committee_cost_kr');

const OVERVIEW_SORT_SQL: Record<OverviewSortKey, string> = {
  name: 'a.title',
  partners: `array_to_string(a.partner_names, ', ')`,
  category: 'COALESCE(a.place_category, a.target_group)',
  purpose: 'a.purpose',
  value: `COALESCE(${YEAR_VALUE_SQL}, -1)`,
  cost: `COALESCE(${YEAR_COST_SQL}, -1)`,
  validUntil: `COALESCE(to_char(a.end_date, 'YYYY-MM-DD'), '')`,
};

/** The states the committee's overview lists (past the draft). */
export const OVERVIEW_STATES: readonly AgreementStateCode[] = ALL_STATE_CODES.filter((s) => !['initiative', 'declined', 'draft'].includes(s));

/** Which agreements of the overview, and the year whose figures it shows. */
export interface OverviewFilter {
  /** Only these states (each one of OVERVIEW_STATES). */
  states: readonly AgreementStateCode[];
  /** The calendar year of the figures per year, with indexation; null for the current terms' figures. */
  year: number | null;
}

/** The overview's count and sums for the agreements in one state. */
export interface OverviewStateTotals {
  state: AgreementStateCode;
  agreements: number;
  estimatedValuePerYearKr: number;
  committeeCostPerYearKr: number;
}

/** One overview row as read. */
export interface OverviewDbRow {
  agreement_id: string;
  name: string;
  partners: string[];
  category: string | null;
  target_group: string;
  purpose: string;
  state: AgreementStateCode;
  estimated: number | null;
  cost: number | null;
  valid_until: string | null;
  sort_value: string | number;
}

/** An agreement as the committee's report reads it: its columns and its snapshot's context. */
export interface ReportCandidate {
  id: string;
  title: string;
  committee: string | null;
  place_category: string | null;
  target_group: string;
  purpose: string;
  places: number | null;
  total_kr: string | null;
  extensions_used: number;
  end_date: string | null;
  context: AgreementContext;
}

/** The visibility rule of AgreementAccessService as SQL on alias `a`, parameter :visibleOrg. */
/** Up to this many agreements, a member's or signatory's organisation's are read by id and sorted (see filtered()). */
const FEW_VISIBLE = 2000;

const visibleSql = (alias: string): string =>
  `(:visibleOrg::uuid IS NOT NULL AND (${alias}.proposed_by_organisation_id = :visibleOrg OR EXISTS (SELECT 1 FROM agreement_party vp WHERE vp.agreement_id = ${alias}.id AND vp.organisation_id = :visibleOrg)))`;

const sameLines = (rows: AgreementCostLine[], economics: Economics | null): boolean =>
  rows.length === (economics?.costLines.length ?? 0) &&
  rows.every((r, i) => r.label === economics?.costLines[i].label && r.amountKr === economics.costLines[i].amountKr);

const termsOf = (context: AgreementContext): string => JSON.stringify([context.terms.parties, context.terms.economics]);

/** An agreement waiting for the secretariat, as Att göra lists it. */
export interface SecretariatWaitingRow {
  id: string;
  title: string;
  kind: 'initiative' | 'returned_draft';
  /** The day it started waiting (proposed, or returned), ÅÅÅÅ-MM-DD. */
  since: string;
  /** The proposing organisation (initiative) or the party that returned it (draft). */
  organisation_name: string | null;
  /** The reason a returned draft was given. */
  reason: string | null;
}

/** An agreement waiting for a firmatecknare's act on behalf of their party. */
export interface SignatoryWaitingRow {
  id: string;
  title: string;
  kind: 'signature' | 'extension_consent' | 'amendment_consent';
  since: string;
  /** The extension decision's last day, when there is one. */
  due: string | null;
}

/** Initiatives (since proposed) and drafts returned with a reason (since returned). */
const SECRETARIAT_WAITING = `
  SELECT a.id, a.title, 'initiative' AS kind, a.context->>'proposedOn' AS since,
         (SELECT p->>'name' FROM jsonb_array_elements(a.context->'terms'->'parties') p WHERE p->>'organisationId' = a.proposed_by_organisation_id::text LIMIT 1) AS organisation_name,
         NULL::text AS reason
    FROM agreement a WHERE a.state = 'initiative'
  UNION ALL
  SELECT a.id, a.title, 'returned_draft', a.context->'lastReturn'->>'on',
         (SELECT p->>'name' FROM jsonb_array_elements(a.context->'terms'->'parties') p WHERE p->>'organisationId' = a.context->'lastReturn'->>'organisationId' LIMIT 1),
         a.context->'lastReturn'->>'reason'
    FROM agreement a WHERE a.state = 'draft' AND jsonb_typeof(a.context->'lastReturn') = 'object'`;

/** $1 the person, $2 their organisation: named as a signatory, the organisation a party that has not acted. */
const NAMED_FOR_PARTY = `EXISTS (SELECT 1 FROM agreement_member m WHERE m.agreement_id = a.id AND m.person_id = $1 AND m.role = 'signatory')
    AND a.context->'terms'->'parties' @> jsonb_build_array(jsonb_build_object('organisationId', $2::text))`;
const HAS_ACTED = (list: string): string => `${list} @> jsonb_build_array(jsonb_build_object('organisationId', $2::text))`;

const SIGNATORY_WAITING = `
  SELECT a.id, a.title, 'signature' AS kind, a.context->>'signingSince' AS since, NULL::text AS due
    FROM agreement a WHERE a.state = 'signing' AND ${NAMED_FOR_PARTY} AND NOT ${HAS_ACTED(`a.context->'signatures'`)}
  UNION ALL
  SELECT a.id, a.title, 'extension_consent',
         to_char((a.context->'decision'->>'dueDate')::date - make_interval(months => COALESCE(a.decision_window_months, 0)), 'YYYY-MM-DD'),
         a.context->'decision'->>'dueDate'
    FROM agreement a WHERE a.state IN ('extensionDecision.pending', 'extensionDecision.overdue') AND jsonb_typeof(a.context->'decision') = 'object'
     AND ${NAMED_FOR_PARTY} AND NOT ${HAS_ACTED(`a.context->'decision'->'consents'`)}
  UNION ALL
  SELECT a.id, a.title, 'amendment_consent', a.context->'amendment'->>'proposedOn', NULL
    FROM agreement a WHERE jsonb_typeof(a.context->'amendment') = 'object'
     AND ${NAMED_FOR_PARTY} AND NOT ${HAS_ACTED(`a.context->'amendment'->'agreements'`)}`;

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

  /** Several rows with their people, in one query (a page's worth: a member row or a few per agreement). */
  async withMembersOfMany(ids: readonly string[]): Promise<Agreement[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(Agreement).find({ where: { id: In([...ids]) }, relations: { members: true } });
  }

  /**
   * The row with everything a view shows: parties and their organisations, cost lines, people. Each
   * child in its own narrow query: one join of all three would multiply them (3 × 4 × 6 = 72 rows).
   */
  async withTerms(id: string, manager: EntityManager = this.dataSource.manager): Promise<Agreement | null> {
    // One query per child, one after the other: TypeORM's 'query' strategy sends them to one connection at once (pg refuses that from version 9).
    const agreement = await manager.getRepository(Agreement).findOneBy({ id });
    if (!agreement) return null;
    agreement.parties = await manager.getRepository(AgreementParty).find({ where: { agreementId: id }, relations: { organisation: true } });
    agreement.costLines = await manager.getRepository(AgreementCostLine).find({ where: { agreementId: id } });
    agreement.members = await manager.getRepository(AgreementMember).find({ where: { agreementId: id }, relations: { person: true } });
    return agreement;
  }

  /** The agreement's current signing round, as its snapshot counts it (0 before the first). */
  async signingRoundOf(id: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query<Array<{ round: number | null }>>(`SELECT (context->>'signingRound')::int AS round FROM agreement WHERE id = $1`, [id]);
    return row?.round ?? 0;
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
  async idsVisibleTo(organisationId: string, manager: Pick<EntityManager, 'query'> = this.dataSource.manager, limit?: number): Promise<string[]> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM agreement WHERE proposed_by_organisation_id = $1 UNION SELECT agreement_id FROM agreement_party WHERE organisation_id = $1 LIMIT $2`,
      [organisationId, limit ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** A page of the list, filtered and ordered in SQL on indexed columns. */
  async listPage(filter: ListFilter, visibility: AgreementVisibility, page: PageRequest): Promise<Page<AgreementListRow>> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select(LIST_COLUMNS.map((c) => `a.${c} AS ${c}`))
      .addSelect(`to_char(a.start_date, 'YYYY-MM-DD')`, 'start_date')
      .addSelect(`to_char(a.end_date, 'YYYY-MM-DD')`, 'end_date')
      .addSelect(`to_char(a.next_deadline_date, 'YYYY-MM-DD')`, 'next_deadline_date')
      .addSelect(`COALESCE(a.next_deadline_at, 'infinity')::text`, 'next_key')
      .from('agreement', 'a');
    const oneState = await this.filtered(qb, filter, visibility);
    // Within one state, the (state, …) index: the comparison says the state first (see filtered()).
    return keysetRawPage(qb, LIST_ORDER, page, oneState ? { equalPrefix: [{ sql: 'a.state', value: oneState }] } : {});
  }

  /** How many agreements the filter matches (a count, no rows read into the service). */
  async listCount(filter: ListFilter, visibility: AgreementVisibility): Promise<number> {
    const qb = this.dataSource.createQueryBuilder().select('count(*)::int', 'n').from('agreement', 'a');
    await this.filtered(qb, filter, visibility);
    return (await qb.getRawOne<{ n: number }>())?.n ?? 0;
  }

  /**
   * Adds the filter's conditions; returns the state when they name exactly one. The planner rates
   * the whole list's index with a filter the same as the (state, …) index's range, and the former
   * reads every other state's rows before this one's: a row comparison, always true here, makes
   * the first page a range of the state's index (later pages' cursor comparison does the same).
   */
  private async filtered(qb: SelectQueryBuilder<ObjectLiteral>, filter: ListFilter, visibility: AgreementVisibility): Promise<string | null> {
    qb.where('TRUE');
    let oneState: string | null = null;
    if (filter.state) {
      // The codes themselves, not a LIKE: one code is a range of the (state, next date, title, id) index, read in order.
      const codes = ALL_STATE_CODES.filter((c) => c === filter.state || c.startsWith(`${filter.state}.`));
      if (codes.length <= 1) {
        oneState = codes[0] ?? filter.state;
        qb.andWhere(`a.state = :state AND (a.state, COALESCE(a.next_deadline_at, 'infinity')) >= (:state, '-infinity'::timestamptz)`, { state: oneState });
      } else qb.andWhere('a.state = ANY(:states)', { states: codes });
    }
    if (filter.partner) {
      qb.andWhere('EXISTS (SELECT 1 FROM agreement_party p WHERE p.agreement_id = a.id AND p.organisation_id = :partner)', { partner: filter.partner });
    }
    if (filter.deadlineBefore) qb.andWhere('a.next_deadline_date < :before', { before: filter.deadlineBefore });
    if (visibility) {
      // An organisation in a few agreements: those ids, then sort them (the list's order would walk the whole index to find them).
      // One in many: the list's order, filtered, finds a page of them at once.
      const few = visibility.organisationId === null ? [] : await this.idsVisibleTo(visibility.organisationId, this.dataSource.manager, FEW_VISIBLE + 1);
      if (few.length <= FEW_VISIBLE) qb.andWhere('a.id = ANY(:visibleIds)', { visibleIds: few });
      else qb.andWhere(visibleSql('a'), { visibleOrg: visibility.organisationId });
    }
    return oneState;
  }

  /**
   * The agreements that can have been in force in a year, for the committee's report: signed at some
   * point (not an initiative, a declined one or a draft), starting or signed by the year's end and with an end
   * date (which only moves later with renewals) from its start. The report decides from each one's
   * history; this narrows 100,000 to those, on indexed columns, with what the report reads.
   */
  async reportCandidates(year: number, visibility: AgreementVisibility): Promise<ReportCandidate[]> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select(['a.id AS id', 'a.title AS title', 'a.committee AS committee', 'a.place_category AS place_category', 'a.target_group AS target_group', 'a.purpose AS purpose'])
      .addSelect(['a.places AS places', 'a.total_kr AS total_kr', 'a.extensions_used AS extensions_used', 'a.context AS context'])
      .addSelect(`to_char(a.end_date, 'YYYY-MM-DD')`, 'end_date')
      .from('agreement', 'a')
      .where(`a.state NOT IN ('initiative', 'declined', 'draft', 'signing')`)
      // Signed by the year's end but starting later counts too: its history says when it was signed.
      .andWhere(
        `(a.start_date <= :yearEnd OR EXISTS (SELECT 1 FROM audit_event e WHERE e.case_id = a.id AND e.outcome = 'applied' AND e.to_state = 'signed' AND e.occurred_at < :nextYear))`,
        { yearEnd: `${year}-12-31`, nextYear: `${year + 1}-01-01T00:00:00+01:00` },
      )
      .andWhere('(a.end_date IS NULL OR a.end_date >= :yearStart)', { yearStart: `${year}-01-01` })
      .orderBy('a.title')
      .addOrderBy('a.id');
    if (visibility) qb.andWhere(visibleSql('a'), { visibleOrg: visibility.organisationId });
    return qb.getRawMany<ReportCandidate>();
  }

  /**
   * A page of the committee's overview: the agreements in the filter's states, sorted on one of the
   * overview's columns (then title and id), read from the agreement's own projected columns; the
   * figures per year are the filter's year's, with indexation.
   */
  async overviewPage(visibility: AgreementVisibility, filter: OverviewFilter, sort: { key: OverviewSortKey; descending: boolean }, page: PageRequest): Promise<Page<OverviewDbRow>> {
    const sortSql = OVERVIEW_SORT_SQL[sort.key];
    const qb = this.overviewRows(visibility, filter).addSelect(`${sortSql}`, 'sort_value');
    return keysetRawPage(
      qb,
      [
        { sql: sortSql, value: (r) => r.sort_value, descending: sort.descending },
        { sql: 'a.title', value: (r) => r.name },
        { sql: 'a.id', value: (r) => r.agreement_id },
      ],
      page,
    );
  }

  /** The overview's count and sums per state over every agreement in the filter, as one aggregate (state order). */
  async overviewTotals(visibility: AgreementVisibility, filter: OverviewFilter): Promise<OverviewStateTotals[]> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select('a.state', 'state')
      .addSelect('count(*)::int', 'agreements')
      .addSelect(`COALESCE(sum(${YEAR_VALUE_SQL}), 0)::float8`, 'value')
      .addSelect(`COALESCE(sum(${YEAR_COST_SQL}), 0)::float8`, 'cost')
      .from('agreement', 'a')
      .where('a.state IN (:...states)', { states: filter.states.length ? filter.states : ['-'] })
      .setParameter('year', filter.year)
      .groupBy('a.state');
    if (visibility) qb.andWhere(visibleSql('a'), { visibleOrg: visibility.organisationId });
    const rows = await qb.getRawMany<{ state: AgreementStateCode; agreements: number; value: number; cost: number }>();
    return rows
      .map((r) => ({ state: r.state, agreements: r.agreements, estimatedValuePerYearKr: r.value, committeeCostPerYearKr: r.cost }))
      .sort((x, y) => ALL_STATE_CODES.indexOf(x.state) - ALL_STATE_CODES.indexOf(y.state));
  }

  private overviewRows(visibility: AgreementVisibility, filter: OverviewFilter): SelectQueryBuilder<ObjectLiteral> {
    const qb = this.dataSource
      .createQueryBuilder()
      .select(['a.id AS agreement_id', 'a.title AS name', 'a.partner_names AS partners', 'a.place_category AS category', 'a.target_group AS target_group', 'a.purpose AS purpose', 'a.state AS state'])
      .addSelect(`(${YEAR_VALUE_SQL})::float8`, 'estimated')
      .addSelect(`(${YEAR_COST_SQL})::float8`, 'cost')
      .addSelect(`to_char(a.end_date, 'YYYY-MM-DD')`, 'valid_until')
      .from('agreement', 'a')
      // The states are a list of the state column's values: agreement_state_idx serves the filter.
      .where('a.state IN (:...states)', { states: filter.states.length ? filter.states : ['-'] })
      .setParameter('year', filter.year);
    if (visibility) qb.andWhere(visibleSql('a'), { visibleOrg: visibility.organisationId });
    return qb;
  }

  /**
   * What waits for the secretariat (Att göra): initiatives to take up or decline, and drafts a party
   * returned with a reason (until they are sent for signing again). Oldest first; `limit` bounds the
   * read, agreement_initiative_since_idx and agreement_returned_since_idx serve it in that order.
   */
  async waitingForSecretariat(limit: number): Promise<SecretariatWaitingRow[]> {
    return this.dataSource.query<SecretariatWaitingRow[]>(`${SECRETARIAT_WAITING} ORDER BY since, title, id LIMIT $1`, [limit]);
  }

  /** How many waitingForSecretariat would list, counted to at most `cap`. */
  async countWaitingForSecretariat(cap: number): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (${SECRETARIAT_WAITING} LIMIT $1) w`, [cap]);
    return row.n;
  }

  /**
   * What waits for a firmatecknare (Att göra): agreements that name this person as a signatory, where
   * their own organisation is a party that has not yet signed, consented to the open extension decision
   * or agreed to the pending amendment: the machine's guards partyHasNotSigned, partyHasNotDecided and
   * partyHasNotAgreedToAmendment, in SQL. Each source starts from its state (agreement_state_idx, or
   * agreement_amendment_pending_idx) or from the person (agreement_member_person_idx), as the planner finds cheaper.
   */
  async waitingForSignatory(personId: string, organisationId: string, limit: number): Promise<SignatoryWaitingRow[]> {
    return this.dataSource.query<SignatoryWaitingRow[]>(`${SIGNATORY_WAITING} ORDER BY since, title, id, kind LIMIT $3`, [personId, organisationId, limit]);
  }

  async countWaitingForSignatory(personId: string, organisationId: string, cap: number): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (${SIGNATORY_WAITING} LIMIT $3) w`, [personId, organisationId, cap]);
    return row.n;
  }

  /**
   * The overdue follow-up duties (case_deadline, of these kinds) of the agreements whose
   * samverkansgrupp names the person, oldest first, with the agreement's title. It starts from the
   * overdue rows (their partial index; overdue duties are the exception) and asks of each whether
   * the person sits in its group (the membership's primary key). The LIMIT in that subquery keeps
   * PostgreSQL from turning it into a join that reads all of the person's memberships first: the
   * secretariat sits in thousands of groups, and statistics a bulk load left behind rated that cheap.
   */
  async overdueInSamverkansgruppOf(personId: string, kinds: readonly string[], limit: number): Promise<Array<{ caseId: string; kind: string; cycle: number; dueDate: CalendarDate; title: string }>> {
    return this.dataSource.query(
      `SELECT d.case_id AS "caseId", d.kind, d.cycle, to_char(d.due_date, 'YYYY-MM-DD') AS "dueDate", a.title
         FROM case_deadline d JOIN agreement a ON a.id = d.case_id
        WHERE d.overdue AND d.kind = ANY($2::text[])
          AND (SELECT true FROM agreement_member m WHERE m.agreement_id = d.case_id AND m.person_id = $1 AND m.role = 'samverkansgrupp' LIMIT 1)
        ORDER BY d.due_date, d.case_id, d.kind LIMIT $3`,
      [personId, kinds, limit],
    );
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
