import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LoginService } from '@app/auth/login.service';
import { SessionsService } from '@app/auth/sessions.service';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { pruneIdempotencyKeys } from '@app/idempotency/idempotency.store';
import { pruneSentBodies } from '@app/notifications/outbox.repository';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  sessions: number;
  loginAttempts: number;
  mailBodies: number;
  idempotencyKeys: number;
}

/**
 * Prunes what the service needs only for a while: dead sessions, old login attempts, and the bodies
 * of e-mails sent long ago (that they were sent, to whom and when, stays), and expired idempotency keys. Each owning file does
 * its own deletes, in bounded batches.
 *
 * Never pruned: the audit history (audit_event). It is the municipality's record of every decision
 * on an agreement, hash-chained and append-only; how long it is kept is a matter for the archive
 * rules, not for this job. Agreements, timers, reminders and incidents are not touched either.
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly logins: LoginService,
  ) {}

  async run(batchSize = 1000): Promise<RetentionResult> {
    const now = this.clock.now();
    const daysAgo = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
    return {
      sessions: await this.sessions.pruneDead(daysAgo(this.config.retentionSessionDays), batchSize),
      loginAttempts: await this.logins.pruneAttempts(daysAgo(this.config.retentionLoginAttemptDays), batchSize),
      mailBodies: await pruneSentBodies(this.dataSource, daysAgo(this.config.retentionMailBodyDays), now, batchSize),
      // Past their 24 hours a key answers nothing any more; its row is only weight.
      idempotencyKeys: await pruneIdempotencyKeys(this.dataSource),
    };
  }
}
