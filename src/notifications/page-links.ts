/**
 * Where the e-mails, the weekly digest and the calendar feed send a person: the web pages (which
 * take a signed-out person through sign-in and back), never the JSON API. The routes are the web
 * controllers' (src/web/agreement-pages.controller.ts, follow-up-pages.controller.ts).
 */
export const agreementPagePath = (id: string): string => `/overenskommelser/${id}`;

export const agreementPageUrl = (publicBaseUrl: string, id: string): string => `${publicBaseUrl}${agreementPagePath(id)}`;

/** The page of one action on an agreement (the signing page: /overenskommelser/:id/handelser/SIGN). */
export const agreementActionUrl = (publicBaseUrl: string, id: string, eventType: string): string => `${agreementPageUrl(publicBaseUrl, id)}/handelser/${eventType}`;

/** The settings page, where a person chooses their notices and manages their calendar link. */
export const SETTINGS_PATH = '/mina-installningar';
/** The mailbox page. */
export const MAILBOX_PATH = '/brevlada';
