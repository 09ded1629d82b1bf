/**
 * XML-DSig as AWS sign-in checks a SAML response: the response must have one assertion, directly in the
 * Response, unique IDs and signatures only where SAML puts them (in the Response or the Assertion, at
 * most one each); every signature must be an enveloped RSA signature referencing the element it is in
 * and verify with a certificate of the IAM provider's metadata (never the one in `KeyInfo`); and the
 * assertion must be covered by one. What is read afterwards comes from the canonical XML the verified
 * digest covered (xml-crypto's signed references), never from the posted document: an unsigned decoy
 * next to a signed element (XML signature wrapping) is never read.
 */
import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { allElements, attribute, childrenNamed, parseXml, textContent } from '../xml.js';
import { SAML_ASSERTION_NS, SAML_PROTOCOL_NS, XMLDSIG_NS } from './messages.js';

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const TRANSFORMS = new Set([
  ENVELOPED,
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
]);
const SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
]);
const DIGEST_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
  'http://www.w3.org/2000/09/xmldsig#sha1',
]);
const ID_NAMES = new Set(['ID', 'Id', 'id']);

/** A response whose assertion a trusted certificate signed. */
export interface VerifiedResponse {
  /** The assertion, parsed from the canonical XML its verified signature covers. */
  assertion: Element;
  /** The Response element: from the signed XML when the Response is signed, else as posted. */
  response: Element;
  /** Whether the Response itself carries a verified signature. */
  responseSigned: boolean;
  /** Base64 DER of the metadata certificate that verified it. */
  certificate: string;
}

export type SignatureResult =
  | ({ ok: true } & VerifiedResponse)
  | {
      ok: false;
      /** `structure`: not shaped like a signed response; `unsigned`; `untrusted`: no metadata
       * certificate verifies it; `altered`: a digest does not match; `malformed`: not a signature
       * this profile accepts. */
      reason: 'structure' | 'unsigned' | 'untrusted' | 'altered' | 'malformed';
      detail: string;
    };

function fail(reason: Exclude<SignatureResult, { ok: true }>['reason'], detail: string): SignatureResult {
  return { ok: false, reason, detail };
}

function pathOf(element: Element): string {
  const parts: string[] = [];
  for (let node: Node | null = element; node && node.nodeType === 1; node = node.parentNode) {
    parts.unshift((node as Element).localName ?? '');
  }
  return parts.join('/');
}

/** Where SAML puts things, or why this response is not shaped like that. */
function structureProblem(root: Element, all: Element[]): string | undefined {
  const assertions = all.filter((e) => e.localName === 'Assertion' || e.localName === 'EncryptedAssertion');
  if (assertions.length !== 1) {
    return `the response holds ${assertions.length} assertions (${assertions.map(pathOf).join(', ') || 'none'}); AWS needs exactly one`;
  }
  const assertion = assertions[0] as Element;
  if (assertion.localName === 'EncryptedAssertion') {
    return 'the assertion is encrypted, and the IAM provider holds no private key to decrypt it';
  }
  if (assertion.parentNode !== root || assertion.namespaceURI !== SAML_ASSERTION_NS) {
    return `the assertion is at ${pathOf(assertion)}, not directly in the Response`;
  }
  const seen = new Map<string, number>();
  for (const element of all) {
    for (let i = 0; i < element.attributes.length; i++) {
      const a = element.attributes.item(i);
      if (!a || !ID_NAMES.has(a.localName ?? a.name)) continue;
      seen.set(a.value, (seen.get(a.value) ?? 0) + 1);
    }
  }
  for (const [id, count] of seen) if (count > 1) return `${count} elements share the ID '${id}'`;
  const perParent = new Map<Node, number>();
  for (const s of all.filter((e) => e.namespaceURI === XMLDSIG_NS && e.localName === 'Signature')) {
    const parent = s.parentNode;
    if (parent !== root && parent !== assertion)
      return `a signature sits at ${pathOf(s)}, where SAML puts none`;
    perParent.set(parent, (perParent.get(parent) ?? 0) + 1);
  }
  for (const [parent, count] of perParent) {
    if (count > 1) return `the ${(parent as Element).localName} carries ${count} signatures`;
  }
  return undefined;
}

/** Why a signature is not one this profile accepts, or undefined. */
function shapeProblem(signature: Element, parent: Element): string | undefined {
  const where = parent.localName;
  const signedInfo = childrenNamed(signature, XMLDSIG_NS, 'SignedInfo');
  if (signedInfo.length !== 1) return `the ${where} signature has ${signedInfo.length} SignedInfo elements`;
  const info = signedInfo[0] as Element;
  const references = childrenNamed(info, XMLDSIG_NS, 'Reference');
  if (references.length !== 1)
    return `the ${where} signature has ${references.length} references (SAML: one)`;
  const reference = references[0] as Element;
  const id = attribute(parent, 'ID');
  if (!id || attribute(reference, 'URI') !== `#${id}`) {
    return `the ${where} signature references '${attribute(reference, 'URI') ?? ''}', not the ${where} it is in`;
  }
  const transforms = childrenNamed(reference, XMLDSIG_NS, 'Transforms').flatMap((t) =>
    childrenNamed(t, XMLDSIG_NS, 'Transform').map((e) => attribute(e, 'Algorithm') ?? ''),
  );
  const odd = transforms.find((t) => !TRANSFORMS.has(t));
  if (odd !== undefined) return `the ${where} signature uses the transform '${odd}'`;
  if (!transforms.includes(ENVELOPED)) return `the ${where} signature is not an enveloped signature`;
  const method = childrenNamed(info, XMLDSIG_NS, 'SignatureMethod').map((e) => attribute(e, 'Algorithm'))[0];
  if (!method || !SIGNATURE_METHODS.has(method)) return `the ${where} signature uses '${method ?? '(none)'}'`;
  const digest = childrenNamed(reference, XMLDSIG_NS, 'DigestMethod').map((e) =>
    attribute(e, 'Algorithm'),
  )[0];
  if (!digest || !DIGEST_METHODS.has(digest))
    return `the ${where} signature digests with '${digest ?? '(none)'}'`;
  return undefined;
}

