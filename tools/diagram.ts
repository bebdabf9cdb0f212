// Writes the lifecycle diagram generated from the machine to docs/.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { agreementDiagramMarkdown } from '../workflows/agreement/diagram';

export const DIAGRAM_PATH = join(__dirname, '..', 'docs', 'agreement-lifecycle.md');

mkdirSync(join(__dirname, '..', 'docs'), { recursive: true });
writeFileSync(DIAGRAM_PATH, agreementDiagramMarkdown());
console.log(`Skrev ${DIAGRAM_PATH}`);
