/**
 * Test data for the agreement lifecycle, built from the two real agreements in
 * /work/shared/seeds: Bromodellen (000) and Hoppfull framtid (001).
 * Every factory returns fresh objects, so a test can change what it got freely.
 */
import { startAgreement, stateCodeOf, step, type AgreementStateCode, type PersistedAgreement } from '../persistence';
import {
  DEFAULT_EXTENSION_TERMS,
  type AgreementEvent,
  type AgreementEventType,
  type AgreementInput,
  type AgreementTerms,
  type CalendarDate,
  type Economics,
  type FollowUpDuties,
  type SettlementLine,
  type TerminationGround,
} from '../types';

/**
 * Organisation ids. Linköpings kommun and Linköpings Stadsmission carry their
 * organisationsnummer from the seeds; the seeds give none for Bilda and
 * Erikshjälpen, so they get readable ids instead of invented numbers.
 */
export const ORG = {
  linkopingsKommun: '212000-0449',
  bilda: 'bilda-sydost',
  erikshjalpen: 'erikshjalpen-linkoping',
  stadsmissionen: '822001-0022',
  /** An organisation that is party to neither agreement. */
  rodaKorset: 'roda-korset-linkoping',
} as const;

/** Bromodellen (seed 000): Linköpings kommun, Bilda and Erikshjälpen, 2024-01-01–2025-12-31, two extensions of two years. */
export function bromodellenTerms(overrides: Partial<AgreementTerms> = {}): AgreementTerms {
  return {
    parties: [
      { organisationId: ORG.linkopingsKommun, name: 'Linköpings kommun', kind: 'municipality' },
      { organisationId: ORG.bilda, name: 'Studieförbundet Bilda Sydöst', kind: 'civil_society' },
      { organisationId: ORG.erikshjalpen, name: 'Erikshjälpen', kind: 'civil_society' },
    ],
    validity: { startDate: '2024-01-01', endDate: '2025-12-31' },
    // "två gånger två år", "senast tre månader före överenskommelsens utgång"
    extension: { periodMonths: 24, maxExtensions: 2, decisionNoticeMonths: 3, decisionWindowMonths: 6 },
    economics: {
      costLines: [
        { label: 'Undervisning, handledning, uppföljning (3 tjänster)', amountKr: 1_670_400 },
        { label: 'Handledarstöd (0,5 tjänst)', amountKr: 278_400 },
        { label: 'Lokaler', amountKr: 372_000 },
        { label: 'Utbildningsmaterial', amountKr: 48_000 },
      ],
      totalKr: 2_368_800,
      contributions: [
        { organisationId: ORG.linkopingsKommun, amountKr: 1_658_160, shareBasisPoints: 7000 },
        { organisationId: ORG.bilda, amountKr: 592_200, shareBasisPoints: 2500 },
        { organisationId: ORG.erikshjalpen, amountKr: 118_440, shareBasisPoints: 500 },
      ],
      indexationBasisPoints: 200,
    },
    ...overrides,
  };
}

/** Hoppfull framtid (seed 001): Linköpings kommun and Linköpings Stadsmission, 2018-01-01–2019-12-31, "två år i taget, högst två gånger". */
export function hoppfullFramtidTerms(overrides: Partial<AgreementTerms> = {}): AgreementTerms {
  return {
    parties: [
      { organisationId: ORG.linkopingsKommun, name: 'Linköpings kommun', kind: 'municipality' },
      { organisationId: ORG.stadsmissionen, name: 'Linköpings Stadsmission', kind: 'civil_society' },
    ],
    validity: { startDate: '2018-01-01', endDate: '2019-12-31' },
    extension: { ...DEFAULT_EXTENSION_TERMS, periodMonths: 24, maxExtensions: 2 },
    economics: {
      costLines: [
        { label: 'Heltidstjänst handläggarstöd', amountKr: 550_000 },
        { label: 'Heltidstjänst handläggarstöd', amountKr: 550_000 },
        { label: 'Yrkescoachning och verksamhetsledning', amountKr: 649_500 },
        { label: 'Utbildningslokal', amountKr: 120_000 },
        { label: 'Teknik, utbildning och utbildningsmaterial', amountKr: 70_000 },
        { label: 'Volontärinsats – mentorskap', amountKr: 141_000 },
      ],
      totalKr: 2_080_500,
      contributions: [
        { organisationId: ORG.linkopingsKommun, amountKr: 1_100_000, shareBasisPoints: 5287 },
        { organisationId: ORG.stadsmissionen, amountKr: 980_500, shareBasisPoints: 4713 },
      ],
      indexationBasisPoints: 0,
    },
    ...overrides,
  };
}

