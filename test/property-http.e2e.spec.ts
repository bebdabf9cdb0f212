/**
 * T11 (issue 11): a property-based test through the service. fast-check generates sequences of
 * commands and clock jumps; each is sent over HTTP to the real app, as the right person (by the rules
 * table) or a wrong one, with valid or invalid payloads: new initiatives, accept/decline, terms edited,
 * sent for signing, signed per party, extension consented/refused, termination, settlement, and jumps
 * of a day to a few years (the timer sweep fires what fell due). After each run:
 *  (a) no request got a 5xx (4xx are expected and fine);
 *  (b) every agreement created in the run replays: its audit rows carry the create's input (proposedBy,
 *      terms, the date) and each applied event's full payload with the date it took effect, so the
 *      applied rows folded through the pure machine (persistence.step) from startAgreement give the
 *      *whole* persisted snapshot — the strongest check the data allows: state value and context are
 *      compared with the stored agreement, and every row's from/to with the replay and its neighbours;
 *  (c) the audit chains verify intact.
 * Fixed seed: a failure reproduces; fast-check prints the seed and the shrunk counterexample path.
 */
import fc from 'fast-check';
import { AuditService } from '@app/audit/audit.service';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { addDays, calendarDateOf } from '@workflows/calendar/calendar';
import { startAgreement, step, type PersistedAgreement } from '@workflows/agreement/persistence';
import { PERSON_EVENT_TYPES } from '@app/agreements/dto/send-event.dto';
import { ALL_EVENT_TYPES, type AgreementEvent, type AgreementTerms } from '@workflows/agreement/types';
import { bromodellenBody, createBromodellenParties, createPerson, senderOf, type BromodellenParties } from './support/factories';
import { FOLLOW_UP_DUTIES } from './support/follow-up-factories';
import { startTestApp, type TestApp } from './support/test-app';

const SEED = 20251111;
const NUM_RUNS = 20;
const MAX_COMMANDS = 25;

jest.setTimeout(180_000);

type Who = 'right' | 'wrong';
type Party = 0 | 1 | 2;
type Command =
  | { kind: 'create'; who: Who; valid: boolean; startInMonths: number; followUp: boolean }
  | { kind: 'edit'; target: number; who: Who; valid: boolean; title: string }
  | { kind: 'event'; target: number; type: string; party: Party; who: Who; valid: boolean; reason: string; amount: number }
  /** One of the events the service says a person may send now (GET allowed-events), sent with a valid payload: drives agreements deep into the lifecycle. */
  | { kind: 'progress'; target: number; person: number; pick: number; reason: string; amount: number }
  | { kind: 'jump'; days: number };

/** What people may send, from the API's own list, plus a clock-only event and nonsense: those must be refused, not break anything. */
const EVENT_TYPES: string[] = [...PERSON_EVENT_TYPES, 'START_DATE_REACHED', 'NO_SUCH_EVENT'];

const BACKWARD = ['RETURN_TO_DRAFT', 'DECLINE_INITIATIVE', 'REFUSE_EXTENSION', 'DECLARE_TERMINATION'];

const who = fc.constantFrom<Who>('right', 'right', 'right', 'wrong');
const valid = fc.boolean();
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const), who, valid: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), startInMonths: fc.integer({ min: 0, max: 8 }), followUp: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), target: fc.nat(9), who, valid, title: fc.string({ maxLength: 40 }) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      target: fc.nat(9),
      type: fc.constantFrom(...EVENT_TYPES),
      party: fc.constantFrom<Party>(0, 1, 2),
      who,
      valid: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      reason: fc.oneof(fc.constant('Verksamheten har förändrats.'), fc.string({ maxLength: 30 })),
      amount: fc.oneof(fc.integer({ min: 0, max: 3_000_000 }), fc.constant(-5), fc.constant(0.5)),
    }),
  },
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant('progress' as const),
      target: fc.nat(9),
      person: fc.nat(5),
      pick: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(5) }),
      reason: fc.constantFrom('Verksamheten har förändrats.', 'Enligt beslut i nämnden.'),
      amount: fc.integer({ min: 0, max: 500_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('jump' as const), days: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 60, max: 400 }), fc.integer({ min: 500, max: 1500 })) }) },
);

