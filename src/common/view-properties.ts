import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Short forms of @ApiProperty for the response classes (the *View classes next to each resource's DTOs).
 * They only describe what the services already return; nothing validates answers against them.
 */
type Options = Omit<ApiPropertyOptions, 'type'> & Record<string, unknown>;

export const Str = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'string', ...o } as ApiPropertyOptions);
export const Uuid = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'string', format: 'uuid', ...o } as ApiPropertyOptions);
/** A calendar date, YYYY-MM-DD. */
export const DateOnly = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'string', format: 'date', ...o } as ApiPropertyOptions);
/** An instant, ISO 8601 with time and zone. */
export const DateTime = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'string', format: 'date-time', ...o } as ApiPropertyOptions);
export const Int = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'integer', format: 'int32', ...o } as ApiPropertyOptions);
/** Whole kronor (bigint columns). */
export const Kronor = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'integer', format: 'int64', ...o } as ApiPropertyOptions);
export const Bool = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'boolean', ...o } as ApiPropertyOptions);
export const OneOf = (values: readonly string[], o: Options = {}): PropertyDecorator => ApiProperty({ type: 'string', enum: [...values], ...o } as ApiPropertyOptions);
export const Strings = (o: Options = {}): PropertyDecorator => ApiProperty({ type: 'string', isArray: true, ...o } as ApiPropertyOptions);
// The thunk must be named `type` (an object key) for @nestjs/swagger to treat it as a lazy type.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const Nested = (type: () => Function, o: Options = {}): PropertyDecorator => ApiProperty({ type: () => type(), ...o } as ApiPropertyOptions);
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ListOf = (type: () => Function, o: Options = {}): PropertyDecorator => ApiProperty({ type: () => type(), isArray: true, ...o } as ApiPropertyOptions);
/** A large nested structure described in words rather than field by field. */
export const AnyObject = (description: string, o: Options = {}): PropertyDecorator => ApiProperty({ type: 'object', description, ...o } as ApiPropertyOptions);

/** A file answer: its media type with a binary string schema. */
export function fileContent(...mediaTypes: string[]): Record<string, { schema: { type: 'string'; format: 'binary' } }> {
  return Object.fromEntries(mediaTypes.map((m) => [m, { schema: { type: 'string', format: 'binary' } }]));
}
