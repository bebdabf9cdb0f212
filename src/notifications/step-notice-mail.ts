import type { Deadline } from '@workflows/agreement/deadlines';
import { decisionDueDate } from '@workflows/agreement/machine';
import { DEADLINE_LABELS, TERMINATION_GROUND_LABELS } from '@workflows/agreement/labels';
import type { NoticeKind } from '@workflows/agreement/notices';
import type { AgreementContext, TerminationGround } from '@workflows/agreement/types';
import { addMonths } from '@workflows/calendar/calendar';
import { escapeHtml, swedishList } from './reminder-mail';
import { RECEIVED_VIA, receivedWords, type ReceivedVia } from '@app/agreements/received-initiative';
import { agreementPageUrl, SETTINGS_PATH } from './page-links';

const isReceivedVia = (value: unknown): value is ReceivedVia => typeof value === 'string' && (RECEIVED_VIA as readonly string[]).includes(value);

/** What one notice e-mail is about; everything it says comes from here (pure: no clock, no database). */
export interface StepNoticeInput {
  kind: NoticeKind;
  agreement: { id: string; title: string; diarienummer: string | null; context: AgreementContext; before: AgreementContext | null };
  /** The command's fields (the returning party's reason, the refusing party). */
  payload: Record<string, unknown>;
  /** Who did the step, as the history names them. */
  actorName: string;
  /** The agreement's dates after the step, earliest first (deadlinesOf). */
  deadlines: readonly Deadline[];
  /** The last day it can run to if every remaining extension is used (latestPossibleEnd). */
  latestEnd: string | null;
  recipientName: string | null;
  /** The party the recipient signs for, when the notice asks them to act for it. */
  party: string | null;
  publicBaseUrl: string;
  /** The day of the step (Stockholm). */
  on: string;
}

export interface StepNoticeMail {
  subject: string;
  text: string;
  html: string;
  /** The page the notice links to (a signing page, or the agreement's). */
  link: string;
}

/** Whole kronor with spaces between thousands, as the pages write them. */
export const kronor = (n: number): string => `${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} kr`;

const nameOf = (a: StepNoticeInput['agreement']): string => (a.diarienummer ? `${a.title} (dnr ${a.diarienummer})` : a.title);

interface Content {
  subject: string;
  paragraphs: string[];
  link: { path: string; words: string };
}

function partyName(context: AgreementContext, organisationId: unknown): string {
  return context.terms.parties.find((p) => p.organisationId === organisationId)?.name ?? 'En part';
}

function validity(context: AgreementContext): string | null {
  const start = context.terms.validity.startDate;
  const end = context.endDate ?? context.terms.validity.endDate;
  return start && end ? `Överenskommelsen gäller från och med ${start} till och med ${end}.` : null;
}

/** What the agreement is, in a few lines: parties, what each contributes, the yearly total. */
function summary(context: AgreementContext): string[] {
  const { parties, economics } = context.terms;
  const lines = [`Parter: ${swedishList(parties.map((p) => p.name))}.`];
  if (economics) {
    const share = (id: string) => economics.contributions.find((c) => c.organisationId === id);
    lines.push(
      `Ekonomi: ${kronor(economics.totalKr)} per år (${parties
        .map((p) => {
          const c = share(p.organisationId);
          return c ? `${p.name} ${kronor(c.amountKr)}` : null;
        })
        .filter((x): x is string => x !== null)
        .join(', ')}).`,
    );
  }
  return lines;
}

function datesOf(deadlines: readonly Deadline[]): string | null {
  // The start and the end are in the validity line; the rest (follow-up duties, the next period) here.
  const upcoming = deadlines.filter((d) => d.kind !== 'start' && d.kind !== 'end');
  return upcoming.length ? `Kommande datum: ${upcoming.map((d) => `${DEADLINE_LABELS[d.kind]} ${d.dueDate}`).join('; ')}.` : null;
}

/** When the extension decision is due, and how long the agreement can run with every extension. */
function extensionDates(context: AgreementContext, latestEnd: string | null): string | null {
  const ext = context.terms.extension;
  const due = decisionDueDate(context);
  if (!ext || !due || ext.maxExtensions - context.extensionsUsed <= 0) return null;
  return `Beslut om förlängning ska fattas av samtliga parter senast ${due}.${latestEnd ? ` Med alla återstående förlängningar kan överenskommelsen gälla till och med ${latestEnd}.` : ''}`;
}

