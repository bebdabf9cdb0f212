import { agreementDocument, blocksOf, kronorText, sectionTextProblem, shareText, type DocumentInput } from './document';

/** Bromodellen's terms as seed 000 states them. */
function bromodellen(overrides: Partial<DocumentInput> = {}): DocumentInput {
  const party = (organisationId: string, name: string, organisationNumber: string, kind: string, contributionKr: number, shareBasisPoints: number) => ({ organisationId, name, organisationNumber, kind, contributionKr, shareBasisPoints });
  return {
    title: 'Bromodellen',
    diarienummer: 'AN 2023-0042',
    committee: 'Arbetsmarknadsnämnden',
    purpose: 'Partnerskapet syftar till att stärka och stötta individer.\n\nParterna skall sträva efter att:\n\n● stärka sitt gemensamma språk och sin\ngemensamma referensram\n\n● skapa en miljö som präglas av tillit',
    targetGroup: 'Individer aktuella för arbetsmarknadsnämndens insatser.',
    activities: 'Bildande insatser med arbetsträning.',
    places: 40,
    placeCategory: null,
    texts: {},
    parties: [party('k', 'Linköpings kommun', '212000-0449', 'municipality', 1658160, 7000), party('b', 'Studieförbundet Bilda Sydöst', '817602-0520', 'civil_society', 592200, 2500), party('e', 'Erikshjälpen Linköping', '802011-1913', 'civil_society', 118440, 500)],
    economics: {
      totalKr: 2368800,
      indexationBasisPoints: 200,
      costLines: [
        { label: 'undervisning, handledning, uppföljning (3 tjänster)', amountKr: 1670400 },
        { label: 'handledarstöd (0,5 tjänst)', amountKr: 278400 },
        { label: 'lokaler', amountKr: 372000 },
        { label: 'utbildningsmaterial', amountKr: 48000 },
      ],
    },
    invoicing: { gln: '7332776000001', organisationNumber: '212000-0449', peppolId: '0007:2120000449', reference: '150Z', marking: 'ID 150010, AKTIVITET: 450211', address: null },
    startDate: '2024-01-01',
    endDate: '2025-12-31',
    extension: { periodMonths: 24, maxExtensions: 2, decisionNoticeMonths: 3 },
    followUp: { meetingsPerYear: 1, yearlyReport: { dueMonth: 3, dueDay: 31 } },
    signatories: [{ name: 'Mikaela Schullström', organisationId: 'k' }],
    ...overrides,
  };
}

const textOf = (input: DocumentInput): string => JSON.stringify(agreementDocument(input));

describe('the agreement document', () => {
  describe('blocksOf', () => {
    it('splits paragraphs on blank lines and joins a paragraph’s lines', () => {
      expect(blocksOf('Ett\nstycke.\n\nEtt till.')).toEqual([
        { kind: 'paragraph', text: 'Ett stycke.' },
        { kind: 'paragraph', text: 'Ett till.' },
      ]);
    });

    it('reads "- ", "•" and "●" lines as one list, a following line continuing its item, blank lines between items as in the seeds', () => {
      expect(blocksOf('Parterna skall:\n- stärka\nspråket\n\n● skapa en miljö\n• mäta')).toEqual([
        { kind: 'paragraph', text: 'Parterna skall:' },
        { kind: 'list', items: ['stärka språket', 'skapa en miljö', 'mäta'] },
      ]);
    });

    it('gives nothing for an empty text', () => {
      expect(blocksOf('  \n\n ')).toEqual([]);
    });
  });

  describe('sectionTextProblem', () => {
    it.each([['<script>x</script>'], ['Se <a href="x">här</a>'], ['<!-- kommentar -->'], ['</p>']])('refuses markup: %s', (text) => {
      expect(sectionTextProblem(text)).toMatch(/utan HTML/);
    });

    it('accepts plain text with a lone "<" and refuses control characters and overlong text', () => {
      expect(sectionTextProblem('Andelen är < 5 % och > 2 %.')).toBeNull();
      expect(sectionTextProblem('a\u0007b')).toMatch(/kontrolltecken/);
      expect(sectionTextProblem('x'.repeat(11), 10)).toMatch(/högst 10 tecken/);
    });
  });

  it('writes amounts and shares the Swedish way', () => {
    expect(kronorText(2368800)).toBe('2 368 800 kr');
    expect(kronorText(48000)).toBe('48 000 kr');
    expect(shareText(7000)).toBe('70 %');
    expect(shareText(250)).toBe('2,5 %');
    expect(shareText(200)).toBe('2 %');
  });

  it('numbers the sections in the seeds’ order and renders the data sections from the terms', () => {
    const sut = agreementDocument(bromodellen());
    expect(sut.sections.map((s) => `${s.number}. ${s.heading}`)).toEqual([
      '1. Parter',
      '2. Syfte',
      '3. Bakgrund',
      '4. Värdegrund',
      '5. Målgrupp',
      '6. Verksamhet',
      '7. Organisation och samverkan',
      '8. Ekonomi',
      '9. Giltighet',
      '10. Kunskapsinhämtning och uppföljning',
      '11. Uppsägning och hävning',
    ]);
    expect(sut.municipality).toBe('Linköpings kommun');
    const text = textOf(bromodellen());
    for (const figure of ['2 368 800 kr', '1 658 160 kr', '70 %', '592 200 kr', '25 %', '118 440 kr', '5 %', 'med 2 %', 'GLN-nr 7332776000001', 'PEPPOL-ID: 0007:2120000449', '817602-0520']) {
      expect(text).toContain(figure);
    }
    expect(text).toContain('Överenskommelsen gäller från och med 2024-01-01 till och med 2025-12-31 med möjlighet till förlängning två gånger två år');
    expect(text).toContain('Beslut om förlängning fattas senast tre månader före överenskommelsens utgång.');
    expect(text).toContain('Samverkansgruppen träffas minst en gång per kalenderår.');
    expect(text).toContain('senast den 31 mars varje år');
    expect(text).toContain('40 platser');
    expect(sut.sections[1].blocks[2]).toEqual({ kind: 'list', items: ['stärka sitt gemensamma språk och sin gemensamma referensram', 'skapa en miljö som präglas av tillit'] });
    expect(sut.signatureBlock).toEqual([
      { party: 'Linköpings kommun', signatories: ['Mikaela Schullström'] },
      { party: 'Studieförbundet Bilda Sydöst', signatories: [] },
      { party: 'Erikshjälpen Linköping', signatories: [] },
    ]);
  });

  it('uses the municipality’s standard text for värdegrund and uppsägning when the draft has none, and the draft’s own when it has', () => {
    const standard = agreementDocument(bromodellen({ standard: { values: 'Kommunens värdegrund.' } }));
    expect(standard.sections[3].blocks).toEqual([{ kind: 'paragraph', text: 'Kommunens värdegrund.' }]);
    const own = agreementDocument(bromodellen({ texts: { values: 'Egen värdegrund.' }, standard: { values: 'Kommunens värdegrund.' } }));
    expect(own.sections[3].blocks).toEqual([{ kind: 'paragraph', text: 'Egen värdegrund.' }]);
    expect(JSON.stringify(own.sections[10])).toContain('Obestånd');
  });

  it('says when the agreement cannot be extended', () => {
    expect(textOf(bromodellen({ extension: null }))).toContain('Överenskommelsen kan inte förlängas.');
  });
});
