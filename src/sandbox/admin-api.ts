/**
 * The sandbox's admin API: what the AWS and Okta admin consoles (and the people in the directory) do,
 * over loopback HTTP, for a standalone sandbox (`connect-okta-sso sandbox`) that no test process holds a
 * handle to. `connect-okta-sso sandbox admin …` talks to it. Every route is under `/__sandbox/`, takes
 * and returns JSON, and needs `Authorization: Bearer <admin token>` — the sandbox's own token, printed
 * with its environment lines as `CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN`; never the Okta API token. A
 * wrong or missing token is 401. The routes (`{x}` = a path segment, URL-encoded):
 *
 * | route | body | does |
 * | --- | --- | --- |
 * | `GET /__sandbox` | — | lists the routes |
 * | `GET /__sandbox/state` | — | `{state}`: every emulated resource, secrets redacted (`sb.state()`) |
 * | `POST /__sandbox/okta/users` | `{login, firstName?, lastName?, email?, status?, profile?, groups?}` | 201 `{user}` (`sb.admin.createOktaUser`) |
 * | `POST /__sandbox/okta/users/{user}` | `{profile}` | `{user}`: profile attributes changed, a login rename included |
 * | `POST /__sandbox/okta/users/{user}/lifecycle/{change}` | — | `{user}`; change = `complete-activation` (the person finishes the activation link), `deactivate`, `suspend`, `unsuspend`, `reactivate` |
 * | `DELETE /__sandbox/okta/users/{user}` | — | 204: deactivated (if needed) and deleted |
 * | `POST /__sandbox/okta/groups` | `{name, description?}` | 201 `{group}` |
 * | `PUT` / `DELETE /__sandbox/okta/groups/{group}/users/{user}` | — | `{changed}`: membership added / removed |
 * | `POST /__sandbox/okta/apps/{app}/api-integration` | `{accessKeyId, secretAccessKey, createUsers?, updateUserAttributes?, deactivateUsers?}` | `{app, importedRoles}`: the console's API Integration (`sb.admin.enableApiIntegration`) |
 * | `POST /__sandbox/okta/apps/{app}/import-roles` | — | `{app, importedRoles}`: "Refresh Application Data" |
 * | `POST /__sandbox/okta/apps/{app}/rotate-signing-key` | — | `{app, kid}` |
 * | `POST /__sandbox/okta/service-apps` | `{name?, publicKey \| jwks, kid?, scopes}` | 201 `{clientId, kids}`: an OAuth service app |
 * | `GET /__sandbox/okta/event-hooks/deliveries` | — | `{deliveries}` so far |
 * | `POST /__sandbox/okta/event-hooks/flush` | — | `{deliveries}` after every queued delivery was made |
 * | `POST /__sandbox/login` | `{login, app?, relayState?, role?}` | `{result}`: the simulated sign-in (`sb.login`); without `app`, the one app the user is assigned to |
 *
 * `{user}` is an id or a login, `{group}` an id or a name, `{app}` an id or an exact label. Errors are
 * `{error: {code, message, field?}}`: 400 `INVALID_INPUT`, 401 `UNAUTHORIZED`, 404 `NOT_FOUND`, 405
 * `METHOD_NOT_ALLOWED`, 409 `AMBIGUOUS`, 422 `API_INTEGRATION_FAILED` (the key could not read the IAM
 * roles, as "Test API Credentials" would say), 500 `INTERNAL`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from './emulator.js';
import type { SandboxState } from './state.js';

/** What the admin API calls: the sandbox handle's back doors (structurally, to keep index.ts out). */
export interface AdminApiBackend {
  /** The admin token requests must carry. */
  token(): string;
  /** The live state (read-only use: app and user lookup). */
  rawState(): SandboxState;
  /** The redacted snapshot. */
  state(): SandboxState;
  createOktaUser(input: never): unknown;
  updateOktaUser(user: string, profile: never): unknown;
  changeOktaUserStatus(user: string, change: string): unknown;
  deleteOktaUser(user: string): void;
  createOktaGroup(input: never): unknown;
  addOktaUserToGroup(user: string, group: string): unknown;
  removeOktaUserFromGroup(user: string, group: string): unknown;
  enableApiIntegration(
    appId: string,
    credentials: never,
    options: never,
  ): Promise<{ importedRoles: string[] }>;
  importRoles(appId: string): Promise<{ importedRoles: string[] }>;
  rotateSigningKey(appId: string): { kid: string };
  createOktaServiceApp(input: never): unknown;
  login(input: never): Promise<unknown>;
  eventHookDeliveries(): unknown[];
  flushEventHooks(): Promise<void>;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: status === 204 ? '' : JSON.stringify(value),
  };
}

