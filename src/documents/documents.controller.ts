import { Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { fileContent } from '@app/common/view-properties';
import { DocumentView } from './document-view.dto';
import type { Response } from 'express';
import type { Actor } from '@app/audit/actor';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { AgreementsService } from '@app/agreements/agreements.service';
import { DocumentsService } from './documents.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });
const HASH = /^[0-9a-f]{64}$/;

/** The agreement's documents, for those who may see the agreement (its parties, the secretariat, auditors). */
@ApiTags('documents')
@Controller('agreements/:id/documents')
export class DocumentsController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly documents: DocumentsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Överenskommelsens dokument: varje version för underskrift och det undertecknade, med SHA-256.' })
  @ApiOkResponse({ type: DocumentView, isArray: true })
  async list(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    return this.documents.list(await this.agreements.get(id, actor));
  }

  @Get(':file')
  @Header('Content-Type', 'application/pdf')
  @ApiOperation({ summary: 'Ett dokument som PDF, efter sin SHA-256 (`:hash.pdf`; `?ladda-ner=1` som bilaga).' })
  @ApiOkResponse({ description: 'PDF-filen, oförändrad sedan den lagrades.', content: fileContent('application/pdf') })
  async download(@Param('id', uuid) id: string, @Param('file') file: string, @Query('ladda-ner') asAttachment: string | undefined, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const agreement = await this.agreements.get(id, actor);
    const hash = file.replace(/\.pdf$/, '');
    if (!HASH.test(hash)) throw new NotFoundException('Dokumentet finns inte.');
    const bytes = await this.documents.bytes(id, hash);
    if (!bytes) throw new NotFoundException('Dokumentet finns inte.');
    const name = `${agreement.title.replace(/[^\p{L}\p{N} _-]/gu, '').trim() || 'overenskommelse'} ${hash.slice(0, 12)}.pdf`;
    res.setHeader('Content-Disposition', `${asAttachment === undefined ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('X-Content-SHA256', hash);
    return new StreamableFile(bytes);
  }
}
