/**
 * Golden snapshots: agreements as each release persisted them, one folder per machine version
 * (written once by tools/golden-snapshots.ts, then never regenerated). Every one must still load,
 * be migrated to the current version without losing anything, and move on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, calendarDateOf } from '../calendar/calendar';
import { ORG, ev, sampleEvent } from './__fixtures__/factories';
import { deadlinesOf, timersOf } from './deadlines';
import { decisionWindowOpens } from './machine';
import {
  ALL_STATE_CODES,
  FINAL_STATE_CODES,
  MACHINE_VERSION,
  UnsupportedMachineVersionError,
  migratePersisted,
  persist,
  restore,
  stateCodeOf,
  step,
  type AgreementStateCode,
  type PersistedAgreement,
  type SnapshotMigration,
  fromVersion1,
} from './persistence';
import { reminderSchedule } from './reminders';
import { ALL_EVENT_TYPES, type AgreementEvent, type PartyAct } from './types';

const GOLDEN_DIR = join(__dirname, '__fixtures__', 'golden');
const versionDirs = readdirSync(GOLDEN_DIR).filter((d) => /^v\d+$/.test(d)).sort();
/** Files as "v1/active.json". */
const goldenFiles = versionDirs.flatMap((dir) => readdirSync(join(GOLDEN_DIR, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => `${dir}/${f}`));
const load = (file: string): PersistedAgreement => JSON.parse(readFileSync(join(GOLDEN_DIR, file), 'utf8')) as PersistedAgreement;
const codeOfFile = (file: string): string => file.replace(/^v\d+\//, '').replace(/\.json$/, '');
const current = (code: string): string => `v${MACHINE_VERSION}/${code}.json`;

/** The event a user or the clock would most likely send next, built from the agreement itself. */
function nextEventFor(persisted: PersistedAgreement): { event: AgreementEvent; to: AgreementStateCode } | null {
  const c = persisted.context;
  const firstMissing = (acts: PartyAct[]): string =>
    c.terms.parties.map((p) => p.organisationId).find((id) => !acts.some((a) => a.organisationId === id))!;
  const code = stateCodeOf(persisted.value);
  switch (code) {
    case 'initiative':
      return { event: ev.accept(c.proposedOn), to: 'draft' };
    case 'draft':
      return { event: ev.sendForSigning(c.proposedOn), to: 'signing' };
    case 'signing':
      return { event: ev.sign(firstMissing(c.signatures), c.signingSince!), to: c.signatures.length === c.terms.parties.length - 1 ? 'signed' : 'signing' };
    case 'signed':
      return { event: ev.startDateReached(c.periodStart!), to: 'active' };
    case 'active':
      return { event: ev.decisionWindowOpened(decisionWindowOpens(c)!), to: 'extensionDecision.pending' };
    case 'extensionDecision.pending':
    case 'extensionDecision.overdue':
      return { event: ev.consentToExtension(firstMissing(c.decision!.consents), c.endDate!), to: code };
    case 'extensionRefused':
      return { event: ev.endDatePassed(addDays(c.endDate!, 1)), to: 'expired' };
    case 'renewed':
      return { event: ev.newPeriodStarted(c.periodStart!), to: 'active' };
    case 'terminated.awaitingSettlement':
      return { event: ev.recordSettlement([{ organisationId: ORG.bilda, amountKr: 100_000 }], 'Reglering.', addDays(c.termination!.effectiveOn, 30)), to: 'terminated.settled' };
    case 'declined':
    case 'expired':
    case 'terminated.settled':
      return null;
  }
}

describe('golden snapshots', () => {
  it.each(versionDirs)('exist in %s for every state code, and only for state codes, up to the current version', (dir) => {
    expect(goldenFiles.filter((f) => f.startsWith(`${dir}/`)).map(codeOfFile).sort()).toEqual([...ALL_STATE_CODES].sort());
    expect(versionDirs).toContain(`v${MACHINE_VERSION}`);
  });

  describe.each(goldenFiles)('%s', (file) => {
    const golden = (): PersistedAgreement => load(file);

    it('restores to the state its file is named after, losing nothing', () => {
      const snapshot = restore(golden());
      expect(stateCodeOf(snapshot.value)).toBe(codeOfFile(file));
      expect(JSON.parse(JSON.stringify(persist(snapshot)))).toEqual(migratePersisted(golden()));
    });

    it('is migrated to what the current version stores for the same story', () => {
      expect(migratePersisted(golden())).toEqual(load(current(codeOfFile(file))));
    });

    it('has deadlines and reminders that can be computed, and timers the machine takes at their instant', () => {
      expect(() => deadlinesOf(golden())).not.toThrow();
      expect(() => reminderSchedule(golden())).not.toThrow();
      for (const timer of timersOf(golden())) {
        expect(step(golden(), { type: timer.event!, today: calendarDateOf(timer.firesAt) })).toMatchObject({ applied: true });
      }
    });

    it('moves on with the next sensible event, or takes none if it is final', () => {
      const next = nextEventFor(golden());
      if (next === null) {
        expect(FINAL_STATE_CODES).toContain(codeOfFile(file));
        for (const type of ALL_EVENT_TYPES) expect(step(golden(), sampleEvent(type, '2031-01-01'))).toMatchObject({ applied: false, reason: 'not_in_state' });
        return;
      }
      expect(step(golden(), next.event)).toMatchObject({ applied: true, to: next.to });
    });
  });
});

describe('migratePersisted', () => {
  /** What version 0 stored (an invented, older shape): no signing rounds and no decision history. */
  function versionZero(): PersistedAgreement {
    const { signingRound: _round, pastDecisions: _past, ...older } = load('v1/signing.json').context;
    return { machineVersion: 0, value: 'signing', context: older as unknown as PersistedAgreement['context'] };
  }
  const fromZero: SnapshotMigration = (p) => ({
    ...p,
    machineVersion: 1,
    context: { ...p.context, signingRound: p.value === 'signing' ? 1 : 0, pastDecisions: [] },
  });

  it('lifts an agreement stored by version 0 to version 1 with the migration table', () => {
    const migrated = migratePersisted(versionZero(), { 0: fromZero }, 1);
    expect(migrated.machineVersion).toBe(1);
    expect(migrated.context).toEqual(load('v1/signing.json').context);
    expect(step(migrated, ev.sign(ORG.bilda, '2023-11-21'))).toMatchObject({ applied: true, to: 'signing' });
  });

  it('applies the migrations in order, one version at a time', () => {
    const applied: number[] = [];
    const table: Record<number, SnapshotMigration> = {
      0: (p) => (applied.push(0), fromZero(p)),
      1: (p) => (applied.push(1), fromVersion1(p)),
    };
    expect(migratePersisted(versionZero(), table, 2).machineVersion).toBe(2);
    expect(applied).toEqual([0, 1]);
  });

  it('leaves an agreement of the current version as it is', () => {
    const latest = load(current('active'));
    expect(latest.machineVersion).toBe(MACHINE_VERSION);
    expect(migratePersisted(latest)).toEqual(load(current('active')));
  });

  it('gives version 1 agreements no follow-up and no amendment, and the signed terms as terms version 1 once every party signed', () => {
    const active = migratePersisted(load('v1/active.json')).context;
    expect(active).toMatchObject({ followUps: [], overdueFollowUps: [], amendment: null });
    expect(active.termsVersions).toEqual([
      { version: 1, effectiveFromYear: 2024, economics: active.terms.economics, reason: null, proposedOn: null, agreedBy: load('v1/active.json').context.signatures },
    ]);
    expect(migratePersisted(load('v1/signing.json')).context.termsVersions).toEqual([]);
    expect(migratePersisted(load('v1/terminated.settled.json')).context.termsVersions).toHaveLength(1);
  });

  it('refuses an old version it has no migration for', () => {
    expect(() => migratePersisted(versionZero())).toThrow(UnsupportedMachineVersionError);
    expect(() => restore(versionZero())).toThrow(UnsupportedMachineVersionError);
  });

  it('refuses an agreement stored by a newer version of the engine, in restore() and step() too', () => {
    const future = { ...load(current('active')), machineVersion: MACHINE_VERSION + 1 };
    let caught: unknown;
    try {
      migratePersisted(future);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedMachineVersionError);
    expect(caught).toMatchObject({ machineVersion: MACHINE_VERSION + 1 });
    expect((caught as Error).message).toContain(String(MACHINE_VERSION + 1));
    expect(() => restore(future)).toThrow(UnsupportedMachineVersionError);
    expect(() => step(future, ev.endDatePassed('2026-01-01'))).toThrow(UnsupportedMachineVersionError);
    expect(() => deadlinesOf(future)).toThrow(UnsupportedMachineVersionError);
  });

  it('refuses a migration that skips past the version it should reach', () => {
    expect(() => migratePersisted(versionZero(), { 0: (p) => ({ ...fromZero(p), machineVersion: 2 }) }, 1)).toThrow(UnsupportedMachineVersionError);
  });
});
