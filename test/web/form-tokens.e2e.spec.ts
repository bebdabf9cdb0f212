/**
 * Issue 11: every web form that creates something carries a one-time token. Over HTTP with a real
 * session cookie (no browser): the form page is fetched, its fields posted as a browser would, then
 * the very same submission again (a double click or a reload). Each time exactly one row is created
 * (counted in SQL), and the second answer is a redirect to where the first one went — never a 500.
 */
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { createBromodellenParties, createPerson, type BromodellenParties } from '@test/support/factories';
import { FOLLOW_UP_DUTIES } from '@test/support/follow-up-factories';
import { TEST_ADMINISTRATOR } from '@test/support/test-app';
import { formFields, HttpSession, withValues, type FormFields } from './support/http-session';
import { signedBromodellen, withPasswords } from './support/session';
import { startWebTestApp, type WebTestApp } from './support/web-app';

jest.setTimeout(60_000);

describe('one-time tokens on the web forms that create something', () => {
  let t: WebTestApp;
  let p: BromodellenParties;
  let agreementId: string;
  const sessions = new Map<string, HttpSession>();
  const sessionOf = (email: string): HttpSession => {
    const session = sessions.get(email);
    if (!session) throw new Error(`Ingen session för ${email}`);
    return session;
  };

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await t.dataSource.query<Array<{ n: string }>>(sql, params))[0]?.n);

  /**
   * Posts the form twice with the same token; returns both answers. The second must be the same
   * redirect as the first, and exactly one row must have been created.
   */
  async function postTwice(session: HttpSession, action: string, fields: FormFields, rows: () => Promise<number>) {
    expect(fields.filter(([n]) => n === 'formToken')).toHaveLength(1);
    const before = await rows();
    const first = await session.post(action, fields);
    expect({ status: first.status, body: first.status === 303 ? '' : (first.text.match(/<div class="(error-summary|flash[^"]*)"[\s\S]*?<\/div>/g) ?? []).join('\n') }).toEqual({ status: 303, body: '' });
    const second = await session.post(action, fields);
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await rows()).toBe(before + 1);
    // And a third time, for a reload after the redirect was lost.
    const third = await session.post(action, fields);
    expect(third.status).toBe(303);
    expect(await rows()).toBe(before + 1);
    return { first, second };
  }

  beforeAll(async () => {
    t = await startWebTestApp('2023-10-01T08:00:00Z');
    p = await createBromodellenParties(t);
    const member = await createPerson(t, { name: 'Bo Medlem', email: 'bo@example.se', organisationId: p.bilda.id }, ['member']);
    await withPasswords(t, [
      [p.secretariat, ['secretariat']],
      [p.bildaSignatory, ['signatory']],
      [member, ['member']],
      [{ id: t.administratorId }, ['administrator']],
    ]);
    agreementId = await signedBromodellen(t, p, { followUp: FOLLOW_UP_DUTIES });
    t.clock.freeze('2024-11-20T08:00:00Z');
    await t.started.app.get(TimerSweeperService).sweep();
    for (const email of ['nina@example.se', 'bilda@example.se', 'bo@example.se', TEST_ADMINISTRATOR.email]) sessions.set(email, await HttpSession.signIn(t, email));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('new initiative: one agreement, the second submit goes to it', async () => {
    const s = sessionOf('bilda@example.se');
    const fields = withValues(await s.form('/initiativ/ny'), {
      title: 'Läxhjälp i Skäggetorp',
      purpose: 'Läxhjälp för barn i årskurs 4–9.',
      targetGroup: 'Barn i årskurs 4–9.',
      activities: 'Läxhjälp två kvällar i veckan.',
      municipality: p.kommun.id,
    });
    const { first } = await postTwice(s, '/initiativ/ny', fields, () => count(`SELECT count(*) AS n FROM agreement WHERE title = 'Läxhjälp i Skäggetorp'`));
    expect(first.headers.location).toMatch(/^\/overenskommelser\/[0-9a-f-]{36}\?utfort=PROPOSE_INITIATIVE$/);
  });

  it('follow-up meeting: one meeting', async () => {
    const s = sessionOf('nina@example.se');
    const path = `/overenskommelser/${agreementId}/uppfoljning/mote`;
    const fields = withValues(await s.form(path), { 'participantNames.0.name': 'Anna Berg, förvaltningen', notes: 'Genomgång av hösten.' });
    const { first } = await postTwice(s, path, fields, () => count(`SELECT count(*) AS n FROM follow_up_meeting WHERE agreement_id = $1`, [agreementId]));
    expect(first.headers.location).toBe(`/overenskommelser/${agreementId}?utfort=RECORD_FOLLOW_UP_MEETING`);
  });

  it('yearly report: one report', async () => {
    const s = sessionOf('bo@example.se');
    const path = `/overenskommelser/${agreementId}/uppfoljning/arsrapport`;
    const fields = withValues(await s.form(path), {
      text: 'Verksamheten under året: studiecirklar och arbetsträning enligt plan.',
      participantsCount: '64',
      gaProgressCount: '23',
      'outcomes.work': '9',
      'outcomes.studies': '6',
      'outcomes.otherActivity': '14',
      'outcomes.noChange': '11',
      placesUsed: '38',
    });
    const { first } = await postTwice(s, path, fields, () => count(`SELECT count(*) AS n FROM follow_up_report WHERE agreement_id = $1`, [agreementId]));
    expect(first.headers.location).toBe(`/overenskommelser/${agreementId}?utfort=SUBMIT_YEARLY_REPORT`);
  });

  it('committee visit template and visit: one of each, the visit’s second submit goes to the visit', async () => {
    const s = sessionOf('nina@example.se');
    const template = withValues(await s.form('/namndbesok/mall/ny'), {
      verksamhetsinriktning: 'Arbetslik aktivitet',
      year: '2024',
      instructions: 'Besöket tar en timme.',
      'questions.0.text': 'Hur följs deltagarnas progression upp?',
    });
    const { first: saved } = await postTwice(s, '/namndbesok/mall/ny', template, () => count(`SELECT count(*) AS n FROM visit_template`));
    expect(saved.headers.location).toBe('/namndbesok?sparat=mall');

    const visit = withValues(await s.form('/namndbesok/nytt'), {
      'members.0.name': 'Ingrid Sjöberg',
      'members.1.name': 'Olle Holm',
      'officials.0.name': 'Karin Ek',
      'answerTo.1.answer': 'Med en plan per deltagare.',
    });
    const { first } = await postTwice(s, '/namndbesok/nytt', visit, () => count(`SELECT count(*) AS n FROM committee_visit`));
    expect(first.headers.location).toMatch(/^\/namndbesok\/[0-9a-f-]{36}\?sparat=besok$/);
  });

  it('administration: one organisation and one person (no "already exists" on the second submit)', async () => {
    const s = sessionOf(TEST_ADMINISTRATOR.email);
    const page = (await s.get('/administration').expect(200)).text;
    const organisation = withValues(formFields(page, '/administration/organisationer'), { name: 'Stadsmissionen Linköping', organisationNumber: '802002-8711', kind: 'civil_society' });
    await postTwice(s, '/administration/organisationer', organisation, () => count(`SELECT count(*) AS n FROM organisation WHERE organisation_number = '802002-8711'`));
    const person = withValues(formFields(page, '/administration/personer'), { name: 'Pia Person', email: 'pia@example.se', organisationId: p.bilda.id, roles: 'member' });
    await postTwice(s, '/administration/personer', person, () => count(`SELECT count(*) AS n FROM person WHERE email = 'pia@example.se'`));
  });

  it('amendment proposal: one tillägg, though proposing is no longer allowed once it is proposed', async () => {
    const s = sessionOf('nina@example.se');
    const path = `/overenskommelser/${agreementId}/tillagg`;
    const fields = withValues(await s.form(path), { reason: 'Bilda utökar med en fjärde tjänst.' });
    const proposed = () => count(`SELECT count(*) AS n FROM audit_event WHERE case_id = $1 AND event_type = 'PROPOSE_AMENDMENT' AND outcome = 'applied'`, [agreementId]);
    const { first } = await postTwice(s, path, fields, proposed);
    expect(first.headers.location).toBe(`/overenskommelser/${agreementId}?utfort=PROPOSE_AMENDMENT`);
  });

  it('the same token with other content: a Swedish notice, nothing created', async () => {
    const s = sessionOf('nina@example.se');
    const fields = await s.form('/namndbesok/mall/ny');
    const base = withValues(fields, { verksamhetsinriktning: 'Språk', year: '2024', instructions: 'Kort besök.', 'questions.0.text': 'Vad fungerar?' });
    const before = await count(`SELECT count(*) AS n FROM visit_template`);
    await s.post('/namndbesok/mall/ny', base).expect(303);
    const other = await s.post('/namndbesok/mall/ny', withValues(base, { instructions: 'Långt besök.' }));
    expect(other.status).toBe(422);
    expect(other.text).toContain('Formuläret har redan skickats');
    expect(other.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await count(`SELECT count(*) AS n FROM visit_template`)).toBe(before + 1);
  });

  it('a form shown again with its problems keeps its token, and the corrected submit creates once', async () => {
    const s = sessionOf('nina@example.se');
    const fields = withValues(await s.form('/namndbesok/mall/ny'), { verksamhetsinriktning: 'Friluftsliv', year: '2024', instructions: '', 'questions.0.text': '' });
    const token = fields.find(([n]) => n === 'formToken')?.[1];
    const refused = await s.post('/namndbesok/mall/ny', fields);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`name="formToken" value="${token}"`);
    const corrected = withValues(fields, { instructions: 'Besöket tar en timme.', 'questions.0.text': 'Hur går det?' });
    await postTwice(s, '/namndbesok/mall/ny', corrected, () => count(`SELECT count(*) AS n FROM visit_template WHERE verksamhetsinriktning = 'Friluftsliv'`));
  });
});
