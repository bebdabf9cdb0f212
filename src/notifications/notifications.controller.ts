import { PagedQuery, type PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, StreamableFile, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { OFFICE_ROLES, requireAnyRole } from '@app/auth/access';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { NotificationsService } from './notifications.service';
import { fileContent } from '@app/common/view-properties';
import { MailboxListingView, NotificationView } from './dto/notification-view.dto';

const OFFICE_ONLY = 'nämndkansliet och administratörer ser utskick som inte gäller en enskild överenskommelse';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

@ApiTags('Utskick')
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly access: AgreementAccessService,
  ) {}

  @Get('agreements/:id/notifications')
  @ApiOperation({ summary: 'Alla utskick som gäller överenskommelsen: mottagare, ämne, status, försök och senaste fel' })
  @ApiOkResponse({ type: [NotificationView] })
  @PagedQuery()
  async forAgreement(@Param('id', uuid) id: string, @CurrentActor() actor: Actor, @Query() query: PageQuery) {
    await this.access.requireVisible(id, actor);
    return this.notifications.forAgreement(id, pageRequestOf(query, 1));
  }

  @Get('notifications/failed')
  @ApiOperation({ summary: 'Utskick som inte kunde levereras (för administratörer)' })
  @ApiOkResponse({ type: [NotificationView] })
  @PagedQuery()
  failed(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    requireAnyRole(actor, OFFICE_ROLES, OFFICE_ONLY);
    return this.notifications.failed(pageRequestOf(query, 1));
  }

  @Get('mailbox')
  @ApiOperation({ summary: 'Den lokala brevlådan: utskick sparade som .eml-filer när SMTP_URL inte är satt' })
  @ApiOkResponse({ type: MailboxListingView })
  @PagedQuery()
  mailbox(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    requireAnyRole(actor, OFFICE_ROLES, OFFICE_ONLY);
    return this.notifications.mailbox(pageRequestOf(query, 1));
  }

  @Get('mailbox/:file')
  @ApiOperation({ summary: 'Ett sparat meddelande i råformat (RFC 822), t.ex. /mailbox/12.eml' })
  @ApiProduces('message/rfc822')
  @ApiOkResponse({ description: 'Meddelandet som .eml.', content: fileContent('message/rfc822') })
  async mailboxFile(@Param('file') file: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    requireAnyRole(actor, OFFICE_ROLES, OFFICE_ONLY);
    const { name, content } = await this.notifications.mailboxFile(file, actor);
    return new StreamableFile(content, { type: 'message/rfc822', disposition: `attachment; filename="${name}"`, length: content.length });
  }
}