function pemOf(base64: string): string | undefined {
  try {
    return new X509Certificate(Buffer.from(base64, 'base64')).toString();
  } catch {
    return undefined;
  }
}

type Verdict =
  | { status: 'valid'; signedXml: string; certificate: string }
  | { status: 'altered' | 'untrusted' | 'malformed'; detail: string };

/**
 * One signature against the metadata's certificates. The certificate named by `KeyInfo` is tried first
 * when it is one of them (so a rotation's two certificates cost one verification); `KeyInfo` itself is
 * never trusted.
 */
function verifyOne(signature: Element, xml: string, trusted: readonly string[]): Verdict {
  const keyInfo = childrenNamed(signature, XMLDSIG_NS, 'KeyInfo')
    .flatMap((k) => childrenNamed(k, XMLDSIG_NS, 'X509Data'))
    .flatMap((d) => childrenNamed(d, XMLDSIG_NS, 'X509Certificate'))
    .map((c) => textContent(c).replace(/\s+/g, ''))[0];
  const ordered =
    keyInfo && trusted.includes(keyInfo) ? [keyInfo, ...trusted.filter((c) => c !== keyInfo)] : trusted;
  for (const certificate of ordered) {
    const pem = pemOf(certificate);
    if (!pem) continue;
    const verifier = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature);
      if (!verifier.checkSignature(xml)) {
        return {
          status: 'altered',
          detail: 'its content does not match its digest: it was changed after it was signed',
        };
      }
      const [signedXml] = verifier.getSignedReferences();
      if (signedXml === undefined) return { status: 'malformed', detail: 'the signature covers nothing' };
      return { status: 'valid', signedXml, certificate };
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      if (/signature value .* is incorrect/s.test(message)) continue;
      return { status: 'malformed', detail: message.split('\n')[0] ?? message };
    }
  }
  return {
    status: 'untrusted',
    detail: `it does not verify with the ${trusted.length} certificate${trusted.length === 1 ? '' : 's'} of the provider's metadata${keyInfo && !trusted.includes(keyInfo) ? ' (it was signed with another certificate: the one in its KeyInfo is not in the metadata)' : ''}`,
  };
}

function parseSigned(xml: string): Element | undefined {
  const parsed = parseXml(xml);
  return parsed.ok ? parsed.root : undefined;
}

/**
 * Why a parsed document is not shaped like a signed SAML response (one assertion, directly in the
 * Response, unique IDs, signatures only in the Response or the Assertion), or undefined. Needs no
 * certificate: AWS sign-in refuses such a response before choosing a provider.
 */
export function responseShapeProblem(root: Element): string | undefined {
  if (root.namespaceURI !== SAML_PROTOCOL_NS || root.localName !== 'Response') {
    return `the document is a '${root.localName}', not a SAML 2.0 Response`;
  }
  return structureProblem(root, allElements(root));
}

/**
 * Verify a SAML response (`xml`, already parsed as `root`) against the base64 DER certificates of the
 * provider's metadata.
 */
export function verifyResponse(xml: string, root: Element, trusted: readonly string[]): SignatureResult {
  if (root.namespaceURI !== SAML_PROTOCOL_NS || root.localName !== 'Response') {
    return fail('structure', `the document is a '${root.localName}', not a SAML 2.0 Response`);
  }
  const all = allElements(root);
  const problem = structureProblem(root, all);
  if (problem) return fail('structure', problem);
  const assertion = childrenNamed(root, SAML_ASSERTION_NS, 'Assertion')[0] as Element;
  const signatures = all.filter((e) => e.namespaceURI === XMLDSIG_NS && e.localName === 'Signature');
  if (signatures.length === 0) return fail('unsigned', 'neither the response nor its assertion is signed');
  let forAssertion: string | undefined;
  let forResponse: string | undefined;
  let certificate = '';
  for (const signature of signatures) {
    const parent = signature.parentNode as Element;
    const shape = shapeProblem(signature, parent);
    if (shape) return fail('malformed', shape);
    const verdict = verifyOne(signature, xml, trusted);
    if (verdict.status !== 'valid')
      return fail(verdict.status, `the ${parent.localName} signature: ${verdict.detail}`);
    certificate = verdict.certificate;
    if (parent === assertion) forAssertion = verdict.signedXml;
    else forResponse = verdict.signedXml;
  }
  const signedResponse = forResponse === undefined ? undefined : parseSigned(forResponse);
  let signedAssertion: Element | undefined;
  if (forAssertion !== undefined) signedAssertion = parseSigned(forAssertion);
  else if (signedResponse) {
    const inside = childrenNamed(signedResponse, SAML_ASSERTION_NS, 'Assertion');
    signedAssertion = inside.length === 1 ? inside[0] : undefined;
  }
  if (
    !signedAssertion ||
    signedAssertion.namespaceURI !== SAML_ASSERTION_NS ||
    signedAssertion.localName !== 'Assertion' ||
    attribute(signedAssertion, 'ID') !== attribute(assertion, 'ID')
  ) {
    return fail('structure', 'the verified signature does not cover the assertion');
  }
  return {
    ok: true,
    assertion: signedAssertion,
    response: signedResponse ?? root,
    responseSigned: signedResponse !== undefined,
    certificate,
  };
}
