/**
 * The XML plumbing of SAML response verification: a parser that refuses what a SAML response never
 * needs (DOCTYPE, entity declarations, absurd nesting), namespace-aware DOM helpers, and XML-DSig
 * verification with `xml-crypto` against trusted certificates only — never the certificate the
 * document carries in `KeyInfo` — that hands back the canonical XML of the element the signature
 * covers, so callers read values from what was signed rather than from a fresh look-up that an
 * unsigned decoy could answer (XML signature wrapping).
 */
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { XMLValidator } from 'fast-xml-parser';
import { SignedXml } from 'xml-crypto';
import { ENVELOPED_SIGNATURE, EXC_C14N, RSA_SHA256, SHA256, XMLDSIG_NS } from './sign.js';

/** Deeper than any SAML response (≈ 8 levels); a guard for the recursive canonicalizer. */
export const MAX_XML_DEPTH = 64;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

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
// Parsing and DOM helpers

export type ParsedXml = { ok: true; document: Document; root: Element } | { ok: false; message: string };

/**
 * Parse XML that must not declare a DOCTYPE or entities (refused before any parsing: XXE and
 * entity-expansion attacks never reach a parser) and must be well-formed and at most
 * {@link MAX_XML_DEPTH} elements deep.
 */
export function parseXmlStrict(xml: string): ParsedXml {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    return {
      ok: false,
      message:
        'it declares a DOCTYPE or entities, which a SAML response never does (XML external entity and entity-expansion attacks use them); it was refused without being parsed',
    };
  }
  const nesting = nestingDepth(xml, MAX_XML_DEPTH);
  if (nesting > MAX_XML_DEPTH) {
    return {
      ok: false,
      message: `it nests elements more than ${MAX_XML_DEPTH} deep; a SAML response needs fewer`,
    };
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return {
      ok: false,
      message: `it is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`,
    };
  }
  const problems: string[] = [];
  const record = (msg: unknown) => problems.push(String(msg).replace(/^\[xmldom \w+\]\s*/, ''));
  let document: Document;
  try {
    document = new DOMParser({
      locator: {},
      errorHandler: { warning: () => {}, error: record, fatalError: record },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    return {
      ok: false,
      message: `it is not well-formed XML: ${String((error as Error).message).split('\n')[0]}`,
    };
  }
  const root = document?.documentElement;
  if (problems.length > 0 || !root) {
    return { ok: false, message: `it is not well-formed XML: ${problems[0] ?? 'no root element'}` };
  }
  let depth = 0;
  for (const { depth: d } of walk(root)) depth = Math.max(depth, d);
  if (depth > MAX_XML_DEPTH) {
    return {
      ok: false,
      message: `it nests elements ${depth} deep; a SAML response needs fewer than ${MAX_XML_DEPTH}`,
    };
  }
  return { ok: true, document, root };
}

const TAG_REST = /(?:[^>"']|"[^"]*"|'[^']*')*>/y;

/**
 * How deep elements nest, from the text alone (a linear scan, before any parser sees a hostile
 * document); stops counting once past `limit`. Comments, CDATA and processing instructions are skipped.
 */
export function nestingDepth(xml: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml[at + 1];
    let end: number;
    if (xml.startsWith('<!--', at)) end = xml.indexOf('-->', at + 4) + 2;
    else if (xml.startsWith('<![CDATA[', at)) end = xml.indexOf(']]>', at + 9) + 2;
    else if (next === '?') end = xml.indexOf('?>', at + 2) + 1;
    else {
      TAG_REST.lastIndex = at + 1;
      end = TAG_REST.test(xml) ? TAG_REST.lastIndex - 1 : -1;
      if (end === -1) break;
      if (next === '/') depth--;
      else if (next !== '!' && xml[end - 1] !== '/') {
        depth++;
        if (depth > max) max = depth;
        if (max > limit) return max;
      }
    }
    if (end < at) break;
    at = xml.indexOf('<', end + 1);
  }
  return max;
}

/** Every element under (and including) `root`, depth first, without recursion. */
export function* walk(root: Element): Generator<{ element: Element; depth: number }> {
  const stack: { element: Element; depth: number }[] = [{ element: root, depth: 1 }];
  while (stack.length > 0) {
    const next = stack.pop() as { element: Element; depth: number };
    yield next;
    const kids = childElements(next.element);
    for (let i = kids.length - 1; i >= 0; i--)
      stack.push({ element: kids[i] as Element, depth: next.depth + 1 });
  }
}

export function childElements(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

/** Child elements with this namespace and local name. */
export function children(element: Element, ns: string, localName: string): Element[] {
  return childElements(element).filter((e) => e.namespaceURI === ns && e.localName === localName);
}

/** The text of an element: its text and CDATA descendants joined (comments and PIs ignored). */
export function textOf(element: Element): string {
  let out = '';
  const stack: Node[] = [element];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) out += node.nodeValue ?? '';
    else if (node.nodeType === ELEMENT_NODE) {
      const kids: Node[] = [];
      for (let k = node.firstChild; k; k = k.nextSibling) kids.push(k);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Node);
    }
  }
  return out;
}

