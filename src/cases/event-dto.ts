import type { Type as ClassType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { IntegerColumn } from '@app/common/integer-field';
import { isCalendarDate } from '@workflows/calendar/calendar';
import { personEventTypes, type CaseKindDefinition, type EventDescription, type EventField, type FieldValue } from '@workflows/kernel/kernel';

/**
 * A kind's event body (POST /<kind>/:id/events) as a class-validator and OpenAPI class, built from
 * the kind's definition: the `type` is one of the events a person sends there, and every field of
 * those events is validated as the kind's `eventFields` describe it, with the same Swedish messages
 * the hand-written DTOs have. Which fields an event needs is checked after, by `missingFields`.
 */

type ObjectField = Extract<EventField, { kind: 'object' }>;

/** A body with its event type and the row version the sender read. */
export type EventBody<TType extends string, TFields> = { type: TType; expectedVersion?: number } & TFields;

const DATE_MESSAGE = '$property ska vara ett datum på formen ÅÅÅÅ-MM-DD';
const EMAIL_MAX_LENGTH = 254;

/** YYYY-MM-DD and a day the calendar has. */
const IsCalendarDate = (options: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isCalendarDate', validator: { validate: (value: unknown) => isCalendarDate(value) } }, options);

/** A class named as the API's documentation names it. */
function namedClass(name: string): ClassType<object> {
  return { [name]: class {} }[name];
}

/** An object field's class: built once per description, so one object (ProposalDto) is one class wherever it is sent. */
const objectClasses = new WeakMap<ObjectField, ClassType<object>>();

export function objectDto<F extends ObjectField>(field: F): ClassType<FieldValue<F>> {
  const known = objectClasses.get(field);
  if (known) return known as ClassType<FieldValue<F>>;
  const dto = namedClass(field.name);
  objectClasses.set(field, dto);
  for (const [key, child] of Object.entries(field.fields)) describeProperty(dto, key, child, { optional: child.optional === true, description: child.description });
  return dto as ClassType<FieldValue<F>>;
}

/** The checks of a field that is not a list, on the value or (`each`) on every item of a list. */
function valueChecks(field: EventField, each: boolean): PropertyDecorator[] {
  const o = (message: string): ValidationOptions => ({ message, each });
  switch (field.kind) {
    case 'uuid':
      return [IsUUID('all', o('$property ska vara ett uuid'))];
    case 'text':
      return [
        IsString(o('$property ska vara text')),
        MaxLength(field.maxLength, o(`$property får vara högst ${field.maxLength} tecken`)),
        ...(field.nonEmpty ? [MinLength(1, o('$property får inte vara tom'))] : []),
        ...(field.pattern ? [Matches(field.pattern.regex, o(field.pattern.message))] : []),
      ];
    case 'email':
      return [IsEmail({}, o('$property ska vara en e-postadress')), MaxLength(EMAIL_MAX_LENGTH, o(`$property får vara högst ${EMAIL_MAX_LENGTH} tecken`))];
    case 'date':
      return [IsCalendarDate(o(DATE_MESSAGE))];
    case 'integer':
      return [
        IntegerColumn(),
        IsInt(o('$property ska vara ett heltal')),
        ...(field.min !== undefined ? [Min(field.min, o(field.min === 0 ? '$property får inte vara negativt' : `$property ska vara minst ${field.min}`))] : []),
        ...(field.max !== undefined ? [Max(field.max, o(`$property får vara högst ${field.max}`))] : []),
      ];
    case 'kronor':
      return [
        IntegerColumn('kronor'),
        IsInt(o('$property ska vara hela kronor')),
        ...(field.min !== undefined ? [Min(field.min, o(field.min === 0 ? '$property får inte vara negativt' : field.min === 1 ? '$property måste vara större än noll' : `$property ska vara minst ${field.min} kr`))] : []),
      ];
    case 'oneOf':
      return [IsIn([...field.values], o(`$property ska vara en av: ${field.values.join(', ')}`))];
    case 'object':
      return [ValidateNested({ each }), Type(() => objectDto(field))];
    case 'list':
      throw new Error(`En lista i en lista beskrivs inte: ${field.description}`);
  }
}

/** What the OpenAPI document says of a value of the field (a list's items, or the field itself). */
function schemaOf(field: EventField): ApiPropertyOptions {
  const example = field.example !== undefined ? { example: field.example } : {};
  switch (field.kind) {
    case 'uuid':
      return { type: 'string', format: 'uuid', ...example };
    case 'text':
      return { type: 'string', maxLength: field.maxLength, ...(field.nonEmpty ? { minLength: 1 } : {}), ...(field.pattern ? { pattern: field.pattern.regex.source } : {}), ...example };
    case 'email':
      return { type: 'string', format: 'email', maxLength: EMAIL_MAX_LENGTH, ...example };
    case 'date':
      return { type: 'string', format: 'date', ...example };
    case 'integer':
      return { type: 'integer', format: 'int32', ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}), ...example };
    case 'kronor':
      return { type: 'integer', format: 'int64', ...(field.min !== undefined ? { minimum: field.min } : {}), ...example };
    case 'oneOf':
      return { enum: [...field.values], ...example };
    case 'object':
      return { type: objectDto(field) };
    case 'list':
      throw new Error(`En lista i en lista beskrivs inte: ${field.description}`);
  }
}

