import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who may see an agreement includes the organisation that proposed it: found by index, not by reading every row. */
export class ProposerIndex1765976000000 implements MigrationInterface {
  name = 'ProposerIndex1765976000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX agreement_proposed_by_idx ON agreement (proposed_by_organisation_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX agreement_proposed_by_idx`);
  }
}
