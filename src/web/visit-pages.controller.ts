import { PAGE_SIZE } from '@app/common/paging';
import type { PageQuery } from '@app/common/paged-query.decorator';
import { pager } from './views/pager';
import { Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AgreementsService } from '@app/agreements/agreements.service';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { COMMITTEE_WRITERS } from '@app/committee/committee-access';
import { CreateCommitteeVisitDto, CreateVisitTemplateDto } from '@app/committee/dto/visit.dto';
import type { VisitTemplate } from '@app/committee/visits.repository';
import { VisitsService } from '@app/committee/visits.service';
import { requireArea, signedInActor } from './access';
import { FormState } from './forms';
import { formText, indexesOf, optionalInteger, remapListProblems, validated, type FormBody } from './form-input';
import { postForm } from './form-post';
import type { Flash } from './layout';
import { latestTemplates, NEW_TEMPLATE_PATH, NEW_VISIT_PATH, newTemplatePage, newVisitPage, templateValues, visitPage, visitPath, visitsPage, VISITS_PATH } from './views/visits.view';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { WebExceptionFilter } from './web-exception.filter';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Nämndbesöket finns inte.') });

const FLASHES: Record<string, Flash> = {
  besok: { kind: 'success', text: 'Nämndbesöket är sparat.' },
  mall: { kind: 'success', text: 'Den nya versionen av mallen är sparad. Nya besök dokumenteras på den.' },
};
const flashOf = (sparat: unknown): Flash | null => (typeof sparat === 'string' ? (FLASHES[sparat] ?? null) : null);

/** The rows of a repeated field that were filled in: their indexes, and the rows as the API's list. */
function filledRows<T>(body: FormBody, prefix: string, key: string, item: (i: number) => T): { items: T[]; fieldOf: string[] } {
  const rows = indexesOf(body, prefix).filter((i) => formText(body, `${prefix}.${i}.${key}`) !== '');
  return { items: rows.map(item), fieldOf: rows.map((i) => `${prefix}.${i}`) };
}

/** Lines of a textarea, blank ones left out. */
const linesOf = (body: FormBody, key: string): string[] =>
  formText(body, key)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Committee visits (nämndbesök) as pages: the list and each visit for the secretariat, auditors and
 * administrators; the secretariat documents a visit on the current template and writes next year's
 * template, through the same VisitsService and validation as the API.
 */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('namndbesok')
