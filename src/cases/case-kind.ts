import type { EntityManager } from 'typeorm';
import type { AnyStateMachine } from 'xstate';
import type { Actor } from '@app/audit/actor';
import type { CaseDeadline, CaseKindDefinition, CaseReminder, CaseRequester, PersistedCase } from '@workflows/kernel/kernel';

/** A case of some kind, as every shared table names it. */
export interface CaseRef {
  type: string;
  id: string;
}

/** A column of a kind's own table that copies the snapshot, for its queries; `read` casts it for comparison. */
export interface ProjectedColumn {
  column: string;
  json?: boolean;
  read?: string;
}

/** A main-menu entry a kind of case contributes: the web shell lists them and names no kind. */
export interface KindNavigation {
  path: string;
  label: string;
  roles?: readonly string[];
}

/** What case_record shows of a case: enough for the shared views to name it and link to it. */
export interface CaseSummary {
  title: string;
  /** The diarienummer, when it has one. */
  reference: string | null;
}

/** One reminder e-mail to one person, written by the kind's module in its own words. */
export interface ReminderMessage {
  email: string;
  name: string | null;
  subject: string;
  text: string;
  html: string;
  ics: string | null;
}

/** A due reminder row as the dispatcher claimed it. */
export interface DueReminder {
  id: string;
  caseId: string;
  kind: string;
  reminderKey: string;
  cycle: number;
  audience: string;
  sendAt: Date;
  deadlineDate: string;
  title: string;
  reference: string | null;
}

/** One step the engine recorded, as a kind's notices read it; `from` and `previous` are null for a new case. */
export interface RecordedStep {
  id: string;
  /** The case's row version after the step: with the case, it names the step once and for all. */
  rowVersion: number;
  eventType: string;
  /** The command's fields (a refusal's party and reason). */
  payload: Record<string, unknown>;
  from: string | null;
  to: string;
  previous: PersistedCase<unknown> | null;
  next: PersistedCase<unknown>;
  /** Who did it, as the history records them. */
  actor: Actor;
  /** The case's title and reference after the step (what case_record now says). */
  summary: CaseSummary;
}

/** The stored case as the engine reads it under its lock: the standard columns and the kind's extras. */
export interface LockedCase {
  row_version: number;
  machine_version: number;
  state_value: unknown;
  context: unknown;
  state: string;
  reminder_policy: unknown;
  /** The history's head (case_record's, read under the same lock). */
  audit_event_count: number;
  audit_last_hash: string | null;
  [column: string]: unknown;
}

/**
 * A kind of case as the service runs it: its pure definition (workflows/<kind>/definition.ts) and
 * what the database and the mail need. Each kind's module registers one with the CaseRegistry; the
 * engine, the sweeper, the dispatcher, the audit and the web shell look it up by type and know no kind.
 *
 * The kind's table holds the standard case columns: id, machine_version, state_value, context,
 * state, row_version, reminder_policy, updated_at; and its own projections of the snapshot.
 */
export interface CaseKind<TRuled = unknown> {
  definition: CaseKindDefinition<AnyStateMachine, TRuled>;
  table: string;
  /** Where a person reads the case in the web interface. */
  pagePath(id: string): string;
  /** The kind's own entry in the web interface's main menu, for the roles given (every signed-in person when absent). */
  navigation?: KindNavigation;
  /** Read after the transition's own writes, in its transaction (a kind may keep its title beside the snapshot). */
  summary(manager: EntityManager, id: string, context: unknown): Promise<CaseSummary>;
  /** The table's columns that copy the snapshot (property → column), and their values after a step. */
  columns: Readonly<Record<string, ProjectedColumn>>;
  project(persisted: PersistedCase<unknown>, deadlines: readonly CaseDeadline[]): Record<string, unknown>;
  /** Inserts the kind's row for a new case (entity property names: the standard ones, the projections, the module's fields). */
  insert(manager: EntityManager, values: Record<string, unknown>): Promise<void>;
  /** SQL select expressions read with the case under its lock, for the rules (`… AS name`); the table is aliased `k`. */
  lockedExtras?: readonly string[];
  /** The case as its rules see it. */
  ruledOf(locked: { context: unknown; [extra: string]: unknown }): TRuled;
  /** Tables of the kind that copy the context (parties, cost lines), rewritten in the transition's transaction. */
  projectTables?(manager: EntityManager, id: string, next: PersistedCase<unknown>, previous: PersistedCase<unknown> | null): Promise<void>;
  /** Its reminder kinds in a few Swedish words, for incidents ('signatur saknas'). */
  reminderWords: Readonly<Record<string, string>>;
  /** The e-mails one due reminder becomes, one per recipient (already de-duplicated). */
  reminderMessages(manager: EntityManager, reminder: DueReminder, context: { secretariatEmail: string; publicBaseUrl: string; now: Date }): Promise<ReminderMessage[]>;
  /** Cases of the kind, not yet closed, whose dates hang on a committee meeting (for moving it); absent = none ever do. */
  casesAtMeeting?(manager: EntityManager, meetingId: string): Promise<string[]>;
  /**
   * The cases of the kind this person may see, for the shared date views (Bevakning, the calendar
   * feed): 'all', or their ids, narrowed in SQL by the kind's own tables. Must agree with the rules' maySee.
   */
  casesVisibleTo(manager: EntityManager, who: CaseRequester): Promise<'all' | readonly string[]>;
  /**
   * Dates the kind shows beyond its definition's deadlines, projected with them (e.g. the agreement's
   * extension decision once it is overdue, which no deadline names any more).
   */
  extraDeadlines?(persisted: PersistedCase<unknown>): CaseDeadline[];
  /** How an overdue date reads, per deadline kind, where '<label> (försenad)' is not how the kind says it. */
  overdueWords?: Readonly<Record<string, string>>;
  /**
   * The e-mails a recorded step gives the people concerned (notices), written as outbox rows in the
   * transition's own transaction; not called for history being replayed (the demo data).
   */
  notify?(manager: EntityManager, step: RecordedStep, now: Date): Promise<void>;
  /** What the transition's emitted actions make the service do, in the same transaction (e.g. mail the decision's recipients). */
  carryOut?(manager: EntityManager, id: string, actions: ReadonlyArray<{ type: string; params: unknown }>, next: PersistedCase<unknown>, now: Date): Promise<void>;
}

export type { CaseDeadline, CaseReminder };
