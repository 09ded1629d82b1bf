/**
 * The context every step runs in: the AWS and Okta clients, a logger, a clock, an abort signal and
 * the stack name that goes into ownership tags. Users who already have clients build it from theirs;
 * {@link createContext} builds defaults.
 *
 * The Okta SDK is loaded only when a step first needs it: `require('@okta/okta-sdk-nodejs')` costs
 * about 0.6 s and 45 MB, and importing `connect-okta-sso` must stay cheap.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { IAMClient } from '@aws-sdk/client-iam';
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import { ConfigError } from './errors.js';
import { checkRegion } from './regions.js';
import { Secret } from './secret.js';

/** Structured logging; every method is optional to implement (use {@link silentLogger}). */
export interface Logger {
  /** Reads and other detail (`read iam policy okta_cli_policy`). */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** One line per write (`created iam policy okta_federation_policy`). */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something works but needs attention (a retry, a certificate close to expiry). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure, before it is thrown or reported. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Time, injectable so tests and the sandbox need not sleep for real. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout` (the default of {@link createContext}). */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** What every step function receives. Build it with {@link createContext}, or by hand from your clients. */
export interface SsoContext {
  /** The region of the Connect instance (and of the relay state). */
  readonly region: string;
  /** The 12-digit AWS account, when known; otherwise read from ARNs as they appear. */
  readonly accountId?: string;
  /** The AWS SDK v3 IAM client every IAM call goes through. */
  readonly iam: IAMClient;
  /** The AWS SDK v3 Amazon Connect client, in the instance's region. */
  readonly connect: ConnectClient;
  /** The Okta SDK client, created on first use. */
  okta(): Promise<OktaClient>;
  /** Where steps log (never a secret). */
  readonly logger: Logger;
  /** Time for waits and backoff. */
  readonly clock: Clock;
  /** Aborts a run between calls and during waits (the error is the signal's reason). */
  readonly signal?: AbortSignal;
  /** Goes into the `connect-okta-sso:stack` ownership tag of every AWS resource created. */
  readonly stack: string;
  /** Told of every AWS and Okta call before it is made (the orchestrator counts reads and writes). */
  readonly onCall?: (call: { service: 'iam' | 'connect' | 'okta'; operation: string }) => void;
}

/** Whether an operation name is a read (`Get…`, `List…`, `Describe…`, `Search…`, `Preview…`). */
export function isReadOperation(operation: string): boolean {
  return /^(Get|List|Describe|Search|Preview)/.test(operation);
}

/** Options of {@link createContext}. Only `region` is required. */
export interface CreateContextOptions {
  /** The AWS region of the Connect instance, e.g. `us-east-1` (`us-gov-west-1` for GovCloud). */
  region: string;
  /**
   * AWS credentials (`accessKeyId`, `secretAccessKey`, and `sessionToken` for temporary ones; the
   * secrets as strings or {@link Secret}s). Default: the AWS SDK's default credential chain.
   */
  credentials?: {
    /** The access key id (`AKIA…`, `ASIA…`). */
    accessKeyId: string;
    /** The secret access key. */
    secretAccessKey: string | Secret;
    /** The session token of temporary credentials. */
    sessionToken?: string | Secret;
  };
  /**
   * A profile of the AWS shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`), as
   * `AWS_PROFILE` names one. Ignored when `credentials` are given. Default: the SDK's default chain.
   */
  profile?: string;
  /** An AWS endpoint override (the sandbox, LocalStack). */
  endpoint?: string;
  /**
   * Okta: an org URL and API token (default `OKTA_ORG_URL`, `OKTA_API_TOKEN`), an OAuth 2.0 service app
   * (client id and private key, JWK or PEM; scopes such as `okta.apps.manage`), or your own SDK client.
   */
  okta?:
    | {
        /** The org's base URL, `https://<org>.okta.com`. */
        orgUrl: string;
        /** An Okta API token (sent as `SSWS <token>`). */
        token: string | Secret;
      }
    | {
        /** The org's base URL, `https://<org>.okta.com`. */
        orgUrl: string;
        /** The OAuth 2.0 service app's client id (`0oa…`). */
        clientId: string;
        /** The service app's private key: PEM, or a JWK as JSON. */
        privateKey: string | Secret;
        /** The key id (`kid`) registered for the key. Default: none sent. */
        keyId?: string | undefined;
        /** The scopes to request, e.g. `okta.apps.manage`, `okta.users.read`. */
        scopes: string[];
      }
    | {
        /** Your own `@okta/okta-sdk-nodejs` client, used as it is. */
        client: OktaClient;
      };
  /** Where steps log. Default {@link silentLogger}. */
  logger?: Logger;
  /** Aborts every step run with this context. Default none. */
  signal?: AbortSignal;
  /** Time for waits and backoff. Default {@link systemClock}. */
  clock?: Clock;
  /** Ownership tag value; default `connect-okta-sso`. */
  stack?: string;
  /** AWS SDK attempts per call (retries throttling and 5xx); default 5. */
  maxAttempts?: number;
}

const reveal = (value: string | Secret): string => (value instanceof Secret ? value.reveal() : value);

/**
 * Build a context with default clients: the AWS SDK's default credential chain (or the given
 * credentials), and an Okta client from `okta` or `OKTA_ORG_URL` / `OKTA_API_TOKEN`.
 *
 * @throws {ConfigError} for a bad region, org URL or missing Okta token — before any call is made.
 */
