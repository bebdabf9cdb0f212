import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { start as startCase, stateCode, step, type CaseDeadline, type PersistedCase } from '@workflows/kernel/kernel';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { Actor } from '@app/audit/actor';
import { AuditService, type RecordedHead } from '@app/audit/audit.service';
import type { CaseKind, CaseRef, CaseSummary, LockedCase, ProjectedColumn } from '@app/cases/case-kind';
import { CaseRegistry } from '@app/cases/case-registry';
import { DEADLINE_PROJECTION_VERSION, deadlineKey, projectedDeadlines, replaceDeadlines } from '@app/cases/case-deadline.repository';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { ReminderPlannerService } from '@app/notifications/reminder-planner.service';
import { createCommitted, recordCreate } from '@app/idempotency/idempotency.context';
import { SecurityLogService } from '@app/auth/security-log.service';
import { authorise, requesterOf } from './authorisation';
import type { EngineCommand } from './engine-command';

export interface ApplyOptions {
  /** The row version the client saw; a different current version is refused. */
  expectedVersion?: number;
  /** The date the event takes effect; timers pass their due date, people get today. */
  effectiveOn?: CalendarDate;
  /** Work that must commit or fail with the transition (e.g. a follow-up record). */
  onApplied?: (manager: EntityManager, caseId: string) => Promise<void>;
  /** Run inside the caller's transaction (the timer sweeper); otherwise the engine opens one. */
  manager?: EntityManager;
  /** History being replayed (the demo data): what the kind carries out (e-mail to a decision's recipients) is not done again. */
  replay?: boolean;
}

export interface Transition {
  caseType: string;
  caseId: string;
  eventType: string;
  from: string;
  to: string;
  rowVersion: number;
}

/** What a new case needs from its kind's module: the machine's input, the history's first row, the kind's own columns. */
export interface NewCase<TInput = unknown> {
  /** The machine's input, given the case's new id and today. */
  input: (id: string, today: CalendarDate) => TInput;
  /** The command the history records first ('PROPOSE_INITIATIVE'), authorised like any other. */
  commandType: string;
  payload: Record<string, unknown>;
  /** The history's words for the first row, when there is more to say (an initiative registered on an organisation's behalf). */
  reason?: string | null;
  /** Columns of the kind's table beyond the snapshot's (entity property names). */
  fields?: Record<string, unknown>;
  /** Work in the same transaction after the case row is written. */
  prepare?: (manager: EntityManager, id: string) => Promise<void>;
  /** The client's answer, built in the transaction, so an Idempotency-Key retry finds exactly that. */
  answer?: (manager: EntityManager, id: string) => Promise<unknown>;
}

/** The columns every kind's table has (entity property → column), beside the kind's projections. */
const STANDARD_COLUMNS: Record<string, ProjectedColumn> = {
  machineVersion: { column: 'machine_version' },
  stateValue: { column: 'state_value', json: true },
  context: { column: 'context', json: true },
  state: { column: 'state' },
  rowVersion: { column: 'row_version' },
};

/** Comparable form of a column value: dates as ISO strings, JSON as text. */
function comparable(value: unknown, json: boolean | undefined): unknown {
  if (value instanceof Date) return value.toISOString();
  return json || Array.isArray(value) ? JSON.stringify(value) : value ?? null;
}

/** What the audit row keeps of an event: everything but its type (the date is added by the engine). */
function payloadOf(command: EngineCommand): Record<string, unknown> {
  const { type: _type, ...rest } = command;
  return rest;
}

const reasonOf = (command: EngineCommand): string | null =>
  typeof command.reason === 'string' ? command.reason : typeof command.note === 'string' ? command.note : null;

/** A case's history before its first row. */
const NO_HISTORY: RecordedHead = { count: 0, lastHash: null };

/** The history's head as the locked case_record row holds it. */
const headOf = (locked: LockedCase): RecordedHead => ({ count: locked.audit_event_count, lastHash: locked.audit_last_hash });

/** Per kind, built once: the columns a transition reads under its lock and may write. */
interface KindStatements {
  columns: Record<string, ProjectedColumn>;
  /** The case as the rules read it, without a lock (requirePermitted's first look). */
  readSql: string;
  lockSql: string;
}

/**
 * The one path every transition of every kind of case takes, from a person or from the clock:
 * lock the case, restore its snapshot, let the pure machine decide, store the result and its
 * projections, append to the audit history and replace the timers and reminders, all in one
 * transaction. Refused attempts are recorded too. The kind is looked up by the case's type; this
 * file names none.
 */
