/** Kept free of imports so main.ts can run it before loading Nest (which itself needs Node 20+). */
export const SUPPORTED_NODE_MAJORS = [20, 22] as const;

export class UnsupportedNodeError extends Error {
  override readonly name = 'UnsupportedNodeError';
}

/** Throws for Node < 20; returns a warning text for untested majors (21, 23+), otherwise undefined. */
export function checkNodeVersion(version: string = process.versions.node): string | undefined {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (!Number.isFinite(major) || major < 20) {
    throw new UnsupportedNodeError(
      `Node.js ${version} stöds inte. Tjänsten kräver Node.js 20 eller 22 (installera t.ex. via nvm: nvm install 22).`,
    );
  }
  if (!(SUPPORTED_NODE_MAJORS as readonly number[]).includes(major)) {
    return `Node.js ${version} är inte testad; Node.js 20 och 22 stöds.`;
  }
  return undefined;
}
