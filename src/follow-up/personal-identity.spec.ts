import { containsPersonalIdentityNumber, fieldsWithPersonalIdentityNumbers, luhnValid } from './personal-identity';

describe('personal identity numbers in follow-up text', () => {
  const sut = containsPersonalIdentityNumber;

  it.each([
    ['with century and hyphen', 'Deltagare 19121212-1212 gick vidare till studier.'],
    ['with century, no separator', 'Se 191212121212.'],
    ['without century, with hyphen', '640823-3234'],
    ['without century or separator', 'Anteckning: 6408233234 ringde.'],
    ['over a hundred years old (plus)', '121212+1212'],
    ['a samordningsnummer (day + 60)', 'Samordningsnummer 701063-2342.'],
    ['born on 29 February of a leap year', '20240229-1237'],
  ])('finds one %s', (_how, text) => {
    expect(sut(text)).toBe(true);
  });

  it.each([
    ['ordinary figures', '2024 deltog 64 personer, varav 12 gjorde en stegförflyttning; 1234 timmar.'],
    ['a wrong check digit', '640823-3235'],
    ['a date that does not exist', '641323-3237 och 640832-3233'],
    ['an organisationsnummer (third digit 2 or more)', 'Linköpings kommun 212000-0449, Stadsmissionen 822001-0022.'],
    ['a longer number containing the digits', 'Referens 1164082332340.'],
    ['a date', 'Mötet hölls 2024-11-12 kl 13–15.'],
    ['29 February in a year that is not a leap year', '19230229-1238'],
  ])('leaves alone %s', (_what, text) => {
    expect(sut(text)).toBe(false);
  });

  it('checks the Luhn digit over ten digits', () => {
    expect(luhnValid('8501011236')).toBe(true);
    expect(luhnValid('8501011237')).toBe(false);
    expect(luhnValid('850101123')).toBe(false);
  });

  it('names every field of a form that carries one', () => {
    const form = { heldOn: '2024-11-12', participants: [{ name: 'Anna Berg' }, { name: 'Bo 640823-3234' }], notes: 'Bra möte.', text: '19121212-1212' };
    expect(fieldsWithPersonalIdentityNumbers(form)).toEqual(['participants.1.name', 'text']);
  });
});
