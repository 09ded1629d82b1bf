/**
 * The org authorization server's token endpoint, `POST /oauth2/v1/token` (see ./oauth.ts for the
 * rules): client credentials with a private-key JWT client assertion, answered as Okta answers.
 * Assertion times are checked against the real clock, token expiry against the sandbox clock.
 */
import { createHash, createPublicKey, type JsonWebKey, randomBytes, verify } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { OKTA_SCOPES } from './service-apps.js';
import type { JsonObject } from './state.js';
import { type Ctx, okta } from './util.js';

export const TOKEN_PATH = '/oauth2/v1/token';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3600;
const MAX_ASSERTION_LIFETIME_S = 3600;
/** Clock skew Okta tolerates on a client assertion's `iat`. */
const SKEW_S = 60;

const ALGORITHMS: Readonly<Record<string, { kty: 'RSA' | 'EC'; hash: string }>> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  ES256: { kty: 'EC', hash: 'sha256' },
  ES384: { kty: 'EC', hash: 'sha384' },
  ES512: { kty: 'EC', hash: 'sha512' },
};

function oauthError(status: number, error: string, description: string): SandboxResponse {
  return {
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    },
    body: JSON.stringify({ error, error_description: description }),
  };
}

const invalidClient = (description: string) => oauthError(401, 'invalid_client', description);

