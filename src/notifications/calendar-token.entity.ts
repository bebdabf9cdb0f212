import { Column, Entity, PrimaryGeneratedColumn, type EntityManager } from 'typeorm';

/** A secret link to one person's calendar feed; the token itself is never stored, only its SHA-256. */
@Entity('calendar_token')
export class CalendarToken {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'token_hash', unique: true })
  tokenHash!: string;

  @Column('uuid', { name: 'person_id' })
  personId!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}

/** A person's links end with their account (disabling it): called in the account change's transaction. */
export async function revokeCalendarTokens(manager: EntityManager, personId: string, at: Date): Promise<void> {
  await manager.query(`UPDATE calendar_token SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL`, [personId, at]);
}
