import { COMMAND_RULES, PERSON_COMMAND_TYPES, PERSON_ROLES, ROLES_SEEING_ALL, type PersonCommandType, type PersonRole } from '@workflows/agreement/rules';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { bromodellenBody, createBromodellenParties, createPerson, sendEvent, type BromodellenParties } from '@test/support/factories';
import { amendmentBody, FOLLOW_UP_DUTIES, meetingBody, reportBody } from '@test/support/follow-up-factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

/**
 * The rules table, proven over HTTP: every role × every command × the person's organisation
 * (the party the command is for, another party, or an organisation outside the agreement).
 * What is expected is read from COMMAND_RULES here, in the test's own words; allowed commands
 * must succeed, all others be refused with 403 (or 404 where the agreement is not theirs to see)
 * and change nothing.
 */

type OrgCase = 'concerned' | 'coParty' | 'outsider';
const MUNICIPAL_ROLES: readonly PersonRole[] = ['administrator', 'secretariat', 'auditor'];

/** One way of sending a command; DECLARE_TERMINATION is sent either by a party or by the secretariat. */
interface Variant {
  type: PersonCommandType;
  name: string;
  /** The state the agreement must be in for the machine to take the command. */
  from:
    | 'initiative'
    | 'draft'
    | 'signing'
    | 'active'
    | 'extensionDecision.pending'
    | 'terminated.awaitingSettlement'
    | 'none'
    /** Active, with the follow-up duties of Hoppfull framtid. */
    | 'active.followUp'
    /** Active, with an amendment proposed by the secretariat. */
    | 'active.amendmentProposed';
  /** Sent on behalf of the concerned party (Bilda), or as the secretariat. */
  onBehalfOfParty: boolean;
  /** An initiative registered as received on paper (by the secretariat, on the proposer's behalf). */
  receivedVia?: string;
}

const VARIANTS: Variant[] = PERSON_COMMAND_TYPES.flatMap((type): Variant[] => {
  const party = (from: Variant['from']): Variant => ({ type, name: type, from, onBehalfOfParty: true });
  const office = (from: Variant['from']): Variant => ({ type, name: type, from, onBehalfOfParty: false });
  switch (type) {
    case 'PROPOSE_INITIATIVE':
      return [{ ...party('none') }, { ...party('none'), name: 'PROPOSE_INITIATIVE (inkommet på papper)', receivedVia: 'paper' }];
    case 'ACCEPT_INITIATIVE':
    case 'DECLINE_INITIATIVE':
      return [office('initiative')];
    case 'UPDATE_TERMS':
    case 'SEND_FOR_SIGNING':
    case 'SET_REMINDER_POLICY':
      return [office('draft')];
    case 'SIGN':
    case 'RETURN_TO_DRAFT':
      return [party('signing')];
    case 'CONSENT_TO_EXTENSION':
    case 'REFUSE_EXTENSION':
      return [party('extensionDecision.pending')];
    case 'CONSENT_TO_TERMINATION':
      return [party('active')];
    case 'DECLARE_TERMINATION':
      return [{ ...party('active'), name: 'DECLARE_TERMINATION (part)' }, { ...office('active'), name: 'DECLARE_TERMINATION (nämndkansliet)' }];
    case 'RECORD_SETTLEMENT':
      return [office('terminated.awaitingSettlement')];
    case 'RECORD_FOLLOW_UP_MEETING':
      return [office('active.followUp')];
    case 'SUBMIT_YEARLY_REPORT':
      return [party('active.followUp')];
    case 'PROPOSE_AMENDMENT':
      return [office('active')];
    case 'AGREE_TO_AMENDMENT':
    case 'REFUSE_AMENDMENT':
      return [party('active.amendmentProposed')];
    case 'WITHDRAW_AMENDMENT':
      return [office('active.amendmentProposed')];
  }
});

