import { BROMODELLEN_DAYS as D, ORG, bromodellenAt, bromodellenInput, bromodellenTerms, drive, ev, hoppfullFramtidTerms, roughInitiativeTerms, sampleEvent } from './__fixtures__/factories';
import { accepted, deepFreeze, refused } from './__fixtures__/expectations';
import { termsCompletenessProblems } from './terms';
import {
  ALL_STATE_CODES,
  FINAL_STATE_CODES,
  MACHINE_VERSION,
  startAgreement,
  stateCodeOf,
  step,
  type AgreementStateCode,
  type PersistedAgreement,
} from './persistence';
import { ALL_EVENT_TYPES, TERMINATION_GROUNDS, type AgreementTerms, type TerminationGround } from './types';

const sut = step;

const ALL_PARTIES = [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen];

/** Every party consents to the extension on the given day. */
const renewOn = (persisted: PersistedAgreement, today: string): PersistedAgreement =>
  drive(persisted, ...ALL_PARTIES.map((org) => ev.consentToExtension(org, today)));

/** Bromodellen after its first renewal, in its second period (2026-01-01–2027-12-31). */
const secondPeriod = (): PersistedAgreement => drive(bromodellenAt('renewed'), ev.newPeriodStarted('2026-01-01'));

/** Bromodellen with both extensions used, in its last period (2028-01-01–2029-12-31). */
const lastPeriod = (): PersistedAgreement =>
  drive(renewOn(drive(secondPeriod(), ev.decisionWindowOpened('2027-03-31')), '2027-05-20'), ev.newPeriodStarted('2028-01-01'));

/** A draft whose terms are whatever the initiative came in with (the input is not checked). */
const draftWith = (terms: AgreementTerms): PersistedAgreement =>
  drive(startAgreement(bromodellenInput({ terms })), ev.accept(D.accepted));

describe('an initiative', () => {
  it('is where every agreement starts, with nothing agreed yet', () => {
    const initiative = startAgreement(bromodellenInput());
    expect(stateCodeOf(initiative.value)).toBe('initiative');
    expect(initiative.machineVersion).toBe(MACHINE_VERSION);
    expect(initiative.context).toMatchObject({
      agreementId: 'iop-bromodellen',
      proposedBy: ORG.bilda,
      proposedOn: '2023-09-15',
      periodStart: null,
      endDate: null,
      extensionsUsed: 0,
      signingRound: 0,
      signatures: [],
      decision: null,
      termination: null,
    });
  });

  it('is taken up into drafting by the secretariat', () => {
    const draft = accepted(bromodellenAt('initiative'), ev.accept(D.accepted), 'draft');
    expect(draft.context.declineReason).toBeNull();
  });

  it.each(['', '   ', '\n\t'])('cannot be declined without a reason (%j)', (reason) => {
    refused(bromodellenAt('initiative'), ev.decline(reason, D.accepted), 'guard_refused');
  });

  it('is declined with its reason kept for the proposer', () => {
    const declined = accepted(bromodellenAt('initiative'), ev.decline('  Ryms inte i budgeten för 2024. ', D.accepted), 'declined');
    expect(declined.context.declineReason).toBe('Ryms inte i budgeten för 2024.');
  });

  it('takes better terms while it is still an initiative', () => {
    const initiative = startAgreement(bromodellenInput({ terms: roughInitiativeTerms() }));
    const updated = accepted(initiative, ev.updateTerms(bromodellenTerms(), D.accepted), 'initiative');
    expect(updated.context.terms).toEqual(bromodellenTerms());
  });

  it('refuses terms that contradict themselves', () => {
    const terms = bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: '2025-02-29' } });
    refused(bromodellenAt('initiative'), ev.updateTerms(terms, D.accepted), 'guard_refused');
  });

  it.each(['SEND_FOR_SIGNING', 'SIGN', 'START_DATE_REACHED', 'DECLARE_TERMINATION'] as const)('cannot skip ahead: %s is not taken', (type) => {
    refused(bromodellenAt('initiative'), sampleEvent(type, D.accepted), 'not_in_state');
  });

  it('tells which events it takes', () => {
    const result = sut(bromodellenAt('initiative'), ev.sendForSigning(D.accepted));
    expect(result).toMatchObject({ applied: false, allowed: ['ACCEPT_INITIATIVE', 'DECLINE_INITIATIVE', 'UPDATE_TERMS'] });
  });
});

