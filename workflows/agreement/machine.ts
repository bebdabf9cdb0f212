import { and, assign, setup } from 'xstate';
import { addDays, addMonths, isAfter, isCalendarDate, isOnOrAfter, yearOf } from '../calendar/calendar';
import { newlyOverdue } from './follow-up';
import { amendedEconomicsProblems, areTermsComplete, termsConsistencyProblems } from './terms';
import {
  TERMINATION_GROUNDS,
  type AgreementContext,
  type AgreementEvent,
  type AgreementInput,
  type Amendment,
  type ExtensionDecision,
  type PartyAct,
  type TermsVersion,
} from './types';

/**
 * The IOP agreement lifecycle. Pure: every event carries the date it happens on,
 * deadlines are computed by deadlines.ts and fired by the service as events.
 */

type EventOf<T extends AgreementEvent['type']> = Extract<AgreementEvent, { type: T }>;

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;

const isParty = (context: AgreementContext, organisationId: string): boolean =>
  context.terms.parties.some((p) => p.organisationId === organisationId);

const hasActed = (acts: PartyAct[], organisationId: string): boolean => acts.some((a) => a.organisationId === organisationId);

const isLastMissing = (context: AgreementContext, acts: PartyAct[], organisationId: string): boolean =>
  context.terms.parties.every((p) => p.organisationId === organisationId || hasActed(acts, p.organisationId));

/** The date the decision for the coming extension is due ("senast tre månader före utgången"). */
export function decisionDueDate(context: AgreementContext): string | null {
  const { endDate } = context;
  const extension = context.terms.extension;
  if (endDate === null || extension === null) return null;
  return addMonths(endDate, -extension.decisionNoticeMonths);
}

/** The date the decision phase opens. */
export function decisionWindowOpens(context: AgreementContext): string | null {
  const due = decisionDueDate(context);
  const extension = context.terms.extension;
  if (due === null || extension === null) return null;
  return addMonths(due, -extension.decisionWindowMonths);
}

/** The terms every party signed, as the first version of the terms. */
function signedVersion(context: AgreementContext): TermsVersion {
  const start = context.terms.validity.startDate;
  return {
    version: 1,
    effectiveFromYear: start ? yearOf(start) : 0,
    economics: context.terms.economics,
    reason: null,
    proposedOn: null,
    agreedBy: context.signatures,
  };
}

/**
 * Why new terms cannot take effect from `year`, in Swedish, or null when they can: from a coming
 * calendar year, after the latest version's year, and while the agreement is in force.
 */
export function amendmentYearProblem(context: AgreementContext, year: number, today: string): string | null {
  const latest = context.termsVersions.at(-1)?.effectiveFromYear ?? 0;
  if (!Number.isInteger(year) || year <= yearOf(today)) return `Ett tillägg gäller från ett kommande kalenderår, tidigast ${yearOf(today) + 1}.`;
  if (year <= latest) return `Villkoren har redan ändrats från ${latest}; ett nytt tillägg kan gälla tidigast från ${latest + 1}.`;
  if (context.endDate === null || year > yearOf(context.endDate)) {
    return `Överenskommelsen gäller till och med ${context.endDate ?? '–'}; ett tillägg kan inte börja gälla ${year}.`;
  }
  return null;
}

export function extensionsRemaining(context: AgreementContext): number {
  const max = context.terms.extension?.maxExtensions ?? 0;
  return Math.max(0, max - context.extensionsUsed);
}

