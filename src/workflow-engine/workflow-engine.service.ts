import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { EVENT_LABELS, STATE_LABELS } from '@workflows/agreement/labels';
import { deadlinesOf, type Deadline } from '@workflows/agreement/deadlines';
import {
  startAgreement,
  step,
  type AgreementStateCode,
  type PersistedAgreement,
} from '@workflows/agreement/persistence';
import type { StateValue } from 'xstate';
import type { ReminderPolicy } from '@workflows/agreement/reminders';
import type { AgreementContext, AgreementEvent, AgreementInput } from '@workflows/agreement/types';
import type { CalendarDate } from '@workflows/calendar/calendar';
import { Agreement } from '@app/agreements/agreement.entity';
import type { Actor } from '@app/audit/actor';
import { AuditService } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { ReminderPlannerService } from '@app/notifications/reminder-planner.service';
import { createCommitted, recordCreate } from '@app/idempotency/idempotency.context';
import { maySee, type RuledAgreement, type RuledCommand } from '@workflows/agreement/rules';
import { SecurityLogService } from '@app/auth/security-log.service';
import { authorise, requesterOf, ruledAgreementOf } from './authorisation';
import type { EngineCommand } from './engine-command';

export interface ApplyOptions {
  /** The row version the client saw; a different current version is refused. */
  expectedVersion?: number;
  /** The date the event takes effect; timers pass their due date, people get today. */
  effectiveOn?: CalendarDate;
  /** Work that must commit or fail with the transition (e.g. the terms tables on UPDATE_TERMS). */
  onApplied?: (manager: EntityManager, agreementId: string) => Promise<void>;
  /** Run inside the caller's transaction (the timer sweeper); otherwise the engine opens one. */
  manager?: EntityManager;
}

export interface Transition {
  agreementId: string;
  eventType: AgreementEvent['type'];
  from: AgreementStateCode;
  to: AgreementStateCode;
  rowVersion: number;
}

/** Fields of an agreement that are copies of its machine snapshot, for queries. */
function snapshotColumns(persisted: PersistedAgreement, deadlines: Deadline[]): Partial<Agreement> {
  const { context } = persisted;
  const next = deadlines[0] ?? null;
  const extension = context.terms.extension;
  return {
    machineVersion: persisted.machineVersion,
    stateValue: persisted.value,
    context,
    startDate: context.terms.validity.startDate,
    endDate: context.endDate ?? context.terms.validity.endDate,
    extensionsUsed: context.extensionsUsed,
    extensionPeriodMonths: extension?.periodMonths ?? null,
    maxExtensions: extension?.maxExtensions ?? null,
    decisionNoticeMonths: extension?.decisionNoticeMonths ?? null,
    decisionWindowMonths: extension?.decisionWindowMonths ?? null,
    totalKr: context.terms.economics?.totalKr ?? null,
    indexationBasisPoints: context.terms.economics?.indexationBasisPoints ?? 0,
    nextDeadlineAt: next ? new Date(next.firesAt) : null,
    nextDeadlineKind: next?.kind ?? null,
    nextDeadlineDate: next?.dueDate ?? null,
  };
}

/** The columns a transition reads under its lock, named as in the table. */
interface LockedRow {
  row_version: number;
  /** The firmatecknare the agreement names (agreement_member), for the rules. */
  signatory_ids: string[];
  machine_version: number;
  state_value: StateValue;
  context: AgreementContext;
  reminder_policy: Partial<ReminderPolicy> | null;
  [column: string]: unknown;
}

