import type { RequestAuth } from './request-auth';
import type { SessionsService } from './sessions.service';

/** How the person behind a request proved who they are, in the words of a signature page. */
export async function signInMethodOf(auth: RequestAuth, sessions: SessionsService): Promise<string> {
  switch (auth.method) {
    case 'session':
      return (auth.sessionId ? await sessions.signedInWith(auth.sessionId) : null) ?? 'Inloggning (sätt ej registrerat)';
    case 'token':
      return 'API-token';
    case 'header':
      return 'Utvecklingshuvud x-person-id (TRUST_ACTOR_HEADER)';
    case 'anonymous':
      return 'Ej inloggad';
  }
}
