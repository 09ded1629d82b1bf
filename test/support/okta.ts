/**
 * The one raw-Okta helper of the tests: calls to the sandbox's Okta outside the library (set-up and
 * read-back), through the real Okta SDK's own HTTP transport (its headers and auth, no GET cache), plus the
 * body of an `amazon_aws` app as the admin console makes it. Given a sandbox, the calls use one client per
 * sandbox with the SDK's retries off, so one call is one request; given a client, that client's settings.
 * The raw API is needed because the SDK's typed models drop `settings.app`.
 */
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import type { Sandbox } from '../../src/sandbox/index.js';
import { oktaClient } from '../helpers.js';

export type JsonObject = Record<string, unknown>;

/** An Okta app as the raw API returns it (with `settings.app`, which the SDK's models drop). */
export interface RawApp extends JsonObject {
  id: string;
  label: string;
  status: string;
  features: string[];
  settings: JsonObject & {
    app: JsonObject;
    signOn: JsonObject & { defaultRelayState: string | null };
    notes: { admin: string | null; enduser: string | null };
  };
  credentials: { signing: { kid: string } };
}

/** What a raw call answered: the status and the parsed JSON body (undefined when empty). */
export interface RawResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  body: any;
}

const clients = new WeakMap<Sandbox, OktaClient>();

/** The sandbox's Okta SDK client for raw calls: one per sandbox, no retries. */
function clientOf(target: Sandbox | OktaClient): OktaClient {
  if ('http' in target) return target;
  let client = clients.get(target);
  if (!client) {
    client = oktaClient(target, { maxRetries: 0 });
    clients.set(target, client);
  }
  return client;
}

function request(method: string, body: unknown) {
  return {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

const parse = (text: string) => (text ? JSON.parse(text) : undefined);

/**
 * A raw Okta call that must succeed: resolves to the parsed JSON body (undefined when empty); a non-2xx
 * answer rejects with the SDK's `OktaApiError` (its `status` and `errorCode`).
 */
export async function oktaJson<T = RawApp>(
  target: Sandbox | OktaClient,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const okta = clientOf(target);
  const res = await okta.http.http(`${okta.baseUrl}${path}`, request(method, body));
  return parse(await res.text()) as T;
}

/**
 * A raw Okta call whose answer the test inspects, errors included: the status and parsed body, never a
 * rejection for a non-2xx status. It goes through the SDK's request executor with the SDK's headers
 * (`Http.http` would turn an error status into an exception and drop the body).
 */
export async function oktaRaw(
  target: Sandbox | OktaClient,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawResponse> {
  const okta = clientOf(target);
  const init = request(method, body);
  const res = await okta.requestExecutor.fetch({
    ...init,
    url: `${okta.baseUrl}${path}`,
    headers: { ...(okta.http.defaultHeaders as Record<string, string>), ...init.headers },
  });
  return { status: res.status, body: parse(await res.text()) };
}

/** The app's SAML metadata XML for its signing key, as IAM's CreateSAMLProvider takes it. */
export async function appMetadata(okta: Sandbox | OktaClient, app: Pick<RawApp, 'id' | 'credentials'>) {
  const client = clientOf(okta);
  const res = await client.http.http(
    `${client.baseUrl}/api/v1/apps/${app.id}/sso/saml/metadata?kid=${app.credentials.signing.kid}`,
    { method: 'GET', headers: { Accept: 'application/xml' } },
  );
  return res.text();
}

/**
 * The body that creates an `amazon_aws` SAML app as the admin console does: the AWS settings (extra
 * `app` settings merged over the defaults) and, when given, the relay state.
 */
export function awsAppBody(
  label: string,
  opts: { relayState?: string; app?: JsonObject; settings?: JsonObject } = {},
) {
  return {
    name: 'amazon_aws',
    label,
    signOnMode: 'SAML_2_0',
    settings: {
      app: {
        awsEnvironmentType: 'aws.amazon',
        identityProviderArn: '',
        sessionDuration: 3600,
        ...opts.app,
      },
      ...(opts.relayState === undefined ? {} : { signOn: { defaultRelayState: opts.relayState } }),
      ...opts.settings,
    },
  };
}
