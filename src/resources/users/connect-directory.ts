/**
 * The Connect users of an instance as a sync sees them: every user with its names, profiles, hierarchy
 * group and tags, read in pages; the same for the few users one Okta event concerns; and the writes a
 * sync makes (create with tags, names, profiles, hierarchy group, tags, delete).
 *
 * A bulk read costs `ListUsers` (1,000 a page: the users table itself, which is the truth about who
 * exists) plus `SearchUsers` (500 a page: names, profiles, hierarchy group and tags). `SearchUsers` is
 * backed by an index that can lag behind `CreateUser`; a user `ListUsers` shows and the search does not
 * is read with `DescribeUser`.
 *
 * Every call goes through the caller's `pace` (the {@link ConnectPacer} of the account and region).
 */
import {
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  ListUsersCommand,
  SearchUsersCommand,
  type SearchUsersCommandInput,
  TagResourceCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type UserSearchSummary,
} from '@aws-sdk/client-connect';
import type { ConnectPhoneType } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { ProviderError } from '../../core/errors.js';
import { awsCall, nextToken } from '../../providers/aws/call.js';

/** The tag on a Connect user that names the Okta user it stands for (`00u…`): how renames are recognised. */
export const OKTA_USER_ID_TAG = 'connect-okta-sso:okta-user-id';

/** Runs one Connect call at the pace of its operation (see `ConnectPacer.run`). */
export type ConnectPace = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

/** A Connect user with what a sync compares. */
export interface ConnectUserRecord {
  /** The user id. */
  id: string;
  /** The user ARN. */
  arn: string;
  /** The username (case-sensitive). */
  username: string;
  /** First name, as Connect holds it. */
  firstName: string | undefined;
  /** Last name, as Connect holds it. */
  lastName: string | undefined;
  /**
   * The secondary e-mail, when it was read (`DescribeUser`); `undefined` when not read (`SearchUsers`
   * does not return it).
   */
  secondaryEmail?: string | null;
  /** The mobile number, when it was read (`DescribeUser`); `undefined` when not read. */
  mobile?: string | null;
  /** The security profile ids. */
  securityProfileIds: string[];
  /** The routing profile id. */
  routingProfileId: string | undefined;
  /** The agent hierarchy group id, if any. */
  hierarchyGroupId: string | undefined;
  /** The user's tags. */
  tags: Record<string, string>;
}

function fromSearch(u: UserSearchSummary): ConnectUserRecord | undefined {
  if (!u.Id || u.Username === undefined) return undefined;
  return {
    id: u.Id,
    arn: u.Arn ?? '',
    username: u.Username,
    firstName: u.IdentityInfo?.FirstName,
    lastName: u.IdentityInfo?.LastName,
    securityProfileIds: u.SecurityProfileIds ?? [],
    routingProfileId: u.RoutingProfileId,
    hierarchyGroupId: u.HierarchyGroupId,
    tags: { ...(u.Tags ?? {}) },
  };
}

/** One user by id (`DescribeUser`), with its secondary e-mail. `undefined` when it does not exist. */
export async function describeConnectUser(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  pace: ConnectPace,
): Promise<ConnectUserRecord | undefined> {
  try {
    const { User } = await pace('DescribeUser', () =>
      awsCall(ctx, 'connect', 'DescribeUser', (o) =>
        ctx.connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }), o),
      ),
    );
    if (!User?.Id || User.Username === undefined) return undefined;
    return {
      id: User.Id,
      arn: User.Arn ?? '',
      username: User.Username,
      firstName: User.IdentityInfo?.FirstName,
      lastName: User.IdentityInfo?.LastName,
      secondaryEmail: User.IdentityInfo?.SecondaryEmail ?? null,
      mobile: User.IdentityInfo?.Mobile ?? null,
      securityProfileIds: User.SecurityProfileIds ?? [],
      routingProfileId: User.RoutingProfileId,
      hierarchyGroupId: User.HierarchyGroupId,
      tags: { ...(User.Tags ?? {}) },
    };
  } catch (error) {
    if (error instanceof ProviderError && error.providerCode === 'ResourceNotFoundException')
      return undefined;
    throw error;
  }
}

async function searchAll(
  ctx: SsoContext,
  input: Omit<SearchUsersCommandInput, 'NextToken' | 'MaxResults'>,
  pace: ConnectPace,
): Promise<ConnectUserRecord[]> {
  const out: ConnectUserRecord[] = [];
  let token: string | undefined;
  do {
    const page = await pace('SearchUsers', () =>
      awsCall(ctx, 'connect', 'SearchUsers', (o) =>
        ctx.connect.send(
          new SearchUsersCommand({ ...input, MaxResults: 500, ...(token ? { NextToken: token } : {}) }),
          o,
        ),
      ),
    );
    for (const u of page.Users ?? []) {
      const record = fromSearch(u);
      if (record) out.push(record);
    }
    token = nextToken(page);
  } while (token);
  return out;
}

/**
 * Every user of the instance with its names, profiles, hierarchy group and tags: `ListUsers` and
 * `SearchUsers` in pages, and `DescribeUser` only for users the search index does not show yet.
 */
