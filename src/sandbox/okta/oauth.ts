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
import {
  createHash,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { ServiceError } from '../emulator.js';
import { oktaError } from './errors.js';
import { setRequestClient } from './events.js';
import type { JsonObject, OktaServiceApp } from './state.js';
import { type Ctx, ensureOrg, newId, okta } from './util.js';

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

/** The Okta API scopes the sandbox knows (those of the operations it emulates, and their pairs). */
export const OKTA_SCOPES = [
  'okta.apps.read',
  'okta.apps.manage',
  'okta.users.read',
  'okta.users.manage',
  'okta.groups.read',
  'okta.groups.manage',
  'okta.eventHooks.read',
  'okta.eventHooks.manage',
  'okta.schemas.read',
  'okta.schemas.manage',
] as const;

// ---------------------------------------------------------------------------------------------------------
// Service apps (back door)

/** What `sb.admin.createOktaServiceApp` takes: a service app's public key(s) and granted scopes. */
export interface ServiceAppInput {
  /** The app's name. Default `Sandbox service app`. */
  name?: string;
  /**
   * The public key its client assertions are signed with: a JWK (object or JSON), or a PEM public key. A
   * private key is accepted too; only its public part is kept.
   */
  publicKey?: JsonWebKey | string;
  /** Several keys at once, as a JWK Set. */
  jwks?: {
    /** The public keys (JWKs; a `kid` each, or one is derived). */
    keys: JsonWebKey[];
  };
  /** The key id to register `publicKey` under. Default its `kid`, else its RFC 7638 thumbprint. */
  kid?: string;
  /** The Okta API scopes granted to the app (`okta.users.read`…). */
  scopes: string[];
}

function thumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function publicJwk(key: JsonWebKey | string, kid: string | undefined): JsonObject {
  let object: KeyObject;
  let givenKid: string | undefined;
  if (typeof key === 'string' && !key.trim().startsWith('{')) {
    object = createPublicKey(key);
  } else {
    const jwk = (typeof key === 'string' ? JSON.parse(key) : key) as JsonWebKey & { kid?: unknown };
    givenKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    object = createPublicKey({ key: jwk, format: 'jwk' });
  }
  if (object.asymmetricKeyType !== 'rsa' && object.asymmetricKeyType !== 'ec') {
    throw new Error(`the key is ${object.asymmetricKeyType ?? 'unknown'}; Okta takes RSA or EC keys`);
  }
  const exported = object.export({ format: 'jwk' });
  const id = kid ?? givenKid ?? thumbprint(exported);
  return { ...(exported as JsonObject), kid: id, use: 'sig' };
}

/**
 * Register a service app (the admin console's "API Services" app with a public key and granted scopes).
 * @throws Error naming the field for a bad key or an unknown scope.
 */
export function registerServiceApp(ctx: Ctx, input: ServiceAppInput): { clientId: string; kids: string[] } {
  const what = 'createOktaServiceApp';
  const scopes = input?.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => typeof s !== 'string')) {
    throw new Error(`${what}: scopes: expected a non-empty list such as ['okta.users.read']`);
  }
  const unknown = scopes.filter((s) => !(OKTA_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(
      `${what}: scopes: unknown Okta API scope(s) ${unknown.join(', ')}; known: ${OKTA_SCOPES.join(', ')}`,
    );
  }
  const given = [
    ...(input.publicKey !== undefined ? [input.publicKey] : []),
    ...(Array.isArray(input.jwks?.keys) ? input.jwks.keys : []),
  ];
  if (given.length === 0) throw new Error(`${what}: publicKey: a public key (JWK or PEM) is required`);
  let jwks: JsonObject[];
  try {
    jwks = given.map((key, i) =>
      publicJwk(key, i === 0 && input.publicKey !== undefined ? input.kid : undefined),
    );
  } catch (error) {
    throw new Error(`${what}: publicKey: not a usable public key (${(error as Error).message})`, {
      cause: error,
    });
  }
  const kids = jwks.map((k) => String(k.kid));
  if (new Set(kids).size !== kids.length)
    throw new Error(`${what}: publicKey: two keys share the kid ${kids.join(', ')}`);
  ensureOrg(ctx);
  const app: OktaServiceApp = {
    clientId: newId(ctx, '0oa'),
    name: input.name ?? 'Sandbox service app',
    status: 'ACTIVE',
    created: ctx.now(),
    jwks,
    scopes: [...new Set(scopes)],
  };
  okta(ctx).oauth.clients[app.clientId] = app;
  return { clientId: app.clientId, kids };
}

// ---------------------------------------------------------------------------------------------------------
// The token endpoint

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

function hashToken(token: string): string {
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
