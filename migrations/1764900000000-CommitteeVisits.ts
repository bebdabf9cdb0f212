import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Committee visits (nämndbesök, issue 7):
 * - visit_template: the secretariat's documentation template for one verksamhetsinriktning, its
 *   questions as an ordered JSON list. A template is never changed once written: next year's
 *   questions are a new version, so every visit keeps the questions it was answered against.
 * - committee_visit: one visit on one template version, with the participating members (majority
 *   or opposition) and officials, and one answer per question number of that template.
 * Participants are names, not accounts: the committee's members are politicians without one.
 */
export class CommitteeVisits1764900000000 implements MigrationInterface {
  name = 'CommitteeVisits1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visit_template (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        verksamhetsinriktning text NOT NULL CHECK (btrim(verksamhetsinriktning) <> ''),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        version integer NOT NULL CHECK (version >= 1),
        title text NOT NULL CHECK (btrim(title) <> ''),
        instructions text NOT NULL DEFAULT '',
        preparation jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(preparation) = 'array'),
        questions jsonb NOT NULL CHECK (jsonb_typeof(questions) = 'array' AND jsonb_array_length(questions) >= 1),
        created_at timestamptz NOT NULL,
        created_by_person_id uuid REFERENCES person(id) ON DELETE SET NULL
      )`);
    // Versions count per verksamhetsinriktning, whatever its spelling's case.
    await q.query(`CREATE UNIQUE INDEX visit_template_version_idx ON visit_template (lower(verksamhetsinriktning), version)`);
    await q.query(`
      CREATE TABLE committee_visit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        template_id uuid NOT NULL REFERENCES visit_template(id) ON DELETE RESTRICT,
        visit_date date NOT NULL,
        verksamhetsinriktning text NOT NULL CHECK (btrim(verksamhetsinriktning) <> ''),
        agreement_id uuid REFERENCES agreement(id) ON DELETE RESTRICT,
        participants jsonb NOT NULL CHECK (jsonb_typeof(participants) = 'array'),
        answers jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'array'),
        created_at timestamptz NOT NULL,
        created_by_person_id uuid REFERENCES person(id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX committee_visit_date_idx ON committee_visit (visit_date)`);
    await q.query(`CREATE INDEX committee_visit_agreement_idx ON committee_visit (agreement_id) WHERE agreement_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE committee_visit`);
    await q.query(`DROP TABLE visit_template`);
  }
}
