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

/** A whole document: header row and rows, every cell through csvCell. */
export function csvDocument(header: readonly string[], rows: ReadonlyArray<readonly string[]>, separator: ',' | ';'): string {
  const line = (cells: readonly string[]): string => cells.map(csvCell).join(separator);
  return `\uFEFF${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}
