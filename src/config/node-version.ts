/** Kept free of imports so main.ts can run it before loading Nest (which itself needs Node 20+). */
/** Those the suite runs on: 20 here in development and CI, 22, and 24 (LTS) in the image. Keep `engines` in package.json in step. */
export const SUPPORTED_NODE_MAJORS = [20, 22, 24] as const;

export class UnsupportedNodeError extends Error {
  override readonly name = 'UnsupportedNodeError';
}

/** Node loads ES modules with require() from these minors on: openid-client 6 is one. */
const REQUIRE_ESM_FROM: Readonly<Record<number, number>> = { 20: 19, 22: 12 };

/** Throws for Node < 20.19 (and 22 < 22.12); returns a warning text for untested majors (21, 23, 25+), otherwise undefined. */
export function checkNodeVersion(version: string = process.versions.node): string | undefined {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  const tooOldMinor = REQUIRE_ESM_FROM[major] !== undefined && !(minor >= REQUIRE_ESM_FROM[major]);
  if (!Number.isFinite(major) || major < 20 || tooOldMinor) {
    throw new UnsupportedNodeError(
      `Node.js ${version} stöds inte. Tjänsten kräver Node.js 20, 22 eller 24 (minst 20.19 respektive 22.12; i produktion Node.js 24 LTS; installera t.ex. via nvm: nvm install 24).`,
    );
  }
  if (!(SUPPORTED_NODE_MAJORS as readonly number[]).includes(major)) {
    return `Node.js ${version} är inte testad; Node.js 20, 22 och 24 stöds.`;
  }
  return undefined;
}
