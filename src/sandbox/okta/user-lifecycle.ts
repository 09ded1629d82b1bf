/**
 * The Okta user lifecycle (`/api/v1/users/{id}/lifecycle/*`), profile updates and deletion, as the
 * management API documents them (spec tags User, UserLifecycle):
 *
 * - POST /users: `activate` (default true) without a password makes a **PROVISIONED** user (pending user
 *   action: Okta mails an activation link, and the user cannot sign in until they finish it); with a
 *   password, ACTIVE; `activate=false`, STAGED. `groupIds` adds the new user to groups.
 * - activate: only STAGED or DEPROVISIONED users (else 403 E0000016); → ACTIVE with a password, else
 *   PROVISIONED. `sendEmail=false` answers with an activation link and token, otherwise `{}`.
 * - reactivate: only PROVISIONED users (a new activation link; the status stays).
 * - deactivate: → DEPROVISIONED; group memberships stay, direct assignments to ACTIVE apps are removed
 *   (support.okta.com "Can an application be assigned to a deactivated user"), and no app reaches the
 *   user through a group any more.
 * - suspend (ACTIVE only) → SUSPENDED; unsuspend (SUSPENDED only) → ACTIVE; assignments stay.
 * - DELETE: a user not yet DEPROVISIONED is deactivated; a DEPROVISIONED one is deleted for good.
 * - POST /users/{id}: a partial update of `profile` (a login rename included) and `credentials.password`;
 *   PUT: a full replace of the profile. A renamed login renames the app usernames derived from it.
 *
 * Every change records its System Log event (./events.ts) for the event hooks.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { emitMembershipChanges, snapshotUsers, userNameFor } from './app-users.js';
import { oktaError, validationFailed } from './errors.js';
import { type EventSource, emitEvent, requestSource, userTarget } from './events.js';
import { addGroupMember } from './memberships.js';
import type { JsonObject, OktaUser, OktaUserStatus } from './state.js';
import { indexLogin, unindexLogin } from './user-index.js';
import { createUserRecord, renderUser, requireUser, validateProfile } from './users.js';
import {
  type Ctx,
  clone,
  getObject,
  isObject,
  jsonResponse,
  noContent,
  okta,
  type Params,
  queryFlag,
  readJsonBody,
} from './util.js';

/** 403 E0000038: the operation is not allowed in the user's current status. */
function notAllowedInStatus(): ReturnType<typeof oktaError> {
  return oktaError('E0000038', "This operation is not allowed in the user's current status.", 403);
}

function passwordOf(body: JsonObject): string | undefined {
  const credentials = getObject(body, 'credentials');
  const password = credentials ? getObject(credentials, 'password') : undefined;
  return typeof password?.value === 'string' && password.value !== '' ? password.value : undefined;
}

function setStatus(ctx: Ctx, user: OktaUser, status: OktaUserStatus): void {
  const now = ctx.now();
  user.status = status;
  user.statusChanged = now;
  user.lastUpdated = now;
  if (status === 'ACTIVE' || status === 'PROVISIONED') user.activated ??= now;
}

/** Suspend and unsuspend: the one status each starts from, the status it ends in, Okta's refusal otherwise. */
const SUSPENSION = {
  suspend: { from: 'ACTIVE', to: 'SUSPENDED', refusal: 'status: Only an ACTIVE user can be suspended.' },
  unsuspend: {
    from: 'SUSPENDED',
    to: 'ACTIVE',
    refusal: 'status: Only a SUSPENDED user can be unsuspended.',
  },
} as const satisfies Record<string, { from: OktaUserStatus; to: OktaUserStatus; refusal: string }>;

// ---------------------------------------------------------------------------------------------------------
// The operations (shared by the API handlers and the back doors)

/** The lifecycle operations a caller can ask for. */
export type LifecycleAction = 'activate' | 'reactivate' | 'deactivate' | 'suspend' | 'unsuspend';

/**
 * Apply one lifecycle operation as Okta does (see the module comment). `completeActivation` stands for
 * the person finishing the activation flow (setting a password): the user becomes ACTIVE.
 * @throws the error Okta answers for an operation the user's status does not allow.
 */