/**
 * Follow-up duties as Hoppfull framtid states them (seed 001, section 9): the parties meet at least once a
 * year, and the partner reports in writing once a year on a date the parties agree (here 31 March).
 */
export function followUpDuties(overrides: Partial<FollowUpDuties> = {}): FollowUpDuties {
  return { meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 }, ...overrides };
}

/**
 * Bromodellen's economics after an amendment: a fourth service at Bilda from a calendar year on
 * (invented figures), 2 829 600 kr a year, the kommun 70 %, Bilda 25 %, Erikshjälpen 5 %.
 */
export function amendedBromodellenEconomics(): Economics {
  const signed = bromodellenTerms().economics as Economics;
  const totalKr = 2_829_600;
  return {
    ...signed,
    costLines: [{ label: 'Undervisning, handledning, uppföljning (4 tjänster)', amountKr: 2_131_200 }, ...signed.costLines.slice(1)],
    totalKr,
    // The shares stay 70 / 25 / 5 %, and divide the new total exactly.
    contributions: signed.contributions.map((c) => ({ ...c, amountKr: (totalKr * c.shareBasisPoints) / 10_000 })),
  };
}

/** An initiative as a civil-society organisation first hands it in: parties and a rough budget, nothing else. */
export function roughInitiativeTerms(): AgreementTerms {
  const { parties } = bromodellenTerms();
  return { parties, validity: { startDate: null, endDate: null }, extension: null, economics: null };
}

export function bromodellenInput(overrides: Partial<AgreementInput> = {}): AgreementInput {
  return { agreementId: 'iop-bromodellen', proposedBy: ORG.bilda, proposedOn: '2023-09-15', terms: bromodellenTerms(), ...overrides };
}

export function hoppfullFramtidInput(overrides: Partial<AgreementInput> = {}): AgreementInput {
  return {
    agreementId: 'iop-hoppfull-framtid',
    proposedBy: ORG.stadsmissionen,
    proposedOn: '2017-09-01',
    terms: hoppfullFramtidTerms(),
    ...overrides,
  };
}

/** Event builders: who acts first, the day it happens last. */
export const ev = {
  accept: (today: CalendarDate): AgreementEvent => ({ type: 'ACCEPT_INITIATIVE', today }),
  decline: (reason: string, today: CalendarDate): AgreementEvent => ({ type: 'DECLINE_INITIATIVE', reason, today }),
  updateTerms: (terms: AgreementTerms, today: CalendarDate): AgreementEvent => ({ type: 'UPDATE_TERMS', terms, today }),
  sendForSigning: (today: CalendarDate): AgreementEvent => ({ type: 'SEND_FOR_SIGNING', today }),
  sign: (organisationId: string, today: CalendarDate): AgreementEvent => ({ type: 'SIGN', organisationId, today }),
  returnToDraft: (organisationId: string, reason: string, today: CalendarDate): AgreementEvent => ({
    type: 'RETURN_TO_DRAFT',
    organisationId,
    reason,
    today,
  }),
  startDateReached: (today: CalendarDate): AgreementEvent => ({ type: 'START_DATE_REACHED', today }),
  decisionWindowOpened: (today: CalendarDate): AgreementEvent => ({ type: 'DECISION_WINDOW_OPENED', today }),
  consentToExtension: (organisationId: string, today: CalendarDate): AgreementEvent => ({ type: 'CONSENT_TO_EXTENSION', organisationId, today }),
  refuseExtension: (organisationId: string, reason: string, today: CalendarDate): AgreementEvent => ({
    type: 'REFUSE_EXTENSION',
    organisationId,
    reason,
    today,
  }),
  decisionDeadlinePassed: (today: CalendarDate): AgreementEvent => ({ type: 'DECISION_DEADLINE_PASSED', today }),
  newPeriodStarted: (today: CalendarDate): AgreementEvent => ({ type: 'NEW_PERIOD_STARTED', today }),
  endDatePassed: (today: CalendarDate): AgreementEvent => ({ type: 'END_DATE_PASSED', today }),
  consentToTermination: (organisationId: string, today: CalendarDate): AgreementEvent => ({ type: 'CONSENT_TO_TERMINATION', organisationId, today }),
  declareTermination: (declaredBy: string, ground: TerminationGround, reason: string, today: CalendarDate): AgreementEvent => ({
    type: 'DECLARE_TERMINATION',
    declaredBy,
    ground,
    reason,
    today,
  }),
  recordSettlement: (lines: SettlementLine[], note: string, today: CalendarDate): AgreementEvent => ({
    type: 'RECORD_SETTLEMENT',
    lines,
    note,
    today,
  }),
  recordMeeting: (heldOn: CalendarDate, today: CalendarDate): AgreementEvent => ({ type: 'RECORD_FOLLOW_UP_MEETING', heldOn, today }),
  submitReport: (year: number, organisationId: string, today: CalendarDate): AgreementEvent => ({ type: 'SUBMIT_YEARLY_REPORT', year, organisationId, today }),
  followUpOverdue: (today: CalendarDate): AgreementEvent => ({ type: 'FOLLOW_UP_OVERDUE', today }),
  proposeAmendment: (effectiveFromYear: number, economics: Economics, reason: string, today: CalendarDate): AgreementEvent => ({
    type: 'PROPOSE_AMENDMENT',
    effectiveFromYear,
    economics,
    reason,
    today,
  }),
  agreeToAmendment: (organisationId: string, today: CalendarDate): AgreementEvent => ({ type: 'AGREE_TO_AMENDMENT', organisationId, today }),
  refuseAmendment: (organisationId: string, reason: string, today: CalendarDate): AgreementEvent => ({ type: 'REFUSE_AMENDMENT', organisationId, reason, today }),
  withdrawAmendment: (reason: string, today: CalendarDate): AgreementEvent => ({ type: 'WITHDRAW_AMENDMENT', reason, today }),
};

