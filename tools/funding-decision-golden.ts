// Writes one persisted seed-004 funding decision per state code to
// workflows/funding-decision/__fixtures__/golden/v<MACHINE_VERSION>/, driven there by events.
// workflows/funding-decision/golden.spec.ts checks every one of them, of every version, still restores and steps.
//
// Existing files are left alone: they are what earlier machine versions stored. Pass --force only to
// regenerate shapes that were never released.
//
//   npx ts-node -r tsconfig-paths/register --transpile-only tools/funding-decision-golden.ts [--force]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed004At } from '../workflows/funding-decision/__fixtures__/seed-004';
import { MACHINE_VERSION } from '../workflows/funding-decision/migrations';
import { ALL_STATE_CODES } from '../workflows/funding-decision/types';

export const GOLDEN_DIR = join(__dirname, '..', 'workflows', 'funding-decision', '__fixtures__', 'golden', `v${MACHINE_VERSION}`);

const force = process.argv.includes('--force');
mkdirSync(GOLDEN_DIR, { recursive: true });
for (const code of ALL_STATE_CODES) {
  const file = join(GOLDEN_DIR, `${code}.json`);
  if (existsSync(file) && !force) {
    console.log(`Finns redan, orörd: ${file}`);
    continue;
  }
  writeFileSync(file, `${JSON.stringify(seed004At(code), null, 2)}\n`);
  console.log(`Skrev ${file}`);
}
