import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedEvents, stateCode } from '../kernel/kernel';
import { agreementDefinition } from './definition';
import { EVENT_LABELS } from './labels';
import { MACHINE_VERSION, migratePersisted, restore, stateCodeOf, eventTypesFrom, UnsupportedMachineVersionError, type PersistedAgreement } from './persistence';
import { TIMER_EVENT_TYPES } from './types';

const golden = (code: string): PersistedAgreement =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'golden', 'v2', `${code}.json`), 'utf8')) as PersistedAgreement;

describe('the agreement as a case definition', () => {
  it('describes every event the agreement has, with its Swedish label; clock events are marked', () => {
    expect(Object.keys(agreementDefinition.events).sort()).toEqual(Object.keys(EVENT_LABELS).sort());
    for (const [type, description] of Object.entries(agreementDefinition.events)) {
      expect(description.label).toBe(EVENT_LABELS[type as keyof typeof EVENT_LABELS]);
      expect(description.clock ?? false).toBe((TIMER_EVENT_TYPES as readonly string[]).includes(type));
    }
    expect(agreementDefinition.events.DECLARE_TERMINATION.required).toEqual(['declaredBy', 'ground', 'reason']);
  });

  it('is stored with the machine version persistence.ts names', () => {
    expect(agreementDefinition.machineVersion).toBe(MACHINE_VERSION);
  });

  it('refuses an unknown version with the sentence the service shows', () => {
    const future = { ...golden('active'), machineVersion: 99 };
    expect(() => migratePersisted(future)).toThrow(UnsupportedMachineVersionError);
    expect(() => migratePersisted(future)).toThrow('Överenskommelsen sparades med maskinversion 99, som den här versionen inte kan läsa.');
  });
});

describe('the kernel with the agreement', () => {
  it('gives the full dotted state code; the agreement leaves the inForce wrapper out', () => {
    const active = golden('active');
    expect(stateCode(active.value)).toBe('inForce.active');
    expect(stateCodeOf(active.value)).toBe('active');
  });

  it('lists the events a state takes, guards aside, as eventTypesFrom does', () => {
    const active = golden('active');
    expect(allowedEvents(agreementDefinition, active)).toEqual(eventTypesFrom(restore(active)));
    expect(allowedEvents(agreementDefinition, golden('signing'))).toEqual(
      expect.arrayContaining(['SIGN', 'RETURN_TO_DRAFT']),
    );
    expect(allowedEvents(agreementDefinition, golden('declined'))).toEqual([]);
  });
});