/** The table read in the test's own words: may a person of `role`, in an organisation that is `org`, send `variant`? */
function expectedAllowed(role: PersonRole, org: OrgCase, variant: Variant): boolean {
  return COMMAND_RULES[variant.type].some((capacity) => {
    switch (capacity) {
      case 'secretariat':
        return role === 'secretariat' && !variant.onBehalfOfParty;
      case 'member_of_proposing_organisation':
        return (role === 'member' || role === 'signatory') && org === 'concerned' && !variant.receivedVia;
      case 'secretariat_registering_received':
        return role === 'secretariat' && variant.receivedVia !== undefined;
      case 'signatory_of_party_concerned':
        return role === 'signatory' && org === 'concerned' && variant.onBehalfOfParty;
      case 'member_of_party_concerned':
        return (role === 'member' || role === 'signatory') && org === 'concerned' && variant.onBehalfOfParty;
    }
  });
}

/** Sees the agreement: the roles that see everything, or a member or signatory of a party. */
const expectedVisible = (role: PersonRole, org: OrgCase): boolean => ROLES_SEEING_ALL.includes(role) || org !== 'outsider';

describe('who may do what: the rules table over HTTP', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let sweeper: TimerSweeperService;
  /** people[role][org]: a person with exactly that role in such an organisation. */
  const people = {} as Record<PersonRole, Partial<Record<OrgCase, string>>>;

  beforeAll(async () => {
    // The matrix tries hundreds of invisible agreements within one frozen minute: not what the throttle is for (test/sign-in-hardening).
    t = await startTestApp({ now: '2023-05-01T08:00:00Z', env: { UNSEEN_AGREEMENT_ATTEMPTS_PER_MINUTE: '100000' } });
    p = await createBromodellenParties(t);
    sweeper = t.started.app.get(TimerSweeperService);
    const org = async (name: string, organisationNumber: string, kind: string) =>
      ((await t.admin().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body as { id: string }).id;
    const norrkoping = await org('Norrköpings kommun', '212000-0472', 'municipality');
    const redCross = await org('Röda Korset Linköping', '802002-8711', 'civil_society');
    // Municipal roles belong to people of a municipality: kommunen that is party, or one that is not.
    // Members and signatories: Bilda (the party commands are sent for), Erikshjälpen (another party), Röda Korset (outside).
    const orgsFor = (role: PersonRole): Array<[OrgCase, string]> =>
      MUNICIPAL_ROLES.includes(role)
        ? [['concerned', p.kommun.id], ['outsider', norrkoping]]
        : [['concerned', p.bilda.id], ['coParty', p.erikshjalpen.id], ['outsider', redCross]];
    for (const role of PERSON_ROLES) {
      people[role] = {};
      for (const [orgCase, organisationId] of orgsFor(role)) {
        const person = await createPerson(t, { name: `${role} ${orgCase}`, email: `${role}.${orgCase}@example.se`, organisationId }, [role]);
        people[role][orgCase] = person.id;
      }
    }
  });
  afterAll(() => t.close());

  // The matrix's signatories are named on the agreement, as the rules require of whoever signs for a party.
  const body = (overrides: Record<string, unknown> = {}) =>
    bromodellenBody(p, { signatoryIds: [p.kommunSignatory.id, p.bildaSignatory.id, p.ehSignatory.id, people.signatory.concerned, people.signatory.coParty], ...overrides });
  const SIGNED = ['ACCEPT_INITIATIVE', 'SEND_FOR_SIGNING'].map((type) => ({ type }));

  /** A fresh Bromodellen in `state`, driven there by the people the rules name. */
  async function agreementIn(state: Variant['from']): Promise<string> {
    // Validity chosen so that, on 2023-05-01, 'active' has its decision window far ahead and 'extensionDecision' has it open.
    const validity = state === 'extensionDecision.pending' ? { startDate: '2022-01-01', endDate: '2023-12-31' } : { startDate: '2023-01-01', endDate: '2025-12-31' };
    const followUp = state === 'active.followUp' ? { followUp: FOLLOW_UP_DUTIES } : {};
    const id = (await t.as(p.bildaSignatory.id).post('/agreements').send(body({ validity, ...followUp })).expect(201)).body.id as string;
    if (state === 'initiative') return id;
    await sendEvent(t, p, id, SIGNED[0]).expect(200);
    if (state === 'draft') return id;
    await sendEvent(t, p, id, SIGNED[1]).expect(200);
    if (state === 'signing') return id;
    for (const o of [p.kommun, p.bilda, p.erikshjalpen]) await sendEvent(t, p, id, { type: 'SIGN', organisationId: o.id }).expect(200);
    await sweeper.sweep();
    if (state === 'terminated.awaitingSettlement') {
      await sendEvent(t, p, id, { type: 'DECLARE_TERMINATION', declaredBy: 'secretariat', ground: 'material_breach', reason: 'Verksamheten har upphört.' }).expect(200);
    }
    if (state === 'active.amendmentProposed') await t.as(p.secretariat.id).post(`/agreements/${id}/amendments`).send(amendmentBody(p, 2024)).expect(201);
    const view = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { state: string };
    expect(view.state).toBe(state.startsWith('active.') ? 'active' : state);
    return id;
  }

  /** Sends the variant as `personId`, the way a client of the API would. */
  function attempt(variant: Variant, personId: string, agreementId: string | null) {
    const as = t.as(personId);
    const partyFields =
      variant.type === 'DECLARE_TERMINATION'
        ? { declaredBy: variant.onBehalfOfParty ? p.bilda.id : 'secretariat', ground: 'material_breach', reason: 'Avtalsbrott.' }
        : variant.onBehalfOfParty
          ? { organisationId: p.bilda.id }
          : {};
    if (variant.type === 'PROPOSE_INITIATIVE') return as.post('/agreements').send(body(variant.receivedVia ? { receivedVia: variant.receivedVia } : {}));
    if (variant.type === 'UPDATE_TERMS') {
      const { proposedByOrganisationId: _proposer, ...terms } = body({ places: 42 });
      return as.put(`/agreements/${agreementId}`).send(terms);
    }
    if (variant.type === 'SET_REMINDER_POLICY') return as.put(`/agreements/${agreementId}/reminder-policy`).send({ decisionDueBefore: [{ months: 2 }] });
    if (variant.type === 'RECORD_FOLLOW_UP_MEETING') return as.post(`/agreements/${agreementId}/follow-up/meetings`).send(meetingBody('2023-04-20'));
    if (variant.type === 'SUBMIT_YEARLY_REPORT') return as.post(`/agreements/${agreementId}/follow-up/reports`).send(reportBody(2023, p.bilda.id));
    if (variant.type === 'PROPOSE_AMENDMENT') return as.post(`/agreements/${agreementId}/amendments`).send(amendmentBody(p, 2024));
    if (variant.type === 'RECORD_SETTLEMENT') {
      return as.post(`/agreements/${agreementId}/events`).send({ type: variant.type, lines: [{ organisationId: p.bilda.id, amountKr: 1000 }], note: 'Slutreglering.' });
    }
    return as.post(`/agreements/${agreementId}/events`).send({ type: variant.type, reason: 'Skäl i ord.', ...partyFields });
  }

  const snapshotOf = async (id: string) => {
    const view = (await t.admin().get(`/agreements/${id}`).expect(200)).body as { state: string; rowVersion: number };
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND outcome = 'applied'`, [id]);
    return { state: view.state, rowVersion: view.rowVersion, applied: n };
  };

  const cases = VARIANTS.flatMap((variant) =>
    PERSON_ROLES.flatMap((role) =>
      (['concerned', 'coParty', 'outsider'] as OrgCase[])
        .filter((org) => !(MUNICIPAL_ROLES.includes(role) && org === 'coParty'))
        .map((org) => ({ variant, role, org, allowed: expectedAllowed(role, org, variant) })),
    ),
  );

  it('the matrix covers every command a person can send, every role and each kind of organisation', () => {
    expect(new Set(cases.map((c) => c.variant.type))).toEqual(new Set(PERSON_COMMAND_TYPES));
    expect(cases).toHaveLength(VARIANTS.length * (3 * 2 + 2 * 3));
    // Not a table that allows nothing or everything.
    expect(cases.filter((c) => c.allowed).length).toBeGreaterThanOrEqual(VARIANTS.length);
    expect(cases.filter((c) => !c.allowed).length).toBeGreaterThan(cases.length / 2);
  });

  describe.each(VARIANTS.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
    let shared: string | null = null;

    beforeAll(async () => {
      if (variant.from !== 'none') shared = await agreementIn(variant.from);
    });

    it.each(cases.filter((c) => c.variant === variant && !c.allowed).map((c) => [c.role, c.org] as const))('is refused for %s (%s) and changes nothing', async (role, org) => {
      const before = shared ? await snapshotOf(shared) : null;
      const agreementsBefore = (await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM agreement`))[0].n;
      const res = await attempt(variant, people[role][org] as string, shared);
      const expectedStatus = variant.from === 'none' || expectedVisible(role, org) ? 403 : 404;
      expect({ status: res.status, error: res.body.error }).toEqual({ status: expectedStatus, error: expectedStatus === 403 ? 'forbidden' : 'not_found' });
      if (shared) expect(await snapshotOf(shared)).toEqual(before);
      expect((await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM agreement`))[0].n).toBe(agreementsBefore);
    });

    it.each(cases.filter((c) => c.variant === variant && c.allowed).map((c) => [c.role, c.org] as const))('is allowed for %s (%s)', async (role, org) => {
      const id = variant.from === 'none' ? null : await agreementIn(variant.from);
      const before = id ? await snapshotOf(id) : null;
      const res = await attempt(variant, people[role][org] as string, id);
      expect(res.status).toBeLessThan(300);
      if (id) {
        const after = await snapshotOf(id);
        expect(after.rowVersion).toBeGreaterThan(before?.rowVersion ?? 0);
        expect(after.applied).toBe((before?.applied ?? 0) + 1);
      }
    });
  });

  it('records every refused attempt on an agreement in its history, naming the person, role and organisation; an outsider\'s goes to the security log instead', async () => {
    const id = await agreementIn('signing');
    await t.as(people.signatory.coParty as string).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(403);
    await t.as(people.signatory.outsider as string).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(404);
    // Refused before its input is read (an edit of the terms), and still recorded.
    const { proposedByOrganisationId: _p, ...terms } = body();
    await t.as(people.member.concerned as string).put(`/agreements/${id}`).send(terms).expect(403);
    const history = (await t.as(people.auditor.concerned as string).get(`/agreements/${id}/history`).expect(200)).body as Array<{
      outcome: string;
      actorName: string;
      actorRole: string;
      actorOrganisationName: string;
      payload: { refusedBecause?: string };
    }>;
    const forbidden = history.filter((h) => h.outcome === 'forbidden');
    expect(forbidden.map((h) => [h.actorName, h.actorRole, h.actorOrganisationName])).toEqual([
      ['signatory coParty', 'signatory', 'Erikshjälpen Linköping'],
      ['member concerned', 'member', 'Studieförbundet Bilda Sydöst'],
    ]);
    // Someone who cannot see the agreement cannot write into its history either.
    const logged = await t.dataSource.query<Array<{ actor_name: string; event_type: string }>>(`SELECT actor_name, event_type FROM security_event WHERE case_id = $1`, [id]);
    expect(logged).toEqual([{ actor_name: 'signatory outsider', event_type: 'SIGN' }]);
    expect(forbidden[0].payload.refusedBecause).toContain('firmatecknare för den part det gäller');
  });

  it('a signature is once per party, and the history names the role the person signed in', async () => {
    const id = await agreementIn('signing');
    await t.as(people.signatory.concerned as string).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(200);
    const again = await t.as(people.signatory.concerned as string).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(409);
    expect(again.body.error).toBe('event_not_allowed');
    const history = (await t.admin().get(`/agreements/${id}/history`).expect(200)).body as Array<{ eventType: string; outcome: string; actorRole: string; actorName: string }>;
    expect(history.filter((h) => h.eventType === 'SIGN' && h.outcome === 'applied').map((h) => [h.actorName, h.actorRole])).toEqual([['signatory concerned', 'signatory']]);
  });

  it('offers each person only the actions they may take now', async () => {
    const id = await agreementIn('signing');
    const offered = async (personId: string) =>
      ((await t.as(personId).get(`/agreements/${id}/allowed-events`).expect(200)).body as { events: Array<{ type: string; organisationId?: string }> }).events;
    expect(await offered(people.signatory.concerned as string)).toEqual([
      expect.objectContaining({ type: 'RETURN_TO_DRAFT', organisationId: p.bilda.id }),
      expect.objectContaining({ type: 'SIGN', organisationId: p.bilda.id }),
    ]);
    expect(await offered(people.member.concerned as string)).toEqual([]);
    expect(await offered(people.auditor.concerned as string)).toEqual([]);
    await t.as(people.signatory.outsider as string).get(`/agreements/${id}/allowed-events`).expect(404);
    await t.as(people.signatory.concerned as string).post(`/agreements/${id}/events`).send({ type: 'SIGN', organisationId: p.bilda.id }).expect(200);
    // Signed once: no second signature is offered (sending it back to draft still is, until all have signed).
    expect((await offered(people.signatory.concerned as string)).map((e) => e.type)).toEqual(['RETURN_TO_DRAFT']);
  });

  it('answers the anonymous with 401 and changes nothing', async () => {
    const id = await agreementIn('draft');
    const res = await t.http().post(`/agreements/${id}/events`).send({ type: 'SEND_FOR_SIGNING' }).expect(401);
    expect(res.body.error).toBe('unauthenticated');
    await t.http().post('/agreements').send(body()).expect(401);
    expect((await snapshotOf(id)).state).toBe('draft');
  });
});

describe('reading across organisations', () => {
  let t: TestApp;
  let p: BromodellenParties;
  let agreementId: string;
  let outsider: string;
  let bildaMember: string;
  const MISSING = '00000000-0000-4000-8000-000000000000';

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-05-01T08:00:00Z' });
    p = await createBromodellenParties(t);
    const redCross = ((await t.admin().post('/organisations').send({ name: 'Röda Korset Linköping', organisationNumber: '802002-8711', kind: 'civil_society' }).expect(201)).body as { id: string }).id;
    outsider = (await createPerson(t, { name: 'Rut Utanför', email: 'rut@example.se', organisationId: redCross }, ['signatory', 'member'])).id;
    bildaMember = (await createPerson(t, { name: 'Bo Medlem', email: 'bo@example.se', organisationId: p.bilda.id }, ['member'])).id;
    agreementId = (await t.as(p.bildaSignatory.id).post('/agreements').send(bromodellenBody(p)).expect(201)).body.id as string;
    await sendEvent(t, p, agreementId, { type: 'ACCEPT_INITIATIVE' }).expect(200);
  });
  afterAll(() => t.close());

  const ID_ENDPOINTS = ['', '/allowed-events', '/economics', '/history', '/history.csv', '/notifications'];

  it.each(ID_ENDPOINTS)('GET /agreements/:id%s: another organisation gets exactly what a missing agreement gets', async (suffix) => {
    const theirs = await t.as(outsider).get(`/agreements/${agreementId}${suffix}`);
    const missing = await t.as(outsider).get(`/agreements/${MISSING}${suffix}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
    expect(theirs.text).not.toContain('Bromodellen');
    await t.as(bildaMember).get(`/agreements/${agreementId}${suffix}`).expect(200);
  });

  it('writes to another organisation\'s agreement are answered as if it did not exist', async () => {
    const { proposedByOrganisationId: _p, ...terms } = bromodellenBody(p);
    const edit = await t.as(outsider).put(`/agreements/${agreementId}`).send(terms);
    const editMissing = await t.as(outsider).put(`/agreements/${MISSING}`).send(terms);
    expect([edit.status, edit.body]).toEqual([404, editMissing.body]);
    await t.as(outsider).put(`/agreements/${agreementId}/reminder-policy`).send({}).expect(404);
  });

  it('lists and the overview hold only the organisation\'s own agreements', async () => {
    expect((await t.as(outsider).get('/agreements').expect(200)).body).toEqual([]);
    expect(((await t.as(bildaMember).get('/agreements').expect(200)).body as Array<{ id: string }>).map((a) => a.id)).toEqual([agreementId]);
    expect((await t.as(outsider).get(`/agreements?partner=${p.bilda.id}`).expect(200)).body).toEqual([]);
    expect((await t.as(outsider).get('/overview').expect(200)).body).toEqual([]);
  });

  it('members see the people of their own organisation only; the secretariat sees all', async () => {
    const names = async (personId: string, query = '') => ((await t.as(personId).get(`/people${query}`).expect(200)).body as Array<{ name: string }>).map((x) => x.name);
    expect(await names(outsider)).toEqual(['Rut Utanför']);
    expect(await names(outsider, `?organisationId=${p.bilda.id}`)).toEqual([]);
    expect(await names(p.secretariat.id, `?organisationId=${p.bilda.id}`)).toEqual(['Bilda Firmatecknare', 'Bo Medlem']);
  });

  it('only the office reads failed mail and the mailbox, and only auditors and the office verify every chain', async () => {
    for (const path of ['/notifications/failed', '/mailbox']) {
      expect((await t.as(bildaMember).get(path)).status).toBe(403);
      expect((await t.as(p.secretariat.id).get(path)).status).toBe(200);
    }
    expect((await t.as(bildaMember).get('/audit/verify')).status).toBe(403);
    expect((await t.as(p.secretariat.id).get('/audit/verify')).status).toBe(200);
    expect((await t.http().get('/agreements')).status).toBe(401);
  });
});

