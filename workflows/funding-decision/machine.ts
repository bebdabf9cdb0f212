import { and, assign, setup } from 'xstate';
import { isCalendarDate, isOnOrAfter } from '../calendar/calendar';
import { validateMeeting, type CommitteeMeeting } from '../calendar/meetings';
import { agendaPending, followUpOf, isProposalComplete, isRecorded, newlyOverdue, proposalConsistencyProblems, referencesMeeting } from './proposal';
import {
  DECISION_OUTCOMES,
  type CommitteeDecision,
  type FundingDecisionContext,
  type FundingDecisionEvent,
  type FundingDecisionInput,
} from './types';

/**
 * The funding decision (beslut om medel) lifecycle. Pure: every event carries the day it happens on,
 * deadlines are computed by deadlines.ts and fired by the service as events, and the decision's
 * expediering is an action emitted as data for the service to carry out after it commits.
 */

type EventOf<T extends FundingDecisionEvent['type']> = Extract<FundingDecisionEvent, { type: T }>;

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;

/** A meeting of the case's own committee that the plan could hold. */
const isOwnMeeting = (context: FundingDecisionContext, meeting: CommitteeMeeting): boolean =>
  validateMeeting(meeting) === null && meeting.committee === context.committee;

/** What the service needs to send the decision: everything is in the context, named here so the action is data. */
export interface ExpediteDecisionParams {
  caseId: string;
  outcome: CommitteeDecision['outcome'] | null;
  paragraph: string | null;
  recipients: FundingDecisionContext['proposal']['recipients'];
}

/** Sending the decision: recorded in the context, and emitted for the service, in that order. */
const SEND = [
  'recordExpedition',
  {
    type: 'expediteDecision',
    params: ({ context }: { context: FundingDecisionContext }): ExpediteDecisionParams => ({
      caseId: context.caseId,
      outcome: context.decision?.outcome ?? null,
      paragraph: context.decision?.paragraph ?? null,
      recipients: context.proposal.recipients.map((r) => ({ ...r })),
    }),
  },
] as const;

