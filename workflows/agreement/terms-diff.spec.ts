import { bromodellenTerms, followUpDuties, ORG } from './__fixtures__/factories';
import { termsChanges, termsEditReader } from './terms-diff';

/** Amounts and shares use non-breaking spaces ("2 368 800 kr"); the expectations are written with plain ones. */
const plain = (changes: ReturnType<typeof termsChanges> | null): ReturnType<typeof termsChanges> | null =>
  changes && changes.map((c) => ({ field: c.field, before: c.before.replace(/[\u00a0\u202f]/g, ' '), after: c.after.replace(/[\u00a0\u202f]/g, ' ') }));

describe('termsChanges', () => {
  const sut = (...args: Parameters<typeof termsChanges>) => plain(termsChanges(...args));

  it('names each changed field with its value before and after, in Swedish formats', () => {
    const before = bromodellenTerms();
    const after = bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: '2026-12-31' }, followUp: followUpDuties() });
    after.economics = { ...after.economics!, indexationBasisPoints: 250 };
    expect(sut(before, after)).toEqual([
      { field: 'Gäller till och med', before: '2025-12-31', after: '2026-12-31' },
      { field: 'Uppräkning per år', before: '2 %', after: '2,5 %' },
      { field: 'Uppföljningsmöten per år', before: '–', after: 'minst 1 gång' },
      { field: 'Årsrapport senast', before: '–', after: '31 mars året efter' },
    ]);
  });

  it('a cost line added and one removed, a contribution changed', () => {
    const before = bromodellenTerms();
    const e = before.economics!;
    const after = bromodellenTerms({
      economics: {
        ...e,
        costLines: [...e.costLines.filter((l) => l.label !== 'Lokaler'), { label: 'Hyra', amountKr: 372_000 }],
        contributions: e.contributions.map((c) => (c.organisationId === ORG.bilda ? { ...c, amountKr: 600_000 } : c)),
      },
    });
    expect(sut(before, after)).toEqual([
      { field: 'Kostnad: Hyra', before: '–', after: '372 000 kr' },
      { field: 'Bidrag: Studieförbundet Bilda Sydöst', before: '592 200 kr (25 %)', after: '600 000 kr (25 %)' },
      { field: 'Kostnad: Lokaler', before: '372 000 kr', after: '–' },
    ]);
  });

  it('nothing changed: no lines', () => {
    expect(sut(bromodellenTerms(), bromodellenTerms())).toEqual([]);
  });
});

describe('termsEditReader', () => {
  it('compares each applied edit with the terms before it, skipping refused attempts and other rows', () => {
    const read = termsEditReader();
    const sut = (row: Parameters<typeof read>[0]) => plain(read(row));
    const first = bromodellenTerms({ extension: null });
    const second = bromodellenTerms();
    const third = bromodellenTerms({ validity: { startDate: '2024-02-01', endDate: '2025-12-31' } });
    expect(sut({ eventType: 'PROPOSE_INITIATIVE', outcome: 'applied', payload: { terms: first } })).toBeNull();
    expect(sut({ eventType: 'ACCEPT_INITIATIVE', outcome: 'applied', payload: {} })).toBeNull();
    expect(sut({ eventType: 'UPDATE_TERMS', outcome: 'applied', payload: { terms: second } })).toEqual([
      { field: 'Förlängningsperiod', before: '–', after: '2 år' },
      { field: 'Antal förlängningar', before: '–', after: 'högst 2 gånger' },
      { field: 'Beslut om förlängning', before: '–', after: 'senast 3 månader före utgången' },
      { field: 'Beslutsfönster', before: '–', after: '6 månader före beslutsdagen' },
    ]);
    expect(sut({ eventType: 'UPDATE_TERMS', outcome: 'refused', payload: { terms: third } })).toBeNull();
    expect(sut({ eventType: 'UPDATE_TERMS', outcome: 'applied', payload: { terms: third } })).toEqual([{ field: 'Gäller från och med', before: '2024-01-01', after: '2024-02-01' }]);
  });

  it('names the agreement\'s own fields an edit changed (name, texts), once the history has said what they were', () => {
    const read = termsEditReader();
    const terms = bromodellenTerms();
    expect(read({ eventType: 'PROPOSE_INITIATIVE', outcome: 'applied', payload: { title: 'Bromo', terms } })).toBeNull();
    const texts = { title: 'Bromodellen', diarienummer: 'AN 2023-0042', committee: null, purpose: 'Fler i arbete.', targetGroup: '', activities: '', places: 20, placeCategory: null };
    // The initiative's row names only the name: the other fields' values before the first edit are not known, so not shown.
    expect(read({ eventType: 'UPDATE_TERMS', outcome: 'applied', payload: { terms, texts } })).toEqual([{ field: 'Namn', before: 'Bromo', after: 'Bromodellen' }]);
    // Only what changed since; a text-only edit without the name leaves the name alone.
    expect(read({ eventType: 'UPDATE_TERMS', outcome: 'applied', payload: { terms, texts: { ...texts, places: 24 } } })).toEqual([{ field: 'Antal platser', before: '20', after: '24' }]);
    expect(read({ eventType: 'UPDATE_TERMS', outcome: 'applied', payload: { terms, texts: { purpose: 'Fler i arbete och studier.' } } })).toEqual([
      { field: 'Syfte', before: 'Fler i arbete.', after: 'Fler i arbete och studier.' },
    ]);
  });
});
