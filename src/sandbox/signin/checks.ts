/**
 * AWS sign-in's checks of a verified assertion (what it reads is the signed assertion only): status,
 * issuer, subject, audience, the one bearer subject confirmation (Recipient, NotOnOrAfter), the
 * Response's Destination, the validity window on the sandbox clock, the Role attribute's
 * `role-arn,provider-arn` pairs, RoleSessionName and SessionDuration.
 */
import { attribute, childrenNamed, textContent } from '../xml.js';
import {
  AUDIENCE_MISSING,
  BEARER,
  INVALID_SAML_RESPONSE,
  ISSUER_NOT_PRESENT,
  NOT_AUTHORIZED,
  ROLE_ATTRIBUTE,
  ROLE_SESSION_NAME_ATTRIBUTE,
  ROLE_SESSION_NAME_INVALID,
  ROLE_SESSION_NAME_REQUIRED,
  SAML_ASSERTION_NS,
  SAML_PROTOCOL_NS,
  SESSION_DURATION_ATTRIBUTE,
  STATUS_SUCCESS,
} from './messages.js';

const A = SAML_ASSERTION_NS;
const ROLE_ARN = /^arn:(aws|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const PROVIDER_ARN = /^arn:(aws|aws-us-gov):iam::(\d{12}):saml-provider\/([\w.-]{1,128})$/;
const SAML_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** How far apart the IdP's clock and AWS's may be. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A Role attribute value read as a pair (either order, as AWS accepts). */
export interface RolePair {
  roleArn: string;
  providerArn: string;
}

/** What AWS takes from a verified assertion. */
export interface AssertionClaims {
  issuer: string;
  /** `Subject/NameID` (`SAML:sub`). */
  nameId: string;
  /** Its `Format`, when given. */
  nameIdFormat: string | undefined;
  /** The bearer confirmation's Recipient: the endpoint, `SAML:aud`. */
  recipient: string;
  /** Every audience. */
  audiences: string[];
  /** The Role values that are pairs. */
  roles: RolePair[];
  roleSessionName: string;
  /** Seconds, when sent. */
  sessionDuration: number | undefined;
}

export type ClaimsResult =
  | { ok: true; claims: AssertionClaims }
  | {
      ok: false;
      /** The check that failed: `status`, `issuer`, `subject`, `audience`, `recipient`, `destination`,
       * `time`, `roles`, `role-session-name`, `session-duration`. */
      check: string;
      /** AWS's wording. */
      message: string;
      /** What was wrong, for the developer (starts with the check's name). */
      detail: string;
    };

export interface CheckOptions {
  /** The provider metadata's entityID. */
  entityId: string;
  /** Epoch ms (the sandbox clock, or the `at` of a simulated sign-in). */
  now: number;
  /** Whether a URL is an AWS sign-in endpoint (for Recipient and Destination). */
  isEndpoint: (url: string) => boolean;
  /** `urn:amazon:webservices`, or GovCloud's. */
  audience: string;
}

function failed(check: string, message: string, detail: string): ClaimsResult {
  return { ok: false, check, message, detail: `${check}: ${detail}` };
}

function time(value: string | undefined): number | undefined {
  if (value === undefined || !SAML_TIME.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** A Role attribute value as a pair, or undefined when it is not `role-arn,provider-arn` (either order). */
export function rolePair(value: string): RolePair | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2) return undefined;
  const role = parts.find((p) => ROLE_ARN.test(p));
  const provider = parts.find((p) => PROVIDER_ARN.test(p));
  return role && provider ? { roleArn: role, providerArn: provider } : undefined;
}

/** The values of one attribute of the assertion, in document order. */
export function attributeValues(assertion: Element, name: string): string[] {
  return childrenNamed(assertion, A, 'AttributeStatement')
    .flatMap((s) => childrenNamed(s, A, 'Attribute'))
    .filter((a) => attribute(a, 'Name') === name)
    .flatMap((a) => childrenNamed(a, A, 'AttributeValue').map((v) => textContent(v).trim()));
}

/**
 * The checks, in the order AWS reports them. `response` is the Response element (its Status and
 * Destination); `assertion` the verified one.
 */
export function checkAssertion(response: Element, assertion: Element, options: CheckOptions): ClaimsResult {
  const status = childrenNamed(response, SAML_PROTOCOL_NS, 'Status')
    .flatMap((s) => childrenNamed(s, SAML_PROTOCOL_NS, 'StatusCode'))
    .map((c) => attribute(c, 'Value'))[0];
  if (status !== undefined && status !== STATUS_SUCCESS) {
    return failed('status', INVALID_SAML_RESPONSE, `the identity provider reported '${status}'`);
  }

  const issuers = childrenNamed(assertion, A, 'Issuer').map((i) => textContent(i).trim());
  if (issuers.length !== 1 || issuers[0] !== options.entityId) {
    return failed(
      'issuer',
      ISSUER_NOT_PRESENT,
      issuers.length === 1
        ? `the assertion's Issuer is '${issuers[0]}', the provider metadata's entityID is '${options.entityId}'`
        : `the assertion has ${issuers.length} Issuer elements`,
    );
  }

  const subject = childrenNamed(assertion, A, 'Subject');
  const nameIds = subject.flatMap((s) => childrenNamed(s, A, 'NameID'));
  const nameId = nameIds.length === 1 ? textContent(nameIds[0] as Element).trim() : '';
  if (subject.length !== 1 || nameId === '') {
    return failed('subject', NOT_AUTHORIZED, 'the assertion needs one Subject with a NameID (SAML:sub)');
  }

  const restrictions = childrenNamed(assertion, A, 'Conditions').flatMap((c) =>
    childrenNamed(c, A, 'AudienceRestriction').map((r) =>
      childrenNamed(r, A, 'Audience').map((a) => textContent(a).trim()),
    ),
  );
  if (restrictions.length === 0 || restrictions.some((r) => !r.includes(options.audience))) {
    return failed(
      'audience',
      AUDIENCE_MISSING,
      `AWS needs the audience '${options.audience}'; the assertion has ${
        restrictions
          .flat()
          .map((a) => `'${a}'`)
          .join(', ') || 'none'
      }`,
    );
  }

  const confirmations = childrenNamed(subject[0] as Element, A, 'SubjectConfirmation');
  const bearers = confirmations.filter((c) => attribute(c, 'Method') === BEARER);
  const data = bearers.flatMap((b) => childrenNamed(b, A, 'SubjectConfirmationData'));
  const confirmation = data[0];
  if (confirmations.length !== 1 || bearers.length !== 1 || data.length !== 1 || !confirmation) {
    return failed(
      'recipient',
      INVALID_SAML_RESPONSE,
      `AWS needs exactly one bearer SubjectConfirmation with one SubjectConfirmationData; there are ${confirmations.length} confirmations (${bearers.length} bearer)`,
    );
  }
  const recipient = attribute(confirmation, 'Recipient');
  if (recipient === undefined || !options.isEndpoint(recipient)) {
    return failed(
      'recipient',
      INVALID_SAML_RESPONSE,
      recipient === undefined
        ? 'the SubjectConfirmationData has no Recipient'
        : `the Recipient '${recipient}' is not an AWS sign-in endpoint (https://signin.aws.amazon.com/saml, or a regional one)`,
    );
  }
  const destination = attribute(response, 'Destination');
  if (destination !== undefined && !options.isEndpoint(destination)) {
    return failed(
      'destination',
      INVALID_SAML_RESPONSE,
      `the Response's Destination '${destination}' is not an AWS sign-in endpoint (the Recipient is '${recipient}')`,
    );
  }

  const conditions = childrenNamed(assertion, A, 'Conditions')[0];
  const windows = [
    {
      label: 'SubjectConfirmationData NotOnOrAfter',
      raw: attribute(confirmation, 'NotOnOrAfter'),
      end: true,
    },
    { label: 'SubjectConfirmationData NotBefore', raw: attribute(confirmation, 'NotBefore'), end: false },
    { label: 'Conditions NotOnOrAfter', raw: conditions && attribute(conditions, 'NotOnOrAfter'), end: true },
    { label: 'Conditions NotBefore', raw: conditions && attribute(conditions, 'NotBefore'), end: false },
  ];
  if (windows[0]?.raw === undefined) {
    return failed('time', INVALID_SAML_RESPONSE, 'the bearer SubjectConfirmationData has no NotOnOrAfter');
  }
  const at = new Date(options.now).toISOString();
  for (const w of windows) {
    if (w.raw === undefined) continue;
    const t = time(w.raw);
    if (t === undefined)
      return failed('time', INVALID_SAML_RESPONSE, `${w.label} '${w.raw}' is not an xs:dateTime`);
    if (w.end && options.now - CLOCK_SKEW_MS >= t) {
      return failed(
        'time',
        INVALID_SAML_RESPONSE,
        `the assertion expired at ${w.raw} (${w.label}); it is ${at}`,
      );
    }
    if (!w.end && options.now + CLOCK_SKEW_MS < t) {
      return failed(
        'time',
        INVALID_SAML_RESPONSE,
        `the assertion is not valid before ${w.raw} (${w.label}); it is ${at}`,
      );
    }
  }

  const roleValues = attributeValues(assertion, ROLE_ATTRIBUTE);
  if (roleValues.length === 0) {
    return failed('roles', INVALID_SAML_RESPONSE, `the assertion has no ${ROLE_ATTRIBUTE} attribute value`);
  }
  const roles: RolePair[] = [];
  for (const value of roleValues) {
    const pair = rolePair(value);
    if (!pair) {
      return failed(
        'roles',
        INVALID_SAML_RESPONSE,
        `the Role value '${value}' is not a pair of a role ARN and a SAML provider ARN`,
      );
    }
    const roleAccount = pair.roleArn.split(':')[4];
    const providerAccount = pair.providerArn.split(':')[4];
    if (roleAccount !== providerAccount) {
      // No trust policy can name another account's provider: AWS refuses the pair as unauthorised.
      return failed(
        'roles',
        NOT_AUTHORIZED,
        `the Role value pairs a role of account ${roleAccount} with a SAML provider of account ${providerAccount}: a role is assumed only through a provider of its own account`,
      );
    }
    roles.push(pair);
  }

  const sessionNames = attributeValues(assertion, ROLE_SESSION_NAME_ATTRIBUTE);
  if (sessionNames.length === 0) {
    return failed(
      'role-session-name',
      ROLE_SESSION_NAME_REQUIRED,
      `the assertion has no ${ROLE_SESSION_NAME_ATTRIBUTE} attribute`,
    );
  }
  const roleSessionName = sessionNames[0] as string;
  if (sessionNames.length > 1 || !SESSION_NAME.test(roleSessionName)) {
    return failed(
      'role-session-name',
      ROLE_SESSION_NAME_INVALID,
      sessionNames.length > 1
        ? `the RoleSessionName attribute has ${sessionNames.length} values`
        : `RoleSessionName '${roleSessionName}' is not 2–64 of [a-zA-Z_0-9+=,.@-]`,
    );
  }

  const durations = attributeValues(assertion, SESSION_DURATION_ATTRIBUTE);
  let sessionDuration: number | undefined;
  if (durations.length > 0) {
    const value =
      durations.length === 1 && /^\d+$/.test(durations[0] ?? '') ? Number(durations[0]) : Number.NaN;
    if (!(value >= 900 && value <= 43_200)) {
      return failed(
        'session-duration',
        INVALID_SAML_RESPONSE,
        `SessionDuration must be one whole number of seconds from 900 to 43200; it is ${durations.map((d) => `'${d}'`).join(', ')}`,
      );
    }
    sessionDuration = value;
  }

  return {
    ok: true,
    claims: {
      issuer: issuers[0] as string,
      nameId,
      nameIdFormat: attribute(nameIds[0] as Element, 'Format'),
      recipient,
      audiences: restrictions.flat(),
      roles,
      roleSessionName,
      sessionDuration,
    },
  };
}
