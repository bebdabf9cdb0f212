import { Readable } from 'node:stream';
import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, NotFoundException, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { PagedQuery, type PageQuery } from '@app/common/paged-query.decorator';
import { pageRequestOf } from '@app/common/paging';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/audit/actor';
import { requireAnyRole } from '@app/auth/access';
import { AgreementAccessService } from '@app/auth/agreement-access.service';
import { CurrentActor } from '@app/auth/current-actor.decorator';
import { CaseAccessService } from '@app/cases/case-access.service';
import { ClockService } from '@app/clock/clock.service';
import { AuditService } from './audit.service';
import { AuditCheckpointService } from './audit-checkpoint.service';
import { AuditVerifierService } from './audit-verifier.service';
import type { AuditEvent } from './audit-event.entity';
import { csvChunks, csvDocument } from '@app/common/csv';
import { fileContent } from '@app/common/view-properties';
import { AuditEventView, AuditVerificationView, CheckpointReceiptView, CheckpointSummaryView, PublicKeyView } from './dto/audit-view.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException('Överenskommelsen finns inte.') });

const CSV_COLUMNS: Array<[string, (e: AuditEvent) => string]> = [
  ['löpnummer', (e) => String(e.seq)],
  ['tidpunkt', (e) => e.occurredAt.toISOString()],
  ['person', (e) => e.actorName],
  ['roll', (e) => e.actorRole],
  ['organisation', (e) => e.actorOrganisationName ?? ''],
  ['händelse', (e) => e.eventType],
  ['från', (e) => e.fromState],
  ['till', (e) => e.toState],
  ['utfall', (e) => e.outcome],
  ['skäl', (e) => e.reason ?? ''],
  ['data', (e) => JSON.stringify(e.payload)],
  ['föregående hash', (e) => e.prevHash],
  ['hash', (e) => e.hash],
];

export function historyCsv(events: AuditEvent[]): string {
  return csvDocument(
    CSV_COLUMNS.map(([h]) => h),
    events.map((e) => CSV_COLUMNS.map(([, f]) => f(e))),
    ',',
  );
}

/** The same bytes as historyCsv, streamed: one chunk per batch of rows as it is read. */
export function historyCsvFile(batches: AsyncIterable<AuditEvent[]>): StreamableFile {
  const rows = (async function* () {
    for await (const events of batches) yield events.map((e) => CSV_COLUMNS.map(([, f]) => f(e)));
  })();
  return new StreamableFile(Readable.from(csvChunks(CSV_COLUMNS.map(([h]) => h), rows, ',')), { type: 'text/csv; charset=utf-8' });
}

/**
 * The first batch read before anything is sent (so an empty history can still be a 404), then
 * every batch; the rest are read only as the response takes them.
 */
export async function readAhead<T>(batches: AsyncGenerator<T[]>): Promise<{ empty: boolean; batches: AsyncGenerator<T[]> }> {
  const first = await batches.next();
  const empty = first.done === true || first.value.length === 0;
  return {
    empty,
    batches: (async function* () {
      try {
        if (!first.done) yield first.value;
        for (let next = await batches.next(); next.done !== true; next = await batches.next()) yield next.value;
      } finally {
        await batches.return(undefined);
      }
    })(),
  };
}

