import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsOrganisationNumber } from './is-organisation-number.decorator';
import {
  isOrganisationNumber,
  luhnCheckDigit,
  normaliseOrganisationNumber,
  organisationGroupOf,
  parseOrganisationNumber,
  peppolOrganisationNumberProblem,
} from './organisation-number';

describe('organisationsnummer', () => {
  it('accepts the seed numbers: Linköpings kommun and Linköpings Stadsmission', () => {
    expect(parseOrganisationNumber('212000-0449')).toEqual({ ok: true, value: '212000-0449' });
    expect(parseOrganisationNumber('822001-0022')).toEqual({ ok: true, value: '822001-0022' });
    expect(luhnCheckDigit('212000044')).toBe(9);
    expect(luhnCheckDigit('822001002')).toBe(2);
  });

  it('accepts Bromodellen\'s invoicing figures from seed 000 (organisationsnummer and PEPPOL-ID), and refuses them with a digit changed', () => {
    expect(parseOrganisationNumber('212000-0449')).toMatchObject({ ok: true });
    expect(peppolOrganisationNumberProblem('0007:2120000449')).toBeNull();
    for (const wrong of ['212000-0448', '212000-0459', '212001-0449']) expect(parseOrganisationNumber(wrong)).toMatchObject({ ok: false, problem: 'check_digit' });
    expect(peppolOrganisationNumberProblem('0007:2120000448')).toBe('organisationsnummer har fel kontrollsiffra');
    expect(peppolOrganisationNumberProblem('0007:21200')).toBe('organisationsnummer ska ha formen NNNNNN-NNNN');
    // Other schemes (here GLN, 0088) are not organisationsnummer.
    expect(peppolOrganisationNumberProblem('0088:7332776000001')).toBeNull();
  });

  it('accepts ten digits without the dash and normalises to the dashed form', () => {
    expect(parseOrganisationNumber('2120000449')).toEqual({ ok: true, value: '212000-0449' });
    expect(parseOrganisationNumber(' 8220010022 ')).toEqual({ ok: true, value: '822001-0022' });
    expect(normaliseOrganisationNumber('2120000449')).toBe('212000-0449');
    expect(normaliseOrganisationNumber('nonsens')).toBe('nonsens');
    expect(normaliseOrganisationNumber(42)).toBe(42);
  });

  it('rejects a wrong check digit', () => {
    const result = parseOrganisationNumber('212000-0448');
    expect(result).toEqual({ ok: false, problem: 'check_digit', message: 'organisationsnummer har fel kontrollsiffra' });
    expect(isOrganisationNumber('822001-0023')).toBe(false);
    // Swapped neighbours are caught by Luhn.
    expect(isOrganisationNumber('822010-0022')).toBe(false);
  });

  it.each(['212000 0449', '21200-00449', '212000-044', '212000-04490', '2120000-449', 'abcdef-ghij', '', '16212000-0449'])(
    'rejects the form %p',
    (input) => {
      expect(parseOrganisationNumber(input)).toEqual({
        ok: false,
        problem: 'format',
        message: 'organisationsnummer ska ha formen NNNNNN-NNNN',
      });
    },
  );

  it('rejects values that are not strings', () => {
    for (const input of [null, undefined, 2120000449, {}]) expect(parseOrganisationNumber(input)).toMatchObject({ problem: 'format' });
  });

  it('rejects a personnummer (third digit 0 or 1) even with a valid check digit', () => {
    // 811218-9876 is the Skatteverket test personnummer: valid Luhn, month 12.
    expect(luhnCheckDigit('811218987')).toBe(6);
    expect(parseOrganisationNumber('811218-9876')).toMatchObject({ ok: false, problem: 'legal_entity' });
  });

  it('names the organisation group', () => {
    expect(organisationGroupOf('212000-0449')).toBe('stat, regioner, kommuner och församlingar');
    expect(organisationGroupOf('822001-0022')).toBe('ideella föreningar och stiftelser');
    expect(organisationGroupOf('212000-0448')).toBeNull();
  });
});

class OrganisationDto {
  @Transform(({ value }) => normaliseOrganisationNumber(value))
  @IsOrganisationNumber()
  organisationNumber!: string;
}

class PartiesDto {
  @IsOrganisationNumber({ each: true })
  organisationNumbers!: string[];
}

const messagesOf = (dto: object): string[] => validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));

describe('@IsOrganisationNumber', () => {
  it('passes a valid number and the transform stores the dashed form', () => {
    const dto = plainToInstance(OrganisationDto, { organisationNumber: '2120000449' });
    expect(dto.organisationNumber).toBe('212000-0449');
    expect(validateSync(dto)).toEqual([]);
  });

  it('reports a wrong check digit in Swedish', () => {
    const dto = plainToInstance(OrganisationDto, { organisationNumber: '212000-0448' });
    expect(messagesOf(dto)).toEqual(['organisationsnummer har fel kontrollsiffra']);
  });

  it('reports a wrong form in Swedish', () => {
    const dto = plainToInstance(OrganisationDto, { organisationNumber: '212000' });
    expect(messagesOf(dto)).toEqual(['organisationsnummer ska ha formen NNNNNN-NNNN']);
    expect(messagesOf(plainToInstance(OrganisationDto, {}))).toEqual(['organisationsnummer ska ha formen NNNNNN-NNNN']);
  });

  it('checks each value of an array', () => {
    const ok = plainToInstance(PartiesDto, { organisationNumbers: ['212000-0449', '822001-0022'] });
    expect(validateSync(ok)).toEqual([]);
    const bad = plainToInstance(PartiesDto, { organisationNumbers: ['212000-0449', '822001-0023'] });
    expect(messagesOf(bad)).toEqual(['organisationsnummer har fel kontrollsiffra']);
  });
});
