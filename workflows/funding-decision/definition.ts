import type { CaseKindDefinition, EventDescription, EventField, EventFieldValues, FieldValue } from '../kernel/kernel';
import { deadlinesOf } from './deadlines';
import { DEADLINE_LABELS, EVENT_LABELS, STATE_LABELS } from './labels';
import { fundingDecisionMachine } from './machine';
import { MACHINE_VERSION, SNAPSHOT_MIGRATIONS } from './migrations';
import { unsupportedVersionMessage } from './persistence';
import { reminderSchedule } from './reminders';
import { fundingDecisionRules, type RuledFundingDecision } from './rules';
import { DECISION_OUTCOMES, FOLLOW_UP_KINDS, TIMER_EVENT_TYPES, type FundingDecisionEvent, type FundingDecisionEventType, type TimerEventType } from './types';

type EventOf<T extends FundingDecisionEventType> = Extract<FundingDecisionEvent, { type: T }>;
type FieldOf<T extends FundingDecisionEventType> = Exclude<keyof EventOf<T>, 'type' | 'today'> & string;
/** The fields the event type does not mark optional. */
type RequiredFieldOf<T extends FundingDecisionEventType> = {
  [K in FieldOf<T>]-?: undefined extends EventOf<T>[K] ? never : K;
}[FieldOf<T>];

/** Events sent to an address of their own, not to POST /funding-decisions/:id/events: a meeting moved in the sammanträdesplan. */
const OWN_ENDPOINTS = { MEETING_RESCHEDULED: 'PUT /meetings/:id' } as const satisfies Partial<Record<FundingDecisionEventType, string>>;

/** The events people send to POST /funding-decisions/:id/events. */
export type FundingPersonEventType = Exclude<FundingDecisionEventType, TimerEventType | keyof typeof OWN_ENDPOINTS>;
type PersonEventField = FundingPersonEventType extends infer T ? (T extends FundingPersonEventType ? FieldOf<T> : never) : never;

const nonEmpty = (maxLength: number, description: string, example?: string) => ({ kind: 'text', maxLength, nonEmpty: true, description, ...(example ? { example } : {}) }) as const;