function decodePart(part: string | undefined): JsonObject | undefined {
  if (!part || !/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/** How the sandbox keeps an access token: by its SHA-256, never the token itself. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The URLs a client may name as `aud`: the endpoint as invoked (its Host) and the sandbox's origin. */
function audiences(ctx: Ctx, req: SandboxRequest): string[] {
  const out = [`${ctx.origin}${TOKEN_PATH}`];
  const host = req.headers.host;
  if (host) out.push(`http://${host}${TOKEN_PATH}`);
  return out;
}

function prune(ctx: Ctx): void {
  const oauth = okta(ctx).oauth;
  const now = ctx.now();
  for (const [hash, token] of Object.entries(oauth.tokens))
    if (token.expiresAt <= now) delete oauth.tokens[hash];
  const real = Date.now();
  for (const [key, exp] of Object.entries(oauth.usedJtis)) if (exp <= real) delete oauth.usedJtis[key];
}

/** `POST /oauth2/v1/token`: client credentials with a private-key JWT client assertion. */
export function token(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  if (req.method.toUpperCase() !== 'POST') {
    return oauthError(405, 'invalid_request', 'The token endpoint accepts only POST.');
  }
  const type = req.headers['content-type'] ?? '';
  if (!/application\/x-www-form-urlencoded/i.test(type)) {
    return oauthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  prune(ctx);
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', "The 'grant_type' parameter is required.");
  if (grantType !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      `The authorization grant type '${grantType}' is not supported by the authorization server.`,
    );
  }
  const assertion = form.get('client_assertion');
  if (form.get('client_assertion_type') !== ASSERTION_TYPE || !assertion) {
    return invalidClient(
      form.get('client_secret') || form.get('client_assertion_type')
        ? 'The client_assertion_type is invalid.'
        : 'Client authentication failed. Either the client or the client credentials are invalid.',
    );
  }
  const parts = assertion.split('.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (parts.length !== 3 || !header || !claims)
    return invalidClient('The client_assertion is not a valid JWT.');

  const clientId = typeof claims.iss === 'string' ? claims.iss : '';
  const state = okta(ctx);
  const app = Object.hasOwn(state.oauth.clients, clientId) ? state.oauth.clients[clientId] : undefined;
  if (app?.status !== 'ACTIVE') return invalidClient("Invalid value for 'client_id' parameter.");
  const formClient = form.get('client_id');
  if ((formClient && formClient !== clientId) || claims.sub !== clientId) {
    return invalidClient("The client_assertion token's 'iss' and 'sub' claims must be the client_id.");
  }

  // The signature, with the key the header names.
  const alg = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (!alg)
    return invalidClient(
      `The client_assertion signature algorithm '${String(header.alg)}' is not supported.`,
    );
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const key = kid ? app.jwks.find((k) => k.kid === kid) : app.jwks.length === 1 ? app.jwks[0] : undefined;
  if (!key) return invalidClient('The client_assertion JWT kid is invalid.');
  if (key.kty !== alg.kty) return invalidClient('The client_assertion signature is invalid.');
  let valid = false;
  try {
    valid = verify(
      alg.hash,
      Buffer.from(`${parts[0]}.${parts[1]}`),
      { key: createPublicKey({ key: key as JsonWebKey, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(parts[2] ?? '', 'base64url'),
    );
  } catch {
    valid = false;
  }
  if (!valid) return invalidClient('The client_assertion signature is invalid.');

  // The claims.
  if (!audiences(ctx, req).includes(String(claims.aud))) {
    return invalidClient(
      'The audience claim for client_assertion must be the endpoint invoked for the request.',
    );
  }
  const nowS = Math.floor(Date.now() / 1000);
  const exp = claims.exp;
  const iat = claims.iat;
  if (typeof exp !== 'number') return invalidClient("The client_assertion token must have an 'exp' claim.");
  if (exp <= nowS) return invalidClient('The client_assertion token is expired.');
  if (typeof iat === 'number' && iat > nowS + SKEW_S) {
    return invalidClient('The client_assertion token was issued in the future.');
  }
  if (exp - (typeof iat === 'number' ? iat : nowS) > MAX_ASSERTION_LIFETIME_S) {
    return invalidClient('The client_assertion token has an expiration too far in the future.');
  }
  const jti = claims.jti;
  if (typeof jti !== 'string' || jti === '')
    return invalidClient("The client_assertion token must have a 'jti' claim.");
  const replayKey = `${clientId}:${jti}`;
  // [unverified wording]
  if (Object.hasOwn(state.oauth.usedJtis, replayKey))
    return invalidClient('The client_assertion token has already been used.');
  state.oauth.usedJtis[replayKey] = exp * 1000;

  // The scopes: the granted part of those asked for.
  const asked = (form.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
  if (asked.length === 0) {
    return oauthError(
      400,
      'invalid_scope',
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    );
  }
  const unknown = asked.filter(
    (s) => !(OKTA_SCOPES as readonly string[]).includes(s) && !s.startsWith('okta.'),
  );
  if (unknown.length > 0) {
    return oauthError(
      400,
      'invalid_scope',
      'One or more scopes are not configured for the authorization server resource.',
    );
  }
  const granted = asked.filter((s) => app.scopes.includes(s));
  if (granted.length === 0)
    return oauthError(400, 'consent_required', 'You are not allowed any of the requested scopes.');

  const now = ctx.now();
  const nowSeconds = Math.floor(now / 1000);
  const body = {
    ver: 1,
    jti: `AT.${randomBytes(16).toString('base64url')}`,
    iss: ctx.origin,
    aud: ctx.origin,
    iat: nowSeconds,
    exp: nowSeconds + TOKEN_LIFETIME_S,
    cid: clientId,
    scp: granted,
    sub: clientId,
  };
  // Shaped like Okta's (a JWT whose claims a client may read); the sandbox knows it by its hash.
  const accessToken = [
    Buffer.from(JSON.stringify({ kid: 'sandbox', alg: 'RS256' })).toString('base64url'),
    Buffer.from(JSON.stringify(body)).toString('base64url'),
    randomBytes(32).toString('base64url'),
  ].join('.');
  state.oauth.tokens[hashToken(accessToken)] = {
    clientId,
    scopes: granted,
    issuedAt: now,
    expiresAt: now + TOKEN_LIFETIME_S * 1000,
  };
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    body: JSON.stringify({
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      access_token: accessToken,
      scope: granted.join(' '),
    }),
  };
}
