import { escapeHtml } from '@app/notifications/reminder-mail';

export interface InvitationMailInput {
  name: string;
  link: string;
  /** Stockholm time, 2026-12-04 20:09. */
  expiresAt: string;
  invitedBy: string;
}

/** The invitation to choose a password: the one-time link, how long it works, and whom to ask for a new one. */
export function invitationMail(input: InvitationMailInput): { subject: string; text: string; html: string } {
  const subject = 'IOP-motorn: välj ditt lösenord';
  const lines = [
    `Hej ${input.name},`,
    `${input.invitedBy} har lagt till dig i IOP-motorn, där nämndkansliet och de idéburna organisationerna följer sina överenskommelser om idéburet offentligt partnerskap.`,
    `Välj ditt lösenord med länken nedan. Den fungerar en gång och till ${input.expiresAt}; därefter kan en administratör skicka en ny.`,
    `Välj lösenord: ${input.link}`,
    'Har du inte väntat dig det här brevet kan du bortse från det: utan lösenord kan ingen logga in på kontot.',
  ];
  const html = [
    '<!DOCTYPE html>',
    `<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...lines.slice(0, 3).map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(input.link)}">Välj ditt lösenord</a></p>`,
    `<p>${escapeHtml(lines[4])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text: `${lines.join('\n\n')}\n`, html };
}
