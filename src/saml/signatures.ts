/**
 * The `signature` check of a SAML response: first its shape (one assertion directly in the Response,
 * unique IDs, signatures only where SAML puts them — the defences against XML signature wrapping), then
 * each signature verified once against the identity provider's certificates, and the signed assertion
 * (and signed Response) read back from the canonical XML the verified signatures cover.
 */
import type { IdpMetadata } from './metadata.js';
import { SAML_ASSERTION_NS, XMLDSIG_NS } from './sign.js';
import type { SamlCheck } from './types.js';
import { AWS_SIGNATURE_INVALID, RECAPTURE_FIX, UPDATE_METADATA_FIX } from './wording.js';
import { attr, children, idsOf, pathOf } from './xml.js';
import {
  parseSignedXml,
  readCertificate,
  type SignatureOutcome,
  type TrustedCertificate,
  verifyEnvelopedSignature,
} from './xmldsig.js';

/** At most this many examples of one structural problem are named in a message. */
const EXAMPLES = 3;

/** `a, b, c and 12 more`. */
function some(items: readonly string[]): string {
  const shown = items.slice(0, EXAMPLES).join(', ');
  return items.length > EXAMPLES ? `${shown} and ${items.length - EXAMPLES} more` : shown;
}

/** The elements of a response that the structure check looks at. */
export interface ResponseParts {
  root: Element;
  /** Every element of the document, depth first. */
  all: readonly Element[];
  assertions: readonly Element[];
  encrypted: readonly Element[];
}

/** The structure is safe to read: the one assertion and the signatures where SAML puts them. */
export type Structure = { ok: true; assertion: Element; placed: Element[] } | { ok: false; check: SamlCheck };

/**
 * The wrapping defences: exactly one assertion, directly in the Response; no two elements share an ID;
 * at most one signature on the Response and one on the assertion, and none elsewhere. Linear in the
 * document (a flood of signatures costs one pass), and each problem names a few examples only.
 */
export function checkStructure({ root, all, assertions, encrypted }: ResponseParts): Structure {
  const structural: string[] = [];
  const assertion = assertions.length === 1 ? assertions[0] : undefined;
  if (assertions.length !== 1 || encrypted.length > 0) {
    structural.push(
      `the response holds ${assertions.length + encrypted.length} assertions (${some([...assertions, ...encrypted].map(pathOf)) || 'none'}); AWS needs exactly one`,
    );
  } else if (assertion && (assertion.parentNode !== root || assertion.namespaceURI !== SAML_ASSERTION_NS)) {
    structural.push(`the assertion is at ${pathOf(assertion)}, not directly in the Response`);
  }
  const shared = [...idsOf(root)].filter(([, elements]) => elements.length > 1);
  for (const [id, elements] of shared.slice(0, EXAMPLES)) {
    structural.push(`${elements.length} elements share the ID '${id}' (${some(elements.map(pathOf))})`);
  }
  if (shared.length > EXAMPLES) structural.push(`${shared.length - EXAMPLES} more IDs are shared`);
  const placed: Element[] = [];
  const misplaced: Element[] = [];
  let onRoot = 0;
  let onAssertion = 0;
  for (const e of all) {
    if (e.namespaceURI !== XMLDSIG_NS || e.localName !== 'Signature') continue;
    if (e.parentNode === root) onRoot++;
    else if (assertion && e.parentNode === assertion) onAssertion++;
    else {
      misplaced.push(e);
      continue;
    }
    placed.push(e);
  }
  for (const e of misplaced.slice(0, EXAMPLES)) {
    structural.push(`a signature sits at ${pathOf(e)}, where SAML puts none`);
  }
  if (misplaced.length > EXAMPLES) {
    structural.push(`${misplaced.length - EXAMPLES} more signatures sit where SAML puts none`);
  }
  if (onRoot > 1) structural.push(`the Response carries more than one signature (${onRoot})`);
  if (onAssertion > 1) structural.push(`the Assertion carries more than one signature (${onAssertion})`);
  if (structural.length > 0 || !assertion) {
    return {
      ok: false,
      check: {
        check: 'signature',
        status: 'fail',
        message: `${AWS_SIGNATURE_INVALID}: the response is not shaped like a signed SAML response — ${structural.join('; ')}. This is what an XML signature-wrapping attack looks like.`,
        fix: `${RECAPTURE_FIX} An unmodified response from Okta has one assertion, unique IDs and its signature directly inside the assertion.`,
      },
    };
  }
  return { ok: true, assertion, placed };
}

