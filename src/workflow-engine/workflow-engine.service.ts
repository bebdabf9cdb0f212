import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { EVENT_LABELS, STATE_LABELS } from '@workflows/agreement/labels';
import { deadlinesOf, type Deadline } from '@workflows/agreement/deadlines';
import {
  startAgreement,
  step,
  type AgreementStateCode,
  type PersistedAgreement,
} from '@workflows/agreement/persistence';
import type { AgreementEvent, AgreementInput } from '@workflows/agreement/types';
import type { CalendarDate } from '@workflows/calendar/calendar';
import { Agreement } from '@app/agreements/agreement.entity';
import type { Actor } from '@app/audit/actor';
import { AuditService } from '@app/audit/audit.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { AgreementTimer } from '@app/timers/agreement-timer.entity';
import type { EngineCommand } from './engine-command';

export interface ApplyOptions {
  /** The row version the client saw; a different current version is refused. */
  expectedVersion?: number;
  /** The date the event takes effect; timers pass their due date, people get today. */
  effectiveOn?: CalendarDate;
  /** Work that must commit or fail with the transition (e.g. the terms tables on UPDATE_TERMS). */
  onApplied?: (manager: EntityManager, agreement: Agreement) => Promise<void>;
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

const persistedOf = (a: Agreement): PersistedAgreement => ({ machineVersion: a.machineVersion, value: a.stateValue, context: a.context });

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
  ) {}

  /** A new agreement as an initiative; `prepare` inserts its terms rows in the same transaction. */
  async start(
    fields: Partial<Agreement>,
    input: Omit<AgreementInput, 'agreementId' | 'proposedOn'>,
    actor: Actor,
    prepare?: (manager: EntityManager, agreement: Agreement) => Promise<void>,
  ): Promise<Agreement> {
    return this.dataSource.transaction(async (manager) => {
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
        actor,
        eventType: 'PROPOSE_INITIATIVE',
        payload: { title: fields.title, proposedBy: input.proposedBy, terms: input.terms },
        fromState: '',
        toState: 'initiative',
        reason: null,
        outcome: 'applied',
      });
      return agreement;
    });
  }

  /** Sends one event; throws a DomainError (404, 409) when it cannot be applied. */
  async apply(agreementId: string, command: EngineCommand, actor: Actor, options: ApplyOptions = {}): Promise<Transition> {
    const run = (manager: EntityManager) => this.applyIn(manager, agreementId, command, actor, options);
    const outcome = options.manager ? await run(options.manager) : await this.dataSource.transaction(run);
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome;
  }

  private async applyIn(
    manager: EntityManager,
    agreementId: string,
    command: EngineCommand,
    actor: Actor,
    options: ApplyOptions,
  ): Promise<Transition | { refusal: DomainError }> {
    const repo = manager.getRepository(Agreement);
    const agreement = await repo.findOne({ where: { id: agreementId }, lock: { mode: 'pessimistic_write' } });
    if (!agreement) return { refusal: DomainError.notFound('Överenskommelsen') };
    if (options.expectedVersion !== undefined && options.expectedVersion !== agreement.rowVersion) {
      return {
        refusal: new DomainError(
          'stale_version',
          `Överenskommelsen har ändrats sedan du läste den (version ${agreement.rowVersion}, du skickade ${options.expectedVersion}). Läs in den igen.`,
          { currentVersion: agreement.rowVersion },
        ),
      };
    }
    const today = options.effectiveOn ?? this.clock.today();
    const event = { ...command, today };
    const result = step(persistedOf(agreement), event);
    const base = { agreementId, occurredAt: this.clock.now(), actor, eventType: command.type, payload: { ...payloadOf(command), effectiveOn: today }, reason: reasonOf(command) };

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
    const changes = { ...snapshotColumns(result.next, deadlines), state: result.to, rowVersion: agreement.rowVersion + 1 };
    // update(), not save(): save() would first SELECT the row it already holds locked.
    await repo.update({ id: agreementId }, changes);
    Object.assign(agreement, changes);
    if (options.onApplied) await options.onApplied(manager, agreement);
    await this.audit.append(manager, { ...base, fromState: result.from, toState: result.to, outcome: 'applied' });
    await this.replaceTimers(manager, agreement.id, deadlines);
    return { agreementId, eventType: command.type, from: result.from, to: result.to, rowVersion: agreement.rowVersion };
  }

  /** The timer table mirrors what the machine now waits for; fired rows stay as history. */
  private async replaceTimers(manager: EntityManager, agreementId: string, deadlines: Deadline[]): Promise<void> {
    const timers = manager.getRepository(AgreementTimer);
    await timers.delete({ agreementId, firedAt: IsNull() });
    const rows = deadlines.filter((d) => d.event !== null).map((d) =>
      timers.create({
        agreementId,
        kind: d.kind,
        cycle: d.cycle,
        dueDate: d.dueDate,
        dueAt: new Date(d.firesAt),
        eventType: d.event as string,
        scheduledInState: d.scheduledIn,
        firedAt: null,
        outcome: null,
      }),
    );
    if (rows.length > 0) await timers.insert(rows);
  }
}