describe('a draft', () => {
  it('is sent for signing when the terms are complete, opening the first signing round', () => {
    const signing = accepted(bromodellenAt('draft'), ev.sendForSigning(D.sentForSigning), 'signing');
    expect(signing.context).toMatchObject({ signingRound: 1, signingSince: D.sentForSigning, signatures: [], lastReturn: null });
  });

  it('has complete terms for both seed agreements', () => {
    expect(termsCompletenessProblems(bromodellenTerms())).toEqual([]);
    expect(termsCompletenessProblems(hoppfullFramtidTerms())).toEqual([]);
  });

  const base = bromodellenTerms();
  const [kommun, bilda, erikshjalpen] = base.parties;
  const economics = base.economics!;
  const incomplete: Array<[string, AgreementTerms, string, RegExp]> = [
    ['the municipality is not a party', bromodellenTerms({ parties: [{ ...kommun, kind: 'civil_society' }, bilda, erikshjalpen] }), 'parties', /Kommunen/],
    [
      'no civil-society organisation is a party',
      bromodellenTerms({ parties: [kommun, { ...bilda, kind: 'municipality' }, { ...erikshjalpen, kind: 'municipality' }] }),
      'parties',
      /idéburen/,
    ],
    ['the start date is missing', bromodellenTerms({ validity: { startDate: null, endDate: '2025-12-31' } }), 'validity.startDate', /saknas/],
    ['the end date is missing', bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: null } }), 'validity.endDate', /saknas/],
    ['the end date is the start date', bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: '2024-01-01' } }), 'validity.endDate', /efter startdatum/],
    ['the end date is before the start date', bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: '2023-12-31' } }), 'validity.endDate', /efter startdatum/],
    ['the end date is no date', bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: '2025-02-29' } }), 'validity.endDate', /ÅÅÅÅ-MM-DD/],
    ['the extension terms are missing', bromodellenTerms({ extension: null }), 'extension', /förlängning/],
    ['the economics are missing', bromodellenTerms({ economics: null }), 'economics', /Ekonomi/],
    ['no party contributes', bromodellenTerms({ economics: { ...economics, contributions: [] } }), 'economics.contributions', /bidrag saknas/],
    [
      'the contributions do not sum to the total',
      bromodellenTerms({ economics: { ...economics, contributions: [economics.contributions[0], economics.contributions[1], { ...economics.contributions[2], amountKr: 118_000 }] } }),
      'economics.contributions',
      /2\s368\s360\skr men summan är 2\s368\s800\skr/,
    ],
    [
      'the shares do not make 100 %',
      bromodellenTerms({ economics: { ...economics, contributions: [economics.contributions[0], economics.contributions[1], { ...economics.contributions[2], shareBasisPoints: 400 }] } }),
      'economics.contributions',
      /99\s%/,
    ],
    [
      'the cost lines do not sum to the total',
      bromodellenTerms({ economics: { ...economics, costLines: economics.costLines.map((l) => (l.label === 'Lokaler' ? { ...l, amountKr: 370_000 } : l)) } }),
      'economics.costLines',
      /2\s366\s800\skr men summan är 2\s368\s800\skr/,
    ],
    [
      'a contribution comes from an organisation that is not a party',
      bromodellenTerms({ economics: { ...economics, contributions: economics.contributions.map((c) => (c.organisationId === ORG.erikshjalpen ? { ...c, organisationId: ORG.rodaKorset } : c)) } }),
      'economics.contributions.2.organisationId',
      /part/,
    ],
    ['the money is not whole kronor', bromodellenTerms({ economics: { ...economics, totalKr: 2_368_800.5 } }), 'economics.totalKr', /hela kronor/],
  ];

  it.each(incomplete)('is not sent for signing when %s, and the problem names the field', (_what, terms, field, message) => {
    const problems = termsCompletenessProblems(terms);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)?.message).toMatch(message);
    refused(draftWith(terms), ev.sendForSigning(D.sentForSigning), 'guard_refused');
  });

  it('names exactly the one thing wrong, so the form can point at it', () => {
    for (const [, terms, field] of incomplete.filter(([what]) => what !== 'the money is not whole kronor')) {
      expect(termsCompletenessProblems(terms).map((p) => p.field)).toEqual([field]);
    }
  });

  it('accepts incomplete terms while drafting, and is sent once they are complete', () => {
    const draft = drive(startAgreement(bromodellenInput({ terms: roughInitiativeTerms() })), ev.accept(D.accepted));
    refused(draft, ev.sendForSigning(D.sentForSigning), 'guard_refused');
    const withStart = accepted(draft, ev.updateTerms({ ...roughInitiativeTerms(), validity: { startDate: '2024-01-01', endDate: null } }, '2023-10-01'), 'draft');
    refused(withStart, ev.sendForSigning(D.sentForSigning), 'guard_refused');
    const complete = accepted(withStart, ev.updateTerms(bromodellenTerms(), '2023-11-01'), 'draft');
    accepted(complete, ev.sendForSigning(D.sentForSigning), 'signing');
  });

  it('refuses contradictory terms but keeps the ones it had', () => {
    const terms = bromodellenTerms({ parties: [...bromodellenTerms().parties, bromodellenTerms().parties[1]] });
    refused(bromodellenAt('draft'), ev.updateTerms(terms, '2023-10-01'), 'guard_refused');
  });
});

