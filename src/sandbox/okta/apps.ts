/**
 * `/api/v1/apps`: the OIN "AWS Account Federation" app (`amazon_aws`, SAML 2.0) — create, read, list,
 * full-replace, lifecycle, delete — plus its IdP metadata and signing keys.
 *
 * Facts emulated (research/okta.md §1.1–1.6, recorded traffic): `activate` defaults to true; PUT is a
 * full replace that ignores `id`, `name`, `status`, `created`, `lastUpdated`; when a create or replace
 * carries no `settings.app`, Okta keeps the app settings it has but does not persist
 * `settings.signOn.defaultRelayState`; DELETE needs an INACTIVE app (403 E0000056); metadata comes back
 * as `application/xml;charset=ISO-8859-1` and a JSON-only `Accept` is 400 E0000019.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import {
  ACCESSIBILITY_DEFAULTS,
  buildSettings,
  oinApp,
  USER_NAME_TEMPLATE_DEFAULTS,
  VISIBILITY_DEFAULTS,
  validateAppBody,
} from './app-settings.js';
import { badMediaType, blankField, deleteActiveApp, notFound, validationFailed } from './errors.js';
import { type FilterRules, matches, parseFilter } from './filter.js';
import {
  appKeys,
  createKeyRecord,
  ensureKeyMaterial,
  parseValidityYears,
  renderKey,
  requireAppKey,
} from './keys.js';
import { acceptsXml, buildIdpMetadata, METADATA_CONTENT_TYPE } from './metadata.js';
import { paginate } from './paging.js';
import type { JsonObject, OktaApp, OktaState } from './state.js';
import {
  type Ctx,
  clone,
  ensureOrg,
  getObject,
  href,
  iso,
  jsonResponse,
  mergeDefaults,
  newId,
  noContent,
  okta,
  type Params,
  queryFlag,
  readJsonBody,
  startsWithCi,
} from './util.js';

export { oinApp } from './app-settings.js';

// ---------------------------------------------------------------------------------------------------------
// Lookup and rendering

export function requireApp(ctx: Ctx, appId: string): OktaApp {
  const state = okta(ctx);
  const app = Object.hasOwn(state.apps, appId) ? state.apps[appId] : undefined;
  if (!app) throw notFound(appId, 'AppInstance');
  return app;
}

export function renderApp(ctx: Ctx, app: OktaApp): JsonObject {
  const state = ensureOrg(ctx);
  const base = `/api/v1/apps/${app.id}`;
  const lifecycle = app.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    id: app.id,
    orn: `orn:okta:idp:${state.orgId}:apps:${app.name}:${app.id}`,
    name: app.name,
    label: app.label,
    status: app.status,
    lastUpdated: iso(app.lastUpdated),
    created: iso(app.created),
    accessibility: clone(app.accessibility),
    visibility: clone(app.visibility),
    features: [...app.features],
    signOnMode: app.signOnMode,
    credentials: { userNameTemplate: clone(app.userNameTemplate), signing: { kid: app.signingKid } },
    settings: clone(app.settings),
    _links: {
      metadata: { ...href(ctx, `${base}/sso/saml/metadata`), type: 'application/xml' },
      appLinks: [
        {
          name: 'login',
          ...href(ctx, `/home/${app.name}/${app.id}/${oinApp(app.name)?.appLinkNumber ?? 272}`),
          type: 'text/html',
        },
      ],
      groups: href(ctx, `${base}/groups`),
      users: href(ctx, `${base}/users`),
      [lifecycle]: href(ctx, `${base}/lifecycle/${lifecycle}`),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Handlers

export function createApplication(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const body = readJsonBody(req);
  if (!body) throw blankField('label');
  const input = validateAppBody(body, body.name);
  const state = ensureOrg(ctx);
  const now = ctx.now();
  const id = newId(ctx, '0oa');
  const key = createKeyRecord(ctx, id, 10);
  const credentials = getObject(body, 'credentials');
  const app: OktaApp = {
    id,
    externalKeyId: newId(ctx, 'exk'),
    name: body.name as string,
    label: input.label,
    status: queryFlag(req, 'activate', true) ? 'ACTIVE' : 'INACTIVE',
    signOnMode: input.signOnMode,
    created: now,
    lastUpdated: now,
    accessibility: mergeDefaults(ACCESSIBILITY_DEFAULTS, getObject(body, 'accessibility')),
    visibility: mergeDefaults(VISIBILITY_DEFAULTS, getObject(body, 'visibility')),
    userNameTemplate: mergeDefaults(
      USER_NAME_TEMPLATE_DEFAULTS,
      credentials ? getObject(credentials, 'userNameTemplate') : undefined,
    ),
    signingKid: key.kid,
    settings: buildSettings(input.oin, getObject(body, 'settings'), undefined),
    features: [],
    importedRoles: [],
    apiIntegration: null,
  };
  state.apps[id] = app;
  return jsonResponse(ctx, 200, renderApp(ctx, app));
}

export function getApplication(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  return jsonResponse(ctx, 200, renderApp(ctx, requireApp(ctx, params.appId)));
}

const APP_FILTER: FilterRules = {
  attributes: ['id', 'status', 'name', 'credentials.signing.kid', 'settings.slo.enabled'],
  operators: ['eq'],
  logical: true,
};

export function listApplications(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const q = req.query.get('q');
  const filterText = req.query.get('filter');
  const filter = filterText ? parseFilter(filterText, APP_FILTER) : undefined;
  const rendered = sortedApps(okta(ctx))
    .map((app) => renderApp(ctx, app))
    .filter((app) => !q || startsWithCi(app.name, q) || startsWithCi(app.label, q))
    .filter((app) => !filter || matches(filter, app));
  const page = paginate(ctx, req, rendered, (a) => a.id as string, { defaultLimit: 20, maxLimit: 200 });
  return jsonResponse(ctx, 200, page.items, { Link: page.links });
}

export function sortedApps(state: OktaState): OktaApp[] {
  return Object.values(state.apps).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function replaceApplication(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const body = readJsonBody(req);
  if (!body) throw blankField('label');
  const input = validateAppBody(body, app.name);
  const credentials = getObject(body, 'credentials');
  const signing = credentials ? getObject(credentials, 'signing') : undefined;
  const kid = signing?.kid;
  if (typeof kid === 'string' && kid !== app.signingKid) {
    const state = okta(ctx);
    const key = state.keys[kid];
    if (!key || key.appId !== app.id) {
      throw validationFailed(
        'credentials.signing.kid',
        'kid: The key credential was not found for this app.',
      );
    }
    app.signingKid = kid;
  }
  app.label = input.label;
  app.signOnMode = input.signOnMode;
  app.accessibility = mergeDefaults(ACCESSIBILITY_DEFAULTS, getObject(body, 'accessibility'));
  app.visibility = mergeDefaults(VISIBILITY_DEFAULTS, getObject(body, 'visibility'));
  const template = credentials ? getObject(credentials, 'userNameTemplate') : undefined;
  if (template) app.userNameTemplate = mergeDefaults(USER_NAME_TEMPLATE_DEFAULTS, template);
  app.settings = buildSettings(input.oin, getObject(body, 'settings'), app.settings);
  app.lastUpdated = ctx.now();
  return jsonResponse(ctx, 200, renderApp(ctx, app));
}

/** The lifecycle operations: `{}` back, and no change (not even `lastUpdated`) when already there. */
function setAppStatus(ctx: Ctx, params: Params, status: OktaApp['status']): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  if (app.status !== status) {
    app.status = status;
    app.lastUpdated = ctx.now();
  }
  return jsonResponse(ctx, 200, {});
}

