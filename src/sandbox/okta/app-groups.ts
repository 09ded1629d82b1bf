/**
 * `/api/v1/apps/{appId}/groups`: group assignments (`priority`, `profile`). Members of an assigned group
 * become `scope: GROUP` app users (see `effectiveAppUsers`).
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { emitMembershipChanges, snapshotApp, validateRoles } from './app-users.js';
import { requireApp } from './apps.js';
import { notFound, validationFailed } from './errors.js';
import { requestSource } from './events.js';
import { renderGroup, requireGroup } from './groups.js';
import { paginate } from './paging.js';
import type { JsonObject, OktaApp, OktaAppGroup } from './state.js';
import {
  type Ctx,
  clone,
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

function renderAssignment(ctx: Ctx, app: OktaApp, assignment: OktaAppGroup): JsonObject {
  return {
    id: assignment.groupId,
    lastUpdated: iso(assignment.lastUpdated),
    priority: assignment.priority,
    profile: clone(assignment.profile),
    _links: {
      app: href(ctx, `/api/v1/apps/${app.id}`),
      self: href(ctx, `/api/v1/apps/${app.id}/groups/${assignment.groupId}`),
      group: href(ctx, `/api/v1/groups/${assignment.groupId}`),
    },
  };
}

function withGroup(ctx: Ctx, rendered: JsonObject, groupId: string, expand: string | null): JsonObject {
  const group = okta(ctx).groups[groupId];
  if (expand === 'group' && group) rendered._embedded = { group: renderGroup(ctx, group) };
  return rendered;
}

export function assignGroupToApplication(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const group = requireGroup(ctx, params.groupId);
  const body = readJsonBody(req) ?? {};
  const priority = body.priority;
  if (
    priority !== undefined &&
    priority !== null &&
    (!Number.isInteger(priority) || (priority as number) < 0)
  ) {
    throw validationFailed('priority', 'priority: Does not match required type integer.');
  }
  const profile = body.profile;
  if (profile !== undefined && profile !== null && !isObject(profile)) {
    throw validationFailed('profile', 'profile: Does not match required type object.');
  }
  const given = isObject(profile) ? clone(profile) : {};
  validateRoles(app, given);
  const state = okta(ctx);
  const before = snapshotApp(state, app);
  const assignments = state.appGroups[app.id] ?? {};
  state.appGroups[app.id] = assignments;
  const existing = assignments[group.id];
  const others = Object.values(assignments).filter((a) => a.groupId !== group.id);
  const nextPriority = others.reduce((max, a) => Math.max(max, a.priority + 1), 0);
  const now = ctx.now();
  const assignment: OktaAppGroup = {
    groupId: group.id,
    created: existing?.created ?? now,
    lastUpdated: now,
    priority: typeof priority === 'number' ? priority : (existing?.priority ?? nextPriority),
    profile: given,
  };
  assignments[group.id] = assignment;
  emitMembershipChanges(ctx, requestSource(ctx, req), before, snapshotApp(state, app));
  return jsonResponse(ctx, 200, renderAssignment(ctx, app, assignment));
}

export function listApplicationGroupAssignments(
  ctx: Ctx,
  req: SandboxRequest,
  params: Params,
): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const state = okta(ctx);
  const q = req.query.get('q');
  const all = Object.values(state.appGroups[app.id] ?? {})
    .filter((a) => !q || startsWithCi(state.groups[a.groupId]?.profile.name, q))
    .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  const page = paginate(ctx, req, all, (a) => a.groupId, { defaultLimit: 20, minLimit: 20, maxLimit: 200 });
  const expand = req.query.get('expand');
  const items = page.items.map((a) => withGroup(ctx, renderAssignment(ctx, app, a), a.groupId, expand));
  return jsonResponse(ctx, 200, items, { Link: page.links });
}

function requireAssignment(ctx: Ctx, app: OktaApp, groupId: string): OktaAppGroup {
  const assignment = okta(ctx).appGroups[app.id]?.[groupId];
  if (!assignment) throw notFound(groupId, 'ApplicationGroupAssignment');
  return assignment;
}

export function getApplicationGroupAssignment(
  ctx: Ctx,
  req: SandboxRequest,
  params: Params,
): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const assignment = requireAssignment(ctx, app, params.groupId);
  const rendered = renderAssignment(ctx, app, assignment);
  return jsonResponse(ctx, 200, withGroup(ctx, rendered, assignment.groupId, req.query.get('expand')));
}

export function unassignApplicationFromGroup(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const app = requireApp(ctx, params.appId);
  const assignment = requireAssignment(ctx, app, params.groupId);
  const state = okta(ctx);
  const before = snapshotApp(state, app);
  delete state.appGroups[app.id]?.[assignment.groupId];
  emitMembershipChanges(ctx, requestSource(ctx, req), before, snapshotApp(state, app));
  return noContent(ctx);
}
