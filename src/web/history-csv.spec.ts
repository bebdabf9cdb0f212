import { attachment, historyFileName } from './history-csv';
import { offsetsFromText, parseOffsets } from './views/reminder-policy.view';

describe('the history file name', () => {
  it('is named after the diarienummer and title, with an ASCII fallback and the UTF-8 name (RFC 5987)', () => {
    const sut = (a: { title: string; diarienummer: string | null }) => attachment(historyFileName(a));
    expect(sut({ title: 'Bromodellen', diarienummer: 'AN 2023-0042' })).toBe(`attachment; filename="historik-AN-2023-0042-Bromodellen.csv"; filename*=UTF-8''historik%20AN%202023-0042%20Bromodellen.csv`);
    expect(sut({ title: 'Språkvänner/Vi ses! "2022"', diarienummer: null })).toBe(`attachment; filename="historik-Sprakvanner-Vi-ses-2022.csv"; filename*=UTF-8''historik%20Spr%C3%A5kv%C3%A4nner-Vi%20ses!%20-2022-.csv`);
  });
});

describe('reminder offsets as people write them', () => {
  it('reads months, weeks and days in Swedish, and "på dagen"', () => {
    expect(offsetsFromText('6 månader, 1 månad 2 veckor, 3 d, på dagen')).toEqual([{ months: 6 }, { months: 1, weeks: 2 }, { days: 3 }, {}]);
    expect(offsetsFromText('2 mån och 1 v')).toEqual([{ months: 2 }, { weeks: 1 }]);
  });

  it('refuses what it cannot read, by field; empty keeps the default and "inga" sends none', () => {
    expect(offsetsFromText('två veckor')).toBeNull();
    expect(offsetsFromText('1 år')).toBeNull();
    expect(parseOffsets({ decisionDueBefore: 'snart', followUpDueBefore: 'inga', signatureMissingAfter: '' })).toEqual({
      input: { followUpDueBefore: [] },
      problems: [{ field: 'decisionDueBefore', message: expect.stringContaining('skriv till exempel') }],
    });
  });
});
