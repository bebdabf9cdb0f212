import type { SealCertificate } from './seal-certificate';

/** PAdES: a CAdES detached signature over the whole file but the signature itself. */
const PADES_SUBFILTER = 'ETSI.CAdES.detached';

/**
 * The sealed agreement: the signed document's pages followed by the signature and audit pages,
 * in one PDF with a PAdES signature (pdf-lib placeholder, PKCS#12 signer) that covers it all.
 */
export async function sealDocument(document: Buffer, appendix: Buffer, certificate: SealCertificate, o: { title: string; municipality: string; signingTime: Date }): Promise<Buffer> {
  // Loaded when the first agreement is sealed, not at start (pdf-lib and the placeholder took 0.2 s).
  const [{ PDFDocument }, { pdflibAddPlaceholder }, { P12Signer }, { default: signpdf }] = await Promise.all([
    import('pdf-lib'),
    import('@signpdf/placeholder-pdf-lib'),
    import('@signpdf/signer-p12'),
    import('@signpdf/signpdf'),
  ]);
  const merged = await PDFDocument.load(document);
  const extra = await PDFDocument.load(appendix);
  for (const page of await merged.copyPages(extra, extra.getPageIndices())) merged.addPage(page);
  merged.setTitle(o.title);
  merged.setLanguage('sv-SE');
  merged.setProducer('IOP-motorn');
  merged.setModificationDate(o.signingTime);
  pdflibAddPlaceholder({
    pdfDoc: merged,
    reason: `Undertecknad överenskommelse: ${o.title}`,
    contactInfo: '',
    name: certificate.subject,
    location: o.municipality,
    signingTime: o.signingTime,
    subFilter: PADES_SUBFILTER,
    signatureLength: 16_384,
    appName: 'IOP-motorn',
  });
  // Without object streams: the placeholder's ByteRange must stay in plain text for the signer to find it.
  const withPlaceholder = Buffer.from(await merged.save({ useObjectStreams: false }));
  const signer = new P12Signer(certificate.p12, { passphrase: certificate.passphrase });
  return signpdf.sign(withPlaceholder, signer, o.signingTime);
}
