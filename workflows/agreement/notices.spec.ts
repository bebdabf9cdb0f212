import { BROMODELLEN_DAYS as D, ORG, amendedBromodellenEconomics, bromodellenAt, bromodellenInput, ev } from './__fixtures__/factories';
import { noticesOf, NOTICE_KINDS, NOTICE_LABELS, type Notice } from './notices';
import { startAgreement, step, type PersistedAgreement } from './persistence';
import type { AgreementEvent } from './types';

const sut = noticesOf;

/** The notices of one step from `before`, as the engine records it. */
function noticesAfter(before: PersistedAgreement, event: AgreementEvent): Notice[] {
  const result = step(before, event);
  if (!result.applied) throw new Error(`${event.type} refused in ${result.from}`);
  return sut({ eventType: event.type, from: result.from, to: result.to, before: before.context, after: result.next.context });
}

const kinds = (notices: Notice[]): string[] => notices.map((n) => n.kind);

describe('the notices of a transition', () => {
  it('tells the secretariat of a new initiative and gives the proposer a receipt', () => {
    const started = startAgreement(bromodellenInput());
    expect(sut({ eventType: 'PROPOSE_INITIATIVE', from: null, to: 'initiative', before: null, after: started.context })).toEqual([
      { kind: 'initiative_received', audiences: ['secretariat'] },
      { kind: 'initiative_receipt', audiences: ['proposer'] },
    ]);
  });

  it('sends for signing to the signatories only', () => {
    expect(noticesAfter(bromodellenAt('draft'), ev.sendForSigning(D.sentForSigning))).toEqual([{ kind: 'sent_for_signing', audiences: ['signatories'] }]);
  });

  it('tells the secretariat and the signatories when a party returns the agreement to draft', () => {
    expect(noticesAfter(bromodellenAt('signing'), ev.returnToDraft(ORG.bilda, 'Antalet platser saknas.', D.signedByBilda))).toEqual([
      { kind: 'returned_to_draft', audiences: ['signatories', 'secretariat'] },
    ]);
  });

  it('tells everyone when the last party signs, and nobody for the signatures before', () => {
    const one = step(bromodellenAt('signing'), ev.sign(ORG.linkopingsKommun, D.signedByKommun));
    if (!one.applied) throw new Error('refused');
    expect(noticesAfter(bromodellenAt('signing'), ev.sign(ORG.linkopingsKommun, D.signedByKommun))).toEqual([]);
    const two = step(one.next, ev.sign(ORG.bilda, D.signedByBilda));
    if (!two.applied) throw new Error('refused');
    expect(noticesAfter(two.next, ev.sign(ORG.erikshjalpen, D.signedByErikshjalpen))).toEqual([
      { kind: 'fully_signed', audiences: ['signatories', 'samverkansgrupp', 'secretariat'] },
    ]);
  });

  it('tells the signatories when the extension decision opens', () => {
    expect(kinds(noticesAfter(bromodellenAt('active'), ev.decisionWindowOpened(D.decisionWindowOpens)))).toEqual(['extension_decision_opened']);
  });

  it('tells of an amendment proposed, declined, and agreed only when the last party agrees', () => {
    const active = bromodellenAt('active');
    expect(kinds(noticesAfter(active, ev.proposeAmendment(2025, amendedBromodellenEconomics(), 'En fjärde tjänst.', '2024-06-03')))).toEqual(['amendment_proposed']);
    const proposed = step(active, ev.proposeAmendment(2025, amendedBromodellenEconomics(), 'En fjärde tjänst.', '2024-06-03'));
    if (!proposed.applied) throw new Error('refused');
    expect(kinds(noticesAfter(proposed.next, ev.refuseAmendment(ORG.bilda, 'Ryms inte.', '2024-06-10')))).toEqual(['amendment_declined']);
    let current = proposed.next;
    for (const org of [ORG.bilda, ORG.erikshjalpen]) {
      expect(noticesAfter(current, ev.agreeToAmendment(org, '2024-06-12'))).toEqual([]);
      const r = step(current, ev.agreeToAmendment(org, '2024-06-12'));
      if (!r.applied) throw new Error('refused');
      current = r.next;
    }
    expect(kinds(noticesAfter(current, ev.agreeToAmendment(ORG.linkopingsKommun, '2024-06-20')))).toEqual(['amendment_agreed']);
  });

  it('tells everyone of a termination, declared or agreed by the last party, once', () => {
    expect(kinds(noticesAfter(bromodellenAt('active'), ev.declareTermination('secretariat', 'material_breach', 'Verksamheten har upphört.', D.terminationDeclared)))).toEqual([
      'terminated',
    ]);
    const awaiting = bromodellenAt('terminated.awaitingSettlement');
    expect(noticesAfter(awaiting, ev.recordSettlement([{ organisationId: ORG.bilda, amountKr: 1 }], 'Klart.', D.settlementRecorded))).toEqual([]);
  });

  it('gives nothing for terms edits, timers without a step to tell, or the clock ending the agreement', () => {
    expect(noticesAfter(bromodellenAt('draft'), ev.updateTerms(bromodellenAt('draft').context.terms, D.accepted))).toEqual([]);
    expect(noticesAfter(bromodellenAt('signed'), ev.startDateReached(D.start))).toEqual([]);
    expect(noticesAfter(bromodellenAt('extensionRefused'), ev.endDatePassed(D.dayAfterEnd))).toEqual([]);
  });

  it('has a Swedish label for every kind', () => {
    for (const kind of NOTICE_KINDS) expect(NOTICE_LABELS[kind].label).toMatch(/[a-zåäö]/);
  });
});
