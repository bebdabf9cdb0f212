import { escapeHtml } from '@app/notifications/reminder-mail';
import { plural } from '@app/common/plural';

export interface IncidentMailInput {
  id: string;
  summary: string;
  error: string;
  attempts: number;
  openedAt: Date;
  publicBaseUrl: string;
}

/** The secretariat's one report of a new incident: what is stuck, why, and where to act. */
export function incidentMail(input: IncidentMailInput): { subject: string; text: string; html: string } {
  const link = `${input.publicBaseUrl}/administration/incidenter`;
  const subject = `IOP-motorn: incident ${input.id} – ${input.summary}`;
  const lines = [
    'Hej,',
    `Bevakningen har misslyckats ${plural(input.attempts, 'gång', 'gånger')} med: ${input.summary}.`,
    `Fel: ${input.error}`,
    'Övriga datum och påminnelser hanteras som vanligt. Den här raden försöks igen en gång i timmen tills en administratör har rättat den och valt "Försök igen" eller avfärdat incidenten.',
    `Incidenter: ${link}`,
    'Meddelandet skickades automatiskt av IOP-motorn. Det skickas en gång per incident.',
  ];
  const html = [
    '<!DOCTYPE html>',
    `<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...lines.slice(0, 4).map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(link)}">Incidenter i IOP-motorn</a></p>`,
    `<p>${escapeHtml(lines[5])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text: `${lines.join('\n\n')}\n`, html };
}
