import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './domain-error';

/** Class-validator's own English messages for the cases our DTOs do not word themselves. */
const SWEDISH: Record<string, (field: string) => string> = {
  whitelistValidation: (f) => `${f} är ett okänt fält`,
  isDefined: (f) => `${f} krävs`,
  nestedValidation: (f) => `${f} har fel form`,
};

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => ({
      field,
      message: SWEDISH[name]?.(field) ?? (message.startsWith(error.property) ? `${field}${message.slice(error.property.length)}` : message),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Whitelist, forbid unknown fields, and answer with every wrong field named, in Swedish. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
  });
}
