import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { startOfDayInstant } from '@workflows/calendar/calendar';
import type { AccountRole, Actor } from '@app/audit/actor';
import { ActorResolver } from '@app/auth/actor.resolver';
import { AccountsService } from '@app/auth/accounts.service';
import { hashPassword } from '@app/auth/passwords';
import { AgreementsService } from '@app/agreements/agreements.service';
import type { CreateAgreementDto } from '@app/agreements/dto/agreement-terms.dto';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import { ClockService } from '@app/clock/clock.service';
import { AppConfig } from '@app/config/app-config';
import { Organisation } from '@app/organisations/organisation.entity';
import { Person } from '@app/organisations/person.entity';
import { TimerSweeperService } from '@app/timers/timer-sweeper.service';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import type { EngineCommand } from '@app/workflow-engine/engine-command';
import { FollowUpService } from '@app/follow-up/follow-up.service';
import { DEMO_AGREEMENTS, DEMO_ORGANISATIONS, DEMO_PEOPLE, followUpRecordOf, type DemoAgreement, type DemoPerson } from './demo-agreements';
import type { StoryEvent, StoryStep } from './replay';
import { seedCommitteeDemo } from '@app/committee/committee-demo.seed';
import { agreementCase } from '@app/agreements/agreement.kind';
import { FundingDecisionDemo } from '@app/funding-decisions/funding-decision-demo';

/** Office hours in Stockholm on a date, for the demo's history. */
/** The one password of every demo account (README). Demo data only: never loaded unless DEMO_DATA is on. */
export const DEMO_PASSWORD = 'demo-iop-2026';

/** A demo person's account roles; a samverkansgrupp participant is a member of their organisation. */
export function accountRolesOf(person: DemoPerson): AccountRole[] {
  const roles = person.roles.map((r): AccountRole => (r === 'samverkansgrupp' ? 'member' : r));
  return [...new Set(roles)];
}

const officeHours = (date: string): Date => new Date(new Date(startOfDayInstant(date)).getTime() + 9 * 3600_000);

/**
 * Loads the demo agreements into an empty database by living their history:
 * the clock is moved to each step's date, due deadlines fire through the
 * sweeper, and every step goes through the engine path, so the audit trail is
 * the one a real year would have left.
 */