/** Puts the field's checks and its OpenAPI description on the class's property `key`. */
function describeProperty(dto: ClassType<object>, key: string, field: EventField, o: { optional: boolean; description: string }): void {
  let checks: PropertyDecorator[];
  let schema: ApiPropertyOptions;
  if (field.kind === 'list') {
    checks = [
      IsArray({ message: '$property ska vara en lista' }),
      ...(field.minItems !== undefined ? [ArrayMinSize(field.minItems, { message: field.minItemsMessage ?? `$property ska ha minst ${field.minItems} rader` })] : []),
      ...(field.maxItems !== undefined ? [ArrayMaxSize(field.maxItems, { message: `$property får ha högst ${field.maxItems} rader` })] : []),
      ...valueChecks(field.of, true),
    ];
    const items = schemaOf(field.of);
    schema = {
      ...items,
      isArray: true,
      ...(field.minItems !== undefined ? { minItems: field.minItems } : {}),
      ...(field.maxItems !== undefined ? { maxItems: field.maxItems } : {}),
    };
  } else {
    checks = valueChecks(field, false);
    schema = schemaOf(field);
  }
  const documented = { ...schema, description: o.description } as ApiPropertyOptions;
  decorate(dto, key, [o.optional ? ApiPropertyOptional(documented) : ApiProperty(documented), ...(o.optional ? [IsOptional()] : []), ...checks]);
}

/** Applies decorators as if written above the property in this order: the last first, as TypeScript does (the ApiProperty then has the last word). */
function decorate(dto: ClassType<object>, key: string, decorators: readonly PropertyDecorator[]): void {
  for (const d of [...decorators].reverse()) d(dto.prototype as object, key);
}

/** An event field by the body's name for it. */
export interface BodyField {
  /** The name the body sends it by ('meetingId'). */
  name: string;
  /** The event's own name for it ('meeting'). */
  field: string;
  description: EventField;
}

/** The kind's events by type (the kernel's type for them is the machine's). */
const eventsOf = (definition: CaseKindDefinition): Readonly<Record<string, EventDescription>> => definition.events as Readonly<Record<string, EventDescription>>;

/** The fields of a kind's person events, in the kind's order, by the body's names. */
export function bodyFields(definition: CaseKindDefinition): BodyField[] {
  const events = eventsOf(definition);
  const used = new Set(personEventTypes(events).flatMap((type) => events[type].fields));
  for (const field of used) {
    if (!definition.eventFields[field]) throw new Error(`${definition.type}: fältet ${field} saknar beskrivning i eventFields.`);
  }
  const fields = Object.entries(definition.eventFields)
    .filter(([field]) => used.has(field))
    .map(([field, description]) => ({ name: description.body ?? field, field, description }));
  const names = fields.map((f) => f.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i || name === 'type' || name === 'expectedVersion');
  if (twice) throw new Error(`${definition.type}: två fält heter ${twice} i händelsens innehåll.`);
  return fields;
}

/** The body's name for an event's field. */
export function bodyNameOf(definition: CaseKindDefinition, field: string): string {
  return definition.eventFields[field]?.body ?? field;
}

/** The fields (by the body's names) the event needs that the body left out, null or empty. */
export function missingFields<TBody extends { type: string }>(definition: CaseKindDefinition, body: TBody): string[] {
  const description = eventsOf(definition)[body.type] as EventDescription | undefined;
  return (description?.required ?? [])
    .map((field) => bodyNameOf(definition, field))
    .filter((name) => {
      const value: unknown = (body as Record<string, unknown>)[name];
      return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    });
}

/** Where a field is used, for its description: which events need it and which may carry it. */
function usage(definition: CaseKindDefinition, field: string): string {
  const events = eventsOf(definition);
  const types = personEventTypes(events).filter((type) => events[type].fields.includes(field));
  const required = types.filter((type) => events[type].required.includes(field));
  const optional = types.filter((type) => !events[type].required.includes(field));
  return [required.length ? `Krävs för ${required.join(', ')}.` : '', optional.length ? `Frivilligt för ${optional.join(', ')}.` : ''].filter(Boolean).join(' ');
}

/**
 * The class of the kind's event body, named `name` in the OpenAPI document. Every field is optional
 * in the body (one body serves every event); the service asks `missingFields` which the event needs.
 */
export function eventDto<TType extends string, TFields extends object>(definition: CaseKindDefinition, name: string): ClassType<EventBody<TType, TFields>> {
  const types = personEventTypes(eventsOf(definition));
  const dto = namedClass(name);
  decorate(dto, 'type', [ApiProperty({ enum: types, description: 'Händelsen.' }), IsIn(types, { message: `$property ska vara en av: ${types.join(', ')}` })]);
  for (const { name: key, field, description } of bodyFields(definition)) {
    describeProperty(dto, key, description, { optional: true, description: `${description.description} ${usage(definition, field)}`.trim() });
  }
  decorate(dto, 'expectedVersion', [
    ApiPropertyOptional({ description: 'Radversionen du läste; en annan aktuell version avvisas.' }),
    IsOptional(),
    IntegerColumn(),
    IsInt({ message: '$property ska vara ett heltal' }),
  ]);
  return dto as ClassType<EventBody<TType, TFields>>;
}