describe('account administration', () => {
  let t: TestApp;
  let p: BromodellenParties;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-05-01T08:00:00Z' });
    p = await createBromodellenParties(t);
  });
  afterAll(() => t.close());

  it('only administrators manage accounts', async () => {
    await t.as(p.secretariat.id).get('/accounts').expect(403);
    await t.as(p.secretariat.id).put(`/accounts/${p.bildaSignatory.id}/roles`).send({ roles: ['member'] }).expect(403);
    await t.http().get('/accounts').expect(401);
    const list = (await t.admin().get('/accounts').expect(200)).body as Array<{ person: { name: string }; roles: string[]; hasPassword: boolean }>;
    expect(list.find((a) => a.person.name === 'Bilda Firmatecknare')).toMatchObject({ roles: ['signatory'], hasPassword: false });
    expect(JSON.stringify(list)).not.toMatch(/argon2|password_hash/);
  });

  it('municipal roles go only to people of a municipality, with a message saying why', async () => {
    const res = await t.admin().put(`/accounts/${p.bildaSignatory.id}/roles`).send({ roles: ['secretariat'] }).expect(400);
    expect(res.body.problems[0]).toMatchObject({ field: 'roles', message: expect.stringContaining('Studieförbundet Bilda Sydöst') });
    const unknown = await t.admin().put(`/accounts/${p.bildaSignatory.id}/roles`).send({ roles: ['kung'] }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('roles får bara innehålla');
  });

  it('a password set by the administrator lets the person sign in; disabling ends their session at once', async () => {
    const password = 'ett-långt-lösenord-för-eh-2023';
    await t.admin().put(`/accounts/${p.ehSignatory.id}/password`).send({ password: 'kort' }).expect(400);
    await t.admin().put(`/accounts/${p.ehSignatory.id}/password`).send({ password }).expect(200);
    const origin = new URL(t.started.config.publicBaseUrl).origin;
    const login = await t.http().post('/auth/login').set('Origin', origin).send({ email: 'eh@example.se', password }).expect(200);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('iop_session='))?.split(';')[0] ?? '';
    await t.http().get('/auth/me').set('Cookie', cookie).expect(200);
    await t.admin().put(`/accounts/${p.ehSignatory.id}/disabled`).send({ disabled: true }).expect(200);
    await t.http().get('/auth/me').set('Cookie', cookie).expect(401);
    await t.http().post('/auth/login').set('Origin', origin).send({ email: 'eh@example.se', password }).expect(401);
    await t.admin().put(`/accounts/${t.administratorId}/disabled`).send({ disabled: true }).expect(409);
    await t.admin().put(`/accounts/${p.ehSignatory.id}/disabled`).send({ disabled: false }).expect(200);

    const changes = (await t.admin().get(`/accounts/${p.ehSignatory.id}/changes`).expect(200)).body as Array<{ change: string; by: string }>;
    expect(changes.map((c) => c.change)).toEqual(['roles_set', 'password_set', 'disabled', 'enabled']);
    expect(changes.every((c) => c.by === 'Ada Administratör')).toBe(true);
  });
});
