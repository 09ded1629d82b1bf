/**
 * Verify a SAML response the way AWS sign-in (`https://signin.aws.amazon.com/saml`) does, and say what
 * to fix: the signature against the IAM identity provider's metadata (immune to signature wrapping: the
 * values checked are read from the canonical XML the verified signature covers), issuer, audience,
 * recipient, validity window, the AWS Role / RoleSessionName / SessionDuration attributes and — given
 * a context — that the roles and providers exist and trust each other and that the Connect user named
 * by RoleSessionName exists with exactly that spelling.
 *
 * {@link checkSamlResponse} is synchronous and makes no calls (the sandbox's AWS sign-in uses it);
 * {@link verifySamlResponse} adds the checks that read IAM and Connect.
 */
import type { SsoContext } from '../core/context.js';
import { ConfigError, ConnectSsoError } from '../core/errors.js';
import { isAwsError } from '../providers/aws/call.js';
import { decodePolicyDocument } from '../providers/aws/policy-document.js';
import { send } from '../providers/aws/send.js';
import { findConnectUser } from '../resources/users/connect-user.js';
import { type IdpMetadata, parseIdpMetadata } from './metadata.js';
import {
  AWS_ROLE_ATTRIBUTE,
  AWS_ROLE_SESSION_NAME_ATTRIBUTE,
  AWS_SAML_AUDIENCE,
  AWS_SESSION_DURATION_ATTRIBUTE,
  AWS_SIGNIN_SAML_URL,
  SAML_ASSERTION_NS,
  SAML_PROTOCOL_NS,
  XMLDSIG_NS,
} from './sign.js';
import {
  attr,
  children,
  idsOf,
  parseSignedXml,
  parseXmlStrict,
  pathOf,
  readCertificate,
  type SignatureOutcome,
  type TrustedCertificate,
  textOf,
  verifyEnvelopedSignature,
  walk,
} from './xmldsig.js';

/** The most base64 (or XML) accepted for one SAML response: 1 MiB. Okta's are 5–15 KB. */
export const MAX_SAML_RESPONSE_LENGTH = 1024 * 1024;
/** Default tolerance for clock differences between the IdP and the verifier. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/** AWS's wording for a response it rejects without saying more. */
export const AWS_INVALID_SAML_RESPONSE =
  'Your request included an invalid SAML response. To logout, click here.';
export const AWS_SIGNATURE_INVALID = 'Error: Response signature invalid';
export const AWS_NOT_AUTHORIZED = 'Not authorized to perform sts:AssumeRoleWithSAML';
export const AWS_ISSUER_NOT_PRESENT = 'Failed to assume role: Issuer not present in specified provider';
export const AWS_AUDIENCE_MISSING = 'Response does not contain the required audience.';
export const AWS_ROLE_SESSION_NAME_REQUIRED = 'RoleSessionName is required in AuthnResponse';
export const AWS_ROLE_SESSION_NAME_INVALID =
  'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}';
export const AWS_PROVIDER_MISSING = "Specified provider doesn't exist.";

const ROLE_SESSION_NAME = /^[a-zA-Z_0-9+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const PROVIDER_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):saml-provider\/([\w.-]{1,128})$/;
const SAML_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const REGIONAL_SIGNIN = /^https:\/\/([a-z]{2}(-gov)?-[a-z]+-\d)\.signin\.aws\.amazon\.com\/saml$/;

const UPDATE_METADATA_FIX =
  "Update the IAM identity provider's metadata from the Okta app (Okta: the app → Sign On → SAML Signing Certificates → Actions → View IdP metadata; AWS: IAM → Identity providers → the provider → Replace metadata), or run `doctor` / `linkIdentityProvider`, which do it for you.";

/** What the assertion says, read from the signed assertion (see {@link SamlVerification.assertion}). */
export interface SamlAssertionInfo {
  /** `Assertion/Issuer`. */
  issuer: string;
  /** `Subject/NameID`. */
  nameId: string | undefined;
  /** The single `RoleSessionName` attribute value (the Okta app username). */
  roleSessionName: string | undefined;
  /** `SessionDuration` in seconds, when sent and an integer. */
  sessionDuration: number | undefined;
  /** The valid Role attribute values as pairs (either order in the response). */
  roles: {
    /** The IAM role ARN of the pair. */
    roleArn: string;
    /** The IAM SAML provider ARN of the pair. */
    providerArn: string;
  }[];
  /** Every `AudienceRestriction/Audience`. */
  audiences: string[];
  /** The bearer `SubjectConfirmationData/@Recipient`. */
  recipient: string | undefined;
  /** `Conditions/@NotBefore`. */
  notBefore: Date | undefined;
  /** `Conditions/@NotOnOrAfter`, or the subject confirmation's when Conditions has none. */
  notOnOrAfter: Date | undefined;
  /** Every attribute by `Name`, values in document order. */
  attributes: Record<string, string[]>;
}

/** One finding. */
export interface SamlCheck {
  /**
   * `xml` · `signature` · `issuer` · `subject` · `audience` · `recipient` · `time` · `roles` ·
   * `role-session-name` · `session-duration`; with a context also `identity-provider`, `role-trust`,
   * `connect-user`.
   */
  check: string;
  /**
   * `ok`: passed; `fail`: the sign-in fails because of this; `warn`: accepted but likely a problem;
   * `skip`: not checked (an earlier failure or missing input made it impossible).
   */
  status: 'ok' | 'fail' | 'warn' | 'skip';
  /** What was found, starting with AWS's own wording when AWS shows one for this failure. */
  message: string;
  /** What to do about a `fail` or `warn`. */
  fix?: string;
}

/** The result of {@link checkSamlResponse} and {@link verifySamlResponse}. */
export interface SamlVerification {
  /** No check failed. */
  ok: boolean;
  /** Every check, in the order they ran, whatever its status. */
  checks: SamlCheck[];
  /**
   * The assertion's content. When the signature verified it is read from the signed assertion only;
   * when it did not (ok is false) it is read from the unverified assertion, for diagnosis; undefined
   * when the response could not be read or is structurally unsafe (e.g. two assertions).
   */
  assertion: SamlAssertionInfo | undefined;
}

