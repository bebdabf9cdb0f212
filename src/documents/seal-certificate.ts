import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import forge from 'node-forge';
import type { AppConfig } from '@app/config/app-config';

/** The file made under DATA_DIR when no DOCUMENT_SEAL_P12_FILE is given (demo and development): the PKCS#12 (base64) and its passphrase, as JSON. */
export const DEV_CERTIFICATE_FILE = 'document-seal-dev.json';

export interface SealCertificate {
  p12: Buffer;
  passphrase: string;
  /** The certificate's subject, as the pages name it. */
  subject: string;
  /** True for the self-signed development certificate: the sealed document and the README say so. */
  development: boolean;
}

/** A self-signed certificate for development, valid ten years, in PKCS#12 (RSA 2048, SHA-256). */
export function selfSignedP12(commonName: string, passphrase: string, now = new Date()): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'IOP-motorn (utvecklingscertifikat)' },
    { name: 'countryName', value: 'SE' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des', friendlyName: commonName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function subjectOf(p12: Buffer, passphrase: string): string {
  const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), passphrase);
  const bags = parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const cert = bags[0]?.cert;
  if (!cert) throw new Error('PKCS#12-filen innehåller inget certifikat');
  return cert.subject.attributes.map((a) => `${a.shortName ?? a.name}=${String(a.value)}`).join(', ');
}

/**
 * The certificate that seals signed agreements: DOCUMENT_SEAL_P12_FILE and its passphrase, or a
 * self-signed development certificate made once under DATA_DIR (as the audit signing key is), with a warning.
 */
export async function loadSealCertificate(config: AppConfig, logger = new Logger('Dokument')): Promise<SealCertificate> {
  if (config.documentSealP12File !== undefined) {
    let p12: Buffer;
    try {
      p12 = await fs.readFile(config.documentSealP12File);
    } catch (error) {
      throw new Error(`DOCUMENT_SEAL_P12_FILE ${config.documentSealP12File} kan inte läsas: ${(error as Error).message}`, { cause: error });
    }
    try {
      return { p12, passphrase: config.documentSealP12Passphrase, subject: subjectOf(p12, config.documentSealP12Passphrase), development: false };
    } catch (error) {
      throw new Error(`DOCUMENT_SEAL_P12_FILE ${config.documentSealP12File} kan inte öppnas med DOCUMENT_SEAL_P12_PASSPHRASE: ${(error as Error).message}`, { cause: error });
    }
  }
  const file = path.join(config.dataDir, DEV_CERTIFICATE_FILE);
  const { p12, passphrase } = await readOrCreateDevelopment(file);
  logger.warn({ msg: 'Undertecknade överenskommelser förseglas med ett självsignerat utvecklingscertifikat. Ange DOCUMENT_SEAL_P12_FILE och DOCUMENT_SEAL_P12_PASSPHRASE med kommunens certifikat i drift.', file });
  return { p12, passphrase, subject: subjectOf(p12, passphrase), development: true };
}

/** The development certificate's file, made once: written aside and linked into place, so instances starting at once agree on one. */
async function readOrCreateDevelopment(file: string): Promise<{ p12: Buffer; passphrase: string }> {
  const read = async () => {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as { p12: string; passphrase: string };
    return { p12: Buffer.from(stored.p12, 'base64'), passphrase: stored.passphrase };
  };
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const passphrase = randomBytes(24).toString('base64url');
  const p12 = selfSignedP12('IOP-motorn utvecklingscertifikat', passphrase);
  const temporary = `${file}.${process.pid}.${Date.now()}`;
  await fs.writeFile(temporary, JSON.stringify({ p12: p12.toString('base64'), passphrase }), { mode: 0o600 });
  try {
    await fs.link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
  return read();
}
