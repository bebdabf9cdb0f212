import { existsSync, promises as fs } from 'node:fs';

/** Progress lines on stderr, so stdout stays the Markdown report. */
export const benchLog =
  (name: string) =>
  (msg: string): void => {
    process.stderr.write(`[${name}] ${msg}\n`);
  };

/** Whole numbers with thousands separators, as in the tables. */
export const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');
export const f2 = (n: number): string => n.toFixed(2);

/**
 * Replaces this benchmark's own section of the results file (from `heading` up to the next
 * "## " heading) or appends it; the other benchmarks' sections are kept. `file` '-' writes nothing.
 */
export async function writeResultsSection(file: string, heading: string, section: string): Promise<boolean> {
  if (file === '-') return false;
  const old = existsSync(file) ? await fs.readFile(file, 'utf8') : '';
  const at = old.indexOf(`\n${heading}\n`);
  let next: string;
  if (at >= 0) {
    const after = old.slice(at + 1 + heading.length);
    const nextHeading = after.search(/\n## /);
    next = `${old.slice(0, at + 1)}${section}${nextHeading >= 0 ? `\n${after.slice(nextHeading + 1)}` : ''}`;
  } else {
    next = `${old.replace(/\n+$/, '')}\n\n${section}`;
  }
  await fs.writeFile(file, next.replace(/\n+$/, '\n'));
  return true;
}