export const agreementMachine = setup({
  types: {
    context: {} as AgreementContext,
    events: {} as AgreementEvent,
    input: {} as AgreementInput,
  },
  guards: {
    termsComplete: ({ context }) => areTermsComplete(context.terms),
    termsConsistent: ({ event }) =>
      event.type === 'UPDATE_TERMS' && termsConsistencyProblems(event.terms).length === 0,
    reasonGiven: ({ event }) => 'reason' in event && hasText(event.reason),
    partyHasNotSigned: ({ context, event }) =>
      event.type === 'SIGN' && isParty(context, event.organisationId) && !hasActed(context.signatures, event.organisationId),
    isLastSignature: ({ context, event }) =>
      event.type === 'SIGN' && isLastMissing(context, context.signatures, event.organisationId),
    partyReturnsWithReason: ({ context, event }) =>
      event.type === 'RETURN_TO_DRAFT' && isParty(context, event.organisationId) && hasText(event.reason),
    startDateReached: ({ context, event }) => context.periodStart !== null && isOnOrAfter(event.today, context.periodStart),
    decisionWindowReached: ({ context, event }) => {
      const opens = decisionWindowOpens(context);
      return extensionsRemaining(context) > 0 && opens !== null && isOnOrAfter(event.today, opens);
    },
    partyHasNotDecided: ({ context, event }) =>
      (event.type === 'CONSENT_TO_EXTENSION' || event.type === 'REFUSE_EXTENSION') &&
      context.decision !== null &&
      isParty(context, event.organisationId) &&
      !hasActed(context.decision.consents, event.organisationId) &&
      context.endDate !== null &&
      !isAfter(event.today, context.endDate),
    isLastConsent: ({ context, event }) =>
      event.type === 'CONSENT_TO_EXTENSION' &&
      context.decision !== null &&
      isLastMissing(context, context.decision.consents, event.organisationId),
    decisionDeadlinePassed: ({ context, event }) =>
      context.decision !== null && isAfter(event.today, context.decision.dueDate),
    newPeriodReached: ({ context, event }) => context.periodStart !== null && isOnOrAfter(event.today, context.periodStart),
    endDatePassed: ({ context, event }) => context.endDate !== null && isAfter(event.today, context.endDate),
    partyHasNotConsentedToTermination: ({ context, event }) =>
      event.type === 'CONSENT_TO_TERMINATION' &&
      isParty(context, event.organisationId) &&
      !hasActed(context.terminationConsents, event.organisationId),
    isLastTerminationConsent: ({ context, event }) =>
      event.type === 'CONSENT_TO_TERMINATION' && isLastMissing(context, context.terminationConsents, event.organisationId),
    declarationValid: ({ context, event }) =>
      event.type === 'DECLARE_TERMINATION' &&
      (event.declaredBy === 'secretariat' || isParty(context, event.declaredBy)) &&
      TERMINATION_GROUNDS.includes(event.ground) &&
      hasText(event.reason),
    settlementValid: ({ context, event }) =>
      event.type === 'RECORD_SETTLEMENT' &&
      event.lines.every((l) => isParty(context, l.organisationId) && Number.isSafeInteger(l.amountKr) && l.amountKr >= 0) &&
      new Set(event.lines.map((l) => l.organisationId)).size === event.lines.length,
    meetingRecordable: ({ context, event }) => {
      if (event.type !== 'RECORD_FOLLOW_UP_MEETING' || !((context.terms.followUp?.meetingsPerYear ?? 0) > 0)) return false;
      const start = context.terms.validity.startDate;
      const { heldOn, today } = event;
      return isCalendarDate(heldOn) && start !== null && context.endDate !== null && !isAfter(heldOn, today) && isOnOrAfter(heldOn, start) && !isAfter(heldOn, context.endDate);
    },
    reportSubmittable: ({ context, event }) => {
      if (event.type !== 'SUBMIT_YEARLY_REPORT' || !context.terms.followUp?.yearlyReport) return false;
      const start = context.terms.validity.startDate;
      const party = context.terms.parties.find((p) => p.organisationId === event.organisationId);
      return (
        party?.kind === 'civil_society' &&
        start !== null &&
        context.endDate !== null &&
        Number.isInteger(event.year) &&
        event.year >= yearOf(start) &&
        event.year <= Math.min(yearOf(context.endDate), yearOf(event.today)) &&
        !context.followUps.some((r) => r.duty === 'yearly_report' && r.year === event.year)
      );
    },
    followUpOverdue: ({ context, event }) => newlyOverdue(context, event.today).length > 0,
    amendmentProposable: ({ context, event }) =>
      event.type === 'PROPOSE_AMENDMENT' &&
      context.amendment === null &&
      hasText(event.reason) &&
      amendmentYearProblem(context, event.effectiveFromYear, event.today) === null &&
      amendedEconomicsProblems(event.economics, context.terms.parties.map((p) => p.organisationId)).length === 0,
    amendmentPending: ({ context }) => context.amendment !== null,
    partyHasNotAgreedToAmendment: ({ context, event }) =>
      (event.type === 'AGREE_TO_AMENDMENT' || event.type === 'REFUSE_AMENDMENT') &&
      context.amendment !== null &&
      isParty(context, event.organisationId) &&
      !hasActed(context.amendment.agreements, event.organisationId),
    isLastAmendmentAgreement: ({ context, event }) =>
      event.type === 'AGREE_TO_AMENDMENT' && context.amendment !== null && isLastMissing(context, context.amendment.agreements, event.organisationId),
  },
  actions: {
    recordDecline: assign({ declineReason: ({ event }) => (event as EventOf<'DECLINE_INITIATIVE'>).reason.trim() }),
    replaceTerms: assign({ terms: ({ event }) => (event as EventOf<'UPDATE_TERMS'>).terms }),
    openSigning: assign({
      signingSince: ({ event }) => event.today,
      signingRound: ({ context }) => context.signingRound + 1,
      signatures: () => [],
      lastReturn: () => null,
    }),
    recordSignature: assign({
      signatures: ({ context, event }) => {
        const { organisationId, today } = event as EventOf<'SIGN'>;
        return [...context.signatures, { organisationId, on: today }];
      },
    }),
    fixValidity: assign({
      periodStart: ({ context }) => context.terms.validity.startDate,
      endDate: ({ context }) => context.terms.validity.endDate,
    }),
    returnToDraft: assign({
      signatures: () => [],
      signingSince: () => null,
      lastReturn: ({ event }) => {
        const { organisationId, reason, today } = event as EventOf<'RETURN_TO_DRAFT'>;
        return { organisationId, reason: reason.trim(), on: today };
      },
    }),
    openDecision: assign({
      decision: ({ context }): ExtensionDecision => ({
        cycle: context.extensionsUsed + 1,
        dueDate: decisionDueDate(context) ?? '',
        consents: [],
        refusal: null,
      }),
    }),
    recordConsent: assign({
      decision: ({ context, event }) => {
        const { organisationId, today } = event as EventOf<'CONSENT_TO_EXTENSION'>;
        const decision = context.decision as ExtensionDecision;
        return { ...decision, consents: [...decision.consents, { organisationId, on: today }] };
      },
    }),
    recordRefusal: assign({
      decision: ({ context, event }) => {
        const { organisationId, today, reason } = event as EventOf<'REFUSE_EXTENSION'>;
        const decision = context.decision as ExtensionDecision;
        return { ...decision, refusal: { organisationId, on: today, reason: reason.trim() } };
      },
    }),
    closeDecision: assign({
      pastDecisions: ({ context }) => (context.decision ? [...context.pastDecisions, context.decision] : context.pastDecisions),
      decision: () => null,
    }),
    extend: assign(({ context }) => {
      const months = context.terms.extension?.periodMonths ?? 0;
      const oldEnd = context.endDate as string;
      return {
        periodStart: addDays(oldEnd, 1),
        endDate: addMonths(oldEnd, months),
        extensionsUsed: context.extensionsUsed + 1,
      };
    }),
    recordTerminationConsent: assign({
      terminationConsents: ({ context, event }) => {
        const { organisationId, today } = event as EventOf<'CONSENT_TO_TERMINATION'>;
        return [...context.terminationConsents, { organisationId, on: today }];
      },
    }),
    terminateByAgreement: assign({
      termination: ({ event }) => ({ kind: 'mutual' as const, effectiveOn: event.today, declaredBy: null, ground: null, reason: null }),
    }),
    terminateByDeclaration: assign({
      termination: ({ event }) => {
        const { declaredBy, ground, reason, today } = event as EventOf<'DECLARE_TERMINATION'>;
        return { kind: 'declared' as const, effectiveOn: today, declaredBy, ground, reason: reason.trim() };
      },
    }),
    recordSettlement: assign({
      settlement: ({ event }) => {
        const { lines, note, today } = event as EventOf<'RECORD_SETTLEMENT'>;
        return { recordedOn: today, lines: lines.map((l) => ({ ...l })), note: note.trim() };
      },
    }),
    adoptSignedTerms: assign({ termsVersions: ({ context }) => [signedVersion(context)] }),
    recordMeeting: assign({
      followUps: ({ context, event }) => {
        const { heldOn } = event as EventOf<'RECORD_FOLLOW_UP_MEETING'>;
        return [...context.followUps, { duty: 'meeting' as const, year: yearOf(heldOn), on: heldOn, organisationId: null }];
      },
    }),
    recordReport: assign({
      followUps: ({ context, event }) => {
        const { year, organisationId, today } = event as EventOf<'SUBMIT_YEARLY_REPORT'>;
        return [...context.followUps, { duty: 'yearly_report' as const, year, on: today, organisationId }];
      },
    }),
    markFollowUpsOverdue: assign({
      overdueFollowUps: ({ context, event }) => [
        ...context.overdueFollowUps,
        ...newlyOverdue(context, event.today).map((o) => ({ duty: o.duty, year: o.year, dueDate: o.dueDate, on: event.today })),
      ],
    }),
    openAmendment: assign({
      amendment: ({ context, event }): Amendment => {
        const { effectiveFromYear, economics, reason, today } = event as EventOf<'PROPOSE_AMENDMENT'>;
        return { version: Math.max(1, context.termsVersions.length) + 1, proposedOn: today, effectiveFromYear, economics, reason: reason.trim(), agreements: [] };
      },
    }),
    recordAmendmentAgreement: assign({
      amendment: ({ context, event }) => {
        const { organisationId, today } = event as EventOf<'AGREE_TO_AMENDMENT'>;
        const amendment = context.amendment as Amendment;
        return { ...amendment, agreements: [...amendment.agreements, { organisationId, on: today }] };
      },
    }),
    adoptAmendment: assign(({ context }) => {
      const amendment = context.amendment as Amendment;
      const earlier = context.termsVersions.length > 0 ? context.termsVersions : [signedVersion(context)];
      const adopted: TermsVersion = {
        version: amendment.version,
        effectiveFromYear: amendment.effectiveFromYear,
        economics: amendment.economics,
        reason: amendment.reason,
        proposedOn: amendment.proposedOn,
        agreedBy: amendment.agreements,
      };
      return { termsVersions: [...earlier, adopted], terms: { ...context.terms, economics: amendment.economics }, amendment: null };
    }),
    dropAmendment: assign({ amendment: () => null }),
  },
}).createMachine({
  id: 'agreement',
  context: ({ input }) => ({
    agreementId: input.agreementId,
    proposedBy: input.proposedBy,
    proposedOn: input.proposedOn,
    terms: input.terms,
    periodStart: null,
    endDate: null,
    extensionsUsed: 0,
    signingSince: null,
    signingRound: 0,
    signatures: [],
    decision: null,
    pastDecisions: [],
    terminationConsents: [],
    termination: null,
    settlement: null,
    declineReason: null,
    lastReturn: null,
    followUps: [],
    overdueFollowUps: [],
    termsVersions: [],
    amendment: null,
  }),
  initial: 'initiative',
  states: {
    initiative: {
      on: {
        ACCEPT_INITIATIVE: { target: 'draft' },
        DECLINE_INITIATIVE: { guard: 'reasonGiven', target: 'declined', actions: 'recordDecline' },
        UPDATE_TERMS: { guard: 'termsConsistent', actions: 'replaceTerms' },
      },
    },
    declined: { type: 'final' },
    draft: {
      on: {
        UPDATE_TERMS: { guard: 'termsConsistent', actions: 'replaceTerms' },
        SEND_FOR_SIGNING: { guard: 'termsComplete', target: 'signing', actions: 'openSigning' },
      },
    },
    signing: {
      on: {
        SIGN: [
          {
            guard: and(['partyHasNotSigned', 'isLastSignature']),
            target: 'inForce',
            actions: ['recordSignature', 'fixValidity', 'adoptSignedTerms'],
          },
          { guard: 'partyHasNotSigned', actions: 'recordSignature' },
        ],
        RETURN_TO_DRAFT: { guard: 'partyReturnsWithReason', target: 'draft', actions: 'returnToDraft' },
      },
    },
    inForce: {
      initial: 'signed',
      on: {
        CONSENT_TO_TERMINATION: [
          {
            guard: and(['partyHasNotConsentedToTermination', 'isLastTerminationConsent']),
            target: 'terminated',
            actions: ['recordTerminationConsent', 'terminateByAgreement', 'closeDecision', 'dropAmendment'],
          },
          { guard: 'partyHasNotConsentedToTermination', actions: 'recordTerminationConsent' },
        ],
        DECLARE_TERMINATION: { guard: 'declarationValid', target: 'terminated', actions: ['terminateByDeclaration', 'closeDecision', 'dropAmendment'] },
        RECORD_FOLLOW_UP_MEETING: { guard: 'meetingRecordable', actions: 'recordMeeting' },
        SUBMIT_YEARLY_REPORT: { guard: 'reportSubmittable', actions: 'recordReport' },
        FOLLOW_UP_OVERDUE: { guard: 'followUpOverdue', actions: 'markFollowUpsOverdue' },
        PROPOSE_AMENDMENT: { guard: 'amendmentProposable', actions: 'openAmendment' },
        AGREE_TO_AMENDMENT: [
          {
            guard: and(['partyHasNotAgreedToAmendment', 'isLastAmendmentAgreement']),
            actions: ['recordAmendmentAgreement', 'adoptAmendment'],
          },
          { guard: 'partyHasNotAgreedToAmendment', actions: 'recordAmendmentAgreement' },
        ],
        REFUSE_AMENDMENT: { guard: and(['partyHasNotAgreedToAmendment', 'reasonGiven']), actions: 'dropAmendment' },
        WITHDRAW_AMENDMENT: { guard: and(['amendmentPending', 'reasonGiven']), actions: 'dropAmendment' },
      },
      states: {
        signed: {
          on: { START_DATE_REACHED: { guard: 'startDateReached', target: 'active' } },
        },
        active: {
          on: {
            DECISION_WINDOW_OPENED: { guard: 'decisionWindowReached', target: 'extensionDecision', actions: 'openDecision' },
            END_DATE_PASSED: { guard: 'endDatePassed', target: '#agreement.expired', actions: 'dropAmendment' },
          },
        },
        extensionDecision: {
          initial: 'pending',
          on: {
            CONSENT_TO_EXTENSION: [
              {
                guard: and(['partyHasNotDecided', 'isLastConsent']),
                target: 'renewed',
                actions: ['recordConsent', 'closeDecision', 'extend'],
              },
              { guard: 'partyHasNotDecided', actions: 'recordConsent' },
            ],
            REFUSE_EXTENSION: {
              guard: and(['partyHasNotDecided', 'reasonGiven']),
              target: 'extensionRefused',
              actions: ['recordRefusal', 'closeDecision'],
            },
            END_DATE_PASSED: { guard: 'endDatePassed', target: '#agreement.expired', actions: ['closeDecision', 'dropAmendment'] },
          },
          states: {
            pending: {
              on: { DECISION_DEADLINE_PASSED: { guard: 'decisionDeadlinePassed', target: 'overdue' } },
            },
            overdue: {},
          },
        },
        extensionRefused: {
          on: { END_DATE_PASSED: { guard: 'endDatePassed', target: '#agreement.expired', actions: 'dropAmendment' } },
        },
        renewed: {
          on: { NEW_PERIOD_STARTED: { guard: 'newPeriodReached', target: 'active' } },
        },
      },
    },
    expired: { type: 'final' },
    terminated: {
      initial: 'awaitingSettlement',
      states: {
        awaitingSettlement: {
          on: { RECORD_SETTLEMENT: { guard: 'settlementValid', target: 'settled', actions: 'recordSettlement' } },
        },
        settled: { type: 'final' },
      },
    },
  },
});

export type AgreementMachine = typeof agreementMachine;