export async function readAllConnectUsers(
  ctx: SsoContext,
  instanceId: string,
  pace: ConnectPace,
): Promise<ConnectUserRecord[]> {
  const listed = new Map<string, string>();
  const listing = (async () => {
    let token: string | undefined;
    do {
      const page = await pace('ListUsers', () =>
        awsCall(ctx, 'connect', 'ListUsers', (o) =>
          ctx.connect.send(
            new ListUsersCommand({
              InstanceId: instanceId,
              MaxResults: 1000,
              ...(token ? { NextToken: token } : {}),
            }),
            o,
          ),
        ),
      );
      for (const u of page.UserSummaryList ?? [])
        if (u.Id && u.Username !== undefined) listed.set(u.Id, u.Username);
      token = nextToken(page);
    } while (token);
  })();
  const [, searched] = await Promise.all([listing, searchAll(ctx, { InstanceId: instanceId }, pace)]);
  const byId = new Map(searched.map((u) => [u.id, u]));
  const out: ConnectUserRecord[] = [];
  for (const [id, username] of listed) {
    const found = byId.get(id);
    if (found) {
      out.push(found);
      continue;
    }
    // Created since the search index was last updated: read it directly.
    const described = await describeConnectUser(ctx, instanceId, id, pace);
    if (described) out.push(described);
    else ctx.logger.debug(`connect user ${username} vanished while it was read`, { instanceId, userId: id });
  }
  return out;
}

/**
 * The users one Okta user concerns: those tagged with its id (any username: a rename leaves one behind),
 * and those whose username is one of `usernames` ignoring case (a case variant blocks a creation) —
 * each read with `DescribeUser` (names and e-mail).
 */
export async function readConnectUsersFor(
  ctx: SsoContext,
  instanceId: string,
  query: { oktaUserId: string; usernames: readonly string[] },
  pace: ConnectPace,
): Promise<ConnectUserRecord[]> {
  const found = new Map<string, ConnectUserRecord>();
  const tagged = await searchAll(
    ctx,
    {
      InstanceId: instanceId,
      SearchFilter: { TagFilter: { TagCondition: { TagKey: OKTA_USER_ID_TAG, TagValue: query.oktaUserId } } },
    },
    pace,
  );
  for (const u of tagged) found.set(u.id, u);
  for (const username of new Set(query.usernames)) {
    // STARTS_WITH finds the exact username, and its case variants where the search ignores case.
    const hits = await searchAll(
      ctx,
      {
        InstanceId: instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'STARTS_WITH' },
        },
      },
      pace,
    );
    for (const u of hits) if (u.username.toLowerCase() === username.toLowerCase()) found.set(u.id, u);
  }
  const out: ConnectUserRecord[] = [];
  for (const u of found.values()) {
    // The search shows no e-mail: read each user whole (a handful per event).
    out.push((await describeConnectUser(ctx, instanceId, u.id, pace)) ?? u);
  }
  return out;
}

/** What a new Connect user gets. */
export interface NewConnectUser {
  /** Exactly the Okta app username. */
  username: string;
  /** First name (required by SAML instances). */
  firstName: string;
  /** Last name (required by SAML instances). */
  lastName: string;
  /** `SecondaryEmail` (SAML instances refuse `Email`), if any. */
  secondaryEmail: string | undefined;
  /** The phone. */
  phoneType: ConnectPhoneType;
  /** With `DESK_PHONE`. */
  deskPhoneNumber: string | undefined;
  /** Security profile ids (1–10). */
  securityProfileIds: string[];
  /** Routing profile id. */
  routingProfileId: string;
  /** Hierarchy group id, if any. */
  hierarchyGroupId: string | undefined;
  /** Tags: the ownership tags and {@link OKTA_USER_ID_TAG}. */
  tags: Record<string, string>;
}

/** `CreateUser` on a SAML instance: no password, no `Email`. */
export async function createConnectUserRecord(
  ctx: SsoContext,
  instanceId: string,
  user: NewConnectUser,
  pace: ConnectPace,
): Promise<{ id: string; arn: string }> {
  const created = await pace('CreateUser', () =>
    awsCall(ctx, 'connect', 'CreateUser', (o) =>
      ctx.connect.send(
        new CreateUserCommand({
          InstanceId: instanceId,
          Username: user.username,
          IdentityInfo: {
            FirstName: user.firstName,
            LastName: user.lastName,
            ...(user.secondaryEmail !== undefined ? { SecondaryEmail: user.secondaryEmail } : {}),
          },
          PhoneConfig: {
            PhoneType: user.phoneType,
            ...(user.deskPhoneNumber !== undefined ? { DeskPhoneNumber: user.deskPhoneNumber } : {}),
          },
          SecurityProfileIds: user.securityProfileIds,
          RoutingProfileId: user.routingProfileId,
          ...(user.hierarchyGroupId !== undefined ? { HierarchyGroupId: user.hierarchyGroupId } : {}),
          Tags: user.tags,
        }),
        o,
      ),
    ),
  );
  if (!created.UserId || !created.UserArn) {
    throw new ProviderError({
      service: 'connect',
      operation: 'CreateUser',
      message: 'the response has no UserId or UserArn',
    });
  }
  ctx.logger.info(`created connect user ${user.username}`, { instanceId, userId: created.UserId });
  return { id: created.UserId, arn: created.UserArn };
}

