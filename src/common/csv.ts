/**
 * The one CSV writer for every export: RFC 4180 quoting, a BOM so Swedish spreadsheet programs read
 * utf-8, CRLF line ends, and cells a spreadsheet would run as a formula defused with a leading '
 * (OWASP "CSV injection": = + - @, and TAB or CR, which some programs skip before looking).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Quoted when it holds either separator (a spreadsheet may guess the other one), a quote or a line end. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row and its line end, every cell through csvCell. */
export function csvLine(cells: readonly string[], separator: ',' | ';'): string {
  return `${cells.map(csvCell).join(separator)}\r\n`;
}

/** A whole document: header row and rows, every cell through csvCell. */
export function csvDocument(header: readonly string[], rows: ReadonlyArray<readonly string[]>, separator: ',' | ';'): string {
  return `\uFEFF${csvLine(header, separator)}${rows.map((row) => csvLine(row, separator)).join('')}`;
}

/**
 * The same document as csvDocument, in chunks: the BOM and header first, then one chunk per batch
 * of rows as they are read, so an export of any length is never one string in memory.
 */
export async function* csvChunks(header: readonly string[], batches: AsyncIterable<ReadonlyArray<readonly string[]>>, separator: ',' | ';'): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(header, separator)}`;
  for await (const rows of batches) {
    if (rows.length > 0) yield rows.map((row) => csvLine(row, separator)).join('');
  }
}
