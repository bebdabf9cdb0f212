import { EVENT_LABELS, STATE_LABELS, TERMINATION_GROUND_LABELS, actorRoleLabel, eventLabel, historyEventLabel, outcomeLabel, stateLabel } from './labels';
import { ALL_STATE_CODES } from './persistence';
import { ALL_EVENT_TYPES, TERMINATION_GROUNDS } from './types';

const SWEDISH_TEXT = /^[A-ZÅÄÖ][a-zåäöéA-ZÅÄÖ ,–-]*[a-zåäö]$/;

describe('Swedish labels', () => {
  it.each(ALL_STATE_CODES)('state %s has a label', (code) => {
    expect(stateLabel(code)).toMatch(SWEDISH_TEXT);
  });

  it.each(ALL_EVENT_TYPES)('event %s has a label', (type) => {
    expect(eventLabel(type)).toMatch(SWEDISH_TEXT);
  });

  it.each(TERMINATION_GROUNDS)('termination ground %s has a label', (ground) => {
    expect(TERMINATION_GROUND_LABELS[ground]).toMatch(SWEDISH_TEXT);
  });

  it('labels exactly the known codes, each state and each event differently, so a list never shows two alike', () => {
    expect(Object.keys(STATE_LABELS).sort()).toEqual([...ALL_STATE_CODES].sort());
    expect(Object.keys(EVENT_LABELS).sort()).toEqual([...ALL_EVENT_TYPES].sort());
    expect(new Set(Object.values(STATE_LABELS)).size).toBe(ALL_STATE_CODES.length);
    expect(new Set(Object.values(EVENT_LABELS)).size).toBe(ALL_EVENT_TYPES.length);
  });
});

describe('history labels', () => {
  it('names every row, role and outcome of a history in Swedish, never as a code', () => {
    expect(historyEventLabel('UPDATE_TERMS')).toBe('Ändra villkor');
    expect(historyEventLabel('PROPOSE_INITIATIVE')).toBe('Initiativ registrerat');
    expect(historyEventLabel('SET_REMINDER_POLICY')).toBe('Påminnelser ändrade');
    for (const role of ['administrator', 'secretariat', 'signatory', 'member', 'auditor', 'system', 'api']) expect(actorRoleLabel(role)).not.toBe(role);
    expect(actorRoleLabel('signatory')).toBe('firmatecknare');
    for (const outcome of ['applied', 'refused', 'forbidden', 'skipped']) expect(outcomeLabel(outcome)).toMatch(/^[a-zåäö ]+$/);
  });
});