function errorResponse(error: AdminError): SandboxResponse {
  const headers: Record<string, string> =
    error.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="connect-okta-sso sandbox admin API"' } : {};
  return json(
    error.status,
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
    headers,
  );
}

function sameToken(given: string, expected: string): boolean {
  // Digests of equal length, compared in constant time: neither the length nor a prefix leaks.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected !== '';
}

function body(req: SandboxRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new AdminError(400, 'INVALID_INPUT', 'the request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AdminError(400, 'INVALID_INPUT', 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new AdminError(400, 'INVALID_INPUT', `${field}: required (a non-empty string)`, field);
  }
  return value;
}

/** An Okta app by id or exact label (case-insensitive when that is unambiguous). */
function resolveApp(state: SandboxState, idOrLabel: string): string {
  const apps = Object.values(state.okta.apps);
  if (apps.some((a) => a.id === idOrLabel)) return idOrLabel;
  const exact = apps.filter((a) => a.label === idOrLabel);
  const matches =
    exact.length > 0 ? exact : apps.filter((a) => a.label.toLowerCase() === idOrLabel.toLowerCase());
  if (matches.length === 1) return (matches[0] as { id: string }).id;
  if (matches.length > 1) {
    throw new AdminError(
      409,
      'AMBIGUOUS',
      `${matches.length} Okta apps are labelled '${idOrLabel}' (${matches.map((a) => a.id).join(', ')}): name one by id`,
      'app',
    );
  }
  const known = apps.map((a) => `'${a.label}' (${a.id})`).join(', ') || 'none yet';
  throw new AdminError(
    404,
    'NOT_FOUND',
    `no Okta app with id or label '${idOrLabel}'; the apps: ${known}`,
    'app',
  );
}

/** The one amazon_aws app a user is assigned to, directly or through a group. */
function appOfUser(state: SandboxState, login: string): string {
  const okta = state.okta;
  const user = Object.values(okta.users).find(
    (u) => typeof u.profile.login === 'string' && u.profile.login.toLowerCase() === login.toLowerCase(),
  );
  if (!user) throw new AdminError(404, 'NOT_FOUND', `no Okta user with login '${login}'`, 'login');
  const apps = Object.values(okta.apps).filter((app) => {
    if (okta.appUsers[app.id]?.[user.id]) return true;
    return Object.keys(okta.appGroups[app.id] ?? {}).some((g) => okta.groups[g]?.members.includes(user.id));
  });
  if (apps.length === 1) return (apps[0] as { id: string }).id;
  if (apps.length === 0) {
    throw new AdminError(
      404,
      'NOT_FOUND',
      `the Okta user '${login}' is assigned to no app: name one with app`,
      'app',
    );
  }
  throw new AdminError(
    409,
    'AMBIGUOUS',
    `the Okta user '${login}' is assigned to ${apps.length} apps (${apps.map((a) => `'${a.label}'`).join(', ')}): name one with app`,
    'app',
  );
}

