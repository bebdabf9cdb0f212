import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@app/config/app-config';
import { loadSealCertificate, selfSignedP12 } from './seal-certificate';

const quiet = { warn: () => undefined } as never;

describe('the certificate that seals signed agreements', () => {
  it('without DOCUMENT_SEAL_P12_FILE makes a development certificate once, under DATA_DIR, and says it is one', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'iop-seal-cert-'));
    const sut = () => loadSealCertificate(loadConfig({ DATA_DIR: dataDir }), quiet);
    const [first, again] = await Promise.all([sut(), sut()]);
    const later = await sut();
    expect(first.development).toBe(true);
    expect(first.subject).toContain('CN=IOP-motorn utvecklingscertifikat');
    expect(later.p12.equals(first.p12)).toBe(true);
    expect(again.p12.equals(first.p12)).toBe(true);
  });

  it("reads the municipality's PKCS#12 with its passphrase, and refuses to start with the wrong one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'iop-seal-p12-'));
    const file = path.join(dir, 'kommun.p12');
    writeFileSync(file, selfSignedP12('Linköpings kommun', 'hemligt'));
    const sut = await loadSealCertificate(loadConfig({ DATA_DIR: dir, DOCUMENT_SEAL_P12_FILE: file, DOCUMENT_SEAL_P12_PASSPHRASE: 'hemligt' }), quiet);
    expect(sut).toMatchObject({ development: false, passphrase: 'hemligt' });
    expect(sut.subject).toContain('CN=Linköpings kommun');
    await expect(loadSealCertificate(loadConfig({ DATA_DIR: dir, DOCUMENT_SEAL_P12_FILE: file, DOCUMENT_SEAL_P12_PASSPHRASE: 'fel' }), quiet)).rejects.toThrow(/DOCUMENT_SEAL_P12_PASSPHRASE/);
  });
});
