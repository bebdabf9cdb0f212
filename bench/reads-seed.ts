/**
 * Data for the read benchmark (bench/reads.bench.ts): a handful of template agreements driven
 * through the API and the timer sweeper on a frozen clock, one per state of the mix, then copied
 * in bulk with SQL only (INSERT … SELECT over generate_series; each copy's hash chain computed by
 * PostgreSQL's sha256() over the same canonical JSON as src/audit/audit-chain.ts, its chain head
 * written too). Larger sizes add copies to the smaller ones.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { StartedApp } from '@app/bootstrap';
import { GENESIS_HASH } from '@app/audit/audit-chain';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { AuditService } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { luhnCheckDigit } from '@app/organisations/organisation-number';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { addDays, addMonths, calendarDateOf, startOfDayInstant, yearOf, type CalendarDate } from '@workflows/calendar/calendar';
import { bromodellenBody, createBromodellenParties, createPerson, type BromodellenParties } from '@test/support/factories';
import { hashPieces } from '@test/support/agreement-copies';
import { clientsOf, type TestClients } from '@test/support/test-app';

export type MixState = 'draft' | 'signing' | 'active' | 'renewed' | 'expired';
export const MIX_STATES: readonly MixState[] = ['draft', 'signing', 'active', 'renewed', 'expired'];

export type TemplateKey = 'draft' | 'signing' | 'active' | 'activeSmall' | 'renewed' | 'renewedSmall' | 'expired' | 'expiredReportYear';

export interface Template {
  key: TemplateKey;
  id: string;
  state: MixState;
  /** Audit rows of the template, in order. */
  history: AuditEvent[];
}