export const fundingDecisionMachine = setup({
  types: {
    context: {} as FundingDecisionContext,
    events: {} as FundingDecisionEvent,
    input: {} as FundingDecisionInput,
  },
  guards: {
    proposalConsistent: ({ event }) => event.type === 'UPDATE_PROPOSAL' && proposalConsistencyProblems(event.proposal).length === 0,
    proposalComplete: ({ context }) => isProposalComplete(context),
    meetingPlaceable: ({ context, event }) =>
      event.type === 'PLACE_ON_AGENDA' && isOwnMeeting(context, event.meeting) && isOnOrAfter(event.meeting.date, event.today),
    reasonGiven: ({ event }) => 'reason' in event && hasText(event.reason),
    meetingHeld: ({ context, event }) => context.agenda !== null && isOnOrAfter(event.today, context.agenda.date),
    decisionValid: ({ event }) => event.type === 'DECIDE' && DECISION_OUTCOMES.includes(event.outcome) && hasText(event.paragraph),
    isGrant: ({ event }) => event.type === 'DECIDE' && event.outcome === 'granted',
    periodStarted: ({ context, event }) => isOnOrAfter(event.today, context.proposal.period.startDate),
    followUpRecordable: ({ context, event }) =>
      event.type === 'RECORD_FOLLOW_UP' &&
      followUpOf(context, event.key) !== undefined &&
      !isRecorded(context, event.key) &&
      isCalendarDate(event.heldOn) &&
      isOnOrAfter(event.today, event.heldOn) &&
      (event.note === undefined || typeof event.note === 'string'),
    isOralCheckIn: ({ context, event }) => event.type === 'RECORD_FOLLOW_UP' && followUpOf(context, event.key)?.kind === 'oral_check_in',
    isWrittenEvaluation: ({ context, event }) => event.type === 'RECORD_FOLLOW_UP' && followUpOf(context, event.key)?.kind === 'written_evaluation',
    notYetSent: ({ context }) => context.expeditedOn === null,
    meetingReschedulable: ({ context, event }) =>
      event.type === 'MEETING_RESCHEDULED' && isOwnMeeting(context, event.meeting) && referencesMeeting(context, event.meeting.meetingId),
    followUpOverdue: ({ context, event }) => newlyOverdue(context, event.today).length > 0,
  },
  actions: {
    replaceProposal: assign({ proposal: ({ event }) => (event as EventOf<'UPDATE_PROPOSAL'>).proposal }),
    placeOnAgenda: assign({ agenda: ({ event }) => ({ ...(event as EventOf<'PLACE_ON_AGENDA'>).meeting }) }),
    recordTakenOff: assign({
      takenOffAgenda: ({ context, event }) => {
        const { reason, today } = event as EventOf<'TAKE_OFF_AGENDA'>;
        return [...context.takenOffAgenda, { meetingId: context.agenda?.meetingId ?? '', on: today, reason: reason.trim() }];
      },
      agenda: () => null,
    }),
    recordReferral: assign({
      referrals: ({ context, event }) => {
        const { reason, today } = event as EventOf<'REFER_BACK'>;
        return [...context.referrals, { meetingId: context.agenda?.meetingId ?? '', on: today, reason: reason.trim() }];
      },
      agenda: () => null,
    }),
    recordDecision: assign({
      decision: ({ context, event }): CommitteeDecision => {
        const { outcome, paragraph, today } = event as EventOf<'DECIDE'>;
        const agenda = context.agenda as CommitteeMeeting;
        return { outcome, decidedOn: agenda.date, recordedOn: today, meetingId: agenda.meetingId, paragraph: paragraph.trim() };
      },
    }),
    recordWithdrawal: assign({
      withdrawal: ({ event }) => {
        const { reason, today } = event as EventOf<'WITHDRAW'>;
        return { on: today, reason: reason.trim() };
      },
      agenda: () => null,
    }),
    recordFollowUp: assign({
      followUpRecords: ({ context, event }) => {
        const { key, heldOn, note, today } = event as EventOf<'RECORD_FOLLOW_UP'>;
        return [...context.followUpRecords, { key, heldOn, recordedOn: today, note: hasText(note) ? (note as string).trim() : null }];
      },
    }),
    recordExpedition: assign({ expeditedOn: ({ event }) => event.today }),
    // No implementation: the service sends the e-mails after the transition commits. Emitted as data.
    expediteDecision: (_, _params: ExpediteDecisionParams) => undefined,
    moveMeeting: assign(({ context, event }) => {
      const { meeting } = event as EventOf<'MEETING_RESCHEDULED'>;
      const moved = (m: CommitteeMeeting): CommitteeMeeting => (m.meetingId === meeting.meetingId ? { ...meeting } : m);
      const movedKeys = context.proposal.followUps.filter((f) => f.meeting.meetingId === meeting.meetingId).map((f) => f.key);
      return {
        agenda: context.agenda && agendaPending(context) ? moved(context.agenda) : context.agenda,
        proposal: { ...context.proposal, followUps: context.proposal.followUps.map((f) => ({ ...f, meeting: moved(f.meeting) })) },
        // A moved meeting has not passed yet as far as the case knows: the clock marks it again if it has.
        overdueFollowUps: context.overdueFollowUps.filter((o) => !movedKeys.includes(o.key)),
      };
    }),
    markFollowUpsOverdue: assign({
      overdueFollowUps: ({ context, event }) => [
        ...context.overdueFollowUps,
        ...newlyOverdue(context, event.today).map((f) => ({ key: f.key, meetingDate: f.meeting.date, on: event.today })),
      ],
    }),
  },
}).createMachine({
  id: 'fundingDecision',
  context: ({ input }) => ({
    ...input,
    agenda: null,
    decision: null,
    referrals: [],
    takenOffAgenda: [],
    followUpRecords: [],
    overdueFollowUps: [],
    expeditedOn: null,
    withdrawal: null,
  }),
  initial: 'preparation',
  states: {
    preparation: {
      on: {
        UPDATE_PROPOSAL: { guard: 'proposalConsistent', actions: 'replaceProposal' },
        PLACE_ON_AGENDA: { guard: and(['meetingPlaceable', 'proposalComplete']), target: 'on_agenda', actions: 'placeOnAgenda' },
        WITHDRAW: { guard: 'reasonGiven', target: 'withdrawn', actions: 'recordWithdrawal' },
        MEETING_RESCHEDULED: { guard: 'meetingReschedulable', actions: 'moveMeeting' },
      },
    },
    on_agenda: {
      on: {
        TAKE_OFF_AGENDA: { guard: 'reasonGiven', target: 'preparation', actions: 'recordTakenOff' },
        DECIDE: [
          { guard: and(['meetingHeld', 'decisionValid', 'isGrant', 'periodStarted']), target: 'in_progress', actions: 'recordDecision' },
          { guard: and(['meetingHeld', 'decisionValid', 'isGrant']), target: 'granted', actions: 'recordDecision' },
          { guard: and(['meetingHeld', 'decisionValid']), target: 'refused', actions: 'recordDecision' },
        ],
        REFER_BACK: { guard: and(['meetingHeld', 'reasonGiven']), target: 'preparation', actions: 'recordReferral' },
        WITHDRAW: { guard: 'reasonGiven', target: 'withdrawn', actions: 'recordWithdrawal' },
        MEETING_RESCHEDULED: { guard: 'meetingReschedulable', actions: 'moveMeeting' },
      },
    },
    granted: {
      on: {
        PERIOD_STARTED: { guard: 'periodStarted', target: 'in_progress' },
        // Only check-ins before the period starts: the evaluation is of work that has begun.
        RECORD_FOLLOW_UP: { guard: and(['followUpRecordable', 'isOralCheckIn']), actions: 'recordFollowUp' },
        FOLLOW_UP_OVERDUE: { guard: 'followUpOverdue', actions: 'markFollowUpsOverdue' },
        MEETING_RESCHEDULED: { guard: 'meetingReschedulable', actions: 'moveMeeting' },
        SEND_DECISION: { guard: 'notYetSent', actions: SEND },
      },
    },
    refused: {
      on: { SEND_DECISION: { guard: 'notYetSent', actions: SEND } },
    },
    in_progress: {
      on: {
        RECORD_FOLLOW_UP: [
          { guard: and(['followUpRecordable', 'isWrittenEvaluation']), target: 'closed', actions: 'recordFollowUp' },
          { guard: 'followUpRecordable', actions: 'recordFollowUp' },
        ],
        FOLLOW_UP_OVERDUE: { guard: 'followUpOverdue', actions: 'markFollowUpsOverdue' },
        MEETING_RESCHEDULED: { guard: 'meetingReschedulable', actions: 'moveMeeting' },
        SEND_DECISION: { guard: 'notYetSent', actions: SEND },
      },
    },
    // Not an xstate final state: a closed case may still have its decision sent, once.
    closed: {
      on: { SEND_DECISION: { guard: 'notYetSent', actions: SEND } },
    },
    withdrawn: { type: 'final' },
  },
});

export type FundingDecisionMachine = typeof fundingDecisionMachine;
