/**
 * Group membership: `/api/v1/groups/{groupId}/users[/{userId}]` and `/api/v1/users/{id}/groups`. Apart
 * from users.ts and groups.ts so that neither imports the other.
 *
 * A change records `group.user_membership.add` / `remove`, and, when the group is assigned to apps, the
 * `application.user_membership.*` events of the apps the user gains or loses through it.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { emitMembershipChanges, snapshotUsers } from './app-users.js';
import { type EventSource, emitEvent, groupTarget, requestSource, userTarget } from './events.js';
import { renderGroup, requireGroup } from './groups.js';
import { paginate } from './paging.js';
import type { OktaGroup, OktaUser } from './state.js';
import { renderUser, requireUser, requireUserById } from './users.js';
import { type Ctx, jsonResponse, noContent, okta, type Params } from './util.js';

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Add a user to a group (no change when already a member). Returns whether it changed. */
export function addGroupMember(ctx: Ctx, source: EventSource, group: OktaGroup, user: OktaUser): boolean {
  if (group.members.includes(user.id)) return false;
  const state = okta(ctx);
  const before = snapshotUsers(state, [user.id]);
  group.members.push(user.id);
  group.lastMembershipUpdated = ctx.now();
  emitEvent(ctx, source, 'group.user_membership.add', [userTarget(user), groupTarget(group)]);
  emitMembershipChanges(ctx, source, before, snapshotUsers(state, [user.id]));
  return true;
}

/** Remove a user from a group (no change when not a member). Returns whether it changed. */
export function removeGroupMember(ctx: Ctx, source: EventSource, group: OktaGroup, user: OktaUser): boolean {
  const index = group.members.indexOf(user.id);
  if (index < 0) return false;
  const state = okta(ctx);
  const before = snapshotUsers(state, [user.id]);
  group.members.splice(index, 1);
  group.lastMembershipUpdated = ctx.now();
  emitEvent(ctx, source, 'group.user_membership.remove', [userTarget(user), groupTarget(group)]);
  emitMembershipChanges(ctx, source, before, snapshotUsers(state, [user.id]));
  return true;
}

/** GET /groups/{groupId}/users: the members, by id, `limit` (default 1000) + `after` paging. */
export function listGroupUsers(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const group = requireGroup(ctx, params.groupId);
  const state = okta(ctx);
  const users = group.members
    .map((id) => state.users[id])
    .filter((u) => u !== undefined)
    .sort(byId);
  const page = paginate(ctx, req, users, (u) => u.id, { defaultLimit: 1000, maxLimit: 10_000 });
  return jsonResponse(
    ctx,
    200,
    page.items.map((u) => renderUser(ctx, u)),
    { Link: page.links },
  );
}

export function assignUserToGroup(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const group = requireGroup(ctx, params.groupId);
  const user = requireUserById(ctx, params.userId);
  addGroupMember(ctx, requestSource(ctx, req), group, user);
  return noContent(ctx);
}

export function unassignUserFromGroup(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const group = requireGroup(ctx, params.groupId);
  const user = requireUserById(ctx, params.userId);
  removeGroupMember(ctx, requestSource(ctx, req), group, user);
  return noContent(ctx);
}

/** GET /users/{id}/groups: the user's groups, by id. */
export function listUserGroups(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  const user = requireUser(ctx, params.id);
  const groups = Object.values(okta(ctx).groups)
    .filter((g) => g.members.includes(user.id))
    .sort(byId)
    .map((g) => renderGroup(ctx, g));
  return jsonResponse(ctx, 200, groups);
}
