/**
 * XML-DSig verification of SAML signatures with `xml-crypto`, against trusted certificates only — never
 * the certificate the document carries in `KeyInfo` — handing back the canonical XML of the element the
 * signature covers, so callers read values from what was signed rather than from a fresh look-up that an
 * unsigned decoy could answer (XML signature wrapping). Each signature is checked once: the signing
 * certificate is picked while the signature value is verified, not by repeating the whole check (and
 * its canonicalization) per certificate. The parser and DOM helpers live in ./xml.ts and are
 * re-exported here for existing importers.
 */
import { verify, X509Certificate } from 'node:crypto';
import { type SignatureAlgorithm, SignedXml } from 'xml-crypto';
import { ENVELOPED_SIGNATURE, EXC_C14N, RSA_SHA256, SHA256, XMLDSIG_NS } from './sign.js';
import { attr, children, parseXmlStrict, textOf } from './xml.js';

export {
  attr,
  childElements,
  children,
  ID_ATTRIBUTES,
  idsOf,
  MAX_XML_DEPTH,
  type ParsedXml,
  parseXmlStrict,
  pathOf,
  textOf,
  walk,
} from './xml.js';

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const C14N_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
const EXC_C14N_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';
const ALLOWED_TRANSFORMS = new Set([ENVELOPED_SIGNATURE, EXC_C14N, EXC_C14N_COMMENTS, C14N, C14N_COMMENTS]);
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  [RSA_SHA256]: 'RSA-SHA256',
  [RSA_SHA512]: 'RSA-SHA512',
  [RSA_SHA1]: 'RSA-SHA1',
};
const DIGEST_ALGORITHMS = new Set([
  SHA256,
  'http://www.w3.org/2001/04/xmlenc#sha512',
  'http://www.w3.org/2000/09/xmldsig#sha1',
]);

// ---------------------------------------------------------------------------------------------------------
// Certificates

export interface TrustedCertificate {
  pem: string;
  fingerprint256: string;
  notAfter: Date;
}