function trustedCertificates(metadata: IdpMetadata): TrustedCertificate[] {
  const out: TrustedCertificate[] = [];
  for (const c of metadata.signingCertificates) {
    const cert = readCertificate(c.base64);
    if (cert)
      out.push({
        pem: cert.toString(),
        fingerprint256: cert.fingerprint256,
        notAfter: new Date(cert.validTo),
      });
  }
  return out;
}

/** The verdict on the signatures, and what they cover when they verified. */
export interface SignatureVerdict {
  check: SamlCheck;
  /** The signed assertion (from the canonical XML its signature, or the Response's, covers). */
  signedAssertion: Element | undefined;
  /** The Response as its verified signature covers it (undefined when the Response is not signed). */
  signedResponse: Element | undefined;
}

/** A failed `signature` check: nothing was verified. */
function rejected(message: string, fix: string): SignatureVerdict {
  return {
    signedAssertion: undefined,
    signedResponse: undefined,
    check: { check: 'signature', status: 'fail', message: `${AWS_SIGNATURE_INVALID}: ${message}`, fix },
  };
}

/**
 * Verify the placed signatures (each once) with the metadata's certificates and read back the signed
 * assertion. `xml` is the whole document's text (xml-crypto re-parses it).
 */
export function checkSignatures(
  structure: { assertion: Element; placed: readonly Element[] },
  root: Element,
  xml: string,
  metadata: IdpMetadata,
): SignatureVerdict {
  const { assertion, placed } = structure;
  const trusted = trustedCertificates(metadata);
  const outcomes: SignatureOutcome[] = placed.map((s) =>
    verifyEnvelopedSignature(s, s.parentNode as Element, xml, trusted),
  );
  const failed = outcomes.find((o) => o.status !== 'valid');
  const forAssertion = outcomes.find((o) => o.parent === assertion && o.status === 'valid');
  const forResponse = outcomes.find((o) => o.parent === root && o.status === 'valid');
  if (outcomes.length === 0) {
    return rejected(
      'neither the assertion nor the response is signed.',
      'Okta always signs the assertion of an AWS app; capture the response as the browser posted it. Another IdP must be set to sign the assertion (RSA-SHA256).',
    );
  }
  if (failed) {
    const untrustedKey = failed.status === 'untrusted' && failed.keyInfoCertificate !== undefined;
    return rejected(
      `${failed.detail}.`,
      failed.status === 'altered'
        ? `${RECAPTURE_FIX} Any change to a signed response (even whitespace inside the assertion) breaks its signature.`
        : failed.status === 'untrusted'
          ? `${untrustedKey ? 'The Okta app signs with a certificate the IAM identity provider does not know (typically after the Okta signing certificate was rotated). ' : ''}${UPDATE_METADATA_FIX}`
          : 'The response is not signed the way SAML and AWS expect (enveloped RSA-SHA256 XML signature referencing the signed element). Check the IdP signing settings.',
    );
  }
  const signedResponse =
    forResponse?.signedXml === undefined ? undefined : parseSignedXml(forResponse.signedXml);
  let signedAssertion: Element | undefined;
  if (forAssertion?.signedXml !== undefined) signedAssertion = parseSignedXml(forAssertion.signedXml);
  else if (signedResponse) {
    const inside = children(signedResponse, SAML_ASSERTION_NS, 'Assertion');
    signedAssertion = inside.length === 1 ? inside[0] : undefined;
  }
  if (
    !signedAssertion ||
    signedAssertion.namespaceURI !== SAML_ASSERTION_NS ||
    signedAssertion.localName !== 'Assertion' ||
    attr(signedAssertion, 'ID') !== attr(assertion, 'ID')
  ) {
    return rejected('the verified signature does not cover the assertion.', RECAPTURE_FIX);
  }
  const used = (forAssertion ?? forResponse)?.certificate;
  const what =
    forAssertion && forResponse
      ? 'The response and the assertion are'
      : forAssertion
        ? 'The assertion is'
        : 'The response (and the assertion in it) is';
  const sha1 = outcomes.some((o) => o.sha1);
  return {
    signedAssertion,
    signedResponse,
    check: {
      check: 'signature',
      status: sha1 ? 'warn' : 'ok',
      message: `${what} signed by the identity provider's certificate ${used ? `SHA-256 ${used.fingerprint256}` : ''}${sha1 ? ' — with SHA-1' : ''}.`,
      ...(sha1
        ? {
            fix: 'In the Okta app (Sign On → Edit → Signature Algorithm), choose RSA-SHA256; SHA-1 signatures are weak.',
          }
        : {}),
    },
  };
}
