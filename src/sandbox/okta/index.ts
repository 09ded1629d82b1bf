/**
 * The emulated Okta Management API (`/api/v1/…`): the routes, their operation names for the request log
 * (the OpenAPI operationId in PascalCase), and the admin back doors.
 *
 * The server checks `Authorization: SSWS <token>` and adds the `X-Rate-Limit-*` headers; every response
 * from here carries `X-Okta-Request-Id` and, for lists, Okta's two `Link` headers.
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
  getApplicationUserSchema,
  getDefaultProvisioningConnection,
  getFeatureForApplication,
  listFeaturesForApplication,
  updateDefaultProvisioningConnection,
} from './features.js';
import {
  assignUserToGroup,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  listGroupUsers,
  unassignUserFromGroup,
} from './groups.js';
import { createUser, getUser, listUserGroups, listUsers } from './users.js';
import type { Ctx, Params } from './util.js';

export type { ApiIntegrationOptions, AwsCredentials, OktaUserJson } from './admin.js';
export { createOktaUser, enableApiIntegration, importRoles, rotateSigningKey } from './admin.js';
export { appSigningKey, ensureKeyMaterial } from './keys.js';
export { buildIdpMetadata, idpEntityId, ssoUrl } from './metadata.js';
export type { OktaApp, OktaSigningKey, OktaState } from './state.js';

type Handler = (ctx: Ctx, req: SandboxRequest, params: Params) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  /** Segments after `/api/v1`; `:name` captures a path parameter. */
  segments: string[];
  methods: Partial<Record<string, { operation: string; handler: Handler }>>;
}

function route(path: string, methods: Route['methods']): Route {
  return { segments: path.split('/').filter(Boolean), methods };
}

const ROUTES: readonly Route[] = [
  route('apps', {
    GET: { operation: 'ListApplications', handler: listApplications },
    POST: { operation: 'CreateApplication', handler: createApplication },
  }),
  route('apps/:appId', {
    GET: { operation: 'GetApplication', handler: getApplication },
    PUT: { operation: 'ReplaceApplication', handler: replaceApplication },
    DELETE: { operation: 'DeleteApplication', handler: deleteApplication },
  }),
  route('apps/:appId/lifecycle/activate', {
    POST: { operation: 'ActivateApplication', handler: activateApplication },
  }),
  route('apps/:appId/lifecycle/deactivate', {
    POST: { operation: 'DeactivateApplication', handler: deactivateApplication },
  }),
  route('apps/:appId/sso/saml/metadata', {
    GET: { operation: 'PreviewSAMLmetadataForApplication', handler: previewSamlMetadata },
  }),
  route('apps/:appId/credentials/keys', {
    GET: { operation: 'ListApplicationKeys', handler: listApplicationKeys },
  }),
  route('apps/:appId/credentials/keys/generate', {
    POST: { operation: 'GenerateApplicationKey', handler: generateApplicationKey },
  }),
  route('apps/:appId/credentials/keys/:keyId', {
    GET: { operation: 'GetApplicationKey', handler: getApplicationKey },
  }),
  route('apps/:appId/users', {
    GET: { operation: 'ListApplicationUsers', handler: listApplicationUsers },
    POST: { operation: 'AssignUserToApplication', handler: assignUserToApplication },
  }),
  route('apps/:appId/users/:userId', {
    GET: { operation: 'GetApplicationUser', handler: getApplicationUser },
    POST: { operation: 'UpdateApplicationUser', handler: updateApplicationUser },
    DELETE: { operation: 'UnassignUserFromApplication', handler: unassignUserFromApplication },
  }),
  route('apps/:appId/groups', {
    GET: { operation: 'ListApplicationGroupAssignments', handler: listApplicationGroupAssignments },
  }),
  route('apps/:appId/groups/:groupId', {
    GET: { operation: 'GetApplicationGroupAssignment', handler: getApplicationGroupAssignment },
    PUT: { operation: 'AssignGroupToApplication', handler: assignGroupToApplication },
    DELETE: { operation: 'UnassignApplicationFromGroup', handler: unassignApplicationFromGroup },
  }),
  route('apps/:appId/features', {
    GET: { operation: 'ListFeaturesForApplication', handler: listFeaturesForApplication },
  }),
  route('apps/:appId/features/:featureName', {
    GET: { operation: 'GetFeatureForApplication', handler: getFeatureForApplication },
  }),
  route('apps/:appId/connections/default', {
    GET: {
      operation: 'GetDefaultProvisioningConnectionForApplication',
      handler: getDefaultProvisioningConnection,
    },
    POST: {
      operation: 'UpdateDefaultProvisioningConnectionForApplication',
      handler: updateDefaultProvisioningConnection,
    },
  }),
  route('meta/schemas/apps/:appId/default', {
    GET: { operation: 'GetApplicationUserSchema', handler: getApplicationUserSchema },
  }),
  route('users', {
    GET: { operation: 'ListUsers', handler: listUsers },
    POST: { operation: 'CreateUser', handler: createUser },
  }),
  route('users/:id', {
    GET: { operation: 'GetUser', handler: getUser },
  }),
  route('users/:id/groups', {
    GET: { operation: 'ListUserGroups', handler: listUserGroups },
  }),
  route('groups', {
    GET: { operation: 'ListGroups', handler: listGroups },
    POST: { operation: 'CreateGroup', handler: createGroup },
  }),
  route('groups/:groupId', {
    GET: { operation: 'GetGroup', handler: getGroup },
    DELETE: { operation: 'DeleteGroup', handler: deleteGroup },
  }),
  route('groups/:groupId/users', {
    GET: { operation: 'ListGroupUsers', handler: listGroupUsers },
  }),
  route('groups/:groupId/users/:userId', {
    PUT: { operation: 'AssignUserToGroup', handler: assignUserToGroup },
    DELETE: { operation: 'UnassignUserFromGroup', handler: unassignUserFromGroup },
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
  const params: Params = { appId: '', userId: '', groupId: '', keyId: '', featureName: '', id: '' };
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
      if (req.path !== '/api/v1' && !req.path.startsWith('/api/v1/')) throw resourceNotFound(req);
      const segments = decodeSegments(req);
      const method = req.method.toUpperCase();
      for (const candidate of ROUTES) {
        const params = match(candidate, segments);
        if (!params) continue;
        const entry = candidate.methods[method];
        if (!entry) throw methodNotAllowed();
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
