import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up of agreements in force (issue 7). The lifecycle knows that a duty was met (the
 * agreement's context); these tables hold what was recorded, written in the same transaction as
 * the engine event that recorded it:
 * - follow_up_meeting: a samverkansgrupp meeting: the day, who took part (people of the parties or
 *   names), notes. Several meetings a year are possible.
 * - follow_up_report: the partner's written yearly report, one per agreement and year, with
 *   aggregate figures only (never personal data about participants): participants during the
 *   year, how many made a step of progress in the GA model, where participants went afterwards,
 *   places used against places agreed. The figures are checked against each other here as well.
 */
export class FollowUp1764800000000 implements MigrationInterface {
  name = 'FollowUp1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE follow_up_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        held_on date NOT NULL,
        year integer NOT NULL,
        participants jsonb NOT NULL CHECK (jsonb_typeof(participants) = 'array' AND jsonb_array_length(participants) >= 1),
        notes text NOT NULL DEFAULT '',
        recorded_by_person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT follow_up_meeting_year_check CHECK (year = extract(year FROM held_on))
      )`);
    await q.query(`CREATE INDEX follow_up_meeting_agreement_idx ON follow_up_meeting (agreement_id, held_on)`);
    await q.query(`
      CREATE TABLE follow_up_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id uuid NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
        text text NOT NULL CHECK (btrim(text) <> ''),
        participants_count integer NOT NULL CHECK (participants_count >= 0),
        ga_progress_count integer NOT NULL CHECK (ga_progress_count >= 0),
        outcome_work integer NOT NULL CHECK (outcome_work >= 0),
        outcome_studies integer NOT NULL CHECK (outcome_studies >= 0),
        outcome_other_activity integer NOT NULL CHECK (outcome_other_activity >= 0),
        outcome_no_change integer NOT NULL CHECK (outcome_no_change >= 0),
        places_used integer NOT NULL CHECK (places_used >= 0),
        places_agreed integer CHECK (places_agreed IS NULL OR places_agreed >= 0),
        submitted_by_person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        submitted_at timestamptz NOT NULL,
        CONSTRAINT follow_up_report_once_a_year UNIQUE (agreement_id, year),
        CONSTRAINT follow_up_report_progress_check CHECK (ga_progress_count <= participants_count),
        CONSTRAINT follow_up_report_outcomes_check
          CHECK (outcome_work + outcome_studies + outcome_other_activity + outcome_no_change <= participants_count)
      )`);
    await q.query(`CREATE INDEX follow_up_report_year_idx ON follow_up_report (year)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE follow_up_report`);
    await q.query(`DROP TABLE follow_up_meeting`);
  }
}
