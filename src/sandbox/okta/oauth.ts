/**
 * OAuth 2.0 for Okta's management API ("OAuth for Okta" with a service app), as the org authorization
 * server does it (developer.okta.com "Implement OAuth for Okta with a service app"):
 *
 * - A service app is registered with one or more public keys (JWKs) and the Okta API scopes granted to
 *   it — through the `createOktaServiceApp` back door (the admin console's "API Services" app, its
 *   public key and its "Okta API Scopes" tab).
 * - `POST /oauth2/v1/token` with `grant_type=client_credentials`, `scope=…` and a client assertion
 *   (`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, private_key_jwt):
 *   a JWT signed RS256/384/512 or ES256/384/512 by a registered key (chosen by `kid`; without a `kid`
 *   only when the app has one key), `iss` = `sub` = the client id, `aud` = the token endpoint's URL,
 *   `exp` in the future and at most an hour after `iat`, a `jti` never used before. The answer:
 *   `{token_type: 'Bearer', expires_in: 3600, access_token, scope}` with the granted subset of the scopes
 *   asked for. Failures answer as Okta does: 401 `invalid_client` with Okta's description, 400
 *   `invalid_scope`, `unsupported_grant_type`, `invalid_request`.
 * - A management call with `Authorization: Bearer <token>` needs the scope the OpenAPI spec names for its
 *   operation (`okta.users.read`…; a `.manage` scope covers its `.read`). Without it: 403 with
 *   `WWW-Authenticate: Bearer … error="insufficient_scope" …` as Okta sends it, and the E0000006 body
 *   (whose cause names the missing scope — a sandbox addition). An expired or unknown token: 401
 *   E0000011 with `error="invalid_token"`, after which the Okta SDK fetches a new token by itself.
 *
 * Not emulated: DPoP-bound tokens (the SDK's `use_dpop_nonce` path), admin roles of service apps (the
 * sandbox's service apps may do what their scopes allow), client secrets.
 *
 * Assertion times are checked against the real clock (the caller signs with it), token expiry against
 * the sandbox clock (tests move it to expire tokens).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest } from '../emulator.js';
import { ServiceError } from '../emulator.js';
import { oktaError } from './errors.js';
import { setRequestClient } from './events.js';
import { hashToken } from './oauth-token.js';
import { type Ctx, okta } from './util.js';

export { TOKEN_PATH, token } from './oauth-token.js';
export type { ServiceAppInput } from './service-apps.js';
export { OKTA_SCOPES, registerServiceApp } from './service-apps.js';

// ---------------------------------------------------------------------------------------------------------
// Management API authentication

/** Who called: the API token (an org admin) or a service app's access token with its scopes. */
export type OktaPrincipal =
  | { kind: 'api-token' }
  | { kind: 'service-app'; clientId: string; scopes: string[] };

function bearerChallenge(ctx: Ctx, error: string, description: string, extra = ''): string {
  return `Bearer authorization_uri="${ctx.origin}/oauth2/v1/authorize", realm="${ctx.origin}",${extra} error="${error}", error_description="${description}"`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Authenticate a management API request: `SSWS <API token>` or `Bearer <access token>`.
 * @throws 401 E0000011 (with Okta's `WWW-Authenticate` for a Bearer token).
 */
export function authenticate(ctx: Ctx, req: SandboxRequest): OktaPrincipal {
  const header = req.headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = space > 0 ? header.slice(0, space) : header;
  const value = space > 0 ? header.slice(space + 1).trim() : '';
  if (scheme === 'SSWS' && value !== '' && sameSecret(value, ctx.state.sandbox.oktaToken))
    return { kind: 'api-token' };
  if (scheme === 'Bearer' && value !== '') {
    const tokens = okta(ctx).oauth.tokens;
    const hash = hashToken(value);
    const found = Object.hasOwn(tokens, hash) ? tokens[hash] : undefined;
    const expired = found !== undefined && found.expiresAt <= ctx.now();
    if (found && !expired) {
      setRequestClient(req, found.clientId);
      return { kind: 'service-app', clientId: found.clientId, scopes: found.scopes };
    }
    throw new ServiceError('E0000011', 'Invalid token provided', 401, {
      causes: [],
      headers: {
        'WWW-Authenticate': bearerChallenge(
          ctx,
          'invalid_token',
          expired ? 'The token has expired.' : 'The access token is invalid.',
        ),
      },
    });
  }
  throw oktaError('E0000011', 'Invalid token provided', 401);
}

/** Whether a token's scopes cover `required` (a `.manage` scope covers its `.read`). */
export function hasScope(scopes: readonly string[], required: string): boolean {
  if (scopes.includes(required)) return true;
  return required.endsWith('.read') && scopes.includes(`${required.slice(0, -'.read'.length)}.manage`);
}

/**
 * A service app's token must carry the operation's scope.
 * @throws 403 E0000006 with Okta's `insufficient_scope` challenge.
 */
export function requireScope(
  ctx: Ctx,
  req: SandboxRequest,
  principal: OktaPrincipal,
  required: string,
): void {
  if (principal.kind === 'api-token' || hasScope(principal.scopes, required)) return;
  throw new ServiceError('E0000006', 'You do not have permission to perform the requested action', 403, {
    causes: [`The access token provided does not contain the required scope ${required}.`],
    headers: {
      'WWW-Authenticate': bearerChallenge(
        ctx,
        'insufficient_scope',
        'The access token provided does not contain the required scopes.',
        ` scope="${required}",`,
      ).replace(/, error_description="([^"]*)"$/, `, error_description="$1", resource="${req.path}"`),
    },
  });
}
