/**
 * The context every step runs in: the AWS and Okta clients, a logger, a clock, an abort signal and
 * the stack name that goes into ownership tags. Users who already have clients build it from theirs;
 * {@link createContext} builds defaults.
 *
 * The SDKs are loaded only when a step first needs them: `require('@okta/okta-sdk-nodejs')` costs about
 * 0.6 s and 45 MB, each AWS SDK client module 0.05–0.2 s, and importing `connect-okta-sso` must stay
 * cheap. {@link createContext} builds its IAM and Connect clients on first use: a step's first AWS call
 * (through {@link awsClient}, which loads the module with a cached dynamic `import()`), or a read of
 * `ctx.iam` / `ctx.connect` by the caller (which then loads it synchronously).
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { IAMClient } from '@aws-sdk/client-iam';
import {
  type AwsSdkClients,
  type AwsServiceName,
  defineLazyClient,
  isLazyClientGetter,
  LazyAwsClient,
  lazyClientOf,
  loadAwsSdk,
} from './aws-sdk.js';
import { type Clock, systemClock } from './clock.js';
import { ConfigError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { checkTokenResponses, normalizeOrgUrl, type OktaClientLike } from './okta-client.js';
import { checkRegion } from './regions.js';
import { Secret } from './secret.js';

export {
  type AwsSdkClients,
  type AwsSdkModules,
  type AwsServiceName,
  loadAwsSdk,
} from './aws-sdk.js';
export { type Clock, systemClock } from './clock.js';
export { type Logger, silentLogger } from './logger.js';
export {
  normalizeOrgUrl,
  type OktaAppUserLike,
  type OktaClientLike,
  type OktaHttpResponse,
  type OktaUserLike,
} from './okta-client.js';

/** What every step function receives. Build it with {@link createContext}, or by hand from your clients. */
export interface SsoContext {
  /** The region of the Connect instance (and of the relay state). */
  readonly region: string;
  /** The 12-digit AWS account, when known; otherwise read from ARNs as they appear. */
  readonly accountId?: string;
  /**
   * The AWS SDK v3 IAM client every IAM call goes through: yours, or {@link createContext}'s, which it
   * builds on first use (a step's first IAM call, or your first read of this property).
   */
  readonly iam: IAMClient;
  /** The AWS SDK v3 Amazon Connect client, in the instance's region; built on first use like `iam`. */
  readonly connect: ConnectClient;
  /**
   * The Okta client, created on first use (an `@okta/okta-sdk-nodejs` `Client`, or your own; see
   * {@link OktaClientLike}).
   */
  okta(): Promise<OktaClientLike>;
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

/**
 * The context's client of a service, for a call: a client of {@link createContext}'s is built now (its
 * module imported on the first call), a client the caller put in the context is used as it is.
 * @throws {ConnectSsoError} `PEER_DEPENDENCY_MISSING` when the SDK package is not installed.
 */
export async function awsClient<S extends AwsServiceName>(
  ctx: SsoContext,
  service: S,
): Promise<AwsSdkClients[S]> {
  const lazy = lazyClientOf(ctx, service);
  if (lazy) return lazy.built ?? lazy.build(await loadAwsSdk(service));
  return ctx[service] as AwsSdkClients[S];
}

/**
 * `to` with the AWS clients of `from`, still built on first use when `from` is a context of
 * {@link createContext}'s (reading `from.iam` would build them at once).
 */
export function withAwsClientsOf<T extends object>(
  from: SsoContext,
  to: T,
): T & Pick<SsoContext, AwsServiceName> {
  for (const service of ['iam', 'connect'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(from, service);
    if (descriptor?.get && isLazyClientGetter(descriptor.get)) {
      Object.defineProperty(to, service, { get: descriptor.get, enumerable: true, configurable: true });
    } else {
      Object.defineProperty(to, service, {
        value: from[service],
        enumerable: true,
        writable: false,
        configurable: true,
      });
    }
  }
  return to as T & Pick<SsoContext, AwsServiceName>;
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
        /** Your own `@okta/okta-sdk-nodejs` `Client` (or anything {@link OktaClientLike}), used as it is. */
        client: OktaClientLike;
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
  /**
   * Your own IAM client, used as it is (then `credentials`, `profile`, `endpoint` and `maxAttempts` do
   * not apply to it). Default: one built from those options on first use.
   */
  iam?: IAMClient;
  /** Your own Amazon Connect client, in the instance's region; as for `iam`. */
  connect?: ConnectClient;
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

  let oktaClient: Promise<OktaClientLike> | undefined;
  const oktaOption = options.okta;
  const okta = (): Promise<OktaClientLike> => {
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
  const ctx = {
    region: options.region,
    okta,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    ...(options.signal ? { signal: options.signal } : {}),
    stack,
  };
  // The AWS clients: the caller's, or built on first use (see the module comment).
  if (options.iam) Object.defineProperty(ctx, 'iam', { value: options.iam, enumerable: true });
  else defineLazyClient(ctx, 'iam', new LazyAwsClient('iam', awsConfig));
  if (options.connect) Object.defineProperty(ctx, 'connect', { value: options.connect, enumerable: true });
  else defineLazyClient(ctx, 'connect', new LazyAwsClient('connect', awsConfig));
  return ctx as typeof ctx & Pick<SsoContext, AwsServiceName>;
}

async function createOktaClient(
  orgUrl: string | undefined,
  auth:
    | { token: string | undefined }
    | { clientId: string; privateKey: string; keyId: string | undefined; scopes: string[] },
): Promise<OktaClientLike> {
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
