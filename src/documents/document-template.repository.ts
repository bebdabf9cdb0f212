import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TemplateSection } from '@workflows/agreement/document';

export interface DocumentTemplate {
  section: TemplateSection;
  version: number;
  text: string;
  createdByName: string;
  createdAt: string;
}

interface Row {
  section: TemplateSection;
  version: number;
  text: string;
  created_by_name: string;
  created_at: Date;
}

const of = (r: Row): DocumentTemplate => ({ section: r.section, version: r.version, text: r.text, createdByName: r.created_by_name, createdAt: new Date(r.created_at).toISOString() });

/** The one owner of document_template: the municipality's standard wording, one row per version, never changed. */
@Injectable()
export class DocumentTemplateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The newest version of each section. */
  async latest(): Promise<DocumentTemplate[]> {
    const rows = await this.dataSource.query<Row[]>(`SELECT DISTINCT ON (section) section, version, text, created_by_name, created_at FROM document_template ORDER BY section, version DESC`);
    return rows.map(of);
  }

  /** Every version of a section, newest first. */
  async versions(section: TemplateSection): Promise<DocumentTemplate[]> {
    const rows = await this.dataSource.query<Row[]>(`SELECT section, version, text, created_by_name, created_at FROM document_template WHERE section = $1 ORDER BY version DESC`, [section]);
    return rows.map(of);
  }

  /** The next version of a section; two at once: the primary key refuses the second, which the caller may retry. */
  async add(section: TemplateSection, text: string, by: { personId: string | null; name: string }, at: Date): Promise<DocumentTemplate> {
    const [row] = await this.dataSource.query<Row[]>(
      `INSERT INTO document_template (section, version, text, created_by_person_id, created_by_name, created_at)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM document_template WHERE section = $1
       RETURNING section, version, text, created_by_name, created_at`,
      [section, text, by.personId, by.name, at],
    );
    return of(row);
  }
}
