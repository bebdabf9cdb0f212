import type { ReminderKind } from '@workflows/agreement/reminders';
import { plural } from '@app/common/plural';
import type { AnyDeadlineKind } from '@workflows/agreement/deadlines';
import type { AgreementContext } from '@workflows/agreement/types';
import { addMonths, type CalendarDate } from '@workflows/calendar/calendar';
import { buildCalendar, deadlineSummary, deadlineUid } from './icalendar';
import { agreementActionUrl, agreementPageUrl } from './page-links';

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
  /** Addressed to the secretariat (its copy, or its own reminder): the link is the secretariat's page to act on. */
  toSecretariat?: boolean;
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
  return n > 0 ? `Det är ${n} dagar kvar.` : `Fristen gick ut för ${plural(-n, 'dag', 'dagar')} sedan.`;
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
  calendar: { kind: AnyDeadlineKind; cycle: number; date: CalendarDate } | null;
}

/** Only aggregate figures belong in a follow-up: said in every reminder about the yearly report. */
const AGGREGATE_ONLY =
  'Rapporten innehåller bara sammanräknade uppgifter: antal deltagare under året, hur många som gjort en stegförflyttning enligt GA-modellen, ' +
  'vart deltagarna gått efter insatsen (arbete, studier, annan insats, ingen förändring) och använda platser mot avtalade. Inga personuppgifter om deltagare.';

/** Reminders about the follow-up duties: the samverkansgrupp's meeting and the partner's yearly report. */
type FollowUpReminderKind = Extract<ReminderKind, 'meeting_upcoming' | 'meeting_overdue' | 'report_upcoming' | 'report_overdue'>;

function followUpContent(input: ReminderMailInput, kind: FollowUpReminderKind, name: string): Content {
  const { agreement, deadlineDate, sendOn, cycle: year } = input;
  const context = agreement.context;
  const meetings = context.terms.followUp?.meetingsPerYear ?? 1;
  const held = context.followUps.filter((r) => r.duty === 'meeting' && r.year === year).length;
  const partners = swedishList(context.terms.parties.filter((p) => p.kind === 'civil_society').map((p) => p.name));
  const meetingDuty = `Enligt överenskommelsen ska samverkansgruppen träffas minst ${meetings === 1 ? 'en gång' : `${meetings} gånger`} per år för att följa upp arbetet.`;
  const meetingStatus = `För ${year} har ${held} av ${meetings} möten registrerats.`;
  const registerMeeting = 'Nämndkansliet registrerar mötet (datum, deltagare och anteckningar) i IOP-motorn; då upphör påminnelserna.';
  const reportDuty = `${partners} ska lämna en skriftlig rapport om arbetet under ${year} till nämnden.`;
  switch (kind) {
    case 'meeting_upcoming':
      return {
        subject: `Påminnelse: uppföljningsmöte ${year} för IOP ${agreement.title} senast ${deadlineDate}`,
        paragraphs: [`Samverkansgruppen för ${name} ska hålla årets uppföljningsmöte senast ${deadlineDate}. ${daysLeft(sendOn, deadlineDate)}`, `${meetingDuty} ${meetingStatus}`, registerMeeting],
        calendar: { kind: 'follow_up_meeting', cycle: year, date: deadlineDate },
      };
    case 'meeting_overdue':
      return {
        subject: `Försenat: uppföljningsmöte ${year} för IOP ${agreement.title} saknas`,
        paragraphs: [`Inget uppföljningsmöte för ${year} har registrerats för ${name}; det skulle ha hållits senast ${deadlineDate}. ${daysLeft(sendOn, deadlineDate)}`, `${meetingDuty} ${meetingStatus}`, `Nämndkansliet behöver sammankalla samverkansgruppen. ${registerMeeting}`],
        calendar: null,
      };
    case 'report_upcoming':
      return {
        subject: `Påminnelse: årsrapport ${year} för IOP ${agreement.title} senast ${deadlineDate}`,
        paragraphs: [`${reportDuty} Sista dag är ${deadlineDate}. ${daysLeft(sendOn, deadlineDate)}`, `Det gäller ${name}. ${AGGREGATE_ONLY}`, 'Rapporten lämnas i IOP-motorn av en medlem eller firmatecknare i organisationen; då upphör påminnelserna.'],
        calendar: { kind: 'yearly_report', cycle: year, date: deadlineDate },
      };
    case 'report_overdue':
      return {
        subject: `Försenat: årsrapport ${year} för IOP ${agreement.title} saknas`,
        paragraphs: [`Årsrapporten för ${year} om ${name} skulle ha lämnats senast ${deadlineDate} men har inte kommit in. ${daysLeft(sendOn, deadlineDate)}`, `${reportDuty} Nämndkansliet behöver påminna ${partners}.`, AGGREGATE_ONLY],
        calendar: null,
      };
  }
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
    case 'meeting_upcoming':
    case 'meeting_overdue':
    case 'report_upcoming':
    case 'report_overdue':
      return followUpContent(input, input.kind, name);
  }
}

/**
 * The page a reminder sends the person to, and the words before the link: the signing page for a
 * signatory whose signature is missing, the meeting form for the secretariat (who registers the
 * meeting); everyone else the agreement's page, which lists what that person may do now (a member
 * of the samverkansgrupp who is no signatory cannot consent to an extension, for one).
 */
export function reminderLink(input: Pick<ReminderMailInput, 'kind' | 'publicBaseUrl' | 'agreement' | 'toSecretariat'>): { url: string; words: string } {
  const { publicBaseUrl: base, agreement } = input;
  const page = { url: agreementPageUrl(base, agreement.id), words: 'Öppna överenskommelsen' };
  switch (input.kind) {
    case 'signature_missing':
      return input.toSecretariat ? page : { url: agreementActionUrl(base, agreement.id, 'SIGN'), words: 'Signera' };
    case 'meeting_upcoming':
    case 'meeting_overdue':
      return input.toSecretariat ? { url: `${agreementPageUrl(base, agreement.id)}/uppfoljning/mote`, words: 'Registrera uppföljningsmötet' } : page;
    case 'decision_upcoming':
    case 'decision_overdue':
    case 'report_upcoming':
    case 'report_overdue':
    case 'new_agreement_needed':
      return page;
  }
}

/** Subject, plain text and HTML body, and an iCalendar attachment for the deadline the reminder is about. */
export function reminderMail(input: ReminderMailInput): ReminderMail {
  const content = contentOf(input);
  const { url: link, words } = reminderLink(input);
  const greeting = input.recipientName ? `Hej ${input.recipientName},` : 'Hej,';
  const copyNote = input.copy ? 'Kopia till nämndkansliet av en påminnelse som gått till parternas firmatecknare.' : null;
  const paragraphs = [...(copyNote ? [copyNote] : []), ...content.paragraphs];
  const footer = 'Meddelandet skickades automatiskt av IOP-motorn (datumbevakningen). Svara inte på det; kontakta nämndkansliet.';

  const text = [greeting, ...paragraphs, `${words}: ${link}`, `-- \n${footer}`].join('\n\n') + '\n';
  const html = [
    '<!DOCTYPE html>',
    '<html lang="sv"><head><meta charset="utf-8"><title>' + escapeHtml(content.subject) + '</title></head><body>',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(words)}: ${escapeHtml(input.agreement.title)}</a></p>`,
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
