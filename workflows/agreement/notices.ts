import { IN_FORCE_STATE_CODES, type AgreementStateCode } from './persistence';
import type { AgreementContext } from './types';

/**
 * The notices (e-mail at a step of the workflow, as opposed to reminders about a date): which
 * steps are told to whom. Pure: a function of the transition the engine recorded, so the service
 * writes exactly these rows in the transition's own transaction.
 */
export const NOTICE_KINDS = [
  'initiative_received',
  'initiative_receipt',
  'sent_for_signing',
  'returned_to_draft',
  'fully_signed',
  'extension_decision_opened',
  'amendment_proposed',
  'amendment_declined',
  'amendment_agreed',
  'terminated',
] as const;

export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * Who a notice goes to, resolved by the service to addresses:
 * - `secretariat`: the committee's nämndkansli (its functional address);
 * - `proposer`: the person who sent the initiative (a receipt);
 * - `signatories`: the firmatecknare the agreement names, each party's own;
 * - `samverkansgrupp`: the people of the agreement's samverkansgrupp.
 */
export type NoticeAudience = 'secretariat' | 'proposer' | 'signatories' | 'samverkansgrupp';

export interface Notice {
  kind: NoticeKind;
  audiences: readonly NoticeAudience[];
}

/** In Swedish, for the settings page: what each notice is, and who normally gets it. */
export const NOTICE_LABELS: Record<NoticeKind, { label: string; who: string }> = {
  initiative_received: { label: 'Ett nytt initiativ har kommit in', who: 'nämndkansliet' },
  initiative_receipt: { label: 'Kvitto på ett initiativ du skickat', who: 'den som skickade initiativet' },
  sent_for_signing: { label: 'En överenskommelse väntar på din signatur', who: 'parternas firmatecknare' },
  returned_to_draft: { label: 'En överenskommelse har återförts till utkast, med skälet', who: 'nämndkansliet och firmatecknarna' },
  fully_signed: { label: 'En överenskommelse är signerad av alla parter', who: 'alla parter, samverkansgruppen och nämndkansliet' },
  extension_decision_opened: { label: 'Beslut om förlängning kan fattas', who: 'firmatecknarna och nämndkansliet' },
  amendment_proposed: { label: 'Ett tillägg har föreslagits', who: 'firmatecknarna och nämndkansliet' },
  amendment_declined: { label: 'Ett tillägg har avböjts', who: 'firmatecknarna och nämndkansliet' },
  amendment_agreed: { label: 'Ett tillägg har godkänts av alla parter', who: 'alla parter, samverkansgruppen och nämndkansliet' },
  terminated: { label: 'En överenskommelse har hävts', who: 'alla parter, samverkansgruppen och nämndkansliet' },
};

/** The transition as the engine recorded it; `before` is null for the case's first row (the initiative). */
export interface RecordedTransition {
  eventType: string;
  from: AgreementStateCode | null;
  to: AgreementStateCode;
  before: AgreementContext | null;
  after: AgreementContext;
}

const EVERYONE: readonly NoticeAudience[] = ['signatories', 'samverkansgrupp', 'secretariat'];
const SIGNATORIES: readonly NoticeAudience[] = ['signatories', 'secretariat'];
const inForce = (code: AgreementStateCode | null): boolean => code !== null && IN_FORCE_STATE_CODES.includes(code);
const terminated = (code: AgreementStateCode | null): boolean => code !== null && code.startsWith('terminated');

/** The notices one recorded transition gives, in the order they are written. */
export function noticesOf(t: RecordedTransition): Notice[] {
  if (t.before === null) {
    return t.eventType === 'PROPOSE_INITIATIVE' ? [{ kind: 'initiative_received', audiences: ['secretariat'] }, { kind: 'initiative_receipt', audiences: ['proposer'] }] : [];
  }
  const notices: Notice[] = [];
  switch (t.eventType) {
    case 'SEND_FOR_SIGNING':
      notices.push({ kind: 'sent_for_signing', audiences: ['signatories'] });
      break;
    case 'RETURN_TO_DRAFT':
      notices.push({ kind: 'returned_to_draft', audiences: SIGNATORIES });
      break;
    case 'DECISION_WINDOW_OPENED':
      if (t.to.startsWith('extensionDecision')) notices.push({ kind: 'extension_decision_opened', audiences: SIGNATORIES });
      break;
    case 'PROPOSE_AMENDMENT':
      notices.push({ kind: 'amendment_proposed', audiences: SIGNATORIES });
      break;
    case 'REFUSE_AMENDMENT':
      notices.push({ kind: 'amendment_declined', audiences: SIGNATORIES });
      break;
    case 'AGREE_TO_AMENDMENT':
      // Only the last party's agreement makes the amendment the next version of the terms.
      if (t.before.amendment !== null && t.after.amendment === null) notices.push({ kind: 'amendment_agreed', audiences: EVERYONE });
      break;
    default:
      break;
  }
  if (t.from === 'signing' && inForce(t.to)) notices.push({ kind: 'fully_signed', audiences: EVERYONE });
  if (!terminated(t.from) && terminated(t.to)) notices.push({ kind: 'terminated', audiences: EVERYONE });
  return notices;
}
