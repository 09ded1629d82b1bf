/**
 * Policy documents as IAM checks them: JSON policy grammar (../policy.ts), size quotas, and — for trust
 * policies — principals that must exist in this account (IAM resolves them when the policy is saved).
 */
import { type PolicyDocument, parsePolicyDocument, principalsOf } from '../policy.js';
import {
  type Ctx,
  findRole,
  findUser,
  iamState,
  limitExceeded,
  malformedPolicyDocument,
  sameName,
} from './common.js';

/** A rejected document: `MalformedPolicyDocument`, or `LimitExceeded` for the size quotas. */
function rejected(failure: { message: string; code: 'MalformedPolicyDocument' | 'LimitExceeded' }): Error {
  return failure.code === 'LimitExceeded'
    ? limitExceeded(failure.message)
    : malformedPolicyDocument(failure.message);
}

/** A managed policy's document: a valid identity policy within `PolicySize` (6144, white space not counted). */
export function checkIdentityPolicy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text, 'identity');
  if (!parsed.ok) throw rejected(parsed);
  return parsed.document;
}

/**
 * A role's trust policy: a valid trust policy within `ACLSizePerRole` (2048) whose principals in this account
 * exist. A SAML provider younger than `iamConsistencyMs` does not exist yet (eventual consistency: right
 * after `CreateSAMLProvider`, `CreateRole` fails like this on AWS for a while).
 */
export function checkTrustPolicy(ctx: Ctx, text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text, 'trust');
  if (!parsed.ok) throw rejected(parsed);
  for (const { type, value } of principalsOf(parsed.document)) {
    if (!principalExists(ctx, type, value)) {
      throw malformedPolicyDocument(`Invalid principal in policy: "${type}":"${value}"`);
    }
  }
  return parsed.document;
}

const LOCAL_ARN = /^arn:aws:iam::(\d{12}):(saml-provider|oidc-provider|user|role)\/(.+)$/;

/** Whether IAM would resolve a trust-policy principal. Only this account's entities can be checked. */
function principalExists(ctx: Ctx, type: string, value: string): boolean {
  const match = LOCAL_ARN.exec(value);
  if (!match || match[1] !== ctx.accountId) return true;
  const kind = match[2];
  const rest = match[3] ?? '';
  const state = iamState(ctx);
  // Users and roles may have a path: the name is the last segment.
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  switch (kind) {
    case 'saml-provider': {
      if (type !== 'Federated') return false;
      const provider = state.samlProviders.find((p) => sameName(p.name, rest));
      if (!provider) return false;
      return ctx.now() - provider.createdAt >= ctx.iamConsistencyMs;
    }
    case 'oidc-provider':
      // The sandbox emulates no OpenID Connect providers.
      return false;
    case 'user':
      return type === 'AWS' && findUser(state, name) !== undefined;
    case 'role':
      return type === 'AWS' && findRole(state, name) !== undefined;
    default:
      return true;
  }
}
