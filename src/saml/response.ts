/**
 * Check a SAML response the way AWS sign-in (`https://signin.aws.amazon.com/saml`) does, and say what to
 * fix: the signature against the IdP metadata (immune to signature wrapping: the values checked are read
 * from the canonical XML the verified signature covers), issuer, audience, recipient and Destination,
 * validity window, and the AWS Role / RoleSessionName / SessionDuration attributes.
 *
 * {@link checkSamlResponse} is pure: synchronous, no I/O, no AWS. The checks that read IAM and Connect
 * (the roles and providers exist and trust each other, the Connect user exists) are `verifySamlResponse`
 * in src/workflows/verify-saml.
 */
import { ConfigError, ConnectSsoError } from '../core/errors.js';
import { readAssertion } from './assertion.js';
import { assertionChecks } from './checks.js';
import { decodeSamlResponse } from './decode.js';
import { type IdpMetadata, parseIdpMetadata } from './metadata.js';
import { AWS_SAML_AUDIENCE, AWS_SIGNIN_SAML_URL, SAML_PROTOCOL_NS } from './sign.js';
import { checkSignatures, checkStructure } from './signatures.js';
import type { CheckSamlResponseOptions, SamlAssertionInfo, SamlCheck, SamlVerification } from './types.js';
import { AWS_INVALID_SAML_RESPONSE, RECAPTURE_FIX } from './wording.js';
import { attr, children, parseXmlStrict, walk } from './xml.js';

export { parseRoleValue, type RoleValue } from './assertion.js';
export { MAX_SAML_RESPONSE_LENGTH } from './decode.js';
export type { CheckSamlResponseOptions, SamlAssertionInfo, SamlCheck, SamlVerification } from './types.js';
export {
  AWS_AUDIENCE_MISSING,
  AWS_INVALID_SAML_RESPONSE,
  AWS_ISSUER_NOT_PRESENT,
  AWS_NOT_AUTHORIZED,
  AWS_PROVIDER_MISSING,
  AWS_ROLE_SESSION_NAME_INVALID,
  AWS_ROLE_SESSION_NAME_REQUIRED,
  AWS_SIGNATURE_INVALID,
} from './wording.js';

/** Default tolerance for clock differences between the IdP and the verifier. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

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

/** The checks so far, then every later one skipped for `reason`. */
function stopped(checks: SamlCheck[], reason: string): SamlVerification {
  const done = new Set(checks.map((c) => c.check));
  const skipped = CHECK_ORDER.filter((c) => !done.has(c)).map((check) => ({
    check,
    status: 'skip' as const,
    message: reason,
  }));
  return result([...checks, ...skipped], undefined);
}

function toMillis(value: number | Date | undefined): number {
  if (value === undefined) return Date.now();
  return typeof value === 'number' ? value : value.getTime();
}

function xmlFailure(message: string, fix: string): SamlCheck {
  return { check: 'xml', status: 'fail', message, fix };
}

/**
 * Check a SAML response as AWS sign-in would. Pure: synchronous, no I/O and no AWS call (for the checks
 * that read IAM and Connect, see `verifySamlResponse`). Hostile input (DOCTYPE/entities, oversized or
 * deeply nested documents, floods of attributes, namespace declarations or signatures, wrapped
 * signatures) yields failed checks within milliseconds; this never throws for bad input.
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
  const unreadable = 'Not checked: the SAML response could not be read.';
  const decoded = decodeSamlResponse(samlResponse);
  if (!decoded.ok) return stopped([xmlFailure(decoded.message, decoded.fix)], unreadable);
  const { xml } = decoded;
  const parsed = parseXmlStrict(xml);
  if (!parsed.ok) {
    return stopped(
      [
        xmlFailure(
          `${AWS_INVALID_SAML_RESPONSE} The response was refused: ${parsed.message}.`,
          `${RECAPTURE_FIX} A response Okta sent is never like this; if you built or edited it, start again from the one the browser posted.`,
        ),
      ],
      unreadable,
    );
  }
  const root = parsed.root;
  if (root.namespaceURI !== SAML_PROTOCOL_NS || root.localName !== 'Response') {
    return stopped(
      [
        xmlFailure(
          `${AWS_INVALID_SAML_RESPONSE} The document is a '${root.localName}' in '${root.namespaceURI ?? 'no namespace'}', not a SAML 2.0 Response (samlp:Response in ${SAML_PROTOCOL_NS}).`,
          RECAPTURE_FIX,
        ),
      ],
      'Not checked: the document is not a SAML response.',
    );
  }
  const all = [...walk(root)].map((w) => w.element);
  const encrypted = all.filter((e) => e.localName === 'EncryptedAssertion');
  const assertions = all.filter((e) => e.localName === 'Assertion');
  const statusCode = children(root, SAML_PROTOCOL_NS, 'Status')
    .flatMap((s) => children(s, SAML_PROTOCOL_NS, 'StatusCode'))
    .map((s) => attr(s, 'Value'))[0];
  if (statusCode !== undefined && statusCode !== SUCCESS) {
    return stopped(
      [
        xmlFailure(
          `${AWS_INVALID_SAML_RESPONSE} The identity provider reported a failure: status '${statusCode}'.`,
          'Read the status in the response and the Okta System Log (Reports → System Log) for this sign-in.',
        ),
      ],
      'Not checked: the identity provider reported a failed sign-in.',
    );
  }
  if (encrypted.length > 0 && assertions.length === 0) {
    return stopped(
      [
        xmlFailure(
          'The assertion is encrypted (EncryptedAssertion): it cannot be checked without the service provider private key.',
          'To debug, turn off assertion encryption in the Okta app temporarily (Sign On → Advanced → Assertion Encryption), or check the decrypted assertion.',
        ),
      ],
      'Not checked: the assertion is encrypted.',
    );
  }
  checks.push({
    check: 'xml',
    status: 'ok',
    message: 'A well-formed SAML 2.0 Response without DOCTYPE or entities.',
  });

  // --- structure (wrapping defences) -------------------------------------------------------------------
  const structure = checkStructure({ root, all, assertions, encrypted });
  if (!structure.ok) {
    return stopped([...checks, structure.check], 'Not checked: the response structure is unsafe to read.');
  }
  const { assertion } = structure;

  // --- metadata and signature --------------------------------------------------------------------------
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
  let signedAssertion: Element | undefined;
  let destination = { value: attr(root, 'Destination'), signed: false };
  if (!metadata) {
    checks.push({
      check: 'signature',
      status: 'fail',
      message: `The signature cannot be checked: the identity provider metadata is unusable (${metadataProblem ?? 'missing'}).`,
      fix: "Pass the metadata the IAM identity provider holds (IAM → Identity providers → the provider → Download metadata), or Okta's (the app → Sign On → View IdP metadata).",
    });
  } else {
    const verdict = checkSignatures(structure, root, xml, metadata);
    checks.push(verdict.check);
    signedAssertion = verdict.signedAssertion;
    if (verdict.signedResponse) {
      destination = { value: attr(verdict.signedResponse, 'Destination'), signed: true };
    }
  }

  // Values come from the signed assertion when the signature verified; otherwise (the verdict is
  // already a failure) from the unverified one, so the user sees every problem at once.
  const read = readAssertion(signedAssertion ?? assertion);
  checks.push(
    ...assertionChecks(read, {
      metadata,
      now,
      skew,
      recipients,
      audience,
      destination,
      verified: signedAssertion !== undefined,
    }),
  );
  return result(checks, read.info);
}
