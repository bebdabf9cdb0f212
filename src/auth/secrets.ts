import { createHash, randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { AppConfig } from '@app/config/app-config';

export const SESSION_COOKIE = 'iop_session';
export const API_TOKEN_PREFIX = 'iop_';

/** 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a secret: a leaked table opens no session and no integration. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `Authorization: Bearer iop_…` → the token, else undefined (other schemes are not ours). */
export function readBearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1]?.startsWith(API_TOKEN_PREFIX) ? match[1] : undefined;
}

/** The session cookie every sign-in sets (password, web form, identity provider): HttpOnly, Lax, Secure behind https. */
export function setSessionCookie(res: Response, secret: string, config: Pick<AppConfig, 'secureCookies' | 'sessionTtlHours'>): void {
  res.cookie(SESSION_COOKIE, secret, { ...sessionCookieOptions(config), maxAge: config.sessionTtlHours * 3600_000 });
}

export function clearSessionCookie(res: Response, config: Pick<AppConfig, 'secureCookies'>): void {
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(config));
}

const sessionCookieOptions = (config: Pick<AppConfig, 'secureCookies'>) => ({ httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies, path: '/' });
