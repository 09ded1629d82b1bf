/**
 * The `okta` section of a configuration: the org URL, and the credentials (a token, or an OAuth service
 * app's private key), read from the config or the environment and wrapped as {@link Secret}s. A secret is
 * never part of a message.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { normalizeOrgUrl } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import { DEFAULT_OAUTH_SCOPES, OKTA_TOKEN_ENV, type RoleMapping } from './defaults.js';
import { asString, type Issues, isObject, type Loose } from './issues.js';
import type { ResolvedOktaAuth } from './types.js';

/** The Okta secrets of the input, and the input with them replaced by placeholders for the schema. */
export function separateSecrets(input: unknown): { value: unknown; token: unknown; privateKey: unknown } {
  if (!isObject(input) || !isObject(input.okta))
    return { value: input, token: undefined, privateKey: undefined };
  const { token, privateKey } = input.okta;
  const okta: Loose = { ...input.okta };
  // A Secret passes the structural check as a string; its value is never looked at there.
  if (token instanceof Secret) okta.token = 'secret';
  if (privateKey instanceof Secret) okta.privateKey = 'secret';
  return { value: { ...input, okta }, token, privateKey };
}

type SecretSource = { kind: 'config' } | { kind: 'env'; name: string };

/** `${NAME}` reads the environment; any other use of `${` is refused; a plain value is taken as it is. */
function readSecret(
  value: unknown,
  field: string,
  env: NodeJS.ProcessEnv,
  issues: Issues,
): { secret: Secret; source: SecretSource } | undefined {
  if (value instanceof Secret) return { secret: value, source: { kind: 'config' } };
  if (typeof value !== 'string' || issues.has(field)) return undefined;
  const reference = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value.trim());
  if (reference) {
    const name = reference[1] as string;
    const fromEnv = env[name];
    if (fromEnv === undefined || fromEnv.trim() === '') {
      issues.add(field, `refers to the environment variable ${name}, which is not set`);
      return undefined;
    }
    return { secret: new Secret(fromEnv.trim()), source: { kind: 'env', name } };
  }
  if (value.includes('${')) {
    issues.add(
      field,
      'to read an environment variable, write the whole value as ${NAME} (nothing else is interpolated)',
    );
    return undefined;
  }
  const literal = value.trim();
  if (literal === '') {
    issues.add(field, 'must not be blank');
    return undefined;
  }
  return { secret: new Secret(literal), source: { kind: 'config' } };
}

/** An RSA or EC private key, PEM or JWK (what the Okta SDK's private_key_jwt accepts). */
function privateKeyProblem(key: Secret): string | undefined {
  const text = key.reveal().trim();
  try {
    const parsed = text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPrivateKey(text);
    if (parsed.asymmetricKeyType !== 'rsa' && parsed.asymmetricKeyType !== 'ec') {
      return `must be an RSA or EC private key (got a ${parsed.asymmetricKeyType ?? 'different'} key)`;
    }
    return undefined;
  } catch {
    // The parser's message may quote the input: say only what was expected.
    return 'is not a readable private key: expected PEM (-----BEGIN PRIVATE KEY-----…) or a JWK in JSON';
  }
}

export function checkOkta(
  okta: unknown,
  token: unknown,
  privateKey: unknown,
  roleMapping: RoleMapping,
  env: NodeJS.ProcessEnv,
  requireAuth: boolean,
  issues: Issues,
): { orgUrl: string; auth: ResolvedOktaAuth | undefined } | undefined {
  if (!isObject(okta)) return undefined;
  let orgUrl: string | undefined;
  if (typeof okta.orgUrl === 'string' && !issues.has('okta.orgUrl')) {
    try {
      orgUrl = normalizeOrgUrl(okta.orgUrl);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.add('okta.orgUrl', error.issues[0]?.message ?? error.message);
    }
  }

  let auth: ResolvedOktaAuth | undefined;
  if (token !== undefined && privateKey !== undefined) {
    issues.add('okta.privateKey', 'give either okta.token or okta.privateKey (OAuth), not both');
  } else if (privateKey !== undefined) {
    if (okta.clientId === undefined) issues.add('okta.clientId', 'is required with okta.privateKey');
    const key = readSecret(privateKey, 'okta.privateKey', env, issues);
    if (key) {
      const problem = privateKeyProblem(key.secret);
      if (problem) issues.add('okta.privateKey', problem);
      else if (typeof okta.clientId === 'string') {
        auth = {
          type: 'private-key',
          clientId: okta.clientId,
          privateKey: key.secret,
          source: key.source,
          keyId: asString(okta.keyId),
          scopes: Array.isArray(okta.scopes)
            ? (okta.scopes as string[]).slice()
            : [...DEFAULT_OAUTH_SCOPES[roleMapping]],
        };
      }
    }
  } else {
    for (const field of ['clientId', 'keyId', 'scopes'] as const) {
      if (okta[field] !== undefined) issues.add(`okta.${field}`, 'is only used with okta.privateKey (OAuth)');
    }
    if (token !== undefined) {
      const read = readSecret(token, 'okta.token', env, issues);
      if (read) auth = { type: 'token', token: read.secret, source: read.source };
    } else {
      const fromEnv = env[OKTA_TOKEN_ENV];
      if (fromEnv !== undefined && fromEnv.trim() !== '') {
        auth = {
          type: 'token',
          token: new Secret(fromEnv.trim()),
          source: { kind: 'env', name: OKTA_TOKEN_ENV },
        };
      } else if (requireAuth) {
        issues.add(
          'okta.token',
          `no Okta credentials: set the environment variable ${OKTA_TOKEN_ENV} (recommended), or okta.token, or okta.privateKey with okta.clientId (OAuth)`,
        );
      }
    }
  }
  return orgUrl === undefined ? undefined : { orgUrl, auth };
}
