import type { CaseKindDefinition, CaseRequester, EventDescription, EventField, EventFieldValues } from '../kernel/kernel';
import { deadlinesOf } from './deadlines';
import { stateCodeOf } from './persistence';
import { reminderSchedule, resolvePolicy, type ReminderPolicy } from './reminders';
import { COMMAND_RULES, maySee, permissionFor, whoMay, type PersonCommandType, type Requester, type RuledAgreement, type RuledCommand } from './rules';
import { DEADLINE_LABELS, EVENT_LABELS, STATE_LABELS } from './labels';
import { agreementMachine } from './machine';
import { MACHINE_VERSION, SNAPSHOT_MIGRATIONS } from './migrations';
import { TERMINATION_GROUNDS, TIMER_EVENT_TYPES, type AgreementEvent, type AgreementEventType, type TimerEventType } from './types';

type FieldOf<T extends AgreementEventType> = Exclude<keyof Extract<AgreementEvent, { type: T }>, 'type' | 'today'> & string;

/** Events a person sends to an address of their own, with a body of their own, not to POST /agreements/:id/events. */
const OWN_ENDPOINTS = {
  UPDATE_TERMS: 'PUT /agreements/:id',
  PROPOSE_AMENDMENT: 'POST /agreements/:id/amendments',
  RECORD_FOLLOW_UP_MEETING: 'POST /agreements/:id/follow-up/meetings',
  SUBMIT_YEARLY_REPORT: 'POST /agreements/:id/follow-up/reports',
} as const satisfies Partial<Record<AgreementEventType, string>>;

/** The events people send to POST /agreements/:id/events. */
export type AgreementPersonEventType = Exclude<AgreementEventType, TimerEventType | keyof typeof OWN_ENDPOINTS>;
type PersonEventField = AgreementPersonEventType extends infer T ? (T extends AgreementPersonEventType ? FieldOf<T> : never) : never;

/** How each field of those events is sent: the API's validation and its documentation are derived from this. */
export const AGREEMENT_EVENT_FIELDS = {
  organisationId: { kind: 'uuid', description: 'Parten som signerar, samtycker, godkänner eller avböjer.' },
  reason: { kind: 'text', maxLength: 5000, description: 'Skälet; sparas i historiken och visas för parterna.' },
  ground: { kind: 'oneOf', values: TERMINATION_GROUNDS, description: 'Grunden för hävningen.' },
  declaredBy: { kind: 'text', maxLength: 100, description: "Parten som häver (organisations-id) eller 'secretariat'." },
  lines: {
    kind: 'list',
    description: 'Regleringen: vad varje part ersätts med, i hela kronor.',
    of: {
      kind: 'object',
      name: 'SettlementLineDto',
      description: 'En parts ersättning.',
      fields: {
        organisationId: { kind: 'uuid', description: 'Parten (organisations-id).' },
        amountKr: { kind: 'kronor', min: 0, example: 150000, description: 'Ersättningen i hela kronor.' },
      },
    },
  },
  note: { kind: 'text', maxLength: 5000, description: 'Anteckning till regleringen.' },
  documentHash: {
    kind: 'text',
    maxLength: 64,
    pattern: { regex: /^[0-9a-f]{64}$/, message: 'documentHash ska vara dokumentets SHA-256 med 64 hexadecimala tecken.' },
    description: 'SHA-256 för dokumentet som visades för den som signerar; en annan hash än omgångens dokument nekas (409).',
  },
} as const satisfies { readonly [F in PersonEventField]: EventField };

/** An event body's fields as validated (all optional; the events' `required` says which an event needs). */
export type AgreementEventFieldValues = EventFieldValues<typeof AGREEMENT_EVENT_FIELDS>;

