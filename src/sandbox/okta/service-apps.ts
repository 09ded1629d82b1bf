/**
 * OAuth service apps of the org (the admin console's "API Services" apps): registered through the
 * `createOktaServiceApp` back door with their public key(s) and the Okta API scopes granted to them.
 * Their client assertions are checked at the token endpoint (./oauth-token.ts).
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JsonObject, OktaServiceApp } from './state.js';
import { type Ctx, ensureOrg, newId, okta } from './util.js';

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