describe('signing', () => {
  it('records each signature with its date and waits for the others', () => {
    const one = accepted(bromodellenAt('signing'), ev.sign(ORG.bilda, '2023-11-21'), 'signing');
    const two = accepted(one, ev.sign(ORG.linkopingsKommun, '2023-11-22'), 'signing');
    expect(two.context.signatures).toEqual([
      { organisationId: ORG.bilda, on: '2023-11-21' },
      { organisationId: ORG.linkopingsKommun, on: '2023-11-22' },
    ]);
    expect(two.context.periodStart).toBeNull();
  });

  it('takes one signature per party', () => {
    const one = drive(bromodellenAt('signing'), ev.sign(ORG.bilda, '2023-11-21'));
    refused(one, ev.sign(ORG.bilda, '2023-11-22'), 'guard_refused');
  });

  it.each([ORG.rodaKorset, 'secretariat', ''])('takes no signature from %j, who is not a party', (organisationId) => {
    refused(bromodellenAt('signing'), ev.sign(organisationId, '2023-11-21'), 'guard_refused');
  });

  it.each([
    [ORG.linkopingsKommun, ORG.bilda, ORG.erikshjalpen],
    [ORG.erikshjalpen, ORG.bilda, ORG.linkopingsKommun],
    [ORG.bilda, ORG.erikshjalpen, ORG.linkopingsKommun],
  ])('is signed with the last signature, whoever gives it (%s, %s, %s)', (first, second, last) => {
    const twoSigned = drive(bromodellenAt('signing'), ev.sign(first, '2023-11-21'), ev.sign(second, '2023-11-22'));
    const signed = accepted(twoSigned, ev.sign(last, '2023-11-23'), 'signed');
    expect(signed.context.signatures.map((s) => s.organisationId)).toEqual([first, second, last]);
    // the validity is fixed as signed
    expect(signed.context).toMatchObject({ periodStart: '2024-01-01', endDate: '2025-12-31', extensionsUsed: 0 });
  });

  it('cannot change the terms while the parties are signing', () => {
    refused(bromodellenAt('signing'), ev.updateTerms(bromodellenTerms(), '2023-11-21'), 'not_in_state');
    expect(sut(bromodellenAt('signing'), ev.accept('2023-11-21'))).toMatchObject({ applied: false, allowed: ['RETURN_TO_DRAFT', 'SIGN'] });
  });

  it.each(['', '  '])('is not sent back to draft without a reason (%j)', (reason) => {
    refused(bromodellenAt('signing'), ev.returnToDraft(ORG.erikshjalpen, reason, '2023-11-21'), 'guard_refused');
  });

  it('is not sent back to draft by someone who is not a party', () => {
    refused(bromodellenAt('signing'), ev.returnToDraft(ORG.rodaKorset, 'Vi vill också vara med.', '2023-11-21'), 'guard_refused');
  });

  it('is sent back to draft by a signatory with a reason, which clears the signatures given', () => {
    const oneSigned = drive(bromodellenAt('signing'), ev.sign(ORG.bilda, '2023-11-21'));
    const draft = accepted(oneSigned, ev.returnToDraft(ORG.erikshjalpen, ' Antalet platser saknas i texten. ', '2023-11-22'), 'draft');
    expect(draft.context).toMatchObject({
      signatures: [],
      signingSince: null,
      signingRound: 1,
      lastReturn: { organisationId: ORG.erikshjalpen, reason: 'Antalet platser saknas i texten.', on: '2023-11-22' },
    });
  });

  it('starts a second round after a return, in which an earlier signature does not count', () => {
    const returned = drive(
      bromodellenAt('signing'),
      ev.sign(ORG.bilda, '2023-11-21'),
      ev.returnToDraft(ORG.erikshjalpen, 'Antalet platser saknas i texten.', '2023-11-22'),
    );
    const round2 = accepted(returned, ev.sendForSigning('2023-11-24'), 'signing');
    expect(round2.context).toMatchObject({ signingRound: 2, signingSince: '2023-11-24', signatures: [], lastReturn: null });
    const twoSigned = drive(round2, ev.sign(ORG.linkopingsKommun, '2023-11-27'), ev.sign(ORG.erikshjalpen, '2023-11-27'));
    expect(stateCodeOf(twoSigned.value)).toBe('signing');
    accepted(twoSigned, ev.sign(ORG.bilda, '2023-11-28'), 'signed');
  });
});

