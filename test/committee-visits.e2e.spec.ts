import { createPerson } from '@test/support/factories';
import { startTestApp, type TestApp } from '@test/support/test-app';

interface Template {
  id: string;
  verksamhetsinriktning: string;
  year: number;
  version: number;
  questions: Array<{ number: number; text: string; guidance: string[] }>;
}

interface Visit {
  id: string;
  visitDate: string;
  verksamhetsinriktning: string;
  template: { id: string; version: number; year: number };
  members: Array<{ name: string; side: string; sideLabel: string }>;
  officials: string[];
  answers: Array<{ number: number; question: string; answer: string | null }>;
}

const QUESTIONS_2023 = [
  { text: 'Hur ser arbetet med handlingsplaner ut?', guidance: ['Hur säkerställs att handlingsplaner är uppdaterade?'] },
  { text: 'Saknar verksamhetsinriktningen något från politiken i Linköpings kommun?' },
];

describe('committee visits (nämndbesök) on a template the secretariat keeps', () => {
  let t: TestApp;
  let secretariat: string;
  let auditor: string;
  let member: string;
  let signatory: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2023-06-12T08:00:00Z' });
    const kommun = (await t.admin().post('/organisations').send({ name: 'Linköpings kommun', organisationNumber: '212000-0449', kind: 'municipality' }).expect(201)).body;
    const bilda = (await t.admin().post('/organisations').send({ name: 'Studieförbundet Bilda Sydöst', organisationNumber: '817602-0520', kind: 'civil_society' }).expect(201)).body;
    secretariat = (await createPerson(t, { name: 'Karin Ek', email: 'karin@example.se', organisationId: kommun.id }, ['secretariat'])).id;
    auditor = (await createPerson(t, { name: 'Per Nyström', email: 'per@example.se', organisationId: kommun.id }, ['auditor'])).id;
    member = (await createPerson(t, { name: 'Ahmed Rahimi', email: 'ahmed@example.se', organisationId: bilda.id }, ['member'])).id;
    signatory = (await createPerson(t, { name: 'Maria Lund', email: 'maria@example.se', organisationId: bilda.id }, ['signatory'])).id;
  });
  afterAll(() => t.close());

  const template2023 = { verksamhetsinriktning: 'Arbetslik aktivitet', year: 2023, preparation: ['Verksamhetsstatistik'], questions: QUESTIONS_2023 };
  const visitBody = (templateId: string) => ({
    templateId,
    visitDate: '2023-06-07',
    members: [
      { name: 'Ingrid Sjöberg', side: 'majority' },
      { name: 'Tomas Wallin', side: 'majority' },
      { name: 'Hanna Berglund', side: 'opposition' },
      { name: 'Omar Nilsson', side: 'opposition' },
    ],
    officials: ['Karin Ek'],
    answers: [
      { question: 2, answer: 'Önskemål om långsiktiga uppdrag med öronmärkta medel.' },
      { question: 1, answer: 'Koordinatorn och deltagaren uppdaterar handlingsplanen tillsammans.' },
    ],
  });

  it('keeps a visit readable with the questions it was answered against after next year’s template', async () => {
    const first = (await t.as(secretariat).post('/committee/visit-templates').send(template2023).expect(201)).body as Template;
    expect(first).toMatchObject({ verksamhetsinriktning: 'Arbetslik aktivitet', year: 2023, version: 1 });
    expect(first.questions.map((q) => [q.number, q.text])).toEqual([
      [1, 'Hur ser arbetet med handlingsplaner ut?'],
      [2, 'Saknar verksamhetsinriktningen något från politiken i Linköpings kommun?'],
    ]);

    const visit = (await t.as(secretariat).post('/committee/visits').send(visitBody(first.id)).expect(201)).body as Visit;
    expect(visit).toMatchObject({ visitDate: '2023-06-07', verksamhetsinriktning: 'Arbetslik aktivitet', template: { id: first.id, version: 1, year: 2023 }, officials: ['Karin Ek'] });
    expect(visit.members.map((m) => [m.name, m.sideLabel])).toEqual([
      ['Ingrid Sjöberg', 'majoriteten'],
      ['Tomas Wallin', 'majoriteten'],
      ['Hanna Berglund', 'oppositionen'],
      ['Omar Nilsson', 'oppositionen'],
    ]);

    // The secretariat changes the form for 2024: a new version, the old one untouched.
    const next = (
      await t
        .as(secretariat)
        .post('/committee/visit-templates')
        .send({ ...template2023, verksamhetsinriktning: 'arbetslik aktivitet', year: 2024, questions: [{ text: 'Hur har deltagarnas progression följts upp under året?' }] })
        .expect(201)
    ).body as Template;
    expect(next).toMatchObject({ year: 2024, version: 2 });
    const listed = (await t.as(auditor).get('/committee/visit-templates?verksamhetsinriktning=Arbetslik%20aktivitet').expect(200)).body as Template[];
    expect(listed.map((l) => l.version)).toEqual([2, 1]);

    const read = (await t.as(auditor).get(`/committee/visits/${visit.id}`).expect(200)).body as Visit;
    expect(read.template.version).toBe(1);
    expect(read.answers.map((a) => [a.number, a.question, a.answer])).toEqual([
      [1, 'Hur ser arbetet med handlingsplaner ut?', 'Koordinatorn och deltagaren uppdaterar handlingsplanen tillsammans.'],
      [2, 'Saknar verksamhetsinriktningen något från politiken i Linköpings kommun?', 'Önskemål om långsiktiga uppdrag med öronmärkta medel.'],
    ]);
    expect((await t.admin().get('/committee/visits?year=2023').expect(200)).body.map((v: Visit) => v.id)).toEqual([visit.id]);
    expect((await t.admin().get('/committee/visits?year=2024').expect(200)).body).toEqual([]);
  });

  it('names every wrong field in Swedish and refuses unknown ones', async () => {
    const template = (await t.as(secretariat).post('/committee/visit-templates').send({ ...template2023, verksamhetsinriktning: 'Språk' }).expect(201)).body as Template;
    const shape = await t
      .as(secretariat)
      .post('/committee/visits')
      .send({ templateId: 'mall', visitDate: '7 juni', members: [{ name: '', side: 'vänster' }], officials: [], answers: [], betyg: 5 })
      .expect(400);
    expect(shape.body.problems).toEqual(
      expect.arrayContaining([
        { field: 'betyg', message: 'betyg är ett okänt fält' },
        { field: 'templateId', message: 'templateId ska vara mallens id (uuid)' },
        { field: 'visitDate', message: 'visitDate ska vara ett datum på formen ÅÅÅÅ-MM-DD' },
        { field: 'members.0.name', message: 'members.0.name får inte vara tom: ange ledamotens namn' },
        { field: 'members.0.side', message: 'members.0.side ska vara majority (majoriteten) eller opposition (oppositionen)' },
        { field: 'officials', message: 'officials: ange minst en tjänsteperson (den som för anteckningar)' },
      ]),
    );
    const rules = await t
      .as(secretariat)
      .post('/committee/visits')
      .send({ ...visitBody(template.id), visitDate: '2023-02-30', members: [{ name: 'Ingrid Sjöberg', side: 'majority' }], answers: [{ question: 3, answer: 'Svar' }] })
      .expect(400);
    expect(rules.body.problems).toEqual([
      { field: 'visitDate', message: 'visitDate är inte ett giltigt datum.' },
      { field: 'members', message: 'Ange minst en deltagande ledamot från oppositionen.' },
      { field: 'answers.0.question', message: 'Mallen (version 1) har ingen fråga 3; frågorna är 1–2.' },
    ]);
    const empty = await t.as(secretariat).post('/committee/visit-templates').send({ verksamhetsinriktning: ' ', year: 1999, questions: [] }).expect(400);
    expect(empty.body.problems).toEqual(
      expect.arrayContaining([
        { field: 'verksamhetsinriktning', message: 'verksamhetsinriktning får inte vara tom: ange vilken verksamhetsinriktning mallen gäller' },
        { field: 'year', message: 'year ska vara ett årtal 2000–2100' },
        { field: 'questions', message: 'questions: mallen behöver minst en fråga' },
      ]),
    );
  });

  it('is written by the secretariat only, and read by auditors and administrators: members and signatories are refused', async () => {
    const [template] = (await t.as(secretariat).get('/committee/visit-templates').expect(200)).body as Template[];
    for (const person of [member, signatory]) {
      const refused = await t.as(person).post('/committee/visits').send(visitBody(template.id)).expect(403);
      expect(refused.body.message).toBe('Bara nämndkansliet får dokumentera nämndbesök.');
      await t.as(person).get('/committee/visits').expect(403);
      await t.as(person).get('/committee/visit-templates').expect(403);
    }
    const auditorWrites = await t.as(auditor).post('/committee/visit-templates').send(template2023).expect(403);
    expect(auditorWrites.body.message).toBe('Bara nämndkansliet får skriva mallar för nämndbesök.');
    await t.admin().post('/committee/visits').send(visitBody(template.id)).expect(403);
    await t.http().get('/committee/visits').expect(401);
    await t.admin().get(`/committee/visits/00000000-0000-4000-8000-000000000000`).expect(404);
  });
});

describe('the demo data’s committee visit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: null, env: { DEMO_DATA: 'on', CLOCK_START: '2026-11-23T09:00:00+01:00' } });
  });
  afterAll(() => t.close());

  it('has the template of seed 003 and the visit of 2023-06-07 documented on it', async () => {
    const [template] = (await t.admin().get('/committee/visit-templates').expect(200)).body as Template[];
    expect(template).toMatchObject({ verksamhetsinriktning: 'Arbetslik aktivitet', year: 2023, version: 1 });
    expect(template.questions).toHaveLength(5);
    expect(template.questions[1].text).toBe('Hur ser arbetet med handlingsplaner ut?');
    const [visit] = (await t.admin().get('/committee/visits').expect(200)).body as Visit[];
    expect(visit).toMatchObject({ visitDate: '2023-06-07', template: { id: template.id } });
    expect(new Set(visit.members.map((m) => m.side))).toEqual(new Set(['majority', 'opposition']));
    expect(visit.answers.every((a) => a.answer !== null)).toBe(true);
  });
});
