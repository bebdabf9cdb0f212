import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { migratePersisted } from '@workflows/kernel/kernel';
import { CaseRegistry } from './case-registry';
import { anyUnprojected, markUnprojectable, projectedDeadlines, replaceDeadlinesOfMany, unprojectedCases } from './case-deadline.repository';
import { storedCases } from './stored-cases';

const BATCH = 2000;
/** Cases restored between two turns of the event loop. */
const YIELD_EVERY = 100;

/**
 * Projects the deadlines of cases the engine has not written yet: every case after the upgrade
 * that added case_deadline, and cases written by an instance that predates it. The views call
 * `catchUp` before they read (nothing to do costs one look at a partial index), so no view ever
 * reads a case's dates from anywhere but case_deadline.
 */
@Injectable()
export class CaseDeadlineProjector implements OnApplicationBootstrap {
  private readonly logger = new Logger('Datum');
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: CaseRegistry,
  ) {}

  /** After an upgrade the projection starts at once, in the background; the first views to read wait for it. */
  onApplicationBootstrap(): void {
    void this.catchUp().catch((error: unknown) => this.logger.error({ msg: 'Datumen kunde inte projiceras', error: error instanceof Error ? error.message : String(error) }));
  }

  /** Projects every unprojected case, a batch per transaction; the number projected. One run at a time per process. */
  catchUp(): Promise<number> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<number> {
    if (!(await anyUnprojected(this.dataSource))) return 0;
    const types = this.registry.all().map((k) => k.definition.type);
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (manager) => {
        const refs = await unprojectedCases(manager, types, BATCH);
        for (const type of new Set(refs.map((r) => r.type))) {
          const kind = this.registry.get(type);
          const cases = await storedCases(manager, kind, { ids: refs.filter((r) => r.type === type).map((r) => r.id) });
          // A case_record row whose kind's row is missing cannot be projected; marked so the loop ends.
          const found = new Set(cases.map((c) => c.id));
          for (const ref of refs.filter((r) => r.type === type && !found.has(r.id))) await markUnprojectable(manager, ref);
          const projected = [];
          for (const [i, c] of cases.entries()) {
            // Restoring snapshots is CPU work: let requests in between.
            if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
            try {
              const persisted = migratePersisted(kind.definition, c.persisted as never);
              projected.push({ ref: { type: c.type, id: c.id }, deadlines: projectedDeadlines(kind, persisted, kind.definition.deadlines(persisted)) });
            } catch (error) {
              // A snapshot of a newer machine version: the instance that can read it projects it with its next transition.
              this.logger.warn({ msg: 'Datumen kunde inte läsas ur ärendet', caseType: type, caseId: c.id, error: error instanceof Error ? error.message : String(error) });
              await markUnprojectable(manager, c);
            }
          }
          await replaceDeadlinesOfMany(manager, projected);
        }
        return refs.length;
      });
      total += done;
      if (done < BATCH) break;
    }
    if (total > 0) this.logger.log({ msg: 'Datum projicerade', cases: total });
    return total;
  }
}
