import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { NOTICE_KINDS, type NoticeKind } from '@workflows/agreement/notices';

/** The one owner of notice_opt_out: which notices each person has turned off. */
@Injectable()
export class NoticePreferencesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The kinds the person has turned off, in NOTICE_KINDS order. */
  async offFor(personId: string): Promise<NoticeKind[]> {
    const rows = await this.dataSource.query<Array<{ kind: string }>>(`SELECT kind FROM notice_opt_out WHERE person_id = $1`, [personId]);
    const off = new Set(rows.map((r) => r.kind));
    return NOTICE_KINDS.filter((k) => off.has(k));
  }

  /** Replaces the person's choice: exactly `off` is turned off, everything else on. */
  async setOff(personId: string, off: readonly NoticeKind[], now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM notice_opt_out WHERE person_id = $1 AND NOT (kind = ANY($2::text[]))`, [personId, off]);
      if (off.length > 0) {
        await manager.query(
          `INSERT INTO notice_opt_out (person_id, kind, created_at) SELECT $1, k, $3 FROM unnest($2::text[]) AS k ON CONFLICT (person_id, kind) DO NOTHING`,
          [personId, off, now],
        );
      }
    });
  }

  /** Of these addresses, those whose person has turned the kind off (lower case); read in the caller's transaction. */
  async optedOut(manager: EntityManager, kind: NoticeKind, emails: readonly string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const rows = await manager.query<Array<{ email: string }>>(
      `SELECT lower(p.email) AS email FROM notice_opt_out o JOIN person p ON p.id = o.person_id WHERE o.kind = $1 AND lower(p.email) = ANY($2::text[])`,
      [kind, emails.map((e) => e.toLowerCase())],
    );
    return new Set(rows.map((r) => r.email));
  }

  /** A person's address and name (the proposer's receipt goes to whoever sent the initiative). */
  async contactOf(manager: EntityManager, personId: string): Promise<{ email: string; name: string } | null> {
    const [row] = await manager.query<Array<{ email: string; name: string }>>(`SELECT email, name FROM person WHERE id = $1`, [personId]);
    return row ?? null;
  }
}