function contentOf(input: StepNoticeInput): Content {
  const { agreement, payload, on } = input;
  const context = agreement.context;
  const name = nameOf(agreement);
  const title = agreement.title;
  const page = { path: '', words: `Öppna ${title}` };
  const present = (xs: Array<string | null>): string[] => xs.filter((x): x is string => x !== null && x !== '');
  switch (input.kind) {
    case 'initiative_received':
      return {
        subject: `Nytt initiativ: IOP ${title}`,
        paragraphs: present([
          isReceivedVia(payload.receivedVia)
            ? `${partyName(context, context.proposedBy)} har tagit initiativ till ett idéburet offentligt partnerskap: ${name}. ${receivedWords(partyName(context, context.proposedBy), payload.receivedVia, typeof payload.receivedOn === 'string' ? payload.receivedOn : null)} Inlagt i IOP-motorn av ${input.actorName}.`
            : `${partyName(context, context.proposedBy)} har skickat in ett initiativ till ett idéburet offentligt partnerskap: ${name}. Det kom in ${context.proposedOn} från ${input.actorName}.`,
          'Nämndkansliet tar upp initiativet till utkast eller avböjer det med ett skäl.',
          ...summary(context),
        ]),
        link: { path: '', words: `Öppna initiativet ${title}` },
      };
    case 'initiative_receipt':
      return {
        subject: `Kvitto: initiativet ${title} har kommit in`,
        paragraphs: [
          `Tack! Initiativet ${name} från ${partyName(context, context.proposedBy)} kom in till nämndkansliet ${context.proposedOn}.`,
          'Nämndkansliet tar upp det till utkast och förhandlar villkoren med er, eller avböjer det med ett skäl. Du får ett meddelande när det skickas för signering.',
        ],
        link: page,
      };
    case 'sent_for_signing':
      return {
        subject: `Att signera: IOP ${title}`,
        paragraphs: present([
          `${name} skickades för signering ${context.signingSince ?? on}.${input.party ? ` Du är firmatecknare för ${input.party} och ombeds signera för ${input.party}.` : ''}`,
          ...summary(context),
          validity(context),
          'Överenskommelsen träder i kraft när samtliga parter har signerat. Vill ni ändra något återför ni den till utkast med ett skäl i stället.',
        ]),
        link: input.party ? { path: '/handelser/SIGN', words: `Signera ${title}` } : page,
      };
    case 'returned_to_draft': {
      const reason = context.lastReturn?.reason ?? (typeof payload.reason === 'string' ? payload.reason : '');
      return {
        subject: `Återförd till utkast: IOP ${title}`,
        paragraphs: [
          `${partyName(context, context.lastReturn?.organisationId ?? payload.organisationId)} har återfört ${name} till utkast ${context.lastReturn?.on ?? on}, med skälet: ”${reason}”`,
          'Signaturer som redan lämnats gäller inte längre. Nämndkansliet ändrar villkoren och skickar överenskommelsen för signering igen.',
        ],
        link: page,
      };
    }
    case 'fully_signed':
      return {
        subject: `Signerad av alla parter: IOP ${title}`,
        paragraphs: present([
          `${name} är nu signerad av samtliga parter.`,
          `Signaturer: ${context.signatures.map((s) => `${partyName(context, s.organisationId)} ${s.on}`).join(', ')}.`,
          ...summary(context),
          validity(context),
          extensionDates(context, input.latestEnd),
          datesOf(input.deadlines),
        ]),
        link: page,
      };
    case 'extension_decision_opened': {
      const ext = context.terms.extension;
      const due = context.decision?.dueDate ?? '';
      const remaining = ext ? Math.max(0, ext.maxExtensions - context.extensionsUsed) : 0;
      return {
        subject: `Beslut om förlängning: IOP ${title} senast ${due}`,
        paragraphs: present([
          `Beslut om förlängning av ${name} kan nu fattas och ska vara fattat av samtliga parter senast ${due}: ${swedishList(context.terms.parties.map((p) => p.name))}.`,
          ext ? `Förlängningar: ${context.extensionsUsed} av ${ext.maxExtensions} använda, ${remaining} återstår (${ext.periodMonths} månader per förlängning).` : null,
          context.endDate && ext && remaining > 0 ? `Överenskommelsen gäller nu till och med ${context.endDate}; vid förlängning till och med ${addMonths(context.endDate, ext.periodMonths)}.` : null,
          'Varje parts firmatecknare samtycker till förlängningen eller avböjer den med ett skäl. Fattas inget beslut av samtliga parter upphör överenskommelsen när perioden går ut.',
        ]),
        // The signatories to their decision page; the secretariat (no party) to the agreement's.
        link: input.party ? { path: '/handelser/CONSENT_TO_EXTENSION', words: `Lämna ert beslut om ${title}` } : page,
      };
    }
    case 'amendment_proposed': {
      const a = context.amendment;
      return {
        subject: `Tillägg föreslaget: IOP ${title}${a ? ` från ${a.effectiveFromYear}` : ''}`,
        paragraphs: present([
          a ? `Ett tillägg till ${name} har föreslagits ${a.proposedOn}: ny ekonomi från ${a.effectiveFromYear}, ${kronor(a.economics.totalKr)} per år. Skäl: ”${a.reason}”` : null,
          'Varje parts firmatecknare godkänner tillägget eller avböjer det med ett skäl. Tidigare år ändras inte.',
        ]),
        link: input.party ? { path: '/handelser/AGREE_TO_AMENDMENT', words: `Godkänn eller avböj tillägget till ${title}` } : page,
      };
    }
    case 'amendment_declined': {
      const a = agreement.before?.amendment ?? null;
      return {
        subject: `Tillägg avböjt: IOP ${title}`,
        paragraphs: present([
          `${partyName(context, payload.organisationId)} har avböjt tillägget till ${name}${a ? ` (ny ekonomi från ${a.effectiveFromYear})` : ''} ${on}, med skälet: ”${typeof payload.reason === 'string' ? payload.reason : ''}”`,
          'Tillägget gäller inte. Villkoren är oförändrade; nämndkansliet kan föreslå ett nytt tillägg.',
        ]),
        link: page,
      };
    }
    case 'amendment_agreed': {
      const version = context.termsVersions.at(-1);
      return {
        subject: `Tillägg godkänt: IOP ${title}`,
        paragraphs: present([
          `Samtliga parter har godkänt tillägget till ${name}.`,
          version ? `Från ${version.effectiveFromYear} gäller villkorsversion ${version.version}${version.economics ? `: ${kronor(version.economics.totalKr)} per år` : ''}. Skäl: ”${version.reason ?? ''}”` : null,
          version ? `Godkänt av: ${version.agreedBy.map((s) => `${partyName(context, s.organisationId)} ${s.on}`).join(', ')}.` : null,
        ]),
        link: page,
      };
    }
    case 'terminated': {
      const t = context.termination;
      const how =
        t?.kind === 'declared'
          ? `${t.declaredBy === 'secretariat' ? 'Nämndkansliet' : partyName(context, t.declaredBy)} har hävt ${name} med omedelbar verkan ${t.effectiveOn}, på grund av ${TERMINATION_GROUND_LABELS[t.ground as TerminationGround].toLowerCase()}: ”${t.reason ?? ''}”`
          : `${name} har hävts ${t?.effectiveOn ?? on} efter samtycke från samtliga parter.`;
      return {
        subject: `Hävd: IOP ${title}`,
        paragraphs: [how, 'Den ekonomiska regleringen återstår: kostnader som faktiskt uppkommit enligt överenskommelsen ersätts, och ingen part har därefter några ytterligare anspråk.'],
        link: page,
      };
    }
  }
}

/** Subject, plain text and HTML body of one notice to one person, with a link to the page to act on. */
export function stepNoticeMail(input: StepNoticeInput): StepNoticeMail {
  const content = contentOf(input);
  const link = `${agreementPageUrl(input.publicBaseUrl, input.agreement.id)}${content.link.path}`;
  const greeting = input.recipientName ? `Hej ${input.recipientName},` : 'Hej,';
  const footer = 'Meddelandet skickades automatiskt av IOP-motorn. Vilka meddelanden du får väljer du under Mina inställningar. Svara inte på det; kontakta nämndkansliet.';
  const settings = `${input.publicBaseUrl}${SETTINGS_PATH}`;
  const text = [greeting, ...content.paragraphs, `${content.link.words}: ${link}`, `-- \n${footer}\n${settings}`].join('\n\n') + '\n';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head><body>`,
    `<p>${escapeHtml(greeting)}</p>`,
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(content.link.words)}</a></p>`,
    `<p style="color:#666;font-size:smaller">${escapeHtml(footer)} <a href="${escapeHtml(settings)}">Mina inställningar</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html, link };
}
