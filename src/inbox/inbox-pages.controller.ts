import { Controller, Get, Header, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentAuth } from '@app/auth/current-actor.decorator';
import type { RequestAuth } from '@app/auth/request-auth';
import { signedInActor } from '@app/web/access';
import { inboxPage } from '@app/web/views/inbox.view';
import { WebExceptionFilter } from '@app/web/web-exception.filter';
import { InboxService } from './inbox.service';

/** Att göra: every signed-in person's first page. */
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('att-gora')
export class InboxPagesController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@CurrentAuth() auth: RequestAuth): Promise<string> {
    const actor = signedInActor(auth);
    return inboxPage(actor, await this.inbox.inbox(actor));
  }
}
