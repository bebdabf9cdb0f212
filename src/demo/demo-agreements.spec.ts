import { decisionDueDate, decisionWindowOpens } from '../../workflows/agreement/machine';
import { projectEconomics } from '../../workflows/agreement/economics';
import { timersOf } from '../../workflows/agreement/deadlines';
import { restore, stateCodeOf, type AgreementStateCode } from '../../workflows/agreement/persistence';
import { termsCompletenessProblems } from '../../workflows/agreement/terms';
import { TIMER_EVENT_TYPES } from '../../workflows/agreement/types';
import { calendarDateOf, isCalendarDate } from '../../workflows/calendar/calendar';
import { parseOrganisationNumber } from '../organisations/organisation-number';
import { DEMO_AGREEMENTS, DEMO_ORGANISATIONS, DEMO_PEOPLE, DEMO_TODAY, demoAgreementStart, invoiceMarking, type DemoAgreement } from './demo-agreements';
import { replayStory, type StoryStep } from './replay';

interface Expected {
  state: AgreementStateCode;
  endDate: string;
  extensionsUsed: number;
}

const EXPECTED: Record<string, Expected> = {
  'bromodellen-2024': { state: 'active', endDate: '2027-12-31', extensionsUsed: 1 },
  'hoppfull-framtid': { state: 'expired', endDate: '2023-12-31', extensionsUsed: 2 },
  'bromodellen-2020': { state: 'expired', endDate: '2023-12-31', extensionsUsed: 1 },
  'vi-ses': { state: 'expired', endDate: '2023-12-31', extensionsUsed: 0 },
  'kompletterande-spraktraning': { state: 'expired', endDate: '2023-12-31', extensionsUsed: 1 },
  'inkludering-pa-lika-villkor': { state: 'expired', endDate: '2022-12-31', extensionsUsed: 0 },
};

const agreement = (key: string): DemoAgreement => {
  const found = DEMO_AGREEMENTS.find((a) => a.key === key);
  if (!found) throw new Error(key);
  return found;
};
const replay = (a: DemoAgreement) => replayStory(demoAgreementStart(a), a.story, DEMO_TODAY);
const personOf = (key: string) => DEMO_PEOPLE.find((p) => p.key === key);

describe('demo organisations and people', () => {
  it('have valid, unique organisation numbers in the dashed form', () => {
    for (const o of DEMO_ORGANISATIONS) expect(parseOrganisationNumber(o.organisationNumber)).toEqual({ ok: true, value: o.organisationNumber });
    expect(new Set(DEMO_ORGANISATIONS.map((o) => o.organisationNumber)).size).toBe(DEMO_ORGANISATIONS.length);
    expect(new Set(DEMO_ORGANISATIONS.map((o) => o.key)).size).toBe(DEMO_ORGANISATIONS.length);
    const fromSeeds = DEMO_ORGANISATIONS.filter((o) => !o.organisationNumberIsFictional).map((o) => o.organisationNumber);
    expect(fromSeeds).toEqual(['212000-0449', '822001-0022']);
  });

  it('have unique keys and e-mails at example.se, each in a known organisation', () => {
    expect(new Set(DEMO_PEOPLE.map((p) => p.key)).size).toBe(DEMO_PEOPLE.length);
    expect(new Set(DEMO_PEOPLE.map((p) => p.email)).size).toBe(DEMO_PEOPLE.length);
    for (const p of DEMO_PEOPLE) {
      expect(p.email).toMatch(/^[a-z.]+@example\.se$/);
      expect(DEMO_ORGANISATIONS.some((o) => o.key === p.organisationKey)).toBe(true);
      expect(p.roles.length).toBeGreaterThan(0);
    }
    expect(personOf('kommun.schullstrom')).toMatchObject({ name: 'Mikaela Schullström', email: 'mikaela.schullstrom@example.se', fictional: false });
  });

  it('give every organisation a signatory and every role someone', () => {
    for (const o of DEMO_ORGANISATIONS) {
      expect(DEMO_PEOPLE.some((p) => p.organisationKey === o.key && p.roles.includes('signatory'))).toBe(true);
    }
    for (const role of ['secretariat', 'signatory', 'samverkansgrupp', 'member', 'auditor', 'administrator'] as const) {
      expect(DEMO_PEOPLE.some((p) => p.roles.includes(role))).toBe(true);
    }
  });
});

