/**
 * An error's cause chain as the CLI reads it (by `code` and the provider's code, never by `instanceof`):
 * the chain itself, the network failure in it, and whether it says the credentials were refused.
 */

/** The properties the CLI reads of an error (any of them may be absent or of another type). */
export type ErrorProps = {
  code?: unknown;
  name?: unknown;
  field?: unknown;
  resource?: unknown;
  issues?: unknown;
  actions?: unknown;
  service?: unknown;
  operation?: unknown;
  providerCode?: unknown;
  httpStatus?: unknown;
  cause?: unknown;
};

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The chain `error`, `error.cause`, … (at most 10 deep). */
export function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === 'object' ? (current as ErrorProps).cause : undefined;
  }
  return chain;
}

const NETWORK =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/;

/** The first network error in the chain: its code and, when the system says, the address it tried. */
export function networkFailure(error: unknown): { code: string; address: string | undefined } | undefined {
  for (const e of causes(error)) {
    const p = e as (ErrorProps & { address?: unknown; port?: unknown; hostname?: unknown }) | null;
    const code = str(p?.code);
    if (code && NETWORK.test(code)) {
      const host = str(p?.address) ?? str(p?.hostname);
      const port = typeof p?.port === 'number' || typeof p?.port === 'string' ? String(p.port) : undefined;
      return { code, address: host ? (port ? `${host}:${port}` : host) : undefined };
    }
  }
  return undefined;
}

/** AWS error codes that mean the credentials themselves were refused (not a missing permission). */
export const AWS_REFUSED =
  /^(InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature|InvalidSignatureException|ExpiredToken|ExpiredTokenException|TokenRefreshRequired|UnrecognizedClientException|InvalidAccessKeyId|AuthFailure|MissingAuthenticationToken|MissingAuthenticationTokenException)$/;
/**
 * Whether an error says the AWS or Okta credentials are missing or were refused (exit 2 like other
 * invalid input): no AWS credentials found, a signature or token AWS refuses, an Okta token Okta
 * refuses (401), or a failed OAuth sign-in to Okta. Not a missing permission, nor a network failure.
 */
export function isCredentialError(error: unknown): boolean {
  for (const c of causes(error)) {
    const e = c as ErrorProps & { message?: unknown };
    if (str(e?.code) !== 'PROVIDER_ERROR') continue;
    if (networkFailure(c)) return false;
    const providerCode = str(e.providerCode);
    if (providerCode === 'CredentialsProviderError') return true;
    if (str(e.service) === 'okta') {
      if (/oauth2\/v1\/token/.test(str(e.message) ?? '')) return true;
      return providerCode === 'E0000011' || e.httpStatus === 401;
    }
    return providerCode !== undefined && AWS_REFUSED.test(providerCode);
  }
  return false;
}
