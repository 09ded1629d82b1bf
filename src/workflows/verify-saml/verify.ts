/**
 * `verifySamlResponse`: the pure `checkSamlResponse` of src/saml, plus what only AWS can answer — read
 * through a context: the IdP metadata the IAM identity provider holds, that the providers and roles the
 * Role pairs name exist and trust each other, and that the Connect user named by RoleSessionName exists
 * with exactly that spelling.
 */
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { checkSamlResponse } from '../../saml/response.js';
import type { CheckSamlResponseOptions, SamlCheck, SamlVerification } from '../../saml/types.js';
import { AWS_PROVIDER_MISSING } from '../../saml/wording.js';
import { connectUserCheck, identityProviderCheck, providerMetadata, roleTrustCheck } from './checks.js';

/** Options of {@link verifySamlResponse}. */
export interface VerifySamlResponseOptions {
  /** The IdP metadata XML. Default: the metadata of `providerArn` (or of the provider the Role attribute names), read from IAM. */
  metadata?: string;
  /** The IAM SAML provider whose metadata to check against, when `metadata` is not given. */
  providerArn?: string;
  /** Needed to read IAM providers and roles and the Connect users. */
  context?: SsoContext;
  /** The Connect instance whose users must include the RoleSessionName (needs `context`). */
  instanceId?: string;
  /** As in {@link CheckSamlResponseOptions.now}: the time to check against, epoch ms or a Date. */
  now?: number | Date;
  /** As in {@link CheckSamlResponseOptions.clockSkewSeconds}: tolerated clock difference, s (default 300). */
  clockSkewSeconds?: number;
  /** As in {@link CheckSamlResponseOptions.recipients}. */
  recipients?: string[];
  /** As in {@link CheckSamlResponseOptions.audience}. */
  audience?: string;
}

/** The pure check's result with its `signature` check replaced by `replacement`. */
function signatureFailure(probe: SamlVerification, replacement: SamlCheck): SamlVerification {
  return {
    ...probe,
    ok: false,
    checks: probe.checks.map((c) => (c.check === 'signature' ? replacement : c)),
  };
}

/**
 * Verify a SAML response captured from a real sign-in. Unlike the pure {@link checkSamlResponse}, this
 * calls AWS when given a context: IAM `GetSAMLProvider` (the metadata to check against, and every
 * provider the Role pairs name: `identity-provider`), IAM `GetRole` (each role exists and trusts its
 * provider: `role-trust`) and, given `instanceId`, Connect's user search (a user is named exactly like
 * RoleSessionName: `connect-user`; a case-only difference fails and shows both spellings). Without a
 * context it is `checkSamlResponse` with the given metadata. Provider errors become failed checks.
 * @throws {ConfigError} when neither `metadata` nor a `context` is given (nothing to verify against),
 *   or `instanceId` without a `context`.
 */
export async function verifySamlResponse(
  samlResponse: string,
  options: VerifySamlResponseOptions,
): Promise<SamlVerification> {
  const ctx = options.context;
  if (options.metadata === undefined && !ctx) {
    throw new ConfigError(
      'metadata',
      'give the IdP metadata, or a context (with providerArn) to read it from IAM',
    );
  }
  if (options.instanceId !== undefined && !ctx) {
    throw new ConfigError('context', 'checking the Connect user of instanceId needs a context');
  }
  const base: Omit<CheckSamlResponseOptions, 'metadata'> = {
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
    ...(options.recipients !== undefined ? { recipients: options.recipients } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
  };
  const metadataByProvider = new Map<string, string | undefined>();

  let metadata = options.metadata;
  if (metadata === undefined && ctx) {
    let providerArn = options.providerArn;
    if (!providerArn) {
      // As AWS does: the provider named by the Role attribute holds the metadata to verify against.
      // Without metadata the pure check reads the (unverified) assertion and checks no signature.
      const probe = checkSamlResponse(samlResponse, { ...base, metadata: '' });
      const named = [...new Set((probe.assertion?.roles ?? []).map((r) => r.providerArn))];
      if (!probe.assertion) return probe;
      if (named.length !== 1 || named[0] === undefined) {
        return signatureFailure(probe, {
          check: 'signature',
          status: 'fail',
          message: `The signature cannot be checked: the Role attribute names ${named.length === 0 ? 'no SAML provider' : `${named.length} SAML providers`}, so which provider's metadata applies is unclear.`,
          fix: 'Pass providerArn (or the metadata) to say which identity provider to check against.',
        });
      }
      providerArn = named[0];
    }
    const found = await providerMetadata(ctx, providerArn);
    if (!('xml' in found)) {
      metadataByProvider.set(providerArn, undefined);
      const probe = checkSamlResponse(samlResponse, { ...base, metadata: '' });
      return signatureFailure(probe, {
        check: 'signature',
        status: 'fail',
        message:
          'missing' in found
            ? `${AWS_PROVIDER_MISSING} The IAM identity provider ${providerArn} does not exist, so the signature cannot be checked.`
            : `The metadata of ${providerArn} could not be read: ${found.error}`,
        fix:
          'missing' in found
            ? "Create the IAM identity provider from the Okta app's metadata (linkIdentityProvider does), and set its ARN in the Okta app (Sign On → Identity Provider ARN)."
            : 'Check the credentials can call iam:GetSAMLProvider.',
      });
    }
    metadata = found.xml;
    metadataByProvider.set(providerArn, found.xml);
  }
  const verification = checkSamlResponse(samlResponse, { ...base, metadata: metadata ?? '' });
  const info = verification.assertion;
  if (!ctx || !info) return verification;

  const extra: SamlCheck[] = [];
  const providers = await identityProviderCheck(ctx, info, metadataByProvider, metadata, (xml) =>
    checkSamlResponse(samlResponse, { ...base, metadata: xml })
      .checks.filter((c) => (c.check === 'signature' || c.check === 'issuer') && c.status === 'fail')
      .map((c) => c.message),
  );
  if (providers) extra.push(providers);
  const roles = await roleTrustCheck(ctx, info);
  if (roles) extra.push(roles);
  if (options.instanceId !== undefined) extra.push(await connectUserCheck(ctx, options.instanceId, info));

  const checks = [...verification.checks, ...extra];
  return { ok: checks.every((c) => c.status !== 'fail'), checks, assertion: info };
}