@ApiTags('Historik')
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: ClockService,
    private readonly access: AgreementAccessService,
    private readonly verifier: AuditVerifierService,
    private readonly checkpoints: AuditCheckpointService,
    private readonly cases: CaseAccessService,
  ) {}

  @Get('agreements/:id/history')
  @ApiOperation({ summary: 'Överenskommelsens historik, äldst först, en sida i taget' })
  @ApiOkResponse({ type: [AuditEventView] })
  @PagedQuery()
  async history(@Param('id', uuid) id: string, @CurrentActor() actor: Actor, @Query() query: PageQuery) {
    await this.access.requireVisible(id, actor);
    const page = pageRequestOf(query, 1);
    const events = await this.audit.historyPage(id, page);
    if (events.items.length === 0 && page.after === null) throw new NotFoundException('Överenskommelsen finns inte.');
    return events.map((event) => ({ ...event, agreementId: event.caseId }));
  }

  @Get('agreements/:id/history.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'Historiken som CSV' })
  @ApiOkResponse({ description: 'Historiken som CSV (semikolon, utf-8).', content: fileContent('text/csv') })
  async historyCsv(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    await this.access.requireVisible(id, actor);
    const history = await readAhead(this.audit.historyBatches(id));
    if (history.empty) throw new NotFoundException('Överenskommelsen finns inte.');
    return historyCsvFile(history.batches);
  }

  @Get('cases/:type/:id/history')
  @ApiOperation({ summary: 'Ett ärendes historik, för alla slags ärenden (t.ex. funding_decision), äldst först, en sida i taget' })
  @ApiOkResponse({ type: [AuditEventView] })
  @PagedQuery()
  async caseHistory(@Param('type') type: string, @Param('id') id: string, @CurrentActor() actor: Actor, @Query() query: PageQuery) {
    const kind = await this.cases.requireVisible(type, id, actor);
    const page = pageRequestOf(query, 1);
    const events = await this.audit.historyPage(id, page, type);
    if (events.items.length === 0 && page.after === null) throw new NotFoundException(`${kind.definition.noun.definite} finns inte.`);
    return events.map((event) => ({ ...event, agreementId: event.caseId }));
  }

  @Get('cases/:type/:id/history.csv')
  @ApiOperation({ summary: 'Ett ärendes historik som CSV' })
  @ApiOkResponse({ description: 'Historiken som CSV (utf-8, samma kolumner som överenskommelsernas).', content: fileContent('text/csv') })
  async caseHistoryCsv(@Param('type') type: string, @Param('id') id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const kind = await this.cases.requireVisible(type, id, actor);
    const history = await readAhead(this.audit.historyBatches(id, { caseType: type }));
    // The file (and its Content-Type) only once the case is found: a refusal is JSON and says so.
    if (history.empty) throw new NotFoundException(`${kind.definition.noun.definite} finns inte.`);
    return historyCsvFile(history.batches);
  }

  @Get('audit/verify')
  @ApiOperation({ summary: 'Kontrollera hashkedjan för varje överenskommelse, mot senast sparade kedjehuvud och senaste signerade kontrollpunkt' })
  @ApiOkResponse({ type: AuditVerificationView })
  verify(@CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['auditor', 'secretariat', 'administrator'], 'revisorer, nämndkansliet och administratörer kan kontrollera alla historiker');
    return this.verifier.verify(this.clock.now());
  }

  @Post('audit/checkpoints')
  @ApiOperation({ summary: 'Signera en kontrollpunkt över alla kedjor nu (skickas också till nämndkansliet och revisorerna)' })
  @ApiCreatedResponse({ type: CheckpointReceiptView })
  createCheckpoint(@CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['auditor', 'administrator'], 'revisorer och administratörer kan signera en kontrollpunkt');
    return this.checkpoints.create(actor.personId ?? actor.name);
  }

  @Get('audit/checkpoints')
  @ApiOperation({ summary: 'De senaste kontrollpunkterna, nyast först' })
  @ApiOkResponse({ type: [CheckpointSummaryView] })
  listCheckpoints(@CurrentActor() actor: Actor) {
    requireAnyRole(actor, ['auditor', 'secretariat', 'administrator'], 'revisorer, nämndkansliet och administratörer kan se kontrollpunkterna');
    return this.checkpoints.list();
  }

  /** Public on purpose: whoever holds a receipt checks it with this key (compare it with the one mailed out). */
  @Get('audit/checkpoints/public-key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Den publika nyckel (Ed25519) som kontrollpunkterna kontrolleras med' })
  @ApiOkResponse({ type: PublicKeyView })
  publicKey() {
    const key = this.checkpoints.signingKey;
    return { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem };
  }

  @Get('audit/checkpoints/:id/receipt')
  @ApiOperation({ summary: 'Kvittot för en kontrollpunkt (JSON med signatur och varje kedjas huvud)' })
  @ApiOkResponse({ type: CheckpointReceiptView, description: 'Kvittot som JSON-fil (Content-Disposition: attachment).' })
  async receipt(@Param('id') id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response) {
    requireAnyRole(actor, ['auditor', 'secretariat', 'administrator'], 'revisorer, nämndkansliet och administratörer kan hämta kvitton');
    const stored = /^\d{1,18}$/.test(id) ? await this.checkpoints.byId(id) : null;
    if (stored === null) throw new NotFoundException('Kontrollpunkten finns inte.');
    response.setHeader('Content-Disposition', `attachment; filename="kontrollpunkt-${stored.signed.id}.json"`);
    return this.checkpoints.receiptOf(stored);
  }
}