describe('a signed agreement', () => {
  it('does not start before its start date', () => {
    refused(bromodellenAt('signed'), ev.startDateReached('2023-12-31'), 'guard_refused');
  });

  it.each(['2024-01-01', '2024-02-15'])('becomes active on or after its start date (%s)', (today) => {
    const active = accepted(bromodellenAt('signed'), ev.startDateReached(today), 'active');
    expect(active.context).toMatchObject({ periodStart: '2024-01-01', endDate: '2025-12-31' });
  });

  it.each(['DECISION_WINDOW_OPENED', 'END_DATE_PASSED', 'SIGN', 'UPDATE_TERMS'] as const)('does not take %s', (type) => {
    refused(bromodellenAt('signed'), sampleEvent(type, '2026-06-01', ORG.bilda), 'not_in_state');
  });
});

describe('an active agreement', () => {
  it('opens the extension decision six months before it is due, not a day earlier', () => {
    refused(bromodellenAt('active'), ev.decisionWindowOpened('2025-03-30'), 'guard_refused');
    const pending = accepted(bromodellenAt('active'), ev.decisionWindowOpened('2025-03-31'), 'extensionDecision.pending');
    expect(pending.context.decision).toEqual({ cycle: 1, dueDate: '2025-09-30', consents: [], refusal: null });
  });

  it('is in force through its end date and expires the day after', () => {
    refused(bromodellenAt('active'), ev.endDatePassed('2025-12-31'), 'guard_refused');
    accepted(bromodellenAt('active'), ev.endDatePassed('2026-01-01'), 'expired');
  });

  it('tells which events it takes', () => {
    expect(sut(bromodellenAt('active'), ev.sign(ORG.bilda, '2024-05-01'))).toMatchObject({
      applied: false,
      reason: 'not_in_state',
      allowed: [
        'AGREE_TO_AMENDMENT',
        'CONSENT_TO_TERMINATION',
        'DECISION_WINDOW_OPENED',
        'DECLARE_TERMINATION',
        'END_DATE_PASSED',
        'FOLLOW_UP_OVERDUE',
        'PROPOSE_AMENDMENT',
        'RECORD_FOLLOW_UP_MEETING',
        'REFUSE_AMENDMENT',
        'SUBMIT_YEARLY_REPORT',
        'WITHDRAW_AMENDMENT',
      ],
    });
  });
});

