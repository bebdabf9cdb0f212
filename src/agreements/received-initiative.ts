/** How an initiative the secretariat registers on an organisation's behalf reached it. */
export const RECEIVED_VIA = ['paper', 'email', 'other'] as const;
export type ReceivedVia = (typeof RECEIVED_VIA)[number];

/** The channels in Swedish, as the form offers them and the history tells them. */
export const RECEIVED_VIA_LABELS: Record<ReceivedVia, string> = { paper: 'Papper', email: 'E-post', other: 'Annat' };
const RECEIVED_VIA_WORDS: Record<ReceivedVia, string> = { paper: 'på papper', email: 'med e-post', other: 'på annat sätt' };

/** The history's sentence for it: the audit row's actor is the secretariat person, this says for whom and how. */
export const receivedWords = (organisationName: string, via: ReceivedVia, receivedOn: string | null): string =>
  `Registrerat av nämndkansliet för ${organisationName}: initiativet kom in ${RECEIVED_VIA_WORDS[via]}${receivedOn ? ` (mottaget ${receivedOn})` : ''}.`;
