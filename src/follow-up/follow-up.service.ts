import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { obligationViews, type FollowUpObligationView } from '@workflows/agreement/follow-up';
import { migratePersisted } from '@workflows/agreement/persistence';
import type { FollowUpDuties } from '@workflows/agreement/types';
import { isAfter, isCalendarDate } from '@workflows/calendar/calendar';
import { AgreementRepository, type AgreementRecord } from '@app/agreements/agreement.repository';
import type { Actor } from '@app/audit/actor';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { ClockService } from '@app/clock/clock.service';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { Person } from '@app/organisations/person.entity';
import type { EngineCommand } from '@app/workflow-engine/engine-command';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import type { RecordMeetingDto, SubmitReportDto } from './dto/follow-up.dto';
import { insertMeeting, insertReport, meetingsOf, reportsOf, type MeetingParticipant, type MeetingRecord, type ReportRecord } from './follow-up.repository';
import { fieldsWithPersonalIdentityNumbers, PERSONAL_IDENTITY_MESSAGE } from './personal-identity';
import { agreementCase } from '@app/agreements/agreement.kind';

/** What the form and the API say about personal data: shown with every follow-up. */
export const AGGREGATE_ONLY_NOTICE =
  'Uppföljningen innehåller bara sammanräknade uppgifter om verksamheten: antal deltagare, stegförflyttningar enligt GA-modellen, ' +
  'vart deltagarna gått efter insatsen och använda platser. Skriv inga namn, personnummer eller andra uppgifter om enskilda deltagare.';

export interface FollowUpView {
  agreementId: string;
  duties: FollowUpDuties | null;
  obligations: FollowUpObligationView[];
  meetings: MeetingRecord[];
  reports: ReportRecord[];
  notice: string;
}

/** Refuses, naming each field, anything that would carry a personal identity number. */
function refusePersonalIdentityNumbers(dto: object): void {
  const fields = fieldsWithPersonalIdentityNumbers(dto);
  if (fields.length > 0) throw DomainError.validation(fields.map((field) => ({ field, message: PERSONAL_IDENTITY_MESSAGE })));
}

/**
 * Recording the follow-up of an agreement in force: the samverkansgrupp's meetings (the secretariat)
 * and the partner's yearly report (a member or signatory of the partner). The engine decides and
 * marks the duty met; the record itself is written in the same transaction.
 */