/** A well-formed event of every type, for checking that a state takes (or refuses) it. */
export function sampleEvent(type: AgreementEventType, today: CalendarDate, organisationId: string = ORG.linkopingsKommun): AgreementEvent {
  switch (type) {
    case 'ACCEPT_INITIATIVE':
      return ev.accept(today);
    case 'DECLINE_INITIATIVE':
      return ev.decline('Ryms inte i nämndens budget.', today);
    case 'UPDATE_TERMS':
      return ev.updateTerms(bromodellenTerms(), today);
    case 'SEND_FOR_SIGNING':
      return ev.sendForSigning(today);
    case 'SIGN':
      return ev.sign(organisationId, today);
    case 'RETURN_TO_DRAFT':
      return ev.returnToDraft(organisationId, 'Antalet platser ska stå i överenskommelsen.', today);
    case 'START_DATE_REACHED':
      return ev.startDateReached(today);
    case 'DECISION_WINDOW_OPENED':
      return ev.decisionWindowOpened(today);
    case 'CONSENT_TO_EXTENSION':
      return ev.consentToExtension(organisationId, today);
    case 'REFUSE_EXTENSION':
      return ev.refuseExtension(organisationId, 'Verksamheten ska upphandlas.', today);
    case 'DECISION_DEADLINE_PASSED':
      return ev.decisionDeadlinePassed(today);
    case 'NEW_PERIOD_STARTED':
      return ev.newPeriodStarted(today);
    case 'END_DATE_PASSED':
      return ev.endDatePassed(today);
    case 'CONSENT_TO_TERMINATION':
      return ev.consentToTermination(organisationId, today);
    case 'DECLARE_TERMINATION':
      return ev.declareTermination('secretariat', 'material_breach', 'Verksamheten har upphört.', today);
    case 'RECORD_SETTLEMENT':
      return ev.recordSettlement([{ organisationId, amountKr: 0 }], 'Inga kvarstående kostnader.', today);
    case 'RECORD_FOLLOW_UP_MEETING':
      return ev.recordMeeting(today, today);
    case 'SUBMIT_YEARLY_REPORT':
      return ev.submitReport(Number(today.slice(0, 4)) - 1, ORG.bilda, today);
    case 'FOLLOW_UP_OVERDUE':
      return ev.followUpOverdue(today);
    case 'PROPOSE_AMENDMENT':
      return ev.proposeAmendment(Number(today.slice(0, 4)) + 1, amendedBromodellenEconomics(), 'En fjärde tjänst hos Bilda.', today);
    case 'AGREE_TO_AMENDMENT':
      return ev.agreeToAmendment(organisationId, today);
    case 'REFUSE_AMENDMENT':
      return ev.refuseAmendment(organisationId, 'Ryms inte i budgeten.', today);
    case 'WITHDRAW_AMENDMENT':
      return ev.withdrawAmendment('Förslaget ersätts av ett nytt.', today);
  }
}

