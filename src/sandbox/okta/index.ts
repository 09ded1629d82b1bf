/**
 * The emulated Okta Management API (`/api/v1/…`) and the org authorization server's token endpoint
 * (`/oauth2/v1/token`): the routes, their operation names for the request log (the OpenAPI operationId
 * in PascalCase), the OAuth scope each needs (from the spec's `security`), and the admin back doors.
 *
 * Every `/api/v1` call is authenticated here — `SSWS <API token>` or `Bearer <access token>` with the
 * operation's scope (./oauth.ts). The server adds the `X-Rate-Limit-*` headers; every response from here
 * carries `X-Okta-Request-Id` and, for lists, Okta's two `Link` headers.
 */
import {
  type ResolvedOperation,
  type SandboxRequest,
  type SandboxResponse,
  type ServiceEmulator,
  ServiceError,
} from '../emulator.js';
import {
  assignGroupToApplication,
  getApplicationGroupAssignment,
  listApplicationGroupAssignments,
  unassignApplicationFromGroup,
} from './app-groups.js';
import {
  assignUserToApplication,
  getApplicationUser,
  listApplicationUsers,
  unassignUserFromApplication,
  updateApplicationUser,
} from './app-users.js';
import {
  activateApplication,
  createApplication,
  deactivateApplication,
  deleteApplication,
  generateApplicationKey,
  getApplication,
  getApplicationKey,
  listApplicationKeys,
  listApplications,
  previewSamlMetadata,
  replaceApplication,
} from './apps.js';
import { internal, methodNotAllowed, oktaError, rateLimited, renderOktaError } from './errors.js';
import {
  activateEventHook,
  createEventHook,
  deactivateEventHook,
  deleteEventHook,
  getEventHook,
  listEventHooks,
  replaceEventHook,
  verifyEventHook,
} from './event-hooks.js';
import {
  getApplicationUserSchema,
  getDefaultProvisioningConnection,
  getFeatureForApplication,
  listFeaturesForApplication,
  updateDefaultProvisioningConnection,
} from './features.js';
import { createGroup, deleteGroup, getGroup, listGroups } from './groups.js';
import { assignUserToGroup, listGroupUsers, listUserGroups, unassignUserFromGroup } from './memberships.js';
import { authenticate, requireScope, TOKEN_PATH, token } from './oauth.js';
import {
  activateUser,
  createUser,
  deactivateUser,
  deleteUser,
  reactivateUser,
  replaceUser,
  suspendUser,
  unsuspendUser,
  updateUser,
} from './user-lifecycle.js';
import { getUser, listUsers } from './users.js';
import type { Ctx, Params } from './util.js';

export type { ApiIntegrationOptions, AwsCredentials, OktaUserJson } from './admin.js';
export * from './admin.js';
export type { EventHookDelivery, EventHookDeliveryOptions } from './events.js';
export { attachEventHooks, EventHookDispatcher } from './events.js';
export { appSigningKey, ensureKeyMaterial } from './keys.js';
export { buildIdpMetadata, idpEntityId, ssoUrl } from './metadata.js';
export type { ServiceAppInput } from './oauth.js';
export type { OktaApp, OktaSigningKey, OktaState } from './state.js';
export { upgradeOktaState } from './util.js';

type Handler = (ctx: Ctx, req: SandboxRequest, params: Params) => SandboxResponse | Promise<SandboxResponse>;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One operation: its method, path, operationId and handler. */
type Operation = readonly [method: Method, path: string, operation: string, handler: Handler];

interface Route {
  /** Segments after `/api/v1`; `:name` captures a path parameter. */
  segments: string[];
  /** Per method: the operation, its handler, and the OAuth scope it needs (the spec's `security`). */
  methods: Partial<Record<string, { operation: string; handler: Handler; scope: string }>>;
}

/**
 * The emulated operations, by the OAuth scope family of their spec `security`: a GET needs
 * `<family>.read`, any other method `<family>.manage`. Each row: method, the path after `/api/v1`
 * (`:name` captures a path parameter), the OpenAPI operationId in PascalCase, the handler.
 */