describe('the extension decision', () => {
  const pending = (): PersistedAgreement => bromodellenAt('extensionDecision.pending');
  const overdue = (): PersistedAgreement => bromodellenAt('extensionDecision.overdue');

  it('records each consent and waits for all parties', () => {
    const one = accepted(pending(), ev.consentToExtension(ORG.linkopingsKommun, '2025-05-02'), 'extensionDecision.pending');
    const two = accepted(one, ev.consentToExtension(ORG.erikshjalpen, '2025-05-03'), 'extensionDecision.pending');
    expect(two.context.decision?.consents).toEqual([
      { organisationId: ORG.linkopingsKommun, on: '2025-05-02' },
      { organisationId: ORG.erikshjalpen, on: '2025-05-03' },
    ]);
    expect(two.context.endDate).toBe('2025-12-31');
  });

  it('takes one consent per party', () => {
    const one = drive(pending(), ev.consentToExtension(ORG.linkopingsKommun, '2025-05-02'));
    refused(one, ev.consentToExtension(ORG.linkopingsKommun, '2025-05-03'), 'guard_refused');
  });

  it('takes no consent or refusal from someone who is not a party', () => {
    refused(pending(), ev.consentToExtension(ORG.rodaKorset, '2025-05-02'), 'guard_refused');
    refused(pending(), ev.refuseExtension(ORG.rodaKorset, 'Vi tycker inte om det.', '2025-05-02'), 'guard_refused');
  });

  it('renews the agreement for one more period with the last consent', () => {
    const renewed = accepted(
      drive(pending(), ev.consentToExtension(ORG.bilda, '2025-05-02'), ev.consentToExtension(ORG.erikshjalpen, '2025-05-03')),
      ev.consentToExtension(ORG.linkopingsKommun, '2025-06-10'),
      'renewed',
    );
    expect(renewed.context).toMatchObject({ periodStart: '2026-01-01', endDate: '2027-12-31', extensionsUsed: 1, decision: null });
    expect(renewed.context.pastDecisions).toEqual([
      {
        cycle: 1,
        dueDate: '2025-09-30',
        refusal: null,
        consents: [
          { organisationId: ORG.bilda, on: '2025-05-02' },
          { organisationId: ORG.erikshjalpen, on: '2025-05-03' },
          { organisationId: ORG.linkopingsKommun, on: '2025-06-10' },
        ],
      },
    ]);
  });

  it.each(['', ' '])('is not refused without a reason (%j)', (reason) => {
    refused(pending(), ev.refuseExtension(ORG.erikshjalpen, reason, '2025-06-10'), 'guard_refused');
  });

  it('is refused by one party with a reason; the agreement then runs to its end', () => {
    const refusedExt = accepted(pending(), ev.refuseExtension(ORG.erikshjalpen, ' Egen regi från 2026. ', '2025-06-10'), 'extensionRefused');
    expect(refusedExt.context).toMatchObject({ decision: null, endDate: '2025-12-31', extensionsUsed: 0 });
    expect(refusedExt.context.pastDecisions[0].refusal).toEqual({ organisationId: ORG.erikshjalpen, on: '2025-06-10', reason: 'Egen regi från 2026.' });
    refused(refusedExt, ev.endDatePassed('2025-12-31'), 'guard_refused');
    refused(refusedExt, ev.decisionWindowOpened('2025-06-11'), 'not_in_state');
    refused(refusedExt, ev.consentToExtension(ORG.bilda, '2025-06-11'), 'not_in_state');
    accepted(refusedExt, ev.endDatePassed('2026-01-01'), 'expired');
  });

  it('becomes overdue the day after the decision was due, keeping the consents given', () => {
    const one = drive(pending(), ev.consentToExtension(ORG.bilda, '2025-09-01'));
    refused(one, ev.decisionDeadlinePassed('2025-09-30'), 'guard_refused');
    const late = accepted(one, ev.decisionDeadlinePassed('2025-10-01'), 'extensionDecision.overdue');
    expect(late.context.decision).toMatchObject({ cycle: 1, dueDate: '2025-09-30', consents: [{ organisationId: ORG.bilda }] });
    refused(late, ev.decisionDeadlinePassed('2025-10-02'), 'not_in_state');
  });

  it('still takes consents while overdue, up to and including the end date', () => {
    const two = drive(overdue(), ev.consentToExtension(ORG.bilda, '2025-11-01'), ev.consentToExtension(ORG.erikshjalpen, '2025-12-30'));
    expect(stateCodeOf(two.value)).toBe('extensionDecision.overdue');
    refused(two, ev.consentToExtension(ORG.linkopingsKommun, '2026-01-01'), 'guard_refused');
    const renewed = accepted(two, ev.consentToExtension(ORG.linkopingsKommun, '2025-12-31'), 'renewed');
    expect(renewed.context).toMatchObject({ endDate: '2027-12-31', extensionsUsed: 1 });
  });

  it('can still be refused while overdue, but not after the end date', () => {
    refused(overdue(), ev.refuseExtension(ORG.bilda, 'För sent.', '2026-01-01'), 'guard_refused');
    accepted(overdue(), ev.refuseExtension(ORG.bilda, 'Ingen finansiering 2026.', '2025-11-15'), 'extensionRefused');
  });

  it.each(['extensionDecision.pending', 'extensionDecision.overdue'] as const)(
    'expires from %s when the end date passes undecided, keeping the unfinished decision in the history',
    (code) => {
      const undecided = drive(bromodellenAt(code), ev.consentToExtension(ORG.bilda, '2025-09-01'));
      refused(undecided, ev.endDatePassed('2025-12-31'), 'guard_refused');
      const expired = accepted(undecided, ev.endDatePassed('2026-01-01'), 'expired');
      expect(expired.context.decision).toBeNull();
      expect(expired.context.pastDecisions).toEqual([
        { cycle: 1, dueDate: '2025-09-30', consents: [{ organisationId: ORG.bilda, on: '2025-09-01' }], refusal: null },
      ]);
    },
  );
});

