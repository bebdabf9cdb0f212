import { and, assign, setup } from 'xstate';
import { addDays, addMonths, isAfter, isOnOrAfter } from '../calendar/calendar';
import { areTermsComplete, termsConsistencyProblems } from './terms';
import {
  TERMINATION_GROUNDS,
  type AgreementContext,
  type AgreementEvent,
  type AgreementInput,
  type ExtensionDecision,
  type PartyAct,
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
            actions: ['recordSignature', 'fixValidity'],
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
            actions: ['recordTerminationConsent', 'terminateByAgreement', 'closeDecision'],
          },
          { guard: 'partyHasNotConsentedToTermination', actions: 'recordTerminationConsent' },
        ],
        DECLARE_TERMINATION: { guard: 'declarationValid', target: 'terminated', actions: ['terminateByDeclaration', 'closeDecision'] },
      },
      states: {
        signed: {
          on: { START_DATE_REACHED: { guard: 'startDateReached', target: 'active' } },
        },
        active: {
          on: {
            DECISION_WINDOW_OPENED: { guard: 'decisionWindowReached', target: 'extensionDecision', actions: 'openDecision' },
            END_DATE_PASSED: { guard: 'endDatePassed', target: '#agreement.expired' },
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
            END_DATE_PASSED: { guard: 'endDatePassed', target: '#agreement.expired', actions: 'closeDecision' },
          },
          states: {
            pending: {
              on: { DECISION_DEADLINE_PASSED: { guard: 'decisionDeadlinePassed', target: 'overdue' } },
            },
            overdue: {},
          },
        },
        extensionRefused: {
          on: { END_DATE_PASSED: { guard: 'endDatePassed', target: '#agreement.expired' } },
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
