/**
 * Build and sign SAML 2.0 responses shaped like the ones Okta's AWS apps post to AWS sign-in: a
 * `saml2p:Response` holding one `saml2:Assertion` with a bearer subject confirmation, an audience
 * restriction, an authentication statement and the AWS attributes. The sandbox's Okta uses this to
 * sign what it posts, and tests use it to build fixtures. Signing is XML-DSig with RSA-SHA256,
 * exclusive canonicalization and an enveloped signature whose single reference is `#<ID>` of the
 * signed element, with the certificate in `KeyInfo` (what Okta sends).
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export const SAML_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** AWS's SAML attribute names (case-sensitive). */
export const AWS_ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
export const AWS_ROLE_SESSION_NAME_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';
export const AWS_SESSION_DURATION_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SessionDuration';
/** AWS's service-provider entity ID (commercial partition), the audience every response must name. */
export const AWS_SAML_AUDIENCE = 'urn:amazon:webservices';
/** The global AWS sign-in endpoint (the `Recipient` and `Destination` Okta uses by default). */
export const AWS_SIGNIN_SAML_URL = 'https://signin.aws.amazon.com/saml';

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const ATTRNAME_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const PASSWORD_PROTECTED_TRANSPORT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

/** A Role attribute value as a pair; rendered `provider-arn,role-arn` (the order of Okta's `roleValuePattern`). */
export interface SamlRolePair {
  roleArn: string;
  providerArn: string;
}

export interface SamlResponseInput {
  /** The IdP entity ID (Okta: `http://www.okta.com/<app key>`), put in both `Issuer` elements. */
  issuer: string;
  /** `Subject/NameID`; omitted from the document when undefined. */
  nameId?: string | undefined;
  /** Default `urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified`. */
  nameIdFormat?: string;
  /** `IssueInstant` of the response and the assertion, and `AuthnInstant`. */
  now: number | Date;
  /** Default 300 s: Conditions run from now − lifetime to now + lifetime, the subject confirmation to now + lifetime (Okta's shape). */
  lifetimeSeconds?: number;
  /** Override `Conditions/@NotBefore` (undefined: now − lifetime; null: omit). */
  notBefore?: number | Date | null;
  /** Override `Conditions/@NotOnOrAfter` (undefined: now + lifetime; null: omit). */
  notOnOrAfter?: number | Date | null;
  /** Override `SubjectConfirmationData/@NotOnOrAfter` (undefined: now + lifetime; null: omit). */
  subjectNotOnOrAfter?: number | Date | null;
  /** `SubjectConfirmationData/@Recipient`; default `https://signin.aws.amazon.com/saml`; null: omit. */
  recipient?: string | null;
  /** `Response/@Destination`; default the recipient. */
  destination?: string;
  /** `Audience` values; default `['urn:amazon:webservices']`. */
  audiences?: string[];
  /** Role attribute values: pairs (rendered provider first, as Okta does) or raw strings (for malformed ones). Omitted when empty/undefined. */
  roles?: (SamlRolePair | string)[] | undefined;
  /** RoleSessionName attribute (the Okta app username); omitted when undefined. */
  roleSessionName?: string | undefined;
  /** SessionDuration attribute in seconds; omitted when undefined. */
  sessionDuration?: number | string | undefined;
  /** Further attributes by name. */
  attributes?: Record<string, string[]>;
  /** Default a random `id…` value (an NCName, as Okta's). */
  responseId?: string;
  /** Default a random `id…` value. */
  assertionId?: string;
  /** `AuthnStatement/@SessionIndex`; default the assertion ID. */
  sessionIndex?: string;
}

/** XML-escape text or an attribute value. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An ID like Okta's: `id` followed by random digits (an NCName, so usable as an XML ID). */
export function samlId(): string {
  const digits = Array.from(randomBytes(20), (b) => String(b % 10)).join('');
  return `id${digits}`;
}

const ms = (value: number | Date): number => (typeof value === 'number' ? value : value.getTime());
/** SAML time: UTC with milliseconds, as Okta writes it. */
const samlTime = (value: number | Date): string => new Date(ms(value)).toISOString();

function attributeXml(name: string, values: string[]): string {
  const rendered = values
    .map(
      (v) =>
        `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(v)}</saml2:AttributeValue>`,
    )
    .join('');
  return `<saml2:Attribute Name="${escapeXml(name)}" NameFormat="${ATTRNAME_URI}">${rendered}</saml2:Attribute>`;
}