/** A certificate from base64 DER or PEM, or undefined when it is not one. */
export function readCertificate(value: string): X509Certificate | undefined {
  try {
    const trimmed = value.trim();
    if (trimmed.startsWith('-----BEGIN')) return new X509Certificate(trimmed);
    const base64 = trimmed.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
}

const describeCertificate = (cert: { fingerprint256: string; notAfter: Date }): string =>
  `SHA-256 ${cert.fingerprint256} (valid until ${cert.notAfter.toISOString().slice(0, 10)})`;

// ---------------------------------------------------------------------------------------------------------
// Signature verification

export interface SignatureOutcome {
  /** The element the signature is enveloped in (`Response` or `Assertion`). */
  parent: Element;
  /**
   * valid: verified with a trusted certificate; altered: a digest does not match (content changed
   * after signing); untrusted: the digests match but no trusted certificate verifies the signature
   * value; malformed: not a signature this profile accepts.
   */
  status: 'valid' | 'altered' | 'untrusted' | 'malformed';
  /** What went wrong, for people (not set when valid). */
  detail: string;
  /** When valid: the canonical XML of the signed element, as the verified digest covered it. */
  signedXml?: string;
  /** When valid: the trusted certificate that verified it. */
  certificate?: TrustedCertificate;
  /** The `KeyInfo` certificate, when the signature carries a readable one. */
  keyInfoCertificate?: { fingerprint256: string; notAfter: Date; pem: string };
  /** Whether the signature uses SHA-1 (valid but weak). */
  sha1: boolean;
}

function malformed(parent: Element, detail: string): SignatureOutcome {
  return { parent, status: 'malformed', detail, sha1: false };
}

/** A certificate the signature value may be checked with: trusted ones, then the KeyInfo one. */
interface Candidate {
  pem: string;
  trusted: TrustedCertificate | undefined;
}

type CheckOnce =
  | { result: 'valid'; signedXml: string; certificate: TrustedCertificate }
  | { result: 'altered' | 'untrusted' | 'key-info' }
  | { result: 'error'; message: string };

/**
 * One ds:Signature checked once. xml-crypto canonicalizes SignedInfo, digests the referenced element,
 * then verifies the signature value; the signature algorithm registered here verifies that value with
 * each candidate in turn (a few RSA verifications over the small SignedInfo) and remembers which one
 * matched, so the canonicalization and digest — the costly part — run once whatever the number of
 * certificates. Only a trusted candidate makes the check pass; a match by the KeyInfo certificate is
 * reported (`key-info`) to explain the failure.
 */
function checkOnce(signature: Element, xml: string, algorithm: string, candidates: Candidate[]): CheckOnce {
  const nodeAlgorithm = SIGNATURE_ALGORITHMS[algorithm] as string;
  let signer: Candidate | undefined;
  class PickCertificate implements SignatureAlgorithm {
    getSignature(): never {
      throw new Error('verification only');
    }
    verifySignature(material: string, _key: unknown, signatureValue: string): boolean {
      const value = Buffer.from(signatureValue, 'base64');
      signer = candidates.find((c) => verify(nodeAlgorithm, Buffer.from(material), c.pem, value));
      return signer?.trusted !== undefined;
    }
    getAlgorithmName(): string {
      return algorithm;
    }
  }
  // xml-crypto insists on a key before it calls the algorithm; the algorithm ignores it.
  const verifier = new SignedXml({
    publicCert: candidates[0]?.pem ?? 'unused',
    getCertFromKeyInfo: () => null,
  });
  verifier.SignatureAlgorithms = { [algorithm]: PickCertificate };
  // SAML's ID attribute only: xml-crypto looks each name up with an XPath over the whole document, and
  // the caller has already refused duplicate IDs under any of ID, Id and id.
  verifier.idAttributes = ['ID'];
  try {
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(xml)) return { result: 'altered' };
    const [signedXml] = verifier.getSignedReferences();
    if (signedXml === undefined) return { result: 'error', message: 'the signature covers nothing' };
    const certificate = signer?.trusted;
    if (!certificate) return { result: 'untrusted' };
    return { result: 'valid', signedXml, certificate };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/signature value .* is incorrect/s.test(message)) {
      return { result: signer !== undefined ? 'key-info' : 'untrusted' };
    }
    return { result: 'error', message: message.split('\n')[0] ?? message };
  }
}

/**
 * Verify one `ds:Signature` enveloped in `parent`: exactly one reference, to `#<parent's ID>`, only the
 * enveloped-signature and canonicalization transforms, an RSA signature (SHA-256/512, or SHA-1), and a
 * signature value that one of `trusted` verifies. The `KeyInfo` certificate is never trusted; it is only
 * read to explain a failure (the classic rotated IdP certificate).
 * @param xml the whole document as a string (xml-crypto re-parses it; it must be the text `parent` came from).
 */
