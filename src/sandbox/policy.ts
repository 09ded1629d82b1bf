/**
 * IAM policy documents for the sandbox: a parser/validator that answers like IAM's
 * `MalformedPolicyDocument` checks, and a small evaluator (explicit deny → allow → implicit deny).
 *
 * Used by the IAM emulator (validation of managed policies and role trust policies), by the server
 * (the permission check of requests signed with an IAM user's access key) and by the SAML sign-in
 * simulation (may the role call `connect:GetFederationToken` on `<instance-arn>/user/<role-id>:<session>`?).
 *
 * Where the messages come from:
 * - Managed (identity) policies go through IAM's classic validator. Its messages and their order follow
 *   the cases that moto verified against AWS (`tests/test_iam/test_iam_policies.py`) and LocalStack's
 *   port of them (which adds the newer `"*", root, or start with` wording): `Syntax errors in policy.`,
 *   `Policy document must be version 2012-10-17 or greater.`, `The policy failed legacy parsing`, …
 * - Role trust policies go through the newer grammar, whose messages read differently: real CreateRole
 *   answers `This policy contains invalid Json` (LocalStack snapshot recorded against AWS),
 *   `Has prohibited field Resource`, `Missing required field Principal`,
 *   `AssumeRole policy may only specify STS AssumeRole actions.` and
 *   `Invalid principal in policy: "AWS":"…"` (all quoted in real CLI/SDK transcripts).
 * - Size quotas (IAM quotas page) are `LimitExceeded`, not `MalformedPolicyDocument`:
 *   `Cannot exceed quota for PolicySize: 6144`, `Cannot exceed quota for ACLSizePerRole: 2048`.
 *   IAM does not count white space against them.
 *
 * Pure: no I/O, no clock. Compiled forms of statements are cached per statement object, so treat
 * parsed documents as immutable.
 */

export { evaluatePolicies } from './policy/evaluate.js';
export { type PrincipalRef, parsePolicyDocument, principalsOf } from './policy/parse.js';
export {
  type EvaluationRequest,
  type EvaluationResult,
  IDENTITY_POLICY_MAX_LENGTH,
  type ParsePolicyOptions,
  type PolicyDocument,
  type PolicyKind,
  type PolicyParseFailure,
  type PolicyParseSuccess,
  type PolicyStatement,
  TRUST_POLICY_MAX_LENGTH,
} from './policy/types.js';