/** Applies the events in order; throws, naming the event, if one is refused. */
export function drive(persisted: PersistedAgreement, ...events: AgreementEvent[]): PersistedAgreement {
  let current = persisted;
  for (const event of events) {
    const result = step(current, event);
    if (!result.applied) {
      throw new Error(`${event.type} (${event.today}) refused in ${result.from}: ${result.reason}; the state takes ${result.allowed.join(', ')}`);
    }
    current = result.next;
  }
  return current;
}

/** The dates of the Bromodellen story that bromodellenAt() tells. */
export const BROMODELLEN_DAYS = {
  proposed: '2023-09-15',
  accepted: '2023-09-20',
  sentForSigning: '2023-11-20',
  signedByKommun: '2023-11-27',
  signedByBilda: '2023-11-28',
  signedByErikshjalpen: '2023-11-29',
  start: '2024-01-01',
  terminationDeclared: '2024-09-16',
  settlementRecorded: '2024-10-15',
  decisionWindowOpens: '2025-03-31',
  consents: '2025-06-10',
  decisionDue: '2025-09-30',
  decisionOverdue: '2025-10-01',
  end: '2025-12-31',
  dayAfterEnd: '2026-01-01',
} as const;

/** Bromodellen driven by events, from its initiative to the given state. */
export function bromodellenAt(code: AgreementStateCode): PersistedAgreement {
  const d = BROMODELLEN_DAYS;
  const initiative = startAgreement(bromodellenInput());
  const path: Record<AgreementStateCode, () => PersistedAgreement> = {
    initiative: () => initiative,
    declined: () => drive(initiative, ev.decline('Verksamheten ryms inte i arbetsmarknadsnämndens budget för 2024.', d.accepted)),
    draft: () => drive(initiative, ev.accept(d.accepted)),
    signing: () => drive(path.draft(), ev.sendForSigning(d.sentForSigning)),
    signed: () =>
      drive(
        path.signing(),
        ev.sign(ORG.linkopingsKommun, d.signedByKommun),
        ev.sign(ORG.bilda, d.signedByBilda),
        ev.sign(ORG.erikshjalpen, d.signedByErikshjalpen),
      ),
    active: () => drive(path.signed(), ev.startDateReached(d.start)),
    'extensionDecision.pending': () => drive(path.active(), ev.decisionWindowOpened(d.decisionWindowOpens)),
    'extensionDecision.overdue': () => drive(path['extensionDecision.pending'](), ev.decisionDeadlinePassed(d.decisionOverdue)),
    extensionRefused: () =>
      drive(
        path['extensionDecision.pending'](),
        ev.consentToExtension(ORG.linkopingsKommun, d.consents),
        ev.refuseExtension(ORG.erikshjalpen, 'Erikshjälpen flyttar sin arbetsträning till egen regi från 2026.', d.consents),
      ),
    renewed: () =>
      drive(
        path['extensionDecision.pending'](),
        ev.consentToExtension(ORG.linkopingsKommun, d.consents),
        ev.consentToExtension(ORG.bilda, d.consents),
        ev.consentToExtension(ORG.erikshjalpen, d.consents),
      ),
    expired: () => drive(path.extensionRefused(), ev.endDatePassed(d.dayAfterEnd)),
    'terminated.awaitingSettlement': () =>
      drive(
        path.active(),
        ev.declareTermination(ORG.linkopingsKommun, 'material_breach', 'Utlovade platser har inte erbjudits sedan maj.', d.terminationDeclared),
      ),
    'terminated.settled': () =>
      drive(
        path['terminated.awaitingSettlement'](),
        ev.recordSettlement(
          [
            { organisationId: ORG.bilda, amountKr: 410_000 },
            { organisationId: ORG.erikshjalpen, amountKr: 82_000 },
          ],
          'Faktiskt uppkomna kostnader januari–september 2024.',
          d.settlementRecorded,
        ),
      ),
  };
  const persisted = path[code]();
  const reached = stateCodeOf(persisted.value);
  if (reached !== code) throw new Error(`bromodellenAt(${code}) reached ${reached}`);
  return persisted;
}

/** Hoppfull framtid signed (2017-12) and ready to start on 2018-01-01. */
export function hoppfullFramtidSigned(): PersistedAgreement {
  return drive(
    startAgreement(hoppfullFramtidInput()),
    ev.accept('2017-09-15'),
    ev.sendForSigning('2017-12-01'),
    ev.sign(ORG.linkopingsKommun, '2017-12-05'),
    ev.sign(ORG.stadsmissionen, '2017-12-07'),
  );
}