export function verifyEnvelopedSignature(
  signature: Element,
  parent: Element,
  xml: string,
  trusted: readonly TrustedCertificate[],
): SignatureOutcome {
  const where = parent.localName;
  const signedInfos = children(signature, XMLDSIG_NS, 'SignedInfo');
  const signedInfo = signedInfos[0];
  if (signedInfos.length !== 1 || !signedInfo)
    return malformed(
      parent,
      `the ${where} signature has ${signedInfos.length} SignedInfo elements (needs exactly one)`,
    );
  const references = children(signedInfo, XMLDSIG_NS, 'Reference');
  const reference = references[0];
  if (references.length !== 1 || !reference) {
    return malformed(
      parent,
      `the ${where} signature has ${references.length} references; a SAML signature has exactly one, to the element it is in`,
    );
  }
  const id = attr(parent, 'ID');
  const uri = attr(reference, 'URI');
  if (!id) return malformed(parent, `the signed ${where} has no ID attribute for the signature to reference`);
  if (uri !== `#${id}`) {
    return malformed(
      parent,
      `the ${where} signature references '${uri ?? ''}', not the ${where} it is in ('#${id}'): it signs something else`,
    );
  }
  const transforms = children(reference, XMLDSIG_NS, 'Transforms').flatMap((t) =>
    children(t, XMLDSIG_NS, 'Transform').map((e) => attr(e, 'Algorithm') ?? ''),
  );
  const unknown = transforms.filter((t) => !ALLOWED_TRANSFORMS.has(t));
  if (unknown.length > 0) {
    return malformed(
      parent,
      `the ${where} signature uses transforms SAML signatures do not use: ${unknown.join(', ')}`,
    );
  }
  const signatureMethod = children(signedInfo, XMLDSIG_NS, 'SignatureMethod').map((e) =>
    attr(e, 'Algorithm'),
  )[0];
  if (!signatureMethod || !(signatureMethod in SIGNATURE_ALGORITHMS)) {
    return malformed(
      parent,
      `the ${where} signature uses the algorithm '${signatureMethod ?? '(none)'}'; AWS expects RSA-SHA256 (${RSA_SHA256})`,
    );
  }
  const digestMethod = children(reference, XMLDSIG_NS, 'DigestMethod').map((e) => attr(e, 'Algorithm'))[0];
  if (!digestMethod || !DIGEST_ALGORITHMS.has(digestMethod)) {
    return malformed(parent, `the ${where} signature uses the digest '${digestMethod ?? '(none)'}'`);
  }
  const sha1 = signatureMethod === RSA_SHA1 || digestMethod.endsWith('#sha1');

  const keyInfoCert = children(signature, XMLDSIG_NS, 'KeyInfo')
    .flatMap((k) => children(k, XMLDSIG_NS, 'X509Data'))
    .flatMap((d) => children(d, XMLDSIG_NS, 'X509Certificate'))
    .map((c) => readCertificate(textOf(c)))
    .find((c) => c !== undefined);
  const keyInfoCertificate = keyInfoCert && {
    fingerprint256: keyInfoCert.fingerprint256,
    notAfter: new Date(keyInfoCert.validTo),
    pem: keyInfoCert.toString(),
  };
  const base = { parent, sha1, ...(keyInfoCertificate ? { keyInfoCertificate } : {}) };

  // Picked by matching: the trusted certificate the KeyInfo names goes first; the KeyInfo certificate
  // itself goes last, only ever to explain a failure.
  const named = trusted.filter((t) => t.fingerprint256 === keyInfoCertificate?.fingerprint256);
  const candidates: Candidate[] = [...named, ...trusted.filter((t) => !named.includes(t))].map((t) => ({
    pem: t.pem,
    trusted: t,
  }));
  if (keyInfoCertificate && named.length === 0) {
    candidates.push({ pem: keyInfoCertificate.pem, trusted: undefined });
  }
  const outcome = checkOnce(signature, xml, signatureMethod, candidates);
  if (outcome.result === 'valid') {
    return {
      ...base,
      status: 'valid',
      detail: '',
      signedXml: outcome.signedXml,
      certificate: outcome.certificate,
    };
  }
  if (outcome.result === 'altered') {
    return {
      ...base,
      status: 'altered',
      detail: `the ${where}'s content does not match its signature's digest: it was changed after it was signed`,
    };
  }
  if (outcome.result === 'error') {
    return { ...base, status: 'malformed', detail: `the ${where} signature: ${outcome.message}` };
  }
  const known = trusted.map(describeCertificate).join('; ');
  if (outcome.result === 'key-info' && keyInfoCertificate) {
    return {
      ...base,
      status: 'untrusted',
      detail: `the ${where} is signed with the certificate ${describeCertificate(keyInfoCertificate)}, which is not in the identity provider metadata (it has ${known})`,
    };
  }
  return {
    ...base,
    status: 'untrusted',
    detail: `the ${where} signature does not verify with the certificate${trusted.length === 1 ? '' : 's'} in the identity provider metadata (${known})`,
  };
}

/** Parse the canonical XML of a signed element (xml-crypto's output) back into a DOM. */
export function parseSignedXml(xml: string): Element | undefined {
  const parsed = parseXmlStrict(xml);
  return parsed.ok ? parsed.root : undefined;
}