/** Options of {@link checkSamlResponse}. */
export interface CheckSamlResponseOptions {
  /** The IdP metadata XML (as stored in the IAM identity provider) or its parsed form. */
  metadata: string | IdpMetadata;
  /** The time to check the validity window against, epoch milliseconds or a Date (default now). */
  now?: number | Date;
  /** Tolerated clock difference, in seconds (default 300). */
  clockSkewSeconds?: number;
  /**
   * Accepted `Recipient` values; default `['https://signin.aws.amazon.com/saml']`. Regional endpoints
   * (`https://<region>.signin.aws.amazon.com/saml`) are accepted when listed here.
   */
  recipients?: string[];
  /** The audience AWS requires; default `urn:amazon:webservices` (GovCloud: `urn:amazon:webservices:govcloud`). */
  audience?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

type Decoded = { ok: true; xml: string } | { ok: false; message: string; fix: string };

const RECAPTURE_FIX =
  'Capture the SAMLResponse again: browser developer tools → Network → the POST to signin.aws.amazon.com/saml → Payload → SAMLResponse (the whole value, URL-decoded), or use a SAML tracer extension.';

/** The XML of a SAMLResponse as posted (base64, maybe URL-encoded, maybe `SAMLResponse=` prefixed) or as XML. */
function decodeSamlResponse(input: unknown): Decoded {
  if (typeof input !== 'string') {
    return { ok: false, message: 'The SAML response must be a string (base64 or XML).', fix: RECAPTURE_FIX };
  }
  if (input.length > MAX_SAML_RESPONSE_LENGTH) {
    return {
      ok: false,
      message: `${AWS_INVALID_SAML_RESPONSE} The response is ${input.length} characters; SAML responses are a few kilobytes and this check refuses more than ${MAX_SAML_RESPONSE_LENGTH}.`,
      fix: RECAPTURE_FIX,
    };
  }
  let text = input.trim();
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.startsWith('<')) return { ok: true, xml: text };
  text = text.replace(/^SAMLResponse=/, '').split('&')[0] ?? '';
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return {
        ok: false,
        message: 'The SAML response is neither XML nor base64 (bad URL encoding).',
        fix: RECAPTURE_FIX,
      };
    }
  }
  const base64 = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (base64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    return { ok: false, message: 'The SAML response is neither XML nor base64.', fix: RECAPTURE_FIX };
  }
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64'));
  } catch {
    return {
      ok: false,
      message: 'The SAML response decodes to bytes that are not UTF-8 text.',
      fix: RECAPTURE_FIX,
    };
  }
  xml = xml.replace(/^\uFEFF/, '').trim();
  if (!xml.startsWith('<')) {
    return {
      ok: false,
      message:
        'The SAML response decodes to something that is not XML (a deflated HTTP-Redirect message? AWS only takes the HTTP-POST binding).',
      fix: RECAPTURE_FIX,
    };
  }
  return { ok: true, xml };
}

// ---------------------------------------------------------------------------------------------------------
// Reading the assertion

interface ReadAssertion {
  info: SamlAssertionInfo;
  issuerCount: number;
  nameIdEncrypted: boolean;
  /** `SubjectConfirmation` elements: method and data attributes. */
  confirmations: {
    method: string | undefined;
    data: { recipient?: string; notOnOrAfter?: string; notBefore?: string }[];
  }[];
  conditions: { present: boolean; notBefore?: string; notOnOrAfter?: string; restrictions: string[][] };
  /** Role values as sent. */
  roleValues: string[];
  roleSessionNames: string[];
  sessionDurations: string[];
  /** Attribute names that match an AWS attribute only case-insensitively. */
  misspelled: string[];
}

function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined || !SAML_TIME.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t) : undefined;
}

function readAssertion(assertion: Element): ReadAssertion {
  const A = SAML_ASSERTION_NS;
  const issuers = children(assertion, A, 'Issuer');
  const subject = children(assertion, A, 'Subject')[0];
  const nameId = subject ? children(subject, A, 'NameID')[0] : undefined;
  const confirmations = (subject ? children(subject, A, 'SubjectConfirmation') : []).map((c) => ({
    method: attr(c, 'Method'),
    data: children(c, A, 'SubjectConfirmationData').map((d) => {
      const out: { recipient?: string; notOnOrAfter?: string; notBefore?: string } = {};
      const recipient = attr(d, 'Recipient');
      const notOnOrAfter = attr(d, 'NotOnOrAfter');
      const notBefore = attr(d, 'NotBefore');
      if (recipient !== undefined) out.recipient = recipient;
      if (notOnOrAfter !== undefined) out.notOnOrAfter = notOnOrAfter;
      if (notBefore !== undefined) out.notBefore = notBefore;
      return out;
    }),
  }));
  const conditionsEl = children(assertion, A, 'Conditions');
  const conditions: ReadAssertion['conditions'] = { present: conditionsEl.length > 0, restrictions: [] };
  for (const c of conditionsEl) {
    const nb = attr(c, 'NotBefore');
    const na = attr(c, 'NotOnOrAfter');
    if (nb !== undefined) conditions.notBefore = nb;
    if (na !== undefined) conditions.notOnOrAfter = na;
    for (const r of children(c, A, 'AudienceRestriction')) {
      conditions.restrictions.push(children(r, A, 'Audience').map((a) => textOf(a).trim()));
    }
  }
  const attributes: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const statement of children(assertion, A, 'AttributeStatement')) {
    for (const attribute of children(statement, A, 'Attribute')) {
      const name = attr(attribute, 'Name') ?? '';
      const values = children(attribute, A, 'AttributeValue').map((v) => textOf(v).trim());
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  const get = (name: string): string[] => (Object.hasOwn(attributes, name) ? (attributes[name] ?? []) : []);
  const awsNames = [AWS_ROLE_ATTRIBUTE, AWS_ROLE_SESSION_NAME_ATTRIBUTE, AWS_SESSION_DURATION_ATTRIBUTE];
  const misspelled = Object.keys(attributes).filter(
    (n) => !awsNames.includes(n) && awsNames.some((a) => a.toLowerCase() === n.trim().toLowerCase()),
  );
  const roleValues = get(AWS_ROLE_ATTRIBUTE);
  const roleSessionNames = get(AWS_ROLE_SESSION_NAME_ATTRIBUTE);
  const sessionDurations = get(AWS_SESSION_DURATION_ATTRIBUTE);
  const bearer = confirmations.filter((c) => c.method === BEARER);
  const firstData = bearer[0]?.data[0];
  const duration = sessionDurations.length === 1 ? Number(sessionDurations[0]) : Number.NaN;
  const info: SamlAssertionInfo = {
    issuer: issuers[0] ? textOf(issuers[0]).trim() : '',
    nameId: nameId ? textOf(nameId).trim() : undefined,
    roleSessionName: roleSessionNames.length === 1 ? roleSessionNames[0] : undefined,
    sessionDuration: Number.isInteger(duration) ? duration : undefined,
    roles: roleValues
      .map(parseRoleValue)
      .flatMap((r) => (r.ok ? [{ roleArn: r.roleArn, providerArn: r.providerArn }] : [])),
    audiences: conditions.restrictions.flat(),
    recipient: firstData?.recipient,
    notBefore: parseTime(conditions.notBefore),
    notOnOrAfter: parseTime(conditions.notOnOrAfter) ?? parseTime(firstData?.notOnOrAfter),
    attributes: { ...attributes },
  };
  return {
    info,
    issuerCount: issuers.length,
    nameIdEncrypted: subject ? children(subject, A, 'EncryptedID').length > 0 : false,
    confirmations,
    conditions,
    roleValues,
    roleSessionNames,
    sessionDurations,
    misspelled,
  };
}

type RoleValue = { ok: true; roleArn: string; providerArn: string } | { ok: false; problem: string };

/** A Role attribute value: a role ARN and a SAML provider ARN separated by a comma, in either order. */
export function parseRoleValue(value: string): RoleValue {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2) {
    return {
      ok: false,
      problem: `'${value}' has ${parts.length} comma-separated part${parts.length === 1 ? '' : 's'}; it needs exactly two: a role ARN and a SAML provider ARN`,
    };
  }
  const roles = parts.filter((p) => ROLE_ARN.test(p));
  const providers = parts.filter((p) => PROVIDER_ARN.test(p));
  const [roleArn] = roles;
  const [providerArn] = providers;
  if (roles.length !== 1 || providers.length !== 1 || !roleArn || !providerArn) {
    const bad = parts.filter((p) => !ROLE_ARN.test(p) && !PROVIDER_ARN.test(p));
    const what =
      bad.length > 0
        ? `${bad.map((b) => `'${b}'`).join(' and ')} ${bad.length === 1 ? 'is' : 'are'} neither a role ARN (arn:aws:iam::<account>:role/<name>) nor a SAML provider ARN (arn:aws:iam::<account>:saml-provider/<name>)`
        : roles.length === 2
          ? 'both parts are role ARNs'
          : 'both parts are SAML provider ARNs';
    return { ok: false, problem: `'${value}': ${what}` };
  }
  return { ok: true, roleArn, providerArn };
}

