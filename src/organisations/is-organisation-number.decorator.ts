import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isOrganisationNumber, ORGANISATION_NUMBER_MESSAGES, parseOrganisationNumber } from './organisation-number';

export const IS_ORGANISATION_NUMBER = 'isOrganisationNumber';

/** The message for the first invalid value; with `each: true` the value is the whole array. */
function messageFor(value: unknown): string {
  const values: unknown[] = Array.isArray(value) ? value : [value];
  for (const v of values) {
    const result = parseOrganisationNumber(v);
    if (!result.ok) return result.message;
  }
  return ORGANISATION_NUMBER_MESSAGES.format;
}

/**
 * A Swedish organisationsnummer (NNNNNN-NNNN or ten digits, valid Luhn check digit).
 * Validation does not change the value: pair it with
 * `@Transform(({ value }) => normaliseOrganisationNumber(value))` to store the dashed form.
 */
export function IsOrganisationNumber(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_ORGANISATION_NUMBER,
      validator: {
        validate: (value: unknown): boolean => isOrganisationNumber(value),
        // Not buildMessage: its English "each value in" prefix would break the Swedish message.
        defaultMessage: (args?: ValidationArguments): string => messageFor(args?.value),
      },
    },
    validationOptions,
  );
}
