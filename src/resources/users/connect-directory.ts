/**
 * The Connect users of an instance as a sync sees them: every user with its names, profiles, hierarchy
 * group and tags, read in pages; and the same for the few users one Okta event concerns. The writes are
 * in connect-writes.ts.
 *
 * A bulk read costs `ListUsers` (1,000 a page: the users table itself, which is the truth about who
 * exists) plus `SearchUsers` (500 a page: names, profiles, hierarchy group and tags). `SearchUsers` is
 * backed by an index that can lag behind `CreateUser`; a user `ListUsers` shows and the search does not
 * is read with `DescribeUser`.
 *
 * Every call goes through the caller's `pace` (the {@link ConnectPacer} of the account and region).
 */
import type { SearchUsersCommandInput, UserSearchSummary } from '@aws-sdk/client-connect';
import type { SsoContext } from '../../core/context.js';
import { ProviderError } from '../../core/errors.js';
import { nextToken } from '../../providers/aws/call.js';
import { send } from '../../providers/aws/send.js';

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

/** A user as `SearchUsers` and `DescribeUser` show it (the fields both have). */
type UserFields = Pick<
  UserSearchSummary,
  'Id' | 'Arn' | 'Username' | 'SecurityProfileIds' | 'RoutingProfileId' | 'HierarchyGroupId' | 'Tags'
> & { IdentityInfo?: { FirstName?: string | undefined; LastName?: string | undefined } | undefined };

function toRecord(
  u: UserFields,
  read: Pick<ConnectUserRecord, 'secondaryEmail' | 'mobile'> = {},
): ConnectUserRecord | undefined {
  if (!u.Id || u.Username === undefined) return undefined;
  return {
    id: u.Id,
    arn: u.Arn ?? '',
    username: u.Username,
    firstName: u.IdentityInfo?.FirstName,
    lastName: u.IdentityInfo?.LastName,
    ...read,
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
      send(ctx, 'connect', 'DescribeUser', { InstanceId: instanceId, UserId: userId }),
    );
    if (!User) return undefined;
    return toRecord(User, {
      secondaryEmail: User.IdentityInfo?.SecondaryEmail ?? null,
      mobile: User.IdentityInfo?.Mobile ?? null,
    });
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
      send(ctx, 'connect', 'SearchUsers', {
        ...input,
        MaxResults: 500,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const u of page.Users ?? []) {
      const record = toRecord(u);
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
        send(ctx, 'connect', 'ListUsers', {
          InstanceId: instanceId,
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
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
