/**
 * The checks of what a SAML assertion says, as AWS sign-in makes them: issuer, subject, audience,
 * recipient (and the Response's Destination), validity window, the Role pairs, RoleSessionName and
 * SessionDuration. Each failure names what was found and what AWS expects, with a fix.
 */
import { BEARER, parseRoleValue, parseTime, type ReadAssertion } from './assertion.js';
import type { IdpMetadata } from './metadata.js';
import {
  AWS_ROLE_ATTRIBUTE,
  AWS_ROLE_SESSION_NAME_ATTRIBUTE,
  AWS_SESSION_DURATION_ATTRIBUTE,
  AWS_SIGNIN_SAML_URL,
} from './sign.js';
import type { SamlCheck } from './types.js';
import {
  AWS_AUDIENCE_MISSING,
  AWS_INVALID_SAML_RESPONSE,
  AWS_ISSUER_NOT_PRESENT,
  AWS_NOT_AUTHORIZED,
  AWS_ROLE_SESSION_NAME_INVALID,
  AWS_ROLE_SESSION_NAME_REQUIRED,
  UPDATE_METADATA_FIX,
} from './wording.js';

const ROLE_SESSION_NAME = /^[a-zA-Z_0-9+=,.@-]{2,64}$/;
const REGIONAL_SIGNIN = /^https:\/\/([a-z]{2}(-gov)?-[a-z]+-\d)\.signin\.aws\.amazon\.com\/saml$/;

/** What the assertion checks are made against. */
export interface AssertionCheckInput {
  /** The identity provider's metadata, or undefined when it is unusable (the issuer is then not checked). */
  metadata: IdpMetadata | undefined;
  /** Epoch milliseconds to check the validity window at. */
  now: number;
  /** Tolerated clock difference, milliseconds. */
  skew: number;
  /** Accepted Recipient and Destination values. */
  recipients: readonly string[];
  /** The audience AWS requires. */
  audience: string;
  /** The Response's `Destination`, and whether it was read from a verified Response signature. */
  destination: { value: string | undefined; signed: boolean };
  /** Whether the assertion was read from its verified signature (messages say when not). */
  verified: boolean;
}

/** The checks from `issuer` to `session-duration`, in that order. */
export function assertionChecks(read: ReadAssertion, input: AssertionCheckInput): SamlCheck[] {
  const { metadata, now, skew, recipients, audience, destination } = input;
  const info = read.info;
  const unverified = input.verified ? '' : ' (read from the unverified assertion)';
  const checks: SamlCheck[] = [];

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
    } else if (destination.value !== undefined && !recipients.includes(destination.value)) {
      // The HTTP-POST binding (SAML bindings §3.5.5.2): the Destination of a signed message must be the
      // endpoint it arrived at. An unsigned Response's Destination is not authenticated: only a warning.
      const expected = `expected ${recipients.map((r) => `'${r}'`).join(' or ')}`;
      checks.push(
        destination.signed
          ? {
              check: 'recipient',
              status: 'fail',
              message: `${AWS_INVALID_SAML_RESPONSE} The signed Response's Destination is '${destination.value}', ${expected}: a signed response must name the endpoint it is posted to (SAML HTTP-POST binding).`,
              fix: recipientFix(destination.value),
            }
          : {
              check: 'recipient',
              status: 'warn',
              message: `Recipient '${d.recipient}', but the Response's Destination is '${destination.value}' (${expected}; the Response is not signed, so its Destination is not authenticated).`,
              fix: recipientFix(destination.value),
            },
      );
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
    const accountOf = (arn: string) =>
      arn
        .split(':')
        .filter((_, i) => i === 1 || i === 4)
        .join(':');
    const accounts = info.roles.filter((r) => accountOf(r.roleArn) !== accountOf(r.providerArn));
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
        status: 'fail',
        message: `${AWS_NOT_AUTHORIZED}: a role can only be assumed through a SAML provider of its own account, and ${accounts.map((r) => `${r.roleArn} (account ${r.roleArn.split(':')[4]}) is paired with ${r.providerArn} (account ${r.providerArn.split(':')[4]})`).join('; ')}${unverified}.`,
        fix: "Name the provider of the role's account in the Role value: the Okta app's Identity Provider ARN (Sign On), or with group mapping its Role Value Pattern and group names.",
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

  return checks;
}
