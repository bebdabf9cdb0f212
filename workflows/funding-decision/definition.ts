import type { CaseKindDefinition, EventDescription } from '../kernel/kernel';
import { deadlinesOf } from './deadlines';
import { DEADLINE_LABELS, EVENT_LABELS, STATE_LABELS } from './labels';
import { fundingDecisionMachine } from './machine';
import { MACHINE_VERSION, SNAPSHOT_MIGRATIONS } from './migrations';
import { unsupportedVersionMessage } from './persistence';
import { reminderSchedule } from './reminders';
import { fundingDecisionRules, type RuledFundingDecision } from './rules';
import { TIMER_EVENT_TYPES, type FundingDecisionEvent, type FundingDecisionEventType } from './types';

type EventOf<T extends FundingDecisionEventType> = Extract<FundingDecisionEvent, { type: T }>;
type FieldOf<T extends FundingDecisionEventType> = Exclude<keyof EventOf<T>, 'type' | 'today'> & string;
/** The fields the event type does not mark optional. */
type RequiredFieldOf<T extends FundingDecisionEventType> = {
  [K in FieldOf<T>]-?: undefined extends EventOf<T>[K] ? never : K;
}[FieldOf<T>];

/** An event's fields, checked against its type in types.ts; required unless given otherwise. */
function described<T extends FundingDecisionEventType>(
  type: T,
  fields: readonly FieldOf<T>[],
  required: readonly RequiredFieldOf<T>[] = fields,
): EventDescription<FieldOf<T>> {
  return {
    label: EVENT_LABELS[type],
    fields,
    required,
    ...((TIMER_EVENT_TYPES as readonly string[]).includes(type) ? { clock: true } : {}),
  };
}

/** The events of a funding decision: what each carries besides the day it happens on, and its Swedish label. */
export const FUNDING_DECISION_EVENTS: { readonly [T in FundingDecisionEventType]: EventDescription<FieldOf<T>> } = {
  UPDATE_PROPOSAL: described('UPDATE_PROPOSAL', ['proposal']),
  PLACE_ON_AGENDA: described('PLACE_ON_AGENDA', ['meeting']),
  TAKE_OFF_AGENDA: described('TAKE_OFF_AGENDA', ['reason']),
  DECIDE: described('DECIDE', ['outcome', 'paragraph']),
  REFER_BACK: described('REFER_BACK', ['reason']),
  WITHDRAW: described('WITHDRAW', ['reason']),
  RECORD_FOLLOW_UP: described('RECORD_FOLLOW_UP', ['key', 'heldOn', 'note'], ['key', 'heldOn']),
  SEND_DECISION: described('SEND_DECISION', []),
  MEETING_RESCHEDULED: described('MEETING_RESCHEDULED', ['meeting']),
  PERIOD_STARTED: described('PERIOD_STARTED', []),
  FOLLOW_UP_OVERDUE: described('FOLLOW_UP_OVERDUE', []),
};

/** The funding decision (beslut om medel) as a kind of case for the kernel and the engine. */
export const fundingDecisionDefinition: CaseKindDefinition<typeof fundingDecisionMachine, RuledFundingDecision> = {
  type: 'funding_decision',
  machine: fundingDecisionMachine,
  machineVersion: MACHINE_VERSION,
  migrations: SNAPSHOT_MIGRATIONS,
  events: FUNDING_DECISION_EVENTS,
  stateLabels: STATE_LABELS,
  unsupportedVersionMessage,
  deadlines: deadlinesOf,
  reminders: reminderSchedule,
  deadlineLabels: DEADLINE_LABELS,
  rules: fundingDecisionRules,
  noun: { indefinite: 'beslut om medel', definite: 'Beslutet om medel' },
};
