/**
 * Reads of Connect users by username: the whole instance indexed by username (`ListUsers`), their
 * profiles in bulk (`SearchUsers`) or one by one (`DescribeUser`), and the lookup of one username with
 * its case variants. Connect usernames are case-sensitive, so a user spelled differently from the Okta
 * app username is a conflict, not a match.
 */
import type { SsoContext } from '../../core/context.js';
import { ConflictError } from '../../core/errors.js';
import { send, sendPages } from '../../providers/aws/send.js';

/** What a lookup of a username found: the exact user, and users whose username differs only in case. */
export interface KnownConnectUser {
  user: ConnectUserState | undefined;
  caseVariants: string[];
}

/** The state of a Connect user that this module compares. */
export interface ConnectUserState {
  id: string;
  arn: string;
  username: string;
  securityProfileIds: string[];
  routingProfileId: string | undefined;
  /** The hierarchy group id, when known (`undefined`: none, or not read). */
  hierarchyGroupId?: string | undefined;
}

/** A Connect user as `ListUsers` shows it. */
export interface ConnectUserSummary {
  id: string;
  arn: string;
  username: string;
}

/** Every user of an instance by exact username, and by lower-cased username (to find case variants). */
export interface ConnectUserIndex {
  /** Users by their exact (case-sensitive) username. */
  byUsername: Map<string, ConnectUserSummary>;
  /** Usernames by their lower-cased form. */
  byLowerUsername: Map<string, string[]>;
}

/** Add a user to an index (after creating it). */
export function indexConnectUser(index: ConnectUserIndex, user: ConnectUserSummary): void {
  index.byUsername.set(user.username, user);
  const lower = user.username.toLowerCase();
  const same = index.byLowerUsername.get(lower);
  if (!same) index.byLowerUsername.set(lower, [user.username]);
  else if (!same.includes(user.username)) same.push(user.username);
}

/** The usernames of the index that differ from `username` only in case. */
export function caseVariantsOf(index: ConnectUserIndex, username: string): string[] {
  return (index.byLowerUsername.get(username.toLowerCase()) ?? []).filter((u) => u !== username);
}

/**
 * Every user of the instance (`ListUsers`, 1,000 a page), indexed by username: what a reconciliation of
 * many users reads instead of one lookup per user. `ListUsers` reads the users table itself (unlike
 * `SearchUsers`, whose index can lag behind `CreateUser`).
 */
export async function listConnectUsers(ctx: SsoContext, instanceId: string): Promise<ConnectUserIndex> {
  const index: ConnectUserIndex = { byUsername: new Map(), byLowerUsername: new Map() };
  const pages = sendPages(ctx, 'connect', 'ListUsers', { InstanceId: instanceId, MaxResults: 1000 });
  for await (const page of pages) {
    for (const u of page.UserSummaryList ?? []) {
      if (u.Id && u.Username !== undefined) {
        indexConnectUser(index, { id: u.Id, arn: u.Arn ?? '', username: u.Username });
      }
    }
  }
  return index;
}

/** The profiles of a Connect user. */
export interface ConnectUserProfiles {
  securityProfileIds: string[];
  routingProfileId: string | undefined;
  hierarchyGroupId?: string | undefined;
}

/**
 * The profiles of every user of the instance, by user id: `SearchUsers` without criteria, 500 a page.
 * Its index can lag behind `CreateUser` and the profile updates: a user missing here is read with
 * {@link describeConnectUserProfiles}.
 */
export async function searchConnectUserProfiles(
  ctx: SsoContext,
  instanceId: string,
): Promise<Map<string, ConnectUserProfiles>> {
  const out = new Map<string, ConnectUserProfiles>();
  const pages = sendPages(ctx, 'connect', 'SearchUsers', { InstanceId: instanceId, MaxResults: 500 });
  for await (const page of pages) {
    for (const u of page.Users ?? []) {
      if (u.Id) {
        out.set(u.Id, {
          securityProfileIds: u.SecurityProfileIds ?? [],
          routingProfileId: u.RoutingProfileId,
          hierarchyGroupId: u.HierarchyGroupId,
        });
      }
    }
  }
  return out;
}

/** The profiles of one Connect user (`DescribeUser`). */
export async function describeConnectUserProfiles(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
): Promise<ConnectUserProfiles & { arn: string | undefined }> {
  const { User } = await send(ctx, 'connect', 'DescribeUser', { InstanceId: instanceId, UserId: userId });
  return {
    arn: User?.Arn,
    securityProfileIds: User?.SecurityProfileIds ?? [],
    routingProfileId: User?.RoutingProfileId,
    hierarchyGroupId: User?.HierarchyGroupId,
  };
}

/**
 * The {@link ConflictError} of a Connect user whose username differs from the Okta app username only in
 * case (Connect usernames are case-sensitive, even with SAML).
 */
export function caseConflictError(username: string, variant: string): ConflictError {
  return new ConflictError(
    `connect user ${username}`,
    `Connect user '${variant}' exists, but the Okta app username is '${username}'. Amazon Connect usernames are case-sensitive, even with SAML: the username must equal the Okta app username (the SAML RoleSessionName) exactly, or sign-in fails after a successful Okta login. Either delete the Connect user '${variant}' and run again (a user '${username}' is then created), or change the user's app username in Okta (Applications → the app → Assignments → edit → User Name) to '${variant}'.`,
  );
}

/**
 * Find the Connect user with exactly this username, and the users whose username differs only in case.
 * `SearchUsers` (Username EXACT) is the fast path; it is backed by a search index that can lag behind
 * `CreateUser`, so when it finds nothing `ListUsers` (every page) decides, and also reveals case variants.
 */
export async function findConnectUser(
  ctx: SsoContext,
  instanceId: string,
  username: string,
): Promise<{ user: ConnectUserState | undefined; caseVariants: string[] }> {
  const search = await send(ctx, 'connect', 'SearchUsers', {
    InstanceId: instanceId,
    SearchCriteria: {
      StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' },
    },
  });
  const hit = search.Users?.find((u) => u.Username === username);
  if (hit?.Id && hit.Arn) {
    return {
      user: {
        id: hit.Id,
        arn: hit.Arn,
        username,
        securityProfileIds: hit.SecurityProfileIds ?? [],
        routingProfileId: hit.RoutingProfileId,
        hierarchyGroupId: hit.HierarchyGroupId,
      },
      caseVariants: [],
    };
  }
  const index = await listConnectUsers(ctx, instanceId);
  const exactId = index.byUsername.get(username)?.id;
  const caseVariants = caseVariantsOf(index, username);
  if (!exactId) return { user: undefined, caseVariants };
  const { arn, ...userProfiles } = await describeConnectUserProfiles(ctx, instanceId, exactId);
  return { user: { id: exactId, arn: arn ?? '', username, ...userProfiles }, caseVariants };
}