/** An attribute's value, or undefined when the element does not have it. */
export function attr(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

/** A readable path to an element (`Response/Assertion/Signature`) for messages. */
export function pathOf(element: Element): string {
  const parts: string[] = [];
  for (let node: Node | null = element; node && node.nodeType === ELEMENT_NODE; node = node.parentNode) {
    parts.unshift((node as Element).localName ?? (node as Element).nodeName);
  }
  return parts.join('/');
}

/** The attributes that xml-crypto (and most XML-DSig implementations) treat as IDs, matched by local name. */
export const ID_ATTRIBUTES = ['ID', 'Id', 'id'];

/** Every ID-like attribute value in the document with the elements that carry it. */
export function idsOf(root: Element): Map<string, Element[]> {
  const ids = new Map<string, Element[]>();
  for (const { element } of walk(root)) {
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes.item(i);
      if (!a || !ID_ATTRIBUTES.includes(a.localName ?? a.name)) continue;
      const list = ids.get(a.value);
      if (list) list.push(element);
      else ids.set(a.value, [element]);
    }
  }
  return ids;
}

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

/** One ds:Signature checked with one certificate: true, 'altered', 'wrong-key', or an error message. */
function checkWith(
  signature: Element,
  xml: string,
  pem: string,
): { result: true | 'altered' | 'wrong-key' | string; signedXml?: string } {
  const verifier = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
  try {
    verifier.loadSignature(signature);
    const valid = verifier.checkSignature(xml);
    if (!valid) return { result: 'altered' };
    const [signedXml] = verifier.getSignedReferences();
    if (signedXml === undefined) return { result: 'the signature covers nothing' };
    return { result: true, signedXml };
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    if (/signature value .* is incorrect/s.test(message)) return { result: 'wrong-key' };
    return { result: message.split('\n')[0] ?? message };
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

  for (const certificate of trusted) {
    const { result, signedXml } = checkWith(signature, xml, certificate.pem);
    if (result === true && signedXml !== undefined) {
      return { ...base, status: 'valid', detail: '', signedXml, certificate };
    }
    if (result === 'altered') {
      return {
        ...base,
        status: 'altered',
        detail: `the ${where}'s content does not match its signature's digest: it was changed after it was signed`,
      };
    }
    if (result !== 'wrong-key')
      return { ...base, status: 'malformed', detail: `the ${where} signature: ${result}` };
  }
  const known = trusted.map(describeCertificate).join('; ');
  if (keyInfoCertificate && !trusted.some((t) => t.fingerprint256 === keyInfoCertificate.fingerprint256)) {
    const byKeyInfo = checkWith(signature, xml, keyInfoCertificate.pem).result === true;
    if (byKeyInfo) {
      return {
        ...base,
        status: 'untrusted',
        detail: `the ${where} is signed with the certificate ${describeCertificate(keyInfoCertificate)}, which is not in the identity provider metadata (it has ${known})`,
      };
    }
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
