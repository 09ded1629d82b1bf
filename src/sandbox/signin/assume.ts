/**
 * `sts:AssumeRoleWithSAML` as AWS performs it — for the browser sign-in (`POST /saml`, `sb.login`) and for
 * the STS API alike: the SAML provider the chosen Role pair names, the response verified against that
 * provider's metadata (./signature.ts), the assertion's checks (./checks.ts), the role (same account, it
 * exists), its trust policy (the sandbox's policy evaluator, with the `SAML:*` context keys), and the
 * role's maximum session duration.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../emulator.js';
import { findRoleByArn, findSamlProviderByArn } from '../iam/index.js';
import type { IamRoleState, IamSamlProviderState } from '../iam/state.js';
import { evaluatePolicies, type PolicyDocument, parsePolicyDocument } from '../policy.js';
import { allElements, parseXml } from '../xml.js';
import { type AssertionClaims, attributeValues, checkAssertion, type RolePair, rolePair } from './checks.js';
import {
  AWS_AUDIENCE,
  GOV_AUDIENCE,
  GOV_SIGNIN_URL,
  INVALID_SAML_RESPONSE,
  NOT_AUTHORIZED,
  PROVIDER_MISSING,
  ROLE_ATTRIBUTE,
  SIGNATURE_INVALID,
  SIGNIN_URL,
} from './messages.js';
import { verifyResponse } from './signature.js';

/** The longest `SAMLAssertion` STS takes (4–100,000 characters of base64), and so the sign-in form. */
export const MAX_SAML_RESPONSE = 100_000;

const REGIONAL_SIGNIN = /^https:\/\/[a-z]{2}(?:-gov)?-[a-z]+-\d\.signin\.aws\.amazon\.com\/saml$/;

/** AWS sign-in's SAML endpoints: global, `static`, regional (any region), GovCloud. */
export function isSignInEndpoint(url: string): boolean {
  return (
    url === SIGNIN_URL ||
    url === 'https://signin.aws.amazon.com/static/saml' ||
    url === GOV_SIGNIN_URL ||
    REGIONAL_SIGNIN.test(url)
  );
}

/** A session AWS grants: the role assumed and what the assertion said. */
export interface SamlSession {
  role: IamRoleState;
  provider: IamSamlProviderState;
  claims: AssertionClaims;
}

/** Where and why an AssumeRoleWithSAML fails, in sign-in terms and in STS terms. */
export interface AssumeFailure {
  ok: false;
  /** `signature`, `saml` (the response or the provider), `trust` (the role or its trust policy). */
  stage: 'signature' | 'saml' | 'trust';
  /** What AWS sign-in's page says. */
  message: string;
  /** For the developer: the check and what was wrong. */
  detail: string;
  /** The STS API's error for the same failure. */
  sts: { code: string; message: string };
}

export type AssumeResult = { ok: true; session: SamlSession } | AssumeFailure;

function failure(
  stage: AssumeFailure['stage'],
  message: string,
  detail: string,
  sts: AssumeFailure['sts'],
): AssumeFailure {
  return { ok: false, stage, message, detail, sts };
}

const invalidToken = (message: string) => ({ code: 'InvalidIdentityToken', message });
const accessDenied = { code: 'AccessDenied', message: NOT_AUTHORIZED };

/** The XML of a posted `SAMLResponse` (base64), or undefined when it is not one. */
export function decodeSamlResponse(samlResponse: string): string | undefined {
  const compact = samlResponse.replace(/\s+/g, '');
  if (compact.length < 4 || compact.length > MAX_SAML_RESPONSE) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
}

/**
 * The Role values of a parsed response, read BEFORE verification: only to choose which provider's
 * metadata to verify with (as AWS does). What is acted upon comes from the verified assertion.
 */
export function peekRolePairs(root: Element): RolePair[] {
  const assertions = allElements(root).filter((e) => e.localName === 'Assertion');
  return assertions.length === 1
    ? attributeValues(assertions[0] as Element, ROLE_ATTRIBUTE).flatMap((v) => rolePair(v) ?? [])
    : [];
}