@Injectable()
export class FollowUpService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngineService,
    private readonly access: AgreementAccessService,
    private readonly clock: ClockService,
    private readonly tables: AgreementRepository,
  ) {}

  async recordMeeting(agreementId: string, dto: RecordMeetingDto, actor: Actor): Promise<FollowUpView> {
    // Those who may not record learn nothing about the agreement from validation messages.
    await this.engine.requirePermitted(agreementCase(agreementId), actor, { type: 'RECORD_FOLLOW_UP_MEETING' });
    refusePersonalIdentityNumbers(dto);
    const problems: FieldProblem[] = [];
    if (!isCalendarDate(dto.heldOn)) problems.push({ field: 'heldOn', message: 'heldOn är inte ett giltigt datum.' });
    else if (isAfter(dto.heldOn, this.clock.today())) problems.push({ field: 'heldOn', message: 'Ett möte registreras när det har hållits, inte i förväg.' });
    const participants = await this.participantsOf(dto, problems);
    if (problems.length > 0) throw DomainError.validation(problems);
    return this.record(agreementId, { type: 'RECORD_FOLLOW_UP_MEETING', heldOn: dto.heldOn }, actor, dto.expectedVersion, (manager) =>
      insertMeeting(manager, { agreementId, heldOn: dto.heldOn, participants, notes: dto.notes?.trim() ?? '', recordedByPersonId: actor.personId, recordedAt: this.clock.now() }),
    );
  }

  async submitReport(agreementId: string, dto: SubmitReportDto, actor: Actor): Promise<FollowUpView> {
    const organisationId = dto.organisationId ?? actor.organisationId ?? '';
    await this.engine.requirePermitted(agreementCase(agreementId), actor, { type: 'SUBMIT_YEARLY_REPORT', organisationId });
    refusePersonalIdentityNumbers(dto);
    const problems: FieldProblem[] = [];
    const { participantsCount, gaProgressCount, outcomes } = dto;
    if (gaProgressCount > participantsCount) {
      problems.push({ field: 'gaProgressCount', message: `Fler stegförflyttningar (${gaProgressCount}) än deltagare (${participantsCount}) går inte.` });
    }
    const afterwards = outcomes.work + outcomes.studies + outcomes.otherActivity + outcomes.noChange;
    if (afterwards > participantsCount) {
      problems.push({ field: 'outcomes', message: `Vart deltagarna gick efteråt summerar till ${afterwards}, fler än de ${participantsCount} deltagarna.` });
    }
    if (problems.length > 0) throw DomainError.validation(problems);
    const agreement = await this.require(agreementId);
    return this.record(agreementId, { type: 'SUBMIT_YEARLY_REPORT', year: dto.year, organisationId }, actor, dto.expectedVersion, (manager) =>
      insertReport(manager, {
        agreementId,
        year: dto.year,
        organisationId,
        text: dto.text.trim(),
        participantsCount,
        gaProgressCount,
        outcomes: { work: outcomes.work, studies: outcomes.studies, otherActivity: outcomes.otherActivity, noChange: outcomes.noChange },
        placesUsed: dto.placesUsed,
        placesAgreed: dto.placesAgreed ?? agreement.places,
        submittedByPersonId: actor.personId,
        submittedAt: this.clock.now(),
      }),
    );
  }

  /** Sends the follow-up event through the engine; the record is written in its transaction, only if the machine takes it. */
  private async record(
    agreementId: string,
    command: EngineCommand,
    actor: Actor,
    expectedVersion: number | undefined,
    write: (manager: EntityManager) => Promise<unknown>,
  ): Promise<FollowUpView> {
    await this.engine.apply(agreementCase(agreementId), command, actor, {
      expectedVersion,
      onApplied: async (manager) => {
        await write(manager);
      },
    });
    return this.view(agreementId);
  }

  async get(agreementId: string, actor: Actor): Promise<FollowUpView> {
    await this.access.requireVisible(agreementId, actor);
    return this.view(agreementId);
  }

  private async view(agreementId: string): Promise<FollowUpView> {
    const agreement = await this.require(agreementId);
    const { context } = migratePersisted({ machineVersion: agreement.machineVersion, value: agreement.stateValue, context: agreement.context });
    const manager = this.dataSource.manager;
    return {
      agreementId,
      duties: context.terms.followUp ?? null,
      obligations: obligationViews(context),
      meetings: await meetingsOf(manager, agreementId),
      reports: await reportsOf(manager, agreementId),
      notice: AGGREGATE_ONLY_NOTICE,
    };
  }

  /** Each participant is a registered person or a name, not both; people are named as registered. */
  private async participantsOf(dto: RecordMeetingDto, problems: FieldProblem[]): Promise<MeetingParticipant[]> {
    const ids = dto.participants.map((p) => p.personId).filter((id): id is string => Boolean(id));
    const people = ids.length ? await this.dataSource.getRepository(Person).findBy({ id: In(ids) }) : [];
    return dto.participants.map((p, i) => {
      if ((p.personId === undefined) === (p.name === undefined)) {
        problems.push({ field: `participants.${i}`, message: 'Ange antingen en registrerad person (personId) eller ett namn (name).' });
        return { personId: null, name: '' };
      }
      if (p.personId === undefined) return { personId: null, name: (p.name ?? '').trim() };
      const person = people.find((x) => x.id === p.personId);
      if (!person) problems.push({ field: `participants.${i}.personId`, message: 'Personen finns inte.' });
      return { personId: p.personId, name: person?.name ?? '' };
    });
  }

  private async require(agreementId: string): Promise<AgreementRecord> {
    const agreement = await this.tables.byId(agreementId);
    if (!agreement) throw DomainError.notFound('Överenskommelsen');
    return agreement;
  }
}