describe('a renewed agreement', () => {
  it('goes on into its new period on the new start date, not before', () => {
    refused(bromodellenAt('renewed'), ev.newPeriodStarted('2025-12-31'), 'guard_refused');
    const active = accepted(bromodellenAt('renewed'), ev.newPeriodStarted('2026-01-01'), 'active');
    expect(active.context).toMatchObject({ periodStart: '2026-01-01', endDate: '2027-12-31', extensionsUsed: 1 });
  });

  it('does not expire when the old end date passes', () => {
    refused(bromodellenAt('renewed'), ev.endDatePassed('2026-01-01'), 'not_in_state');
    refused(bromodellenAt('renewed'), ev.decisionWindowOpened('2025-12-01'), 'not_in_state');
  });

  it('decides on the second extension in its second period', () => {
    refused(secondPeriod(), ev.decisionWindowOpened('2027-03-30'), 'guard_refused');
    const pending = accepted(secondPeriod(), ev.decisionWindowOpened('2027-03-31'), 'extensionDecision.pending');
    expect(pending.context.decision).toEqual({ cycle: 2, dueDate: '2027-09-30', consents: [], refusal: null });
    const renewed = renewOn(pending, '2027-05-20');
    expect(renewed.context).toMatchObject({ periodStart: '2028-01-01', endDate: '2029-12-31', extensionsUsed: 2 });
    expect(renewed.context.pastDecisions.map((d) => d.cycle)).toEqual([1, 2]);
  });

  it('has no extension decision left once the maximum is used', () => {
    const last = lastPeriod();
    expect(last.context).toMatchObject({ extensionsUsed: 2, endDate: '2029-12-31' });
    for (const today of ['2029-03-31', '2029-09-30', '2029-12-31']) {
      refused(last, ev.decisionWindowOpened(today), 'guard_refused');
    }
    refused(last, ev.endDatePassed('2029-12-31'), 'guard_refused');
    accepted(last, ev.endDatePassed('2030-01-01'), 'expired');
  });

  it('has no extension decision at all when the terms allow none', () => {
    const terms = bromodellenTerms({ extension: { periodMonths: 24, maxExtensions: 0, decisionNoticeMonths: 3, decisionWindowMonths: 6 } });
    const active = drive(
      startAgreement(bromodellenInput({ terms })),
      ev.accept(D.accepted),
      ev.sendForSigning(D.sentForSigning),
      ...ALL_PARTIES.map((org) => ev.sign(org, '2023-11-30')),
      ev.startDateReached('2024-01-01'),
    );
    refused(active, ev.decisionWindowOpened('2025-06-01'), 'guard_refused');
  });
});

