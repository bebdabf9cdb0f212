import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { NotificationsService } from './notifications.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

@ApiTags('Utskick')
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('agreements/:id/notifications')
  @ApiOperation({ summary: 'Alla utskick som gäller överenskommelsen: mottagare, ämne, status, försök och senaste fel' })
  forAgreement(@Param('id', uuid) id: string) {
    return this.notifications.forAgreement(id);
  }

  @Get('notifications/failed')
  @ApiOperation({ summary: 'Utskick som inte kunde levereras (för administratörer)' })
  failed() {
    return this.notifications.failed();
  }

  @Get('mailbox')
  @ApiOperation({ summary: 'Den lokala brevlådan: utskick sparade som .eml-filer när SMTP_URL inte är satt' })
  mailbox() {
    return this.notifications.mailbox();
  }

  @Get('mailbox/:file')
  @ApiOperation({ summary: 'Ett sparat meddelande i råformat (RFC 822), t.ex. /mailbox/12.eml' })
  @ApiProduces('message/rfc822')
  async mailboxFile(@Param('file') file: string): Promise<StreamableFile> {
    const { name, content } = await this.notifications.mailboxFile(file);
    return new StreamableFile(content, { type: 'message/rfc822', disposition: `attachment; filename="${name}"`, length: content.length });
  }
}