const OPERATIONS: Readonly<Record<string, readonly Operation[]>> = {
  'okta.apps': [
    ['GET', 'apps', 'ListApplications', listApplications],
    ['POST', 'apps', 'CreateApplication', createApplication],
    ['GET', 'apps/:appId', 'GetApplication', getApplication],
    ['PUT', 'apps/:appId', 'ReplaceApplication', replaceApplication],
    ['DELETE', 'apps/:appId', 'DeleteApplication', deleteApplication],
    ['POST', 'apps/:appId/lifecycle/activate', 'ActivateApplication', activateApplication],
    ['POST', 'apps/:appId/lifecycle/deactivate', 'DeactivateApplication', deactivateApplication],
    ['GET', 'apps/:appId/sso/saml/metadata', 'PreviewSAMLmetadataForApplication', previewSamlMetadata],
    ['GET', 'apps/:appId/credentials/keys', 'ListApplicationKeys', listApplicationKeys],
    ['POST', 'apps/:appId/credentials/keys/generate', 'GenerateApplicationKey', generateApplicationKey],
    ['GET', 'apps/:appId/credentials/keys/:keyId', 'GetApplicationKey', getApplicationKey],
    ['GET', 'apps/:appId/users', 'ListApplicationUsers', listApplicationUsers],
    ['POST', 'apps/:appId/users', 'AssignUserToApplication', assignUserToApplication],
    ['GET', 'apps/:appId/users/:userId', 'GetApplicationUser', getApplicationUser],
    ['POST', 'apps/:appId/users/:userId', 'UpdateApplicationUser', updateApplicationUser],
    ['DELETE', 'apps/:appId/users/:userId', 'UnassignUserFromApplication', unassignUserFromApplication],
    ['GET', 'apps/:appId/groups', 'ListApplicationGroupAssignments', listApplicationGroupAssignments],
    ['GET', 'apps/:appId/groups/:groupId', 'GetApplicationGroupAssignment', getApplicationGroupAssignment],
    ['PUT', 'apps/:appId/groups/:groupId', 'AssignGroupToApplication', assignGroupToApplication],
    ['DELETE', 'apps/:appId/groups/:groupId', 'UnassignApplicationFromGroup', unassignApplicationFromGroup],
    ['GET', 'apps/:appId/features', 'ListFeaturesForApplication', listFeaturesForApplication],
    ['GET', 'apps/:appId/features/:featureName', 'GetFeatureForApplication', getFeatureForApplication],
    [
      'GET',
      'apps/:appId/connections/default',
      'GetDefaultProvisioningConnectionForApplication',
      getDefaultProvisioningConnection,
    ],
    [
      'POST',
      'apps/:appId/connections/default',
      'UpdateDefaultProvisioningConnectionForApplication',
      updateDefaultProvisioningConnection,
    ],
  ],
  'okta.schemas': [
    ['GET', 'meta/schemas/apps/:appId/default', 'GetApplicationUserSchema', getApplicationUserSchema],
  ],
  'okta.users': [
    ['GET', 'users', 'ListUsers', listUsers],
    ['POST', 'users', 'CreateUser', createUser],
    ['GET', 'users/:id', 'GetUser', getUser],
    ['POST', 'users/:id', 'UpdateUser', updateUser],
    ['PUT', 'users/:id', 'ReplaceUser', replaceUser],
    ['DELETE', 'users/:id', 'DeleteUser', deleteUser],
    ['GET', 'users/:id/groups', 'ListUserGroups', listUserGroups],
    ['POST', 'users/:id/lifecycle/activate', 'ActivateUser', activateUser],
    ['POST', 'users/:id/lifecycle/reactivate', 'ReactivateUser', reactivateUser],
    ['POST', 'users/:id/lifecycle/deactivate', 'DeactivateUser', deactivateUser],
    ['POST', 'users/:id/lifecycle/suspend', 'SuspendUser', suspendUser],
    ['POST', 'users/:id/lifecycle/unsuspend', 'UnsuspendUser', unsuspendUser],
  ],
  'okta.groups': [
    ['GET', 'groups', 'ListGroups', listGroups],
    ['POST', 'groups', 'CreateGroup', createGroup],
    ['GET', 'groups/:groupId', 'GetGroup', getGroup],
    ['DELETE', 'groups/:groupId', 'DeleteGroup', deleteGroup],
    ['GET', 'groups/:groupId/users', 'ListGroupUsers', listGroupUsers],
    ['PUT', 'groups/:groupId/users/:userId', 'AssignUserToGroup', assignUserToGroup],
    ['DELETE', 'groups/:groupId/users/:userId', 'UnassignUserFromGroup', unassignUserFromGroup],
  ],
  'okta.eventHooks': [
    ['GET', 'eventHooks', 'ListEventHooks', listEventHooks],
    ['POST', 'eventHooks', 'CreateEventHook', createEventHook],
    ['GET', 'eventHooks/:eventHookId', 'GetEventHook', getEventHook],
    ['PUT', 'eventHooks/:eventHookId', 'ReplaceEventHook', replaceEventHook],
    ['DELETE', 'eventHooks/:eventHookId', 'DeleteEventHook', deleteEventHook],
    ['POST', 'eventHooks/:eventHookId/lifecycle/activate', 'ActivateEventHook', activateEventHook],
    ['POST', 'eventHooks/:eventHookId/lifecycle/deactivate', 'DeactivateEventHook', deactivateEventHook],
    ['POST', 'eventHooks/:eventHookId/lifecycle/verify', 'VerifyEventHook', verifyEventHook],
  ],
};