/** A role's trust policy (stored as sent; URL-encoded text is read too). */
function trustPolicy(document: string): PolicyDocument | undefined {
  let text = document;
  if (!text.trimStart().startsWith('{')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  const parsed = parsePolicyDocument(text, 'trust', { maxLength: Number.MAX_SAFE_INTEGER });
  return parsed.ok ? parsed.document : undefined;
}

/** SAML:namequalifier: base64(SHA-1(issuer + account + '/' + provider name)), as IAM documents it. */
export function nameQualifier(issuer: string, accountId: string, providerName: string): string {
  return createHash('sha1').update(`${issuer}${accountId}/${providerName}`).digest('base64');
}

export interface AssumeInput {
  /** The parsed response and its text. */
  xml: string;
  root: Element;
  /** The Role pair to assume (chosen on the role picker, or the STS request's RoleArn + PrincipalArn). */
  pair: RolePair;
  /** When AWS receives it, epoch ms. */
  now: number;
  /** STS `DurationSeconds`, checked against the role's maximum. */
  durationSeconds?: number | undefined;
}

/** Assume the role of `input.pair` with the response, or say why AWS would not. */
export function assumeRoleWithSaml(ctx: EmulatorContext, input: AssumeInput): AssumeResult {
  const iam = ctx.state.iam;
  const { pair } = input;
  const provider = findSamlProviderByArn(iam, ctx.accountId, pair.providerArn);
  if (!provider) {
    return failure(
      'saml',
      PROVIDER_MISSING,
      `the Role value names the SAML provider ${pair.providerArn}, which does not exist in IAM (account ${ctx.accountId}): check the app's identityProviderArn`,
      invalidToken(PROVIDER_MISSING),
    );
  }
  const verified = verifyResponse(input.xml, input.root, provider.signingCertificates);
  if (!verified.ok) {
    return failure(
      'signature',
      SIGNATURE_INVALID,
      `signature: ${verified.detail} (checked against the metadata of the IAM SAML provider '${provider.name}')`,
      invalidToken(SIGNATURE_INVALID.replace(/^Error: /, '')),
    );
  }
  const checked = checkAssertion(verified.response, verified.assertion, {
    entityId: provider.entityId,
    now: input.now,
    isEndpoint: isSignInEndpoint,
    audience: pair.providerArn.startsWith('arn:aws-us-gov:') ? GOV_AUDIENCE : AWS_AUDIENCE,
  });
  if (!checked.ok) {
    const sts =
      checked.check === 'time'
        ? { code: 'ExpiredTokenException', message: checked.detail }
        : checked.message === NOT_AUTHORIZED
          ? accessDenied
          : invalidToken(checked.message === INVALID_SAML_RESPONSE ? checked.detail : checked.message);
    return failure('saml', checked.message, checked.detail, sts);
  }
  const claims = checked.claims;
  if (!claims.roles.some((r) => r.roleArn === pair.roleArn && r.providerArn === pair.providerArn)) {
    return failure(
      'saml',
      INVALID_SAML_RESPONSE,
      `roles: the Role pair ${pair.roleArn},${pair.providerArn} is not among the signed assertion's Role values`,
      accessDenied,
    );
  }
  const role = findRoleByArn(iam, ctx.accountId, pair.roleArn);
  if (!role) {
    return failure(
      'trust',
      NOT_AUTHORIZED,
      `the role ${pair.roleArn} does not exist in IAM (account ${ctx.accountId})`,
      accessDenied,
    );
  }
  const trust = trustPolicy(role.assumeRolePolicyDocument);
  const decision = trust
    ? evaluatePolicies([trust], {
        action: 'sts:AssumeRoleWithSAML',
        resource: role.arn,
        principal: { federated: provider.arn },
        context: {
          'SAML:aud': claims.recipient,
          'SAML:iss': claims.issuer,
          'SAML:sub': claims.nameId,
          'SAML:sub_type': subjectType(claims.nameIdFormat),
          'SAML:doc': `${ctx.accountId}/${provider.name}`,
          'SAML:namequalifier': nameQualifier(claims.issuer, ctx.accountId, provider.name),
          'aws:PrincipalAccount': ctx.accountId,
        },
      }).decision
    : 'ImplicitDeny';
  if (decision !== 'Allow') {
    return failure(
      'trust',
      NOT_AUTHORIZED,
      `the trust policy of role ${role.name} does not allow sts:AssumeRoleWithSAML for the federated principal ${provider.arn} with SAML:aud = ${claims.recipient}${decision === 'ExplicitDeny' ? ' (an explicit Deny)' : ''}`,
      accessDenied,
    );
  }
  const duration = input.durationSeconds ?? claims.sessionDuration;
  if (duration !== undefined && duration > role.maxSessionDuration) {
    const message = `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`;
    return failure(
      'saml',
      INVALID_SAML_RESPONSE,
      `session-duration: ${duration} s is more than the role's MaxSessionDuration (${role.maxSessionDuration} s)`,
      { code: 'ValidationError', message },
    );
  }
  role.lastUsed = { at: input.now, region: ctx.signedRegion ?? ctx.region };
  return { ok: true, session: { role, provider, claims } };
}

/** `SAML:sub_type`: `persistent`, `transient`, or the Format URI as given. */
export function subjectType(format: string | undefined): string {
  if (format === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent') return 'persistent';
  if (format === 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient') return 'transient';
  return format ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
}

/** Parse a decoded response for {@link assumeRoleWithSaml} (the sandbox's limits of a SAML response). */
export function parseSamlXml(xml: string): { ok: true; root: Element } | { ok: false; detail: string } {
  const parsed = parseXml(xml);
  return parsed.ok ? parsed : { ok: false, detail: `xml: the response was refused: ${parsed.message}` };
}