export function changeUserStatus(
  ctx: Ctx,
  source: EventSource,
  user: OktaUser,
  action: LifecycleAction | 'completeActivation',
): void {
  const state = okta(ctx);
  const before = snapshotUsers(state, [user.id]);
  switch (action) {
    case 'activate': {
      if (user.status !== 'STAGED' && user.status !== 'DEPROVISIONED') {
        throw oktaError('E0000016', 'Activation failed because the user is already active', 403);
      }
      setStatus(ctx, user, user.passwordChanged !== null ? 'ACTIVE' : 'PROVISIONED');
      emitEvent(ctx, source, 'user.lifecycle.activate', [userTarget(user)]);
      break;
    }
    case 'completeActivation': {
      if (user.status === 'ACTIVE') return;
      if (user.status === 'SUSPENDED') throw notAllowedInStatus();
      const wasStaged = user.status === 'STAGED' || user.status === 'DEPROVISIONED';
      user.passwordChanged = ctx.now();
      setStatus(ctx, user, 'ACTIVE');
      if (wasStaged) emitEvent(ctx, source, 'user.lifecycle.activate', [userTarget(user)]);
      break;
    }
    case 'reactivate': {
      if (user.status !== 'PROVISIONED') throw notAllowedInStatus();
      user.lastUpdated = ctx.now();
      emitEvent(ctx, source, 'user.lifecycle.reactivate', [userTarget(user)]);
      break;
    }
    case 'deactivate': {
      if (user.status === 'DEPROVISIONED') return;
      setStatus(ctx, user, 'DEPROVISIONED');
      // Okta unassigns a deactivated user from every active app; the group memberships stay.
      for (const app of Object.values(state.apps)) {
        if (app.status === 'ACTIVE') delete state.appUsers[app.id]?.[user.id];
      }
      emitEvent(ctx, source, 'user.lifecycle.deactivate', [userTarget(user)]);
      break;
    }
    case 'suspend':
    case 'unsuspend': {
      const { from, to, refusal } = SUSPENSION[action];
      if (user.status !== from) throw validationFailed('status', refusal);
      setStatus(ctx, user, to);
      emitEvent(ctx, source, `user.lifecycle.${action}`, [userTarget(user)]);
      break;
    }
  }
  emitMembershipChanges(ctx, source, before, snapshotUsers(state, [user.id]));
}

/**
 * Change a user's profile: `patch` laid over the profile (`replace`: the whole new profile), validated
 * like a new one. A renamed login renames the app usernames that were derived from it. Records
 * `user.account.update_profile` (with `changedAttributes`) and any `change_username`.
 * @returns the names of the attributes that changed.
 */
export function updateUserProfile(
  ctx: Ctx,
  source: EventSource,
  user: OktaUser,
  patch: JsonObject,
  options: { replace?: boolean; password?: string | undefined } = {},
): string[] {
  if (user.status === 'DEPROVISIONED') {
    // [unverified wording] Okta keeps deactivated profiles unless "Edit deactivated user profiles" is on.
    throw validationFailed('profile', 'profile: The profile of a deactivated user cannot be changed.');
  }
  const profile: JsonObject = options.replace
    ? { mobilePhone: null, secondEmail: null, ...clone(patch) }
    : { ...clone(user.profile), ...clone(patch) };
  validateProfile(ctx, profile, user);
  const state = okta(ctx);
  const before = snapshotUsers(state, [user.id]);
  const old: OktaUser = { ...user, profile: clone(user.profile) };
  const keys = [...new Set([...Object.keys(user.profile), ...Object.keys(profile)])].sort();
  const changed = keys.filter(
    (key) => JSON.stringify(user.profile[key] ?? null) !== JSON.stringify(profile[key] ?? null),
  );
  const now = ctx.now();
  if (changed.length > 0) {
    user.profile = profile;
    indexLogin(state, user, old.profile.login);
    user.lastUpdated = now;
    // App usernames follow the user's attributes (Okta: "Update application username on: Create and update").
    for (const app of Object.values(state.apps)) {
      const assignment = state.appUsers[app.id]?.[user.id];
      if (!assignment || assignment.userName !== userNameFor(app, old)) continue;
      const renamed = userNameFor(app, user);
      if (renamed !== assignment.userName) {
        assignment.userName = renamed;
        assignment.lastUpdated = now;
      }
    }
    emitEvent(ctx, source, 'user.account.update_profile', [userTarget(user)], {
      changedAttributes: changed.join(','),
    });
  }
  if (options.password !== undefined) {
    user.passwordChanged = now;
    user.lastUpdated = now;
    // [unverified] A password set for a user pending activation completes the activation.
    if (user.status === 'PROVISIONED') {
      setStatus(ctx, user, 'ACTIVE');
    }
  }
  emitMembershipChanges(ctx, source, before, snapshotUsers(state, [user.id]));
  return changed;
}

