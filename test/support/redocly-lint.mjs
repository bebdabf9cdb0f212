// Redocly's linter is ESM-only, Jest here is CommonJS: the test runs this with node, the document on stdin.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const source = readFileSync(0, 'utf8');
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer ?? '' }))));