/** An event's fields, checked against its type in types.ts; all of them required unless named. */
function described<T extends AgreementEventType>(type: T, fields: readonly FieldOf<T>[], required: readonly FieldOf<T>[] = fields): EventDescription<FieldOf<T>> {
  const endpoint = (OWN_ENDPOINTS as Partial<Record<AgreementEventType, string>>)[type];
  return {
    label: EVENT_LABELS[type],
    fields,
    required,
    ...((TIMER_EVENT_TYPES as readonly string[]).includes(type) ? { clock: true } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** The events of an agreement: what each carries besides the date it happens on, and its Swedish label. */
export const AGREEMENT_EVENTS: { readonly [T in AgreementEventType]: EventDescription<FieldOf<T>> } = {
  ACCEPT_INITIATIVE: described('ACCEPT_INITIATIVE', []),
  DECLINE_INITIATIVE: described('DECLINE_INITIATIVE', ['reason']),
  UPDATE_TERMS: described('UPDATE_TERMS', ['terms']),
  SEND_FOR_SIGNING: described('SEND_FOR_SIGNING', []),
  SIGN: described('SIGN', ['organisationId', 'documentHash'], ['organisationId']),
  RETURN_TO_DRAFT: described('RETURN_TO_DRAFT', ['organisationId', 'reason']),
  START_DATE_REACHED: described('START_DATE_REACHED', []),
  DECISION_WINDOW_OPENED: described('DECISION_WINDOW_OPENED', []),
  CONSENT_TO_EXTENSION: described('CONSENT_TO_EXTENSION', ['organisationId']),
  REFUSE_EXTENSION: described('REFUSE_EXTENSION', ['organisationId', 'reason']),
  DECISION_DEADLINE_PASSED: described('DECISION_DEADLINE_PASSED', []),
  NEW_PERIOD_STARTED: described('NEW_PERIOD_STARTED', []),
  END_DATE_PASSED: described('END_DATE_PASSED', []),
  CONSENT_TO_TERMINATION: described('CONSENT_TO_TERMINATION', ['organisationId']),
  DECLARE_TERMINATION: described('DECLARE_TERMINATION', ['declaredBy', 'ground', 'reason']),
  // A settlement can be recorded without a note.
  RECORD_SETTLEMENT: described('RECORD_SETTLEMENT', ['lines', 'note'], ['lines']),
  RECORD_FOLLOW_UP_MEETING: described('RECORD_FOLLOW_UP_MEETING', ['heldOn']),
  SUBMIT_YEARLY_REPORT: described('SUBMIT_YEARLY_REPORT', ['year', 'organisationId']),
  FOLLOW_UP_OVERDUE: described('FOLLOW_UP_OVERDUE', []),
  PROPOSE_AMENDMENT: described('PROPOSE_AMENDMENT', ['effectiveFromYear', 'economics', 'reason']),
  AGREE_TO_AMENDMENT: described('AGREE_TO_AMENDMENT', ['organisationId']),
  REFUSE_AMENDMENT: described('REFUSE_AMENDMENT', ['organisationId', 'reason']),
  WITHDRAW_AMENDMENT: described('WITHDRAW_AMENDMENT', ['reason']),
};

/** The kernel's requester is the agreement's (its roles and organisation kinds are strings to the kernel). */
const requester = (who: CaseRequester): Requester => who as Requester;

/** The agreement (IOP) as a kind of case for the kernel and the service's engine. */
export const agreementDefinition: CaseKindDefinition<typeof agreementMachine, RuledAgreement> = {
  type: 'agreement',
  machine: agreementMachine,
  machineVersion: MACHINE_VERSION,
  migrations: SNAPSHOT_MIGRATIONS,
  events: AGREEMENT_EVENTS,
  eventFields: AGREEMENT_EVENT_FIELDS,
  stateLabels: STATE_LABELS,
  unsupportedVersionMessage: (version) => `Överenskommelsen sparades med maskinversion ${version}, som den här versionen inte kan läsa.`,
  // Called, not captured: persistence.ts imports this file.
  stateCode: (value) => stateCodeOf(value),
  deadlines: deadlinesOf,
  reminders: (persisted, policy) => reminderSchedule(persisted, resolvePolicy(policy as Partial<ReminderPolicy> | null)),
  deadlineLabels: DEADLINE_LABELS,
  rules: {
    commands: COMMAND_RULES,
    maySee: (who, agreement) => maySee(requester(who), agreement),
    permission: (who, command, agreement) => permissionFor(requester(who), command as unknown as RuledCommand, agreement),
    whoMay: (type) => whoMay(type as PersonCommandType),
  },
  noun: { indefinite: 'överenskommelse', definite: 'Överenskommelsen' },
};
