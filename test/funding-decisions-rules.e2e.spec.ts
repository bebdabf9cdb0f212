import { FUNDING_COMMAND_RULES, type FundingCapacity } from '@workflows/funding-decision/rules';
import { FUNDING_PERSON_EVENTS } from '@app/funding-decisions/dto/funding-decision.dto';
import { meetingPlan2018 } from '@workflows/funding-decision/__fixtures__/seed-004';
import { createPerson } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

type Persona = 'secretariat' | 'official' | 'partnerMember' | 'outsider' | 'anonymous';

/** What the rules table says a persona gets for a command: past the rules, refused (seeing the case), not found, or asked to sign in. */
function expected(persona: Persona, capacities: readonly FundingCapacity[], creating: boolean): 'passes' | 403 | 404 | 401 {
  if (persona === 'anonymous') return 401;
  const holds = (persona === 'secretariat' && capacities.includes('secretariat')) || (persona === 'official' && capacities.includes('responsible_official') && !creating);
  if (holds) return 'passes';
  // A new case has no one it could be hidden from; an existing one is hidden from those who may not see it.
  return persona === 'outsider' && !creating ? 404 : 403;
}

/**
 * The funding decision's rules matrix over HTTP, generated from its rules table
 * (workflows/funding-decision/rules.ts): every command a person can send, as every kind of person.
 * A refusal of someone who sees the case is in its history; of someone who does not, in the security log.
 */
describe('funding decision rules over HTTP, every command × every persona', () => {
  let t: TestApp;
  let ids: Record<Exclude<Persona, 'anonymous'>, string>;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2018-06-01T08:00:00Z' });
    const org = async (name: string, organisationNumber: string, kind: string) => (await t.admin().post('/organisations').send({ name, organisationNumber, kind }).expect(201)).body.id as string;
    const kommun = await org('Linköpings kommun', '212000-0449', 'municipality');
    const leanlink = await org('Idrott & Service (Leanlink)', '212000-0506', 'municipality');
    const bilda = await org('Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society');
    ids = {
      secretariat: (await createPerson(t, { name: 'Nina', email: 'nina@example.se', organisationId: kommun }, ['secretariat'])).id,
      official: (await createPerson(t, { name: 'Anne Hallberg', email: 'anne@example.se', organisationId: kommun }, ['member'])).id,
      partnerMember: (await createPerson(t, { name: 'Leanlinks arbetsledare', email: 'ledare@example.se', organisationId: leanlink }, ['member'])).id,
      outsider: (await createPerson(t, { name: 'Bilda Firmatecknare', email: 'bilda@example.se', organisationId: bilda }, ['signatory'])).id,
    };
    for (const m of meetingPlan2018()) await t.as(ids.secretariat).post('/meetings').send({ meetingId: m.meetingId, committee: m.committee, date: m.date, papersDueOn: m.papersDueOn }).expect(201);
    caseId = (await t.as(ids.secretariat).post('/funding-decisions').send(createBody(leanlink)).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const createBody = (partnerId: string) => ({
    committee: 'Bildningsnämnden',
    title: 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)',
    preparedBy: 'Utbildningsförvaltningen',
    proposal: {
      summary: 'Bildningsnämnden beviljar medel.',
      amountKr: 530_000,
      budgetLine: 'Arbetsmarknadsinsatser',
      partner: { organisationId: partnerId },
      period: { startDate: '2018-06-01', endDate: '2018-12-31' },
      officials: [{ personId: ids.official, name: 'Anne Hallberg' }],
      recipients: [{ name: 'Arbetsförmedlingen' }],
      followUps: [{ key: 'skriftlig-utvardering-december', kind: 'written_evaluation', meetingId: 'bin-2018-12' }],
    },
  });

  const personas: Persona[] = ['secretariat', 'official', 'partnerMember', 'outsider', 'anonymous'];
  const client = (persona: Persona) => (persona === 'anonymous' ? t.http() : t.as(ids[persona]));

  it('lists every command a person can send in the rules table, and nothing else', () => {
    expect(Object.keys(FUNDING_COMMAND_RULES).sort()).toEqual(['PREPARE', ...FUNDING_PERSON_EVENTS, 'MEETING_RESCHEDULED'].sort());
  });

  it.each(personas)('answers %s as the rules table says, for every command', async (persona) => {
    const got: string[] = [];
    const want: string[] = [];
    const partnerId = (await t.dataSource.query(`SELECT context->'proposal'->'partner'->>'organisationId' AS id FROM funding_decision WHERE id = $1`, [caseId]))[0].id as string;
    const prepare = await client(persona).post('/funding-decisions').send(createBody(partnerId));
    got.push(`PREPARE ${[200, 201, 400, 409].includes(prepare.status) ? 'passes' : prepare.status}`);
    want.push(`PREPARE ${expected(persona, FUNDING_COMMAND_RULES.PREPARE, true)}`);
    for (const type of FUNDING_PERSON_EVENTS) {
      // Only the type: who may send it is decided before what it carries.
      const res = await client(persona).post(`/funding-decisions/${caseId}/events`).send({ type });
      got.push(`${type} ${[200, 400, 409].includes(res.status) ? 'passes' : res.status}`);
      want.push(`${type} ${expected(persona, FUNDING_COMMAND_RULES[type], false)}`);
    }
    expect(got).toEqual(want);
  });

  it('keeps the refusals: in the case history for those who see it, in the security log for those who do not', async () => {
    const forbidden = await t.dataSource.query<Array<{ actor_name: string; n: number }>>(
      `SELECT actor_name, count(*)::int AS n FROM audit_event WHERE case_id = $1 AND outcome = 'forbidden' GROUP BY actor_name ORDER BY actor_name`,
      [caseId],
    );
    const officialRefused = FUNDING_PERSON_EVENTS.filter((type) => !FUNDING_COMMAND_RULES[type].includes('responsible_official')).length;
    expect(forbidden).toEqual([
      { actor_name: 'Anne Hallberg', n: officialRefused },
      { actor_name: 'Leanlinks arbetsledare', n: FUNDING_PERSON_EVENTS.length },
    ]);
    const unseen = await t.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM security_event WHERE case_id = $1 AND case_type = 'funding_decision' AND person_id = $2`, [
      caseId,
      ids.outsider,
    ]);
    expect(unseen[0].n).toBe(FUNDING_PERSON_EVENTS.length);
  });
});
