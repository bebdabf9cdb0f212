import { errorSummary, FormState, textField } from '../forms';
import { html } from '../html';
import { page, type Flash } from '../layout';

/** `oidc`: the installation also signs people in through its identity provider (OIDC_* settings). */
export function signInPage(o: { email: string; returnTo: string | null; problem: string | null; oidc: boolean; flash?: Flash | null }): string {
  const form = new FormState({ email: o.email }, o.problem ? [{ field: 'email', message: o.problem }] : []);
  const fields = html`${textField(form, { name: 'email', label: 'E-postadress', type: 'email', autocomplete: 'username', required: true })}
    ${textField(form, { name: 'password', label: 'Lösenord', type: 'password', autocomplete: 'current-password', required: true, value: '' })}`;
  return page({
    title: 'Logga in',
    actor: null,
    flash: o.flash,
    body: html`<h1>Logga in</h1>
      <p class="lead">Logga in med ditt konto för att se bevakningen, dina överenskommelser och det som väntar på dig.</p>
      ${errorSummary(form)}
      <form method="post" action="/logga-in" novalidate class="agreement-terms">
        ${o.returnTo ? html`<input type="hidden" name="tillbaka" value="${o.returnTo}">` : ''}
        ${fields}
        <button type="submit">Logga in</button>
      </form>
      ${o.oidc ? html`<h2>Eller</h2><p><a class="button button-secondary" href="/auth/oidc/login?returnTo=${encodeURIComponent(o.returnTo ?? '/')}">Logga in med organisationens inloggning</a></p>` : ''}`,
  });
}