// ---------------------------------------------------------------------------------------------------------
// The checks

const CHECK_ORDER = [
  'xml',
  'signature',
  'issuer',
  'subject',
  'audience',
  'recipient',
  'time',
  'roles',
  'role-session-name',
  'session-duration',
] as const;

function result(checks: SamlCheck[], assertion: SamlAssertionInfo | undefined): SamlVerification {
  return { ok: checks.every((c) => c.status !== 'fail'), checks, assertion };
}

function skipRest(checks: SamlCheck[], reason: string): SamlCheck[] {
  const done = new Set(checks.map((c) => c.check));
  return [
    ...checks,
    ...CHECK_ORDER.filter((c) => !done.has(c)).map((check) => ({
      check,
      status: 'skip' as const,
      message: reason,
    })),
  ];
}

function toMillis(value: number | Date | undefined): number {
  if (value === undefined) return Date.now();
  return typeof value === 'number' ? value : value.getTime();
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

/**
 * Check a SAML response as AWS sign-in would, synchronously and without any call. Hostile input
 * (DOCTYPE/entities, huge or deeply nested documents, wrapped signatures) yields failed checks; this
 * never throws for bad input.
 * @throws {ConfigError} only for invalid options (`now`, `clockSkewSeconds`, `recipients`, `audience`,
 *   missing `metadata`): programming errors, not bad responses or bad metadata.
 * @param samlResponse the `SAMLResponse` form value as posted (base64, URL-encoded or not) or the XML.
 */
export function checkSamlResponse(samlResponse: string, options: CheckSamlResponseOptions): SamlVerification {
  const checks: SamlCheck[] = [];
  const now = toMillis(options.now);
  const skew = (options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
  const recipients = options.recipients ?? [AWS_SIGNIN_SAML_URL];
  const audience = options.audience ?? AWS_SAML_AUDIENCE;
  const issues: { field: string; message: string }[] = [];
  if (!Number.isFinite(now)) issues.push({ field: 'now', message: 'must be a valid time' });
  if (!Number.isFinite(skew) || skew < 0)
    issues.push({ field: 'clockSkewSeconds', message: 'must be a number of seconds ≥ 0' });
  if (!Array.isArray(recipients) || recipients.some((r) => typeof r !== 'string'))
    issues.push({ field: 'recipients', message: 'must be a list of URLs' });
  if (typeof audience !== 'string') issues.push({ field: 'audience', message: 'must be a string' });
  if (options.metadata === undefined || options.metadata === null)
    issues.push({ field: 'metadata', message: 'is required (the IdP metadata XML or its parsed form)' });
  if (issues.length > 0) throw ConfigError.of(issues);

  // --- xml ---------------------------------------------------------------------------------------------
  const decoded = decodeSamlResponse(samlResponse);
  if (!decoded.ok) {
    checks.push({ check: 'xml', status: 'fail', message: decoded.message, fix: decoded.fix });
    return result(skipRest(checks, 'Not checked: the SAML response could not be read.'), undefined);
  }
  const { xml } = decoded;
  const parsed = parseXmlStrict(xml);
  if (!parsed.ok) {
    checks.push({
      check: 'xml',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} The response was refused: ${parsed.message}.`,
      fix: `${RECAPTURE_FIX} A response Okta sent is never like this; if you built or edited it, start again from the one the browser posted.`,
    });
    return result(skipRest(checks, 'Not checked: the SAML response could not be read.'), undefined);
  }
  const root = parsed.root;
  if (root.namespaceURI !== SAML_PROTOCOL_NS || root.localName !== 'Response') {
    checks.push({
      check: 'xml',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} The document is a '${root.localName}' in '${root.namespaceURI ?? 'no namespace'}', not a SAML 2.0 Response (samlp:Response in ${SAML_PROTOCOL_NS}).`,
      fix: RECAPTURE_FIX,
    });
    return result(skipRest(checks, 'Not checked: the document is not a SAML response.'), undefined);
  }
  const all = [...walk(root)].map((w) => w.element);
  const encrypted = all.filter((e) => e.localName === 'EncryptedAssertion');
  const assertions = all.filter((e) => e.localName === 'Assertion');
  const statusCode = children(root, SAML_PROTOCOL_NS, 'Status')
    .flatMap((s) => children(s, SAML_PROTOCOL_NS, 'StatusCode'))
    .map((s) => attr(s, 'Value'))[0];
  if (statusCode !== undefined && statusCode !== SUCCESS) {
    checks.push({
      check: 'xml',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} The identity provider reported a failure: status '${statusCode}'.`,
      fix: 'Read the status in the response and the Okta System Log (Reports → System Log) for this sign-in.',
    });
    return result(
      skipRest(checks, 'Not checked: the identity provider reported a failed sign-in.'),
      undefined,
    );
  }
  if (encrypted.length > 0 && assertions.length === 0) {
    checks.push({
      check: 'xml',
      status: 'fail',
      message:
        'The assertion is encrypted (EncryptedAssertion): it cannot be checked without the service provider private key.',
      fix: 'To debug, turn off assertion encryption in the Okta app temporarily (Sign On → Advanced → Assertion Encryption), or check the decrypted assertion.',
    });
    return result(skipRest(checks, 'Not checked: the assertion is encrypted.'), undefined);
  }
  checks.push({
    check: 'xml',
    status: 'ok',
    message: 'A well-formed SAML 2.0 Response without DOCTYPE or entities.',
  });

  // --- structure (wrapping defences) -------------------------------------------------------------------
  const structural: string[] = [];
  const assertion = assertions.length === 1 ? assertions[0] : undefined;
  if (assertions.length !== 1 || encrypted.length > 0) {
    structural.push(
      `the response holds ${assertions.length + encrypted.length} assertions (${[...assertions, ...encrypted].map(pathOf).join(', ') || 'none'}); AWS needs exactly one`,
    );
  } else if (assertion && (assertion.parentNode !== root || assertion.namespaceURI !== SAML_ASSERTION_NS)) {
    structural.push(`the assertion is at ${pathOf(assertion)}, not directly in the Response`);
  }
  for (const [id, elements] of idsOf(root)) {
    if (elements.length > 1) {
      structural.push(
        `${elements.length} elements share the ID '${id}' (${elements.map(pathOf).join(', ')})`,
      );
    }
  }
  const signatures = all.filter((e) => e.namespaceURI === XMLDSIG_NS && e.localName === 'Signature');
  const placed = signatures.filter((s) => s.parentNode === root || (assertion && s.parentNode === assertion));
  for (const s of signatures) {
    if (!placed.includes(s)) structural.push(`a signature sits at ${pathOf(s)}, where SAML puts none`);
  }
  for (const parent of [root, assertion]) {
    if (parent && placed.filter((s) => s.parentNode === parent).length > 1) {
      structural.push(`the ${parent.localName} carries more than one signature`);
    }
  }
  if (structural.length > 0) {
    checks.push({
      check: 'signature',
      status: 'fail',
      message: `${AWS_SIGNATURE_INVALID}: the response is not shaped like a signed SAML response — ${structural.join('; ')}. This is what an XML signature-wrapping attack looks like.`,
      fix: `${RECAPTURE_FIX} An unmodified response from Okta has one assertion, unique IDs and its signature directly inside the assertion.`,
    });
    return result(skipRest(checks, 'Not checked: the response structure is unsafe to read.'), undefined);
  }
  if (!assertion) throw new Error('unreachable: one assertion');

  // --- metadata ---------------------------------------------------------------------------------------
  let metadata: IdpMetadata | undefined;
  let metadataProblem: string | undefined;
  if (typeof options.metadata === 'string') {
    try {
      metadata = parseIdpMetadata(options.metadata);
    } catch (error) {
      if (!(error instanceof ConnectSsoError)) throw error;
      metadataProblem = error.message;
    }
  } else {
    metadata = options.metadata;
  }

  // --- signature --------------------------------------------------------------------------------------
  let signedAssertion: Element | undefined;
  if (!metadata) {
    checks.push({
      check: 'signature',
      status: 'fail',
      message: `The signature cannot be checked: the identity provider metadata is unusable (${metadataProblem ?? 'missing'}).`,
      fix: "Pass the metadata the IAM identity provider holds (IAM → Identity providers → the provider → Download metadata), or Okta's (the app → Sign On → View IdP metadata).",
    });
  } else {
    const trusted = trustedCertificates(metadata);
    const outcomes: SignatureOutcome[] = placed.map((s) =>
      verifyEnvelopedSignature(s, s.parentNode as Element, xml, trusted),
    );
    const failed = outcomes.find((o) => o.status !== 'valid');
    const forAssertion = outcomes.find((o) => o.parent === assertion && o.status === 'valid');
    const forResponse = outcomes.find((o) => o.parent === root && o.status === 'valid');
    if (outcomes.length === 0) {
      checks.push({
        check: 'signature',
        status: 'fail',
        message: `${AWS_SIGNATURE_INVALID}: neither the assertion nor the response is signed.`,
        fix: 'Okta always signs the assertion of an AWS app; capture the response as the browser posted it. Another IdP must be set to sign the assertion (RSA-SHA256).',
      });
    } else if (failed) {
      const untrustedKey = failed.status === 'untrusted' && failed.keyInfoCertificate !== undefined;
      checks.push({
        check: 'signature',
        status: 'fail',
        message: `${AWS_SIGNATURE_INVALID}: ${failed.detail}.`,
        fix:
          failed.status === 'altered'
            ? `${RECAPTURE_FIX} Any change to a signed response (even whitespace inside the assertion) breaks its signature.`
            : failed.status === 'untrusted'
              ? `${untrustedKey ? 'The Okta app signs with a certificate the IAM identity provider does not know (typically after the Okta signing certificate was rotated). ' : ''}${UPDATE_METADATA_FIX}`
              : 'The response is not signed the way SAML and AWS expect (enveloped RSA-SHA256 XML signature referencing the signed element). Check the IdP signing settings.',
      });
    } else {
      const signedXml = forAssertion?.signedXml ?? forResponse?.signedXml;
      const signedRoot = signedXml === undefined ? undefined : parseSignedXml(signedXml);
      const assertionId = attr(assertion, 'ID');
      if (forAssertion && signedRoot) {
        signedAssertion = signedRoot;
      } else if (forResponse && signedRoot) {
        const inside = children(signedRoot, SAML_ASSERTION_NS, 'Assertion');
        signedAssertion = inside.length === 1 ? inside[0] : undefined;
      }
      if (
        !signedAssertion ||
        signedAssertion.namespaceURI !== SAML_ASSERTION_NS ||
        signedAssertion.localName !== 'Assertion' ||
        attr(signedAssertion, 'ID') !== assertionId
      ) {
        signedAssertion = undefined;
        checks.push({
          check: 'signature',
          status: 'fail',
          message: `${AWS_SIGNATURE_INVALID}: the verified signature does not cover the assertion.`,
          fix: RECAPTURE_FIX,
        });
      } else {
        const used = (forAssertion ?? forResponse)?.certificate;
        const what =
          forAssertion && forResponse
            ? 'The response and the assertion are'
            : forAssertion
              ? 'The assertion is'
              : 'The response (and the assertion in it) is';
        const sha1 = outcomes.some((o) => o.sha1);
        checks.push({
          check: 'signature',
          status: sha1 ? 'warn' : 'ok',
          message: `${what} signed by the identity provider's certificate ${used ? `SHA-256 ${used.fingerprint256}` : ''}${sha1 ? ' — with SHA-1' : ''}.`,
          ...(sha1
            ? {
                fix: 'In the Okta app (Sign On → Edit → Signature Algorithm), choose RSA-SHA256; SHA-1 signatures are weak.',
              }
            : {}),
        });
      }
    }
  }

  // Values come from the signed assertion when the signature verified; otherwise (the verdict is
  // already a failure) from the unverified one, so the user sees every problem at once.
  const read = readAssertion(signedAssertion ?? assertion);
  const info = read.info;
  const unverified = signedAssertion ? '' : ' (read from the unverified assertion)';

  // --- issuer -----------------------------------------------------------------------------------------
  if (!metadata) {
    checks.push({ check: 'issuer', status: 'skip', message: 'Not checked: no usable metadata.' });
  } else if (read.issuerCount !== 1 || info.issuer === '') {
    checks.push({
      check: 'issuer',
      status: 'fail',
      message: `${AWS_ISSUER_NOT_PRESENT}: the assertion has ${read.issuerCount === 0 ? 'no' : read.issuerCount} Issuer.`,
      fix: 'The assertion must name its issuer (the entityID of the IdP metadata); check the IdP configuration.',
    });
  } else if (info.issuer !== metadata.entityId) {
    checks.push({
      check: 'issuer',
      status: 'fail',
      message: `${AWS_ISSUER_NOT_PRESENT}: the assertion's Issuer is '${info.issuer}', the metadata's entityID is '${metadata.entityId}'${unverified}.`,
      fix: `The IAM identity provider was made from another app's (or another Okta org's) metadata. ${UPDATE_METADATA_FIX}`,
    });
  } else {
    checks.push({
      check: 'issuer',
      status: 'ok',
      message: `Issuer '${info.issuer}' is the metadata's entityID.`,
    });
  }

  // --- subject ----------------------------------------------------------------------------------------
  if (read.nameIdEncrypted) {
    checks.push({
      check: 'subject',
      status: 'fail',
      message: `${AWS_NOT_AUTHORIZED}: the NameID is encrypted (EncryptedID), which AWS sign-in does not accept.`,
      fix: 'Send a plain NameID (Okta: the app → Sign On → Advanced → turn off Name ID encryption).',
    });
  } else if (!info.nameId) {
    checks.push({
      check: 'subject',
      status: 'fail',
      message: `${AWS_NOT_AUTHORIZED}: the assertion has no Subject/NameID${unverified}.`,
      fix: 'The IdP must send a NameID (Okta always does for its AWS apps: check the application username format).',
    });
  } else {
    checks.push({ check: 'subject', status: 'ok', message: `NameID '${info.nameId}'.` });
  }

  // --- audience ---------------------------------------------------------------------------------------
  const restrictions = read.conditions.restrictions;
  const missing = restrictions.length === 0 || restrictions.some((r) => !r.includes(audience));
  if (missing) {
    const seen =
      info.audiences.length > 0
        ? `the audiences are ${info.audiences.map((a) => `'${a}'`).join(', ')}`
        : 'there is no AudienceRestriction';
    const gov =
      info.audiences.some((a) => a.startsWith('urn:amazon:webservices')) &&
      audience.startsWith('urn:amazon:webservices');
    checks.push({
      check: 'audience',
      status: 'fail',
      message: `${AWS_AUDIENCE_MISSING} AWS needs '${audience}'; ${seen}${unverified}.`,
      fix: gov
        ? `The audience is for another AWS partition: '${audience}' is ${audience.endsWith(':govcloud') ? 'GovCloud' : 'the commercial partition'}. Set the Okta app's AWS environment type (Sign On → AWS environment type) to match where the account is.`
        : `Set the audience (SP entity ID) of the Okta app to '${audience}' (the AWS Account Federation app does this by itself; a custom SAML app must be told).`,
    });
  } else {
    checks.push({ check: 'audience', status: 'ok', message: `Audience '${audience}'.` });
  }

  // --- recipient --------------------------------------------------------------------------------------
  const bearers = read.confirmations.filter((c) => c.method === BEARER);
  const destination = attr(root, 'Destination');
  const recipientFix = (value: string | undefined): string => {
    const regional = value === undefined ? undefined : REGIONAL_SIGNIN.exec(value);
    return regional
      ? `The response is for the regional sign-in endpoint ${value}. If you use regional sign-in, accept it here (recipients: [..., '${value}']) and make sure the role's trust policy lists it in SAML:aud; otherwise set the Okta app's ACS URL back to ${AWS_SIGNIN_SAML_URL}.`
      : `Set the Okta app's recipient/ACS URL to ${recipients[0] ?? AWS_SIGNIN_SAML_URL} (the AWS Account Federation app uses ${AWS_SIGNIN_SAML_URL} unless told otherwise).`;
  };
  if (read.confirmations.length !== 1 || bearers.length !== 1) {
    checks.push({
      check: 'recipient',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} AWS needs exactly one SubjectConfirmation with Method '${BEARER}'; this assertion has ${read.confirmations.length} (${bearers.length} bearer)${unverified}.`,
      fix: 'Check the IdP: Okta sends exactly one bearer confirmation.',
    });
  } else {
    const data = bearers[0]?.data ?? [];
    const d = data[0];
    if (data.length !== 1 || !d || d.recipient === undefined || d.notOnOrAfter === undefined) {
      checks.push({
        check: 'recipient',
        status: 'fail',
        message: `${AWS_INVALID_SAML_RESPONSE} The SubjectConfirmationData must carry both Recipient and NotOnOrAfter; ${!d ? 'there is none' : d.recipient === undefined ? 'Recipient is missing' : 'NotOnOrAfter is missing'}${unverified}.`,
        fix: recipientFix(undefined),
      });
    } else if (!recipients.includes(d.recipient)) {
      checks.push({
        check: 'recipient',
        status: 'fail',
        message: `${AWS_INVALID_SAML_RESPONSE} The Recipient is '${d.recipient}'; accepted: ${recipients.join(', ')}${unverified}.`,
        fix: recipientFix(d.recipient),
      });
    } else if (destination !== undefined && !recipients.includes(destination)) {
      checks.push({
        check: 'recipient',
        status: 'warn',
        message: `Recipient '${d.recipient}', but the Response's Destination is '${destination}'.`,
        fix: recipientFix(destination),
      });
    } else {
      checks.push({
        check: 'recipient',
        status: 'ok',
        message: `Recipient '${d.recipient}' (one bearer confirmation).`,
      });
    }
  }

  // --- time -------------------------------------------------------------------------------------------
  const times: { label: string; raw: string | undefined; kind: 'before' | 'after' }[] = [
    { label: 'Conditions NotBefore', raw: read.conditions.notBefore, kind: 'before' },
    { label: 'Conditions NotOnOrAfter', raw: read.conditions.notOnOrAfter, kind: 'after' },
    ...bearers.flatMap((b) =>
      b.data.flatMap((d) => [
        { label: 'SubjectConfirmationData NotBefore', raw: d.notBefore, kind: 'before' as const },
        { label: 'SubjectConfirmationData NotOnOrAfter', raw: d.notOnOrAfter, kind: 'after' as const },
      ]),
    ),
  ];
  const timeProblems: string[] = [];
  let tooEarly = false;
  for (const t of times) {
    if (t.raw === undefined) continue;
    const at = parseTime(t.raw);
    if (!at) {
      timeProblems.push(`${t.label} '${t.raw}' is not a UTC xs:dateTime`);
      continue;
    }
    if (t.kind === 'before' && now + skew < at.getTime()) {
      tooEarly = true;
      timeProblems.push(`not valid before ${at.toISOString()} (${t.label})`);
    }
    if (t.kind === 'after' && now - skew >= at.getTime()) {
      timeProblems.push(`expired at ${at.toISOString()} (${t.label})`);
    }
  }
  const nowText = `it is now ${new Date(now).toISOString()}, ${skew / 1000} s of clock skew tolerated`;
  if (timeProblems.length > 0) {
    checks.push({
      check: 'time',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} The assertion is ${timeProblems.join('; ')}; ${nowText}${unverified}.`,
      fix: tooEarly
        ? "The IdP's clock is ahead of this one: check both clocks (NTP). Okta's is right; a machine's clock that is behind makes fresh responses look early."
        : 'A SAML response is good for a few minutes only: sign in again from Okta and check the new response at once. If fresh responses fail too, check the clock of this machine (NTP).',
    });
  } else if (!read.conditions.notOnOrAfter && !info.notOnOrAfter) {
    checks.push({
      check: 'time',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} The assertion has no expiry (NotOnOrAfter).`,
      fix: recipientFix(undefined),
    });
  } else {
    checks.push({
      check: 'time',
      status: 'ok',
      message: `Valid now${info.notOnOrAfter ? ` (until ${info.notOnOrAfter.toISOString()})` : ''}; ${nowText}.`,
    });
  }

  // --- roles ------------------------------------------------------------------------------------------
  const misspelledHint = (name: string): string => {
    const m = read.misspelled.find((n) => n.toLowerCase() === name.toLowerCase());
    return m ? ` (an attribute named '${m}' is there: the name is case-sensitive)` : '';
  };
  const assignFix =
    "Give the user a role in the Okta app (the app → Assignments → the user → Role / SAML User Roles, or through group mapping), and check that the app's identity provider ARN is the IAM provider's.";
  if (read.roleValues.length === 0) {
    checks.push({
      check: 'roles',
      status: 'fail',
      message: `${AWS_INVALID_SAML_RESPONSE} The attribute ${AWS_ROLE_ATTRIBUTE} is missing${misspelledHint(AWS_ROLE_ATTRIBUTE)}${unverified}.`,
      fix: assignFix,
    });
  } else {
    const problems = read.roleValues.map(parseRoleValue).flatMap((r) => (r.ok ? [] : [r.problem]));
    const accounts = info.roles.filter((r) => r.roleArn.split(':')[4] !== r.providerArn.split(':')[4]);
    if (problems.length > 0) {
      checks.push({
        check: 'roles',
        status: 'fail',
        message: `${AWS_INVALID_SAML_RESPONSE} ${AWS_ROLE_ATTRIBUTE} values must be 'role-arn,provider-arn' pairs: ${problems.join('; ')}${unverified}.`,
        fix: "Fix the role value in Okta: with group mapping, the app's Role Value Pattern (default arn:aws:iam::${accountid}:saml-provider/OKTA,arn:aws:iam::${accountid}:role/${role}) and the group names; otherwise the app's identity provider ARN and the user's roles.",
      });
    } else if (accounts.length > 0) {
      checks.push({
        check: 'roles',
        status: 'warn',
        message: `Role and provider in different accounts: ${accounts.map((r) => `${r.roleArn} with ${r.providerArn}`).join('; ')}.`,
        fix: "A role can only be assumed through a SAML provider of its own account: name the provider of the role's account.",
      });
    } else {
      checks.push({
        check: 'roles',
        status: 'ok',
        message: `${info.roles.length} role${info.roles.length === 1 ? '' : 's'}: ${info.roles.map((r) => `${r.roleArn} via ${r.providerArn}`).join('; ')}.`,
      });
    }
  }

  // --- role-session-name ------------------------------------------------------------------------------
  const usernameFix =
    'The RoleSessionName is the Okta app username: set it (the app → Sign On → Application username format, or per user in Assignments) to 2–64 characters of letters, digits and + = , . @ _ - (no spaces), and name the Connect user exactly the same.';
  if (read.roleSessionNames.length === 0) {
    checks.push({
      check: 'role-session-name',
      status: 'fail',
      message: `${AWS_ROLE_SESSION_NAME_REQUIRED}: the attribute ${AWS_ROLE_SESSION_NAME_ATTRIBUTE} is missing${misspelledHint(AWS_ROLE_SESSION_NAME_ATTRIBUTE)}${unverified}.`,
      fix: usernameFix,
    });
  } else if (read.roleSessionNames.length > 1) {
    checks.push({
      check: 'role-session-name',
      status: 'fail',
      message: `${AWS_ROLE_SESSION_NAME_INVALID}: the attribute has ${read.roleSessionNames.length} values; it needs exactly one${unverified}.`,
      fix: usernameFix,
    });
  } else {
    const name = read.roleSessionNames[0] ?? '';
    if (!ROLE_SESSION_NAME.test(name)) {
      const bad = [...new Set([...name].filter((ch) => !/[a-zA-Z_0-9+=,.@-]/.test(ch)))];
      const why =
        name.length < 2 || name.length > 64
          ? `it is ${name.length} characters long`
          : `it contains ${bad.map((c) => (c === ' ' ? 'a space' : `'${c}'`)).join(', ')}`;
      checks.push({
        check: 'role-session-name',
        status: 'fail',
        message: `${AWS_ROLE_SESSION_NAME_INVALID}: '${name}' does not — ${why}${unverified}.`,
        fix: usernameFix,
      });
    } else {
      checks.push({ check: 'role-session-name', status: 'ok', message: `RoleSessionName '${name}'.` });
    }
  }

  // --- session-duration -------------------------------------------------------------------------------
  if (read.sessionDurations.length === 0) {
    checks.push({
      check: 'session-duration',
      status: 'ok',
      message: `${AWS_SESSION_DURATION_ATTRIBUTE} not sent${misspelledHint(AWS_SESSION_DURATION_ATTRIBUTE)}: the console session lasts 1 hour.`,
    });
  } else {
    const raw = read.sessionDurations;
    const value = raw.length === 1 && /^\d+$/.test(raw[0] ?? '') ? Number(raw[0]) : Number.NaN;
    if (!Number.isInteger(value) || value < 900 || value > 43200) {
      checks.push({
        check: 'session-duration',
        status: 'fail',
        message: `${AWS_INVALID_SAML_RESPONSE} ${AWS_SESSION_DURATION_ATTRIBUTE} must be one whole number of seconds from 900 to 43200; it is ${raw.map((v) => `'${v}'`).join(', ')}${unverified}.`,
        fix: "Set the Okta app's Session Duration (Sign On → Session Duration) to 900–43200 seconds; the role's maximum session duration must be at least as long.",
      });
    } else {
      checks.push({ check: 'session-duration', status: 'ok', message: `SessionDuration ${value} s.` });
    }
  }

  return result(checks, info);
}

