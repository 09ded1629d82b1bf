/**
 * The fixes that name a setting: for a connection that failed (the endpoint, `okta.orgUrl`, the
 * region) and for a provider's error code (credentials, permissions, limits).
 */
import { AWS_REFUSED } from './error-causes.js';

/** What the CLI knows of where the calls go, for fixes that name the setting to check. */
export interface ExplainContext {
  /** The config file, as the user gave it. */
  configPath?: string | undefined;
  /** `AWS_ENDPOINT_URL`, when set. */
  awsEndpoint?: string | undefined;
  /** The config's region. */
  region?: string | undefined;
  /** The config's `okta.orgUrl`. */
  oktaOrgUrl?: string | undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.host;
  } catch {
    return undefined;
  }
}

/** Which side an unreachable address belongs to, from the endpoints the command used. */
export function sideOf(address: string | undefined, where: ExplainContext): 'aws' | 'okta' | undefined {
  if (!address) return undefined;
  const host = address.replace(/:\d+$/, '');
  const matches = (url: string | undefined) => {
    const h = hostOf(url);
    return h !== undefined && (h === address || h.replace(/:\d+$/, '') === host);
  };
  const aws = matches(where.awsEndpoint);
  const okta = matches(where.oktaOrgUrl);
  if (aws && okta) {
    // Same host (the sandbox): tell them apart by port.
    if (hostOf(where.awsEndpoint) === address) return 'aws';
    if (hostOf(where.oktaOrgUrl) === address) return 'okta';
    return undefined;
  }
  return aws ? 'aws' : okta ? 'okta' : /amazonaws\.com$/.test(host) ? 'aws' : undefined;
}

/** The fix for a connection that failed, naming the setting that decides where it goes. */
export function networkFix(
  side: 'aws' | 'okta' | undefined,
  failure: { code: string; address: string | undefined },
  where: ExplainContext,
  service?: string,
): string {
  const at = failure.address ? ` at ${failure.address}` : '';
  const file = where.configPath ?? 'the config file';
  if (side === 'okta') {
    const url = where.oktaOrgUrl ? ` (${where.oktaOrgUrl})` : '';
    return `Could not reach the Okta org${at} (${failure.code}): check okta.orgUrl in ${file}${url}, and the network and proxy settings.`;
  }
  if (side === 'aws') {
    const what = service && service !== 'aws' ? `AWS (${service})` : 'AWS';
    if (where.awsEndpoint) {
      return `Could not reach ${what}${at} (${failure.code}): AWS_ENDPOINT_URL sends every AWS call to ${where.awsEndpoint}: check that it is right and listening (the sandbox running?), or unset it to call AWS; and check the network and proxy settings.`;
    }
    const region = where.region ? ` (${where.region})` : '';
    return `Could not reach ${what}${at} (${failure.code}): check the network and proxy settings, and region in ${file}${region}, which decides the AWS endpoint (AWS_ENDPOINT_URL, when set, overrides it).`;
  }
  return `Could not connect${at} (${failure.code}): check the network and proxy settings, AWS_ENDPOINT_URL and the region for AWS, okta.orgUrl for Okta.`;
}

/** The fix for a provider error, from its service and code. */
export function providerFix(service: string, code: string | undefined, status: number | undefined): string {
  if (service === 'okta') {
    if (code === 'E0000011' || status === 401)
      return 'The Okta credentials were refused: check OKTA_API_TOKEN (Okta Admin → Security → API → Tokens) or the OAuth service app of OKTA_CLIENT_ID and its key, and that they belong to the org in okta.orgUrl.';
    if (code === 'E0000006' || status === 403)
      return 'The Okta credentials lack a permission: use a token of an admin who may manage apps, users and groups, or grant the OAuth service app the scopes in OKTA_SCOPES (okta.apps.manage, okta.users.read, okta.groups.manage).';
    if (code === 'E0000047' || status === 429)
      return 'Okta rate limit: wait a minute and run the command again; it resumes where it stopped.';
    return 'Run the command again (runs are idempotent and resume where they stopped); add --debug to see the cause chain.';
  }
  if (code === 'CredentialsProviderError')
    return 'No AWS credentials were found: pass --profile NAME, or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
  if (code && /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedException)$/.test(code))
    return `The AWS identity may not call ${service}:${'$OPERATION'}: grant it that permission, or use another --profile.`;
  if (code && AWS_REFUSED.test(code))
    return 'The AWS credentials were refused: check --profile / AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and refresh expired session credentials (aws sso login).';
  if (code && /Throttl|TooManyRequests|LimitExceeded/.test(code))
    return 'An AWS limit was reached: wait a little and run the command again; it resumes where it stopped.';
  return 'Run the command again (runs are idempotent and resume where they stopped); add --debug to see the cause chain.';
}
