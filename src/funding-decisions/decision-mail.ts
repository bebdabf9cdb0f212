import { FOLLOW_UP_KIND_LABELS, OUTCOME_LABELS } from '@workflows/funding-decision/labels';
import type { FundingDecisionContext } from '@workflows/funding-decision/types';
import { escapeHtml } from '@app/notifications/reminder-mail';

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

const kronor = (amount: number): string => `${amount.toLocaleString('sv-SE').replace(/\u00a0/g, ' ')} kr`;

function mail(subject: string, paragraphs: string[], link: { href: string; label: string }): Mail {
  const text = `${[...paragraphs, `${link.label}: ${link.href}`, 'Meddelandet skickades av IOP-motorn.'].join('\n\n')}\n`;
  const html = [
    '<!DOCTYPE html>',
    `<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    '<p>Meddelandet skickades av IOP-motorn.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** The decision as sent to one recipient (expediering): what was decided, by whom, and how it is followed up. */
export function decisionMail(context: FundingDecisionContext, recipientName: string, pageUrl: string, copyFor?: string[]): Mail {
  const decision = context.decision;
  const outcome = decision ? OUTCOME_LABELS[decision.outcome].toLowerCase() : 'ej fattat';
  const { proposal } = context;
  const followUps = proposal.followUps.map((f) => `– ${FOLLOW_UP_KIND_LABELS[f.kind]} vid sammanträdet ${f.meeting.date}`).join('\n');
  const paragraphs = [
    copyFor ? 'Hej nämndkansliet,' : `Till ${recipientName},`,
    `${context.committee} har ${decision ? `den ${decision.decidedOn} (${decision.paragraph})` : ''} fattat beslut i ärendet ”${context.title}”: medel ${outcome}.`,
    `Beslutet: ${proposal.summary}`,
    `Belopp: ${kronor(proposal.amountKr)} (budgetpost ${proposal.budgetLine}), till ${proposal.partner.name}, för perioden ${proposal.period.startDate}–${proposal.period.endDate}.`,
    ...(decision?.outcome === 'granted' && followUps ? [`Uppföljning:\n${followUps}`] : []),
    `Beredning: ${context.preparedBy} (${proposal.officials.map((o) => o.name).join(', ')}).`,
    ...(copyFor ? [`Beslutet har skickats till: ${copyFor.join(', ') || 'ingen med e-postadress'}.`] : []),
    ...(copyFor && proposal.recipients.some((r) => !r.email)
      ? [`Utan e-postadress, expediera på annat sätt: ${proposal.recipients.filter((r) => !r.email).map((r) => r.name).join(', ')}.`]
      : []),
  ];
  return mail(`Beslut: ${context.title} – ${outcome}`, paragraphs, { href: pageUrl, label: 'Ärendet i IOP-motorn' });
}

const REMINDER_WORDS: Record<string, string> = {
  agenda_papers_upcoming: 'handlingar till sammanträdet',
  oral_check_in_upcoming: 'muntlig avstämning närmar sig',
  written_evaluation_upcoming: 'skriftlig utvärdering närmar sig',
  follow_up_overdue: 'uppföljning försenad',
};
export const FUNDING_REMINDER_WORDS: Readonly<Record<string, string>> = REMINDER_WORDS;

/** A reminder to the officials (and the secretariat) about a date of the decision. */
export function fundingReminderMail(context: FundingDecisionContext, reminder: { kind: string; deadlineDate: string }, recipientName: string, pageUrl: string): Mail {
  const overdue = reminder.kind === 'follow_up_overdue';
  const what = REMINDER_WORDS[reminder.kind] ?? reminder.kind;
  const paragraphs = [
    `Hej ${recipientName},`,
    overdue
      ? `En uppföljning av ”${context.title}” redovisades inte vid sammanträdet före ${reminder.deadlineDate}. Registrera den när den har redovisats, eller planera den till ett senare sammanträde.`
      : `Påminnelse för ”${context.title}”: ${what}. Underlaget ska vara inne senast ${reminder.deadlineDate} (sista dag för handlingar till sammanträdet).`,
    `${context.committee}, ${kronor(context.proposal.amountKr)} till ${context.proposal.partner.name}.`,
  ];
  return mail(`${overdue ? 'Försenad uppföljning' : 'Påminnelse'}: ${context.title} – ${reminder.deadlineDate}`, paragraphs, { href: pageUrl, label: 'Ärendet i IOP-motorn' });
}
