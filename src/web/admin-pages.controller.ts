import { Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { AccountsService, requireRolesFit } from '@app/auth/accounts.service';
import { InvitationsService } from '@app/auth/invitations.service';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import { SetRolesDto } from '@app/auth/dto/account-admin.dto';
import type { RequestAuth } from '@app/auth/request-auth';
import { DomainError, type FieldProblem } from '@app/common/domain-error';
import { IncidentsService } from '@app/incidents/incidents.service';
import { NotificationsService } from '@app/notifications/notifications.service';
import { CreateOrganisationDto, CreatePersonDto } from '@app/organisations/dto/organisation.dto';
import { OrganisationsService } from '@app/organisations/organisations.service';
import { requireArea, signedInActor } from './access';
import { FORM_TOKEN, FormState } from './forms';
import { formList, formText, validated, type FormBody } from './form-input';
import type { Flash } from './layout';
import { adminPage } from './views/admin.view';
import { IdempotencyService } from '@app/idempotency/idempotency.service';
import { errorPage, WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';

const personId = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Personen finns inte.') });

const DONE: Record<string, string> = {
  roller: 'Rollerna är sparade.',
  konto: 'Kontot är ändrat.',
  organisation: 'Organisationen är tillagd.',
  person: 'Personen är tillagd.',
  inbjuden: 'Personen är tillagd och har fått ett e-postbrev med en länk för att välja lösenord (den gäller i 72 timmar).',
  inbjudan: 'Inbjudan är skickad: personen får ett e-postbrev med en länk för att välja lösenord (den gäller i 72 timmar). En tidigare länk fungerar inte längre.',
};

const problemsOf = (error: unknown): FieldProblem[] | null =>
  error instanceof DomainError && error.code === 'validation_failed' ? ((error.details.problems as FieldProblem[] | undefined) ?? []) : null;

/** Administration: accounts and roles, organisations and people, failed e-mail. Administrators only. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('administration')
export class AdminPagesController {
  constructor(
    private readonly read: WebReadService,
    private readonly accounts: AccountsService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly incidents: IncidentsService,
    private readonly once: IdempotencyService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@CurrentAuth() auth: RequestAuth, @Query('klart') done: unknown): Promise<string> {
    const actor = this.administrator(auth);
    return this.page(actor, typeof done === 'string' && DONE[done] ? { kind: 'success', text: DONE[done] } : null);
  }

  @Post('konton/:personId/roller')
  async setRoles(@Param('personId', personId) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    await this.attempt(res, actor, 'roller', async () => {
      const dto = await validated(SetRolesDto, { roles: formList(body, 'roles') });
      await this.accounts.setRoles(id, dto.roles, actor);
    });
  }

  @Post('konton/:personId/avstangt')
  async setDisabled(@Param('personId', personId) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    await this.attempt(res, actor, 'konto', () => this.accounts.setDisabled(id, formText(body, 'disabled') === 'true', actor));
  }

  /** A new one-time link to choose a password, e-mailed; earlier links stop working. */
  @Post('konton/:personId/inbjudan')
  async invite(@Param('personId', personId) id: string, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    await this.attempt(res, actor, 'inbjudan', () => this.invitations.invite(id, actor));
  }

  @Post('organisationer')
  async addOrganisation(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    const input = { name: formText(body, 'name'), organisationNumber: formText(body, 'organisationNumber'), kind: formText(body, 'kind') };
    await this.attempt(res, actor, 'organisation', async () => {
      await this.organisations.create(await validated(CreateOrganisationDto, input));
    }, (problems) => ({ organisationForm: new FormState({ ...input, [FORM_TOKEN]: formText(body, FORM_TOKEN) }, problems) }), { body, path: '/administration/organisationer' });
  }

  @Post('personer')
  async addPerson(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.administrator(auth);
    const input: Record<string, string> = { name: formText(body, 'name'), email: formText(body, 'email'), organisationId: formText(body, 'organisationId') };
    if (formText(body, 'title')) input.title = formText(body, 'title');
    const roles = formList(body, 'roles');
    const invite = formText(body, 'inbjudan') === 'ja';
    await this.attempt(res, actor, invite ? 'inbjuden' : 'person', async () => {
      // The roles are checked before the person is added, so a refused role adds no one.
      const rolesDto = await validated(SetRolesDto, { roles });
      if (invite && rolesDto.roles.length === 0) {
        throw DomainError.validation([{ field: 'roles', message: 'Välj minst en roll för den som bjuds in att välja lösenord, eller kryssa ur inbjudan.' }]);
      }
      const dto = await validated(CreatePersonDto, input);
      const organisation = (await this.read.organisations()).find((o) => o.id === dto.organisationId);
      if (organisation) requireRolesFit({ name: dto.name, kind: organisation.kind, organisation_name: organisation.name }, rolesDto.roles);
      const person = await this.organisations.createPerson(dto);
      // An account with the roles chosen, and the invitation to choose its password (its own transaction with its e-mail:
      // were the service to stop between the two, the person is listed without a password and can be invited again).
      if (invite || rolesDto.roles.length > 0) await this.accounts.setRoles(person.id, rolesDto.roles, actor);
      if (invite) await this.invitations.invite(person.id, actor);
    }, (problems) => ({ personForm: new FormState({ ...input, roles, inbjudan: invite ? 'ja' : 'nej', [FORM_TOKEN]: formText(body, FORM_TOKEN) }, problems, 'person-') }), { body, path: '/administration/personer' });
  }

  private administrator(auth: RequestAuth): Actor {
    const actor = signedInActor(auth);
    requireArea(actor, 'administration');
    return actor;
  }

  /**
   * Runs a change, then back to the page (POST-redirect-GET); a refused change is shown on the page, next to its fields when it has any.
   * A creating form (`once`) carries a one-time token: submitted again, it creates nothing and goes back to the page as the first did.
   */
  private async attempt(
    res: Response,
    actor: Actor,
    done: string,
    change: () => Promise<unknown>,
    forms?: (problems: FieldProblem[]) => { organisationForm?: FormState; personForm?: FormState },
    once?: { body: FormBody; path: string },
  ): Promise<void> {
    const location = `/administration?klart=${done}`;
    try {
      if (!once) {
        await change();
        return res.redirect(303, location);
      }
      const outcome = await this.once.submitForm(
        { personId: actor.personId, token: formText(once.body, FORM_TOKEN), path: once.path, body: once.body },
        async () => {
          await change();
          return location;
        },
        () => location,
      );
      if (outcome.kind === 'notice') return void res.status(outcome.status).type('html').send(errorPage(outcome.title, outcome.message, actor));
      res.redirect(303, outcome.location);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'forbidden' || error.code === 'unauthenticated') throw error;
      const problems = problemsOf(error);
      const flash: Flash = { kind: 'error', text: problems && !forms ? problems.map((p) => p.message).join(' ') : error.message };
      res.status(problems ? 400 : 409).type('html').send(await this.page(actor, flash, problems && forms ? forms(problems) : {}));
    }
  }

  private async page(actor: Actor, flash: Flash | null, forms: { organisationForm?: FormState; personForm?: FormState } = {}): Promise<string> {
    const [people, organisations, failed, incidents] = await Promise.all([this.read.people(), this.read.organisations(), this.notifications.failed(), this.incidents.open()]);
    return adminPage({ actor, people, organisations, failed: failed.items, incidents, flash, organisationForm: forms.organisationForm ?? new FormState({ kind: 'civil_society' }), personForm: forms.personForm ?? new FormState({}, [], 'person-') });
  }
}