export function activateApplication(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  return setAppStatus(ctx, params, 'ACTIVE');
}

export function deactivateApplication(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  return setAppStatus(ctx, params, 'INACTIVE');
}

export function deleteApplication(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  if (app.status === 'ACTIVE') throw deleteActiveApp();
  const state = okta(ctx);
  delete state.apps[app.id];
  delete state.appUsers[app.id];
  delete state.appGroups[app.id];
  for (const key of appKeys(state, app.id)) delete state.keys[key.kid];
  return noContent(ctx);
}

export async function previewSamlMetadata(
  ctx: Ctx,
  req: SandboxRequest,
  params: Params,
): Promise<SandboxResponse> {
  if (!acceptsXml(req.headers.accept)) throw badMediaType();
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const kid = req.query.get('kid');
  const key = requireAppKey(state, app, kid || app.signingKid);
  const ready = await ensureKeyMaterial(state, key);
  const xml = buildIdpMetadata(ctx.origin, app, ready.certificate);
  return {
    status: 200,
    headers: { 'Content-Type': METADATA_CONTENT_TYPE, 'X-Okta-Request-Id': ctx.requestId() },
    body: Buffer.from(xml, 'latin1'),
  };
}

export async function listApplicationKeys(
  ctx: Ctx,
  _req: SandboxRequest,
  params: Params,
): Promise<SandboxResponse> {
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const keys = await Promise.all(appKeys(state, app.id).map((key) => ensureKeyMaterial(state, key)));
  return jsonResponse(ctx, 200, keys.map(renderKey));
}

export async function getApplicationKey(
  ctx: Ctx,
  _req: SandboxRequest,
  params: Params,
): Promise<SandboxResponse> {
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const key = await ensureKeyMaterial(state, requireAppKey(state, app, params.keyId));
  return jsonResponse(ctx, 200, renderKey(key));
}

export async function generateApplicationKey(
  ctx: Ctx,
  req: SandboxRequest,
  params: Params,
): Promise<SandboxResponse> {
  const app = requireApp(ctx, params.appId);
  const years = parseValidityYears(req.query.get('validityYears'));
  const state = okta(ctx);
  const key = await ensureKeyMaterial(state, createKeyRecord(ctx, app.id, years));
  return jsonResponse(ctx, 201, renderKey(key));
}
