import {
  getNextTransitions,
  initialTransition,
  transition,
  type AnyStateMachine,
  type ContextFrom,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
  type StateValue,
} from 'xstate';

/**
 * The case kernel: what every kind of case (an agreement, and later others) does with its machine.
 * Generic over the machine; knows nothing of any one kind of case and imports only xstate.
 */

/** What the service stores for a case: plain JSON, no functions, no machine internals. */
export interface PersistedCase<TContext = unknown> {
  machineVersion: number;
  value: StateValue;
  context: TContext;
}

/** A migration lifts a persisted case from version n to n + 1. */
export type Migration<TContext = unknown> = (persisted: PersistedCase<TContext>) => PersistedCase<TContext>;

/** Keyed by the version they migrate *from*. */
export type Migrations<TContext = unknown> = Readonly<Record<number, Migration<TContext>>>;

/** What an event carries, for forms, validation and the API's description of a case. */
export interface EventDescription<TField extends string = string> {
  /** The Swedish words the UI and the e-mails use. */
  label: string;
  /** The event's own fields (the date it happens on, which every event carries, left out). */
  fields: readonly TField[];
  /** Of those, the ones the event cannot be sent without. */
  required: readonly TField[];
  /** Sent by the clock (a deadline reached), not by a person. */
  clock?: boolean;
  /**
   * Sent by a person to an address of its own, with a body of its own ('PUT /agreements/:id'), not
   * to the case's events address; its fields are then that address's to describe and check.
   */
  endpoint?: string;
}

/**
 * How one field of an event is sent in the API's body: the one description the service derives its
 * validation, its OpenAPI schema and its forms' parsing from. Texts are trimmed by the service;
 * `date` is a calendar date written YYYY-MM-DD; `kronor` is whole kronor.
 */
export type EventFieldKind =
  | { kind: 'uuid' }
  | { kind: 'text'; maxLength: number; /** An empty text is refused ('får inte vara tom'). */ nonEmpty?: boolean; pattern?: { regex: RegExp; message: string } }
  | { kind: 'email' }
  | { kind: 'date' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'kronor'; min?: number }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'list'; of: EventField; minItems?: number; /** What a too short list is told, when not the generic sentence. */ minItemsMessage?: string; maxItems?: number }
  | { kind: 'object'; /** Its name in the API's documentation ('SettlementLineDto'). */ name: string; fields: EventFields };

export type EventField = EventFieldKind & {
  /** In Swedish, for the API's documentation. */
  description: string;
  example?: string | number;
  /** Within an object, it may be left out. (An event's own fields are all optional in the body; the event's `required` says which it needs.) */
  optional?: boolean;
  /** The body's name for it when the event's own is another: a meeting is sent by its id ('meetingId') and looked up by the service. */
  body?: string;
};

/** A kind's fields by name: a field several events carry (organisationId, reason) is described once. */
export type EventFields = Readonly<Record<string, EventField>>;

/** The value a field of this description holds once validated. */
export type FieldValue<F> = F extends { kind: 'uuid' | 'text' | 'email' | 'date' }
  ? string
  : F extends { kind: 'integer' | 'kronor' }
    ? number
    : F extends { kind: 'oneOf'; values: readonly (infer V)[] }
      ? V
      : F extends { kind: 'list'; of: infer O }
        ? Array<FieldValue<O>>
        : F extends { kind: 'object'; fields: infer R }
          ? ObjectValue<R>
          : never;

type ObjectValue<R> = { -readonly [K in keyof R as R[K] extends { optional: true } ? never : K]: FieldValue<R[K]> } & {
  -readonly [K in keyof R as R[K] extends { optional: true } ? K : never]?: FieldValue<R[K]>;
};

/** The body's name for a field of a catalogue. */
export type BodyNameOf<K, F> = F extends { body: infer B extends string } ? B : K;

/** A catalogue's fields as the body sends them: every one optional (the events' `required` decides), by their body names. */
export type EventFieldValues<TFields> = { -readonly [K in keyof TFields as BodyNameOf<K, TFields[K]>]?: FieldValue<TFields[K]> };

/** The events a person sends to the case's events address: neither the clock's nor those with an address of their own. In the definition's order. */
export function personEventTypes<TType extends string>(events: Readonly<Record<TType, EventDescription>>): TType[] {
  return (Object.keys(events) as TType[]).filter((type) => !events[type].clock && !events[type].endpoint);
}

export type EventTypeOf<TMachine extends AnyStateMachine> = EventFromLogic<TMachine>['type'];

/**
 * A date that matters for a case. With an `event` it is a timer the service fires at `firesAt`
 * (by the clock, through the engine); without, it is shown (Bevakning, the calendar) but fires nothing.
 */
export interface CaseDeadline {
  kind: string;
  /** Which occurrence: a period, a year, a follow-up's number; with kind it names the deadline within the case. */
  cycle: number;
  /** The calendar date the deadline names (Europe/Stockholm). */
  dueDate: string;
  /** The instant (UTC ISO) its event is due. */
  firesAt: string;
  event: string | null;
  /** The state code it was derived in; a timer finding the case in another state is skipped. */
  scheduledIn: string;
  /** Its date passed without it being met; shown until it is. */
  overdue: boolean;
}

