/**
 * The public parser of policy documents and the principals a document names.
 */
import { validateIdentity } from './identity.js';
import { MSG, PolicyRejection, policyLength, reject } from './syntax.js';
import { validateTrust } from './trust.js';
import {
  IDENTITY_POLICY_MAX_LENGTH,
  type ParsePolicyOptions,
  type PolicyDocument,
  type PolicyKind,
  type PolicyParseFailure,
  type PolicyParseSuccess,
  TRUST_POLICY_MAX_LENGTH,
} from './types.js';

/**
 * Parses and validates a policy document the way IAM does on `CreatePolicy`/`CreatePolicyVersion`
 * (`kind: 'identity'`) or `CreateRole`/`UpdateAssumeRolePolicy` (`kind: 'trust'`).
 *
 * Never throws: any input yields either the normalized document or IAM's error message and code.
 * It checks the shape of principals (an `AWS` principal must be `*`, an account id or an IAM/STS ARN;
 * a `Federated` one a SAML/OIDC provider ARN or a provider domain) but not that they exist: the IAM
 * emulator does that with {@link principalsOf} and answers `Invalid principal in policy: …` itself.
 *
 * @param text the document as the caller sent it (JSON text).
 * @param kind which validator applies, see {@link PolicyKind}.
 * @param options size quota override.
 * @returns `{ ok: true, document }` or `{ ok: false, message, code }`.
 *
 * @example
 * const r = parsePolicyDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow",' +
 *   '"Action":"iam:ListRoles","Resource":"*"}}', 'identity');
 * // r.ok === true; r.document.Statement[0].Action → ['iam:ListRoles']
 */
export function parsePolicyDocument(
  text: string,
  kind: PolicyKind,
  options: ParsePolicyOptions = {},
): PolicyParseSuccess | PolicyParseFailure {
  const maxLength =
    options.maxLength ?? (kind === 'trust' ? TRUST_POLICY_MAX_LENGTH : IDENTITY_POLICY_MAX_LENGTH);
  try {
    if (typeof text !== 'string') reject(kind === 'trust' ? MSG.trustInvalidJson : MSG.syntax);
    if (policyLength(text) > maxLength) {
      const quota = kind === 'trust' ? 'ACLSizePerRole' : 'PolicySize';
      throw new PolicyRejection(`Cannot exceed quota for ${quota}: ${maxLength}`, 'LimitExceeded');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      reject(kind === 'trust' ? MSG.trustInvalidJson : MSG.syntax);
    }
    const document = kind === 'trust' ? validateTrust(raw) : validateIdentity(raw);
    return { ok: true, document };
  } catch (e) {
    if (e instanceof PolicyRejection) return { ok: false, message: e.message, code: e.code };
    // Defensive: malformed input must never crash the sandbox.
    return { ok: false, message: MSG.syntax, code: 'MalformedPolicyDocument' };
  }
}

/** One principal a policy names: its type and value, as {@link principalsOf} lists them. */
export interface PrincipalRef {
  type: 'AWS' | 'Federated' | 'Service';
  value: string;
}

/**
 * The principals a document names, in order of appearance and without duplicates. Both `Principal` and
 * `NotPrincipal` count (IAM resolves every principal a policy names). `"Principal": "*"` is reported as
 * the AWS principal `*`. Keys are matched case-sensitively as IAM does (`AWS`, `Federated`, `Service`);
 * other types (`CanonicalUser`) are not reported.
 *
 * @example
 * principalsOf(trust) // [{ type: 'Federated', value: 'arn:aws:iam::123456789012:saml-provider/Okta' }]
 * principalsOf(trust).filter((p) => p.type === 'Federated').map((p) => p.value)
 */
export function principalsOf(doc: PolicyDocument): PrincipalRef[] {
  const refs: PrincipalRef[] = [];
  const seen = new Set<string>();
  const add = (type: PrincipalRef['type'], value: string) => {
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ type, value });
  };
  for (const st of doc.Statement) {
    for (const p of [st.Principal, st.NotPrincipal]) {
      if (p === undefined) continue;
      if (p === '*') {
        add('AWS', '*');
        continue;
      }
      for (const [type, values] of Object.entries(p)) {
        if (type === 'AWS' || type === 'Federated' || type === 'Service')
          for (const v of values) add(type, v);
      }
    }
  }
  return refs;
}
