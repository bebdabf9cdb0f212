import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { CaseRequester } from '@workflows/kernel/kernel';
import { CaseDeadlineProjector } from './case-deadline.projector';
import { deadlinesIn } from './case-deadline.repository';
import { CaseRegistry } from './case-registry';

/** A date of a case of any kind, named and linked for the shared views (Bevakning, the digest, the calendar feed). */
export interface CaseDate {
  caseType: string;
  caseId: string;
  title: string;
  reference: string | null;
  state: string;
  stateLabel: string;
  /** The kind in Swedish ('överenskommelse', 'beslut om medel'). */
  noun: string;
  /** The case's page in the web interface (a path). */
  href: string;
  kind: string;
  cycle: number;
  dueDate: CalendarDate;
  /** The deadline's label ('sista dag för beslut om förlängning'). */
  label: string;
  /** What the date is now, in the words of a list: the label, or how it is late. */
  what: string;
  /** Overdue by the case's definition, or its timer has not been fired in time. */
  overdue: boolean;
}

export interface CaseDatesQuery {
  from: CalendarDate;
  to: CalendarDate;
  /** Include what is overdue at this instant, whatever its date. */
  overdueAt?: Date;
  /** Only what this person may see by each kind's rules; undefined: everything (the secretariat's views). */
  who?: CaseRequester;
  /** Only these kinds of case. */
  types?: readonly string[];
  /** Only these cases (a filter such as Bevakning's partner). */
  ids?: readonly string[];
  state?: string;
  limit: number;
}

/**
 * The one reader of case dates for every view: the engine's case_deadline rows in a date range,
 * narrowed by each kind's visibility rule, named through the registry. Bounded by `limit`:
 * `truncated` says there were more.
 */
@Injectable()
export class CaseDatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: CaseRegistry,
    private readonly projector: CaseDeadlineProjector,
  ) {}

  /**
   * Cases whose snapshot this version cannot read (a newer machine version, or marked so by the
   * projector): their dates cannot be trusted, so the digest names them instead. One look per kind
   * at the machine_version column.
   */
  async unreadable(manager: EntityManager = this.dataSource.manager, limit = 100): Promise<Array<{ caseType: string; caseId: string; title: string; reference: string | null; problem: string }>> {
    const found = [];
    for (const kind of this.registry.all()) {
      const { definition } = kind;
      // The table name comes from the registered kind (code), never from a request.
      const rows = await manager.query<Array<{ id: string; title: string; reference: string | null; machine_version: number }>>(
        `SELECT k.id, c.title, c.reference, k.machine_version FROM ${kind.table} k JOIN case_record c ON c.id = k.id
          WHERE k.machine_version > $1 OR c.deadlines_version = 0 ORDER BY c.title, k.id LIMIT $2`,
        [definition.machineVersion, limit],
      );
      for (const r of rows) {
        const problem =
          r.machine_version > definition.machineVersion
            ? (definition.unsupportedVersionMessage?.(r.machine_version) ?? `Ärendet sparades med maskinversion ${r.machine_version}, som den här versionen inte kan läsa.`)
            : 'Ärendets datum kunde inte beräknas.';
        found.push({ caseType: definition.type, caseId: r.id, title: r.title, reference: r.reference, problem: `${definition.noun.definite.toLowerCase()} kunde inte läsas (${problem})` });
      }
    }
    return found;
  }

  async dates(query: CaseDatesQuery, manager: EntityManager = this.dataSource.manager): Promise<{ dates: CaseDate[]; truncated: boolean }> {
    await this.projector.catchUp();
    const kinds = this.registry.all().filter((k) => !query.types || query.types.includes(k.definition.type));
    const types: string[] = [];
    const ids: string[] = [];
    for (const kind of kinds) {
      const visible = query.who ? await kind.casesVisibleTo(manager, query.who) : 'all';
      if (visible === 'all' && !query.ids) types.push(kind.definition.type);
      else ids.push(...(visible === 'all' ? query.ids ?? [] : query.ids ? visible.filter((id) => query.ids?.includes(id)) : visible));
    }
    const rows = await deadlinesIn(manager, {
      from: query.from,
      to: query.to,
      overdueAt: query.overdueAt,
      visible: { types, ids },
      state: query.state,
      limit: query.limit + 1,
    });
    const dates = rows.slice(0, query.limit).map((d): CaseDate => {
      const kind = this.registry.get(d.caseType);
      const label = this.registry.deadlineLabel(d.caseType, d.kind);
      const what = d.late ? `${label} (datumet har passerats men inte hanterats)` : d.overdue ? (kind.overdueWords?.[d.kind] ?? `${label} (försenad)`) : label;
      return {
        caseType: d.caseType,
        caseId: d.caseId,
        title: d.title,
        reference: d.reference,
        state: d.state,
        stateLabel: this.registry.stateLabel(d.caseType, d.state),
        noun: kind.definition.noun.indefinite,
        href: kind.pagePath(d.caseId),
        kind: d.kind,
        cycle: d.cycle,
        dueDate: d.dueDate,
        label,
        what,
        overdue: d.late || d.overdue,
      };
    });
    return { dates, truncated: rows.length > query.limit };
  }
}
