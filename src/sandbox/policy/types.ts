/**
 * The shapes of the sandbox's IAM policy documents: what the parser returns and what the evaluator takes.
 */

/** One statement of a {@link PolicyDocument}, normalized: every multi-valued element is an array. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  /** `"*"` or `{ AWS | Federated | Service | CanonicalUser: [...] }`. */
  Principal?: '*' | Record<string, string[]>;
  NotPrincipal?: '*' | Record<string, string[]>;
  /** `{ operator: { conditionKey: [values] } }`; JSON numbers and booleans are kept as strings. */
  Condition?: Record<string, Record<string, string[]>>;
}

/**
 * A parsed policy document. Normalized: a single `Statement` object becomes a one-element array and
 * single values become arrays, so consumers never branch on the JSON shape.
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/**
 * Which validator applies: `identity` for managed (identity-based) policies — no `Principal`,
 * `Resource` required, version 2012-10-17; `trust` for a role's assume-role policy — `Principal`
 * required, no `Resource`, only `sts:` actions.
 */
export type PolicyKind = 'identity' | 'trust';

/** Options of {@link parsePolicyDocument}. */
export interface ParsePolicyOptions {
  /**
   * Size quota in characters, white space excluded. Defaults: 6144 for `identity` (managed policy
   * size), 2048 for `trust` (role trust policy length; AWS can raise it to 4096).
   */
  maxLength?: number;
}

/** A successful parse. */
export interface PolicyParseSuccess {
  ok: true;
  document: PolicyDocument;
}

/**
 * A rejected document. `message` is IAM's error message; `code` is the IAM error code to answer with
 * (`MalformedPolicyDocument`, HTTP 400; or `LimitExceeded`, HTTP 409, for the size quotas).
 */
export interface PolicyParseFailure {
  ok: false;
  message: string;
  code: 'MalformedPolicyDocument' | 'LimitExceeded';
}

/** Default size quota of a managed policy (characters, white space excluded). */
export const IDENTITY_POLICY_MAX_LENGTH = 6144;
/** Default size quota of a role trust policy (characters, white space excluded). */
export const TRUST_POLICY_MAX_LENGTH = 2048;

/** What is asked: may `principal` (or the policies' owner) perform `action` on `resource`? */
export interface EvaluationRequest {
  /** `service:Action`, e.g. `connect:GetFederationToken`. Matched case-insensitively. */
  action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. Matched case-sensitively. */
  resource: string;
  /**
   * Who asks, for resource/trust policies. When given, `Principal`/`NotPrincipal` elements are checked;
   * when absent they are ignored (identity-policy evaluation).
   */
  principal?: { federated?: string; aws?: string; service?: string };
  /**
   * The request context: condition keys and policy variables (`aws:userid`, `aws:username`,
   * `aws:PrincipalAccount`, `saml:sub`, `SAML:aud`, …). Keys are case-insensitive. A string[] is a
   * multi-valued key (for `ForAnyValue:`/`ForAllValues:`).
   */
  context?: Record<string, string | string[]>;
}

/** The outcome of {@link evaluatePolicies}; `statement` is the deciding statement (none for implicit deny). */
export interface EvaluationResult {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  statement?: PolicyStatement;
}