/** A reminder the pure schedule plans: decided (sent or skipped) by the service when `sendAt` comes. */
export interface CaseReminder {
  kind: string;
  /** Stable within a cycle ('decision_upcoming:6m'); part of the outbox's idempotency key. */
  key: string;
  cycle: number;
  /** Who is reminded, in the kind's own words; the service's kind module resolves it to addresses. */
  audience: string;
  sendOn: string;
  sendAt: string;
  /** The date the reminder is about. */
  deadlineDate: string;
}

/** The person asking, as every kind's rules see them. */
export interface CaseRequester {
  personId?: string | null;
  roles: readonly string[];
  organisationId: string | null;
  organisationKind: string | null;
}

export type CasePermission = { allowed: true; role: string } | { allowed: false; visible: boolean; reason: string };

/**
 * Who may do what to a case of a kind: the one table the engine enforces, and the matrix test's source.
 * `TRuled` is the case as the rules see it, built by the service from the stored case.
 */
export interface CaseRules<TRuled = unknown> {
  /** Every command a person may send (events that are not the clock's, and the kind's own commands), and in which capacities. */
  commands: Readonly<Record<string, readonly string[]>>;
  maySee(requester: CaseRequester, ruled: TRuled): boolean;
  permission(requester: CaseRequester, command: { type: string } & Record<string, unknown>, ruled: TRuled): CasePermission;
  /** Who may send the command, in Swedish words, for refusals and pages. */
  whoMay(type: string): string;
}

/** A kind of case: its machine, the version its snapshots are stored with, how older ones are lifted, its events. */
export interface CaseDefinition<TMachine extends AnyStateMachine = AnyStateMachine> {
  /** The kind of case, as stored beside each case ('agreement'). */
  type: string;
  machine: TMachine;
  machineVersion: number;
  migrations: Migrations<ContextFrom<TMachine>>;
  events: Readonly<Record<EventTypeOf<TMachine>, EventDescription>>;
  /** Swedish names of the states, keyed by the case's own state codes. */
  stateLabels?: Readonly<Record<string, string>>;
  /** Why a stored version cannot be read, in Swedish; the kernel has a generic sentence otherwise. */
  unsupportedVersionMessage?: (machineVersion: number) => string;
  /** The case's own state codes ('active' for 'inForce.active'); the dotted path otherwise. */
  stateCode?: (value: StateValue) => string;
}

/**
 * A kind of case as the service runs it: the definition plus its deadlines and reminder schedule
 * as pure functions of the stored case, the Swedish names of its dates, and its rules table.
 * This is all the engine, the sweeper and the dispatcher know of a kind.
 */
export interface CaseKindDefinition<TMachine extends AnyStateMachine = AnyStateMachine, TRuled = unknown> extends CaseDefinition<TMachine> {
  /** Every deadline of the case in its current state, earliest first. */
  deadlines(persisted: PersistedCase<ContextFrom<TMachine>>): CaseDeadline[];
  /** The reminders to plan now; `policy` is the case's stored overrides (the kind decides what they mean). */
  reminders(persisted: PersistedCase<ContextFrom<TMachine>>, policy: unknown): CaseReminder[];
  /** Swedish names of its deadline kinds, for Bevakning, the digest, the calendar and incidents. */
  deadlineLabels: Readonly<Record<string, string>>;
  rules: CaseRules<TRuled>;
  /**
   * How every field of the events a person sends to the case's events address is sent and checked;
   * the events' `fields` name them. The service derives the event body's validation and schema from it.
   */
  eventFields: EventFields;
  /** The kind in Swedish: 'överenskommelse', 'beslut om medel'; `definite` as a sentence's subject ('Överenskommelsen'). */
  noun: { indefinite: string; definite: string };
}

export class UnsupportedMachineVersionError extends Error {
  constructor(
    readonly machineVersion: number,
    message = `Ärendet sparades med maskinversion ${machineVersion}, som den här versionen inte kan läsa.`,
  ) {
    // The name stays 'Error', as the agreement's own error had it: the incident rows store `${name}: ${message}`.
    super(message);
  }
}

/** Applies the migrations one version at a time up to `targetVersion`; a version with no way forward is refused. */
export function migrate<TContext>(
  persisted: PersistedCase<TContext>,
  migrations: Migrations<TContext>,
  targetVersion: number,
  message?: (machineVersion: number) => string,
): PersistedCase<TContext> {
  const refuse = (version: number) => new UnsupportedMachineVersionError(version, message?.(version));
  let current = persisted;
  while (current.machineVersion < targetVersion) {
    const lift = migrations[current.machineVersion];
    if (!lift) throw refuse(current.machineVersion);
    current = lift(current);
  }
  if (current.machineVersion !== targetVersion) throw refuse(current.machineVersion);
  return current;
}

