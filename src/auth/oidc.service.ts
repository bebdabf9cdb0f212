import { timingSafeEqual } from 'node:crypto';
import { BadGatewayException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as openid from 'openid-client';
import { DataSource } from 'typeorm';
import { ClockService } from '@app/clock/clock.service';
import { DomainError } from '@app/common/domain-error';
import { AppConfig, type OidcConfig } from '@app/config/app-config';
import { sha256Hex } from './secrets';
import { SessionsService, type NewSession } from './sessions.service';

/** Binds a started sign-in to the browser that started it (see OidcService). */
export const OIDC_STATE_COOKIE = 'iop_oidc_state';
/** How long the user may spend at the identity provider. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

export const OIDC_OFF = 'Inloggning via kommunens identitetstjänst (OpenID Connect) är inte aktiverad.';
export const OIDC_BAD_STATE = 'Inloggningen kunde inte slutföras: den är okänd, redan använd eller för gammal. Börja om inloggningen.';
const PROVIDER_UNREACHABLE = 'Kommunens identitetstjänst svarar inte som väntat. Försök igen om en stund.';
const RETURN_TO_PROBLEM = 'returnTo ska vara en sökväg i tjänsten som börjar med /, t.ex. /agreements';

/** A JSON object from the provider (ID token claims or a userinfo answer). */
type Claims = Record<string, unknown>;

/**
 * Seconds of clock skew accepted in the ID token's iat/exp. Those are checked against the real clock
 * (the provider's tokens carry real time), the pending sign-in's expiry against ClockService like sessions.
 */
const CLOCK_TOLERANCE_S = 10;
/** Only to resolve `..` and friends in a return path; never sent anywhere. */
const RETURN_BASE = 'http://return.invalid';

interface PendingLogin {
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: Date;
}

export interface FinishedOidcLogin extends NewSession {
  personId: string;
  /** Absolute URL on this service to send the browser to. */
  redirectTo: string;
}

/**
 * Only a path on this service (`/agreements?state=active`), never `//host`, `/\host` or an absolute
 * URL: anything else would make the sign-in an open redirect.
 */
export function returnPathOf(value: unknown): string {
  if (value === undefined || value === '') return '/';
  const ok = typeof value === 'string' && value.length <= 2000 && value.startsWith('/') && !value.startsWith('//') && ![...value].some(unsafeInPath);
  const resolved = ok ? new URL(value, RETURN_BASE) : null;
  if (!resolved || resolved.origin !== RETURN_BASE) throw DomainError.validation([{ field: 'returnTo', message: RETURN_TO_PROBLEM }]);
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/** Browsers read `\` as `/`, and control characters have no place in a path. */
function unsafeInPath(char: string): boolean {
  const code = char.charCodeAt(0);
  return char === '\\' || code < 0x20 || code === 0x7f;
}

/**
 * An answer from the provider that refuses or does not verify (401 to the user), as opposed to a
 * provider that cannot be reached (502): openid-client wraps a failed request as a ClientError
 * whose cause is the fetch's TypeError.
 */
function isProviderRefusal(error: unknown): error is Error {
  if (error instanceof openid.AuthorizationResponseError || error instanceof openid.ResponseBodyError || error instanceof openid.WWWAuthenticateChallengeError) return true;
  return error instanceof openid.ClientError && !(error.cause instanceof TypeError);
}

function sameSecret(a: string, b: string): boolean {
  // Compared as hashes: equal lengths for timingSafeEqual, and no early exit on the first difference.
  return timingSafeEqual(Buffer.from(sha256Hex(a), 'hex'), Buffer.from(sha256Hex(b), 'hex'));
}

/**
 * Sign-in through the municipality's identity provider: authorization code flow with PKCE (S256),
 * state and nonce, using openid-client 6 (discovery, code exchange, ID token checks: signature by the
 * provider's JWKS, iss, aud, azp, exp/iat, nonce, and the RFC 9207 `iss` parameter).
 *
 * A started sign-in is kept in two halves. The row in oidc_login (state hashed, nonce, verifier,
 * expiry) is consumed by the first callback that names it, on whichever instance, so a replayed
 * callback fails. The state itself also goes into a short-lived HttpOnly cookie on the callback path,
 * and the callback must present it: without that, someone could send a victim their own callback
 * link and sign the victim in as themselves (login CSRF).
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('OIDC');
  /** Discovered once, on first use, so the service starts even while the provider is down. */
  private client?: Promise<openid.Configuration>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ClockService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
  ) {}

  /** The provider's authorization URL for a new sign-in, and the state for the browser-binding cookie. */
  async start(returnTo: unknown): Promise<{ authorizationUrl: string; state: string }> {
    const oidc = this.configured();
    const returnPath = returnPathOf(returnTo);
    const client = await this.oidcClient(oidc);
    const state = openid.randomState();
    const nonce = openid.randomNonce();
    const codeVerifier = openid.randomPKCECodeVerifier();
    const now = this.clock.now();
    await this.dataSource.query(`DELETE FROM oidc_login WHERE expires_at <= $1`, [now]);
    await this.dataSource.query(
      `INSERT INTO oidc_login (state_hash, nonce, code_verifier, return_to, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sha256Hex(state), nonce, codeVerifier, returnPath, now, new Date(now.getTime() + OIDC_LOGIN_TTL_MS)],
    );
    const authorizationUrl = openid.buildAuthorizationUrl(client, {
      scope: 'openid email',
      redirect_uri: oidc.redirectUri,
      state,
      nonce,
      code_challenge: await openid.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: authorizationUrl.href, state };
  }

  /**
   * The provider sent the browser back: check the state, exchange the code, verify the ID token and
   * open a session for the person with the (verified) e-mail the provider vouches for.
   */
  async finish(input: { params: Record<string, string>; stateCookie?: string; presentedSessionSecret?: string }): Promise<FinishedOidcLogin> {
    const oidc = this.configured();
    const state = input.params.state;
    if (!state || !input.stateCookie || !sameSecret(state, input.stateCookie)) throw new DomainError('validation_failed', OIDC_BAD_STATE);
    const [pending] = await this.dataSource.query<PendingLogin[]>(
      `WITH consumed AS (DELETE FROM oidc_login WHERE state_hash = $1 RETURNING nonce, code_verifier, return_to, expires_at) SELECT * FROM consumed`,
      [sha256Hex(state)],
    );
    if (!pending || new Date(pending.expires_at).getTime() <= this.clock.now().getTime()) throw new DomainError('validation_failed', OIDC_BAD_STATE);
    // Only now, with the state proven to be this browser's own: a forged callback link must not log anyone out.
    if (input.presentedSessionSecret) await this.sessions.revokeSecret(input.presentedSessionSecret);

    const claims = await this.verifiedClaims(oidc, input.params, pending);
    const personId = await this.accountFor(claims);
    const session = await this.sessions.create(personId, `OpenID Connect (${oidc.issuerUrl})`);
    return { ...session, personId, redirectTo: `${this.config.publicBaseUrl}${pending.return_to}` };
  }

  private configured(): OidcConfig {
    if (!this.config.oidc) throw new DomainError('not_found', OIDC_OFF);
    return this.config.oidc;
  }

  private oidcClient(oidc: OidcConfig): Promise<openid.Configuration> {
    this.client ??= this.discover(oidc).catch((error: unknown) => {
      this.client = undefined; // try again on the next sign-in
      this.logger.error({ msg: 'OIDC-discovery misslyckades', reason: error instanceof Error ? error.message : String(error) });
      throw new BadGatewayException(PROVIDER_UNREACHABLE);
    });
    return this.client;
  }

  private async discover(oidc: OidcConfig): Promise<openid.Configuration> {
    // Plain http only for an issuer on this machine (the config allows nothing else): tests and development.
    const insecure = new URL(oidc.issuerUrl).protocol === 'http:';
    // ID tokens signed with RS256 (the OpenID Connect default); client_secret_basic at the token endpoint.
    const config = await openid.discovery(
      new URL(oidc.issuerUrl),
      oidc.clientId,
      { client_secret: oidc.clientSecret, redirect_uris: [oidc.redirectUri], response_types: ['code'], [openid.clockTolerance]: CLOCK_TOLERANCE_S },
      openid.ClientSecretBasic(oidc.clientSecret),
      insecure ? { execute: [openid.allowInsecureRequests] } : undefined,
    );
    // Discovery must describe the issuer we were configured with (OpenID Connect Discovery 4.3); openid-client checks it too.
    const named = config.serverMetadata().issuer;
    if (named !== oidc.issuerUrl) throw new Error(`identitetstjänsten kallar sig ${named}, OIDC_ISSUER_URL är ${oidc.issuerUrl}`);
    return config;
  }

  /** The ID token's claims, e-mail from userinfo when the provider keeps it out of the ID token. */
  private async verifiedClaims(oidc: OidcConfig, params: Record<string, string>, pending: PendingLogin): Promise<{ sub: string; email: unknown; emailVerified: unknown }> {
    const client = await this.oidcClient(oidc);
    const callbackUrl = new URL(oidc.redirectUri);
    for (const [name, value] of Object.entries(params)) callbackUrl.searchParams.set(name, value);
    try {
      const tokens = await openid.authorizationCodeGrant(client, callbackUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: params.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) throw new openid.ClientError('inget ID-token i svaret');
      // fetchUserInfo refuses an answer about another sub than the ID token's.
      const source: Claims = idToken.email === undefined && tokens.access_token ? await openid.fetchUserInfo(client, tokens.access_token, idToken.sub) : idToken;
      return { sub: idToken.sub, email: source.email, emailVerified: source.email_verified };
    } catch (error) {
      if (isProviderRefusal(error)) {
        // The provider said no (e.g. access_denied when the user cancelled), or its answer did not verify.
        this.logger.warn({ msg: 'OIDC-inloggning nekad', reason: error.message });
        const cancelled = (error instanceof openid.AuthorizationResponseError || error instanceof openid.ResponseBodyError) && error.error === 'access_denied';
        throw new DomainError('unauthenticated', cancelled ? 'Inloggningen avbröts hos identitetstjänsten.' : 'Svaret från identitetstjänsten kunde inte verifieras. Börja om inloggningen.');
      }
      this.logger.error({ msg: 'OIDC-inloggning misslyckades', reason: error instanceof Error ? error.message : String(error) });
      throw new BadGatewayException(PROVIDER_UNREACHABLE);
    }
  }

  /** The enabled account of the person with this e-mail; records the provider's sub the first time. */
  private async accountFor(claims: { sub: string; email: unknown; emailVerified: unknown }): Promise<string> {
    if (typeof claims.email !== 'string' || claims.email.trim() === '' || (claims.emailVerified !== undefined && claims.emailVerified !== true)) {
      this.logger.warn({ msg: 'OIDC-inloggning nekad', reason: 'ingen bekräftad e-postadress' });
      throw new DomainError('forbidden', 'Identitetstjänsten lämnade ingen bekräftad e-postadress, så kontot kan inte avgöras.');
    }
    const email = claims.email.trim().toLowerCase();
    // The same matching as password login: case-insensitive, an exact-case match first.
    const [row] = await this.dataSource.query<Array<{ person_id: string; has_account: boolean; disabled: boolean }>>(
      `SELECT p.id AS person_id, a.person_id IS NOT NULL AS has_account, a.disabled_at IS NOT NULL AS disabled
         FROM person p LEFT JOIN account a ON a.person_id = p.id
        WHERE lower(p.email) = $1 ORDER BY (a.person_id IS NOT NULL AND a.disabled_at IS NULL) DESC, (p.email = $1) DESC LIMIT 1`,
      [email],
    );
    const refuse = (reason: string, message: string): DomainError => {
      this.logger.warn({ msg: 'OIDC-inloggning nekad', reason, personId: row?.person_id ?? null });
      return new DomainError('forbidden', message);
    };
    if (!row?.has_account) throw refuse('inget konto', `Det finns inget konto i IOP-motorn för ${email}. Kontakta nämndkansliet eller administratören.`);
    if (row.disabled) throw refuse('kontot avstängt', `Kontot för ${email} är avstängt.`);

    try {
      await this.dataSource.query(`UPDATE account SET oidc_subject = $2 WHERE person_id = $1 AND oidc_subject IS NULL`, [row.person_id, claims.sub]);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      throw refuse('identiteten hör till ett annat konto', 'Identiteten hos identitetstjänsten är redan kopplad till ett annat konto. Kontakta administratören.');
    }
    const [bound] = await this.dataSource.query<Array<{ oidc_subject: string }>>(`SELECT oidc_subject FROM account WHERE person_id = $1`, [row.person_id]);
    if (bound?.oidc_subject !== claims.sub) {
      throw refuse('annan identitet för e-postadressen', `Kontot för ${email} är kopplat till en annan identitet hos identitetstjänsten. Kontakta administratören.`);
    }
    return row.person_id;
  }
}