describe('termination by all parties consenting', () => {
  const inForce: AgreementStateCode[] = ['signed', 'active', 'extensionDecision.pending', 'extensionDecision.overdue', 'extensionRefused', 'renewed'];

  it.each(inForce)('from %s: partial consents keep the state, the last one terminates', (code) => {
    const before = bromodellenAt(code);
    const one = accepted(before, ev.consentToTermination(ORG.erikshjalpen, '2025-11-03'), code);
    const two = accepted(one, ev.consentToTermination(ORG.linkopingsKommun, '2025-11-04'), code);
    expect(two.context.terminationConsents).toEqual([
      { organisationId: ORG.erikshjalpen, on: '2025-11-03' },
      { organisationId: ORG.linkopingsKommun, on: '2025-11-04' },
    ]);
    expect(two.context.decision).toEqual(before.context.decision);
    const terminated = accepted(two, ev.consentToTermination(ORG.bilda, '2025-11-05'), 'terminated.awaitingSettlement');
    expect(terminated.context.termination).toEqual({ kind: 'mutual', effectiveOn: '2025-11-05', declaredBy: null, ground: null, reason: null });
  });

  it('closes an open extension decision into the history, by consent or by declaration', () => {
    const pending = drive(bromodellenAt('extensionDecision.pending'), ev.consentToExtension(ORG.bilda, '2025-05-02'));
    const byConsent = drive(pending, ...ALL_PARTIES.map((org) => ev.consentToTermination(org, '2025-06-01')));
    const byDeclaration = drive(pending, ev.declareTermination(ORG.linkopingsKommun, 'insolvency', 'Konkurs.', '2025-06-01'));
    for (const terminated of [byConsent, byDeclaration]) {
      expect(stateCodeOf(terminated.value)).toBe('terminated.awaitingSettlement');
      expect(terminated.context.decision).toBeNull();
      expect(terminated.context.pastDecisions).toEqual([pending.context.decision]);
    }
  });

  it('takes one consent per party and none from outsiders', () => {
    const one = drive(bromodellenAt('active'), ev.consentToTermination(ORG.bilda, '2024-06-01'));
    refused(one, ev.consentToTermination(ORG.bilda, '2024-06-02'), 'guard_refused');
    refused(one, ev.consentToTermination(ORG.rodaKorset, '2024-06-02'), 'guard_refused');
    refused(one, ev.consentToTermination('secretariat', '2024-06-02'), 'guard_refused');
  });
});

describe('termination declared for cause', () => {
  it.each(TERMINATION_GROUNDS)('takes effect at once on the ground %s', (ground) => {
    const terminated = accepted(
      bromodellenAt('active'),
      ev.declareTermination(ORG.linkopingsKommun, ground, ' Se nämndens beslut 2024-09-12. ', '2024-09-16'),
      'terminated.awaitingSettlement',
    );
    expect(terminated.context.termination).toEqual({
      kind: 'declared',
      effectiveOn: '2024-09-16',
      declaredBy: ORG.linkopingsKommun,
      ground,
      reason: 'Se nämndens beslut 2024-09-12.',
    });
  });

  it('may be declared by the secretariat or by any party', () => {
    for (const declaredBy of ['secretariat', ...ALL_PARTIES]) {
      accepted(bromodellenAt('active'), ev.declareTermination(declaredBy, 'misconduct', 'Allvarliga brister.', '2024-09-16'), 'terminated.awaitingSettlement');
    }
  });

  it.each([
    ['an unknown ground', ev.declareTermination(ORG.linkopingsKommun, 'bankruptcy' as TerminationGround, 'Konkurs.', '2024-09-16')],
    ['no reason', ev.declareTermination(ORG.linkopingsKommun, 'material_breach', '  ', '2024-09-16')],
    ['a declarer who is no party', ev.declareTermination(ORG.rodaKorset, 'material_breach', 'Vi har hört rykten.', '2024-09-16')],
    ['no declarer', ev.declareTermination('', 'material_breach', 'Brister.', '2024-09-16')],
  ])('is refused with %s', (_what, event) => {
    refused(bromodellenAt('active'), event, 'guard_refused');
  });

  it.each(['signed', 'extensionDecision.pending', 'extensionDecision.overdue', 'extensionRefused', 'renewed'] as const)('is possible from %s', (code) => {
    accepted(bromodellenAt(code), ev.declareTermination('secretariat', 'insolvency', 'Partnern har försatts i konkurs.', '2025-11-20'), 'terminated.awaitingSettlement');
  });

  it.each(['initiative', 'declined', 'draft', 'signing', 'expired', 'terminated.awaitingSettlement', 'terminated.settled'] as const)(
    'is not possible from %s, and neither is termination by consent',
    (code) => {
      refused(bromodellenAt(code), ev.declareTermination('secretariat', 'material_breach', 'Brister.', '2026-02-01'), 'not_in_state');
      refused(bromodellenAt(code), ev.consentToTermination(ORG.bilda, '2026-02-01'), 'not_in_state');
    },
  );
});

