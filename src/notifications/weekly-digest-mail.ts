import type { CalendarDate } from '@workflows/calendar/calendar';
import { pluralWord } from '@app/common/plural';
import { buildCalendar, type CalendarEntry } from './icalendar';
import { escapeHtml } from './reminder-mail';
import { agreementPageUrl } from './page-links';

export interface DigestItem {
  agreementId: string;
  title: string;
  diarienummer: string | null;
  date: CalendarDate;
  /** What the date is, in Swedish, e.g. "sista dag för beslut om förlängning". */
  what: string;
  stateLabel: string;
  overdue: boolean;
  /** For the calendar attachment; overdue items have none. */
  uid: string | null;
  summary: string | null;
  /** Cases of other kinds than the agreement: their page, and their kind's name before the title ('Beslut om medel'). */
  url?: string;
  kindName?: string;
}

/** An open incident: background work that keeps failing and needs an administrator. */
export interface DigestIncident {
  id: string;
  summary: string;
  error: string;
  attempts: number;
  openedOn: CalendarDate;
  /** Outbox only: the message may have reached the recipient anyway. */
  possiblyDelivered: boolean;
}

export interface DigestInput {
  week: string;
  /** Open incidents; the section is left out when there are none. */
  incidents?: DigestIncident[];
  today: CalendarDate;
  horizonDays: number;
  items: DigestItem[];
  /** There were more dates than the digest lists: the mail says so and links to Bevakning. */
  truncated?: boolean;
  publicBaseUrl: string;
  stamp: Date;
}

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
  ics: string | null;
}

const byDate = (a: DigestItem, b: DigestItem): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.title.localeCompare(b.title, 'sv'));

/** Overdue first, then every date within the horizon, each list by date. */
export function orderDigest(items: DigestItem[]): DigestItem[] {
  return [...items.filter((i) => i.overdue).sort(byDate), ...items.filter((i) => !i.overdue).sort(byDate)];
}

export function weeklyDigestMail(input: DigestInput): DigestMail {
  const items = orderDigest(input.items);
  const overdue = items.filter((i) => i.overdue);
  const upcoming = items.filter((i) => !i.overdue);
  const link = (i: DigestItem): string => i.url ?? agreementPageUrl(input.publicBaseUrl, i.agreementId);
  const titled = (i: DigestItem): string => (i.kindName ? `${i.kindName} ${i.title}` : i.title);
  const name = (i: DigestItem): string => (i.diarienummer ? `${titled(i)} (dnr ${i.diarienummer})` : titled(i));
  // With other kinds of case listed the column names the case, not the agreement; an agreements-only digest is as it was.
  const caseColumn = items.some((i) => i.kindName) ? 'Ärende' : 'Överenskommelse';
  const incidents = input.incidents ?? [];
  const incidentsLink = `${input.publicBaseUrl}/administration/incidenter`;
  const incidentLine = (i: DigestIncident): string =>
    `${i.summary} (öppnad ${i.openedOn}, ${i.attempts} försök${i.possiblyDelivered ? ', kan ha levererats' : ''}): ${i.error}`;
  const rest = `Det finns fler datum än de ${items.length} som står här; alla finns under Bevakning`;
  const subject = `IOP veckobrev ${input.week}: ${overdue.length} ${pluralWord(overdue.length, 'försenat', 'försenade')}, ${upcoming.length}${input.truncated ? ' eller fler' : ''} datum de närmaste ${input.horizonDays} dagarna`;

  const textLines = (list: DigestItem[]): string[] =>
    list.length ? list.map((i) => `- ${i.date}  ${name(i)}: ${i.what} [${i.stateLabel}]\n  ${link(i)}`) : ['- Inga.'];
  const text = [
    'Hej,',
    `Här är veckans sammanställning av datum för idéburna offentliga partnerskap (${input.today}).`,
    `FÖRSENAT (${overdue.length})\n${textLines(overdue).join('\n')}`,
    `DE NÄRMASTE ${input.horizonDays} DAGARNA (${upcoming.length})\n${textLines(upcoming).join('\n')}`,
    ...(input.truncated ? [`${rest}: ${input.publicBaseUrl}/bevakning`] : []),
    ...(incidents.length ? [`ÖPPNA INCIDENTER (${incidents.length})\n${incidents.map((i) => `- ${incidentLine(i)}`).join('\n')}\n  ${incidentsLink}`] : []),
    `Alla överenskommelser: ${input.publicBaseUrl}/portfolj`,
  ].join('\n\n') + '\n';

  const table = (list: DigestItem[]): string =>
    list.length
      ? [
          `<table cellpadding="4" style="border-collapse:collapse"><thead><tr><th align="left">Datum</th><th align="left">${caseColumn}</th><th align="left">Vad</th><th align="left">Läge</th></tr></thead><tbody>`,
          ...list.map(
            (i) =>
              `<tr><td>${escapeHtml(i.date)}</td><td><a href="${escapeHtml(link(i))}">${escapeHtml(name(i))}</a></td><td>${escapeHtml(i.what)}</td><td>${escapeHtml(i.stateLabel)}</td></tr>`,
          ),
          '</tbody></table>',
        ].join('\n')
      : '<p>Inga.</p>';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    '<p>Hej,</p>',
    `<p>Här är veckans sammanställning av datum för idéburna offentliga partnerskap (${escapeHtml(input.today)}).</p>`,
    `<h2>Försenat (${overdue.length})</h2>`,
    table(overdue),
    `<h2>De närmaste ${input.horizonDays} dagarna (${upcoming.length})</h2>`,
    table(upcoming),
    ...(input.truncated ? [`<p>${escapeHtml(rest)}: <a href="${escapeHtml(`${input.publicBaseUrl}/bevakning`)}">Bevakning</a></p>`] : []),
    ...(incidents.length
      ? [
          `<h2>Öppna incidenter (${incidents.length})</h2>`,
          `<ul>${incidents.map((i) => `<li>${escapeHtml(incidentLine(i))}</li>`).join('')}</ul>`,
          `<p><a href="${escapeHtml(incidentsLink)}">Incidenter i administrationen</a></p>`,
        ]
      : []),
    `<p><a href="${escapeHtml(`${input.publicBaseUrl}/portfolj`)}">Alla överenskommelser</a></p>`,
    '</body></html>',
  ].join('\n');

  const entries: CalendarEntry[] = upcoming
    .filter((i): i is DigestItem & { uid: string; summary: string } => i.uid !== null && i.summary !== null)
    .map((i) => ({ uid: i.uid, date: i.date, summary: i.summary, url: link(i) }));
  const ics = entries.length ? buildCalendar({ name: `IOP-datum ${input.week}`, entries, stamp: input.stamp }) : null;
  return { subject, text, html, ics };
}
