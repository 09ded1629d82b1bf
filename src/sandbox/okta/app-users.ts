/**
 * `/api/v1/apps/{appId}/users`: app user assignments. Direct assignments (`scope: USER`) are stored;
 * members of groups assigned to the app appear as `scope: GROUP` app users, as in Okta.
 *
 * For `amazon_aws` the profile's `role` / `samlRoles` must be among the roles the app imported from AWS
 * (the admin console's API integration: `enableApiIntegration`); anything else is 400 E0000001
 * "Api validation failed: samlRoles" with a cause naming the value.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { requireApp } from './apps.js';
import { blankField, forbidden, notAllowedValue, notFound, validationFailed } from './errors.js';
import {
  appTarget,
  appUserTarget,
  type EventSource,
  emitEvent,
  requestSource,
  userTarget,
} from './events.js';
import { paginate } from './paging.js';
import type { JsonObject, OktaApp, OktaAppGroup, OktaAppUser, OktaState, OktaUser } from './state.js';
import { renderUser, requireUserById } from './users.js';
import {
  type Ctx,
  clone,
  getObject,
  href,
  isObject,
  iso,
  jsonResponse,
  noContent,
  okta,
  type Params,
  readJsonBody,
  startsWithCi,
} from './util.js';

/** The app user profile a new `amazon_aws` assignment starts from. */
function defaultProfile(app: OktaApp): JsonObject {
  return app.name === 'amazon_aws' ? { role: null, samlRoles: [] } : {};
}

