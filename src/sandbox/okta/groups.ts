/**
 * `/api/v1/groups`: Okta groups (type `OKTA_GROUP`). Groups matter to the SSO flow's alternative to API
 * integration: the AWS app's group mapping derives the SAML role from group names. Their members are in
 * ./memberships.ts.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { emitMembershipChanges, snapshotUsers } from './app-users.js';
import { blankField, notFound, validationFailed } from './errors.js';
import { type EventSource, emitEvent, groupTarget, requestSource } from './events.js';
import { ALL_OPERATORS, type FilterRules, matchesList, parseListExpressions } from './filter.js';
import { paginate } from './paging.js';
import type { JsonObject, OktaGroup } from './state.js';
import {
  type Ctx,
  clone,
  href,
  isObject,
  iso,
  jsonResponse,
  newId,
  noContent,
  okta,
  type Params,
  readJsonBody,
  startsWithCi,
} from './util.js';

export function renderGroup(ctx: Ctx, group: OktaGroup): JsonObject {
  return {
    id: group.id,
    created: iso(group.created),
    lastUpdated: iso(group.lastUpdated),
    lastMembershipUpdated: iso(group.lastMembershipUpdated),
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: clone(group.profile),
    _links: {
      users: href(ctx, `/api/v1/groups/${group.id}/users`),
      apps: href(ctx, `/api/v1/groups/${group.id}/apps`),
    },
  };
}

export function requireGroup(ctx: Ctx, groupId: string): OktaGroup {
  const groups = okta(ctx).groups;
  const group = Object.hasOwn(groups, groupId) ? groups[groupId] : undefined;
  if (!group) throw notFound(groupId, 'UserGroup');
  return group;
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function createGroup(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const body = readJsonBody(req) ?? {};
  const profile = isObject(body.profile) ? body.profile : {};
  const group = createGroupRecord(ctx, requestSource(ctx, req), profile);
  return jsonResponse(ctx, 200, renderGroup(ctx, group));
}

/** Validate and store a new group (POST /api/v1/groups and the `createOktaGroup` back door). */
export function createGroupRecord(ctx: Ctx, source: EventSource, profile: JsonObject): OktaGroup {
  const name = profile.name;
  if (typeof name !== 'string' || name.trim() === '') throw blankField('name');
  const description = profile.description;
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw validationFailed('description', 'description: Does not match required type string.');
  }
  const state = okta(ctx);
  if (Object.values(state.groups).some((g) => String(g.profile.name).toLowerCase() === name.toLowerCase())) {
    throw validationFailed(
      'name',
      'name: An object with this field already exists in the current organization',
    );
  }
  const now = ctx.now();
  const group: OktaGroup = {
    id: newId(ctx, '00g'),
    created: now,
    lastUpdated: now,
    lastMembershipUpdated: now,
    profile: { ...clone(profile), name, description: description ?? null },
    members: [],
  };
  state.groups[group.id] = group;
  emitEvent(ctx, source, 'group.lifecycle.create', [groupTarget(group)]);
  return group;
}

const GROUP_FILTER: FilterRules = {
  attributes: ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'],
  operators: ['eq', 'gt', 'ge', 'lt', 'le'],
  logical: true,
};

const GROUP_SEARCH: FilterRules = {
  attributes: ['id', 'type', 'created', 'lastUpdated', 'lastMembershipUpdated', 'profile.*'],
  operators: ALL_OPERATORS,
  logical: true,
};

export function listGroups(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const q = req.query.get('q');
  const expressions = parseListExpressions(req.query, GROUP_FILTER, GROUP_SEARCH);
  const all = Object.values(okta(ctx).groups)
    .sort(byId)
    .map((group) => renderGroup(ctx, group))
    .filter((group) => !q || startsWithCi((group.profile as JsonObject).name, q))
    .filter((group) => matchesList(expressions, group));
  const page = paginate(ctx, req, all, (g) => g.id as string, {
    defaultLimit: q ? 300 : 10_000,
    maxLimit: 10_000,
  });
  return jsonResponse(ctx, 200, page.items, { Link: page.links });
}

export function getGroup(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  return jsonResponse(ctx, 200, renderGroup(ctx, requireGroup(ctx, params.groupId)));
}

export function deleteGroup(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const group = requireGroup(ctx, params.groupId);
  const state = okta(ctx);
  const source = requestSource(ctx, req);
  // Members lose the apps they had through this group only.
  const before = snapshotUsers(state, group.members);
  delete state.groups[group.id];
  for (const assignments of Object.values(state.appGroups)) delete assignments[group.id];
  emitEvent(ctx, source, 'group.lifecycle.delete', [groupTarget(group)]);
  emitMembershipChanges(ctx, source, before, snapshotUsers(state, group.members));
  return noContent(ctx);
}