@Injectable()
export class DemoSeederService implements OnModuleInit {
  private readonly logger = new Logger('Demodata');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: ClockService,
    private readonly agreements: AgreementsService,
    private readonly engine: WorkflowEngineService,
    private readonly sweeper: TimerSweeperService,
    private readonly accounts: AccountsService,
    private readonly actors: ActorResolver,
    private readonly followUp: FollowUpService,
    private readonly fundingDecisions: FundingDecisionDemo,
    private readonly tables: AgreementRepository,
  ) {}

  /**
   * Before any module's bootstrap: the sweeps, the outbox and the weekly digest start on
   * onApplicationBootstrap, so the first digest and the first sweep see the demo data, and no sweep
   * runs on the clock the replay moves through the past.
   */
  async onModuleInit(): Promise<void> {
    if (this.config.demoData) await this.seedIfEmpty();
  }

  async seedIfEmpty(): Promise<boolean> {
    if ((await this.tables.count()) > 0) return false;
    const started = Date.now();
    const orgIds = new Map<string, string>();
    for (const o of DEMO_ORGANISATIONS) {
      const saved = await this.dataSource.getRepository(Organisation).save({ name: o.name, organisationNumber: o.organisationNumber, kind: o.kind });
      orgIds.set(o.key, saved.id);
    }
    const people = new Map<string, { entity: Person; demo: DemoPerson }>();
    for (const p of DEMO_PEOPLE) {
      const entity = await this.dataSource.getRepository(Person).save({ name: p.name, email: p.email, title: p.title, organisationId: orgIds.get(p.organisationKey) as string });
      people.set(p.key, { entity, demo: p });
    }
    await this.createAccounts([...people.values()]);
    // Each demo person acts exactly as they would signed in: the resolver gives their roles and organisation.
    const actors = new Map<string, Actor>();
    for (const [key, { entity }] of people) {
      const actor = await this.actors.actorOf(entity.id);
      if (actor) actors.set(key, actor);
    }
    const actorOf = (key: string): Actor => {
      const actor = actors.get(key);
      if (!actor) throw new Error(`Okänd demoperson: ${key}`);
      return actor;
    };
    const org = (key: string): string => orgIds.get(key) ?? key;

    const realNow = this.config.clockStart ?? new Date();
    try {
      for (const demo of [...DEMO_AGREEMENTS].sort((a, b) => (a.initiative.on < b.initiative.on ? -1 : 1))) {
        await this.catchUpTo(officeHours(demo.initiative.on));
        const created = await this.agreements.create(this.dtoOf(demo, org, (k) => people.get(k)?.entity.id ?? k), actorOf(demo.initiative.by), { replay: true });
        for (const step of demo.story) {
          const at = officeHours(step.on);
          if (at > realNow) break;
          await this.catchUpTo(at);
          await this.play(created.id, demo, step, org, (k) => people.get(k)?.entity.id ?? k, actorOf(step.by));
        }
      }
      // The committee's other cases: seed 004's funding decision and a current one.
      await this.fundingDecisions.live({ secretariat: actorOf('kommun.sekretariat'), municipalityId: org('kommun'), realNow, catchUpTo: (at) => this.catchUpTo(at) });
      await this.catchUpTo(realNow);
      await seedCommitteeDemo(this.dataSource, realNow);
    } finally {
      if (this.config.clockStart) this.clock.runFrom(this.config.clockStart);
      else this.clock.useSystemTime();
    }
    this.logger.log(`Demodata inläst: ${DEMO_AGREEMENTS.length} överenskommelser på ${Date.now() - started} ms.`);
    return true;
  }

  /** One account per demo person, all with DEMO_PASSWORD (each its own salt, hashed in parallel). */
  private async createAccounts(people: Array<{ entity: Person; demo: DemoPerson }>): Promise<void> {
    const hashes = await Promise.all(people.map(() => hashPassword(DEMO_PASSWORD)));
    for (const [i, { entity, demo }] of people.entries()) {
      await this.accounts.upsertHashed(entity.id, hashes[i], accountRolesOf(demo));
    }
  }

  /** Fires every deadline due by `at`, each with the clock at its own instant, so the history reads as lived. */
  private async catchUpTo(at: Date): Promise<void> {
    for (;;) {
      const [next] = await this.dataSource.query<Array<{ due_at: Date }>>(
        `SELECT due_at FROM case_timer WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 1`,
        [at],
      );
      if (!next) break;
      this.clock.freeze(next.due_at);
      // History is replayed, not lived again: no reminders for dates long past.
      await this.sweeper.sweep(100, { notify: false });
    }
    this.clock.freeze(at);
    // A completed round at `at` itself, so the heartbeat readiness reads is not left at the last replayed date.
    await this.sweeper.fireDue(100, { replay: true });
  }

  /** One story step: a follow-up record through the follow-up module (which writes the record), anything else through the engine. */
  private async play(agreementId: string, demo: DemoAgreement, step: StoryStep, org: (key: string) => string, person: (key: string) => string, actor: Actor): Promise<void> {
    const record = followUpRecordOf(demo, step);
    if (record && 'meeting' in record) {
      const { heldOn, participants, notes } = record.meeting;
      await this.followUp.recordMeeting(agreementId, { heldOn, participants: participants.map((k) => ({ personId: person(k) })), notes }, actor);
    } else if (record) {
      const { year, organisationKey, text, participantsCount, gaProgressCount, outcomes, placesUsed, placesAgreed } = record.report;
      const dto = { year, organisationId: org(organisationKey), text, participantsCount, gaProgressCount, outcomes, placesUsed, placesAgreed: placesAgreed ?? undefined };
      await this.followUp.submitReport(agreementId, dto, actor);
    } else {
      await this.engine.apply(agreementCase(agreementId), this.commandOf(step.event, org), actor, { replay: true });
    }
  }

  private commandOf(event: StoryEvent, org: (key: string) => string): EngineCommand {
    switch (event.type) {
      case 'SIGN':
      case 'CONSENT_TO_EXTENSION':
      case 'CONSENT_TO_TERMINATION':
      case 'RETURN_TO_DRAFT':
      case 'REFUSE_EXTENSION':
      case 'SUBMIT_YEARLY_REPORT':
      case 'AGREE_TO_AMENDMENT':
      case 'REFUSE_AMENDMENT':
        return { ...event, organisationId: org(event.organisationId) };
      case 'PROPOSE_AMENDMENT':
        return { ...event, economics: { ...event.economics, contributions: event.economics.contributions.map((c) => ({ ...c, organisationId: org(c.organisationId) })) } };
      case 'DECLARE_TERMINATION':
        return { ...event, declaredBy: event.declaredBy === 'secretariat' ? 'secretariat' : org(event.declaredBy) };
      case 'RECORD_SETTLEMENT':
        return { ...event, lines: event.lines.map((l) => ({ ...l, organisationId: org(l.organisationId) })) };
      case 'UPDATE_TERMS':
        return {
          ...event,
          terms: {
            ...event.terms,
            parties: event.terms.parties.map((p) => ({ ...p, organisationId: org(p.organisationId) })),
            economics: event.terms.economics && {
              ...event.terms.economics,
              contributions: event.terms.economics.contributions.map((c) => ({ ...c, organisationId: org(c.organisationId) })),
            },
          },
        };
      case 'ACCEPT_INITIATIVE':
      case 'DECLINE_INITIATIVE':
      case 'SEND_FOR_SIGNING':
      case 'RECORD_FOLLOW_UP_MEETING':
      case 'WITHDRAW_AMENDMENT':
        return event;
    }
  }

  private dtoOf(demo: DemoAgreement, org: (key: string) => string, person: (key: string) => string): CreateAgreementDto {
    const { terms } = demo;
    const contributions = terms.economics?.contributions ?? [];
    return {
      title: demo.title,
      diarienummer: demo.diarienummer,
      committee: demo.committee.name,
      purpose: demo.purpose,
      targetGroup: demo.targetGroup,
      activities: demo.activities.join('\n'),
      places: demo.places ?? undefined,
      placeCategory: demo.placeCategory ?? undefined,
      proposedByOrganisationId: org(demo.initiative.organisationKey),
      parties: terms.parties.map((p) => {
        const c = contributions.find((x) => x.organisationId === p.organisationId);
        return { organisationId: org(p.organisationId), contributionKr: c?.amountKr, shareBasisPoints: c?.shareBasisPoints };
      }),
      validity: { startDate: terms.validity.startDate ?? undefined, endDate: terms.validity.endDate ?? undefined },
      extension: terms.extension ?? undefined,
      economics: terms.economics
        ? { costLines: terms.economics.costLines.map((l) => ({ label: l.label, amountKr: l.amountKr })), totalKr: terms.economics.totalKr, indexationBasisPoints: terms.economics.indexationBasisPoints }
        : undefined,
      invoicing: {
        gln: demo.invoicing.gln ?? undefined,
        organisationNumber: demo.invoicing.organisationNumber,
        peppolId: demo.invoicing.peppolId ?? undefined,
        reference: demo.invoicing.reference ?? undefined,
        marking: [demo.invoicing.marking, demo.invoicing.coding].filter(Boolean).join('; ') || undefined,
        address: demo.invoicing.address ?? undefined,
      },
      signatoryIds: Object.values(demo.signatories).flat().map(person),
      samverkansgruppIds: demo.samverkansgrupp.map(person),
      followUp: terms.followUp ? { meetingsPerYear: terms.followUp.meetingsPerYear, yearlyReport: terms.followUp.yearlyReport ?? undefined } : undefined,
    };
  }
}