/** The unsigned response XML (no XML declaration, no insignificant whitespace). */
export function buildSamlResponseXml(input: SamlResponseInput): string {
  const now = ms(input.now);
  const lifetime = (input.lifetimeSeconds ?? 300) * 1000;
  const pick = (value: number | Date | null | undefined, fallback: number): string | undefined =>
    value === null ? undefined : samlTime(value ?? fallback);
  const notBefore = pick(input.notBefore, now - lifetime);
  const notOnOrAfter = pick(input.notOnOrAfter, now + lifetime);
  const subjectNotOnOrAfter = pick(input.subjectNotOnOrAfter, now + lifetime);
  const recipient = input.recipient === null ? undefined : (input.recipient ?? AWS_SIGNIN_SAML_URL);
  const destination = input.destination ?? recipient ?? AWS_SIGNIN_SAML_URL;
  const responseId = input.responseId ?? samlId();
  const assertionId = input.assertionId ?? samlId();
  const instant = samlTime(now);
  const issuer = escapeXml(input.issuer);

  const attrs: string[] = [];
  const roles = (input.roles ?? []).map((r) => (typeof r === 'string' ? r : `${r.providerArn},${r.roleArn}`));
  if (roles.length > 0) attrs.push(attributeXml(AWS_ROLE_ATTRIBUTE, roles));
  if (input.roleSessionName !== undefined)
    attrs.push(attributeXml(AWS_ROLE_SESSION_NAME_ATTRIBUTE, [input.roleSessionName]));
  if (input.sessionDuration !== undefined)
    attrs.push(attributeXml(AWS_SESSION_DURATION_ATTRIBUTE, [String(input.sessionDuration)]));
  for (const [name, values] of Object.entries(input.attributes ?? {})) attrs.push(attributeXml(name, values));

  const nameId =
    input.nameId === undefined
      ? ''
      : `<saml2:NameID Format="${escapeXml(input.nameIdFormat ?? NAMEID_UNSPECIFIED)}">${escapeXml(input.nameId)}</saml2:NameID>`;
  const confirmationData = [
    subjectNotOnOrAfter ? ` NotOnOrAfter="${subjectNotOnOrAfter}"` : '',
    recipient === undefined ? '' : ` Recipient="${escapeXml(recipient)}"`,
  ].join('');
  const conditions = [
    notBefore ? ` NotBefore="${notBefore}"` : '',
    notOnOrAfter ? ` NotOnOrAfter="${notOnOrAfter}"` : '',
  ].join('');
  const audiences = (input.audiences ?? [AWS_SAML_AUDIENCE])
    .map((a) => `<saml2:Audience>${escapeXml(a)}</saml2:Audience>`)
    .join('');

  return [
    `<saml2p:Response xmlns:saml2p="${SAML_PROTOCOL_NS}" Destination="${escapeXml(destination)}" ID="${escapeXml(responseId)}" IssueInstant="${instant}" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">`,
    `<saml2:Issuer xmlns:saml2="${SAML_ASSERTION_NS}" Format="${ENTITY_FORMAT}">${issuer}</saml2:Issuer>`,
    `<saml2p:Status xmlns:saml2p="${SAML_PROTOCOL_NS}"><saml2p:StatusCode Value="${SUCCESS}"/></saml2p:Status>`,
    `<saml2:Assertion xmlns:saml2="${SAML_ASSERTION_NS}" ID="${escapeXml(assertionId)}" IssueInstant="${instant}" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">`,
    `<saml2:Issuer Format="${ENTITY_FORMAT}" xmlns:saml2="${SAML_ASSERTION_NS}">${issuer}</saml2:Issuer>`,
    `<saml2:Subject xmlns:saml2="${SAML_ASSERTION_NS}">${nameId}`,
    `<saml2:SubjectConfirmation Method="${BEARER}"><saml2:SubjectConfirmationData${confirmationData}/></saml2:SubjectConfirmation>`,
    '</saml2:Subject>',
    `<saml2:Conditions${conditions} xmlns:saml2="${SAML_ASSERTION_NS}"><saml2:AudienceRestriction>${audiences}</saml2:AudienceRestriction></saml2:Conditions>`,
    `<saml2:AuthnStatement AuthnInstant="${instant}" SessionIndex="${escapeXml(input.sessionIndex ?? assertionId)}" xmlns:saml2="${SAML_ASSERTION_NS}"><saml2:AuthnContext><saml2:AuthnContextClassRef>${PASSWORD_PROTECTED_TRANSPORT}</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>`,
    attrs.length > 0
      ? `<saml2:AttributeStatement xmlns:saml2="${SAML_ASSERTION_NS}">${attrs.join('')}</saml2:AttributeStatement>`
      : '',
    '</saml2:Assertion>',
    '</saml2p:Response>',
  ].join('');
}

export interface SignSamlOptions {
  /** The IdP's private key, PEM (PKCS#8 or PKCS#1). */
  privateKeyPem: string;
  /** The IdP's certificate, base64 DER (as in metadata `X509Certificate`) or PEM; put in `KeyInfo`. */
  certificateBase64: string;
  /** Sign the assertion (default true; Okta always does). */
  signAssertion?: boolean;
  /** Also sign the response around it (default false; an Okta app option). */
  signResponse?: boolean;
}

function certificatePem(certificate: string): string {
  const trimmed = certificate.trim();
  if (trimmed.startsWith('-----BEGIN')) return new X509Certificate(trimmed).toString();
  return new X509Certificate(Buffer.from(trimmed.replace(/\s+/g, ''), 'base64')).toString();
}

const RESPONSE_XPATH =
  "/*[local-name(.)='Response' and namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:protocol']";
const ASSERTION_XPATH = `${RESPONSE_XPATH}/*[local-name(.)='Assertion' and namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:assertion']`;

function signElement(xml: string, elementXpath: string, options: SignSamlOptions): string {
  const sig = new SignedXml({
    privateKey: options.privateKeyPem,
    publicCert: certificatePem(options.certificateBase64),
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: elementXpath,
    transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
    digestAlgorithm: SHA256,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    // Schema position: right after the element's Issuer.
    location: { reference: `${elementXpath}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

/**
 * Sign a SAML response (XML as {@link buildSamlResponseXml} makes it, with exactly one Assertion that
 * has an `ID`): the assertion, and optionally the response too (assertion first, so the response
 * signature covers the signed assertion). Returns the signed XML; post it base64-encoded.
 */
export function signSamlResponse(xml: string, options: SignSamlOptions): string {
  let out = xml;
  if (options.signAssertion ?? true) out = signElement(out, ASSERTION_XPATH, options);
  if (options.signResponse ?? false) out = signElement(out, RESPONSE_XPATH, options);
  return out;
}

/** Base64 of the UTF-8 XML: the `SAMLResponse` form field as the browser posts it. */
export function encodeSamlResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}
