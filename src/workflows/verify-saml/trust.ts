/**
 * Whether an IAM role's trust policy lets a SAML provider federate: what AWS evaluates when
 * `sts:AssumeRoleWithSAML` is called with a response naming the pair. Pure (the policy is given).
 */

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * Why a trust policy does not let `providerArn` call sts:AssumeRoleWithSAML (and, if it conditions
 * `SAML:aud`, for `recipient`), or undefined when it does.
 */
export function trustProblem(
  policy: unknown,
  providerArn: string,
  recipient: string | undefined,
): string | undefined {
  const statements = isRecord(policy) ? asList(policy.Statement).filter(isRecord) : [];
  const actionMatches = (s: Record<string, unknown>) =>
    asList(s.Action).some((a) => typeof a === 'string' && /^(sts:(AssumeRoleWithSAML|\*)|\*)$/i.test(a));
  const principalMatches = (s: Record<string, unknown>) =>
    isRecord(s.Principal) && asList(s.Principal.Federated).includes(providerArn);
  const denied = statements.find((s) => s.Effect === 'Deny' && actionMatches(s) && principalMatches(s));
  if (denied) return `its trust policy denies sts:AssumeRoleWithSAML to ${providerArn}`;
  const allows = statements.filter((s) => s.Effect === 'Allow' && actionMatches(s) && principalMatches(s));
  if (allows.length === 0) {
    return `its trust policy does not allow ${providerArn} to call sts:AssumeRoleWithSAML (Principal.Federated must name the provider)`;
  }
  if (recipient === undefined) return undefined;
  const audOk = allows.some((s) => {
    const condition = isRecord(s.Condition) ? s.Condition : {};
    const values = Object.entries(condition)
      .filter(([op]) => /^StringEquals(IgnoreCase)?$/i.test(op))
      .flatMap(([, keys]) => (isRecord(keys) ? Object.entries(keys) : []))
      .filter(([k]) => k.toLowerCase() === 'saml:aud')
      .flatMap(([, v]) => asList(v));
    return values.length === 0 || values.includes(recipient);
  });
  return audOk
    ? undefined
    : `its trust policy's SAML:aud condition does not include the response's Recipient '${recipient}'`;
}
