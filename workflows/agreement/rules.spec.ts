import { COMMAND_RULES, maySee, NOT_NAMED_SIGNATORY, permissionFor, whoMay, type Requester } from './rules';

const BILDA = 'org-bilda';
const EH = 'org-erikshjalpen';
const KOMMUN = 'org-kommun';
const OUTSIDE = 'org-rodakorset';
const NAMED = 'person-named';
const agreement = { proposedBy: BILDA, partyIds: [KOMMUN, BILDA, EH], signatoryIds: [NAMED] };
/** Named on the agreement unless told otherwise, so the cases below are about roles and parties. */
const person = (roles: Requester['roles'], organisationId: string, organisationKind: Requester['organisationKind'] = 'civil_society', personId = NAMED): Requester => ({ personId, roles, organisationId, organisationKind });

describe('the rules table', () => {
  it('lets the secretariat accept, but never sign on a party\'s behalf', () => {
    const sut = person(['secretariat'], KOMMUN, 'municipality');
    expect(permissionFor(sut, { type: 'ACCEPT_INITIATIVE' }, agreement)).toEqual({ allowed: true, capacity: 'secretariat', role: 'secretariat' });
    expect(permissionFor(sut, { type: 'SIGN', organisationId: KOMMUN }, agreement)).toMatchObject({ allowed: false, visible: true });
  });

  it('lets a signatory sign for their own party only', () => {
    const sut = person(['signatory'], BILDA);
    expect(permissionFor(sut, { type: 'SIGN', organisationId: BILDA }, agreement)).toMatchObject({ allowed: true, role: 'signatory' });
    expect(permissionFor(sut, { type: 'SIGN', organisationId: EH }, agreement)).toMatchObject({ allowed: false, visible: true });
  });

  it('lets only a firmatecknare the agreement names sign for the party: the role alone is not enough', () => {
    const unnamed = person(['signatory'], BILDA, 'civil_society', 'person-unnamed');
    const refusal = permissionFor(unnamed, { type: 'SIGN', organisationId: BILDA }, agreement);
    expect(refusal).toEqual({ allowed: false, visible: true, reason: NOT_NAMED_SIGNATORY });
    expect(permissionFor(unnamed, { type: 'AGREE_TO_AMENDMENT', organisationId: BILDA }, agreement).allowed).toBe(false);
    expect(permissionFor(person(['signatory'], BILDA), { type: 'SIGN', organisationId: BILDA }, { ...agreement, signatoryIds: [] }).allowed).toBe(false);
    // Still a member of a party: sees the agreement and hands in the yearly report.
    expect(maySee(unnamed, agreement)).toBe(true);
    expect(permissionFor(unnamed, { type: 'SUBMIT_YEARLY_REPORT', organisationId: BILDA }, agreement).allowed).toBe(true);
  });

  it('a termination for breach: by a party\'s signatory for that party, or by the secretariat as the secretariat', () => {
    const ground = 'material_breach' as const;
    expect(permissionFor(person(['signatory'], EH), { type: 'DECLARE_TERMINATION', declaredBy: EH, ground }, agreement).allowed).toBe(true);
    expect(permissionFor(person(['signatory'], EH), { type: 'DECLARE_TERMINATION', declaredBy: 'secretariat', ground }, agreement).allowed).toBe(false);
    expect(permissionFor(person(['secretariat'], KOMMUN, 'municipality'), { type: 'DECLARE_TERMINATION', declaredBy: 'secretariat', ground }, agreement).allowed).toBe(true);
    expect(permissionFor(person(['secretariat'], KOMMUN, 'municipality'), { type: 'DECLARE_TERMINATION', declaredBy: BILDA, ground }, agreement).allowed).toBe(false);
  });

  it('an initiative comes from a member of the civil-society organisation it names', () => {
    expect(permissionFor(person(['member'], BILDA), { type: 'PROPOSE_INITIATIVE' }, agreement).allowed).toBe(true);
    expect(permissionFor(person(['member'], EH), { type: 'PROPOSE_INITIATIVE' }, agreement).allowed).toBe(false);
    expect(permissionFor(person(['member'], BILDA, 'municipality'), { type: 'PROPOSE_INITIATIVE' }, agreement).allowed).toBe(false);
  });

  it('the secretariat registers an initiative that came in on paper or by e-mail, on the organisation\'s behalf; nobody else does', () => {
    const received = { type: 'PROPOSE_INITIATIVE' as const, receivedVia: 'paper' };
    expect(permissionFor(person(['secretariat'], KOMMUN, 'municipality'), received, agreement)).toEqual({ allowed: true, capacity: 'secretariat_registering_received', role: 'secretariat' });
    // Without saying how it came in, the secretariat proposes nothing of its own.
    expect(permissionFor(person(['secretariat'], KOMMUN, 'municipality'), { type: 'PROPOSE_INITIATIVE' }, agreement).allowed).toBe(false);
    // A member proposes for their own organisation, never "as received".
    expect(permissionFor(person(['member'], BILDA), received, agreement).allowed).toBe(false);
    for (const roles of [['administrator'], ['auditor'], ['signatory']] as const) {
      expect(permissionFor(person([...roles], KOMMUN, 'municipality'), received, agreement)).toMatchObject({ allowed: false, reason: expect.stringContaining('nämndkansliet (för ett initiativ som kommit in på papper') });
    }
  });

  it('the yearly report is handed in by a member or signatory of the idéburen party it is for; the secretariat records meetings', () => {
    const report = (organisationId: string) => ({ type: 'SUBMIT_YEARLY_REPORT' as const, organisationId });
    expect(permissionFor(person(['member'], BILDA), report(BILDA), agreement)).toEqual({ allowed: true, capacity: 'member_of_party_concerned', role: 'member' });
    expect(permissionFor(person(['signatory'], EH), report(EH), agreement)).toMatchObject({ allowed: true, role: 'signatory' });
    expect(permissionFor(person(['member'], EH), report(BILDA), agreement).allowed).toBe(false);
    expect(permissionFor(person(['member', 'signatory'], KOMMUN, 'municipality'), report(KOMMUN), agreement).allowed).toBe(false);
    expect(permissionFor(person(['secretariat'], KOMMUN, 'municipality'), report(BILDA), agreement).allowed).toBe(false);
    expect(permissionFor(person(['secretariat'], KOMMUN, 'municipality'), { type: 'RECORD_FOLLOW_UP_MEETING' }, agreement).allowed).toBe(true);
    expect(whoMay('SUBMIT_YEARLY_REPORT')).toBe('en medlem eller firmatecknare i den idéburna part det gäller');
  });

  it('an amendment: proposed and withdrawn by the secretariat, agreed or refused by each party\'s signatory', () => {
    const office = person(['secretariat'], KOMMUN, 'municipality');
    expect(permissionFor(office, { type: 'PROPOSE_AMENDMENT' }, agreement).allowed).toBe(true);
    expect(permissionFor(office, { type: 'WITHDRAW_AMENDMENT' }, agreement).allowed).toBe(true);
    expect(permissionFor(office, { type: 'AGREE_TO_AMENDMENT', organisationId: KOMMUN }, agreement).allowed).toBe(false);
    expect(permissionFor(person(['signatory'], KOMMUN, 'municipality'), { type: 'AGREE_TO_AMENDMENT', organisationId: KOMMUN }, agreement).allowed).toBe(true);
    expect(permissionFor(person(['member'], BILDA), { type: 'REFUSE_AMENDMENT', organisationId: BILDA }, agreement).allowed).toBe(false);
    expect(permissionFor(person(['signatory'], BILDA), { type: 'PROPOSE_AMENDMENT' }, agreement).allowed).toBe(false);
  });

  it('hides an agreement from people outside it, and refuses them as if it did not exist', () => {
    const sut = person(['signatory', 'member'], OUTSIDE);
    expect(maySee(sut, agreement)).toBe(false);
    expect(permissionFor(sut, { type: 'SIGN', organisationId: OUTSIDE }, agreement)).toEqual({ allowed: false, visible: false, reason: 'Överenskommelsen finns inte.' });
    expect(maySee(person(['auditor'], OUTSIDE, 'municipality'), agreement)).toBe(true);
    expect(maySee(person([], BILDA), agreement)).toBe(false);
  });

  it('an auditor or administrator reads everything and sends nothing', () => {
    for (const roles of [['auditor'], ['administrator']] as const) {
      const sut = person(roles, KOMMUN, 'municipality');
      for (const type of Object.keys(COMMAND_RULES) as Array<keyof typeof COMMAND_RULES>) {
        expect(permissionFor(sut, { type, organisationId: KOMMUN, declaredBy: KOMMUN }, agreement).allowed).toBe(false);
      }
    }
  });

  it('says in Swedish who may do a thing', () => {
    expect(whoMay('DECLARE_TERMINATION')).toBe('en firmatecknare för den part det gäller eller nämndkansliet');
  });
});
