import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config/app-config';

/** The file generated under DATA_DIR when no AUDIT_SIGNING_KEY_FILE is given (demo and development). */
export const GENERATED_KEY_FILE = 'audit-signing-key.pem';

/**
 * The Ed25519 key that signs audit checkpoints. It lives in a file, never in the database, so
 * whoever can rewrite the database still cannot sign a checkpoint that matches the rewrite.
 */
export class AuditSigningKey {
  readonly publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key (SPKI DER): names the key in every checkpoint. */
  readonly keyId: string;
  readonly publicKeyPem: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('granskningsnyckeln måste vara en Ed25519-nyckel');
    this.publicKey = createPublicKey(privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  }

  /** Base64 signature over the UTF-8 text. */
  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
  }

  verify(text: string, signature: string): boolean {
    try {
      return verify(null, Buffer.from(text, 'utf8'), this.publicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }
}

/** Reads AUDIT_SIGNING_KEY_FILE, or makes (once) a key under DATA_DIR with a warning. */
export async function loadAuditSigningKey(config: AppConfig, logger = new Logger('Granskning')): Promise<AuditSigningKey> {
  if (config.auditSigningKeyFile !== undefined) {
    let pem: string;
    try {
      pem = await fs.readFile(config.auditSigningKeyFile, 'utf8');
    } catch (error) {
      throw new Error(`AUDIT_SIGNING_KEY_FILE ${config.auditSigningKeyFile} kan inte läsas: ${(error as Error).message}`, { cause: error });
    }
    try {
      return new AuditSigningKey(createPrivateKey(pem));
    } catch (error) {
      throw new Error(`AUDIT_SIGNING_KEY_FILE ${config.auditSigningKeyFile} är ingen Ed25519-nyckel i PEM (skapa en med: openssl genpkey -algorithm ed25519)`, { cause: error });
    }
  }
  const file = path.join(config.dataDir, GENERATED_KEY_FILE);
  const key = new AuditSigningKey(createPrivateKey(await readOrCreate(file)));
  logger.warn({
    msg: 'Kontrollpunkterna signeras med en nyckel som tjänsten själv skapat under DATA_DIR. Ange AUDIT_SIGNING_KEY_FILE med en nyckel som förvaras utanför servern i drift.',
    file,
    keyId: key.keyId,
  });
  return key;
}

async function readOrCreate(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  // Written aside and linked into place: several instances (or test workers) starting at once agree on one key.
  const temporary = `${file}.${process.pid}.${Date.now()}`;
  await fs.writeFile(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    await fs.link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
  return fs.readFile(file, 'utf8');
}
