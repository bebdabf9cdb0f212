import { Body, Controller, Get, Header, Post, NotFoundException, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { requireSignedIn } from '@app/auth/access';
import { fileContent } from '@app/common/view-properties';
import { DocumentTemplateView, DocumentView, NewDocumentTemplateDto } from './document-view.dto';
import { DocumentTemplatesService } from './document-templates.service';
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

/** The municipality's standard texts for värdegrund and uppsägning och hävning, versioned; the secretariat adds versions. */
@ApiTags('documents')
@Controller('document-templates')
export class DocumentTemplatesController {
  constructor(private readonly templates: DocumentTemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'Kommunens gällande standardtexter (version 0 = tjänstens inbyggda text).' })
  @ApiOkResponse({ type: DocumentTemplateView, isArray: true })
  current(@CurrentActor() actor: Actor) {
    requireSignedIn(actor);
    return this.templates.current();
  }

  @Post()
  @ApiOperation({ summary: 'Nästa version av en standardtext (nämndkansliet). Gäller utkast som skickas för signering därefter.' })
  @ApiCreatedResponse({ type: DocumentTemplateView })
  add(@Body() dto: NewDocumentTemplateDto, @CurrentActor() actor: Actor) {
    return this.templates.add(dto.section, dto.text, actor);
  }
}