describe.each(DEMO_AGREEMENTS.map((a) => [a.key, a] as const))('demo agreement %s', (key, a) => {
  it('has complete terms', () => {
    expect(termsCompletenessProblems(a.terms)).toEqual([]);
  });

  it('names known organisations, signatories and samverkansgrupp members', () => {
    for (const party of a.terms.parties) {
      const organisation = DEMO_ORGANISATIONS.find((o) => o.key === party.organisationId);
      expect(organisation).toMatchObject({ name: party.name, kind: party.kind });
      const signatories = a.signatories[party.organisationId];
      expect(signatories?.length).toBeGreaterThan(0);
      for (const s of signatories) {
        expect(personOf(s)).toMatchObject({ organisationKey: party.organisationId });
        expect(personOf(s)?.roles).toContain('signatory');
      }
      expect(a.samverkansgrupp.some((m) => personOf(m)?.organisationKey === party.organisationId)).toBe(true);
    }
    expect(Object.keys(a.signatories).sort()).toEqual(a.terms.parties.map((p) => p.organisationId).sort());
    for (const m of a.samverkansgrupp) expect(personOf(m)?.roles).toContain('samverkansgrupp');
    expect(a.terms.parties.map((p) => p.organisationId)).toContain(a.initiative.organisationKey);
    expect(personOf(a.initiative.by)?.organisationKey).toBe(a.initiative.organisationKey);
  });

  it('has a story of people acting in date order for their own organisation', () => {
    const timerTypes: readonly string[] = TIMER_EVENT_TYPES;
    let previous = a.initiative.on;
    for (const s of a.story) {
      expect(isCalendarDate(s.on)).toBe(true);
      expect(s.on >= previous).toBe(true);
      previous = s.on;
      expect(timerTypes).not.toContain(s.event.type);
      expect('today' in s.event).toBe(false);
      const actor = personOf(s.by);
      expect(actor).toBeDefined();
      if (s.event.type === 'SUBMIT_YEARLY_REPORT') {
        // The partner's yearly report is handed in by one of its members or signatories.
        expect(actor?.organisationKey).toBe(s.event.organisationId);
      } else if ('organisationId' in s.event) {
        expect(a.signatories[s.event.organisationId]).toContain(s.by);
      } else {
        expect(actor?.roles).toContain('secretariat');
      }
    }
  });

  it('reaches its intended state on the demo date with every step applied', () => {
    const result = replay(a);
    expect(result.refused).toEqual([]);
    const storySteps = result.applied.filter((e) => e.source === 'story');
    expect(storySteps.map((e) => e.event)).toEqual(a.story.map((s) => ({ ...s.event, today: s.on })));
    for (const e of result.applied) expect(e.event.today).toBe(e.today);

    const expected = EXPECTED[key];
    expect(stateCodeOf(result.persisted.value)).toBe(expected.state);
    expect(result.persisted.context.endDate).toBe(expected.endDate);
    expect(result.persisted.context.extensionsUsed).toBe(expected.extensionsUsed);
  });

  it('has the committee cost as the municipality contribution and whole-krona economics', () => {
    const economics = a.terms.economics!;
    const kommun = economics.contributions.find((c) => c.organisationId === 'kommun');
    expect(kommun?.amountKr).toBe(a.committee.costPerYearKr);
    expect(economics.contributions.reduce((s, c) => s + c.shareBasisPoints, 0)).toBe(10000);
  });
});

