// Writes one persisted Bromodellen agreement per state code to workflows/agreement/__fixtures__/golden/v<MACHINE_VERSION>/,
// driven there by events. golden.spec.ts checks that every one of them, of every version, still restores and steps.
//
// Existing files are left alone: they are what earlier machine versions stored, and restore()
// must keep reading them. Pass --force only to regenerate shapes that were never released.
//
//   npx ts-node -r tsconfig-paths/register --transpile-only tools/golden-snapshots.ts [--force]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bromodellenAt } from '../workflows/agreement/__fixtures__/factories';
import { ALL_STATE_CODES, MACHINE_VERSION } from '../workflows/agreement/persistence';

export const GOLDEN_DIR = join(__dirname, '..', 'workflows', 'agreement', '__fixtures__', 'golden', `v${MACHINE_VERSION}`);

const force = process.argv.includes('--force');
mkdirSync(GOLDEN_DIR, { recursive: true });
for (const code of ALL_STATE_CODES) {
  const file = join(GOLDEN_DIR, `${code}.json`);
  if (existsSync(file) && !force) {
    console.log(`Finns redan, orörd: ${file}`);
    continue;
  }
  writeFileSync(file, `${JSON.stringify(bromodellenAt(code), null, 2)}\n`);
  console.log(`Skrev ${file}`);
}
