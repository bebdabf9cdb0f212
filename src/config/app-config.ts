import * as path from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

/** Raw environment: a plain string map (process.env or a test's own object). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type AppLogLevel = (typeof LOG_LEVELS)[number];

/** off, a hop count, or addresses/subnets/Express's names (loopback, linklocal, uniquelocal), comma-separated. */
const TRUST_PROXY_PATTERN = /^(?:off|false|0|[1-9]|10|(?:[0-9a-f.:]+(?:\/\d{1,3})?|loopback|linklocal|uniquelocal)(?:\s*,\s*(?:[0-9a-f.:]+(?:\/\d{1,3})?|loopback|linklocal|uniquelocal))*)$/;

/** Express's `trust proxy`: false (the socket's address is the client's), a hop count, or trusted proxy addresses. */
export type TrustProxy = false | number | string[];

function trustProxyOf(value: string | undefined): TrustProxy {
  if (value === undefined || ['off', 'false', '0'].includes(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}

const PORT_MESSAGE = 'måste vara ett heltal 1–65535';

/** An IPv4 or IPv6 address, or a host name: what `server.listen(port, host)` takes. */
const HOST_PATTERN = /^(?:[0-9a-fA-F:.]+|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)$/;

/** What `npm start` (demo data, demo passwords) listens on unless HOST says otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/** Thrown by loadConfig, in Swedish then English, when NODE_ENV=production has no DATABASE_URL. */
export const PRODUCTION_NEEDS_DATABASE_URL =
  'DATABASE_URL saknas: med NODE_ENV=production startar ingen inbäddad PostgreSQL. ' +
  'Ange DATABASE_URL=postgres://tjänstens-roll:lösenord@värd:5432/databas (och MIGRATION_DATABASE_URL för ägarrollen som kör migreringarna), ' +
  'eller starta utan NODE_ENV=production för utveckling. ' +
  '/ DATABASE_URL is not set: with NODE_ENV=production no embedded PostgreSQL is started. ' +
  'Set DATABASE_URL=postgres://service-role:password@host:5432/database (and MIGRATION_DATABASE_URL for the owner role that runs the migrations), ' +
  'or start without NODE_ENV=production for development.';

/** Strict integer parsing: '80abc' or '8.5' stay strings so @IsInt rejects them. */
function toInt({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
}

/**
 * The environment as declared input. Only decorated keys survive (whitelist), so the rest of
 * process.env never leaks into the app. Empty strings are treated as unset before validation.
 */
class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: PORT_MESSAGE })
  @Min(1, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT?: number;

  @IsOptional()
  @Matches(HOST_PATTERN, { message: 'måste vara en adress att lyssna på: 127.0.0.1 (bara den här maskinen), 0.0.0.0 (alla gränssnitt) eller ett värdnamn' })
  HOST?: string;

  /** Only `production` means anything here: no embedded PostgreSQL, so DATABASE_URL is required. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'måste vara en postgres://-adress' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'måste vara en postgres://-adress' })
  MIGRATION_DATABASE_URL?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['on', 'off', 'true', 'false', '1', '0'], { message: 'måste vara on eller off' })
  ALLOW_PRIVILEGED_DATABASE_ROLE?: string;

  @IsOptional()
  @Matches(/^\S(.*\S)?$/, { message: 'måste vara en sökväg till en PEM-fil med en Ed25519-nyckel' })
  AUDIT_SIGNING_KEY_FILE?: string;

  @IsOptional()
  @Matches(/^\S(.*\S)?$/, { message: 'måste vara en sökväg till kommunens certifikat som PKCS#12-fil (.p12/.pfx)' })
  DOCUMENT_SEAL_P12_FILE?: string;

  @IsOptional()
  DOCUMENT_SEAL_P12_PASSPHRASE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal timmar 0–8760 (0 stänger av)' })
  @Min(0, { message: 'måste vara ett heltal antal timmar 0–8760 (0 stänger av)' })
  @Max(8760, { message: 'måste vara ett heltal antal timmar 0–8760 (0 stänger av)' })
  AUDIT_CHECKPOINT_INTERVAL_HOURS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,2}$/.test(value.trim()) ? Number(value.trim()) : typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn([...Array.from({ length: 24 }, (_, hour) => hour), 'off'], { message: 'måste vara en timme 0–23 (Stockholms tid) eller off' })
  AUDIT_VERIFY_HOUR?: number | 'off';

  @IsOptional()
  @IsEmail({}, { message: 'måste vara en e-postadress' })
  AUDITOR_EMAIL?: string;

  @IsOptional()
  @IsString({ message: 'måste vara en katalogsökväg' })
  @MinLength(1, { message: 'måste vara en katalogsökväg' })
  DATA_DIR?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'måste vara en smtp:// eller smtps://-adress' })
  SMTP_URL?: string;

  @IsOptional()
  @IsEmail({}, { message: 'måste vara en e-postadress' })
  SECRETARIAT_EMAIL?: string;

  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'måste vara en http(s)-adress' },
  )
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn([...LOG_LEVELS, 'log'], { message: `måste vara en av ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: string;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'måste vara ett ISO 8601-datum (t.ex. 2025-01-31 eller 2025-01-31T09:00:00+01:00)' })
  CLOCK_START?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: PORT_MESSAGE })
  @Min(1, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  EMBEDDED_POSTGRES_PORT?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['on', 'off', 'true', 'false', '1', '0'], { message: 'måste vara on eller off' })
  DEMO_DATA?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal millisekunder (0 stänger av)' })
  @Min(0, { message: 'måste vara ett heltal antal millisekunder (0 stänger av)' })
  TIMER_SWEEP_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal dagar 1–3660' })
  @Min(1, { message: 'måste vara ett heltal antal dagar 1–3660' })
  @Max(3660, { message: 'måste vara ett heltal antal dagar 1–3660' })
  DIGEST_HORIZON_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal månader 1–120' })
  @Min(1, { message: 'måste vara ett heltal antal månader 1–120' })
  @Max(120, { message: 'måste vara ett heltal antal månader 1–120' })
  CALENDAR_MONTHS_AHEAD?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal anslutningar 1–200' })
  @Min(1, { message: 'måste vara ett heltal antal anslutningar 1–200' })
  @Max(200, { message: 'måste vara ett heltal antal anslutningar 1–200' })
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal millisekunder 100–600000' })
  @Min(100, { message: 'måste vara ett heltal antal millisekunder 100–600000' })
  @Max(600_000, { message: 'måste vara ett heltal antal millisekunder 100–600000' })
  DATABASE_POOL_ACQUIRE_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal månader 0–120' })
  @Min(0, { message: 'måste vara ett heltal antal månader 0–120' })
  @Max(120, { message: 'måste vara ett heltal antal månader 0–120' })
  CALENDAR_MONTHS_BACK?: number;

  @IsOptional()
  @Matches(/^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, { message: 'måste vara en avsändare, t.ex. IOP-motorn <noreply@example.se>' })
  MAIL_FROM?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal millisekunder (0 stänger av)' })
  @Min(0, { message: 'måste vara ett heltal antal millisekunder (0 stänger av)' })
  OUTBOX_SEND_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal millisekunder, minst 100' })
  @Min(100, { message: 'måste vara ett heltal antal millisekunder, minst 100' })
  OUTBOX_SEND_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal millisekunder 0–60000' })
  @Min(0, { message: 'måste vara ett heltal antal millisekunder 0–60000' })
  @Max(60_000, { message: 'måste vara ett heltal antal millisekunder 0–60000' })
  SHUTDOWN_DRAIN_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal 1–50' })
  @Min(1, { message: 'måste vara ett heltal 1–50' })
  @Max(50, { message: 'måste vara ett heltal 1–50' })
  SMTP_MAX_CONNECTIONS?: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(['on', 'off', 'true', 'false', '1', '0'], { message: 'måste vara on eller off' })
  TRUST_ACTOR_HEADER?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal timmar 1–720' })
  @Min(1, { message: 'måste vara ett heltal antal timmar 1–720' })
  @Max(720, { message: 'måste vara ett heltal antal timmar 1–720' })
  SESSION_TTL_HOURS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal minuter 1–43200' })
  @Min(1, { message: 'måste vara ett heltal antal minuter 1–43200' })
  @Max(43200, { message: 'måste vara ett heltal antal minuter 1–43200' })
  SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'måste vara identitetstjänstens (OpenID Connect) http(s)-adress' },
  )
  OIDC_ISSUER_URL?: string;

  @IsOptional()
  @IsString({ message: 'måste vara klient-id:t hos identitetstjänsten' })
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString({ message: 'måste vara klienthemligheten hos identitetstjänsten' })
  OIDC_CLIENT_SECRET?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(TRUST_PROXY_PATTERN, { message: 'måste vara off, ett antal proxysteg (1–10) eller en kommaseparerad lista av adresser/nät (t.ex. loopback, 10.0.0.0/8)' })
  TRUST_PROXY?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal dagar 1–366' })
  @Min(1, { message: 'måste vara ett heltal antal dagar 1–366' })
  @Max(366, { message: 'måste vara ett heltal antal dagar 1–366' })
  API_TOKEN_TTL_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal 1–100000' })
  @Min(1, { message: 'måste vara ett heltal 1–100000' })
  @Max(100000, { message: 'måste vara ett heltal 1–100000' })
  UNSEEN_AGREEMENT_ATTEMPTS_PER_MINUTE?: number;

  @IsOptional()
  @Matches(/^\/[^\r\n]*$/, { message: 'måste vara en absolut sökväg till Chromium, t.ex. /usr/bin/chromium' })
  CHROMIUM_PATH?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal 1–8' })
  @Min(1, { message: 'måste vara ett heltal 1–8' })
  @Max(8, { message: 'måste vara ett heltal 1–8' })
  PDF_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal 0–100' })
  @Min(0, { message: 'måste vara ett heltal 0–100' })
  @Max(100, { message: 'måste vara ett heltal 0–100' })
  PDF_QUEUE_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal rader 10–100000' })
  @Min(10, { message: 'måste vara ett heltal antal rader 10–100000' })
  @Max(100000, { message: 'måste vara ett heltal antal rader 10–100000' })
  AUDIT_READ_BATCH_ROWS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal minuter 1–1440' })
  @Min(1, { message: 'måste vara ett heltal antal minuter 1–1440' })
  @Max(1440, { message: 'måste vara ett heltal antal minuter 1–1440' })
  READINESS_MAX_TIMER_DELAY_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal minuter 0–1440 (0 stänger av kontrollen)' })
  @Min(0, { message: 'måste vara ett heltal antal minuter 0–1440 (0 stänger av kontrollen)' })
  @Max(1440, { message: 'måste vara ett heltal antal minuter 0–1440 (0 stänger av kontrollen)' })
  READINESS_MAX_SWEEP_AGE_MINUTES?: number;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,}$/, { message: 'måste vara minst 16 tecken utan mellanslag' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal millisekunder (0 stänger av)' })
  @Min(0, { message: 'måste vara ett heltal antal millisekunder (0 stänger av)' })
  RETENTION_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal dagar 0–3660' })
  @Min(0, { message: 'måste vara ett heltal antal dagar 0–3660' })
  @Max(3660, { message: 'måste vara ett heltal antal dagar 0–3660' })
  RETENTION_SESSION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal dagar 1–3660' })
  @Min(1, { message: 'måste vara ett heltal antal dagar 1–3660' })
  @Max(3660, { message: 'måste vara ett heltal antal dagar 1–3660' })
  RETENTION_LOGIN_ATTEMPT_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal dagar 1–3660' })
  @Min(1, { message: 'måste vara ett heltal antal dagar 1–3660' })
  @Max(3660, { message: 'måste vara ett heltal antal dagar 1–3660' })
  RETENTION_MAIL_BODY_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal kilobyte 1–10240' })
  @Min(1, { message: 'måste vara ett heltal antal kilobyte 1–10240' })
  @Max(10240, { message: 'måste vara ett heltal antal kilobyte 1–10240' })
  JSON_BODY_LIMIT_KB?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'måste vara ett heltal antal kilobyte 1–10240' })
  @Min(1, { message: 'måste vara ett heltal antal kilobyte 1–10240' })
  @Max(10240, { message: 'måste vara ett heltal antal kilobyte 1–10240' })
  FORM_BODY_LIMIT_KB?: number;
}

export interface OidcConfig {
  /** Exactly as the provider names itself in discovery and in every ID token's `iss`. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** PUBLIC_BASE_URL + /auth/oidc/callback, registered with the provider. */
  redirectUri: string;
}

const OIDC_VARIABLES = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** All three OIDC_* or none (off); the issuer over https, plain http only on the machine itself (tests, development). */
function oidcConfigOf(parsed: EnvironmentVariables, publicBaseUrl: string): OidcConfig | undefined {
  const { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = parsed;
  if (issuerUrl === undefined && clientId === undefined && clientSecret === undefined) return undefined;
  if (issuerUrl === undefined || clientId === undefined || clientSecret === undefined) {
    const missing = OIDC_VARIABLES.filter((name) => parsed[name] === undefined);
    throw new ConfigError([`${missing.join(' och ')} saknas: inloggning via OpenID Connect kräver ${OIDC_VARIABLES.join(', ')} tillsammans`]);
  }
  const issuer = new URL(issuerUrl);
  if (issuer.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)) {
    throw new ConfigError(['OIDC_ISSUER_URL måste vara en https-adress (http bara för localhost)']);
  }
  if (issuer.search || issuer.hash) throw new ConfigError(['OIDC_ISSUER_URL får inte ha frågedel eller fragment']);
  return Object.freeze({ issuerUrl, clientId, clientSecret, redirectUri: `${publicBaseUrl}/auth/oidc/callback` });
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Ogiltig konfiguration: ${problems.join('; ')}`);
  }
}

/** Typed, validated configuration. Built once at start; inject it (ConfigModule) instead of reading process.env. */
export class AppConfig {
  /** HTTP port. */
  readonly port!: number;
  /** Address the HTTP server listens on: 127.0.0.1 unless HOST says otherwise (the image sets 0.0.0.0). */
  readonly host!: string;
  /** On SIGTERM, how long /health answers 503 (so proxies stop sending requests here) before the app closes. */
  readonly shutdownDrainMs!: number;
  /** External PostgreSQL; undefined means the embedded server in `${dataDir}/postgres`. */
  readonly databaseUrl?: string;
  /** Owner role for migrations; defaults to databaseUrl. Ignored with the embedded server (it makes both roles). */
  readonly migrationDatabaseUrl?: string;
  /** Start even when the service's role could alter the audit history (superuser, owner, UPDATE/DELETE on it). */
  readonly allowPrivilegedDatabaseRole!: boolean;
  /** Ed25519 private key (PEM) that signs audit checkpoints; undefined means one generated under dataDir. */
  readonly auditSigningKeyFile?: string;
  /** The municipality's certificate (PKCS#12) that seals signed agreements; undefined means a self-signed development certificate under dataDir. */
  readonly documentSealP12File?: string;
  readonly documentSealP12Passphrase!: string;
  /** Hours between signed audit checkpoints; 0 = only on demand. */
  readonly auditCheckpointIntervalHours!: number;
  /** The hour (Europe/Stockholm) after which each day's scheduled verification of every chain runs; null = only on demand. */
  readonly auditVerifyHour!: number | null;
  /** The auditors' mailbox; gets every checkpoint receipt besides the secretariat. */
  readonly auditorEmail?: string;
  /** Absolute path to local state (embedded PostgreSQL and similar). */
  readonly dataDir!: string;
  readonly smtpUrl?: string;
  readonly secretariatEmail!: string;
  /** Base URL used in links sent by e-mail; no trailing slash. */
  readonly publicBaseUrl!: string;
  readonly logLevel!: AppLogLevel;
  /** Where the demo clock starts; undefined means real time. */
  readonly clockStart?: Date;
  /** Fixed port for the embedded PostgreSQL; undefined means any free port. */
  readonly embeddedPostgresPort?: number;
  /** Load the demo agreements into an empty database at start. */
  readonly demoData!: boolean;
  /** How often each instance sweeps due timers; 0 = only on demand (npm run tick). */
  readonly timerSweepIntervalMs!: number;
  /** How many days ahead the secretariat's weekly digest looks. */
  readonly digestHorizonDays!: number;
  /** Connections in the service's pool, and how long a request waits for one before it fails. */
  readonly databasePoolSize!: number;
  readonly databasePoolAcquireTimeoutMs!: number;
  /** The calendar feed's window: dates this many months ahead and back. */
  readonly calendarMonthsAhead!: number;
  readonly calendarMonthsBack!: number;
  /** From header of every e-mail, e.g. `IOP-motorn <noreply@example.se>`. */
  readonly mailFrom!: string;
  /** How often each instance delivers due outbox messages; 0 = only on demand (npm run tick). */
  readonly outboxSendIntervalMs!: number;
  /** Size of the pooled SMTP transport (parallel connections). */
  readonly smtpMaxConnections!: number;
  /** Longest one message may take, queue wait in the pool included; the lease on a claimed row is twice this. */
  readonly outboxSendTimeoutMs!: number;
  /** Accept the acting person from the x-person-id header (tests and local tools only; default off). */
  readonly trustActorHeader!: boolean;
  /** Absolute lifetime of a sign-in session. */
  readonly sessionTtlHours!: number;
  /** A session unused this long is no longer valid (capped by the absolute lifetime). */
  readonly sessionIdleMinutes!: number;
  /** Secure cookies: true when PUBLIC_BASE_URL is https. */
  readonly secureCookies!: boolean;
  /** Sign-in through the municipality's identity provider; undefined (off) unless all three OIDC_* are set. */
  readonly oidc?: OidcConfig;
  /** Chromium for the committee's PDF reports (headless); a missing binary makes the PDF endpoint answer 503. */
  readonly chromiumPath!: string;
  /** PDFs rendered at once (each in its own page of the one browser). */
  readonly pdfConcurrency!: number;
  /** PDF requests that may wait for a free slot; one more is answered 503 with Retry-After. */
  readonly pdfQueueSize!: number;
  /** Rows per query when the verifier and the history exports read audit_event (keyset order, never the whole table). */
  readonly auditReadBatchRows!: number;
  /** /health/ready answers 503 when a due timer has waited longer than this for a sweeper. */
  readonly readinessMaxTimerDelayMinutes!: number;
  /** /health/ready answers 503 when no instance has completed a timer sweep for this long; 0 = not checked. */
  readonly readinessMaxSweepAgeMinutes!: number;
  /** Bearer token for GET /metrics; undefined means /metrics answers 404. */
  readonly metricsToken?: string;
  /** How often each instance prunes what is kept no longer (sessions, login attempts, mail bodies); 0 = off. */
  readonly retentionIntervalMs!: number;
  /** Days an expired or revoked session row is kept (0: pruned as soon as it is dead). */
  readonly retentionSessionDays!: number;
  /** Days an idle login throttle counter is kept (the limit itself looks back 15 minutes; locks last at most 24 hours). */
  readonly retentionLoginAttemptDays!: number;
  /** Days the body of a sent e-mail is kept; then text, HTML and calendar file are emptied (subject, recipient, time stay). */
  readonly retentionMailBodyDays!: number;
  /** Largest JSON request body; a larger one is answered 413. */
  readonly jsonBodyLimitBytes!: number;
  /** Largest urlencoded form body; a larger one is answered 413. */
  readonly formBodyLimitBytes!: number;
  /** Which reverse proxies' X-Forwarded-For to believe for the client address (login limits); default off. */
  readonly trustProxy!: TrustProxy;
  /** Lifetime of a new API token unless a shorter one is asked for at creation. */
  readonly apiTokenTtlDays!: number;
  /** Attempts per person and minute on agreements they cannot see (or that do not exist) before 429. */
  readonly unseenAgreementAttemptsPerMinute!: number;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

function collectProblems(errors: ValidationError[], into: string[] = []): string[] {
  for (const error of errors) {
    for (const message of Object.values(error.constraints ?? {})) {
      into.push(`${error.property} ${message}`);
    }
    collectProblems(error.children ?? [], into);
  }
  return into;
}

/**
 * Reads and validates configuration. Throws ConfigError whose message names every bad variable,
 * e.g. `Ogiltig konfiguration: PORT måste vara ett heltal 1–65535`.
 * This is the only place in src/ that touches process.env.
 */
export function loadConfig(env: EnvSource = process.env): AppConfig {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[key] = value;
  }
  const parsed = plainToInstance(EnvironmentVariables, present);
  const errors = validateSync(parsed, { whitelist: true, stopAtFirstError: true });
  if (errors.length > 0) throw new ConfigError(collectProblems(errors));
  // The embedded server is a development default: a production start without a database is a mistake, not a demo.
  if (parsed.NODE_ENV?.trim() === 'production' && parsed.DATABASE_URL === undefined) throw new ConfigError([PRODUCTION_NEEDS_DATABASE_URL]);

  const port = parsed.PORT ?? 3000;
  const publicBaseUrl = (parsed.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const sessionTtlHours = parsed.SESSION_TTL_HOURS ?? 12;
  const level = parsed.LOG_LEVEL === 'log' ? 'info' : (parsed.LOG_LEVEL as AppLogLevel | undefined);
  return new AppConfig({
    port,
    host: parsed.HOST?.trim() ?? DEFAULT_HOST,
    shutdownDrainMs: parsed.SHUTDOWN_DRAIN_MS ?? 0,
    databaseUrl: parsed.DATABASE_URL,
    migrationDatabaseUrl: parsed.MIGRATION_DATABASE_URL ?? parsed.DATABASE_URL,
    allowPrivilegedDatabaseRole: ['on', 'true', '1'].includes(parsed.ALLOW_PRIVILEGED_DATABASE_ROLE ?? 'off'),
    auditSigningKeyFile: parsed.AUDIT_SIGNING_KEY_FILE === undefined ? undefined : path.resolve(parsed.AUDIT_SIGNING_KEY_FILE),
    documentSealP12File: parsed.DOCUMENT_SEAL_P12_FILE === undefined ? undefined : path.resolve(parsed.DOCUMENT_SEAL_P12_FILE),
    documentSealP12Passphrase: parsed.DOCUMENT_SEAL_P12_PASSPHRASE ?? '',
    auditCheckpointIntervalHours: parsed.AUDIT_CHECKPOINT_INTERVAL_HOURS ?? 24,
    auditVerifyHour: parsed.AUDIT_VERIFY_HOUR === 'off' ? null : (parsed.AUDIT_VERIFY_HOUR ?? 3),
    auditorEmail: parsed.AUDITOR_EMAIL,
    dataDir: path.resolve(parsed.DATA_DIR ?? '.data'),
    smtpUrl: parsed.SMTP_URL,
    secretariatEmail: parsed.SECRETARIAT_EMAIL ?? 'namndkansli@example.se',
    publicBaseUrl,
    logLevel: level ?? 'info',
    clockStart: parsed.CLOCK_START === undefined ? undefined : new Date(parsed.CLOCK_START),
    embeddedPostgresPort: parsed.EMBEDDED_POSTGRES_PORT,
    demoData: ['on', 'true', '1'].includes(parsed.DEMO_DATA ?? 'off'),
    timerSweepIntervalMs: parsed.TIMER_SWEEP_INTERVAL_MS ?? 60_000,
    digestHorizonDays: parsed.DIGEST_HORIZON_DAYS ?? 90,
    calendarMonthsAhead: parsed.CALENDAR_MONTHS_AHEAD ?? 18,
    databasePoolSize: parsed.DATABASE_POOL_SIZE ?? 10,
    databasePoolAcquireTimeoutMs: parsed.DATABASE_POOL_ACQUIRE_TIMEOUT_MS ?? 10_000,
    calendarMonthsBack: parsed.CALENDAR_MONTHS_BACK ?? 3,
    mailFrom: parsed.MAIL_FROM?.trim() ?? 'IOP-motorn <noreply@example.se>',
    outboxSendIntervalMs: parsed.OUTBOX_SEND_INTERVAL_MS ?? 5000,
    smtpMaxConnections: parsed.SMTP_MAX_CONNECTIONS ?? 5,
    outboxSendTimeoutMs: parsed.OUTBOX_SEND_TIMEOUT_MS ?? 60_000,
    trustActorHeader: ['on', 'true', '1'].includes(parsed.TRUST_ACTOR_HEADER ?? 'off'),
    sessionTtlHours,
    sessionIdleMinutes: Math.min(parsed.SESSION_IDLE_MINUTES ?? 120, sessionTtlHours * 60),
    secureCookies: publicBaseUrl.toLowerCase().startsWith('https:'),
    oidc: oidcConfigOf(parsed, publicBaseUrl),
    chromiumPath: parsed.CHROMIUM_PATH ?? '/usr/bin/chromium',
    pdfConcurrency: parsed.PDF_CONCURRENCY ?? 2,
    pdfQueueSize: parsed.PDF_QUEUE_SIZE ?? 8,
    auditReadBatchRows: parsed.AUDIT_READ_BATCH_ROWS ?? 5000,
    readinessMaxTimerDelayMinutes: parsed.READINESS_MAX_TIMER_DELAY_MINUTES ?? 15,
    readinessMaxSweepAgeMinutes: parsed.READINESS_MAX_SWEEP_AGE_MINUTES ?? 15,
    metricsToken: parsed.METRICS_TOKEN,
    retentionIntervalMs: parsed.RETENTION_INTERVAL_MS ?? 86_400_000,
    retentionSessionDays: parsed.RETENTION_SESSION_DAYS ?? 0,
    retentionLoginAttemptDays: parsed.RETENTION_LOGIN_ATTEMPT_DAYS ?? 90,
    retentionMailBodyDays: parsed.RETENTION_MAIL_BODY_DAYS ?? 365,
    jsonBodyLimitBytes: (parsed.JSON_BODY_LIMIT_KB ?? 256) * 1024,
    formBodyLimitBytes: (parsed.FORM_BODY_LIMIT_KB ?? 256) * 1024,
    trustProxy: trustProxyOf(parsed.TRUST_PROXY),
    apiTokenTtlDays: parsed.API_TOKEN_TTL_DAYS ?? 90,
    unseenAgreementAttemptsPerMinute: parsed.UNSEEN_AGREEMENT_ATTEMPTS_PER_MINUTE ?? 10,
  });
}
