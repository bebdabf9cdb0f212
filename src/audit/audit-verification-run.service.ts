import { hostname } from 'node:os';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { AuditService } from './audit.service';
import { AuditVerificationRunRepository, SCHEDULED, type VerificationRun } from './audit-verification-run.repository';
import { verificationDue } from './audit-verification-schedule';
import { AuditVerifierService } from './audit-verifier.service';

const INSTANCE = `${hostname()}:${process.pid}`;

export const DIED = 'processen som körde kontrollen avslutades innan den var klar';
const STOPPED = 'tjänsten stängdes av medan kontrollen pågick';

export type StartOutcome = { started: true; runId: string } | { started: false };

/** What Granskning shows: the latest verdict, the run in progress, and a run that stopped after the latest verdict. */
export interface VerificationStatus {
  /** The latest finished run, with its report; null before the first. */
  done: VerificationRun | null;
  /** The run in progress (its lock is held), with its progress; null when none. */
  running: VerificationRun | null;
  /** The latest run, when it stopped without a verdict (aborted, or left 'pågår' by a process that died). */
  aborted: VerificationRun | null;
}

class RunStopped extends Error {}

/**
 * Stored verification runs: every chain verified in the background (the streaming verifier, in its
 * own snapshot transaction, which also holds the run lock), the progress written after every batch
 * and the report kept, so Granskning reads one row instead of the whole history. One run at a time
 * across instances (the advisory lock, and a unique index on the running row). A run whose process
 * died holds no lock: it is shown as avbruten, and marked so when the next run starts.
 */
@Injectable()
export class AuditVerificationRunService implements OnModuleDestroy {
  private readonly logger = new Logger('Granskning');
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly audit: AuditService,
    private readonly verifier: AuditVerifierService,
    private readonly runs: AuditVerificationRunRepository,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Starts a run unless one is running (here or in another instance). Answers as soon as the run's
   * row is written; the verification goes on in the background.
   */
  start(by: { name: string; personId: string | null } | typeof SCHEDULED): Promise<StartOutcome> {
    if (this.stopping) return Promise.resolve({ started: false });
    const startedBy = by === SCHEDULED ? { name: SCHEDULED, personId: null } : by;
    return new Promise<StartOutcome>((resolve, reject) => {
      let answered = false;
      const answer = (outcome: StartOutcome) => {
        answered = true;
        resolve(outcome);
      };
      const work = this.audit
        .snapshot(async (manager) => {
          if (!(await this.runs.tryLock(manager))) return answer({ started: false });
          const startedAt = this.clock.now();
          // The lock is ours, so a run still 'pågår' has no process behind it.
          const orphans = await this.runs.abandonOrphans(startedAt);
          if (orphans > 0) this.logger.warn({ msg: 'Kontroller som stod som pågående utan process är markerade avbrutna', count: orphans });
          const id = await this.runs.insert({ startedAt, startedBy: startedBy.name, startedByPersonId: startedBy.personId, instance: INSTANCE });
          answer({ started: true, runId: id });
          this.logger.log({ msg: 'Kontroll av historiken startad', runId: id, startedBy: startedBy.name });
          try {
            const report = await this.verifier.verifyIn(manager, startedAt, {
              listCases: false,
              onProgress: async ({ rowsChecked, chainsChecked }) => {
                if (this.stopping) throw new RunStopped(STOPPED);
                await this.runs.progress(id, rowsChecked, chainsChecked, this.clock.now());
              },
            });
            await this.runs.finish(id, report, this.clock.now());
            this.logger.log({ msg: 'Kontroll av historiken klar', runId: id, intact: report.intact, rows: report.eventsChecked, chains: report.agreementsChecked, findings: report.findings.length });
          } catch (error) {
            const why = error instanceof RunStopped ? STOPPED : `kontrollen misslyckades: ${error instanceof Error ? error.message : String(error)}`;
            this.logger.error(`Kontrollen av historiken (nr ${id}) avbröts: ${why}`);
            // If this write fails too, the row stays 'pågår' without a lock: shown as avbruten, marked so by the next run.
            await this.runs.abort(id, why, this.clock.now()).catch(() => undefined);
          }
        })
        .catch((error: unknown) => {
          if (!answered) reject(error instanceof Error ? error : new Error(String(error)));
          else this.logger.error(`Kontrollen av historiken avslutades med ett fel: ${error instanceof Error ? error.message : String(error)}`);
        });
      const tracked = work.finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    });
  }

  /** The nightly run (AUDIT_VERIFY_HOUR), when due (it also marks a run a dead process left 'pågår' as avbruten). */
  async startIfDue(): Promise<StartOutcome | null> {
    const hour = this.config.auditVerifyHour;
    if (hour === null) return null;
    if (verificationDue(this.clock.now(), hour, await this.runs.latestDoneStartedAt())) return this.start(SCHEDULED);
    return null;
  }

  /** For Granskning: a few short reads of the run table and the lock, never the history itself. */
  async status(): Promise<VerificationStatus> {
    const [done, latest] = await Promise.all([this.runs.latestDone(), this.runs.latest()]);
    if (latest === null || latest.status === 'klar') return { done, running: null, aborted: null };
    if (latest.status === 'avbruten') return { done, running: null, aborted: latest };
    if (await this.runs.lockHeld()) return { done, running: latest, aborted: null };
    // No lock: it finished between the two reads (the verdict is written before the lock is let go), or its process died.
    const now = await this.runs.byId(latest.id);
    if (now?.status === 'klar') return { done: await this.runs.latestDone(), running: null, aborted: null };
    return { done, running: null, aborted: now?.status === 'avbruten' ? now : { ...latest, status: 'avbruten', failure: DIED } };
  }

  /** Runs in progress stop at their next batch (and are marked avbruten) before the database closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.inFlight]);
  }

  /** Resolves when every run this instance started has ended (tests, and shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