@Injectable()
export class WorkflowEngineService {
  private readonly logger = new Logger('Behörighet');
  private readonly statements = new Map<string, KindStatements>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly reminders: ReminderPlannerService,
    private readonly security: SecurityLogService,
    private readonly registry: CaseRegistry,
  ) {}

  private statementsOf(kind: CaseKind): KindStatements {
    const cached = this.statements.get(kind.definition.type);
    if (cached) return cached;
    const columns = { ...STANDARD_COLUMNS, ...kind.columns };
    // A cast names its column unqualified: kinds' projections must not share a name with case_record's columns.
    const read = Object.values(columns).map(({ column, read: cast }) => (cast ? `${cast} AS ${column}` : `k.${column}`));
    const select = ['k.reminder_policy', 'c.deadlines_version', 'c.audit_event_count', 'c.audit_last_hash', ...(kind.lockedExtras ?? []), ...read].join(', ');
    // case_record is locked with the kind's row: the sweepers claim timers and reminders with it, SKIP LOCKED.
    // It holds the history's head too: a locked row is read again after a wait, so two writers never see one head.
    const readSql = `SELECT ${select} FROM ${kind.table} k JOIN case_record c ON c.id = k.id WHERE k.id = $1 AND c.case_type = $2`;
    const built = { columns, readSql, lockSql: `${readSql} FOR UPDATE OF k, c` };
    this.statements.set(kind.definition.type, built);
    return built;
  }

  private async lock(manager: EntityManager, kind: CaseKind, ref: CaseRef): Promise<LockedCase | undefined> {
    const [locked] = await manager.query<LockedCase[]>(this.statementsOf(kind).lockSql, [ref.id, ref.type]);
    return locked;
  }

  private persistedOf(locked: LockedCase): PersistedCase<unknown> {
    return { machineVersion: locked.machine_version, value: locked.state_value as PersistedCase['value'], context: locked.context };
  }

  /** UPDATE only the columns whose value changed; the row is locked, so what was read is what is there. */
  private async writeChangedColumns(manager: EntityManager, kind: CaseKind, id: string, locked: LockedCase, changes: Record<string, unknown>): Promise<void> {
    const { columns } = this.statementsOf(kind);
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [property, value] of Object.entries(changes)) {
      const spec = columns[property];
      if (!spec) throw new Error(`Okänd kolumn i övergången: ${property}`);
      const next = comparable(value, spec.json);
      if (next === comparable(locked[spec.column], spec.json)) continue;
      values.push(Array.isArray(value) && !spec.json ? value : next);
      sets.push(`${spec.column} = $${values.length}${spec.json ? '::jsonb' : ''}`);
    }
    await manager.query(`UPDATE ${kind.table} SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, values);
  }

  /** A new case's case_record row: its title, reference and state, and a history not yet begun. */
  private async insertRecord(manager: EntityManager, kind: CaseKind, id: string, persisted: PersistedCase<unknown>, state: string): Promise<CaseSummary> {
    const { title, reference } = await kind.summary(manager, id, persisted.context);
    await manager.query(`INSERT INTO case_record (id, case_type, title, reference, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`, [
      id,
      kind.definition.type,
      title,
      reference,
      state,
      this.clock.now(),
    ]);
    return { title, reference };
  }

  /**
   * A person's attempt on a case that does not exist or that they may not see: the same 404 for
   * both, after the same work (one read, one row in the security log), and never a row in that
   * case's history. Null when the case is there for them (or the actor is no person).
   */
  private async unseen(manager: EntityManager, kind: CaseKind, ref: CaseRef, locked: LockedCase | undefined, actor: Actor, eventType: string): Promise<DomainError | null> {
    const noun = kind.definition.noun.definite;
    if (!actor.personId || actor.role === 'system') return locked ? null : DomainError.notFound(noun);
    if (locked && kind.definition.rules.maySee(requesterOf(actor), kind.ruledOf(locked))) return null;
    return this.security.unseenCaseAttempt(manager, actor, ref, eventType, noun);
  }

  /** A new case of a kind, in its first state; its history starts with the command that made it. */
  async start(type: string, created: NewCase, actor: Actor, options: Pick<ApplyOptions, 'replay'> = {}): Promise<string> {
    const kind = this.registry.get(type);
    const today = this.clock.today();
    const draft = startCase(kind.definition, created.input('00000000-0000-0000-0000-000000000000', today) as never);
    const decision = authorise(kind.definition, actor, { type: created.commandType, ...created.payload }, kind.ruledOf({ context: draft.context }));
    if (!decision.allowed) {
      // No case exists yet whose history could hold the refusal: the log does.
      this.logger.warn(`${created.commandType} (${type}) avvisat för ${actor.name} (${actor.personId ?? 'ej inloggad'}): ${decision.error.message}`);
      throw decision.error;
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const newId = (await manager.query<{ id: string }[]>('SELECT gen_random_uuid() AS id'))[0].id;
      const persisted = startCase(kind.definition, created.input(newId, today) as never);
      const state = (kind.definition.stateCode ?? stateCode)(persisted.value);
      const deadlines = kind.definition.deadlines(persisted);
      // The kind's row first (its reference to case_record is checked at commit): the summary may read it.
      await kind.insert(manager, {
        ...created.fields,
        id: newId,
        machineVersion: persisted.machineVersion,
        stateValue: persisted.value,
        context: persisted.context,
        state,
        rowVersion: 1,
        ...kind.project(persisted, deadlines),
      });
      const summary = await this.insertRecord(manager, kind, newId, persisted, state);
      await replaceDeadlines(manager, { type, id: newId }, projectedDeadlines(kind, persisted, deadlines));
      if (kind.projectTables) await kind.projectTables(manager, newId, persisted, null);
      if (created.prepare) await created.prepare(manager, newId);
      await this.audit.append(manager, {
        case: { type, id: newId },
        occurredAt: this.clock.now(),
        actor: decision.actor,
        eventType: created.commandType,
        payload: created.payload,
        fromState: '',
        toState: state,
        reason: created.reason ?? null,
        outcome: 'applied',
      }, NO_HISTORY);
      await this.replaceTimers(manager, { type, id: newId }, deadlines.filter((d) => d.event !== null));
      await this.reminders.replace(manager, { type, id: newId }, kind.definition.reminders(persisted, null), state, today);
      if (kind.notify && !options.replay) {
        await kind.notify(manager, { id: newId, rowVersion: 1, eventType: created.commandType, payload: created.payload, from: null, to: state, previous: null, next: persisted, actor: decision.actor, summary }, this.clock.now());
      }
      await recordCreate(manager, { type, id: newId }, created.answer ? { body: await created.answer(manager, newId) } : undefined);
      return newId;
    });
    createCommitted();
    return id;
  }

  /** Sends one event; throws a DomainError (404, 409) when it cannot be applied. */
  async apply(ref: CaseRef, command: EngineCommand, actor: Actor, options: ApplyOptions = {}): Promise<Transition> {
    const run = (manager: EntityManager) => this.applyIn(manager, ref, command, actor, options);
    const outcome = options.manager ? await run(options.manager) : await this.dataSource.transaction(run);
    if ('refusal' in outcome) throw outcome.refusal;
    if (!options.manager) createCommitted();
    return outcome;
  }

  private async applyIn(manager: EntityManager, ref: CaseRef, command: EngineCommand, actor: Actor, options: ApplyOptions): Promise<Transition | { refusal: DomainError }> {
    const kind = this.registry.get(ref.type);
    const { definition } = kind;
    const locked = await this.lock(manager, kind, ref);
    const unseen = await this.unseen(manager, kind, ref, locked, actor, command.type);
    if (unseen) return { refusal: unseen };
    const present = locked as LockedCase;
    const today = options.effectiveOn ?? this.clock.today();
    const decision = authorise(definition, actor, command, kind.ruledOf(present));
    if (!decision.allowed) {
      await this.recordForbidden(manager, ref, present, actor, command.type, { ...payloadOf(command), effectiveOn: today }, decision);
      return { refusal: decision.error };
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== present.row_version) {
      return {
        refusal: new DomainError(
          'stale_version',
          `${definition.noun.definite} har ändrats sedan du läste den (version ${present.row_version}, du skickade ${options.expectedVersion}). Läs in den igen.`,
          { currentVersion: present.row_version },
        ),
      };
    }
    const previous = this.persistedOf(present);
    const result = step(definition, previous as never, { ...command, today });
    const base = {
      case: ref,
      occurredAt: this.clock.now(),
      actor: decision.actor,
      eventType: command.type,
      payload: { ...payloadOf(command), effectiveOn: today },
      reason: reasonOf(command),
    };
    const eventLabel = (type: string) => (definition.events as Record<string, { label: string }>)[type]?.label ?? type;
    const stateLabel = (code: string) => definition.stateLabels?.[code] ?? code;

    if (!result.applied) {
      await this.audit.append(manager, { ...base, fromState: result.from, toState: result.from, outcome: 'refused' }, headOf(present));
      const allowedLabels = (result.allowed as string[]).map((t) => `${t} (${eventLabel(t)})`).join(', ');
      const message =
        result.reason === 'not_in_state'
          ? `${eventLabel(command.type)} går inte när ${definition.noun.definite.toLowerCase()} är i läget ”${stateLabel(result.from)}”. Tillåtna händelser nu: ${allowedLabels || 'inga'}.`
          : `${eventLabel(command.type)} kan inte göras just nu i läget ”${stateLabel(result.from)}”: villkoren är inte uppfyllda (t.ex. part som redan agerat, saknat skäl eller datum som inte nåtts).`;
      return { refusal: new DomainError('event_not_allowed', message, { state: result.from, allowedEvents: result.allowed, reason: result.reason }) };
    }

    // Deadlines are derived once per transition: they feed both the projections and the timer rows.
    const deadlines = definition.deadlines(result.next);
    const rowVersion = present.row_version + 1;
    await this.writeChangedColumns(manager, kind, ref.id, present, {
      machineVersion: result.next.machineVersion,
      stateValue: result.next.value,
      context: result.next.context,
      state: result.to,
      rowVersion,
      ...kind.project(result.next, deadlines),
    });
    if (kind.projectTables) await kind.projectTables(manager, ref.id, result.next, previous);
    if (options.onApplied) await options.onApplied(manager, ref.id);
    // case_record follows the snapshot (title, reference, state) in the statement that moves the history's head.
    const { title, reference } = await kind.summary(manager, ref.id, result.next.context);
    await this.audit.append(manager, { ...base, fromState: result.from, toState: result.to, outcome: 'applied' }, headOf(present), { title, reference, state: result.to });
    // The timer, deadline and reminder rows always mirror the current state: unchanged dates write nothing.
    const previousDeadlines = definition.deadlines(previous as never);
    const dated = projectedDeadlines(kind, result.next, deadlines);
    if (present.deadlines_version !== DEADLINE_PROJECTION_VERSION || deadlineKey(projectedDeadlines(kind, previous, previousDeadlines)) !== deadlineKey(dated)) {
      await replaceDeadlines(manager, ref, dated);
    }
    const timers = deadlines.filter((d) => d.event !== null);
    if (timers.length > 0 || previousDeadlines.some((d) => d.event !== null)) await this.replaceTimers(manager, ref, timers);
    await this.reminders.replace(manager, ref, definition.reminders(result.next, present.reminder_policy), result.to, today);
    if (kind.carryOut && result.actions.length > 0 && !options.replay) await kind.carryOut(manager, ref.id, result.actions, result.next, this.clock.now());
    // The step's notices are outbox rows of this transaction: a rollback leaves none, a retry writes them once (their keys name the row version).
    if (kind.notify && !options.replay) {
      await kind.notify(manager, { id: ref.id, rowVersion, eventType: command.type, payload: payloadOf(command), from: result.from, to: result.to, previous, next: result.next, actor: decision.actor, summary: { title, reference } }, this.clock.now());
    }
    // A person's request with an Idempotency-Key: the key names the transition it made (timers run outside any request).
    if (!options.manager) await recordCreate(manager, ref);
    return { caseType: ref.type, caseId: ref.id, eventType: command.type, from: result.from, to: result.to, rowVersion };
  }

  /**
   * Replaces the case's reminder policy overrides and re-plans its reminders, under the same lock
   * and with an audit row, so the history shows who changed when people are reminded.
   */
  async setReminderPolicy(ref: CaseRef, policy: unknown, actor: Actor): Promise<void> {
    const kind = this.registry.get(ref.type);
    const refusal = await this.dataSource.transaction(async (manager): Promise<DomainError | null> => {
      const locked = await this.lock(manager, kind, ref);
      const unseen = await this.unseen(manager, kind, ref, locked, actor, 'SET_REMINDER_POLICY');
      if (unseen) return unseen;
      const present = locked as LockedCase;
      const decision = authorise(kind.definition, actor, { type: 'SET_REMINDER_POLICY' }, kind.ruledOf(present));
      if (!decision.allowed) {
        await this.recordForbidden(manager, ref, present, actor, 'SET_REMINDER_POLICY', { policy }, decision);
        return decision.error;
      }
      await manager.query(`UPDATE ${kind.table} SET reminder_policy = $2::jsonb, row_version = row_version + 1, updated_at = now() WHERE id = $1`, [
        ref.id,
        policy === null ? null : JSON.stringify(policy),
      ]);
      await this.audit.append(manager, {
        case: ref,
        occurredAt: this.clock.now(),
        actor: decision.actor,
        eventType: 'SET_REMINDER_POLICY',
        payload: { policy },
        fromState: present.state,
        toState: present.state,
        reason: null,
        outcome: 'applied',
      }, headOf(present));
      await this.reminders.replace(manager, ref, kind.definition.reminders(this.persistedOf(present) as never, policy), present.state, this.clock.today());
      return null;
    });
    if (refusal) throw refusal;
  }

  /**
   * The rules' answer before a command's input is even looked at (forms whose validation would
   * otherwise tell an outsider something): refused attempts are recorded like any other, under the
   * row lock the history needs; allowed ones take no lock here, and apply() decides again under its own.
   */
  async requirePermitted(ref: CaseRef, actor: Actor, command: EngineCommand): Promise<void> {
    const kind = this.registry.get(ref.type);
    const [row] = await this.dataSource.query<LockedCase[]>(this.statementsOf(kind).readSql, [ref.id, ref.type]);
    if (row && authorise(kind.definition, actor, command, kind.ruledOf(row)).allowed) return;
    const refusal = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, kind, ref);
      const unseen = await this.unseen(manager, kind, ref, locked, actor, command.type);
      if (unseen) return unseen;
      const present = locked as LockedCase;
      const decision = authorise(kind.definition, actor, command, kind.ruledOf(present));
      if (decision.allowed) return null;
      await this.recordForbidden(manager, ref, present, actor, command.type, { ...payloadOf(command), effectiveOn: this.clock.today() }, decision);
      return decision.error;
    });
    if (refusal) throw refusal;
  }

  /**
   * A refused attempt by someone the rules do not allow: kept in the case's own history
   * (committed with the refusal), or, for an anonymous caller who has no name to record, in the log.
   */
  private async recordForbidden(
    manager: EntityManager,
    ref: CaseRef,
    present: LockedCase,
    actor: Actor,
    eventType: string,
    payload: Record<string, unknown>,
    decision: { error: DomainError; audit: boolean },
  ): Promise<void> {
    if (!decision.audit) {
      this.logger.warn(`${eventType} avvisat för ej inloggad klient på ${ref.type} ${ref.id}: ${decision.error.message}`);
      return;
    }
    await this.audit.append(manager, {
      case: ref,
      occurredAt: this.clock.now(),
      actor,
      eventType,
      payload: { ...payload, refusedBecause: decision.error.message },
      fromState: present.state,
      toState: present.state,
      reason: null,
      outcome: 'forbidden',
    }, headOf(present));
  }

  /** The timer table mirrors what the machine now waits for; fired rows stay as history. One round trip. */
  private async replaceTimers(manager: EntityManager, ref: CaseRef, timers: CaseDeadline[]): Promise<void> {
    if (timers.length === 0) {
      await manager.query(`DELETE FROM case_timer WHERE case_id = $1 AND fired_at IS NULL`, [ref.id]);
      return;
    }
    const values: unknown[] = [ref.id, ref.type];
    const tuples = timers.map((d) => {
      values.push(d.kind, d.cycle, d.dueDate, d.firesAt, d.event, d.scheduledIn);
      const n = values.length;
      return `($${n - 5}::text, $${n - 4}::int, $${n - 3}::date, $${n - 2}::timestamptz, $${n - 1}::text, $${n}::text)`;
    });
    await manager.query(
      `WITH cleared AS (DELETE FROM case_timer WHERE case_id = $1 AND fired_at IS NULL)
       INSERT INTO case_timer (case_id, case_type, kind, cycle, due_date, due_at, event_type, scheduled_in_state)
       SELECT $1::uuid, $2::text, v.* FROM (VALUES ${tuples.join(', ')}) AS v (kind, cycle, due_date, due_at, event_type, scheduled_in_state)`,
      values,
    );
  }
}
