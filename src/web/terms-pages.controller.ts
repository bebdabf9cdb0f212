import { Body, Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AgreementsService } from '@app/agreements/agreements.service';
import { CreateAgreementDto, UpdateAgreementDto } from '@app/agreements/dto/agreement-terms.dto';
import type { Actor } from '@app/audit/actor';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { DomainError } from '@app/common/domain-error';
import { mayPropose, mayRegisterReceived, signedInActor } from './access';
import { FormState } from './forms';
import { formText, problemsOf, termsBody, validated, type FormBody } from './form-input';
import { postForm } from './form-post';
import { agreementPath } from './views/common';
import { draftPage, draftValues, initiativePage } from './views/terms-form.view';
import { WebExceptionFilter } from './web-exception.filter';
import { WebReadService } from './web-read.service';
import { IdempotencyService } from '@app/idempotency/idempotency.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

/** A new initiative (members of an idéburen organisation) and the draft's terms (the secretariat), validated as the API validates them. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class TermsPagesController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly read: WebReadService,
    private readonly once: IdempotencyService,
  ) {}

  @Get('initiativ/ny')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async newInitiative(@CurrentAuth() auth: RequestAuth): Promise<string> {
    const actor = this.proposer(auth);
    return initiativePage({ actor, form: new FormState(), municipalities: await this.municipalities(), received: await this.receivedFor(actor) });
  }

  @Post('initiativ/ny')
  async propose(@Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = this.proposer(auth);
    // The secretariat registers one that came in, for the organisation the form names; a member proposes for their own.
    const received = !mayPropose(actor);
    const own = received ? formText(body, 'proposedByOrganisationId') : (actor.organisationId as string);
    const municipality = formText(body, 'municipality');
    const input = {
      ...termsBody(body),
      proposedByOrganisationId: own,
      parties: [...(municipality ? [{ organisationId: municipality }] : []), ...(own ? [{ organisationId: own }] : [])],
      ...(received ? { receivedVia: formText(body, 'receivedVia'), ...(formText(body, 'receivedOn') ? { receivedOn: formText(body, 'receivedOn') } : {}) } : {}),
    };
    try {
      if (received) this.requireReceivedChoices(own, formText(body, 'receivedVia'));
      // The form's one-time token: a second submit goes to the initiative the first one created.
      await postForm(res, this.once, {
        actor,
        body,
        path: '/initiativ/ny',
        run: async () => `${agreementPath((await this.agreements.create(await validated(CreateAgreementDto, input), actor)).id)}?utfort=PROPOSE_INITIATIVE`,
        locationOf: (resource) => `${agreementPath(resource.id)}?utfort=PROPOSE_INITIATIVE`,
      });
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      res.status(400).type('html').send(initiativePage({ actor, form: new FormState(body, problems), municipalities: await this.municipalities(), received: await this.receivedFor(actor) }));
    }
  }

  @Get('overenskommelser/:id/andra')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async editDraft(@Param('id', uuid) id: string, @CurrentAuth() auth: RequestAuth): Promise<string> {
    const actor = signedInActor(auth);
    const agreement = await this.requireEditable(id, actor);
    return this.draft(actor, id, new FormState(draftValues(agreement)), agreement.parties.map((p) => p.organisationId));
  }

  @Post('overenskommelser/:id/andra')
  async saveDraft(@Param('id', uuid) id: string, @Body() body: FormBody, @CurrentAuth() auth: RequestAuth, @Res() res: Response): Promise<void> {
    const actor = signedInActor(auth);
    const agreement = await this.requireEditable(id, actor);
    try {
      await this.agreements.update(id, await validated(UpdateAgreementDto, termsBody(body)), actor);
      res.redirect(303, `${agreementPath(id)}?utfort=UPDATE_TERMS`);
    } catch (error) {
      const problems = problemsOf(error);
      if (error instanceof DomainError && (error.code === 'stale_version' || error.code === 'event_not_allowed')) return res.redirect(303, `${agreementPath(id)}?fel=${error.code}`);
      if (!problems) throw error;
      res.status(400).type('html').send(await this.draft(actor, id, new FormState(body, problems), agreement.parties.map((p) => p.organisationId)));
    }
  }

  private proposer(auth: RequestAuth): Actor {
    const actor = signedInActor(auth);
    if (!mayPropose(actor) && !mayRegisterReceived(actor)) {
      throw new DomainError('forbidden', 'Ett initiativ kommer från en medlem eller firmatecknare i en idéburen organisation, eller registreras av nämndkansliet när det kommit in på papper eller med e-post.');
    }
    return actor;
  }

  /** The idéburna organisations the secretariat may register a received initiative for; undefined for a member's own form. */
  private async receivedFor(actor: Actor) {
    if (mayPropose(actor)) return undefined;
    return (await this.read.organisations()).filter((o) => o.kind === 'civil_society');
  }

  /** The received-initiative choices the form must have before the API is asked (its messages name the API's fields). */
  private requireReceivedChoices(organisationId: string, via: string): void {
    const problems = [
      ...(organisationId ? [] : [{ field: 'proposedByOrganisationId', message: 'Välj den organisation som tar initiativet.' }]),
      ...(via ? [] : [{ field: 'receivedVia', message: 'Välj hur initiativet kom in: papper, e-post eller annat.' }]),
    ];
    if (problems.length > 0) throw DomainError.validation(problems);
  }

  /** The draft form is for whoever the rules let change the terms now (the secretariat, in initiative or draft). */
  private async requireEditable(id: string, actor: Actor) {
    const agreement = await this.agreements.get(id, actor);
    const allowed = await this.agreements.allowedEvents(id, actor);
    if (!allowed.events.some((e) => e.type === 'UPDATE_TERMS')) throw new DomainError('forbidden', 'Villkoren kan bara ändras av nämndkansliet, medan överenskommelsen är ett initiativ eller ett utkast.');
    return agreement;
  }

  private async draft(actor: Actor, id: string, form: FormState, partyIds: string[]): Promise<string> {
    const [agreement, organisations, people, signers] = await Promise.all([
      this.agreements.get(id, actor),
      this.read.organisations(),
      this.read.peopleOf(partyIds),
      this.read.signersOf(partyIds),
    ]);
    return draftPage({ actor, agreement, form, organisations, people, signers });
  }

  private async municipalities() {
    return (await this.read.organisations()).filter((o) => o.kind === 'municipality');
  }
}
