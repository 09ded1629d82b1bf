/**
 * SAML 2.0 identity-provider metadata (what Okta serves at `…/sso/saml/metadata` and what IAM stores
 * in a SAML provider): parsed defensively. Documents with a DOCTYPE or entity declarations are
 * refused outright (XXE and entity-expansion attacks), as are oversized and non-SAML documents.
 */
import { X509Certificate } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConfigError } from '../core/errors.js';

/** IAM's limits on `SAMLMetadataDocument`. */
export const METADATA_MIN_LENGTH = 1000;
export const METADATA_MAX_LENGTH = 10_000_000;

const METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** IAM refuses signing keys shorter than this. */
const MIN_RSA_BITS = 1024;

/** A signing certificate of the IdP (a `KeyDescriptor` with `use="signing"` or no `use`). */
export interface SigningCertificate {
  /** Base64 DER, as in `<ds:X509Certificate>`. */
  base64: string;
  /** The certificate in PEM (`-----BEGIN CERTIFICATE-----` …). */
  pem: string;
  /** The subject's distinguished name, its parts joined with `, ` (`C=US, …, CN=dev-123`). */
  subject: string;
  /** Start of the certificate's validity. */
  notBefore: Date;
  /** End of the certificate's validity. */
  notAfter: Date;
  /** SHA-256 fingerprint, colon-separated hex (as `openssl x509 -fingerprint -sha256` prints it). */
  fingerprint256: string;
}

/** Parsed SAML 2.0 IdP metadata, from {@link parseIdpMetadata}. */
export interface IdpMetadata {
  /** The `EntityDescriptor`'s `entityID`: the IdP's issuer (Okta: `http://www.okta.com/<id>`). */
  entityId: string;
  /** `SingleSignOnService` endpoints by binding (`urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST` → URL). */
  ssoEndpoints: {
    /** The SAML binding URI. */
    binding: string;
    /** The endpoint URL. */
    location: string;
  }[];
  /** The signing certificates, in document order (at least one). */
  signingCertificates: SigningCertificate[];
  /** The `NameIDFormat` URIs the IdP supports, in document order; may be empty. */
  nameIdFormats: string[];
  /** The IdP's `WantAuthnRequestsSigned` (false when absent). */
  wantAuthnRequestsSigned: boolean;
  /** The document's `validUntil`, when it has one. */
  validUntil: Date | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) =>
    ['KeyDescriptor', 'SingleSignOnService', 'NameIDFormat', 'X509Certificate', 'IDPSSODescriptor'].includes(
      name,
    ),
});

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : isNode(value) && typeof value['#text'] === 'string'
      ? value['#text']
      : undefined;

function fail(message: string, field: string): never {
  throw new ConfigError(field, message);
}

/**
 * Parse IdP metadata.
 * @param field the name to put in errors (`metadata`, `apps[0].metadata`).
 * @throws {ConfigError} for a document that is too short or long, declares a DOCTYPE or entities, is
 *   not XML, is not an `EntityDescriptor` with an `IDPSSODescriptor`, or has no usable signing certificate.
 */
export function parseIdpMetadata(xml: string, field = 'metadata'): IdpMetadata {
  if (typeof xml !== 'string') fail('expected the metadata XML as a string', field);
  if (xml.length < METADATA_MIN_LENGTH) {
    fail(`is ${xml.length} characters; SAML metadata (and IAM) needs at least ${METADATA_MIN_LENGTH}`, field);
  }
  if (xml.length > METADATA_MAX_LENGTH) {
    fail(`is ${xml.length} characters; IAM accepts at most ${METADATA_MAX_LENGTH}`, field);
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    fail('declares a DOCTYPE or entities, which SAML metadata never needs', field);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    fail(`is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`, field);
  }
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    fail(`is not well-formed XML: ${(error as Error).message.split('\n')[0]}`, field);
  }
  const entity = doc.EntityDescriptor;
  if (!isNode(entity) || !xml.includes(METADATA_NS)) {
    fail(`is not SAML metadata: the root element must be an EntityDescriptor in ${METADATA_NS}`, field);
  }
  const entityId = entity['@entityID'];
  if (typeof entityId !== 'string' || entityId.length === 0) fail('has no entityID', field);
  const idp = list(entity.IDPSSODescriptor)
    .filter(isNode)
    .find((d) =>
      String(d['@protocolSupportEnumeration'] ?? '')
        .split(/\s+/)
        .includes(SAML2_PROTOCOL),
    );
  if (!idp)
    fail('describes no SAML 2.0 identity provider (no md:IDPSSODescriptor for the SAML 2.0 protocol)', field);

  const ssoEndpoints = list(idp.SingleSignOnService)
    .filter(isNode)
    .map((s) => ({ binding: String(s['@Binding'] ?? ''), location: String(s['@Location'] ?? '') }))
    .filter((s) => s.binding && s.location);
  const nameIdFormats = list(idp.NameIDFormat)
    .map(text)
    .filter((s): s is string => Boolean(s));

  const signingCertificates: SigningCertificate[] = [];
  for (const key of list(idp.KeyDescriptor).filter(isNode)) {
    const use = key['@use'];
    if (use !== undefined && use !== 'signing') continue;
    const x509Data = list(key.KeyInfo)
      .filter(isNode)
      .flatMap((info) => list(info.X509Data));
    for (const data of x509Data.filter(isNode)) {
      for (const raw of list(data.X509Certificate)) {
        const base64 = text(raw)?.replace(/\s+/g, '');
        if (!base64) continue;
        let cert: X509Certificate;
        try {
          if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new Error('not base64');
          cert = new X509Certificate(Buffer.from(base64, 'base64'));
        } catch {
          fail('holds a signing certificate that is not a valid X.509 certificate', field);
        }
        const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength;
        if (bits !== undefined && bits < MIN_RSA_BITS) {
          fail(`holds a ${bits}-bit signing key; IAM needs at least ${MIN_RSA_BITS} bits`, field);
        }
        signingCertificates.push({
          base64,
          pem: cert.toString(),
          subject: cert.subject.replace(/\n/g, ', '),
          notBefore: new Date(cert.validFrom),
          notAfter: new Date(cert.validTo),
          fingerprint256: cert.fingerprint256,
        });
      }
    }
  }
  if (signingCertificates.length === 0)
    fail('has no signing certificate (KeyDescriptor use="signing")', field);
  return {
    entityId,
    ssoEndpoints,
    signingCertificates,
    nameIdFormats,
    wantAuthnRequestsSigned: idp['@WantAuthnRequestsSigned'] === 'true',
    validUntil:
      typeof entity['@validUntil'] === 'string' && Number.isFinite(Date.parse(entity['@validUntil']))
        ? new Date(entity['@validUntil'])
        : undefined,
  };
}