export function migratePersisted<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  persisted: PersistedCase<ContextFrom<TMachine>>,
): PersistedCase<ContextFrom<TMachine>> {
  return migrate(persisted, definition.migrations, definition.machineVersion, definition.unsupportedVersionMessage);
}

export function persist<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  snapshot: SnapshotFrom<TMachine>,
): PersistedCase<ContextFrom<TMachine>> {
  const { value, context } = snapshot as { value: StateValue; context: ContextFrom<TMachine> };
  return { machineVersion: definition.machineVersion, value, context };
}

/** Migrates, then resolves the machine's snapshot. The snapshot never shares objects with the caller's row. */
export function restore<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  persisted: PersistedCase<ContextFrom<TMachine>>,
): SnapshotFrom<TMachine> {
  const current = migratePersisted(definition, persisted);
  const context = JSON.parse(JSON.stringify(current.context)) as ContextFrom<TMachine>;
  return definition.machine.resolveState({ value: current.value, context }) as SnapshotFrom<TMachine>;
}

/** A new case from the machine's input. */
export function start<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  ...input: undefined extends InputFrom<TMachine> ? [input?: InputFrom<TMachine>] : [input: InputFrom<TMachine>]
): PersistedCase<ContextFrom<TMachine>> {
  const [snapshot] = initialTransition(definition.machine, ...input);
  return persist(definition, snapshot);
}

function paths(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([key, child]) => (child ? paths(child).map((rest) => `${key}.${rest}`) : [key]));
}

/** The state value as one queryable dotted string: 'draft', 'inForce.active'. Parallel states are not supported. */
export function stateCode(value: StateValue): string {
  const all = paths(value);
  if (all.length !== 1) throw new Error(`Tillståndet har ${all.length} aktiva delar och kan inte skrivas som en kod.`);
  return all[0];
}

/**
 * Event types with a transition out of the snapshot's state, guards aside: the described events for
 * which the active states (leaves and their ancestors) have a transition that does something.
 * Sorted; internal events (after, always, xstate.*) are not described and so never listed.
 */
export function allowedEventsOf<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  snapshot: SnapshotFrom<TMachine>,
): EventTypeOf<TMachine>[] {
  const described = Object.keys(definition.events);
  const types = new Set<string>();
  for (const t of getNextTransitions(snapshot)) {
    // A transition with no target, no actions and no reentry is a forbidden one: it takes nothing.
    if (!t.target && t.actions.length === 0 && !t.reenter) continue;
    const { eventType } = t as { eventType: string };
    if (eventType === '*') described.forEach((type) => types.add(type));
    else if (described.includes(eventType)) types.add(eventType);
  }
  return [...types].sort();
}

export function allowedEvents<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  persisted: PersistedCase<ContextFrom<TMachine>>,
): EventTypeOf<TMachine>[] {
  return allowedEventsOf(definition, restore(definition, persisted));
}

/** An action the transition emitted, as data: what the service carries out after it commits. */
export interface EmittedAction {
  type: string;
  params: unknown;
}

export type KernelStep<TMachine extends AnyStateMachine> =
  | {
      applied: true;
      /** The state codes before and after. */
      from: string;
      to: string;
      /** The snapshot the event was applied to (migrated), and the one it led to. */
      previous: SnapshotFrom<TMachine>;
      snapshot: SnapshotFrom<TMachine>;
      next: PersistedCase<ContextFrom<TMachine>>;
      actions: EmittedAction[];
    }
  | {
      applied: false;
      from: string;
      previous: SnapshotFrom<TMachine>;
      reason: 'not_in_state' | 'guard_refused';
      /** The events the state takes, guards aside. */
      allowed: EventTypeOf<TMachine>[];
    };

/**
 * One step of a case as a pure function: the snapshot is restored once, the event's guards are
 * evaluated once (by the transition itself), and the result is the next persisted snapshot with the
 * actions it emitted. A refused event leaves the case as it was and says which events the state takes.
 */
export function step<TMachine extends AnyStateMachine>(
  definition: CaseDefinition<TMachine>,
  persisted: PersistedCase<ContextFrom<TMachine>>,
  event: EventFromLogic<TMachine>,
): KernelStep<TMachine> {
  const previous = restore(definition, persisted);
  const value = (previous as { value: StateValue }).value;
  const codeOf = definition.stateCode ?? stateCode;
  const from = codeOf(value);
  const allowed = allowedEventsOf(definition, previous);
  const { type: eventType } = event as { type: string };
  if (!(allowed as string[]).includes(eventType)) return { applied: false, from, previous, reason: 'not_in_state', allowed };
  const [snapshot, executable] = transition(definition.machine, previous, event);
  // xstate hands back the very snapshot it was given when no transition was enabled: every guard refused.
  if (snapshot === previous) return { applied: false, from, previous, reason: 'guard_refused', allowed };
  const next = snapshot;
  return {
    applied: true,
    from,
    to: codeOf((next as { value: StateValue }).value),
    previous,
    snapshot: next,
    next: persist(definition, next),
    actions: executable.map((a: { type: string; params?: unknown }) => ({ type: a.type, params: a.params ?? null })),
  };
}
