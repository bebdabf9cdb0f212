import type { InvitationRefusal } from '@app/auth/invitations.service';
import { MIN_PASSWORD_LENGTH } from '@app/auth/password-policy';
import { errorSummary, FormState, textField } from '../forms';
import { dateTime } from '../format';
import { html } from '../html';
import { page } from '../layout';

/** The form behind an invitation's link: the person's address (for password managers) and the new password twice. */
export function choosePasswordPage(o: { token: string; name: string; email: string; expiresAt: Date; form?: FormState }): string {
  const form = o.form ?? new FormState();
  // The fields first: the summary names each problem by its field's label.
  const fields = html`${textField(form, { name: 'password', label: 'Nytt lösenord', type: 'password', autocomplete: 'new-password', required: true, value: '', hint: `Minst ${MIN_PASSWORD_LENGTH} tecken. Gärna flera ord; vanliga lösenord, mönster och ditt namn godtas inte.` })}
        ${textField(form, { name: 'repeat', label: 'Samma lösenord igen', type: 'password', autocomplete: 'new-password', required: true, value: '' })}`;
  return page({
    title: 'Välj lösenord',
    actor: null,
    body: html`<h1>Välj lösenord</h1>
      <p class="lead">Välkommen, ${o.name}. Välj lösenordet du ska logga in med i IOP-motorn. Länken fungerar en gång, till ${dateTime(o.expiresAt)}.</p>
      ${errorSummary(form)}
      <form method="post" action="/konto/losenord" novalidate class="agreement-terms">
        <input type="hidden" name="token" value="${o.token}">
        <div class="field"><label for="konto-epost">E-postadress</label><input type="email" id="konto-epost" name="username" value="${o.email}" autocomplete="username" readonly></div>
        ${fields}
        <button type="submit">Spara lösenordet</button>
      </form>`,
  });
}

const REFUSALS: Record<InvitationRefusal, { title: string; lead: string }> = {
  unknown: { title: 'Länken fungerar inte', lead: 'Länken är inte en giltig inbjudan. Kontrollera att du har fått med hela adressen från e-postbrevet, eller be en administratör skicka en ny inbjudan.' },
  used: { title: 'Länken är redan använd', lead: 'Inbjudans länk fungerar bara en gång, och den här har redan använts (eller ersatts av en nyare inbjudan). Har du valt ditt lösenord kan du logga in; annars kan en administratör skicka en ny inbjudan.' },
  expired: { title: 'Länken har gått ut', lead: 'Inbjudans länk fungerar i 72 timmar, och den här tiden har passerat. Be en administratör skicka en ny inbjudan.' },
};

/** Why the link cannot be used, in Swedish, with the way forward. */
export function invitationRefusedPage(reason: InvitationRefusal): string {
  const { title, lead } = REFUSALS[reason];
  return page({ title, actor: null, body: html`<h1>${title}</h1><p class="lead">${lead}</p><p><a href="/logga-in">Till inloggningen</a></p>` });
}
