import { keysetRows, Page, type PageRequest, type SortKey } from '@app/common/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CalendarDate } from '@workflows/calendar/calendar';
import { AgreementRepository } from '@app/agreements/agreement.repository';

/** Which side of the committee a participating member (ledamot) sits on. */
export type Side = 'majority' | 'opposition';
export const SIDES: readonly Side[] = ['majority', 'opposition'];

/** One question of a template; `number` is its place in the form, 1, 2, 3 … */
export interface TemplateQuestion {
  number: number;
  text: string;
  /** The template's supporting questions under the main one (may be empty). */
  guidance: string[];
}

export interface VisitTemplate {
  id: string;
  verksamhetsinriktning: string;
  year: number;
  version: number;
  title: string;
  /** How the visits are carried out (who takes part, who leads, who takes notes). */
  instructions: string;
  /** Underlag inför besöken. */
  preparation: string[];
  questions: TemplateQuestion[];
  createdAt: string;
}

/** Stored as JSON on the visit: members carry their side, officials do not. */
export type VisitParticipant = { role: 'member'; name: string; side: Side } | { role: 'official'; name: string; side: null };

export interface StoredAnswer {
  question: number;
  answer: string;
}

export interface StoredVisit {
  id: string;
  templateId: string;
  visitDate: CalendarDate;
  verksamhetsinriktning: string;
  agreementId: string | null;
  agreementTitle: string | null;
  participants: VisitParticipant[];
  answers: StoredAnswer[];
  createdAt: string;
}

export type NewTemplate = Omit<VisitTemplate, 'id' | 'version' | 'createdAt'>;
export type NewVisit = Omit<StoredVisit, 'id' | 'agreementTitle' | 'createdAt'>;

/** A row as PostgreSQL gives it: the columns aliased to the view's names, the instant still a Date. */
type Row<T extends { createdAt: string }> = Omit<T, 'createdAt'> & { createdAt: Date };
/** A visit's row; the agreement's title comes from AgreementRepository. */
type VisitRow = Omit<Row<StoredVisit>, 'agreementTitle'>;

const templateOf = (r: Row<VisitTemplate>): VisitTemplate => ({ ...r, createdAt: r.createdAt.toISOString() });

const TEMPLATE_COLUMNS = 'id, verksamhetsinriktning, year, version, title, instructions, preparation, questions, created_at AS "createdAt"';
const VISIT_SELECT = `SELECT v.id, v.template_id AS "templateId", v.visit_date::text AS "visitDate", v.verksamhetsinriktning, v.agreement_id AS "agreementId",
                             v.participants, v.answers, v.created_at AS "createdAt"
                        FROM committee_visit v`;

const VISIT_ORDER: SortKey<VisitRow & { created_key: string }>[] = [
  { sql: 'v.visit_day', value: (r) => r.visitDate, descending: true },
  { sql: 'v.created_at_raw', value: (r) => r.created_key, descending: true },
  { sql: 'v.id', value: (r) => r.id, descending: true },
];

/** Every query on visit_template and committee_visit. Templates are only ever inserted, never updated. */
@Injectable()
export class VisitsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agreements: AgreementRepository,
  ) {}

  /** The next version of the verksamhetsinriktning's template; the unique index refuses a concurrent twin (409). */
  async insertTemplate(template: NewTemplate, createdAt: Date, createdBy: string | null, manager: EntityManager = this.dataSource.manager): Promise<VisitTemplate> {
    const [row] = await manager.query<Array<Row<VisitTemplate>>>(
      `INSERT INTO visit_template (verksamhetsinriktning, year, version, title, instructions, preparation, questions, created_at, created_by_person_id)
       SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5::jsonb, $6::jsonb, $7, $8
         FROM visit_template WHERE lower(verksamhetsinriktning) = lower($1)
       RETURNING ${TEMPLATE_COLUMNS}`,
      [template.verksamhetsinriktning, template.year, template.title, template.instructions, JSON.stringify(template.preparation), JSON.stringify(template.questions), createdAt, createdBy],
    );
    return templateOf(row);
  }

  async templates(verksamhetsinriktning?: string): Promise<VisitTemplate[]> {
    const rows = await this.dataSource.query<Array<Row<VisitTemplate>>>(
      `SELECT ${TEMPLATE_COLUMNS} FROM visit_template
        WHERE $1::text IS NULL OR lower(verksamhetsinriktning) = lower($1)
        ORDER BY lower(verksamhetsinriktning), version DESC`,
      [verksamhetsinriktning ?? null],
    );
    return rows.map(templateOf);
  }

  async template(id: string): Promise<VisitTemplate | null> {
    const [row] = await this.dataSource.query<Array<Row<VisitTemplate>>>(`SELECT ${TEMPLATE_COLUMNS} FROM visit_template WHERE id = $1`, [id]);
    return row ? templateOf(row) : null;
  }

  async insertVisit(visit: NewVisit, createdAt: Date, createdBy: string | null, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = await manager.query<Array<{ id: string }>>(
      `INSERT INTO committee_visit (template_id, visit_date, verksamhetsinriktning, agreement_id, participants, answers, created_at, created_by_person_id)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8) RETURNING id`,
      [visit.templateId, visit.visitDate, visit.verksamhetsinriktning, visit.agreementId, JSON.stringify(visit.participants), JSON.stringify(visit.answers), createdAt, createdBy],
    );
    return row.id;
  }

  /** Newest visit first (then newest written, then id), a page at a time. */
  async visits(filter: { year?: number; agreementId?: string }, page: PageRequest): Promise<Page<StoredVisit>> {
    const rows = await keysetRows<VisitRow & { created_key: string }>(VISIT_ORDER, page, 4, (keyset) =>
      this.dataSource.query(
        `SELECT * FROM (${VISIT_SELECT.replace('FROM committee_visit v', ', v.created_at::text AS created_key, v.visit_date AS visit_day, v.created_at AS created_at_raw FROM committee_visit v')}
          WHERE ($1::int IS NULL OR extract(year FROM v.visit_date) = $1)
            AND ($2::uuid IS NULL OR v.agreement_id = $2)) v
          WHERE ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT $3`,
        [filter.year ?? null, filter.agreementId ?? null, keyset.limit, ...keyset.params],
      ),
    );
    return new Page(await this.withTitles(rows.items), rows.next);
  }

  async visit(id: string): Promise<StoredVisit | null> {
    const rows = await this.dataSource.query<VisitRow[]>(`${VISIT_SELECT} WHERE v.id = $1`, [id]);
    const [visit] = await this.withTitles(rows);
    return visit ?? null;
  }

  async agreementExists(id: string): Promise<boolean> {
    return this.agreements.exists(id);
  }

  /** The visits with the title of the agreement each is about (null when about none). */
  private async withTitles(rows: VisitRow[]): Promise<StoredVisit[]> {
    const titles = await this.agreements.titlesOf([...new Set(rows.map((r) => r.agreementId).filter((id): id is string => id !== null))]);
    return rows.map(({ participants, answers, createdAt, ...r }) => ({
      ...r,
      agreementTitle: r.agreementId === null ? null : (titles.get(r.agreementId) ?? null),
      participants,
      answers,
      createdAt: createdAt.toISOString(),
    }));
  }
}
