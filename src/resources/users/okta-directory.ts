/**
 * The Okta side of a sync: people with their profile attributes, from paged lists — the members of a
 * group (`GET /groups/{id}/users`, 1,000 a page, profiles included) and the assignees of an app
 * (`GET /apps/{id}/users?expand=user`, 500 a page, each with its app username and its Okta user) — and,
 * for one person an event names, the same facts read one by one.
 */
import type { SsoContext } from '../../core/context.js';
import { isOktaError, oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import { findOktaGroups } from '../okta-groups/ensure.js';

/** An Okta user as a sync reads it. */
export interface OktaPerson {
  /** The Okta user id (`00u…`). */
  id: string;
  /** The lifecycle status (`ACTIVE`, `SUSPENDED`, `DEPROVISIONED`…). */
  status: string;
  /** The login (`profile.login`). */
  login: string;
  /** Every profile attribute (`firstName`, `lastName`, `email`, `department`…). */
  profile: Record<string, unknown>;
}

interface OktaUserJson {
  id?: string;
  status?: string;
  profile?: Record<string, unknown>;
}

function person(json: OktaUserJson | undefined): OktaPerson | undefined {
  if (!json || typeof json.id !== 'string') return undefined;
  const profile = json.profile ?? {};
  const login = typeof profile.login === 'string' ? profile.login : json.id;
  return { id: json.id, status: json.status ?? 'ACTIVE', login, profile };
}

/** The statuses in which a person can sign in, or soon will (activation pending, locked out…). */
const ACTIVE_STATUSES = new Set(['ACTIVE', 'PROVISIONED', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED']);

/** Whether Okta lets this person sign in (now or after activation). `SUSPENDED` is not, for now. */
export function isActiveStatus(status: string): boolean {
  return ACTIVE_STATUSES.has(status);
}

/** The group named `name` (Okta compares group names ignoring case), or `undefined`. */
export async function findGroupByName(
  ctx: SsoContext,
  name: string,
): Promise<{ id: string; name: string } | undefined> {
  const found = await findOktaGroups(ctx, name);
  const exact = found.find((g) => g.profile?.name === name) ?? found[0];
  return exact ? { id: exact.id, name: exact.profile?.name ?? name } : undefined;
}

/** Every item of every page of an Okta list, mapped; items the map refuses (`undefined`) are left out. */
async function listMapped<J, T>(
  ctx: SsoContext,
  operation: string,
  path: string,
  query: Parameters<typeof oktaPages>[3],
  map: (json: J) => T | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of oktaPages<J>(ctx, operation, path, query)) {
    for (const json of page) {
      const item = map(json);
      if (item !== undefined) out.push(item);
    }
  }
  return out;
}

/** Every member of a group, with profiles. */
export async function listGroupPeople(ctx: SsoContext, groupId: string): Promise<OktaPerson[]> {
  return listMapped<OktaUserJson, OktaPerson>(
    ctx,
    'ListGroupUsers',
    `/api/v1/groups/${encodeURIComponent(groupId)}/users`,
    { limit: 1000 },
    person,
  );
}

/** An assignee of an app: its app username (the SAML `RoleSessionName`) and the Okta user. */
export interface AppAssignee {
  /** The Okta user id. */
  id: string;
  /** `credentials.userName`. */
  userName: string | undefined;
  /** The app user's status (`ACTIVE`, `PROVISIONED`…). */
  status: string | undefined;
  /** The Okta user (`_embedded.user`), when Okta embedded it. */
  person: OktaPerson | undefined;
}

interface AppUserJson {
  id?: string;
  status?: string;
  credentials?: { userName?: string };
  _embedded?: { user?: OktaUserJson };
}

function assignee(json: AppUserJson): AppAssignee | undefined {
  if (typeof json.id !== 'string') return undefined;
  return {
    id: json.id,
    userName: typeof json.credentials?.userName === 'string' ? json.credentials.userName : undefined,
    status: json.status,
    person: person(json._embedded?.user),
  };
}

/** Every user assigned to the app (directly or through a group), with its Okta user embedded. */
export async function listAppAssignees(ctx: SsoContext, appId: string): Promise<AppAssignee[]> {
  return listMapped<AppUserJson, AppAssignee>(
    ctx,
    'ListApplicationUsers',
    `/api/v1/apps/${encodeURIComponent(appId)}/users`,
    { limit: 500, expand: 'user' },
    assignee,
  );
}

/** One Okta user by id; `undefined` when it does not exist (deleted). */
export async function getOktaPerson(ctx: SsoContext, userId: string): Promise<OktaPerson | undefined> {
  try {
    const { data } = await oktaRequest<OktaUserJson>(ctx, 'GetUser', {
      method: 'GET',
      path: `/api/v1/users/${encodeURIComponent(userId)}`,
    });
    return person(data);
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) return undefined;
    throw error;
  }
}

/** The names of the groups a user is a member of. */
export async function listPersonGroups(ctx: SsoContext, userId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const page of oktaPages<{ profile?: { name?: string } }>(
    ctx,
    'ListUserGroups',
    `/api/v1/users/${encodeURIComponent(userId)}/groups`,
  )) {
    for (const g of page) if (typeof g.profile?.name === 'string') out.push(g.profile.name);
  }
  return out;
}

/** The user's assignment to an app (its app username), or `undefined` when not assigned. */
export async function getAppAssignee(
  ctx: SsoContext,
  appId: string,
  userId: string,
): Promise<AppAssignee | undefined> {
  try {
    const { data } = await oktaRequest<AppUserJson>(ctx, 'GetApplicationUser', {
      method: 'GET',
      path: `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`,
    });
    return assignee(data);
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) return undefined;
    throw error;
  }
}

/**
 * The app username Okta's built-in username templates give a person (`${source.login}`, the default;
 * `${source.email}`; the part before `@` of either), or `undefined` for a custom expression.
 */
export function appUserNameFor(
  template: string | undefined,
  profile: Record<string, unknown>,
): string | undefined {
  const compact = (template ?? '${source.login}').replace(/\s+/g, '').replace(/\\"/g, '"').replace(/'/g, '"');
  const pick = (key: string) => (typeof profile[key] === 'string' ? (profile[key] as string) : undefined);
  const before = (value: string | undefined) =>
    value === undefined ? undefined : (value.split('@')[0] ?? value);
  switch (compact) {
    case '${source.login}':
      return pick('login');
    case '${source.email}':
      return pick('email');
    case '${fn:substringBefore(source.login,"@")}':
      return before(pick('login'));
    case '${fn:substringBefore(source.email,"@")}':
      return before(pick('email'));
    default:
      return undefined;
  }
}
