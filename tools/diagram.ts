// Writes the lifecycle diagram generated from the machine to docs/ and into the README.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { agreementDiagramMarkdown, readmeWithDiagram } from '../workflows/agreement/diagram';

const root = join(__dirname, '..');
const docPath = join(root, 'docs', 'agreement-lifecycle.md');
const readmePath = join(root, 'README.md');

mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(docPath, agreementDiagramMarkdown());
writeFileSync(readmePath, readmeWithDiagram(readFileSync(readmePath, 'utf8')));
console.log(`Skrev ${docPath} och diagrammet i ${readmePath}`);
