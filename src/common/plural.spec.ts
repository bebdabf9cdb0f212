import { plural, pluralWord } from './plural';

describe('plural', () => {
  it.each([
    [0, '0 överenskommelser'],
    [1, '1 överenskommelse'],
    [2, '2 överenskommelser'],
    [1200, '1\u00a0200 överenskommelser'],
  ])('%d → %s', (n, expected) => {
    expect(plural(n, 'överenskommelse', 'överenskommelser')).toBe(expected);
  });

  it('chooses the word alone, for phrases the count is not part of', () => {
    expect(`1 kedja ${pluralWord(1, 'är bruten', 'är brutna')}`).toBe('1 kedja är bruten');
    expect(`för ${plural(1, 'dag', 'dagar')} sedan`).toBe('för 1 dag sedan');
    expect(`för ${plural(3, 'dag', 'dagar')} sedan`).toBe('för 3 dagar sedan');
    expect(plural(-1, 'dag', 'dagar')).toBe('-1 dag');
  });
});
