import type { ReminderKind } from '@workflows/agreement/reminders';
import type { DeadlineKind } from '@workflows/agreement/deadlines';
import type { AgreementContext } from '@workflows/agreement/types';
import { addMonths, type CalendarDate } from '@workflows/calendar/calendar';
import { buildCalendar, deadlineSummary, deadlineUid } from './icalendar';

/** What a reminder e-mail is about; everything it says comes from here (pure, no clock, no database). */
export interface ReminderMailInput {
  kind: ReminderKind;
  cycle: number;
  deadlineDate: CalendarDate;
  /** The day the reminder is sent (for "n dagar kvar"). */
  sendOn: CalendarDate;
  agreement: { id: string; title: string; diarienummer: string | null; context: AgreementContext };
  recipientName: string | null;
  /** The secretariat's copy of a message addressed to others. */
  copy: boolean;
  publicBaseUrl: string;
  /** DTSTAMP of the attachment. */
  stamp: Date;
}

export interface ReminderMail {
  subject: string;
  text: string;
  html: string;
  ics: string | null;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** "A, B och C" */
export function swedishList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`;
}

function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function daysLeft(sendOn: CalendarDate, deadline: CalendarDate): string {
  const n = daysBetween(sendOn, deadline);
  if (n === 0) return 'Det är sista dagen idag.';
  if (n === 1) return 'Det är 1 dag kvar.';
  return n > 0 ? `Det är ${n} dagar kvar.` : `Fristen gick ut för ${-n} dagar sedan.`;
}

const agreementName = (a: ReminderMailInput['agreement']): string => (a.diarienummer ? `${a.title} (dnr ${a.diarienummer})` : a.title);

function extensionLines(context: AgreementContext): string[] {
  const ext = context.terms.extension;
  if (!ext) return ['Överenskommelsen saknar villkor om förlängning.'];
  const remaining = Math.max(0, ext.maxExtensions - context.extensionsUsed);
  const lines = [`Förlängningar: ${context.extensionsUsed} av ${ext.maxExtensions} använda, ${remaining} återstår (${ext.periodMonths} månader per förlängning).`];
  if (context.endDate) {
    lines.push(`Överenskommelsen gäller nu till och med ${context.endDate}.`);
    if (remaining > 0) lines.push(`Vid förlängning gäller den till och med ${addMonths(context.endDate, ext.periodMonths)}.`);
  }
  return lines;
}

interface Content {
  subject: string;
  /** Paragraphs; the first is the one that says what must be done, by whom and when. */
  paragraphs: string[];
  calendar: { kind: DeadlineKind; cycle: number; date: CalendarDate } | null;
}

function contentOf(input: ReminderMailInput): Content {
  const { agreement, deadlineDate, sendOn } = input;
  const context = agreement.context;
  const parties = context.terms.parties;
  const names = (ids: string[]): string[] => parties.filter((p) => ids.includes(p.organisationId)).map((p) => p.name);
  const allNames = parties.map((p) => p.name);
  const name = agreementName(agreement);

  switch (input.kind) {
    case 'decision_upcoming':
    case 'decision_overdue': {
      const consented = (context.decision?.consents ?? []).map((c) => c.organisationId);
      const undecided = parties.filter((p) => !consented.includes(p.organisationId)).map((p) => p.name);
      const status = consented.length
        ? `Samtycke har lämnats av ${swedishList(names(consented))}; beslut återstår för ${swedishList(undecided)}.`
        : 'Ingen part har ännu lämnat sitt beslut.';
      if (input.kind === 'decision_upcoming') {
        return {
          subject: `Påminnelse: beslut om förlängning av IOP ${agreement.title} senast ${deadlineDate}`,
          paragraphs: [
            `Beslut om förlängning ska fattas senast ${deadlineDate} av samtliga parter: ${allNames.join(', ')}.`,
            `Det gäller den idéburna offentliga partnerskapsöverenskommelsen ${name}. ${daysLeft(sendOn, deadlineDate)} ${status}`,
            ...extensionLines(context),
            'Fattas inget beslut av samtliga parter upphör överenskommelsen när perioden går ut.',
          ],
          calendar: { kind: 'decision_due', cycle: input.cycle, date: deadlineDate },
        };
      }
      return {
        subject: `Försenat: beslut om förlängning av IOP ${agreement.title} skulle ha fattats senast ${deadlineDate}`,
        paragraphs: [
          `Beslut om förlängning av ${name} skulle ha fattats senast ${deadlineDate} av samtliga parter: ${allNames.join(', ')}. ${status}`,
          `Nämndkansliet behöver följa upp med parterna. ${context.endDate ? `Utan beslut upphör överenskommelsen efter ${context.endDate}.` : ''}`.trim(),
          ...extensionLines(context),
        ],
        calendar: context.endDate ? { kind: 'end', cycle: context.extensionsUsed, date: context.endDate } : null,
      };
    }
    case 'new_agreement_needed': {
      const refusal = context.pastDecisions.find((d) => d.refusal)?.refusal ?? context.decision?.refusal ?? null;
      const why = refusal
        ? `Förlängning avböjdes av ${swedishList(names([refusal.organisationId]))} (${refusal.reason}).`
        : `Alla förlängningar är använda (${context.extensionsUsed} av ${context.terms.extension?.maxExtensions ?? context.extensionsUsed}).`;
      return {
        subject: `Ny överenskommelse behövs: IOP ${agreement.title} upphör ${deadlineDate}`,
        paragraphs: [
          `${name} gäller till och med ${deadlineDate} och kan inte förlängas. ${why}`,
          `Ska samarbetet fortsätta behöver en ny överenskommelse tas fram och beslutas av samtliga parter före ${deadlineDate}: ${allNames.join(', ')}. ${daysLeft(sendOn, deadlineDate)}`,
          ...extensionLines(context),
        ],
        calendar: { kind: 'end', cycle: context.extensionsUsed, date: deadlineDate },
      };
    }
    case 'signature_missing': {
      const signed = context.signatures.map((s) => s.organisationId);
      const missing = parties.filter((p) => !signed.includes(p.organisationId)).map((p) => p.name);
      return {
        subject: `Signatur saknas: IOP ${agreement.title}`,
        paragraphs: [
          `${name} skickades för signering ${deadlineDate}. Firmatecknare för ${swedishList(missing)} har ännu inte signerat.`,
          signed.length ? `Signerat har: ${swedishList(names(signed))}.` : 'Ingen part har signerat ännu.',
          'Överenskommelsen träder i kraft först när samtliga parter har signerat.',
        ],
        calendar: null,
      };
    }
  }
}

/** Subject, plain text and HTML body, and an iCalendar attachment for the deadline the reminder is about. */
export function reminderMail(input: ReminderMailInput): ReminderMail {
  const content = contentOf(input);
  const link = `${input.publicBaseUrl}/agreements/${input.agreement.id}`;
  const greeting = input.recipientName ? `Hej ${input.recipientName},` : 'Hej,';
  const copyNote = input.copy ? 'Kopia till nämndkansliet av en påminnelse som gått till parternas firmatecknare.' : null;
  const paragraphs = [...(copyNote ? [copyNote] : []), ...content.paragraphs];
  const footer = 'Meddelandet skickades automatiskt av IOP-motorn (datumbevakningen). Svara inte på det; kontakta nämndkansliet.';

  const text = [greeting, ...paragraphs, `Överenskommelsen: ${link}`, `-- \n${footer}`].join('\n\n') + '\n';
  const html = [
    '<!DOCTYPE html>',
    '<html lang="sv"><head><meta charset="utf-8"><title>' + escapeHtml(content.subject) + '</title></head><body>',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}">Öppna ${escapeHtml(input.agreement.title)}</a></p>`,
    `<p style="color:#666;font-size:smaller">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');

  const host = hostOf(input.publicBaseUrl);
  const ics = content.calendar
    ? buildCalendar({
        name: `IOP ${input.agreement.title}`,
        stamp: input.stamp,
        entries: [
          {
            uid: deadlineUid(input.agreement.id, content.calendar.kind, content.calendar.cycle, host),
            date: content.calendar.date,
            summary: deadlineSummary(input.agreement.title, content.calendar.kind),
            description: content.paragraphs[0],
            url: link,
          },
        ],
      })
    : null;
  return { subject: content.subject, text, html, ics };
}

export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
