import { html, type Html } from '../html';

/**
 * The links under a paged list: to the next page (the list's cursor) and back to the first. The
 * path keeps the page's own query (filters) so paging never loses them.
 */
export function pager(path: string, next: string | null, onLaterPage: boolean): Html {
  if (!next && !onLaterPage) return html``;
  const to = (after: string | null): string => {
    const url = new URL(path, 'http://x');
    url.searchParams.delete('after');
    url.searchParams.delete('klart');
    if (after) url.searchParams.set('after', after);
    return `${url.pathname}${url.search}`;
  };
  return html`<nav class="pager" aria-label="Sidor">
    ${onLaterPage ? html`<a href="${to(null)}">Första sidan</a>` : ''}
    ${next ? html`<a href="${to(next)}" rel="next">Nästa sida</a>` : ''}
  </nav>`;
}
