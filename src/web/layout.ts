import type { Actor } from '@app/audit/actor';
import { roleLabels } from '@workflows/agreement/labels';
import { mayOpen, mayPropose, mayRegisterReceived } from './access';
import { html, trustedHtml, type Html } from './html';

export interface Flash {
  kind: 'success' | 'error';
  text: string;
}

export interface PageInput {
  /** The page's own name; the <title> adds the service's name. */
  title: string;
  actor: Actor | null;
  /** The nav item to mark as the current page. */
  current?: string;
  flash?: Flash | null;
  body: Html;
  /** A page made to be printed (the portfolio's print view). */
  print?: boolean;
}

export const SERVICE_NAME = 'IOP-motorn';

/** Roles in Swedish words (workflows/agreement/labels.ts owns them). */
export const roleWords = roleLabels;

/** A main-menu entry a kind of case contributes (CaseKind.navigation). */
export interface KindMenuEntry {
  path: string;
  label: string;
  roles?: readonly string[];
}

/**
 * Where the kinds' menu entries come from. page() is a pure function called by every view and the
 * exception filter; rather than thread the entries through all of them, the web module points this
 * at the CaseRegistry once at start. Read on every page, so the kinds' registration order does not matter.
 */
let kindMenu: () => readonly KindMenuEntry[] = () => [];

export function useKindMenu(source: () => readonly KindMenuEntry[]): void {
  kindMenu = source;
}

const mayOpenEntry = (actor: Actor, entry: KindMenuEntry): boolean => !entry.roles || actor.roles.some((r) => entry.roles?.includes(r));

/**
 * Where the number of things waiting in Att göra goes: page() stays pure, and the inbox module's
 * middleware replaces the marker when the page is sent (or removes it), counting only for a page.
 */
export const INBOX_COUNT_MARKER = '<!--att-gora-antal-->';

function navigation(actor: Actor, current: string | undefined): Html {
  const items: Array<[string, string, boolean]> = [
    ['/att-gora', 'Att göra', true],
    ['/bevakning', 'Bevakning', mayOpen(actor, 'watch')],
    ['/mina-overenskommelser', 'Mina överenskommelser', mayOpen(actor, 'mine')],
    ['/portfolj', 'Portfölj', mayOpen(actor, 'portfolio')],
    ...kindMenu().map((e): [string, string, boolean] => [e.path, e.label, mayOpenEntry(actor, e)]),
    // The committees' meeting calendar is shared by the kinds: everyone signed in reads it.
    ['/sammantradesplan', 'Sammanträdesplan', true],
    ['/initiativ/ny', 'Nytt initiativ', mayPropose(actor) || mayRegisterReceived(actor)],
    ['/granskning', 'Granskning', mayOpen(actor, 'audit')],
    ['/rapporter', 'Årsrapport', mayOpen(actor, 'report')],
    ['/namndbesok', 'Nämndbesök', mayOpen(actor, 'visits')],
    ['/administration', 'Administration', mayOpen(actor, 'administration')],
    // Everyone's own: the messages sent to them, and which come by e-mail.
    ['/brevlada', 'Brevlådan', true],
    ['/mina-installningar', 'Mina inställningar', true],
  ];
  return html`<nav aria-label="Huvudmeny"><ul class="nav">${items
    .filter(([, , shown]) => shown)
    .map(([href, label]) => html`<li><a href="${href}"${current === href ? html` aria-current="page"` : ''}>${label}${href === '/att-gora' ? trustedHtml(INBOX_COUNT_MARKER) : ''}</a></li>`)}</ul></nav>`;
}

function header(actor: Actor | null, current: string | undefined): Html {
  const who = actor
    ? html`<div class="who"><span>${actor.name}${actor.organisationName ? html`, ${actor.organisationName}` : ''} <span class="muted">(${roleWords(actor.roles)})</span></span>
        <form method="post" action="/logga-ut"><button type="submit" class="link-button">Logga ut</button></form></div>`
    : '';
  return html`<header class="site-header">
    <div class="bar"><a class="brand" href="/">${SERVICE_NAME}<span class="brand-sub">Idéburet offentligt partnerskap</span></a>${who}</div>
    ${actor ? navigation(actor, current) : ''}
  </header>`;
}

/** Every page: Swedish, a skip link, header with navigation, one main landmark and a footer. */
export function page(input: PageInput): string {
  const flash = input.flash
    ? html`<div class="flash flash-${input.flash.kind}" role="${input.flash.kind === 'error' ? 'alert' : 'status'}">${input.flash.text}</div>`
    : '';
  return html`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} – ${SERVICE_NAME}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/iop.css">
<script src="/assets/iop.js" defer></script>
</head>
<body${input.print ? html` class="print-view"` : ''}>
<a class="skip-link" href="#innehall">Hoppa till innehållet</a>
${header(input.actor, input.current)}
<main id="innehall" tabindex="-1">
${flash}
${input.body}
</main>
<footer class="site-footer"><p>${SERVICE_NAME} – livscykeln för idéburet offentligt partnerskap. <a href="/api/docs">API-dokumentation</a></p></footer>
</body>
</html>
`.value;
}
