import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane). `Algorithm` is a const enum in the
 * library's typings, which isolated-module compilation (ts-jest) cannot inline, hence the literal.
 */
const ARGON2ID = 2 as Algorithm.Argon2id;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/**
 * Never throws for a malformed stored hash: that is simply not a match. Nor is a missing one (an
 * account that signs in only through the identity provider), after the same work as a real check.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) return verifyAgainstDummy(password);
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spend the same time on an unknown e-mail as on a wrong password, so timing does not tell them apart. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('ingen-sådan-användare');
  await verifyPassword(await dummy, password);
  return false;
}