/** Entity property → column, for every column a transition may write. */
const SNAPSHOT_COLUMNS: Record<string, { column: string; json?: boolean; read?: string }> = {
  machineVersion: { column: 'machine_version' },
  stateValue: { column: 'state_value', json: true },
  context: { column: 'context', json: true },
  state: { column: 'state' },
  startDate: { column: 'start_date', read: 'start_date::text' },
  endDate: { column: 'end_date', read: 'end_date::text' },
  extensionsUsed: { column: 'extensions_used' },
  extensionPeriodMonths: { column: 'extension_period_months' },
  maxExtensions: { column: 'max_extensions' },
  decisionNoticeMonths: { column: 'decision_notice_months' },
  decisionWindowMonths: { column: 'decision_window_months' },
  totalKr: { column: 'total_kr', read: 'total_kr::float8' },
  indexationBasisPoints: { column: 'indexation_basis_points' },
  nextDeadlineAt: { column: 'next_deadline_at', read: `to_char(next_deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` },
  nextDeadlineKind: { column: 'next_deadline_kind' },
  nextDeadlineDate: { column: 'next_deadline_date', read: 'next_deadline_date::text' },
  rowVersion: { column: 'row_version' },
};

/** Read with the agreement, in the same statement: who the rules let sign for a party. */
const SIGNATORY_IDS = `ARRAY(SELECT m.person_id::text FROM agreement_member m WHERE m.agreement_id = agreement.id AND m.role = 'signatory') AS signatory_ids`;

const LOCKED_COLUMNS = [
  'reminder_policy',
  SIGNATORY_IDS,
  ...Object.values(SNAPSHOT_COLUMNS).map(({ column, read }) => (read ? `${read} AS ${column}` : column)),
].join(', ');

/** Comparable form of a column value: dates as ISO strings, JSON as text. */
function comparable(value: unknown, json: boolean | undefined): unknown {
  if (value instanceof Date) return value.toISOString();
  return json ? JSON.stringify(value) : value ?? null;
}

