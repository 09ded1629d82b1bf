/**
 * IAM's reading of SAML 2.0 IdP metadata (CreateSAMLProvider, UpdateSAMLProvider), the sandbox's own:
 * an `EntityDescriptor` (metadata namespace) with an `entityID`, an `IDPSSODescriptor` for the SAML 2.0
 * protocol, and at least one signing certificate (a `KeyDescriptor` with `use="signing"` or no `use`)
 * that is a valid X.509 certificate with a key of at least 1024 bits. Anything else is "Could not parse
 * metadata". The certificates and entity id kept here are what the sandbox's AWS sign-in later trusts.
 */
import { X509Certificate } from 'node:crypto';
import { attribute, childrenNamed, parseXml, textContent } from '../xml.js';

const METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** IAM refuses signing keys shorter than this. */
const MIN_RSA_BITS = 1024;

/** What IAM keeps of a provider's metadata. */
export interface SamlMetadata {
  /** The `entityID`: the `Issuer` the provider's SAML responses must carry. */
  entityId: string;
  /** Base64 DER of each signing certificate, in document order. */
  signingCertificates: string[];
  /** Epoch ms of the `validUntil` attribute of the EntityDescriptor, when it has one. */
  validUntil?: number;
}

/** The metadata as IAM reads it, or undefined when IAM answers "Could not parse metadata". */
export function parseSamlMetadata(xml: string): SamlMetadata | undefined {
  // Metadata may hold many certificates and endpoints: looser limits than a SAML response's.
  const parsed = parseXml(xml, { maxDepth: 32, maxAttributes: 20_000, maxNamespaceDeclarations: 2_000 });
  if (!parsed.ok) return undefined;
  const root = parsed.root;
  if (root.namespaceURI !== METADATA_NS || root.localName !== 'EntityDescriptor') return undefined;
  const entityId = attribute(root, 'entityID');
  if (!entityId) return undefined;
  const idp = childrenNamed(root, METADATA_NS, 'IDPSSODescriptor').find((d) =>
    (attribute(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL),
  );
  if (!idp) return undefined;
  const signingCertificates: string[] = [];
  for (const key of childrenNamed(idp, METADATA_NS, 'KeyDescriptor')) {
    const use = attribute(key, 'use');
    if (use !== undefined && use !== 'signing') continue;
    for (const info of childrenNamed(key, DSIG_NS, 'KeyInfo')) {
      for (const data of childrenNamed(info, DSIG_NS, 'X509Data')) {
        for (const c of childrenNamed(data, DSIG_NS, 'X509Certificate')) {
          const base64 = textContent(c).replace(/\s+/g, '');
          if (base64 === '') continue;
          if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
          let cert: X509Certificate;
          try {
            cert = new X509Certificate(Buffer.from(base64, 'base64'));
          } catch {
            return undefined;
          }
          const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength;
          if (bits !== undefined && bits < MIN_RSA_BITS) return undefined;
          signingCertificates.push(base64);
        }
      }
    }
  }
  if (signingCertificates.length === 0) return undefined;
  const validUntil = Date.parse(attribute(root, 'validUntil') ?? '');
  return { entityId, signingCertificates, ...(Number.isFinite(validUntil) ? { validUntil } : {}) };
}
