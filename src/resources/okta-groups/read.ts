/** The one place that finds Okta groups by name and reads their members. */
import type { SsoContext } from '../../core/context.js';
import { oktaPages } from '../../providers/okta/transport.js';

/** An Okta group as the API returns it (only what this module reads). */
export interface OktaGroupJson {
  id: string;
  /** `OKTA_GROUP` for groups made in Okta; `APP_GROUP` for groups imported from a directory. */
  type?: string;
  profile?: { name?: string; description?: string | null };
}

/**
 * The groups whose name equals `name` ignoring case (Okta keeps group names unique that way). `q` is a
 * case-insensitive prefix search on the name, so the list is compared here.
 */
export async function findOktaGroups(ctx: SsoContext, name: string): Promise<OktaGroupJson[]> {
  const wanted = name.toLowerCase();
  const found: OktaGroupJson[] = [];
  for await (const page of oktaPages<OktaGroupJson>(ctx, 'ListGroups', '/api/v1/groups', {
    q: name,
    limit: GROUP_LIST_PAGE,
  })) {
    for (const group of page) if (group.profile?.name?.toLowerCase() === wanted) found.push(group);
  }
  return found;
}

/** The members of a group, read once (`GET /api/v1/groups/{id}/users`, 1,000 a page). */
export interface OktaGroupMembers {
  /** Okta user ids of the members. */
  ids: Set<string>;
  /** Members by lower-cased login (Okta logins are case-insensitive). */
  byLogin: Map<string, { id: string; login: string }>;
}

/** Every member of the group, from paged list calls (not one call per user). */
export async function listGroupMembers(ctx: SsoContext, groupId: string): Promise<OktaGroupMembers> {
  const members: OktaGroupMembers = { ids: new Set(), byLogin: new Map() };
  for await (const page of oktaPages<{ id: string; profile?: { login?: string } }>(
    ctx,
    'ListGroupUsers',
    `/api/v1/groups/${encodeURIComponent(groupId)}/users`,
    { limit: GROUP_MEMBERS_PAGE },
  )) {
    for (const user of page) {
      members.ids.add(user.id);
      const login = user.profile?.login;
      if (typeof login === 'string') members.byLogin.set(login.toLowerCase(), { id: user.id, login });
    }
  }
  return members;
}

export const GROUP_LIST_PAGE = 200;

export const GROUP_MEMBERS_PAGE = 1000;
