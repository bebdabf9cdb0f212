import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgreementsService } from '@app/agreements/agreements.service';
import { UpdateDocumentTextsDto } from '@app/agreements/dto/agreement-terms.dto';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { DomainError } from '@app/common/domain-error';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { signedInActor } from './access';
import { FormState } from './forms';
import { formText, validated, type FormBody } from './form-input';
import { postForm } from './form-post';
import { agreementPath } from './views/common';
import { DOCUMENT_TEXT_PATH, documentTextPage, documentTextValues, TEMPLATES_PATH, templatesPage } from './views/document.view';
import { DocumentTemplatesService } from '@app/documents/document-templates.service';
import type { TemplateSection } from '@workflows/agreement/document';
import { errorPage, WebExceptionFilter } from './web-exception.filter';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });
const TEXT_FIELDS = ['purpose', 'background', 'values', 'targetGroup', 'activities', 'organisation', 'followUp', 'termination'];

/** The agreement's text, written on a page of its own (POST, redirect, GET; a one-time form token). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('overenskommelser')
export class DocumentPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly once: IdempotencyService,
    private readonly templates: DocumentTemplatesService,
  ) {}

  @Get(`:id${DOCUMENT_TEXT_PATH}`)
  async form(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    const allowed = await this.agreements.allowedEvents(id, actor);
    if (!allowed.events.some((e) => e.type === 'UPDATE_TERMS')) {
      return void res.status(403).type('html').send(errorPage('Texten kan inte ändras nu', 'Nämndkansliet skriver överenskommelsens text medan den är ett initiativ eller ett utkast.', actor));
    }
    res.type('html').send(documentTextPage({ actor, agreement, form: new FormState(documentTextValues(agreement)), standard: await this.templates.current() }));
  }

  @Post(`:id${DOCUMENT_TEXT_PATH}`)
  async save(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const agreement = await this.agreements.get(id, actor);
    const done = `${agreementPath(id)}?utfort=UPDATE_TERMS`;
    const input: Record<string, unknown> = Object.fromEntries(TEXT_FIELDS.map((k) => [k, formText(body, k)]));
    const version = Number(formText(body, 'expectedVersion'));
    if (Number.isInteger(version) && version > 0) input.expectedVersion = version;
    try {
      await postForm(res, this.once, {
        actor,
        body,
        path: `${agreementPath(id)}${DOCUMENT_TEXT_PATH}`,
        run: async () => {
          await this.agreements.updateTexts(id, await validated(UpdateDocumentTextsDto, input), actor);
          return done;
        },
        locationOf: () => done,
        rerender: async (problems) => documentTextPage({ actor, agreement, form: new FormState(body, problems), standard: await this.templates.current(), afterPost: true }),
      });
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'stale_version' || error.code === 'event_not_allowed')) {
        return void res.status(409).type('html').send(errorPage('Texten sparades inte', error.message, actor));
      }
      throw error;
    }
  }
}

/** The municipality's standard texts (the secretariat writes the next version; others read). */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller(TEMPLATES_PATH.slice(1))
export class TemplatePagesController {
  constructor(
    private readonly templates: DocumentTemplatesService,
    private readonly once: IdempotencyService,
  ) {}

  @Get()
  async show(@CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    res.type('html').send(templatesPage({ actor, current: await this.templates.current(), forms: {}, mayEdit: actor.roles.includes('secretariat') }));
  }

  @Post()
  async add(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const section = formText(body, 'section');
    const done = `${TEMPLATES_PATH}?sparad=${encodeURIComponent(section)}`;
    await postForm(res, this.once, {
      actor,
      body,
      path: TEMPLATES_PATH,
      run: async () => {
        await this.templates.add(section, formText(body, 'text'), actor);
        return done;
      },
      locationOf: () => done,
      rerender: async (problems) => {
        const forms = { [section]: new FormState(body, problems, `${section}-`) } as Partial<Record<TemplateSection, FormState>>;
        return templatesPage({ actor, current: await this.templates.current(), forms, mayEdit: true, afterPost: true });
      },
    });
  }
}