export class VisitPagesController {
  constructor(
    private readonly visits: VisitsService,
    private readonly agreements: AgreementsService,
    private readonly clock: ClockService,
    private readonly once: IdempotencyService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async list(@CurrentAuth() auth: RequestAuth, @Query() query: PageQuery & { sparat?: unknown }, @Req() req: Request): Promise<string> {
    const actor = this.reader(auth);
    const after = typeof query.after === 'string' ? query.after : undefined;
    const [visits, templates] = await Promise.all([this.visits.listVisits({ after }, actor), this.visits.listTemplates(actor)]);
    return visitsPage({ actor, visits: visits.items, pages: pager(req.originalUrl, visits.next, after !== undefined), templates, mayWrite: mayWrite(actor), flash: flashOf(query.sparat) });
  }

  @Get('nytt')
  async newVisit(@CurrentAuth() auth: RequestAuth, @Query('mall') mall: unknown, @Res() res: Response): Promise<void> {
    const actor = this.writer(auth);
    const templates = await this.visits.listTemplates(actor);
    const template = (typeof mall === 'string' && templates.find((t) => t.id === mall)) || latestTemplates(templates)[0];
    if (!template) return res.redirect(303, VISITS_PATH);
    const form = new FormState({ visitDate: this.clock.today(), verksamhetsinriktning: template.verksamhetsinriktning, 'members.0.side': 'majority', 'members.1.side': 'opposition' });
    res.type('html').send(await this.visitForm(actor, template, templates, form));
  }

  @Post('nytt')
  async saveVisit(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.writer(auth);
    const templates = await this.visits.listTemplates(actor);
    const template = templates.find((t) => t.id === formText(body, 'templateId'));
    if (!template) return res.redirect(303, VISITS_PATH);
    const members = filledRows(body, 'members', 'name', (i) => ({ name: formText(body, `members.${i}.name`), side: formText(body, `members.${i}.side`) }));
    const officials = filledRows(body, 'officials', 'name', (i) => formText(body, `officials.${i}.name`));
    const answers = filledRows(body, 'answerTo', 'answer', (n) => ({ question: n, answer: formText(body, `answerTo.${n}.answer`) }));
    const agreementId = formText(body, 'agreementId');
    const verksamhetsinriktning = formText(body, 'verksamhetsinriktning');
    const input = {
      templateId: template.id,
      visitDate: formText(body, 'visitDate'),
      ...(verksamhetsinriktning ? { verksamhetsinriktning } : {}),
      ...(agreementId ? { agreementId } : {}),
      members: members.items,
      officials: officials.items,
      answers: answers.items,
    };
    // The form's one-time token: a second submit goes to the visit the first one saved.
    await postForm(res, this.once, {
      actor,
      body,
      path: NEW_VISIT_PATH,
      run: async () => `${visitPath((await this.visits.createVisit(await validated(CreateCommitteeVisitDto, input), actor)).id)}?sparat=besok`,
      locationOf: (resource) => `${visitPath(resource.id)}?sparat=besok`,
      rerender: (problems) => {
        const shown = remapListProblems(remapListProblems(remapListProblems(problems, 'members', members.fieldOf), 'officials', officials.fieldOf.map((f) => `${f}.name`)), 'answers', answers.fieldOf);
        return this.visitForm(actor, template, templates, new FormState(body, shown));
      },
    });
  }

  @Get('mall/ny')
  async newTemplate(@CurrentAuth() auth: RequestAuth, @Query('inriktning') inriktning: unknown, @Res() res: Response): Promise<void> {
    const actor = this.writer(auth);
    const latest = latestTemplates(await this.visits.listTemplates(actor));
    const basedOn = latest.find((t) => typeof inriktning === 'string' && t.verksamhetsinriktning.toLowerCase() === inriktning.toLowerCase()) ?? latest[0] ?? null;
    res.type('html').send(newTemplatePage({ actor, basedOn, form: new FormState(templateValues(basedOn, Number(this.clock.today().slice(0, 4)))) }));
  }

  @Post('mall/ny')
  async saveTemplate(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.writer(auth);
    const questions = filledRows(body, 'questions', 'text', (i) => {
      const guidance = linesOf(body, `questions.${i}.guidance`);
      return { text: formText(body, `questions.${i}.text`), ...(guidance.length ? { guidance } : {}) };
    });
    const title = formText(body, 'title');
    const preparation = linesOf(body, 'preparation');
    const input = {
      verksamhetsinriktning: formText(body, 'verksamhetsinriktning'),
      year: optionalInteger(body, 'year'),
      ...(title ? { title } : {}),
      instructions: formText(body, 'instructions'),
      ...(preparation.length ? { preparation } : {}),
      questions: questions.items,
    };
    // The form's one-time token: a second submit saves no second version of the template.
    await postForm(res, this.once, {
      actor,
      body,
      path: NEW_TEMPLATE_PATH,
      run: async () => {
        await this.visits.createTemplate(await validated(CreateVisitTemplateDto, input), actor);
        return `${VISITS_PATH}?sparat=mall`;
      },
      locationOf: () => `${VISITS_PATH}?sparat=mall`,
      rerender: async (problems) => {
        const basedOn = latestTemplates(await this.visits.listTemplates(actor)).find((t) => t.verksamhetsinriktning.toLowerCase() === input.verksamhetsinriktning.toLowerCase()) ?? null;
        return newTemplatePage({ actor, basedOn, form: new FormState(body, remapListProblems(problems, 'questions', questions.fieldOf)) });
      },
    });
  }

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Query('sparat') sparat: unknown): Promise<string> {
    const actor = this.reader(auth);
    return visitPage({ actor, visit: await this.visits.getVisit(id, actor), flash: flashOf(sparat) });
  }

  private reader(auth: RequestAuth): Actor {
    const actor = signedInActor(auth);
    requireArea(actor, 'visits');
    return actor;
  }

  private writer(auth: RequestAuth): Actor {
    const actor = this.reader(auth);
    if (!mayWrite(actor)) throw new DomainError('forbidden', 'Bara nämndkansliet dokumenterar nämndbesök och skriver mallarna.');
    return actor;
  }

  private async visitForm(actor: Actor, template: VisitTemplate, templates: VisitTemplate[], form: FormState): Promise<string> {
    // The first page of the largest size, nearest deadline first: agreements in force come before expired ones.
    const agreements = (await this.agreements.list({ limit: String(PAGE_SIZE.max) }, actor)).items.map((a) => ({ value: a.id, label: a.title }));
    return newVisitPage({ actor, template, templates, agreements, form });
  }
}

const mayWrite = (actor: Actor): boolean => actor.roles.some((r) => COMMITTEE_WRITERS.includes(r));