/** A back door's plain Error as an admin API error (its message names the field). */
function fromBackDoor(error: unknown): AdminError {
  if (error instanceof AdminError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /^sb\.login/.test(message))
    return new AdminError(400, 'INVALID_INPUT', message);
  if (/: no Okta (app|user|group)\b/.test(message)) return new AdminError(404, 'NOT_FOUND', message);
  if (/^Okta could not read the AWS roles/.test(message))
    return new AdminError(422, 'API_INTEGRATION_FAILED', message);
  if (
    /^(createOkta|updateOkta|deleteOkta|addOkta|removeOkta|\w+OktaUser|enableApiIntegration|importRoles|rotateSigningKey)\w*: /.test(
      message,
    )
  ) {
    return new AdminError(400, 'INVALID_INPUT', message);
  }
  return new AdminError(
    500,
    'INTERNAL',
    'the sandbox failed to do this; see its stderr with CONNECT_OKTA_SSO_SANDBOX_DEBUG=1',
  );
}

const LIFECYCLE: Readonly<Record<string, string>> = {
  'complete-activation': 'completeActivation',
  deactivate: 'deactivate',
  suspend: 'suspend',
  unsuspend: 'unsuspend',
  reactivate: 'reactivate',
};

const ROUTES = [
  'GET /__sandbox/state',
  'POST /__sandbox/okta/users',
  'POST /__sandbox/okta/users/{user}',
  'DELETE /__sandbox/okta/users/{user}',
  'POST /__sandbox/okta/users/{user}/lifecycle/{complete-activation|deactivate|suspend|unsuspend|reactivate}',
  'POST /__sandbox/okta/groups',
  'PUT /__sandbox/okta/groups/{group}/users/{user}',
  'DELETE /__sandbox/okta/groups/{group}/users/{user}',
  'POST /__sandbox/okta/apps/{app}/api-integration',
  'POST /__sandbox/okta/apps/{app}/import-roles',
  'POST /__sandbox/okta/apps/{app}/rotate-signing-key',
  'POST /__sandbox/okta/service-apps',
  'GET /__sandbox/okta/event-hooks/deliveries',
  'POST /__sandbox/okta/event-hooks/flush',
  'POST /__sandbox/login',
];

