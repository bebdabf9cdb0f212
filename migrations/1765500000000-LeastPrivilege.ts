import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service role named by iop.service_role, quoted; null when none is named. */
async function serviceRoleOf(q: QueryRunner): Promise<string | null> {
  const [row] = (await q.query(`SELECT nullif(current_setting('iop.service_role', true), '') AS role`)) as Array<{ role: string | null }>;
  if (!row?.role) return null;
  const [found] = (await q.query(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS ok`, [row.role])) as Array<{ ok: boolean }>;
  if (!found?.ok) throw new Error(`Tjänsterollen ${row.role} (iop.service_role) finns inte i databasservern`);
  return `"${row.role.replace(/"/g, '""')}"`;
}

/**
 * Issue 12: the service runs as its own role, neither superuser nor owner. Migrations run as the
 * owner and learn the service role's name from the setting iop.service_role (the migration runner
 * sets it from DATABASE_URL); without it (one role for everything) there is nobody to grant to.
 * The service role gets ordinary read/write on tables, sequences to draw ids, and on append-only
 * tables only SELECT and INSERT. Default privileges cover tables that later migrations create;
 * a later append-only table revokes UPDATE and DELETE itself (see AuditCheckpoints).
 */
export class LeastPrivilege1765500000000 implements MigrationInterface {
  name = 'LeastPrivilege1765500000000';

  public async up(q: QueryRunner): Promise<void> {
    // Nobody but the owner creates objects in public (PostgreSQL 15+ already says so; older servers did not).
    await q.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    const app = await serviceRoleOf(q);
    if (app === null) return;
    await q.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    // The app only reads which migrations ran (health, showMigrations).
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON migrations FROM ${app}`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM ${app}`);
    await q.query(`ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`);
    await q.query(`ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`);
  }

  public async down(q: QueryRunner): Promise<void> {
    const app = await serviceRoleOf(q);
    if (app === null) return;
    await q.query(`ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ${app}`);
    await q.query(`ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${app}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${app}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${app}`);
  }
}
