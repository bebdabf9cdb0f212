import { PAGE_SIZE } from '@app/common/paging';
import { Body, Controller, Get, Header, NotFoundException, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import type { FieldProblem } from '@app/common/domain-error';
import { DomainError } from '@app/common/domain-error';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { signedInActor } from '@app/web/access';
import { FORM_TOKEN, FormState } from '@app/web/forms';
import { formText, problemsOf, validated, type FormBody } from '@app/web/form-input';
import type { Flash } from '@app/web/layout';
import { errorPage, WebExceptionFilter } from '@app/web/web-exception.filter';
import { CreateMeetingDto, MeetingDatesDto } from '../dto/meeting.dto';
import { MeetingsService } from '../meetings.service';
import { PLAN_PATH, planPage } from './meetings.view';

const MEETING_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const yearOf = (value: unknown, fallback: number): number => {
  const n = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN;
  return n >= 2000 && n <= 2100 ? n : fallback;
};

const mayEdit = (actor: Actor): boolean => actor.roles.includes('secretariat');

/** Refusals (a meeting that exists, a case that cannot take the move) shown on the plan, in the service's words. */
const REFUSALS = ['conflict', 'event_not_allowed', 'stale_version'];

/** The sammanträdesplan as a page: everyone signed in reads it; the secretariat adds and moves meetings. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('sammantradesplan')
export class MeetingPagesController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly clock: ClockService,
    private readonly once: IdempotencyService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@CurrentAuth() auth: RequestAuth, @Query() query: Record<string, unknown>): Promise<string> {
    const actor = signedInActor(auth);
    return this.plan(actor, { year: query.ar ?? query.year, committee: query.committee }, await this.flashOf(actor, query));
  }

  @Post()
  async add(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const input = { meetingId: formText(body, 'meetingId'), committee: formText(body, 'committee'), date: formText(body, 'date'), papersDueOn: formText(body, 'papersDueOn') };
    try {
      const outcome = await this.once.submitForm(
        { personId: actor.personId, token: formText(body, FORM_TOKEN), path: PLAN_PATH, body },
        async () => {
          const meeting = await this.meetings.create(await validated(CreateMeetingDto, input), actor);
          return `${PLAN_PATH}?ar=${meeting.date.slice(0, 4)}&tillagt=${meeting.meetingId}`;
        },
        () => PLAN_PATH,
      );
      if (outcome.kind === 'notice') return void res.status(outcome.status).type('html').send(errorPage(outcome.title, outcome.message, actor));
      res.redirect(303, outcome.location);
    } catch (error) {
      const problems = problemsOf(error) ?? (error instanceof DomainError && REFUSALS.includes(error.code) ? [{ field: 'meetingId', message: error.message }] : null);
      if (!problems) throw error;
      const year = /^\d{4}/.test(input.date) ? input.date.slice(0, 4) : undefined;
      res.status(400).type('html').send(await this.plan(actor, { year }, null, new FormState(body, problems)));
    }
  }

  @Post(':id/flytta')
  async move(@Param('id') id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    if (!MEETING_ID.test(id)) throw new NotFoundException('Sammanträdet finns inte.');
    const input = { date: formText(body, 'date'), papersDueOn: formText(body, 'papersDueOn') };
    try {
      const moved = await this.meetings.move(id, await validated(MeetingDatesDto, input), actor);
      res.redirect(303, `${PLAN_PATH}?ar=${moved.date.slice(0, 4)}&flyttat=${id}&arenden=${moved.casesMoved}`);
    } catch (error) {
      const problems: FieldProblem[] | null = problemsOf(error) ?? (error instanceof DomainError && REFUSALS.includes(error.code) ? [{ field: 'date', message: error.message }] : null);
      if (!problems) throw error;
      const form = new FormState(body, problems, `flytta-${id}-`);
      res.status(400).type('html').send(await this.plan(actor, { year: formText(body, 'year') }, null, undefined, { meetingId: id, form }));
    }
  }

  /** After a redirect: what was added or moved, and how many cases' dates moved with it (fixed sentences, the meeting read again). */
  private async flashOf(actor: Actor, query: Record<string, unknown>): Promise<Flash | null> {
    const id = typeof query.flyttat === 'string' ? query.flyttat : typeof query.tillagt === 'string' ? query.tillagt : null;
    if (!id || !MEETING_ID.test(id)) return null;
    const meeting = await this.meetings.get(id, actor).catch(() => null);
    if (!meeting) return null;
    if (typeof query.tillagt === 'string') return { kind: 'success', text: `Sammanträdet ${meeting.date} är tillagt i ${meeting.committee}s sammanträdesplan.` };
    const count = typeof query.arenden === 'string' && /^\d{1,6}$/.test(query.arenden) ? Number(query.arenden) : 0;
    const cases = count === 0 ? 'Inga ärenden hade datum som hängde på det.' : count === 1 ? 'Datumen i 1 ärende flyttades med.' : `Datumen i ${count} ärenden flyttades med.`;
    return { kind: 'success', text: `Sammanträdet är flyttat till ${meeting.date}, sista dag för handlingar ${meeting.papersDueOn}. ${cases}` };
  }

  private async plan(
    actor: Actor,
    query: { year?: unknown; committee?: unknown },
    flash: Flash | null,
    addForm?: FormState,
    moved?: { meetingId: string; form: FormState },
  ): Promise<string> {
    const year = yearOf(query.year, Number(this.clock.today().slice(0, 4)));
    const committee = typeof query.committee === 'string' ? query.committee.trim().slice(0, 200) : '';
    const meetings = (await this.meetings.list({ year, ...(committee ? { committee } : {}), limit: String(PAGE_SIZE.max) }, actor)).items;
    const committees = [...new Set(meetings.map((m) => m.committee))];
    return planPage({
      actor,
      year,
      committee,
      committees,
      meetings,
      mayEdit: mayEdit(actor),
      addForm: addForm ?? new FormState({ committee: committees[0] ?? '' }),
      moved: moved ?? null,
      flash,
    });
  }
}