interface Answer {
  command: string;
  status: number;
  body: unknown;
}

describe('T11: random commands and clock jumps over HTTP keep every history replayable', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let outsiderId: string;
  let commandsSent = 0;
  let runs = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-05-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    outsiderId = (await createPerson(t, { name: 'Utomstående Medlem', email: 'ute@example.se', organisationId: p.bilda.id }, ['member'])).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  const parties = () => [p.kommun.id, p.bilda.id, p.erikshjalpen.id];
  const people = () => [p.secretariat.id, p.kommunSignatory.id, p.bildaSignatory.id, p.ehSignatory.id, t.administratorId, outsiderId];
  /** Someone other than `right` (the wrong party's signatory, the administrator, a plain member). */
  const wrongOf = (right: string, salt: number): string => {
    const others = people().filter((id) => id !== right);
    return others[Math.floor(Math.abs(salt)) % others.length];
  };

  function termsBody(startInMonths: number, followUp: boolean, overrides: Record<string, unknown> = {}) {
    const today = t.clock.today();
    const [y, m] = today.split('-').map(Number) as [number, number];
    const month = m + startInMonths;
    const start = `${y + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`;
    const end = addDays(`${Number(start.slice(0, 4)) + 2}${start.slice(4)}`, -1);
    return bromodellenBody(p, { validity: { startDate: start, endDate: end }, ...(followUp ? { followUp: FOLLOW_UP_DUTIES } : {}), ...overrides });
  }

  function eventBody(c: Extract<Command, { kind: 'event' }>): Record<string, unknown> {
    const org = parties()[c.party];
    const lines = parties().map((organisationId) => ({ organisationId, amountKr: c.amount }));
    const bodies: Record<string, Record<string, unknown>> = {
      DECLINE_INITIATIVE: { reason: c.reason },
      SIGN: { organisationId: org },
      RETURN_TO_DRAFT: { organisationId: org, reason: c.reason },
      CONSENT_TO_EXTENSION: { organisationId: org },
      REFUSE_EXTENSION: { organisationId: org, reason: c.reason },
      CONSENT_TO_TERMINATION: { organisationId: org },
      DECLARE_TERMINATION: { declaredBy: c.party === 0 ? 'secretariat' : org, ground: 'material_breach', reason: c.reason },
      RECORD_SETTLEMENT: { lines, note: c.reason },
    };
    const body = { type: c.type, ...(bodies[c.type] ?? {}) };
    if (c.valid) return body;
    // Invalid variants: an unknown organisation, wrong types, or extra fields.
    const broken = [
      { ...body, organisationId: '00000000-0000-4000-8000-000000000000', declaredBy: 'någon' },
      { ...body, reason: 42, lines: 'alla', ground: 'tristess' },
      { ...body, extra: { nested: [1, 2, 3] }, organisationId: 'inte-ett-id' },
    ];
    return broken[Math.floor(Math.abs(c.amount)) % broken.length];
  }

  async function run(commands: Command[]): Promise<{ answers: Answer[]; created: string[] }> {
    const answers: Answer[] = [];
    const created: string[] = [];
    const record = async (label: string, request: PromiseLike<{ status: number; body: unknown }>) => {
      const answer = await request;
      commandsSent += 1;
      answers.push({ command: label, status: answer.status, body: answer.body });
      return answer;
    };
    const targetOf = (n: number): string | undefined => created[n % Math.max(created.length, 1)];
    // Every run starts with one initiative, so the commands have something to act on.
    const opening = await record('create (opening)', t.as(p.bildaSignatory.id).post('/agreements').send(termsBody(2, true)));
    if (opening.status === 201) created.push((opening.body as { id: string }).id);
    for (const c of commands) {
      switch (c.kind) {
        case 'create': {
          const sender = c.who === 'right' ? p.bildaSignatory.id : p.secretariat.id;
          const body = c.valid ? termsBody(c.startInMonths, c.followUp) : termsBody(c.startInMonths, c.followUp, { places: 'många', parties: [] });
          const answer = await record(`create ${JSON.stringify(c)}`, t.as(sender).post('/agreements').send(body));
          if (answer.status === 201) created.push((answer.body as { id: string }).id);
          break;
        }
        case 'edit': {
          const id = targetOf(c.target);
          if (!id) break;
          const sender = c.who === 'right' ? p.secretariat.id : wrongOf(p.secretariat.id, c.title.length);
          const body = c.valid ? termsBody(3, false, { title: c.title.trim() || 'Bromodellen' }) : { title: c.title, validity: { startDate: 'snart' } };
          const { proposedByOrganisationId: _ignored, ...update } = body as Record<string, unknown>;
          await record(`edit ${id} ${JSON.stringify(c)}`, t.as(sender).put(`/agreements/${id}`).send(update));
          break;
        }
        case 'event': {
          const id = targetOf(c.target);
          if (!id) break;
          const body = eventBody(c);
          let right: string;
          try {
            right = senderOf(p, body as { type: string; organisationId?: string; declaredBy?: string });
          } catch {
            right = p.secretariat.id;
          }
          const sender = c.who === 'right' ? right : wrongOf(right, c.amount);
          await record(`event ${id} ${JSON.stringify(c)}`, t.as(sender).post(`/agreements/${id}/events`).send(body));
          break;
        }
        case 'progress': {
          const id = targetOf(c.target);
          if (!id) break;
          // The first person, from c.person on, whom the service offers an event now.
          let person = '';
          let chosen: { type: string; organisationId?: string; declaredBy?: string } | undefined;
          for (let k = 0; k < people().length && !chosen; k += 1) {
            person = people()[(c.person + k) % people().length];
            const allowed = await record(`allowed-events ${id} as ${person}`, t.as(person).get(`/agreements/${id}/allowed-events`));
            if (allowed.status !== 200) continue;
            const events = ((allowed.body as { events?: Array<{ type: string; organisationId?: string; declaredBy?: string }> }).events ?? []).filter((e) => EVENT_TYPES.includes(e.type));
            // Forward events first (pick 0 is the most likely), the ones that go back or end it after.
            events.sort((a, b) => Number(BACKWARD.includes(a.type)) - Number(BACKWARD.includes(b.type)));
            chosen = events[c.pick % Math.max(events.length, 1)];
          }
          if (!chosen) break;
          const party = parties().indexOf(chosen.organisationId ?? chosen.declaredBy ?? '');
          const body = eventBody({ kind: 'event', target: c.target, type: chosen.type, party: (party < 0 ? 0 : party) as Party, who: 'right', valid: true, reason: c.reason, amount: c.amount });
          if (chosen.declaredBy) body.declaredBy = chosen.declaredBy;
          await record(`progress ${id} ${JSON.stringify(c)} → ${JSON.stringify(body)}`, t.as(person).post(`/agreements/${id}/events`).send(body));
          break;
        }
        case 'jump': {
          t.clock.freeze(new Date(t.clock.now().getTime() + c.days * 86_400_000));
          await t.started.app.get(TimerSweeperService).sweep();
          break;
        }
      }
    }
    return { answers, created };
  }

  /** Folds the applied audit rows through the pure machine and compares with the stored agreement. */
  async function replayMatches(agreementId: string): Promise<void> {
    const rows = await t.dataSource.query<Array<{ seq: number; occurred_at: Date; event_type: string; payload: Record<string, unknown>; from_state: string; to_state: string; outcome: string }>>(
      `SELECT seq, occurred_at, event_type, payload, from_state, to_state, outcome FROM audit_event WHERE case_id = $1 ORDER BY seq`,
      [agreementId],
    );
    const [stored] = await t.dataSource.query<Array<{ state: string; state_value: unknown; context: unknown; machine_version: number }>>(
      `SELECT state, state_value, context, machine_version FROM agreement WHERE id = $1`,
      [agreementId],
    );
    expect(stored).toBeDefined();
    const applied = rows.filter((r) => r.outcome === 'applied');
    const [first, ...rest] = applied;
    expect(first?.event_type).toBe('PROPOSE_INITIATIVE');
    if (!first || !stored) return;
    let current: PersistedAgreement = startAgreement({
      agreementId,
      proposedBy: first.payload.proposedBy as string,
      proposedOn: calendarDateOf(new Date(first.occurred_at).getTime()),
      terms: first.payload.terms as AgreementTerms,
    });
    let state = first.to_state;
    for (const row of rest) {
      // Rows that are not machine events (a reminder policy change) leave the state as it was.
      if (!ALL_EVENT_TYPES.includes(row.event_type as AgreementEvent['type'])) {
        expect({ seq: row.seq, from: row.from_state, to: row.to_state }).toEqual({ seq: row.seq, from: state, to: state });
        continue;
      }
      const { effectiveOn, ...fields } = row.payload;
      const event = { ...fields, type: row.event_type, today: effectiveOn } as unknown as AgreementEvent;
      const result = step(current, event);
      expect({ seq: row.seq, event: row.event_type, from: row.from_state, applied: result.applied, to: result.applied ? result.to : null }).toEqual({
        seq: row.seq,
        event: row.event_type,
        from: state,
        applied: true,
        to: row.to_state,
      });
      if (!result.applied) return;
      current = result.next;
      state = row.to_state;
    }
    // Refused and forbidden rows leave the state where it was.
    for (const row of rows.filter((r) => r.outcome !== 'applied')) expect(row.from_state).toBe(row.to_state);
    expect({ state: stored.state, value: stored.state_value, context: stored.context }).toEqual({ state, value: current.value, context: JSON.parse(JSON.stringify(current.context)) as unknown });
  }

  it('holds for random sequences (fixed seed, bounded)', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 8, maxLength: MAX_COMMANDS, size: 'max' }), async (commands) => {
        runs += 1;
        const { answers, created } = await run(commands);
        // (a) no 5xx
        if (process.env.T11_DEBUG) for (const a of answers.filter((x) => x.command.startsWith('progress') && x.status >= 400)) console.log(a.status, a.command.slice(0, 300), JSON.stringify(a.body).slice(0, 300));
        const failures = answers.filter((a) => a.status >= 500);
        expect(failures).toEqual([]);
        // (b) every history replays to its snapshot
        for (const id of created) await replayMatches(id);
        // (c) the chains are intact
        const report = await t.started.app.get(AuditService).verify(t.clock.now());
        expect(report.breaks).toEqual([]);
        expect(report.intact).toBe(true);
      }),
      { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true, verbose: true },
    );
    // The runs did something: some agreements moved beyond the initiative, and some requests were refused.
    const reached = await t.dataSource.query<Array<{ state: string; n: string }>>(`SELECT state, count(*) AS n FROM agreement GROUP BY state ORDER BY state`);
    const events = await t.dataSource.query<Array<{ outcome: string; n: string }>>(`SELECT event_type || ' ' || outcome AS outcome, count(*) AS n FROM audit_event GROUP BY 1 ORDER BY 1`);
    console.log(`T11: ${runs} runs, ${commandsSent} requests, ${Math.round((Date.now() - started) / 1000)} s; states ${JSON.stringify(reached)}; audit ${JSON.stringify(events)}`);
    expect(reached.some((r) => r.state !== 'initiative')).toBe(true);
  });
});