/** The förslag till beslut as it is sent, when prepared (POST /funding-decisions) and when changed (UPDATE_PROPOSAL). */
export const PROPOSAL_FIELD = {
  kind: 'object',
  name: 'ProposalDto',
  description: 'Förslaget till beslut: belopp, budgetpost, part, period, handläggare, mottagare och uppföljningar.',
  fields: {
    summary: nonEmpty(5000, 'Det nämnden ombeds besluta, med förslagets egna ord.', 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser.'),
    amountKr: { kind: 'kronor', min: 1, example: 530000, description: 'Beloppet i hela kronor.' },
    budgetLine: nonEmpty(200, 'Budgetposten medlen tas från.', 'Arbetsmarknadsinsatser'),
    partner: {
      kind: 'object',
      name: 'PartnerDto',
      description: 'Parten som medlen går till.',
      fields: { organisationId: { kind: 'uuid', description: 'Organisationen som medlen går till (finns i organisationsregistret)' } },
    },
    period: {
      kind: 'object',
      name: 'PeriodDto',
      description: 'Perioden medlen betalar för, båda dagarna inräknade.',
      fields: {
        startDate: { kind: 'date', example: '2018-06-01', description: 'Från och med.' },
        endDate: { kind: 'date', example: '2018-12-31', description: 'Till och med.' },
      },
    },
    officials: {
      kind: 'list',
      minItems: 1,
      minItemsMessage: 'Minst en ansvarig handläggare behövs',
      maxItems: 20,
      description: 'Ansvariga handläggare.',
      of: {
        kind: 'object',
        name: 'OfficialDto',
        description: 'En ansvarig handläggare.',
        fields: {
          personId: { kind: 'uuid', optional: true, description: 'Personen i registret; bara då kan handläggaren agera i ärendet och få påminnelser' },
          name: nonEmpty(200, 'Handläggarens namn.', 'Anne Hallberg'),
        },
      },
    },
    recipients: {
      kind: 'list',
      maxItems: 50,
      description: 'Vilka beslutet expedieras till.',
      of: {
        kind: 'object',
        name: 'RecipientDto',
        description: 'En mottagare av beslutet.',
        fields: {
          name: nonEmpty(200, 'Mottagarens namn.', 'Arbetsförmedlingen'),
          email: { kind: 'email', optional: true, example: 'registrator@example.se', description: 'Utan adress expedieras beslutet på annat sätt (kansliet får en lista)' },
        },
      },
    },
    followUps: {
      kind: 'list',
      maxItems: 20,
      description: 'Uppföljningarna beslutet begär, var och en på ett sammanträde.',
      of: {
        kind: 'object',
        name: 'FollowUpDto',
        description: 'En uppföljning.',
        fields: {
          key: {
            kind: 'text',
            maxLength: 64,
            pattern: { regex: /^[a-z0-9][a-z0-9-]{0,63}$/, message: '$property får bara ha små bokstäver a–z, siffror och bindestreck' },
            example: 'muntlig-avstamning-september',
            description: 'Uppföljningens nyckel, stabil inom ärendet.',
          },
          kind: { kind: 'oneOf', values: FOLLOW_UP_KINDS, description: 'Muntlig avstämning eller skriftlig utvärdering (den avslutar ärendet).' },
          meetingId: nonEmpty(64, 'Sammanträdet i sammanträdesplanen där uppföljningen redovisas', 'bin-2018-09'),
        },
      },
    },
  },
} as const satisfies EventField;

/** The proposal as validated, before the service looks up the partner, the officials and the meetings. */
export type ProposalBody = FieldValue<typeof PROPOSAL_FIELD>;

/** How each field of those events is sent: the API's validation and its documentation are derived from this. */
export const FUNDING_DECISION_EVENT_FIELDS = {
  proposal: PROPOSAL_FIELD,
  meeting: { kind: 'text', maxLength: 64, body: 'meetingId', example: 'bin-2018-06', description: 'Sammanträdet (dess id i sammanträdesplanen).' },
  outcome: { kind: 'oneOf', values: DECISION_OUTCOMES, description: 'Nämndens beslut.' },
  paragraph: { kind: 'text', maxLength: 50, example: '§ 87', description: 'Protokollets paragraf.' },
  reason: { kind: 'text', maxLength: 2000, description: 'Skälet; sparas i historiken.' },
  key: { kind: 'text', maxLength: 64, example: 'muntlig-avstamning-september', description: 'Uppföljningens nyckel.' },
  heldOn: { kind: 'date', example: '2018-09-25', description: 'Dagen uppföljningen hölls eller redovisades.' },
  note: { kind: 'text', maxLength: 2000, description: 'Anteckning.' },
} as const satisfies { readonly [F in PersonEventField]: EventField };

/** An event body's fields as validated (all optional; the events' `required` says which an event needs). */
export type FundingEventFieldValues = EventFieldValues<typeof FUNDING_DECISION_EVENT_FIELDS>;

/** An event's fields, checked against its type in types.ts; required unless given otherwise. */
function described<T extends FundingDecisionEventType>(
  type: T,
  fields: readonly FieldOf<T>[],
  required: readonly RequiredFieldOf<T>[] = fields,
): EventDescription<FieldOf<T>> {
  const endpoint = (OWN_ENDPOINTS as Partial<Record<FundingDecisionEventType, string>>)[type];
  return {
    label: EVENT_LABELS[type],
    fields,
    required,
    ...((TIMER_EVENT_TYPES as readonly string[]).includes(type) ? { clock: true } : {}),
    ...(endpoint ? { endpoint } : {}),
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
  eventFields: FUNDING_DECISION_EVENT_FIELDS,
  stateLabels: STATE_LABELS,
  unsupportedVersionMessage,
  deadlines: deadlinesOf,
  reminders: reminderSchedule,
  deadlineLabels: DEADLINE_LABELS,
  rules: fundingDecisionRules,
  noun: { indefinite: 'beslut om medel', definite: 'Beslutet om medel' },
};
