import type { CaseRef } from '@app/cases/case-kind';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/audit/actor';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { AppConfig } from '@app/config/app-config';

const MINUTE_MS = 60_000;

export interface SecurityEvent {
  occurredAt: string;
  kind: 'unseen_agreement_attempt';
  personId: string | null;
  actorName: string;
  agreementId: string | null;
  eventType: string;
}

/**
 * The security log (security_event, append-only): what someone tried on an agreement they may not
 * see, or on an id that is no agreement at all; both are logged alike, so neither the answer nor
 * the work done tells them apart. Kept out of the agreement's own history, which an outsider must
 * not be able to fill.
 */
@Injectable()
export class SecurityLogService {
  private readonly logger = new Logger('Säkerhet');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the attempt and returns the 404 to answer, or throws 429 once the person has made
   * UNSEEN_AGREEMENT_ATTEMPTS_PER_MINUTE (default 10) of them in the last minute (those are not recorded: no flood here either).
   * One statement, in the caller's transaction.
   */
  async unseenCaseAttempt(manager: EntityManager, actor: Actor, ref: CaseRef, eventType: string, notFoundName = 'Överenskommelsen'): Promise<DomainError> {
    const now = this.clock.now();
    const rows = await manager.query<Array<{ id: string }>>(
      `WITH recent AS (
         SELECT count(*)::int AS n FROM security_event
          WHERE person_id = $1 AND kind = 'unseen_agreement_attempt' AND occurred_at > $2 AND occurred_at <= $3)
       INSERT INTO security_event (occurred_at, kind, person_id, actor_name, case_id, event_type, case_type)
       SELECT $3, 'unseen_agreement_attempt', $1, $4, $5, $6, $8 FROM recent WHERE n < $7
       RETURNING id`,
      [actor.personId, new Date(now.getTime() - MINUTE_MS), now, actor.name, ref.id, eventType, this.config.unseenAgreementAttemptsPerMinute, ref.type],
    );
    if (rows.length === 0) {
      return new DomainError('rate_limited', 'För många försök på ärenden som inte finns eller som du inte har tillgång till. Vänta en minut.', {
        retryAfterSeconds: 60,
      });
    }
    this.logger.warn(`${eventType} på ett ärende (${ref.type}) som ${actor.name} (${actor.personId ?? 'ej inloggad'}) inte ser eller som inte finns: ${ref.id}`);
    return DomainError.notFound(notFoundName);
  }

  /** The log for one person, oldest first (administrators' follow-up, tests). */
  async of(personId: string): Promise<SecurityEvent[]> {
    const rows = await this.dataSource.query<Array<{ occurred_at: Date; kind: 'unseen_agreement_attempt'; person_id: string | null; actor_name: string; agreement_id: string | null; event_type: string }>>(
      `SELECT occurred_at, kind, person_id, actor_name, case_id AS agreement_id, event_type FROM security_event WHERE person_id = $1 ORDER BY id`,
      [personId],
    );
    return rows.map((r) => ({ occurredAt: new Date(r.occurred_at).toISOString(), kind: r.kind, personId: r.person_id, actorName: r.actor_name, agreementId: r.agreement_id, eventType: r.event_type }));
  }
}