/** UPDATE only the columns whose value changed; the row is locked, so what was read is what is there. */
async function writeChangedColumns(manager: EntityManager, id: string, locked: LockedRow, changes: Partial<Agreement>): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  for (const [property, value] of Object.entries(changes)) {
    const spec = SNAPSHOT_COLUMNS[property];
    if (!spec) throw new Error(`Okänd kolumn i övergången: ${property}`);
    const next = comparable(value, spec.json);
    if (next === comparable(locked[spec.column], spec.json)) continue;
    values.push(next);
    sets.push(`${spec.column} = $${values.length}${spec.json ? '::jsonb' : ''}`);
  }
  await manager.query(`UPDATE agreement SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, values);
}


/** What the audit row keeps of an event: everything but the date the engine added. */
function payloadOf(command: EngineCommand): Record<string, unknown> {
  const { type: _type, ...rest } = command as EngineCommand & Record<string, unknown>;
  return rest;
}

const reasonOf = (command: EngineCommand): string | null =>
  'reason' in command && typeof command.reason === 'string' ? command.reason : 'note' in command && typeof command.note === 'string' ? command.note : null;

/**
 * The one path every transition takes, from a person or from the clock: lock
 * the agreement, restore its snapshot, let the pure machine decide, store the
 * result, append to the audit history and replace the timers, all in one
 * transaction. Refused attempts are recorded too.
 */
@Injectable()
export class WorkflowEngineService {
  private readonly logger = new Logger('Behörighet');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly reminders: ReminderPlannerService,
    private readonly security: SecurityLogService,
  ) {}

  /**
   * A person's attempt on an agreement that does not exist or that they may not see: the same 404
   * for both, after the same work (one read, one row in the security log), and never a row in that
   * agreement's history. Null when the agreement is there for them (or the actor is no person).
   */
  private async unseen(manager: EntityManager, agreementId: string, locked: { context: AgreementContext } | undefined, ruled: RuledAgreement | null, actor: Actor, eventType: string): Promise<DomainError | null> {
    if (!actor.personId || actor.role === 'system') return locked ? null : DomainError.notFound('Överenskommelsen');
    if (locked && ruled && maySee(requesterOf(actor), ruled)) return null;
    return this.security.unseenAgreementAttempt(manager, actor, agreementId, eventType);
  }

  /**
   * A new agreement as an initiative; `prepare` inserts its terms rows in the same transaction, and
   * `answer` builds the client's answer there too, so an Idempotency-Key retry finds exactly that.
   */
  async start(
    fields: Partial<Agreement>,
    input: Omit<AgreementInput, 'agreementId' | 'proposedOn'>,
    actor: Actor,
    prepare?: (manager: EntityManager, agreement: Agreement) => Promise<void>,
    answer?: (manager: EntityManager, agreement: Agreement) => Promise<unknown>,
  ): Promise<Agreement> {
    const decision = authorise(actor, { type: 'PROPOSE_INITIATIVE' }, ruledAgreementOf({ proposedBy: input.proposedBy, terms: input.terms }));
    if (!decision.allowed) {
      // No agreement exists yet whose history could hold the refusal: the log does.
      this.logger.warn(`Initiativ avvisat för ${actor.name} (${actor.personId ?? 'ej inloggad'}): ${decision.error.message}`);
      throw decision.error;
    }
    const proposer = decision.actor;
    const created = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Agreement);
      const id = (await manager.query<{ id: string }[]>('SELECT gen_random_uuid() AS id'))[0].id;
      const persisted = startAgreement({ ...input, agreementId: id, proposedOn: this.clock.today() });
      const agreement = repo.create({
        ...fields,
        id,
        proposedByOrganisationId: input.proposedBy,
        ...snapshotColumns(persisted, deadlinesOf(persisted)),
        state: 'initiative',
        rowVersion: 1,
      });
      await repo.insert(agreement);
      if (prepare) await prepare(manager, agreement);
      await this.audit.append(manager, {
        agreementId: id,
        occurredAt: this.clock.now(),
        actor: proposer,
        eventType: 'PROPOSE_INITIATIVE',
        payload: { title: fields.title, proposedBy: input.proposedBy, terms: input.terms },
        fromState: '',
        toState: 'initiative',
        reason: null,
        outcome: 'applied',
      });
      await this.reminders.replace(manager, id, persisted, agreement.reminderPolicy, this.clock.today());
      await recordCreate(manager, { type: 'agreement', id }, answer ? { body: await answer(manager, agreement) } : undefined);
      return agreement;
    });
    createCommitted();
    return created;
  }

  /** Sends one event; throws a DomainError (404, 409) when it cannot be applied. */
  async apply(agreementId: string, command: EngineCommand, actor: Actor, options: ApplyOptions = {}): Promise<Transition> {
    const run = (manager: EntityManager) => this.applyIn(manager, agreementId, command, actor, options);
    const outcome = options.manager ? await run(options.manager) : await this.dataSource.transaction(run);
    if ('refusal' in outcome) throw outcome.refusal;
    if (!options.manager) createCommitted();
    return outcome;
  }

  private async applyIn(
    manager: EntityManager,
    agreementId: string,
    command: EngineCommand,
    actor: Actor,
    options: ApplyOptions,
  ): Promise<Transition | { refusal: DomainError }> {
    // Only what the step and the change detection need: the full entity costs more to hydrate than the step costs to run.
    const [locked] = await manager.query<LockedRow[]>(
      `SELECT ${LOCKED_COLUMNS} FROM agreement WHERE id = $1 FOR UPDATE`,
      [agreementId],
    );
    const ruled = locked ? ruledAgreementOf(locked.context, locked.signatory_ids) : null;
    const unseen = await this.unseen(manager, agreementId, locked, ruled, actor, command.type);
    if (unseen) return { refusal: unseen };
    const today = options.effectiveOn ?? this.clock.today();
    const decision = authorise(actor, command, ruled as RuledAgreement);
    if (!decision.allowed) {
      await this.recordForbidden(manager, agreementId, String(locked.state), actor, command.type, { ...payloadOf(command), effectiveOn: today }, decision);
      return { refusal: decision.error };
    }
    const acting = decision.actor;
    if (options.expectedVersion !== undefined && options.expectedVersion !== locked.row_version) {
      return {
        refusal: new DomainError(
          'stale_version',
          `Överenskommelsen har ändrats sedan du läste den (version ${locked.row_version}, du skickade ${options.expectedVersion}). Läs in den igen.`,
          { currentVersion: locked.row_version },
        ),
      };
    }
    const previous: PersistedAgreement = { machineVersion: locked.machine_version, value: locked.state_value, context: locked.context };
    const event = { ...command, today };
    const result = step(previous, event);
    const base = { agreementId, occurredAt: this.clock.now(), actor: acting, eventType: command.type, payload: { ...payloadOf(command), effectiveOn: today }, reason: reasonOf(command) };

    if (!result.applied) {
      await this.audit.append(manager, { ...base, fromState: result.from, toState: result.from, outcome: 'refused' });
      const allowedLabels = result.allowed.map((t) => `${t} (${EVENT_LABELS[t]})`).join(', ');
      const message =
        result.reason === 'not_in_state'
          ? `${EVENT_LABELS[command.type]} går inte när överenskommelsen är i läget ”${STATE_LABELS[result.from]}”. Tillåtna händelser nu: ${allowedLabels || 'inga'}.`
          : `${EVENT_LABELS[command.type]} kan inte göras just nu i läget ”${STATE_LABELS[result.from]}”: villkoren är inte uppfyllda (t.ex. part som redan agerat, saknat skäl eller datum som inte nåtts).`;
      return {
        refusal: new DomainError('event_not_allowed', message, { state: result.from, allowedEvents: result.allowed, reason: result.reason }),
      };
    }

    // Deadlines are derived once per transition: they feed both the query columns and the timer rows.
    const deadlines = deadlinesOf(result.next);
    const rowVersion = locked.row_version + 1;
    await writeChangedColumns(manager, agreementId, locked, { ...snapshotColumns(result.next, deadlines), state: result.to, rowVersion });
    if (options.onApplied) await options.onApplied(manager, agreementId);
    await this.audit.append(manager, { ...base, fromState: result.from, toState: result.to, outcome: 'applied' });
    // The timer and reminder rows always mirror the current state, so when neither state has any there is nothing to replace.
    const timers = deadlines.filter((d) => d.event !== null);
    if (timers.length > 0 || deadlinesOf(previous).some((d) => d.event !== null)) await this.replaceTimers(manager, agreementId, timers);
    await this.reminders.replace(manager, agreementId, result.next, locked.reminder_policy, today);
    // A person's request with an Idempotency-Key: the key names the transition it made (timers run outside any request).
    if (!options.manager) await recordCreate(manager, { type: 'agreement', id: agreementId });
    return { agreementId, eventType: command.type, from: result.from, to: result.to, rowVersion };
  }

  /**
   * Replaces the agreement's reminder policy overrides and re-plans its reminders, under the
   * same lock and with an audit row, so the history shows who changed when people are reminded.
   */
  async setReminderPolicy(agreementId: string, policy: Partial<ReminderPolicy> | null, actor: Actor): Promise<void> {
    const refusal = await this.dataSource.transaction(async (manager): Promise<DomainError | null> => {
      const [locked] = await manager.query<LockedRow[]>(`SELECT ${LOCKED_COLUMNS} FROM agreement WHERE id = $1 FOR UPDATE`, [agreementId]);
      const ruled = locked ? ruledAgreementOf(locked.context, locked.signatory_ids) : null;
      const unseen = await this.unseen(manager, agreementId, locked, ruled, actor, 'SET_REMINDER_POLICY');
      if (unseen) return unseen;
      const state = String(locked.state);
      const decision = authorise(actor, { type: 'SET_REMINDER_POLICY' }, ruled as RuledAgreement);
      if (!decision.allowed) {
        await this.recordForbidden(manager, agreementId, state, actor, 'SET_REMINDER_POLICY', { policy }, decision);
        return decision.error;
      }
      const persisted: PersistedAgreement = { machineVersion: locked.machine_version, value: locked.state_value, context: locked.context };
      await manager.query(`UPDATE agreement SET reminder_policy = $2::jsonb, row_version = row_version + 1, updated_at = now() WHERE id = $1`, [
        agreementId,
        policy === null ? null : JSON.stringify(policy),
      ]);
      await this.audit.append(manager, {
        agreementId,
        occurredAt: this.clock.now(),
        actor: decision.actor,
        eventType: 'SET_REMINDER_POLICY',
        payload: { policy },
        fromState: state,
        toState: state,
        reason: null,
        outcome: 'applied',
      });
      await this.reminders.replace(manager, agreementId, persisted, policy, this.clock.today());
      return null;
    });
    if (refusal) throw refusal;
  }

  /**
   * The rules' answer before a command's input is even looked at (forms whose validation would
   * otherwise tell an outsider something): refused attempts are recorded like any other, under the
   * row lock the history needs; allowed ones take no lock here, and apply() decides again under its own.
   */
  async requirePermitted(agreementId: string, actor: Actor, command: RuledCommand): Promise<void> {
    const [row] = await this.dataSource.query<Array<{ context: AgreementContext; signatory_ids: string[] }>>(
      `SELECT context, ${SIGNATORY_IDS} FROM agreement WHERE id = $1`,
      [agreementId],
    );
    const ruled = row ? ruledAgreementOf(row.context, row.signatory_ids) : null;
    if (ruled && authorise(actor, command, ruled).allowed) return;
    const refusal = await this.dataSource.transaction(async (manager) => {
      const unseen = await this.unseen(manager, agreementId, row, ruled, actor, command.type);
      if (unseen) return unseen;
      const [locked] = await manager.query<LockedRow[]>(`SELECT ${LOCKED_COLUMNS} FROM agreement WHERE id = $1 FOR UPDATE`, [agreementId]);
      const decision = authorise(actor, command, ruledAgreementOf(locked.context, locked.signatory_ids));
      if (decision.allowed) return null;
      const { type, ...payload } = command;
      await this.recordForbidden(manager, agreementId, String(locked.state), actor, type, { ...payload, effectiveOn: this.clock.today() }, decision);
      return decision.error;
    });
    if (refusal) throw refusal;
  }

  /**
   * A refused attempt by someone the rules do not allow: kept in the agreement's own history
   * (committed with the refusal), or, for an anonymous caller who has no name to record, in the log.
   */
  private async recordForbidden(
    manager: EntityManager,
    agreementId: string,
    state: string,
    actor: Actor,
    eventType: string,
    payload: Record<string, unknown>,
    decision: { error: DomainError; audit: boolean },
  ): Promise<void> {
    if (!decision.audit) {
      this.logger.warn(`${eventType} avvisat för ej inloggad klient på ${agreementId}: ${decision.error.message}`);
      return;
    }
    await this.audit.append(manager, {
      agreementId,
      occurredAt: this.clock.now(),
      actor,
      eventType,
      payload: { ...payload, refusedBecause: decision.error.message },
      fromState: state,
      toState: state,
      reason: null,
      outcome: 'forbidden',
    });
  }

  /** The timer table mirrors what the machine now waits for; fired rows stay as history. One round trip. */
  private async replaceTimers(manager: EntityManager, agreementId: string, timers: Deadline[]): Promise<void> {
    if (timers.length === 0) {
      await manager.query(`DELETE FROM agreement_timer WHERE agreement_id = $1 AND fired_at IS NULL`, [agreementId]);
      return;
    }
    const values: unknown[] = [agreementId];
    const tuples = timers.map((d) => {
      values.push(d.kind, d.cycle, d.dueDate, d.firesAt, d.event, d.scheduledIn);
      const n = values.length;
      return `($${n - 5}::text, $${n - 4}::int, $${n - 3}::date, $${n - 2}::timestamptz, $${n - 1}::text, $${n}::text)`;
    });
    await manager.query(
      `WITH cleared AS (DELETE FROM agreement_timer WHERE agreement_id = $1 AND fired_at IS NULL)
       INSERT INTO agreement_timer (agreement_id, kind, cycle, due_date, due_at, event_type, scheduled_in_state)
       SELECT $1::uuid, v.* FROM (VALUES ${tuples.join(', ')}) AS v (kind, cycle, due_date, due_at, event_type, scheduled_in_state)`,
      values,
    );
  }
}
