/**
 * Golden snapshots: funding decisions as each release persisted them, one folder per machine version
 * (written once by tools/funding-decision-golden.ts, then never regenerated). Every one must still
 * load, migrate to the current version without losing anything, and move on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calendarDateOf } from '../calendar/calendar';
import { allowedEvents, migratePersisted, persist, restore, step } from '../kernel/kernel';
import { deadlinesOf, timersOf } from './deadlines';
import { fundingDecisionDefinition as definition } from './definition';
import { MACHINE_VERSION } from './migrations';
import { stateCodeOf, type PersistedFundingDecision } from './persistence';
import { reminderSchedule } from './reminders';
import { ALL_STATE_CODES, type FundingDecisionEvent, type FundingDecisionStateCode } from './types';
import { SEED_004_PARAGRAPH as P, ev, meeting2018 } from './__fixtures__/seed-004';

const GOLDEN_DIR = join(__dirname, '__fixtures__', 'golden');
const versionDirs = readdirSync(GOLDEN_DIR).filter((d) => /^v\d+$/.test(d)).sort();
const goldenFiles = versionDirs.flatMap((dir) => readdirSync(join(GOLDEN_DIR, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => `${dir}/${f}`));
const load = (file: string): PersistedFundingDecision => JSON.parse(readFileSync(join(GOLDEN_DIR, file), 'utf8')) as PersistedFundingDecision;
const codeOfFile = (file: string): FundingDecisionStateCode => file.replace(/^v\d+\//, '').replace(/\.json$/, '') as FundingDecisionStateCode;

/** The event a person or the clock would most likely send next, or null for a state that takes none worth sending. */
function nextEventFor(persisted: PersistedFundingDecision): { event: FundingDecisionEvent; to: FundingDecisionStateCode } | null {
  const c = persisted.context;
  switch (stateCodeOf(persisted.value)) {
    case 'preparation':
      return { event: ev.placeOnAgenda(meeting2018('06'), c.preparedOn), to: 'on_agenda' };
    case 'on_agenda':
      return { event: ev.decide('granted', P, c.agenda!.date), to: 'in_progress' };
    case 'granted':
      return { event: ev.periodStarted(c.proposal.period.startDate), to: 'in_progress' };
    case 'in_progress':
      return { event: ev.recordFollowUp('skriftlig-utvardering-december', '2018-12-18'), to: 'closed' };
    case 'refused':
      return { event: ev.sendDecision(c.decision!.decidedOn), to: 'refused' };
    case 'closed':
    case 'withdrawn':
      return null;
  }
}

describe('funding decision golden snapshots', () => {
  it.each(versionDirs)('exist in %s for every state code, and only for state codes', (dir) => {
    expect(goldenFiles.filter((f) => f.startsWith(`${dir}/`)).map(codeOfFile).sort()).toEqual([...ALL_STATE_CODES].sort());
    expect(versionDirs).toContain(`v${MACHINE_VERSION}`);
  });

  describe.each(goldenFiles)('%s', (file) => {
    const golden = (): PersistedFundingDecision => load(file);

    it('restores to the state its file is named after, losing nothing', () => {
      const snapshot = restore(definition, golden());
      expect(stateCodeOf(snapshot.value)).toBe(codeOfFile(file));
      expect(JSON.parse(JSON.stringify(persist(definition, snapshot)))).toEqual(migratePersisted(definition, golden()));
    });

    it('has deadlines in its own state, sorted, and timers the machine takes at their instant', () => {
      const deadlines = deadlinesOf(golden());
      expect(deadlines.map((d) => d.firesAt)).toEqual([...deadlines.map((d) => d.firesAt)].sort());
      for (const d of deadlines) expect(d.scheduledIn).toBe(codeOfFile(file));
      expect(() => reminderSchedule(golden())).not.toThrow();
      for (const timer of timersOf(golden())) {
        expect(step(definition, golden(), { type: timer.event!, today: calendarDateOf(timer.firesAt) })).toMatchObject({ applied: true });
      }
    });

    it('moves on with the next sensible event, or takes none worth sending', () => {
      const next = nextEventFor(golden());
      if (next === null) {
        expect(allowedEvents(definition, golden()).every((t) => t === 'SEND_DECISION')).toBe(true);
        return;
      }
      expect(step(definition, golden(), next.event)).toMatchObject({ applied: true, to: next.to });
    });
  });
});