/** `UpdateUserIdentityInfo`: it replaces the whole identity, so pass every field to keep. */
export async function updateConnectUserIdentity(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  identity: {
    firstName: string;
    lastName: string;
    secondaryEmail: string | undefined;
    mobile?: string | undefined;
  },
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserIdentityInfo', () =>
    awsCall(ctx, 'connect', 'UpdateUserIdentityInfo', (o) =>
      ctx.connect.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: instanceId,
          UserId: userId,
          IdentityInfo: {
            FirstName: identity.firstName,
            LastName: identity.lastName,
            ...(identity.secondaryEmail !== undefined ? { SecondaryEmail: identity.secondaryEmail } : {}),
            ...(identity.mobile !== undefined ? { Mobile: identity.mobile } : {}),
          },
        }),
        o,
      ),
    ),
  );
}

/** The mobile number of a user, read before an identity update replaces it (`DescribeUser`). */
export async function readConnectUserMobile(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  pace: ConnectPace,
): Promise<string | undefined> {
  const { User } = await pace('DescribeUser', () =>
    awsCall(ctx, 'connect', 'DescribeUser', (o) =>
      ctx.connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }), o),
    ),
  );
  return User?.IdentityInfo?.Mobile;
}

/** `UpdateUserSecurityProfiles` (1–10 ids). */
export async function updateConnectUserSecurityProfiles(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  securityProfileIds: string[],
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserSecurityProfiles', () =>
    awsCall(ctx, 'connect', 'UpdateUserSecurityProfiles', (o) =>
      ctx.connect.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: instanceId,
          UserId: userId,
          SecurityProfileIds: securityProfileIds,
        }),
        o,
      ),
    ),
  );
}

/** `UpdateUserRoutingProfile`. */
export async function updateConnectUserRoutingProfile(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  routingProfileId: string,
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserRoutingProfile', () =>
    awsCall(ctx, 'connect', 'UpdateUserRoutingProfile', (o) =>
      ctx.connect.send(
        new UpdateUserRoutingProfileCommand({
          InstanceId: instanceId,
          UserId: userId,
          RoutingProfileId: routingProfileId,
        }),
        o,
      ),
    ),
  );
}

/** `UpdateUserHierarchy`; without a group id the user leaves its hierarchy group. */
export async function updateConnectUserHierarchy(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  hierarchyGroupId: string | undefined,
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserHierarchy', () =>
    awsCall(ctx, 'connect', 'UpdateUserHierarchy', (o) =>
      ctx.connect.send(
        new UpdateUserHierarchyCommand({
          InstanceId: instanceId,
          UserId: userId,
          ...(hierarchyGroupId !== undefined ? { HierarchyGroupId: hierarchyGroupId } : {}),
        }),
        o,
      ),
    ),
  );
}

/** `TagResource` on a user (adds or replaces these tags). */
export async function tagConnectUser(
  ctx: SsoContext,
  userArn: string,
  tags: Record<string, string>,
  pace: ConnectPace,
): Promise<void> {
  await pace('TagResource', () =>
    awsCall(ctx, 'connect', 'TagResource', (o) =>
      ctx.connect.send(new TagResourceCommand({ resourceArn: userArn, tags }), o),
    ),
  );
}

/** `DeleteUser`. A user already gone is not an error. */
export async function deleteConnectUserRecord(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  pace: ConnectPace,
): Promise<void> {
  try {
    await pace('DeleteUser', () =>
      awsCall(ctx, 'connect', 'DeleteUser', (o) =>
        ctx.connect.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: userId }), o),
      ),
    );
  } catch (error) {
    if (error instanceof ProviderError && error.providerCode === 'ResourceNotFoundException') return;
    throw error;
  }
}

/** `CreateSecurityProfile` without permissions (what `offboard: strip` leaves users with). */
export async function createNoAccessSecurityProfile(
  ctx: SsoContext,
  instanceId: string,
  name: string,
  tags: Record<string, string>,
  pace: ConnectPace,
): Promise<string> {
  const created = await pace('CreateSecurityProfile', () =>
    awsCall(ctx, 'connect', 'CreateSecurityProfile', (o) =>
      ctx.connect.send(
        new CreateSecurityProfileCommand({
          InstanceId: instanceId,
          SecurityProfileName: name,
          Description: 'No permissions: the profile connect-okta-sso leaves offboarded users with.',
          Permissions: [],
          Tags: tags,
        }),
        o,
      ),
    ),
  );
  if (!created.SecurityProfileId) {
    throw new ProviderError({
      service: 'connect',
      operation: 'CreateSecurityProfile',
      message: 'the response has no SecurityProfileId',
    });
  }
  ctx.logger.info(`created connect security profile ${name}`, { instanceId });
  return created.SecurityProfileId;
}
