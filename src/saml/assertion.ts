/**
 * Reading a SAML assertion: the subject, conditions and attributes, and the AWS Role attribute's
 * `role-arn,provider-arn` pairs.
 */

import {
  AWS_ROLE_ATTRIBUTE,
  AWS_ROLE_SESSION_NAME_ATTRIBUTE,
  AWS_SESSION_DURATION_ATTRIBUTE,
  SAML_ASSERTION_NS,
} from './sign.js';
import type { SamlAssertionInfo } from './types.js';
import { attr, children, textOf } from './xml.js';

const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const PROVIDER_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):saml-provider\/([\w.-]{1,128})$/;
const SAML_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** The subject confirmation method AWS requires. */
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** What the checks need of an assertion: its content and the raw shapes it was read from. */
export interface ReadAssertion {
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

/** A SAML `xs:dateTime` (with a zone), or undefined when it is not one. */
export function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined || !SAML_TIME.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t) : undefined;
}

/** Read an assertion element (the signed one when the signature verified). */
export function readAssertion(assertion: Element): ReadAssertion {
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

/** A Role attribute value read: the pair, or what is wrong with it. */
export type RoleValue = { ok: true; roleArn: string; providerArn: string } | { ok: false; problem: string };

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
