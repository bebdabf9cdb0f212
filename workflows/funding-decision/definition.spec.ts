import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { allowedEvents, migratePersisted, UnsupportedMachineVersionError } from '../kernel/kernel';
import { deadlinesOf } from './deadlines';
import { fundingDecisionDefinition as sut } from './definition';
import { DEADLINE_LABELS, EVENT_LABELS, STATE_LABELS } from './labels';
import { fundingDecisionMachine } from './machine';
import { MACHINE_VERSION } from './migrations';
import type { PersistedFundingDecision } from './persistence';
import { reminderSchedule } from './reminders';
import { ALL_EVENT_TYPES, ALL_STATE_CODES, TIMER_EVENT_TYPES } from './types';

const GOLDEN = join(__dirname, '__fixtures__', 'golden', `v${MACHINE_VERSION}`);
const golden = (code: string): PersistedFundingDecision => JSON.parse(readFileSync(join(GOLDEN, `${code}.json`), 'utf8')) as PersistedFundingDecision;

/** Every event type some transition of the machine names. */
const machineEventTypes = (): string[] => {
  const types = new Set<string>();
  const walk = (node: typeof fundingDecisionMachine.root): void => {
    for (const type of node.transitions.keys()) types.add(type);
    Object.values(node.states).forEach(walk);
  };
  walk(fundingDecisionMachine.root);
  return [...types].sort();
};

describe('the funding decision as a case definition', () => {
  it('is the kind the service stores as funding_decision, version 1 with no migrations yet', () => {
    expect(sut).toMatchObject({ type: 'funding_decision', machineVersion: 1, migrations: {}, noun: { indefinite: 'beslut om medel', definite: 'Beslutet om medel' } });
    expect(sut.machine).toBe(fundingDecisionMachine);
    expect(sut.deadlines).toBe(deadlinesOf);
    expect(sut.reminders).toBe(reminderSchedule);
  });

  it('describes every event the machine has, once, with its Swedish label; clock events are marked', () => {
    expect(Object.keys(sut.events).sort()).toEqual([...ALL_EVENT_TYPES].sort());
    expect(Object.keys(sut.events).sort()).toEqual(machineEventTypes());
    for (const [type, description] of Object.entries(sut.events)) {
      expect(description.label).toBe(EVENT_LABELS[type as keyof typeof EVENT_LABELS]);
      expect(description.clock ?? false).toBe((TIMER_EVENT_TYPES as readonly string[]).includes(type));
      for (const field of description.required) expect(description.fields).toContain(field);
    }
    expect(sut.events.RECORD_FOLLOW_UP).toMatchObject({ fields: ['key', 'heldOn', 'note'], required: ['key', 'heldOn'] });
    expect(sut.events.DECIDE.required).toEqual(['outcome', 'paragraph']);
  });

  it('names every state in Swedish', () => {
    expect(Object.keys(sut.stateLabels ?? {}).sort()).toEqual([...ALL_STATE_CODES].sort());
    expect(Object.values(STATE_LABELS)).toEqual(['Förslag till beslut', 'På dagordningen', 'Beviljat', 'Avslaget', 'Pågår', 'Avslutat', 'Återkallat']);
  });

  it.each(ALL_STATE_CODES)('in %s (golden), allows only described events and names every deadline kind', (code) => {
    const persisted = golden(code);
    for (const type of allowedEvents(sut, persisted)) expect(sut.events[type]).toBeDefined();
    for (const d of sut.deadlines(persisted)) expect(sut.deadlineLabels[d.kind]).toBeDefined();
  });

  it('has a golden snapshot per state and labels for every deadline kind', () => {
    expect(readdirSync(GOLDEN).map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...ALL_STATE_CODES].sort());
    expect(Object.keys(sut.deadlineLabels).sort()).toEqual(Object.keys(DEADLINE_LABELS).sort());
  });

  it('refuses an unknown version with the sentence the service shows', () => {
    const future = { ...golden('in_progress'), machineVersion: 99 };
    expect(() => migratePersisted(sut, future)).toThrow(UnsupportedMachineVersionError);
    expect(() => migratePersisted(sut, future)).toThrow('Beslutet om medel sparades med maskinversion 99, som den här versionen inte kan läsa.');
    expect(() => deadlinesOf(future)).toThrow(UnsupportedMachineVersionError);
  });
});