export interface ReadFixture {
  parties: BromodellenParties;
  /** The small partner (civil society) in exactly `smallPartnerAgreements` agreements, and its signatory. */
  smallPartner: { id: string; name: string };
  smallSignatory: { id: string; name: string };
  auditor: { id: string };
  administratorId: string;
  templates: Template[];
  /** The year in which only the `expiredReportYear` copies were in force. */
  reportYear: number;
  /** Copies per template so far (the template itself counts as one). */
  counts: Record<TemplateKey, number>;
  templatesMs: number;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** How many agreements of each template a size has: 20 % per state; 100 for the small partner; a report year of ≤ 1,000. */
export function planFor(size: number, smallPartnerAgreements = 100, reportYearAgreements = 1000): Record<TemplateKey, number> {
  const per = MIX_STATES.map((_, i) => Math.floor(((i + 1) * size) / 5) - Math.floor((i * size) / 5));
  const [draft, signing, active, renewed, expired] = per;
  const smallActive = Math.min(Math.floor(smallPartnerAgreements / 2), active - 1);
  const smallRenewed = Math.min(smallPartnerAgreements - Math.floor(smallPartnerAgreements / 2), renewed - 1);
  const reportYear = Math.max(1, Math.min(reportYearAgreements, Math.floor(expired / 2)));
  const plan: Record<TemplateKey, number> = {
    draft,
    signing,
    active: active - smallActive,
    activeSmall: smallActive,
    renewed: renewed - smallRenewed,
    renewedSmall: smallRenewed,
    expired: expired - reportYear,
    expiredReportYear: reportYear,
  };
  if (Object.values(plan).some((n) => n < 1) || sum(Object.values(plan)) !== size) throw new Error(`Storleken ${size} räcker inte för blandningen: ${JSON.stringify(plan)}`);
  return plan;
}

const firstOfMonth = (date: CalendarDate): CalendarDate => `${date.slice(0, 7)}-01`;
/** A two-year validity starting `monthsFromNow` months from the first of this month. */
const validityFrom = (today: CalendarDate, monthsFromNow: number) => {
  const startDate = addMonths(firstOfMonth(today), monthsFromNow);
  return { startDate, endDate: addDays(addMonths(startDate, 24), -1) };
};
const instantOf = (date: CalendarDate, hourUtc = 8): Date => new Date(new Date(startOfDayInstant(date)).getTime() + hourUtc * 3600_000);

/**
 * The templates, in the order of their own history, on the app's frozen clock:
 *   expiredReportYear  in force 1 Jan (Y−6) … 31 Dec (Y−5), no extension decided → expired
 *   expired            two years ending ~2 years ago, no decision → expired
 *   renewed(+Small)    two years ending at the end of next month; every party consents in the window → renewed
 *   active(+Small)     started 11 months ago, two years → active (its decision window not yet open)
 *   draft, signing     start in two months
 * The "Small" ones have the small partner instead of Erikshjälpen. Then the clock is set back to now.
 */
export async function createTemplates(started: StartedApp, log: (msg: string) => void): Promise<ReadFixture> {
  const t0 = performance.now();
  const { app } = started;
  const clock = app.get(ClockService);
  const sweeper = app.get(TimerSweeperService);
  const ds = app.get(DataSource);
  const realNow = new Date();
  const today = calendarDateOf(realNow.getTime());
  const thisYear = yearOf(today);
  const reportYear = thisYear - 5;

  // People and organisations through the API as the administrator registers them (clock: now).
  clock.freeze(realNow);
  const clients: TestClients = await clientsOf(started);
  const parties = await createBromodellenParties(clients);
  const orgDigits = '80250012';
  const smallPartner = (await clients.admin().post('/organisations').send({ name: 'Föreningen Liten Part', organisationNumber: `${orgDigits.slice(0, 6)}-${orgDigits.slice(6)}3${luhnCheckDigit(`${orgDigits}3`)}`, kind: 'civil_society' }).expect(201)).body as {
    id: string;
    name: string;
  };
  const smallSignatory = await createPerson(clients, { name: 'Liten Firmatecknare', email: 'liten@example.se', organisationId: smallPartner.id }, ['signatory']);
  const auditor = await createPerson(clients, { name: 'Revisor Rut', email: 'rut@example.se', organisationId: parties.kommun.id }, ['auditor']);

  const signatoryOf = (orgId: string): string =>
    ({ [parties.kommun.id]: parties.kommunSignatory.id, [parties.bilda.id]: parties.bildaSignatory.id, [parties.erikshjalpen.id]: parties.ehSignatory.id, [smallPartner.id]: smallSignatory.id })[orgId] ??
    (() => {
      throw new Error(`Ingen firmatecknare för ${orgId}`);
    })();
  const send = async (id: string, body: Record<string, unknown> & { type: string }, personId: string): Promise<void> => {
    const res = await clients.as(personId).post(`/agreements/${id}/events`).send(body);
    if (res.status !== 200) throw new Error(`${body.type} på ${id} gav ${res.status}: ${JSON.stringify(res.body)}`);
  };

  interface Plan {
    key: TemplateKey;
    state: MixState;
    validity: { startDate: CalendarDate; endDate: CalendarDate };
    small: boolean;
    upTo: 'draft' | 'signing' | 'signed';
    consent: boolean;
  }
  const reportValidity = { startDate: `${reportYear - 1}-01-01`, endDate: `${reportYear}-12-31` };
  const plans: Plan[] = [
    { key: 'expiredReportYear', state: 'expired', validity: reportValidity, small: false, upTo: 'signed', consent: false },
    { key: 'expired', state: 'expired', validity: validityFrom(today, -47), small: false, upTo: 'signed', consent: false },
    { key: 'renewed', state: 'renewed', validity: validityFrom(today, -22), small: false, upTo: 'signed', consent: true },
    { key: 'renewedSmall', state: 'renewed', validity: validityFrom(today, -22), small: true, upTo: 'signed', consent: true },
    { key: 'active', state: 'active', validity: validityFrom(today, -11), small: false, upTo: 'signed', consent: false },
    { key: 'activeSmall', state: 'active', validity: validityFrom(today, -11), small: true, upTo: 'signed', consent: false },
    { key: 'draft', state: 'draft', validity: validityFrom(today, 2), small: false, upTo: 'draft', consent: false },
    { key: 'signing', state: 'signing', validity: validityFrom(today, 2), small: false, upTo: 'signing', consent: false },
  ];
  const created: Array<Plan & { id: string; orgs: string[]; consented: boolean }> = [];

  /** Fires every timer in order on the frozen clock, each at its own instant, up to `target`; consents in open windows. */
  const runClockTo = async (target: Date): Promise<void> => {
    for (let guard = 0; ; guard++) {
      if (guard > 2000) throw new Error('Tidslinjen tar aldrig slut');
      const [{ due }] = await ds.query<Array<{ due: Date | null }>>(`SELECT min(due_at) AS due FROM case_timer WHERE fired_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)`, [target]);
      if (due === null || new Date(due) > target) break;
      const at = new Date(Math.max(new Date(due).getTime(), clock.now().getTime()) + 60_000);
      clock.freeze(at);
      await sweeper.sweep();
      for (const c of created.filter((x) => x.consent && !x.consented)) {
        const [{ state }] = await ds.query<Array<{ state: string }>>(`SELECT state FROM agreement WHERE id = $1`, [c.id]);
        if (state !== 'extensionDecision.pending') continue;
        for (const org of c.orgs) await send(c.id, { type: 'CONSENT_TO_EXTENSION', organisationId: org }, signatoryOf(org));
        c.consented = true;
      }
    }
    if (target > clock.now()) clock.freeze(target);
    await sweeper.sweep();
  };

  const order = [...plans].sort((a, b) => a.validity.startDate.localeCompare(b.validity.startDate));
  // Back to before the first template's history (the people above were registered "now").
  clock.freeze(instantOf(addMonths(order[0].validity.startDate, -5)));
  for (const plan of order) {
    // Proposed four months before the start, signed a month later (draft and signing: a month ago).
    const proposedOn = plan.upTo === 'signed' ? addMonths(plan.validity.startDate, -4) : addMonths(firstOfMonth(today), -1);
    await runClockTo(instantOf(proposedOn));
    const orgs = [parties.kommun.id, parties.bilda.id, plan.small ? smallPartner.id : parties.erikshjalpen.id];
    const base = bromodellenBody(parties, { validity: plan.validity });
    const body = plan.small
      ? {
          ...base,
          title: 'Bromodellen Liten Part',
          parties: base.parties.map((p) => (p.organisationId === parties.erikshjalpen.id ? { ...p, organisationId: smallPartner.id } : p)),
          signatoryIds: [parties.kommunSignatory.id, parties.bildaSignatory.id, smallSignatory.id],
          samverkansgruppIds: [parties.secretariat.id, parties.bildaSignatory.id, smallSignatory.id],
        }
      : base;
    const res = await clients.as(parties.bildaSignatory.id).post('/agreements').send(body);
    if (res.status !== 201) throw new Error(`Mallen ${plan.key} skapades inte (${res.status}): ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    const day = 86_400_000;
    await send(id, { type: 'ACCEPT_INITIATIVE' }, parties.secretariat.id);
    // The usual back and forth before signing: the terms revised once, twice sent and returned.
    clock.advance(2 * day);
    const { proposedByOrganisationId: _proposer, ...terms } = body;
    const updated = await clients.as(parties.secretariat.id).put(`/agreements/${id}`).send({ ...terms, activities: `${terms.activities} Reviderad efter samverkansgruppens möte.` });
    if (updated.status !== 200) throw new Error(`UPDATE_TERMS på ${plan.key} gav ${updated.status}: ${JSON.stringify(updated.body)}`);
    const rounds = plan.upTo === 'draft' ? ['SEND', 'RETURN', 'SEND', 'RETURN'] : ['SEND', 'RETURN', 'SEND', 'RETURN', 'SEND'];
    for (const step of rounds) {
      clock.advance(4 * day);
      if (step === 'SEND') await send(id, { type: 'SEND_FOR_SIGNING' }, parties.secretariat.id);
      else await send(id, { type: 'RETURN_TO_DRAFT', organisationId: parties.kommun.id, reason: 'Villkoren behöver ses över av kommunen.' }, parties.kommunSignatory.id);
    }
    if (plan.upTo === 'signed') {
      clock.advance(8 * day);
      for (const org of orgs) await send(id, { type: 'SIGN', organisationId: org }, signatoryOf(org));
    }
    created.push({ ...plan, id, orgs, consented: false });
  }
  await runClockTo(realNow);
  clock.useSystemTime();

  const templates: Template[] = [];
  for (const c of created) {
    const [{ state }] = await ds.query<Array<{ state: string }>>(`SELECT state FROM agreement WHERE id = $1`, [c.id]);
    const history = await app.get(AuditService).history(c.id);
    if (state !== c.state) {
      throw new Error(`Mallen ${c.key} är ${state}, inte ${c.state}: ${history.map((h) => `${h.occurredAt.toISOString().slice(0, 10)} ${h.eventType} ${h.fromState}→${h.toState} ${h.outcome}`).join('; ')}`);
    }
    templates.push({ key: c.key, id: c.id, state: c.state, history });
    log(`mall ${c.key.padEnd(17)} ${state.padEnd(8)} ${c.validity.startDate} – ${c.validity.endDate}, ${history.length} granskningsrader`);
  }
  const counts = Object.fromEntries(templates.map((t) => [t.key, 1])) as Record<TemplateKey, number>;
  return {
    parties,
    smallPartner,
    smallSignatory,
    auditor,
    administratorId: clients.administratorId,
    templates,
    reportYear,
    counts,
    templatesMs: performance.now() - t0,
  };
}

// --- bulk copies -------------------------------------------------------------------------------

async function columnsOf(db: Client, table: string): Promise<Array<{ name: string; type: string; hasDefault: boolean }>> {
  const { rows } = await db.query<{ column_name: string; data_type: string; column_default: string | null }>(
    `SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (rows.length === 0) throw new Error(`Tabellen ${table} saknas`);
  return rows.map((r) => ({ name: r.column_name, type: r.data_type, hasDefault: r.column_default !== null }));
}

/** Text and jsonb columns get the template's id replaced by the copy's (the snapshot names its own id). */
const copyExpr = (col: { name: string; type: string }, alias: string, templateIdParam: string): string =>
  col.type === 'jsonb'
    ? `replace(${alias}."${col.name}"::text, ${templateIdParam}, n.id::text)::jsonb`
    : col.type === 'text'
      ? `replace(${alias}."${col.name}", ${templateIdParam}, n.id::text)`
      : `${alias}."${col.name}"`;

/**
 * Adds `count` copies of a template: case_record, agreement (title numbered from `firstOrdinal`),
 * parties, cost lines, members, reminders, timers (fired and unfired, as the template has them), dates,
 * audit rows with the chain recomputed, and the chain head. One transaction per batch.
 */
export async function addCopies(dbUrl: string, template: Template, count: number, firstOrdinal: number, onProgress?: (done: number) => void, batch = 10_000): Promise<void> {
  if (count <= 0) return;
  const db = new Client({ connectionString: dbUrl, application_name: 'reads-bench-seed' });
  await db.connect();
  try {
    const T = '$1::text';
    const agreementCols = await columnsOf(db, 'agreement');
    const agreementSql = `INSERT INTO agreement (${agreementCols.map((c) => `"${c.name}"`).join(', ')})
      SELECT ${agreementCols
        .map((c) =>
          c.name === 'id'
            ? 'n.id'
            : c.name === 'title'
              ? `a.title || ' ' || lpad(n.i::text, 6, '0')`
              : c.name === 'created_at' || c.name === 'updated_at'
                ? 'now()'
                : copyExpr(c, 'a', T),
        )
        .join(', ')}
      FROM agreement a CROSS JOIN clone_ids n WHERE a.id = $1::uuid`;
    // The template's dates as the engine projected them, copied like its other rows (so nothing is left to project at start).
    const recordSql = `INSERT INTO case_record (id, case_type, title, reference, state, created_at, updated_at, deadlines_version)
      SELECT n.id, r.case_type, r.title || ' ' || lpad(n.i::text, 6, '0'), r.reference, r.state, now(), now(), r.deadlines_version FROM case_record r CROSS JOIN clone_ids n WHERE r.id = $1::uuid`;
    const childSql: string[] = [];
    for (const table of ['agreement_party', 'agreement_cost_line', 'agreement_member', 'case_reminder', 'case_timer', 'case_deadline']) {
      const cols = (await columnsOf(db, table)).filter((c) => !(c.name === 'id' && c.hasDefault));
      const key = cols.some((c) => c.name === 'case_id') ? 'case_id' : 'agreement_id';
      childSql.push(`INSERT INTO ${table} (${cols.map((c) => `"${c.name}"`).join(', ')})
        SELECT ${cols.map((c) => (c.name === key ? 'n.id' : copyExpr(c, 't', T))).join(', ')}
        FROM ${table} t CROSS JOIN clone_ids n WHERE t.${key} = $1::uuid ORDER BY n.i`);
    }
    const auditCols = (await columnsOf(db, 'audit_event')).filter((c) => c.name !== 'id');
    const auditSql = (seq: number): string => {
      const prev = seq === 1 ? `'${GENESIS_HASH}'` : 'p.hash';
      const computed: Record<string, string> = {
        case_id: 'n.id',
        prev_hash: prev,
        hash: `encode(sha256(convert_to($2 || n.id::text || $3 || ${prev} || $4, 'UTF8')), 'hex')`,
      };
      return `INSERT INTO audit_event (${auditCols.map((c) => `"${c.name}"`).join(', ')})
        SELECT ${auditCols.map((c) => computed[c.name] ?? `e."${c.name}"`).join(', ')}
        FROM clone_ids n
        JOIN audit_event e ON e.case_id = $1::uuid AND e.seq = ${seq}
        ${seq === 1 ? '' : `JOIN audit_event p ON p.case_id = n.id AND p.seq = ${seq - 1}`}
        ORDER BY n.i`;
    };
    const last = template.history.length;
    const headSql = `UPDATE case_record c SET audit_event_count = e.seq, audit_last_hash = e.hash, audit_updated_at = e.occurred_at
      FROM clone_ids n JOIN audit_event e ON e.case_id = n.id AND e.seq = ${last} WHERE c.id = n.id`;
    template.history.forEach((row, i) => {
      if (row.seq !== i + 1) throw new Error('Mallens historik har luckor');
    });
    const pieces = template.history.map(hashPieces);

    await db.query(`CREATE TEMP TABLE IF NOT EXISTS clone_ids (i int PRIMARY KEY, id uuid NOT NULL)`);
    for (let start = 0; start < count; start += batch) {
      const size = Math.min(batch, count - start);
      await db.query('BEGIN');
      await db.query('TRUNCATE clone_ids');
      await db.query(`INSERT INTO clone_ids (i, id) SELECT g, gen_random_uuid() FROM generate_series($1::int, $2::int) g`, [firstOrdinal + start, firstOrdinal + start + size - 1]);
      await db.query('ANALYZE clone_ids');
      await db.query(recordSql, [template.id]);
      await db.query(agreementSql, [template.id]);
      for (const sql of childSql) await db.query(sql, [template.id]);
      for (let seq = 1; seq <= last; seq++) {
        const [a, b, c] = pieces[seq - 1];
        await db.query(auditSql(seq), [template.id, a, b, c]);
      }
      await db.query(headSql);
      await db.query('COMMIT');
      onProgress?.(start + size);
    }
    await db.query('DROP TABLE clone_ids');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/** Grows the data to `size` agreements by the plan; returns how long the copying took. */
export async function growTo(dbUrl: string, fx: ReadFixture, size: number, log: (msg: string) => void): Promise<{ ms: number; added: number }> {
  const plan = planFor(size);
  const t0 = performance.now();
  let added = 0;
  for (const template of fx.templates) {
    const have = fx.counts[template.key];
    const want = plan[template.key];
    if (want < have) throw new Error(`Storlekarna ska växa: ${template.key} har ${have}, planen ${want}`);
    let lastLog = performance.now();
    await addCopies(dbUrl, template, want - have, have, (done) => {
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`  ${template.key}: ${done} / ${want - have}`);
      }
    });
    added += want - have;
    fx.counts[template.key] = want;
  }
  const db = new Client({ connectionString: dbUrl, application_name: 'reads-bench-seed' });
  await db.connect();
  try {
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
  return { ms: performance.now() - t0, added };
}
