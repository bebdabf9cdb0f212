/**
 * The two database roles: the owner runs migrations, the service role runs the app and may not
 * change or remove history. Only relative imports and `pg` here: embedded-postgres.ts uses it,
 * and jest's globalSetup loads that outside the module mapper.
 */
import type { Client } from 'pg';

export interface RoleNames {
  /** Owns the database and every table; migrations run as this role. */
  owner: string;
  /** The app's pool; neither superuser nor owner. */
  app: string;
}

export interface RolePasswords {
  owner: string;
  app: string;
}

/** Tables whose rows nobody changes or removes: the service role only inserts and reads. */
export const APPEND_ONLY_TABLES = ['audit_event', 'audit_checkpoint'] as const;

/** The custom setting through which migrations learn the service role's name (see LeastPrivilege). */
export const SERVICE_ROLE_SETTING = 'iop.service_role';

/** A libpq `options` value that sets the service role for every connection of a migration pool. */
export function serviceRoleConnectionOption(role: string): string {
  return `-c ${SERVICE_ROLE_SETTING}=${role.replace(/([\\ ])/g, '\\$1')}`;
}

/**
 * Creates (or brings up to date) both login roles and the database, owned by the owner, as a
 * superuser connected to another database of the cluster. Idempotent: runs at every embedded start.
 */
export async function provisionRoles(admin: Client, database: string, names: RoleNames, passwords: RolePasswords): Promise<{ created: boolean }> {
  const id = (name: string) => admin.escapeIdentifier(name);
  const literal = (value: string) => admin.escapeLiteral(value);
  for (const [name, password, inherit] of [
    [names.owner, passwords.owner, 'INHERIT'],
    [names.app, passwords.app, 'NOINHERIT'],
  ] as const) {
    const exists = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount !== 0;
    // No CREATEROLE, and the service role NOINHERIT: it cannot borrow or hand out anything. The owner
    // inherits only what owning the database gives (pg_database_owner): PostgreSQL 15 grants CREATE
    // on schema public that way, and a NOINHERIT owner could not migrate there.
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ${inherit} PASSWORD ${literal(password)}`;
    await admin.query(exists ? `ALTER ROLE ${id(name)} ${attributes}` : `CREATE ROLE ${id(name)} ${attributes}`);
  }
  const found = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount !== 0;
  if (found) await admin.query(`ALTER DATABASE ${id(database)} OWNER TO ${id(names.owner)}`);
  else await admin.query(`CREATE DATABASE ${id(database)} OWNER ${id(names.owner)}`);
  await admin.query(`REVOKE ALL ON DATABASE ${id(database)} FROM PUBLIC`);
  await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${id(database)} TO ${id(names.app)}`);
  return { created: !found };
}

/**
 * For a database made before the owner role existed (tables owned by the superuser): hands every
 * object in schema public to the owner, so the owner's migrations can alter them. Run as superuser
 * connected to that database.
 */
export async function adoptExistingObjects(admin: Client, owner: string): Promise<void> {
  const to = admin.escapeIdentifier(owner);
  const relations = await admin.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner <> $1::regrole
        -- A serial's sequence follows its table.
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))`,
    [owner],
  );
  for (const { name } of relations.rows) await admin.query(`ALTER TABLE ${name} OWNER TO ${to}`);
  const functions = await admin.query<{ name: string }>(
    `SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.proowner <> $1::regrole`,
    [owner],
  );
  for (const { name } of functions.rows) await admin.query(`ALTER FUNCTION ${name} OWNER TO ${to}`);
}

/**
 * Why the connected role could rewrite history; empty when it cannot. Checked at every start
 * with the app's own pool: superuser, owner of (or member of the owner of) an append-only table,
 * UPDATE/DELETE/TRUNCATE on one, or the right to switch triggers off (session_replication_role).
 */
export async function privilegedRoleProblems(query: <T>(sql: string, params?: unknown[]) => Promise<T[]>): Promise<string[]> {
  const [role] = await query<{ name: string; superuser: boolean; bypassrls: boolean; can_set_replication_role: boolean }>(
    `SELECT current_user AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
            (r.rolsuper OR has_parameter_privilege('session_replication_role', 'SET')) AS can_set_replication_role
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  if (role === undefined) return ['rollen hittades inte i pg_roles'];
  const problems: string[] = [];
  if (role.superuser) problems.push(`rollen ${role.name} är superanvändare`);
  else if (role.can_set_replication_role) problems.push(`rollen ${role.name} får sätta session_replication_role (kopplar bort triggrar)`);
  const tables = await query<{ table: string; owner: boolean; u: boolean; d: boolean; t: boolean }>(
    `SELECT c.relname AS table, pg_has_role(current_user, c.relowner, 'MEMBER') AS owner,
            has_table_privilege(c.oid, 'UPDATE') AS u, has_table_privilege(c.oid, 'DELETE') AS d, has_table_privilege(c.oid, 'TRUNCATE') AS t
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])
      ORDER BY c.relname`,
    [[...APPEND_ONLY_TABLES]],
  );
  for (const table of tables) {
    if (table.owner) {
      problems.push(`rollen ${role.name} äger tabellen ${table.table}`);
      continue;
    }
    const rights = [table.u && 'UPDATE', table.d && 'DELETE', table.t && 'TRUNCATE'].filter((right): right is string => typeof right === 'string');
    if (rights.length > 0) problems.push(`rollen ${role.name} har ${rights.join(', ')} på ${table.table}`);
  }
  return problems;
}
