/**
 * The provisioning surface of an app, answering as Okta does for `amazon_aws`, whose provisioning
 * ("API Integration" with an AWS access key) cannot be set through the public API:
 *
 * - `GET/POST …/connections/default`: 200 with `authScheme`/`status` `UNKNOWN` — Okta's answer for an app
 *   that does not support provisioning connections (okta/okta-mcp-server#72).
 * - `GET …/features[/{name}]`: 400 E0000001 "Api validation failed: feature" / "Provisioning is not
 *   enabled for the app instance." until provisioning is on (the spec's note and error example); once
 *   the `enableApiIntegration` back door turned it on, a `USER_PROVISIONING` feature whose capabilities
 *   mirror the app's `features` (`PUSH_NEW_USERS` → `create.lifecycleCreate`, …). [unverified shape]
 * - `GET /api/v1/meta/schemas/apps/{appId}/default`: the app user schema, whose `role` / `samlRoles`
 *   enums hold the roles imported from AWS.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { requireApp } from './apps.js';
import { notFound, validationFailed } from './errors.js';
import type { Json, JsonObject, OktaApp } from './state.js';
import { type Ctx, href, iso, jsonResponse, type Params } from './util.js';

const FEATURE_NAMES = ['USER_PROVISIONING', 'INBOUND_PROVISIONING'];

function requireProvisioning(app: OktaApp): void {
  if (!app.apiIntegration) {
    throw validationFailed('feature', 'Provisioning is not enabled for the app instance.');
  }
}

function userProvisioning(ctx: Ctx, app: OktaApp): JsonObject {
  const on = (feature: string): Json => ({ status: app.features.includes(feature) ? 'ENABLED' : 'DISABLED' });
  return {
    name: 'USER_PROVISIONING',
    status: 'ENABLED',
    description: 'User provisioning settings from Okta to a downstream app',
    capabilities: {
      create: { lifecycleCreate: on('PUSH_NEW_USERS') },
      update: {
        profile: on('PUSH_PROFILE_UPDATES'),
        lifecycleDeactivate: on('PUSH_USER_DEACTIVATION'),
        password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' },
      },
    },
    _links: {
      self: {
        ...href(ctx, `/api/v1/apps/${app.id}/features/USER_PROVISIONING`),
        hints: { allow: ['GET', 'PUT'] },
      },
    },
  };
}

export function listFeaturesForApplication(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  requireProvisioning(app);
  return jsonResponse(ctx, 200, [userProvisioning(ctx, app)]);
}

export function getFeatureForApplication(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  if (!FEATURE_NAMES.includes(params.featureName)) throw notFound(params.featureName, 'AppFeature');
  requireProvisioning(app);
  if (params.featureName !== 'USER_PROVISIONING') throw notFound(params.featureName, 'AppFeature');
  return jsonResponse(ctx, 200, userProvisioning(ctx, app));
}

function unknownConnection(ctx: Ctx, app: OktaApp): SandboxResponse {
  return jsonResponse(ctx, 200, {
    authScheme: 'UNKNOWN',
    status: 'UNKNOWN',
    profile: { authScheme: 'UNKNOWN' },
    _links: { self: href(ctx, `/api/v1/apps/${app.id}/connections/default`) },
  });
}

export function getDefaultProvisioningConnection(
  ctx: Ctx,
  _req: SandboxRequest,
  params: Params,
): SandboxResponse {
  return unknownConnection(ctx, requireApp(ctx, params.appId));
}

export function updateDefaultProvisioningConnection(
  ctx: Ctx,
  _req: SandboxRequest,
  params: Params,
): SandboxResponse {
  return unknownConnection(ctx, requireApp(ctx, params.appId));
}

function roleEnum(roles: readonly string[], schema: JsonObject): JsonObject {
  if (roles.length === 0) return schema;
  return { ...schema, enum: [...roles], oneOf: roles.map((role) => ({ const: role, title: role })) };
}

export function getApplicationUserSchema(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const base: JsonObject = {};
  if (app.name === 'amazon_aws') {
    base.role = roleEnum(app.importedRoles, {
      title: 'Role',
      type: 'string',
      scope: 'NONE',
      master: { type: 'PROFILE_MASTER' },
    });
    base.samlRoles = {
      title: 'SAML User Roles',
      type: 'array',
      items: roleEnum(app.importedRoles, { type: 'string' }),
      union: 'DISABLE',
      scope: 'NONE',
      master: { type: 'PROFILE_MASTER' },
    };
  }
  const id = `${ctx.origin}/meta/schemas/apps/${app.id}/default`;
  return jsonResponse(ctx, 200, {
    id,
    $schema: 'http://json-schema.org/draft-04/schema#',
    name: app.name,
    title: `${app.label} User`,
    lastUpdated: iso(app.apiIntegration?.importedAt ?? app.lastUpdated),
    created: iso(app.created),
    definitions: {
      custom: { id: '#custom', type: 'object', properties: {}, required: [] },
      base: { id: '#base', type: 'object', properties: base, required: [] },
    },
    type: 'object',
    properties: { profile: { allOf: [{ $ref: '#/definitions/custom' }, { $ref: '#/definitions/base' }] } },
    _links: { self: href(ctx, `/api/v1/meta/schemas/apps/${app.id}/default`) },
  });
}