export function createContext(options: CreateContextOptions): SsoContext {
  const region = checkRegion(options.region);
  if (!region.ok) throw new ConfigError('region', region.message);
  const stack = options.stack ?? 'connect-okta-sso';
  if (!/^[\w.:/=+@-]{1,128}$/.test(stack)) {
    throw new ConfigError('stack', 'must be 1–128 characters usable in an AWS tag value');
  }
  const credentials = options.credentials
    ? {
        accessKeyId: options.credentials.accessKeyId,
        secretAccessKey: reveal(options.credentials.secretAccessKey),
        ...(options.credentials.sessionToken
          ? { sessionToken: reveal(options.credentials.sessionToken) }
          : {}),
      }
    : undefined;
  const awsConfig = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 5,
    ...(credentials ? { credentials } : options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const iam = new IAMClient(awsConfig);
  const connect = new ConnectClient(awsConfig);

  let oktaClient: Promise<OktaClient> | undefined;
  const oktaOption = options.okta;
  const okta = (): Promise<OktaClient> => {
    if (oktaOption && 'client' in oktaOption) return Promise.resolve(oktaOption.client);
    oktaClient ??= createOktaClient(
      oktaOption?.orgUrl ?? process.env.OKTA_ORG_URL,
      oktaOption && 'privateKey' in oktaOption
        ? {
            clientId: oktaOption.clientId,
            privateKey: reveal(oktaOption.privateKey),
            keyId: oktaOption.keyId,
            scopes: oktaOption.scopes,
          }
        : { token: oktaOption ? reveal(oktaOption.token) : process.env.OKTA_API_TOKEN },
    );
    return oktaClient;
  };
  return {
    region: options.region,
    iam,
    connect,
    okta,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    ...(options.signal ? { signal: options.signal } : {}),
    stack,
  };
}

/** Normalise an Okta org URL: https (or loopback http, for the sandbox), no path, no trailing slash. */
export function normalizeOrgUrl(orgUrl: string): string {
  let url: URL;
  try {
    url = new URL(orgUrl);
  } catch {
    throw new ConfigError('okta.orgUrl', `'${orgUrl}' is not a URL (expected e.g. https://acme.okta.com)`);
  }
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError('okta.orgUrl', `must use https (got '${url.protocol}')`);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new ConfigError('okta.orgUrl', `must be the org's base URL without a path (got '${url.pathname}')`);
  }
  // The SDK builds `${orgUrl}/api/v1`: a trailing slash would give `//api/v1` (design §5.5).
  return url.origin;
}

async function createOktaClient(
  orgUrl: string | undefined,
  auth:
    | { token: string | undefined }
    | { clientId: string; privateKey: string; keyId: string | undefined; scopes: string[] },
): Promise<OktaClient> {
  if (!orgUrl) throw new ConfigError('okta.orgUrl', 'is required (or set OKTA_ORG_URL)');
  if ('token' in auth && !auth.token)
    throw new ConfigError('okta.token', 'is required (or set OKTA_API_TOKEN)');
  const normalized = normalizeOrgUrl(orgUrl);
  const { Client, DefaultRequestExecutor } = await import('@okta/okta-sdk-nodejs');
  // Explicit options for everything the SDK would otherwise fill in from ~/.okta/okta.yaml,
  // ./okta.yaml or OKTA_CLIENT_*; no GET cache (it never expires and hides out-of-band changes).
  const common = {
    orgUrl: normalized,
    cacheMiddleware: null,
    requestExecutor: new DefaultRequestExecutor({ maxRetries: 4, requestTimeout: 30_000 }),
  };
  if ('token' in auth)
    return new Client({ ...common, token: auth.token as string, authorizationMode: 'SSWS' });
  const client = new Client({
    ...common,
    authorizationMode: 'PrivateKey',
    clientId: auth.clientId,
    privateKey: auth.privateKey,
    scopes: auth.scopes,
    ...(auth.keyId ? { keyId: auth.keyId } : {}),
  });
  checkTokenResponses(client, normalized);
  return client;
}

/**
 * The SDK (8.1, src/oauth.js) never checks the token endpoint's answer (`Http.errorFilter` is undefined
 * there), so a refused client assertion becomes the access token `undefined` and the next API call fails
 * with a misleading "Invalid token provided". Refuse such an answer with Okta's own error instead (never
 * the key), and name the token endpoint, so the cause is clear.
 */
function checkTokenResponses(client: OktaClient, orgUrl: string): void {
  const oauth = client.oauth as OktaClient['oauth'] | undefined;
  if (!oauth || typeof oauth.getAccessToken !== 'function') return;
  const endpoint = `${orgUrl}/oauth2/v1/token`;
  const original = oauth.getAccessToken.bind(oauth);
  oauth.getAccessToken = async () => {
    let answer: unknown;
    try {
      answer = await original();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The SDK signs its DPoP proof RS256 whatever the key, so an EC key fails before any request.
      const hint = /unsupported algorithm/i.test(message)
        ? ' (the Okta SDK signs only with RSA keys: register an RSA key with the service app)'
        : '';
      throw new Error(`Okta OAuth token request to ${endpoint} failed: ${message}${hint}`, { cause: error });
    }
    const token = answer as { access_token?: unknown; error?: unknown; error_description?: unknown } | null;
    if (typeof token?.access_token === 'string' && token.access_token !== '') return answer as never;
    oauth.clearCachedAccessToken();
    const code = typeof token?.error === 'string' ? token.error : 'no access token';
    const description = typeof token?.error_description === 'string' ? `: ${token.error_description}` : '';
    throw new Error(`Okta OAuth token request to ${endpoint} failed: ${code}${description}`);
  };
}
