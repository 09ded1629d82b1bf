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

interface Route {
  /** Segments after `/api/v1`; `:name` captures a path parameter. */
  segments: string[];
  /** Per method: the operation, its handler, and the OAuth scope it needs (the spec's `security`). */
  methods: Partial<Record<string, { operation: string; handler: Handler; scope: string }>>;
}

function route(path: string, methods: Route['methods']): Route {
  return { segments: path.split('/').filter(Boolean), methods };
}

const APPS_READ = 'okta.apps.read';
const APPS_MANAGE = 'okta.apps.manage';
const USERS_READ = 'okta.users.read';
const USERS_MANAGE = 'okta.users.manage';
const GROUPS_READ = 'okta.groups.read';
const GROUPS_MANAGE = 'okta.groups.manage';
const HOOKS_READ = 'okta.eventHooks.read';
const HOOKS_MANAGE = 'okta.eventHooks.manage';

const ROUTES: readonly Route[] = [
  route('apps', {
    GET: { operation: 'ListApplications', handler: listApplications, scope: APPS_READ },
    POST: { operation: 'CreateApplication', handler: createApplication, scope: APPS_MANAGE },
  }),
  route('apps/:appId', {
    GET: { operation: 'GetApplication', handler: getApplication, scope: APPS_READ },
    PUT: { operation: 'ReplaceApplication', handler: replaceApplication, scope: APPS_MANAGE },
    DELETE: { operation: 'DeleteApplication', handler: deleteApplication, scope: APPS_MANAGE },
  }),
  route('apps/:appId/lifecycle/activate', {
    POST: { operation: 'ActivateApplication', handler: activateApplication, scope: APPS_MANAGE },
  }),
  route('apps/:appId/lifecycle/deactivate', {
    POST: { operation: 'DeactivateApplication', handler: deactivateApplication, scope: APPS_MANAGE },
  }),
  route('apps/:appId/sso/saml/metadata', {
    GET: { operation: 'PreviewSAMLmetadataForApplication', handler: previewSamlMetadata, scope: APPS_READ },
  }),
  route('apps/:appId/credentials/keys', {
    GET: { operation: 'ListApplicationKeys', handler: listApplicationKeys, scope: APPS_READ },
  }),
  route('apps/:appId/credentials/keys/generate', {
    POST: { operation: 'GenerateApplicationKey', handler: generateApplicationKey, scope: APPS_MANAGE },
  }),
  route('apps/:appId/credentials/keys/:keyId', {
    GET: { operation: 'GetApplicationKey', handler: getApplicationKey, scope: APPS_READ },
  }),
  route('apps/:appId/users', {
    GET: { operation: 'ListApplicationUsers', handler: listApplicationUsers, scope: APPS_READ },
    POST: { operation: 'AssignUserToApplication', handler: assignUserToApplication, scope: APPS_MANAGE },
  }),
  route('apps/:appId/users/:userId', {
    GET: { operation: 'GetApplicationUser', handler: getApplicationUser, scope: APPS_READ },
    POST: { operation: 'UpdateApplicationUser', handler: updateApplicationUser, scope: APPS_MANAGE },
    DELETE: {
      operation: 'UnassignUserFromApplication',
      handler: unassignUserFromApplication,
      scope: APPS_MANAGE,
    },
  }),
  route('apps/:appId/groups', {
    GET: {
      operation: 'ListApplicationGroupAssignments',
      handler: listApplicationGroupAssignments,
      scope: APPS_READ,
    },
  }),
  route('apps/:appId/groups/:groupId', {
    GET: {
      operation: 'GetApplicationGroupAssignment',
      handler: getApplicationGroupAssignment,
      scope: APPS_READ,
    },
    PUT: { operation: 'AssignGroupToApplication', handler: assignGroupToApplication, scope: APPS_MANAGE },
    DELETE: {
      operation: 'UnassignApplicationFromGroup',
      handler: unassignApplicationFromGroup,
      scope: APPS_MANAGE,
    },
  }),
  route('apps/:appId/features', {
    GET: { operation: 'ListFeaturesForApplication', handler: listFeaturesForApplication, scope: APPS_READ },
  }),
  route('apps/:appId/features/:featureName', {
    GET: { operation: 'GetFeatureForApplication', handler: getFeatureForApplication, scope: APPS_READ },
  }),
  route('apps/:appId/connections/default', {
    GET: {
      operation: 'GetDefaultProvisioningConnectionForApplication',
      handler: getDefaultProvisioningConnection,
      scope: APPS_READ,
    },
    POST: {
      operation: 'UpdateDefaultProvisioningConnectionForApplication',
      handler: updateDefaultProvisioningConnection,
      scope: APPS_MANAGE,
    },
  }),
  route('meta/schemas/apps/:appId/default', {
    GET: {
      operation: 'GetApplicationUserSchema',
      handler: getApplicationUserSchema,
      scope: 'okta.schemas.read',
    },
  }),
  route('users', {
    GET: { operation: 'ListUsers', handler: listUsers, scope: USERS_READ },
    POST: { operation: 'CreateUser', handler: createUser, scope: USERS_MANAGE },
  }),
  route('users/:id', {
    GET: { operation: 'GetUser', handler: getUser, scope: USERS_READ },
    POST: { operation: 'UpdateUser', handler: updateUser, scope: USERS_MANAGE },
    PUT: { operation: 'ReplaceUser', handler: replaceUser, scope: USERS_MANAGE },
    DELETE: { operation: 'DeleteUser', handler: deleteUser, scope: USERS_MANAGE },
  }),
  route('users/:id/groups', {
    GET: { operation: 'ListUserGroups', handler: listUserGroups, scope: USERS_READ },
  }),
  route('users/:id/lifecycle/activate', {
    POST: { operation: 'ActivateUser', handler: activateUser, scope: USERS_MANAGE },
  }),
  route('users/:id/lifecycle/reactivate', {
    POST: { operation: 'ReactivateUser', handler: reactivateUser, scope: USERS_MANAGE },
  }),
  route('users/:id/lifecycle/deactivate', {
    POST: { operation: 'DeactivateUser', handler: deactivateUser, scope: USERS_MANAGE },
  }),
  route('users/:id/lifecycle/suspend', {
    POST: { operation: 'SuspendUser', handler: suspendUser, scope: USERS_MANAGE },
  }),
  route('users/:id/lifecycle/unsuspend', {
    POST: { operation: 'UnsuspendUser', handler: unsuspendUser, scope: USERS_MANAGE },
  }),
  route('groups', {
    GET: { operation: 'ListGroups', handler: listGroups, scope: GROUPS_READ },
    POST: { operation: 'CreateGroup', handler: createGroup, scope: GROUPS_MANAGE },
  }),
  route('groups/:groupId', {
    GET: { operation: 'GetGroup', handler: getGroup, scope: GROUPS_READ },
    DELETE: { operation: 'DeleteGroup', handler: deleteGroup, scope: GROUPS_MANAGE },
  }),
  route('groups/:groupId/users', {
    GET: { operation: 'ListGroupUsers', handler: listGroupUsers, scope: GROUPS_READ },
  }),
  route('groups/:groupId/users/:userId', {
    PUT: { operation: 'AssignUserToGroup', handler: assignUserToGroup, scope: GROUPS_MANAGE },
    DELETE: { operation: 'UnassignUserFromGroup', handler: unassignUserFromGroup, scope: GROUPS_MANAGE },
  }),
  route('eventHooks', {
    GET: { operation: 'ListEventHooks', handler: listEventHooks, scope: HOOKS_READ },
    POST: { operation: 'CreateEventHook', handler: createEventHook, scope: HOOKS_MANAGE },
  }),
  route('eventHooks/:eventHookId', {
    GET: { operation: 'GetEventHook', handler: getEventHook, scope: HOOKS_READ },
    PUT: { operation: 'ReplaceEventHook', handler: replaceEventHook, scope: HOOKS_MANAGE },
    DELETE: { operation: 'DeleteEventHook', handler: deleteEventHook, scope: HOOKS_MANAGE },
  }),
  route('eventHooks/:eventHookId/lifecycle/activate', {
    POST: { operation: 'ActivateEventHook', handler: activateEventHook, scope: HOOKS_MANAGE },
  }),
  route('eventHooks/:eventHookId/lifecycle/deactivate', {
    POST: { operation: 'DeactivateEventHook', handler: deactivateEventHook, scope: HOOKS_MANAGE },
  }),
  route('eventHooks/:eventHookId/lifecycle/verify', {
    POST: { operation: 'VerifyEventHook', handler: verifyEventHook, scope: HOOKS_MANAGE },
  }),
];

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
