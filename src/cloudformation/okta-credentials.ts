/**
 * The Okta credentials of a stack: read from the Secrets Manager secret the resource names, never from
 * its properties.
 *
 * The secret holds JSON — `{"token": "<API token>"}`, or for OAuth 2.0 `{"clientId": "0oa…",
 * "privateKey": "<PEM or JWK>", "keyId"?: "…", "scopes"?: ["okta.apps.manage", …]}` — or the bare API
 * token as its whole string.
 */
import { ConfigError, ProviderError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

/** Okta credentials read from a secret. */
export type OktaCredentials =
  | {
      /** An API token. */
      token: Secret;
    }
  | {
      /** The OAuth service app's client id. */
      clientId: string;
      /** Its private key. */
      privateKey: Secret;
      /** The key id, if any. */
      keyId?: string;
      /** The scopes, if the secret names them. */
      scopes?: string[];
    };

/** Where the secret is read: the region of its ARN, else `defaultRegion`. */
export interface SecretReadOptions {
  /** The region of a secret given by name. */
  defaultRegion: string;
  /** Endpoint override (the sandbox). */
  endpoint?: string | undefined;
  /** Static credentials, else the default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** SDK attempts. */
  maxAttempts?: number | undefined;
}

const FIELD = 'OktaCredentialsSecret';

/** Parse the secret's text. The message of an error never quotes it. */
export function parseOktaSecret(text: string): OktaCredentials {
  const trimmed = text.trim();
  if (trimmed === '') throw new ConfigError(FIELD, 'the secret is empty');
  if (!trimmed.startsWith('{')) return { token: new Secret(trimmed) };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    throw new ConfigError(FIELD, 'the secret starts with "{" but is not valid JSON');
  }
  const v = value as Record<string, unknown>;
  if (typeof v.token === 'string' && v.token.trim() !== '') return { token: new Secret(v.token.trim()) };
  if (typeof v.privateKey === 'string' && v.privateKey.trim() !== '') {
    if (typeof v.clientId !== 'string' || v.clientId === '') {
      throw new ConfigError(FIELD, 'the secret has a privateKey but no clientId');
    }
    const scopes = Array.isArray(v.scopes)
      ? v.scopes.filter((s): s is string => typeof s === 'string')
      : undefined;
    return {
      clientId: v.clientId,
      privateKey: new Secret(v.privateKey),
      ...(typeof v.keyId === 'string' ? { keyId: v.keyId } : {}),
      ...(scopes ? { scopes } : {}),
    };
  }
  throw new ConfigError(
    FIELD,
    'the secret must hold {"token": "…"} or {"clientId": "…", "privateKey": "…"} (or the bare token)',
  );
}

/**
 * Read and parse the Okta credentials secret (`secretsmanager:GetSecretValue`; `kms:Decrypt` too when
 * it is encrypted with a customer managed key).
 * @throws {ConfigError} (`OktaCredentialsSecret`) when it is missing or malformed.
 * @throws {ProviderError} when Secrets Manager fails otherwise (access denied…).
 */
export async function readOktaCredentials(
  secretId: string,
  options: SecretReadOptions,
): Promise<OktaCredentials> {
  const arnRegion = /^arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):/.exec(secretId)?.[1];
  let module: typeof import('@aws-sdk/client-secrets-manager');
  try {
    module = await import('@aws-sdk/client-secrets-manager');
  } catch {
    throw new ConfigError(FIELD, 'reading the secret needs the package @aws-sdk/client-secrets-manager');
  }
  const client = new module.SecretsManagerClient({
    region: arnRegion ?? options.defaultRegion,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  try {
    const out = await client.send(new module.GetSecretValueCommand({ SecretId: secretId }));
    const text =
      out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
    if (text === undefined) throw new ConfigError(FIELD, `the secret ${secretId} has no value`);
    return parseOktaSecret(text);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'ResourceNotFoundException') {
      throw new ConfigError(
        FIELD,
        `no Secrets Manager secret ${secretId} in ${arnRegion ?? options.defaultRegion}`,
      );
    }
    throw new ProviderError({
      service: 'secrets-manager',
      operation: 'GetSecretValue',
      message: (error as Error).message,
      providerCode: name,
      requestId: (error as { $metadata?: { requestId?: string } }).$metadata?.requestId,
      cause: error,
    });
  } finally {
    client.destroy();
  }
}

/** The secret values of a credentials object, for scrubbing. */
export function secretValues(credentials: OktaCredentials): string[] {
  return 'token' in credentials ? [credentials.token.reveal()] : [credentials.privateKey.reveal()];
}