/** The routes in the order their paths first appear (a literal segment before a parameter in its place). */
function buildRoutes(families: Readonly<Record<string, readonly Operation[]>>): Route[] {
  const byPath = new Map<string, Route>();
  for (const [family, operations] of Object.entries(families)) {
    for (const [method, path, operation, handler] of operations) {
      let route = byPath.get(path);
      if (!route) {
        route = { segments: path.split('/').filter(Boolean), methods: {} };
        byPath.set(path, route);
      }
      route.methods[method] = {
        operation,
        handler,
        scope: `${family}.${method === 'GET' ? 'read' : 'manage'}`,
      };
    }
  }
  return [...byPath.values()];
}

const ROUTES: readonly Route[] = buildRoutes(OPERATIONS);

function resourceNotFound(req: SandboxRequest): ServiceError {
  return oktaError(
    'E0000007',
    `Not found: Resource not found: ${req.path} (${req.method.toUpperCase()})`,
    404,
  );
}

function decodeSegments(req: SandboxRequest): string[] {
  const raw = req.path.replace(/^\/api\/v1\/?/, '').split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  try {
    return raw.map((segment) => decodeURIComponent(segment));
  } catch {
    throw resourceNotFound(req);
  }
}

function match(route: Route, segments: readonly string[]): Params | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Params = {
    appId: '',
    userId: '',
    groupId: '',
    keyId: '',
    featureName: '',
    id: '',
    eventHookId: '',
  };
  for (let i = 0; i < segments.length; i++) {
    const pattern = route.segments[i] as string;
    const value = segments[i] as string;
    if (pattern.startsWith(':')) {
      if (value === '') return undefined;
      params[pattern.slice(1) as keyof Params] = value;
    } else if (pattern !== value) {
      return undefined;
    }
  }
  return params;
}

export function createOktaEmulator(): ServiceEmulator {
  return {
    service: 'okta',
    resolve(req, ctx): ResolvedOperation {
      if (req.path === TOKEN_PATH) {
        // Changes only the org authorization server's bookkeeping (tokens, used assertion ids).
        return { operation: 'Token', write: false, run: () => token(ctx, req) };
      }
      if (req.path !== '/api/v1' && !req.path.startsWith('/api/v1/')) throw resourceNotFound(req);
      const principal = authenticate(ctx, req);
      const segments = decodeSegments(req);
      const method = req.method.toUpperCase();
      for (const candidate of ROUTES) {
        const params = match(candidate, segments);
        if (!params) continue;
        const entry = candidate.methods[method];
        if (!entry) throw methodNotAllowed();
        requireScope(ctx, req, principal, entry.scope);
        return {
          operation: entry.operation,
          write: method !== 'GET',
          run: () => entry.handler(ctx, req, params),
        };
      }
      throw resourceNotFound(req);
    },
    renderError: renderOktaError,
    throttleError(resetEpochSeconds) {
      const err = rateLimited();
      return resetEpochSeconds > 0
        ? new ServiceError(err.code, err.message, err.status, {
            causes: [],
            headers: { 'X-Rate-Limit-Reset': String(resetEpochSeconds) },
          })
        : err;
    },
    internalError: internal,
  };
}
