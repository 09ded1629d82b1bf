/**
 * What the library knows of an Okta client: the structural subset of the SDK's `Client` it uses (so that
 * the SDK's own types stay out of the public ones), the org URL rule, and a fix for the SDK's OAuth token
 * handling. The SDK itself is loaded by `createContext` (core/context.ts), on first use.
 */
import { ConfigError } from './errors.js';

/**
 * The response of {@link OktaClientLike.http}: what the library reads of it (node-fetch's `Response`,
 * which the Okta SDK returns, has both).
 */
export interface OktaHttpResponse {
  /** The body as text. */
  text(): Promise<string>;
  /** The response headers (`link`, `x-okta-request-id`). */
  readonly headers: {
    /** A header's value, or `null` when absent. */
    get(name: string): string | null;
  };
}

/** An Okta user as `userApi.getUser` returns it: the fields the library reads. */
export interface OktaUserLike {
  /** The user's id (`00u…`). */
  id?: string | undefined;
  /** `ACTIVE`, `PROVISIONED`, `STAGED`, … */
  status?: string | undefined;
  /** The profile (`login`, `firstName`, `lastName`, `email`, …). */
  profile?: Record<string, unknown> | undefined;
}

/** An app user (an assignment) as `applicationApi.getApplicationUser` returns it: the fields the library reads. */
export interface OktaAppUserLike {
  /** The Okta user id. */
  id?: string | undefined;
  /** `USER` (assigned directly) or `GROUP`. */
  scope?: string | undefined;
  /** The app username (`credentials.userName`): the SAML `RoleSessionName`. */
  credentials?:
    | {
        /** The app username. */
        userName?: string | undefined;
      }
    | undefined;
  /** The app user profile (`samlRoles`, `role`, …). */
  profile?: object | undefined;
}

/**
 * What the library uses of an Okta client: a structural subset of the `@okta/okta-sdk-nodejs` (8.x)
 * `Client`. An SDK `Client` satisfies it as it is — pass yours as `createContext({ okta: { client } })`
 * or return it from {@link SsoContext.okta}, no cast. Declaring only this keeps the Okta SDK's own type
 * declarations (and their `node-fetch` imports) out of this package's public types.
 */
export interface OktaClientLike {
  /** The org URL requests go to, without a trailing slash (`https://acme.okta.com`). */
  readonly baseUrl: string;
  /**
   * The SDK's HTTP layer: authenticated requests with its 429 back-off; a non-2xx answer rejects with
   * the SDK's `OktaApiError` / `HttpError`.
   */
  readonly http: {
    /** One request to an absolute URL. */
    http(
      uri: string,
      request?: { method?: string; headers?: Record<string, string>; body?: string },
    ): Promise<OktaHttpResponse>;
  };
  /** The SDK's users API. */
  readonly userApi: {
    /** `GET /api/v1/users/{userId}` (an id or a login). */
    getUser(param: { userId: string }): Promise<OktaUserLike>;
  };
  /** The SDK's applications API. */
  readonly applicationApi: {
    /** `GET /api/v1/apps/{appId}/users/{userId}`. */
    getApplicationUser(param: { appId: string; userId: string }): Promise<OktaAppUserLike>;
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

/** The Okta SDK's `Client` (internal: the public types say {@link OktaClientLike}). */
export type OktaSdkClient = InstanceType<typeof import('@okta/okta-sdk-nodejs').Client>;

/**
 * The SDK (8.1, src/oauth.js) never checks the token endpoint's answer (`Http.errorFilter` is undefined
 * there), so a refused client assertion becomes the access token `undefined` and the next API call fails
 * with a misleading "Invalid token provided". Refuse such an answer with Okta's own error instead (never
 * the key), and name the token endpoint, so the cause is clear.
 */
export function checkTokenResponses(client: OktaSdkClient, orgUrl: string): void {
  const oauth = client.oauth as OktaSdkClient['oauth'] | undefined;
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