/** Delete a DEPROVISIONED user for good: out of every group and app. */
export function deleteUserRecord(ctx: Ctx, source: EventSource, user: OktaUser): void {
  const state = okta(ctx);
  emitEvent(ctx, source, 'user.lifecycle.delete.initiated', [userTarget(user)]);
  for (const group of Object.values(state.groups)) {
    const index = group.members.indexOf(user.id);
    if (index >= 0) group.members.splice(index, 1);
  }
  for (const assignments of Object.values(state.appUsers)) delete assignments[user.id];
  delete state.users[user.id];
  unindexLogin(state, user);
  emitEvent(ctx, source, 'user.lifecycle.delete.completed', [userTarget(user)]);
}

// ---------------------------------------------------------------------------------------------------------
// Handlers

export function createUser(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const body = readJsonBody(req) ?? {};
  const profile = body.profile;
  if (!isObject(profile)) throw validationFailed('profile', 'profile: The field cannot be left blank');
  const groupIds = body.groupIds;
  if (groupIds !== undefined && (!Array.isArray(groupIds) || groupIds.some((g) => typeof g !== 'string'))) {
    throw validationFailed('groupIds', 'groupIds: Does not match required type array of string.');
  }
  const state = okta(ctx);
  const groups = ((groupIds as string[] | undefined) ?? []).map((id) => {
    const group = Object.hasOwn(state.groups, id) ? state.groups[id] : undefined;
    if (!group) throw validationFailed('groupIds', `groupIds: No group with id ${id}.`);
    return group;
  });
  const hasPassword = passwordOf(body) !== undefined;
  const status: OktaUserStatus = !queryFlag(req, 'activate', true)
    ? 'STAGED'
    : hasPassword
      ? 'ACTIVE'
      : 'PROVISIONED';
  const source = requestSource(ctx, req);
  const user = createUserRecord(ctx, { profile, status, hasPassword, source });
  for (const group of groups) addGroupMember(ctx, source, group, user);
  return jsonResponse(ctx, 200, renderUser(ctx, user));
}

/** POST /users/{id}: partial update; PUT /users/{id}: full replace of the profile. */
function updateHandler(replace: boolean) {
  return (ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse => {
    const user = requireUser(ctx, params.id);
    const body = readJsonBody(req) ?? {};
    const profile = body.profile;
    if (profile !== undefined && profile !== null && !isObject(profile)) {
      throw validationFailed('profile', 'profile: Does not match required type object.');
    }
    if (replace && !isObject(profile)) {
      throw validationFailed('profile', 'profile: The field cannot be left blank');
    }
    updateUserProfile(ctx, requestSource(ctx, req), user, isObject(profile) ? profile : {}, {
      replace,
      password: passwordOf(body),
    });
    return jsonResponse(ctx, 200, renderUser(ctx, user));
  };
}

export const updateUser = updateHandler(false);
export const replaceUser = updateHandler(true);

function activationAnswer(ctx: Ctx, req: SandboxRequest, user: OktaUser): SandboxResponse {
  if (queryFlag(req, 'sendEmail', true)) return jsonResponse(ctx, 200, {});
  const token = ctx.randomId(20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
  return jsonResponse(ctx, 200, {
    activationUrl: `${ctx.origin}/welcome/${token}`,
    activationToken: token,
    _links: { user: { href: `${ctx.origin}/api/v1/users/${user.id}` } },
  });
}

export function activateUser(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const user = requireUser(ctx, params.id);
  changeUserStatus(ctx, requestSource(ctx, req), user, 'activate');
  return activationAnswer(ctx, req, user);
}

export function reactivateUser(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const user = requireUser(ctx, params.id);
  changeUserStatus(ctx, requestSource(ctx, req), user, 'reactivate');
  return activationAnswer(ctx, req, user);
}

function lifecycleHandler(action: 'deactivate' | 'suspend' | 'unsuspend') {
  return (ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse => {
    const user = requireUser(ctx, params.id);
    changeUserStatus(ctx, requestSource(ctx, req), user, action);
    return jsonResponse(ctx, 200, {});
  };
}

export const deactivateUser = lifecycleHandler('deactivate');
export const suspendUser = lifecycleHandler('suspend');
export const unsuspendUser = lifecycleHandler('unsuspend');

export function deleteUser(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const user = requireUser(ctx, params.id);
  const source = requestSource(ctx, req);
  if (user.status !== 'DEPROVISIONED') changeUserStatus(ctx, source, user, 'deactivate');
  else deleteUserRecord(ctx, source, user);
  return noContent(ctx);
}
