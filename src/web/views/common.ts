import { ALL_STATE_CODES, type AgreementStateCode } from '@workflows/agreement/persistence';
import { STATE_LABELS } from '@workflows/agreement/labels';
import type { Choice } from '../forms';
import { html, type Html } from '../html';

export const agreementPath = (id: string): string => `/overenskommelser/${id}`;

export const stateTag = (state: string, label: string): Html =>
  html`<span class="tag ${state === 'extensionDecision.overdue' ? 'tag-overdue' : 'tag-state'}">${label}</span>`;

export const STATE_CHOICES: Choice[] = ALL_STATE_CODES.map((c: AgreementStateCode) => ({ value: c, label: STATE_LABELS[c] }));

/** A page heading with the lead text under it. */
export const heading = (title: string, lead?: string | Html): Html => html`<h1>${title}</h1>${lead ? html`<p class="lead">${lead}</p>` : ''}`;

/**
 * A table in a scroll container of its own: on a narrow screen it scrolls inside the page, never the
 * page. The container is a named region reachable by keyboard, so it can be scrolled without a mouse.
 */
export const tableScroll = (label: string, table: Html): Html => html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
