import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The agreement's own tables (agreement, agreement_party, agreement_cost_line, agreement_member)
 * are queried by AgreementRepository alone: no other file under src/ names them or their entities.
 * ('agreement' as a case type, e.g. case_type = 'agreement', is not the table and is not caught.)
 */
const SRC = path.resolve(__dirname, '..');

/** The repository, the entities themselves and the entity list TypeORM is given. */
const ALLOWED = new Set(
  [
    'agreements/agreement.repository.ts',
    'agreements/agreement.entity.ts',
    'agreements/agreement-party.entity.ts',
    'agreements/agreement-cost-line.entity.ts',
    'agreements/agreement-member.entity.ts',
    'database/entities.ts',
    'agreements/agreement-tables.spec.ts',
  ].map((f) => path.join(SRC, f)),
);

const RULES: Array<{ what: string; pattern: RegExp }> = [
  { what: 'names a table of the agreement', pattern: /\bagreement_(?:party|cost_line|member)\b/ },
  { what: 'queries the agreement table', pattern: /\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\s+(?:ONLY\s+)?"?agreement"?(?![\w-])/i },
  { what: 'names the agreement table to TypeORM or the engine', pattern: /(?:\btable\s*:|\b(?:getRepository|from|into|update|delete|Entity)\s*\()\s*['"`]agreement['"`]/ },
  { what: 'names an agreement entity', pattern: /\b(?:Agreement|AgreementParty|AgreementCostLine|AgreementMember)\b(?![\w-])/ },
  { what: 'imports an agreement entity file', pattern: /agreement(?:-party|-cost-line|-member)?\.entity\b/ },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function offences(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    RULES.filter((r) => r.pattern.test(line)).map((r) => `${path.relative(path.resolve(SRC, '..'), file)}:${i + 1} ${r.what}: ${line.trim()}`),
  );
}

describe('the agreement tables', () => {
  it('are named by no file under src/ but AgreementRepository, the entities and the entity list', () => {
    const found = sourceFiles(SRC)
      .filter((f) => !ALLOWED.has(f))
      .flatMap((f) => offences(f, fs.readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches each way of naming them (the rules are not vacuous)', () => {
    const samples = [
      'const rows = await manager.query(`SELECT 1 FROM agreement WHERE id = $1`, [id]);',
      '       FROM agreement a',
      "qb.leftJoin('x', 'y').where('EXISTS (SELECT 1 FROM agreement_party p)')",
      "  JOIN agreement_member m ON m.agreement_id = a.id",
      "await manager.getRepository(AgreementCostLine).delete({ agreementId });",
      "import { Agreement } from '@app/agreements/agreement.entity';",
      "  table: 'agreement',",
    ];
    for (const sample of samples) expect(offences(path.join(SRC, 'x.ts'), sample)).not.toEqual([]);
    // The case type is not the table.
    expect(offences(path.join(SRC, 'x.ts'), "WHERE case_type = 'agreement' AND c.caseType === 'agreement'")).toEqual([]);
    expect(offences(path.join(SRC, 'x.ts'), fs.readFileSync(path.join(SRC, 'agreements/agreement.repository.ts'), 'utf8')).length).toBeGreaterThan(0);
  });

  it('are not named by the generic engine', () => {
    const engine = sourceFiles(path.join(SRC, 'workflow-engine')).flatMap((f) => offences(f, fs.readFileSync(f, 'utf8')));
    expect(engine).toEqual([]);
  });
});