// ---------------------------------------------------------------------------------------------------------
// With a context: IAM and Connect

/** Options of {@link verifySamlResponse}. */
export interface VerifySamlResponseOptions {
  /** The IdP metadata XML. Default: the metadata of `providerArn` (or of the provider the Role attribute names), read from IAM. */
  metadata?: string;
  /** The IAM SAML provider whose metadata to check against, when `metadata` is not given. */
  providerArn?: string;
  /** Needed to read IAM providers and roles and the Connect users. */
  context?: SsoContext;
  /** The Connect instance whose users must include the RoleSessionName (needs `context`). */
  instanceId?: string;
  /** As in {@link CheckSamlResponseOptions.now}: the time to check against, epoch ms or a Date. */
  now?: number | Date;
  /** As in {@link CheckSamlResponseOptions.clockSkewSeconds}: tolerated clock difference, s (default 300). */
  clockSkewSeconds?: number;
  /** As in {@link CheckSamlResponseOptions.recipients}. */
  recipients?: string[];
  /** As in {@link CheckSamlResponseOptions.audience}. */
  audience?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Whether a trust policy lets `providerArn` call sts:AssumeRoleWithSAML (and, if it conditions SAML:aud, for `recipient`). */
export function trustProblem(
  policy: unknown,
  providerArn: string,
  recipient: string | undefined,
): string | undefined {
  const statements = isRecord(policy) ? asList(policy.Statement).filter(isRecord) : [];
  const actionMatches = (s: Record<string, unknown>) =>
    asList(s.Action).some((a) => typeof a === 'string' && /^(sts:(AssumeRoleWithSAML|\*)|\*)$/i.test(a));
  const principalMatches = (s: Record<string, unknown>) =>
    isRecord(s.Principal) && asList(s.Principal.Federated).includes(providerArn);
  const denied = statements.find((s) => s.Effect === 'Deny' && actionMatches(s) && principalMatches(s));
  if (denied) return `its trust policy denies sts:AssumeRoleWithSAML to ${providerArn}`;
  const allows = statements.filter((s) => s.Effect === 'Allow' && actionMatches(s) && principalMatches(s));
  if (allows.length === 0) {
    return `its trust policy does not allow ${providerArn} to call sts:AssumeRoleWithSAML (Principal.Federated must name the provider)`;
  }
  if (recipient === undefined) return undefined;
  const audOk = allows.some((s) => {
    const condition = isRecord(s.Condition) ? s.Condition : {};
    const values = Object.entries(condition)
      .filter(([op]) => /^StringEquals(IgnoreCase)?$/i.test(op))
      .flatMap(([, keys]) => (isRecord(keys) ? Object.entries(keys) : []))
      .filter(([k]) => k.toLowerCase() === 'saml:aud')
      .flatMap(([, v]) => asList(v));
    return values.length === 0 || values.includes(recipient);
  });
  return audOk
    ? undefined
    : `its trust policy's SAML:aud condition does not include the response's Recipient '${recipient}'`;
}

function roleName(roleArn: string): string {
  return ROLE_ARN.exec(roleArn)?.[4] ?? roleArn.split('/').pop() ?? roleArn;
}

async function providerMetadata(
  ctx: SsoContext,
  providerArn: string,
): Promise<{ xml: string } | { missing: true } | { error: string }> {
  try {
    const out = await send(ctx, 'iam', 'GetSAMLProvider', { SAMLProviderArn: providerArn });
    return { xml: out.SAMLMetadataDocument ?? '' };
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return { missing: true };
    if (isAwsError(error, 'InvalidInput')) return { missing: true };
    if (error instanceof ConnectSsoError) return { error: error.message };
    throw error;
  }
}

/**
 * Verify a SAML response captured from a real sign-in: everything {@link checkSamlResponse} checks and,
 * given a context, that each Role pair's provider and role exist in IAM and the role trusts that
 * provider (check `role-trust`), that every provider named verifies the response (`identity-provider`),
 * and, given `instanceId`, that a Connect user is named exactly like RoleSessionName (`connect-user`;
 * a case-only difference fails and shows both spellings). Provider errors become failed checks.
 * @throws {ConfigError} when neither `metadata` nor a `context` is given (nothing to verify against).
 */
export async function verifySamlResponse(
  samlResponse: string,
  options: VerifySamlResponseOptions,
): Promise<SamlVerification> {
  const ctx = options.context;
  if (options.metadata === undefined && !ctx) {
    throw new ConfigError(
      'metadata',
      'give the IdP metadata, or a context (with providerArn) to read it from IAM',
    );
  }
  if (options.instanceId !== undefined && !ctx) {
    throw new ConfigError('context', 'checking the Connect user of instanceId needs a context');
  }
  const base = {
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
    ...(options.recipients !== undefined ? { recipients: options.recipients } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
  };
  const extra: SamlCheck[] = [];
  const metadataByProvider = new Map<string, string | undefined>();

  let metadata = options.metadata;
  if (metadata === undefined && ctx) {
    let providerArn = options.providerArn;
    if (!providerArn) {
      // As AWS does: the provider named by the Role attribute holds the metadata to verify against.
      const probe = checkSamlResponse(samlResponse, { ...base, metadata: '' });
      const named = [...new Set((probe.assertion?.roles ?? []).map((r) => r.providerArn))];
      if (named.length === 1) providerArn = named[0];
      else if (!probe.assertion) return probe;
      else {
        return {
          ...probe,
          ok: false,
          checks: probe.checks.map((c) =>
            c.check === 'signature'
              ? {
                  check: 'signature',
                  status: 'fail' as const,
                  message: `The signature cannot be checked: the Role attribute names ${named.length === 0 ? 'no SAML provider' : `${named.length} SAML providers`}, so which provider's metadata applies is unclear.`,
                  fix: 'Pass providerArn (or the metadata) to say which identity provider to check against.',
                }
              : c,
          ),
        };
      }
    }
    const found = await providerMetadata(ctx, providerArn as string);
    if ('xml' in found) {
      metadata = found.xml;
      metadataByProvider.set(providerArn as string, found.xml);
    } else {
      metadataByProvider.set(providerArn as string, undefined);
      const probe = checkSamlResponse(samlResponse, { ...base, metadata: '' });
      return {
        ...probe,
        ok: false,
        checks: probe.checks.map((c) =>
          c.check === 'signature'
            ? {
                check: 'signature',
                status: 'fail' as const,
                message:
                  'missing' in found
                    ? `${AWS_PROVIDER_MISSING} The IAM identity provider ${providerArn} does not exist, so the signature cannot be checked.`
                    : `The metadata of ${providerArn} could not be read: ${found.error}`,
                fix:
                  'missing' in found
                    ? "Create the IAM identity provider from the Okta app's metadata (linkIdentityProvider does), and set its ARN in the Okta app (Sign On → Identity Provider ARN)."
                    : 'Check the credentials can call iam:GetSAMLProvider.',
              }
            : c,
        ),
      };
    }
  }
  const verification = checkSamlResponse(samlResponse, { ...base, metadata: metadata ?? '' });
  const info = verification.assertion;
  if (!ctx || !info) return verification;

  // --- identity-provider: every provider named exists and verifies the response -----------------------
  const providers = [...new Set(info.roles.map((r) => r.providerArn))];
  const providerProblems: string[] = [];
  const missingProviders = new Set<string>();
  for (const providerArn of providers) {
    let xml = metadataByProvider.get(providerArn);
    if (!metadataByProvider.has(providerArn)) {
      const found = await providerMetadata(ctx, providerArn);
      xml = 'xml' in found ? found.xml : undefined;
      metadataByProvider.set(providerArn, xml);
      if ('missing' in found) missingProviders.add(providerArn);
      if ('error' in found) providerProblems.push(`${providerArn} could not be read: ${found.error}`);
    }
    if (missingProviders.has(providerArn)) {
      providerProblems.push(`${AWS_PROVIDER_MISSING} (${providerArn})`);
      continue;
    }
    if (xml === undefined || xml === metadata) continue;
    const other = checkSamlResponse(samlResponse, { ...base, metadata: xml });
    for (const c of other.checks) {
      if ((c.check === 'signature' || c.check === 'issuer') && c.status === 'fail') {
        providerProblems.push(`${providerArn}: ${c.message}`);
      }
    }
  }
  if (providers.length > 0) {
    extra.push(
      providerProblems.length > 0
        ? {
            check: 'identity-provider',
            status: 'fail',
            message: providerProblems.join(' '),
            fix: `Name an existing IAM identity provider in the Role attribute (the Okta app's Identity Provider ARN), made from this Okta app's metadata. ${UPDATE_METADATA_FIX}`,
          }
        : {
            check: 'identity-provider',
            status: 'ok',
            message: `IAM identity provider${providers.length === 1 ? '' : 's'} ${providers.join(', ')} exist${providers.length === 1 ? 's' : ''} and verif${providers.length === 1 ? 'ies' : 'y'} the response.`,
          },
    );
  }

  // --- role-trust: each role exists and trusts its provider --------------------------------------------
  const roleProblems: string[] = [];
  for (const pair of info.roles) {
    try {
      const { Role } = await send(ctx, 'iam', 'GetRole', { RoleName: roleName(pair.roleArn) });
      if (Role?.Arn !== pair.roleArn) {
        roleProblems.push(
          `the role ${pair.roleArn} does not exist (this account has ${Role?.Arn ?? 'no such role'})`,
        );
        continue;
      }
      const policy = Role.AssumeRolePolicyDocument
        ? decodePolicyDocument(Role.AssumeRolePolicyDocument)
        : undefined;
      const problem = trustProblem(policy, pair.providerArn, info.recipient);
      if (problem) roleProblems.push(`${pair.roleArn}: ${problem}`);
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity')) roleProblems.push(`the role ${pair.roleArn} does not exist`);
      else if (error instanceof ConnectSsoError || error instanceof SyntaxError)
        roleProblems.push(`${pair.roleArn} could not be read: ${error.message}`);
      else throw error;
    }
  }
  if (info.roles.length > 0) {
    extra.push(
      roleProblems.length > 0
        ? {
            check: 'role-trust',
            status: 'fail',
            message: `${AWS_NOT_AUTHORIZED}: ${roleProblems.join('; ')}.`,
            fix: "Name the right role in Okta (the user's role / group mapping), and let its trust policy allow the provider: Principal.Federated = the provider ARN, Action sts:AssumeRoleWithSAML, Condition StringEquals SAML:aud = https://signin.aws.amazon.com/saml (linkIdentityProvider writes it).",
          }
        : {
            check: 'role-trust',
            status: 'ok',
            message: `Role${info.roles.length === 1 ? '' : 's'} ${info.roles.map((r) => r.roleArn).join(', ')} exist${info.roles.length === 1 ? 's' : ''} and trust${info.roles.length === 1 ? 's' : ''} the provider.`,
          },
    );
  }

  // --- connect-user -----------------------------------------------------------------------------------
  if (options.instanceId !== undefined) {
    const name = info.roleSessionName;
    if (!name) {
      extra.push({ check: 'connect-user', status: 'skip', message: 'Not checked: no RoleSessionName.' });
    } else {
      try {
        const { user, caseVariants } = await findConnectUser(ctx, options.instanceId, name);
        if (user) {
          extra.push({ check: 'connect-user', status: 'ok', message: `Connect user '${name}' exists.` });
        } else if (caseVariants.length > 0) {
          extra.push({
            check: 'connect-user',
            status: 'fail',
            message: `No Connect user is named '${name}' (the RoleSessionName), but ${caseVariants.map((v) => `'${v}'`).join(', ')} differ${caseVariants.length === 1 ? 's' : ''} only in case: Amazon Connect usernames are case-sensitive, even with SAML, so sign-in fails after a successful Okta login.`,
            fix: `Make the two spellings equal: change the user's app username in Okta (the app → Assignments → edit → User Name) to '${caseVariants[0]}', or delete the Connect user '${caseVariants[0]}' and create '${name}' (assignUser does).`,
          });
        } else {
          extra.push({
            check: 'connect-user',
            status: 'fail',
            message: `No Connect user is named '${name}' (the RoleSessionName): AWS sign-in succeeds but Amazon Connect has nobody to sign in.`,
            fix: `Create the Connect user '${name}' (exactly this spelling) in instance ${options.instanceId}, e.g. with assignUser.`,
          });
        }
      } catch (error) {
        if (!(error instanceof ConnectSsoError)) throw error;
        extra.push({
          check: 'connect-user',
          status: 'fail',
          message: `The Connect users of ${options.instanceId} could not be read: ${error.message}`,
          fix: 'Check the instance id and that the credentials can call connect:SearchUsers and connect:ListUsers.',
        });
      }
    }
  }

  const checks = [...verification.checks, ...extra];
  return { ok: checks.every((c) => c.status !== 'fail'), checks, assertion: info };
}