describe('the settlement after a termination', () => {
  const awaiting = (): PersistedAgreement => bromodellenAt('terminated.awaitingSettlement');

  it('records the costs actually incurred and closes the agreement', () => {
    const lines = [
      { organisationId: ORG.bilda, amountKr: 410_000 },
      { organisationId: ORG.erikshjalpen, amountKr: 82_000 },
    ];
    const settled = accepted(awaiting(), ev.recordSettlement(lines, '  Kostnader jan–sep 2024. ', '2024-10-15'), 'terminated.settled');
    expect(settled.context.settlement).toEqual({ recordedOn: '2024-10-15', lines, note: 'Kostnader jan–sep 2024.' });
    expect(settled.context.termination).toEqual(awaiting().context.termination);
  });

  it.each([
    ['a negative amount', [{ organisationId: ORG.bilda, amountKr: -1 }]],
    ['an amount in öre', [{ organisationId: ORG.bilda, amountKr: 410_000.5 }]],
    ['an amount that is not a number', [{ organisationId: ORG.bilda, amountKr: Number.NaN }]],
    ['an amount too large to count exactly', [{ organisationId: ORG.bilda, amountKr: 2 ** 53 }]],
    ['a line for an organisation that is no party', [{ organisationId: ORG.rodaKorset, amountKr: 1000 }]],
    [
      'two lines for one party',
      [
        { organisationId: ORG.bilda, amountKr: 1000 },
        { organisationId: ORG.bilda, amountKr: 2000 },
      ],
    ],
  ])('is refused with %s', (_what, lines) => {
    refused(awaiting(), ev.recordSettlement(lines, 'Reglering.', '2024-10-15'), 'guard_refused');
  });

  it('cannot be recorded for an agreement that was not terminated', () => {
    for (const code of ['active', 'expired'] as const) {
      refused(bromodellenAt(code), ev.recordSettlement([{ organisationId: ORG.bilda, amountKr: 1 }], 'Reglering.', '2026-02-01'), 'not_in_state');
    }
  });
});

describe('final states', () => {
  it.each(FINAL_STATE_CODES.flatMap((code) => ALL_EVENT_TYPES.map((type) => [code, type] as const)))('%s takes no %s', (code, type) => {
    const final = bromodellenAt(code);
    for (const org of [...ALL_PARTIES, 'secretariat']) {
      refused(final, sampleEvent(type, '2031-06-01', org), 'not_in_state');
    }
    expect(sut(final, sampleEvent(type, '2031-06-01'))).toMatchObject({ applied: false, allowed: [] });
  });

  it('are exactly the states that take no event', () => {
    const takingNothing = ALL_STATE_CODES.filter((code) => {
      const persisted = bromodellenAt(code);
      return ALL_EVENT_TYPES.every((type) => {
        const result = sut(persisted, sampleEvent(type, '2031-06-01'));
        return !result.applied && result.reason === 'not_in_state';
      });
    });
    expect(takingNothing).toEqual([...FINAL_STATE_CODES]);
  });
});

describe('step() as a pure function', () => {
  it('never changes the agreement it is given, and shares no objects with it', () => {
    const before = deepFreeze(bromodellenAt('draft'));
    const terms = bromodellenTerms({ validity: { startDate: '2024-02-01', endDate: '2026-01-31' } });
    const result = sut(before, ev.updateTerms(terms, '2023-10-01'));
    if (!result.applied) throw new Error('refused');
    expect(result.next.context.terms.validity).toEqual({ startDate: '2024-02-01', endDate: '2026-01-31' });
    expect(before.context.terms.validity).toEqual({ startDate: '2024-01-01', endDate: '2025-12-31' });
    result.next.context.signatures.push({ organisationId: ORG.bilda, on: '2023-10-02' });
    expect(before.context.signatures).toEqual([]);
  });

  it('gives the same answer every time for the same agreement and event', () => {
    const before = bromodellenAt('extensionDecision.pending');
    const event = ev.consentToExtension(ORG.bilda, '2025-05-02');
    expect(sut(before, event)).toEqual(sut(before, event));
  });
});
