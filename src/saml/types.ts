/**
 * The public shapes of SAML response checking: what `checkSamlResponse` (pure) and
 * `verifySamlResponse` (which also reads IAM and Connect) return, and the options of the pure check.
 */
import type { IdpMetadata } from './metadata.js';

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

/** The result of `checkSamlResponse` and `verifySamlResponse`. */
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

/** Options of `checkSamlResponse`. */
export interface CheckSamlResponseOptions {
  /** The IdP metadata XML (as stored in the IAM identity provider) or its parsed form. */
  metadata: string | IdpMetadata;
  /** The time to check the validity window against, epoch milliseconds or a Date (default now). */
  now?: number | Date;
  /** Tolerated clock difference, in seconds (default 300). */
  clockSkewSeconds?: number;
  /**
   * Accepted `Recipient` values, which are also the accepted `Destination` of the Response; default
   * `['https://signin.aws.amazon.com/saml']`. Regional endpoints
   * (`https://<region>.signin.aws.amazon.com/saml`) are accepted when listed here.
   */
  recipients?: string[];
  /** The audience AWS requires; default `urn:amazon:webservices` (GovCloud: `urn:amazon:webservices:govcloud`). */
  audience?: string;
}