describe('the demo stories', () => {
  it('has an expectation for every agreement', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(DEMO_AGREEMENTS.map((a) => a.key).sort());
  });

  it('Bromodellen 2024: signed autumn 2023, renewed in 2025, active with the next decision in 2027', () => {
    const a = agreement('bromodellen-2024');
    const { persisted, applied } = replay(a);
    const timers = applied.filter((e) => e.source === 'timer').map((e) => [e.event.type, e.today]);
    expect(timers).toEqual([
      ['START_DATE_REACHED', '2024-01-01'],
      ['DECISION_WINDOW_OPENED', '2025-03-31'],
      ['NEW_PERIOD_STARTED', '2026-01-01'],
    ]);
    const { context } = persisted;
    expect(context.signatures.map((s) => s.on)).toEqual(['2023-10-03', '2023-10-10', '2023-10-24']);
    expect(context.periodStart).toBe('2026-01-01');
    expect(context.pastDecisions).toHaveLength(1);
    expect(context.pastDecisions[0]).toMatchObject({ cycle: 1, dueDate: '2025-09-30', refusal: null });
    const snapshot = restore(persisted);
    expect(decisionDueDate(snapshot.context)).toBe('2027-09-30');
    expect(decisionWindowOpens(snapshot.context)).toBe('2027-03-31');
    // The follow-up of 2026 comes first: the meeting by 2026-12-31 (checked the day after), then the decision window.
    expect(timersOf(persisted).map((t) => [t.kind, t.event, calendarDateOf(t.firesAt)]).slice(0, 2)).toEqual([
      ['follow_up_meeting', 'FOLLOW_UP_OVERDUE', '2027-01-01'],
      ['decision_window', 'DECISION_WINDOW_OPENED', '2027-03-31'],
    ]);
    expect(context.followUps.map((r) => [r.duty, r.year])).toEqual([
      ['meeting', 2024],
      ['yearly_report', 2024],
      ['meeting', 2025],
      ['yearly_report', 2025],
    ]);
    expect(context.overdueFollowUps).toEqual([]);
  });

  it('Bromodellen 2024: the seed economics and the 2 % indexation', () => {
    const { terms, invoicing } = agreement('bromodellen-2024');
    const economics = terms.economics!;
    expect(economics.totalKr).toBe(2_368_800);
    expect(economics.contributions.map((c) => [c.organisationId, c.amountKr, c.shareBasisPoints])).toEqual([
      ['kommun', 1_658_160, 7000],
      ['bilda', 592_200, 2500],
      ['erikshjalpen', 118_440, 500],
    ]);
    const [, y2025] = projectEconomics(economics, terms.parties, 2024, 2025, 2024);
    expect(y2025.totalKr).toBe(2_416_176);
    expect(y2025.perParty.map((p) => p.amountKr)).toEqual([1_691_323, 604_044, 120_809]);
    expect(invoicing).toMatchObject({ gln: '7332776000001', organisationNumber: '212000-0449', peppolId: '0007:2120000449', reference: '150Z' });
    expect(invoiceMarking(invoicing, 'helår 2024')).toBe('IOP Bromodellen, helår 2024');
  });

  it('Hoppfull framtid: two extensions, expired 2024-01-01; the seed figures', () => {
    const a = agreement('hoppfull-framtid');
    const { persisted, applied } = replay(a);
    expect(persisted.context.pastDecisions.map((d) => d.dueDate)).toEqual(['2019-09-30', '2021-09-30']);
    expect(applied.at(-1)).toMatchObject({ source: 'timer', today: '2024-01-01', event: { type: 'END_DATE_PASSED' } });
    const economics = a.terms.economics!;
    expect(economics.totalKr).toBe(2_080_500);
    expect(economics.contributions.map((c) => [c.amountKr, c.shareBasisPoints])).toEqual([
      [1_100_000, 5287],
      [980_500, 4713],
    ]);
    expect(economics.costLines.slice(2).reduce((s, l) => s + l.amountKr, 0)).toBe(980_500);
    expect(a.invoicing.reference).toBe('385-612');
  });

  it('the seed-002 agreements carry the overview figures', () => {
    const figures = DEMO_AGREEMENTS.filter((a) => a.sources.includes('002')).map((a) => [
      a.key,
      a.terms.economics!.totalKr,
      a.committee.costPerYearKr,
      restore(replay(a).persisted).context.endDate,
    ]);
    expect(figures).toEqual([
      ['hoppfull-framtid', 2_080_500, 1_100_000, '2023-12-31'],
      ['bromodellen-2020', 1_791_200, 1_150_000, '2023-12-31'],
      ['vi-ses', 1_156_000, 600_000, '2023-12-31'],
      ['kompletterande-spraktraning', 897_626, 295_000, '2023-12-31'],
      ['inkludering-pa-lika-villkor', 454_000, 230_000, '2022-12-31'],
    ]);
    expect(agreement('vi-ses').terms.validity.startDate).toBe('2022-01-01');
    expect(agreement('bromodellen-2020').terms.economics!.contributions.map((c) => c.amountKr)).toEqual([1_150_000, 534_333, 106_867]);
  });

  it('Inkludering på lika villkor: the föreningen consented, the kommun refused, expired 2023-01-01', () => {
    const { persisted, applied } = replay(agreement('inkludering-pa-lika-villkor'));
    const [decision] = persisted.context.pastDecisions;
    expect(decision.consents).toEqual([{ organisationId: 'ikf', on: '2022-04-11' }]);
    expect(decision.refusal).toMatchObject({ organisationId: 'kommun', on: '2022-06-14' });
    expect(applied.at(-1)).toMatchObject({ today: '2023-01-01', event: { type: 'END_DATE_PASSED' } });
  });
});