/** `credentials.userName` from the app's `userNameTemplate` (the built-in templates the console offers). */
export function userNameFor(app: OktaApp, user: OktaUser): string {
  const login = typeof user.profile.login === 'string' ? user.profile.login : user.id;
  const email = typeof user.profile.email === 'string' ? user.profile.email : login;
  const template = typeof app.userNameTemplate.template === 'string' ? app.userNameTemplate.template : '';
  const compact = template.replace(/\s+/g, '').replace(/\\"/g, '"');
  if (compact === '${source.email}') return email;
  if (compact === '${fn:substringBefore(source.login,"@")}') return login.split('@')[0] ?? login;
  if (compact === '${fn:substringBefore(source.email,"@")}') return email.split('@')[0] ?? email;
  return login;
}

/** `role` / `samlRoles` of an `amazon_aws` app user must be imported role names. */
export function validateRoles(app: OktaApp, profile: JsonObject): void {
  if (app.name !== 'amazon_aws') return;
  const allowed = new Set(app.importedRoles);
  const role = profile.role;
  if (role !== undefined && role !== null) {
    if (typeof role !== 'string')
      throw validationFailed('role', 'role: Does not match required type string.');
    if (!allowed.has(role)) throw notAllowedValue('role', role);
  }
  const samlRoles = profile.samlRoles;
  if (samlRoles !== undefined && samlRoles !== null) {
    if (!Array.isArray(samlRoles) || samlRoles.some((v) => typeof v !== 'string')) {
      throw validationFailed('samlRoles', 'samlRoles: Does not match required type array of string.');
    }
    for (const value of samlRoles)
      if (!allowed.has(value as string)) throw notAllowedValue('samlRoles', value as string);
  }
}

function readProfile(body: JsonObject): JsonObject | undefined {
  const profile = body.profile;
  if (profile === undefined || profile === null) return undefined;
  if (!isObject(profile)) throw validationFailed('profile', 'profile: Does not match required type object.');
  return profile;
}

/** The app user a group assignment makes of one of the group's members (`scope: GROUP`). */
function groupAppUser(app: OktaApp, user: OktaUser, assignment: OktaAppGroup): OktaAppUser {
  return {
    userId: user.id,
    scope: 'GROUP',
    created: assignment.created,
    lastUpdated: assignment.lastUpdated,
    statusChanged: assignment.created,
    userName: userNameFor(app, user),
    profile: { ...defaultProfile(app), ...clone(assignment.profile) },
  };
}

/** Direct assignments plus the members of assigned groups (by group priority), sorted by user id. */
export function effectiveAppUsers(state: OktaState, app: OktaApp): OktaAppUser[] {
  const direct = state.appUsers[app.id] ?? {};
  const byUser = new Map<string, OktaAppUser>();
  for (const assignment of Object.values(direct)) byUser.set(assignment.userId, assignment);
  const groups = Object.values(state.appGroups[app.id] ?? {}).sort((a, b) => a.priority - b.priority);
  for (const assignment of groups) {
    const group = state.groups[assignment.groupId];
    if (!group) continue;
    for (const userId of group.members) {
      const user = state.users[userId];
      // A deactivated user keeps its groups but gets no app through them.
      if (!user || byUser.has(userId) || user.status === 'DEPROVISIONED') continue;
      byUser.set(userId, groupAppUser(app, user, assignment));
    }
  }
  return [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** A user's membership of one app: the direct assignment, else through its lowest-priority assigned group. */
export function appUserOf(state: OktaState, app: OktaApp, userId: string): OktaAppUser | undefined {
  const direct = state.appUsers[app.id]?.[userId];
  if (direct) return direct;
  const user = state.users[userId];
  if (!user || user.status === 'DEPROVISIONED') return undefined;
  const groups = Object.values(state.appGroups[app.id] ?? {}).sort((a, b) => a.priority - b.priority);
  for (const assignment of groups) {
    if (!state.groups[assignment.groupId]?.members.includes(userId)) continue;
    return groupAppUser(app, user, assignment);
  }
  return undefined;
}

/** App memberships at one moment, by `<appId>/<userId>`: what {@link emitMembershipChanges} compares. */
export type MembershipSnapshot = Map<string, { appId: string; appUser: OktaAppUser }>;

/** The app memberships of these users, in every app. */
export function snapshotUsers(state: OktaState, userIds: readonly string[]): MembershipSnapshot {
  const snapshot: MembershipSnapshot = new Map();
  for (const app of Object.values(state.apps)) {
    for (const userId of userIds) {
      const appUser = appUserOf(state, app, userId);
      if (appUser) snapshot.set(`${app.id}/${userId}`, { appId: app.id, appUser });
    }
  }
  return snapshot;
}

/** Every membership of one app. */
export function snapshotApp(state: OktaState, app: OktaApp): MembershipSnapshot {
  const snapshot: MembershipSnapshot = new Map();
  for (const appUser of effectiveAppUsers(state, app)) {
    snapshot.set(`${app.id}/${appUser.userId}`, { appId: app.id, appUser });
  }
  return snapshot;
}

/**
 * The `application.user_membership.add` / `remove` / `change_username` events between two snapshots
 * (a membership through a group counts, as in Okta).
 */
export function emitMembershipChanges(
  ctx: Ctx,
  source: EventSource,
  before: MembershipSnapshot,
  after: MembershipSnapshot,
): void {
  const state = okta(ctx);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const key of keys) {
    const was = before.get(key);
    const now = after.get(key);
    const appId = (now ?? was)?.appId ?? '';
    const app = state.apps[appId];
    const member = (now ?? was)?.appUser;
    const user = member ? state.users[member.userId] : undefined;
    if (!app || !member || !user) continue;
    const targets = (appUser: OktaAppUser) => [
      appUserTarget(app, appUser, user),
      appTarget(app),
      userTarget(user),
    ];
    if (!was && now) emitEvent(ctx, source, 'application.user_membership.add', targets(now.appUser));
    else if (was && !now) emitEvent(ctx, source, 'application.user_membership.remove', targets(was.appUser));
    else if (was && now && was.appUser.userName !== now.appUser.userName) {
      emitEvent(ctx, source, 'application.user_membership.change_username', targets(now.appUser), {
        previousUserName: was.appUser.userName,
      });
    }
  }
}

export function renderAppUser(ctx: Ctx, app: OktaApp, appUser: OktaAppUser): JsonObject {
  const provisioned = app.features.includes('PUSH_NEW_USERS');
  const out: JsonObject = {
    id: appUser.userId,
    externalId: null,
    created: iso(appUser.created),
    lastUpdated: iso(appUser.lastUpdated),
    scope: appUser.scope,
    status: provisioned ? 'PROVISIONED' : 'ACTIVE',
    statusChanged: iso(appUser.statusChanged),
    passwordChanged: null,
    syncState: provisioned ? 'SYNCHRONIZED' : 'DISABLED',
  };
  if (provisioned) out.lastSync = iso(appUser.lastUpdated);
  out.credentials = { userName: appUser.userName };
  out.profile = clone(appUser.profile);
  out._links = {
    app: href(ctx, `/api/v1/apps/${app.id}`),
    user: href(ctx, `/api/v1/users/${appUser.userId}`),
  };
  return out;
}

function findAppUser(state: OktaState, app: OktaApp, userId: string): OktaAppUser {
  const found = appUserOf(state, app, userId);
  if (!found) throw notFound(userId, 'AppUser');
  return found;
}

/** `credentials.userName` of a body: a non-empty string, else undefined (the derived one applies). */
function readUserName(body: JsonObject): string | undefined {
  const userName = getObject(body, 'credentials')?.userName;
  if (userName !== undefined && userName !== null && typeof userName !== 'string') {
    throw validationFailed('userName', 'userName: Does not match required type string.');
  }
  return typeof userName === 'string' && userName !== '' ? userName : undefined;
}

/** Store a direct (`scope: USER`) assignment, record the membership events, and answer with it. */
function storeDirectAssignment(
  ctx: Ctx,
  req: SandboxRequest,
  app: OktaApp,
  assignment: OktaAppUser,
): SandboxResponse {
  const state = okta(ctx);
  const before = snapshotUsers(state, [assignment.userId]);
  const assignments = state.appUsers[app.id] ?? {};
  state.appUsers[app.id] = assignments;
  assignments[assignment.userId] = assignment;
  emitMembershipChanges(ctx, requestSource(ctx, req), before, snapshotUsers(state, [assignment.userId]));
  return jsonResponse(ctx, 200, renderAppUser(ctx, app, assignment));
}

export function assignUserToApplication(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const body = readJsonBody(req);
  if (!body || typeof body.id !== 'string' || body.id === '') throw blankField('id');
  const user = requireUserById(ctx, body.id);
  if (user.status === 'DEPROVISIONED') {
    // [unverified wording] Okta refuses apps for deactivated users.
    throw validationFailed('id', 'id: Cannot assign an app to a deactivated user.');
  }
  const given = readProfile(body);
  const profile = { ...defaultProfile(app), ...clone(given ?? {}) };
  validateRoles(app, profile);
  const userName = readUserName(body);
  const now = ctx.now();
  const existing = okta(ctx).appUsers[app.id]?.[user.id];
  const assignment: OktaAppUser = {
    userId: user.id,
    scope: 'USER',
    created: existing?.created ?? now,
    lastUpdated: now,
    statusChanged: existing?.statusChanged ?? now,
    userName: userName ?? userNameFor(app, user),
    profile,
  };
  return storeDirectAssignment(ctx, req, app, assignment);
}

export function getApplicationUser(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const appUser = findAppUser(okta(ctx), app, params.userId);
  const rendered = renderAppUser(ctx, app, appUser);
  if (req.query.get('expand') === 'user') embedUser(ctx, rendered, appUser.userId);
  return jsonResponse(ctx, 200, rendered);
}

function embedUser(ctx: Ctx, rendered: JsonObject, userId: string): void {
  const user = okta(ctx).users[userId];
  if (user) rendered._embedded = { user: renderUser(ctx, user) };
}

export function listApplicationUsers(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const q = req.query.get('q');
  const all = effectiveAppUsers(state, app).filter((appUser) => {
    if (!q) return true;
    const profile = state.users[appUser.userId]?.profile ?? {};
    return [appUser.userName, profile.firstName, profile.lastName, profile.email].some((v) =>
      startsWithCi(v, q),
    );
  });
  const page = paginate(ctx, req, all, (u) => u.userId, { defaultLimit: 50, maxLimit: 500 });
  const expand = req.query.get('expand') === 'user';
  const items = page.items.map((appUser) => {
    const rendered = renderAppUser(ctx, app, appUser);
    if (expand) embedUser(ctx, rendered, appUser.userId);
    return rendered;
  });
  return jsonResponse(ctx, 200, items, { Link: page.links });
}

/** POST /apps/{appId}/users/{userId}: a partial update of `profile` (per property) and `credentials`. */
export function updateApplicationUser(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const current = findAppUser(state, app, params.userId);
  const body = readJsonBody(req) ?? {};
  const given = readProfile(body);
  const profile: JsonObject = { ...clone(current.profile), ...clone(given ?? {}) };
  validateRoles(app, profile);
  const userName = readUserName(body);
  // Updating a group-assigned user gives it a profile of its own: it becomes a direct assignment.
  const updated: OktaAppUser = {
    ...current,
    scope: 'USER',
    lastUpdated: ctx.now(),
    userName: userName ?? current.userName,
    profile,
  };
  return storeDirectAssignment(ctx, req, app, updated);
}

export function unassignUserFromApplication(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const direct = state.appUsers[app.id]?.[params.userId];
  if (!direct) {
    // Only a group assignment gives this user the app: unassign the group instead.
    findAppUser(state, app, params.userId);
    throw forbidden();
  }
  const before = snapshotUsers(state, [params.userId]);
  delete state.appUsers[app.id]?.[params.userId];
  emitMembershipChanges(ctx, requestSource(ctx, req), before, snapshotUsers(state, [params.userId]));
  return noContent(ctx);
}
