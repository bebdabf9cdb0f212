import { Body, Controller, Get, Header, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { InvitationsService, type InvitationRefusal } from '@app/auth/invitations.service';
import { AppConfig } from '@app/config/app-config';
import { DomainError } from '@app/common/domain-error';
import { FormState } from './forms';
import { formText, problemsOf, type FormBody } from './form-input';
import { choosePasswordPage, invitationRefusedPage } from './views/invitation.view';
import { signInPage } from './views/sign-in.view';
import { WebExceptionFilter } from './web-exception.filter';

/** An unknown link is not found; a used or expired one is gone. */
const STATUS: Record<InvitationRefusal, number> = { unknown: 404, used: 410, expired: 410 };

/** A new account's first password, through the one-time link an administrator's invitation e-mailed. Public: the link is the proof. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('konto')
export class AccountPagesController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly config: AppConfig,
  ) {}

  @Get('losenord')
  async form(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const key = typeof token === 'string' ? token : '';
    const found = await this.invitations.open(key);
    // The token stays out of Referer headers to other sites (same-origin: the form's own POST keeps its Origin for the CSRF check).
    res.setHeader('Referrer-Policy', 'same-origin');
    if (typeof found === 'string') return void res.status(STATUS[found]).type('html').send(invitationRefusedPage(found));
    res.type('html').send(choosePasswordPage({ token: key, ...found }));
  }

  @Post('losenord')
  async choose(@Body() body: FormBody, @Res() res: Response): Promise<void> {
    const token = formText(body, 'token');
    const password = typeof body.password === 'string' ? body.password : '';
    res.setHeader('Referrer-Policy', 'same-origin');
    const again = async (problems: Array<{ field: string; message: string }>): Promise<void> => {
      const found = await this.invitations.open(token);
      if (typeof found === 'string') return void res.status(STATUS[found]).type('html').send(invitationRefusedPage(found));
      res.status(400).type('html').send(choosePasswordPage({ token, ...found, form: new FormState({}, problems) }));
    };
    if (password !== (typeof body.repeat === 'string' ? body.repeat : '')) return again([{ field: 'repeat', message: 'Lösenorden är inte lika. Skriv samma lösenord i båda fälten.' }]);
    try {
      const outcome = await this.invitations.accept(token, password);
      if (typeof outcome === 'string') return void res.status(STATUS[outcome]).type('html').send(invitationRefusedPage(outcome));
      res.redirect(303, '/konto/losenord/klart');
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems || !(error instanceof DomainError)) throw error;
      return again(problems);
    }
  }

  @Get('losenord/klart')
  @Header('Content-Type', 'text/html; charset=utf-8')
  done(): string {
    return signInPage({ email: '', returnTo: null, problem: null, oidc: this.config.oidc !== undefined, flash: { kind: 'success', text: 'Lösenordet är sparat. Logga in med din e-postadress och det nya lösenordet.' } });
  }
}