async function route(backend: AdminApiBackend, req: SandboxRequest): Promise<SandboxResponse> {
  let segments: string[];
  try {
    segments = req.path
      .split('/')
      .filter((s) => s !== '')
      .slice(1)
      .map(decodeURIComponent);
  } catch {
    throw new AdminError(404, 'NOT_FOUND', `no admin route ${req.path}`);
  }
  const method = req.method.toUpperCase();
  const path = segments.join('/');
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) {
      throw new AdminError(
        405,
        'METHOD_NOT_ALLOWED',
        `${req.path} takes ${methods.join(' or ')}, not ${method}`,
      );
    }
  };
  const [a, b, c, d, e] = segments;
  const n = segments.length;

  if (n === 0) {
    allow('GET');
    return json(200, { routes: ROUTES });
  }
  if (path === 'state') {
    allow('GET');
    return json(200, { state: backend.state() });
  }
  if (path === 'login') {
    allow('POST');
    const input = body(req);
    const login = requireString(input, 'login');
    const app =
      typeof input.app === 'string' && input.app !== ''
        ? resolveApp(backend.rawState(), input.app)
        : appOfUser(backend.rawState(), login);
    const result = await backend.login({ ...input, app, login } as never);
    return json(200, { result });
  }
  if (a !== 'okta')
    throw new AdminError(404, 'NOT_FOUND', `no admin route ${req.path}; GET /__sandbox lists them`);

  if (b === 'users' && n === 2) {
    allow('POST');
    const input = body(req);
    requireString(input, 'login');
    return json(201, { user: backend.createOktaUser(input as never) });
  }
  if (b === 'users' && n === 3 && c) {
    allow('POST', 'DELETE');
    if (method === 'DELETE') {
      backend.deleteOktaUser(c);
      return json(204, undefined);
    }
    const input = body(req);
    if (typeof input.profile !== 'object' || input.profile === null || Array.isArray(input.profile)) {
      throw new AdminError(
        400,
        'INVALID_INPUT',
        'profile: required (an object of profile attributes)',
        'profile',
      );
    }
    return json(200, { user: backend.updateOktaUser(c, input.profile as never) });
  }
  if (b === 'users' && n === 5 && c && d === 'lifecycle' && e) {
    allow('POST');
    const change = LIFECYCLE[e];
    if (!change)
      throw new AdminError(
        404,
        'NOT_FOUND',
        `no lifecycle change '${e}'; one of ${Object.keys(LIFECYCLE).join(', ')}`,
      );
    return json(200, { user: backend.changeOktaUserStatus(c, change) });
  }
  if (b === 'groups' && n === 2) {
    allow('POST');
    const input = body(req);
    requireString(input, 'name');
    return json(201, { group: backend.createOktaGroup(input as never) });
  }
  if (b === 'groups' && n === 5 && c && d === 'users' && e) {
    allow('PUT', 'DELETE');
    const result =
      method === 'PUT' ? backend.addOktaUserToGroup(e, c) : backend.removeOktaUserFromGroup(e, c);
    return json(200, result);
  }
  if (b === 'apps' && n === 4 && c) {
    const appId = resolveApp(backend.rawState(), c);
    const label = backend.rawState().okta.apps[appId]?.label ?? appId;
    const app = { id: appId, label };
    allow('POST');
    if (d === 'api-integration') {
      const input = body(req);
      const accessKeyId = requireString(input, 'accessKeyId');
      const secretAccessKey = requireString(input, 'secretAccessKey');
      const options: Record<string, boolean> = {};
      for (const flag of ['createUsers', 'updateUserAttributes', 'deactivateUsers']) {
        const value = input[flag];
        if (value === undefined) continue;
        if (typeof value !== 'boolean')
          throw new AdminError(400, 'INVALID_INPUT', `${flag}: expected true or false`, flag);
        options[flag] = value;
      }
      const result = await backend.enableApiIntegration(
        appId,
        { accessKeyId, secretAccessKey } as never,
        options as never,
      );
      return json(200, { app, importedRoles: result.importedRoles });
    }
    if (d === 'import-roles') return json(200, { app, ...(await backend.importRoles(appId)) });
    if (d === 'rotate-signing-key') return json(200, { app, ...backend.rotateSigningKey(appId) });
  }
  if (b === 'service-apps' && n === 2) {
    allow('POST');
    return json(201, backend.createOktaServiceApp(body(req) as never));
  }
  if (b === 'event-hooks' && n === 3 && (c === 'deliveries' || c === 'flush')) {
    if (c === 'deliveries') {
      allow('GET');
      return json(200, { deliveries: backend.eventHookDeliveries() });
    }
    allow('POST');
    await backend.flushEventHooks();
    return json(200, { deliveries: backend.eventHookDeliveries() });
  }
  throw new AdminError(404, 'NOT_FOUND', `no admin route ${method} ${req.path}; GET /__sandbox lists them`);
}

/** The admin API's request handler, for `SandboxServer.mountAdmin`. */
export function createAdminApi(backend: AdminApiBackend): (req: SandboxRequest) => Promise<SandboxResponse> {
  return async (req) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (!sameToken(given, backend.token())) {
      return errorResponse(
        new AdminError(
          401,
          'UNAUTHORIZED',
          header === ''
            ? 'the admin API needs Authorization: Bearer <CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN>'
            : 'the admin token is not this sandbox’s (it is printed as CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN)',
        ),
      );
    }
    try {
      return await route(backend, req);
    } catch (error) {
      const failure = fromBackDoor(error);
      if (failure.status === 500 && process.env.CONNECT_OKTA_SSO_SANDBOX_DEBUG) {
        console.error('[sandbox] admin API internal error', error);
      }
      return errorResponse(failure);
    }
  };
}
