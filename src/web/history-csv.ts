import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { AuditEvent } from '@app/audit/audit-event.entity';
import { csvChunks } from '@app/common/csv';
import { actorRoleLabel, historyEventLabel, outcomeLabel, STATE_LABELS } from '@workflows/agreement/labels';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import { termsEditReader, type TermsChange } from '@workflows/agreement/terms-diff';
import { dateTime } from './format';

/**
 * The history a person downloads from the agreement page: for Swedish Excel (semicolons, UTF-8
 * with a BOM, Stockholm time, Swedish labels), each terms edit with what it changed, and the hash
 * chain so an auditor can still check it. The API's /agreements/:id/history.csv stays as it was
 * (commas, codes, UTC) for the integrations that read it.
 */
const state = (code: string): string => STATE_LABELS[code as AgreementStateCode] ?? code;
const changesText = (changes: TermsChange[] | null): string => (changes ?? []).map((c) => `${c.field}: ${c.before} → ${c.after}`).join('\n');

const HEADER = ['Löpnummer', 'Tidpunkt (svensk tid)', 'Person', 'Roll', 'Organisation', 'Händelse', 'Från', 'Till', 'Utfall', 'Skäl', 'Ändrade villkor', 'Data', 'Föregående hash', 'Hash'];

export function historyCsvForPeople(batches: AsyncIterable<AuditEvent[]>): StreamableFile {
  const read = termsEditReader();
  const rows = (async function* () {
    for await (const events of batches) {
      yield events.map((e) => [
        String(e.seq),
        dateTime(e.occurredAt),
        e.actorName,
        actorRoleLabel(e.actorRole),
        e.actorOrganisationName ?? '',
        historyEventLabel(e.eventType),
        e.fromState ? state(e.fromState) : '',
        state(e.toState),
        outcomeLabel(e.outcome),
        e.reason ?? '',
        changesText(read(e)),
        JSON.stringify(e.payload),
        e.prevHash,
        e.hash,
      ]);
    }
  })();
  return new StreamableFile(Readable.from(csvChunks(HEADER, rows, ';')), { type: 'text/csv; charset=utf-8' });
}

/** A file name from the agreement's diarienummer and title: the name as it is (RFC 5987) and an ASCII fallback. */
export function historyFileName(a: { title: string; diarienummer: string | null }): { ascii: string; utf8: string } {
  const base = ['historik', a.diarienummer, a.title].filter((x): x is string => Boolean(x && x.trim())).join(' ');
  // Characters no file system takes, and control characters, become a dash.
  const utf8 = `${[...base].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '-' : c)).join('').replace(/\s+/g, ' ').trim().slice(0, 120)}.csv`;
  const ascii = `${base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120)}.csv`;
  return { ascii, utf8 };
}

/** Content-Disposition for a download: filename="ascii"; filename*=UTF-8''encoded. */
export function attachment(name: { ascii: string; utf8: string }): string {
  const encoded = encodeURIComponent(name.utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${name.ascii}"; filename*=UTF-8''${encoded}`;
}
