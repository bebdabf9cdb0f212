import { pageRequestOf, type Page } from '@app/common/paging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { validateMeeting, type CommitteeMeeting } from '@workflows/calendar/meetings';
import type { Actor } from '@app/audit/actor';
import { requireAnyRole, requireSignedIn } from '@app/auth/access';
import { CaseRegistry } from '@app/cases/case-registry';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { WorkflowEngineService } from '@app/workflow-engine/workflow-engine.service';
import { findMeeting, insertMeeting, listMeetings, moveMeeting } from './committee-meeting.repository';
import type { CreateMeetingDto, ListMeetingsQuery, MeetingDatesDto, MovedMeetingView } from './dto/meeting.dto';

const SECRETARIAT_ONLY = 'nämndkansliet får ändra sammanträdesplanen';

/**
 * The sammanträdesplan: the secretariat adds meetings and moves them. Moving one moves every
 * deadline that hangs on it, by sending MEETING_RESCHEDULED to each case concerned through the
 * engine, in the same transaction: each case's history records the move, or nothing moves.
 */
@Injectable()
export class MeetingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: WorkflowEngineService,
    private readonly registry: CaseRegistry,
    private readonly clock: ClockService,
  ) {}

  list(query: ListMeetingsQuery, actor: Actor): Promise<Page<CommitteeMeeting>> {
    requireSignedIn(actor);
    return listMeetings(this.dataSource.manager, { committee: query.committee, year: query.year }, pageRequestOf(query, 3));
  }

  async get(id: string, actor: Actor): Promise<CommitteeMeeting> {
    requireSignedIn(actor);
    const meeting = await findMeeting(this.dataSource.manager, id);
    if (!meeting) throw DomainError.notFound('Sammanträdet');
    return meeting;
  }

  async create(dto: CreateMeetingDto, actor: Actor): Promise<CommitteeMeeting> {
    requireAnyRole(actor, ['secretariat'], SECRETARIAT_ONLY);
    const meeting: CommitteeMeeting = { meetingId: dto.meetingId, committee: dto.committee.trim(), date: dto.date, papersDueOn: dto.papersDueOn };
    const problem = validateMeeting(meeting);
    if (problem) throw DomainError.validation([{ field: 'papersDueOn', message: problem }]);
    const inserted = await insertMeeting(this.dataSource.manager, meeting, actor.personId, this.clock.now());
    if (!inserted) throw new DomainError('conflict', `Det finns redan ett sammanträde med id ${meeting.meetingId}, eller ett för ${meeting.committee} den ${meeting.date}.`);
    return meeting;
  }

  async move(id: string, dto: MeetingDatesDto, actor: Actor): Promise<MovedMeetingView> {
    requireAnyRole(actor, ['secretariat'], SECRETARIAT_ONLY);
    return this.dataSource.transaction(async (manager) => {
      const current = await findMeeting(manager, id, true);
      if (!current) throw DomainError.notFound('Sammanträdet');
      const moved: CommitteeMeeting = { ...current, date: dto.date, papersDueOn: dto.papersDueOn };
      const problem = validateMeeting(moved);
      if (problem) throw DomainError.validation([{ field: 'papersDueOn', message: problem }]);
      await moveMeeting(manager, moved, actor.personId, this.clock.now());
      let casesMoved = 0;
      for (const kind of this.registry.all()) {
        if (!kind.casesAtMeeting) continue;
        for (const caseId of await kind.casesAtMeeting(manager, id)) {
          await this.engine.apply({ type: kind.definition.type, id: caseId }, { type: 'MEETING_RESCHEDULED', meeting: moved }, actor, { manager });
          casesMoved += 1;
        }
      }
      return { meetingId: id, date: moved.date, papersDueOn: moved.papersDueOn, casesMoved };
    });
  }
}
