/** Progress lines on stderr, so stdout stays the Markdown report. */
export const benchLog =
  (name: string) =>
  (msg: string): void => {
    process.stderr.write(`[${name}] ${msg}\n`);
  };

/** Whole numbers with thousands separators, as in the tables. */
export const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');
export const f2 = (n: number): string => n.toFixed(2);