describe('replayStory', () => {
  const a = agreement('vi-ses');
  const start = demoAgreementStart(a);

  it('stops at the given date, firing only timers due by then', () => {
    const { persisted, applied } = replayStory(start, a.story, '2021-12-31');
    expect(stateCodeOf(persisted.value)).toBe('signed');
    expect(applied.every((e) => e.source === 'story')).toBe(true);
    const onNewYear = replayStory(start, a.story, '2022-01-01');
    expect(stateCodeOf(onNewYear.persisted.value)).toBe('active');
  });

  it('leaves steps after the date unapplied', () => {
    const { persisted, applied } = replayStory(start, a.story, '2021-10-31');
    expect(stateCodeOf(persisted.value)).toBe('signing');
    expect(applied).toHaveLength(2);
  });

  it('reports refused steps and carries on', () => {
    const story: StoryStep[] = [
      { on: '2021-05-26', event: { type: 'SEND_FOR_SIGNING' }, by: 'kommun.sekretariat' },
      ...a.story,
    ];
    const { persisted, refused } = replayStory(start, story, DEMO_TODAY);
    expect(refused).toEqual([
      { event: { type: 'SEND_FOR_SIGNING', today: '2021-05-26' }, today: '2021-05-26', by: 'kommun.sekretariat', reason: 'not_in_state' },
    ]);
    expect(stateCodeOf(persisted.value)).toBe('expired');
  });

  it('fires timers due on a step date before the step', () => {
    const story: StoryStep[] = [
      ...a.story,
      { on: '2022-01-01', event: { type: 'CONSENT_TO_TERMINATION', organisationId: 'kommun' }, by: 'kommun.schullstrom' },
    ];
    const { applied, refused } = replayStory(start, story, '2022-01-01');
    expect(refused).toEqual([]);
    expect(applied.slice(-2).map((e) => e.event.type)).toEqual(['START_DATE_REACHED', 'CONSENT_TO_TERMINATION']);
  });

  it('refuses a story out of date order', () => {
    const story: StoryStep[] = [a.story[1], a.story[0]];
    expect(() => replayStory(start, story, DEMO_TODAY)).toThrow(RangeError);
  });

  it('does not change its input', () => {
    const before = JSON.stringify(start);
    replayStory(start, a.story, DEMO_TODAY);
    expect(JSON.stringify(start)).toBe(before);
  });
});
