/**
 * Guide step 9, Connect side: the Connect user whose username is exactly the Okta app username (the
 * SAML `RoleSessionName`). Connect matches the federated session to a user by that exact,
 * case-sensitive username: `Jane.Doe@acme.com` and `jane.doe@acme.com` are two users, and a Connect user
 * spelled differently from the Okta app username is the classic reason why sign-in fails after a
 * successful SAML login. Security and routing profiles are given by name and resolved to ids here.
 */
import {
  CreateUserCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUsersCommand,
  SearchUsersCommand,
  UpdateUserHierarchyCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import type { ConnectPhoneType } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import { awsCall, awsPages, isAwsError, nextToken } from '../../providers/aws/call.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';

export type { ConnectPhoneType };

/** A profile of the instance, by id and name. */
export interface NamedProfile {
  id: string;
  name: string;
}

/** Security and routing profiles resolved from names, plus every name of the instance (to describe drift). */
export interface ResolvedConnectProfiles {
  securityProfiles: NamedProfile[];
  routingProfile: NamedProfile;
  /** Name of every security profile of the instance, by id. */
  securityProfileNames: ReadonlyMap<string, string>;
  /** Name of every routing profile of the instance, by id. */
  routingProfileNames: ReadonlyMap<string, string>;
}

/** The Connect user a step wants. */
export interface ConnectUserSpec {
  instanceId: string;
  /** Exactly the Okta app username; `undefined` only in a dry run where Okta has not chosen it yet. */
  username: string | undefined;
  firstName: string;
  lastName: string;
  phoneType: ConnectPhoneType;
  deskPhoneNumber?: string | undefined;
  profiles: ResolvedConnectProfiles;
  /** Repair the security profiles of an existing user (they were given explicitly). */
  manageSecurityProfiles: boolean;
  /** Repair the routing profile of an existing user (it was given explicitly). */
  manageRoutingProfile: boolean;
  /** The hierarchy group of a new user (and of an existing one, with `manageHierarchy`). Default none. */
  hierarchyGroup?: { id: string; path: string } | undefined;
  /** Set the hierarchy group of an existing user to `hierarchyGroup` (it was given explicitly). */
  manageHierarchy?: boolean;
  /** Tags of a new user (the ownership tags and the Okta user id). Default none. */
  tags?: Record<string, string> | undefined;
  dryRun: boolean;
  /**
   * The lookup's result when the caller already knows it (from {@link listConnectUsers} and a bulk read of
   * the profiles): then no read is made. The user's `securityProfileIds` / `routingProfileId` need to be
   * exact only when `manageSecurityProfiles` / `manageRoutingProfile` is set. Default: looked up with
   * {@link findConnectUser}.
   */
  known?: KnownConnectUser;
  /**
   * Wraps every write call (`CreateUser`, `UpdateUser…`), e.g. to pace it and retry it on throttling.
   * Default: the call is made as is.
   */
  pace?: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
}

/** What a lookup of a username found: the exact user, and users whose username differs only in case. */
export interface KnownConnectUser {
  user: ConnectUserState | undefined;
  caseVariants: string[];
}

/** What {@link ensureConnectUser} did (or would do). */
export interface ConnectUserOutcome {
  action: 'created' | 'updated' | 'unchanged';
  changes: string[];
  /** `undefined` only in a dry run that would create the user. */
  userId: string | undefined;
  userArn: string | undefined;
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

const USERNAME_CHARS = /^[A-Za-z0-9_.@-]+$/;
const EMAIL_FORM = /^[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}$/;

/**
 * Why `username` cannot be the username of a Connect user in a SAML instance, or `undefined` when it can:
 * at most 64 characters of `[A-Za-z0-9_.@-]`, `@` only in an e-mail form.
 */
export function connectUsernameProblem(username: string): string | undefined {
  if (username.length === 0) return 'it is empty';
  if (username.length > 64) return `it has ${username.length} characters (SAML instances allow 64)`;
  if (!USERNAME_CHARS.test(username)) return 'Connect usernames use only the characters A-Z a-z 0-9 _ . @ -';
  if (username.includes('@') && !EMAIL_FORM.test(username)) {
    return 'Connect allows @ in a username only in an e-mail form (name@example.com)';
  }
  return undefined;
}

/** Every `{Id, Name}` of a paged Connect list. */
async function listAllNamed(
  ctx: SsoContext,
  instanceId: string,
  kind: 'security' | 'routing',
): Promise<NamedProfile[]> {
  const out: NamedProfile[] = [];
  let nextToken: string | undefined;
  do {
    const page = nextToken ? { NextToken: nextToken } : {};
    let items: { Id?: string | undefined; Name?: string | undefined }[];
    try {
      if (kind === 'security') {
        const res = await awsCall(ctx, 'connect', 'ListSecurityProfiles', (o) =>
          ctx.connect.send(
            new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000, ...page }),
            o,
          ),
        );
        items = res.SecurityProfileSummaryList ?? [];
        nextToken = res.NextToken;
      } else {
        const res = await awsCall(ctx, 'connect', 'ListRoutingProfiles', (o) =>
          ctx.connect.send(
            new ListRoutingProfilesCommand({ InstanceId: instanceId, MaxResults: 1000, ...page }),
            o,
          ),
        );
        items = res.RoutingProfileSummaryList ?? [];
        nextToken = res.NextToken;
      }
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException') && !nextToken) {
        throw new ConfigError(
          'instanceId',
          `no ACTIVE Connect instance '${instanceId}' in region ${ctx.region} (${
            error instanceof Error ? error.message : String(error)
          }); create it with createSamlInstance({ wait: true }) first`,
        );
      }
      throw error;
    }
    for (const item of items)
      if (item.Id && item.Name !== undefined) out.push({ id: item.Id, name: item.Name });
  } while (nextToken);
  return out;
}

function unknownName(field: string, kind: string, name: string, available: readonly NamedProfile[]) {
  const names = available.map((p) => p.name);
  const near = names.find((n) => n.toLowerCase() === name.toLowerCase());
  return {
    field,
    message: `no ${kind} named '${name}' in the instance${near ? ` (did you mean '${near}'? names are case-sensitive)` : ''}; available: ${names.join(', ')}`,
  };
}

/** Every security and routing profile of an instance, by id and name. */
export interface ConnectProfileLists {
  security: NamedProfile[];
  routing: NamedProfile[];
}

/**
 * List every security and routing profile of the instance (`ListSecurityProfiles`, `ListRoutingProfiles`,
 * every page), to resolve names with {@link resolveProfileNames} without reading them again.
 *
 * @throws {ConfigError} no such ACTIVE instance (field `instanceId`).
 */
export async function listConnectProfiles(ctx: SsoContext, instanceId: string): Promise<ConnectProfileLists> {
  const security = await listAllNamed(ctx, instanceId, 'security');
  const routing = await listAllNamed(ctx, instanceId, 'routing');
  return { security, routing };
}

/**
 * Resolve profile names against lists read once with {@link listConnectProfiles}; no request.
 *
 * @param fieldPrefix the input path the names came from, for error messages (`connect`).
 * @throws {ConfigError} an unknown name (the message lists the available names).
 */
export function resolveProfileNames(
  lists: ConnectProfileLists,
  names: { securityProfiles: readonly string[]; routingProfile: string },
  fieldPrefix = 'connect',
): ResolvedConnectProfiles {
  const { security, routing } = lists;
  const issues: { field: string; message: string }[] = [];
  const securityProfiles: NamedProfile[] = [];
  names.securityProfiles.forEach((name, i) => {
    const found = security.find((p) => p.name === name);
    if (found) securityProfiles.push(found);
    else
      issues.push(unknownName(`${fieldPrefix}.securityProfiles[${i}]`, 'security profile', name, security));
  });
  const routingProfile = routing.find((p) => p.name === names.routingProfile);
  if (!routingProfile) {
    issues.push(
      unknownName(`${fieldPrefix}.routingProfile`, 'routing profile', names.routingProfile, routing),
    );
  }
  if (issues.length > 0 || !routingProfile) throw ConfigError.of(issues);
  return {
    securityProfiles,
    routingProfile,
    securityProfileNames: new Map(security.map((p) => [p.id, p.name])),
    routingProfileNames: new Map(routing.map((p) => [p.id, p.name])),
  };
}

/**
 * Resolve security and routing profiles by name (`ListSecurityProfiles`, `ListRoutingProfiles`, every page).
 * Every instance has `Admin`, `Agent`, `CallCenterManager`, `QualityAnalyst` and `Basic Routing Profile`;
 * custom profiles are found by their exact name.
 *
 * @param fieldPrefix the input path the names came from, for error messages (`connect`).
 * @throws {ConfigError} an unknown name (the message lists the available names), or no such ACTIVE instance.
 */
export async function resolveConnectProfiles(
  ctx: SsoContext,
  instanceId: string,
  names: { securityProfiles: readonly string[]; routingProfile: string },
  fieldPrefix = 'connect',
): Promise<ResolvedConnectProfiles> {
  return resolveProfileNames(await listConnectProfiles(ctx, instanceId), names, fieldPrefix);
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
  const pages = awsPages(
    ctx,
    'connect',
    'ListUsers',
    (token, o) =>
      ctx.connect.send(
        new ListUsersCommand({
          InstanceId: instanceId,
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
        o,
      ),
    nextToken,
  );
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
  const pages = awsPages(
    ctx,
    'connect',
    'SearchUsers',
    (token, o) =>
      ctx.connect.send(
        new SearchUsersCommand({
          InstanceId: instanceId,
          MaxResults: 500,
          ...(token ? { NextToken: token } : {}),
        }),
        o,
      ),
    nextToken,
  );
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
  const { User } = await awsCall(ctx, 'connect', 'DescribeUser', (o) =>
    ctx.connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }), o),
  );
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
  const search = await awsCall(ctx, 'connect', 'SearchUsers', (o) =>
    ctx.connect.send(
      new SearchUsersCommand({
        InstanceId: instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' },
        },
      }),
      o,
    ),
  );
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
  const { User } = await awsCall(ctx, 'connect', 'DescribeUser', (o) =>
    ctx.connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: exactId }), o),
  );
  return {
    user: {
      id: exactId,
      arn: User?.Arn ?? '',
      username,
      securityProfileIds: User?.SecurityProfileIds ?? [],
      routingProfileId: User?.RoutingProfileId,
      hierarchyGroupId: User?.HierarchyGroupId,
    },
    caseVariants,
  };
}

const nameList = (ids: readonly string[], names: ReadonlyMap<string, string>): string =>
  `[${ids
    .map((id) => names.get(id) ?? id)
    .sort()
    .join(', ')}]`;

/**
 * Create the Connect user (no password, no e-mail: the instance is SAML) or bring its profiles in line.
 *
 * @throws {ConflictError} a user exists whose username differs from `username` only in case.
 */
export async function ensureConnectUser(ctx: SsoContext, spec: ConnectUserSpec): Promise<ConnectUserOutcome> {
  const { instanceId, username, profiles, dryRun } = spec;
  const wantedSecurity = [...new Set(profiles.securityProfiles.map((p) => p.id))];
  const describeCreate = (name: string) =>
    `create Connect user '${name}' (security profiles ${nameList(wantedSecurity, profiles.securityProfileNames)}, routing profile '${profiles.routingProfile.name}'${spec.hierarchyGroup ? `, hierarchy group '${spec.hierarchyGroup.path}'` : ''}, ${spec.phoneType})`;

  if (username === undefined) {
    // Dry run before Okta chose the app username: nothing to look up yet.
    return {
      action: 'created',
      changes: [describeCreate("<the Okta app username, chosen by Okta's username template>")],
      userId: undefined,
      userArn: undefined,
    };
  }

  const { user, caseVariants } = spec.known ?? (await findConnectUser(ctx, instanceId, username));
  const pace = spec.pace ?? (<T>(_operation: string, call: () => Promise<T>) => call());
  if (!user) {
    const [variant] = caseVariants;
    if (variant !== undefined) throw caseConflictError(username, variant);
    const changes = [describeCreate(username)];
    if (dryRun) return { action: 'created', changes, userId: undefined, userArn: undefined };
    let created: { UserId?: string | undefined; UserArn?: string | undefined };
    try {
      created = await pace('CreateUser', () =>
        awsCall(ctx, 'connect', 'CreateUser', (o) =>
          ctx.connect.send(
            new CreateUserCommand({
              InstanceId: instanceId,
              Username: username,
              IdentityInfo: { FirstName: spec.firstName, LastName: spec.lastName },
              PhoneConfig: {
                PhoneType: spec.phoneType,
                ...(spec.deskPhoneNumber !== undefined ? { DeskPhoneNumber: spec.deskPhoneNumber } : {}),
              },
              SecurityProfileIds: wantedSecurity,
              RoutingProfileId: profiles.routingProfile.id,
              ...(spec.hierarchyGroup ? { HierarchyGroupId: spec.hierarchyGroup.id } : {}),
              // Ownership: only users that carry them are ever deleted by a teardown or offboarded by a sync.
              Tags: spec.tags ?? ownershipTagMap(ctx),
            }),
            o,
          ),
        ),
      );
    } catch (error) {
      // Another run (or a retried request whose first answer was lost) created it after our read:
      // read it again and converge it like an existing user.
      if (!isAwsError(error, 'DuplicateResourceException')) throw error;
      const fresh = await findConnectUser(ctx, instanceId, username);
      if (!fresh.user) throw error;
      return ensureConnectUser(ctx, { ...spec, known: fresh });
    }
    if (!created.UserId || !created.UserArn) {
      throw new ProviderError({
        service: 'connect',
        operation: 'CreateUser',
        message: 'the response has no UserId or UserArn',
      });
    }
    ctx.logger.info(`created connect user ${username}`, { instanceId, userId: created.UserId });
    return { action: 'created', changes, userId: created.UserId, userArn: created.UserArn };
  }

  const changes: string[] = [];
  const currentSecurity = [...new Set(user.securityProfileIds)];
  const securityDiffers =
    spec.manageSecurityProfiles &&
    (currentSecurity.length !== wantedSecurity.length ||
      currentSecurity.some((id) => !wantedSecurity.includes(id)));
  if (securityDiffers) {
    changes.push(
      `security profiles: ${nameList(currentSecurity, profiles.securityProfileNames)} → ${nameList(
        wantedSecurity,
        profiles.securityProfileNames,
      )}`,
    );
    if (!dryRun) {
      await pace('UpdateUserSecurityProfiles', () =>
        awsCall(ctx, 'connect', 'UpdateUserSecurityProfiles', (o) =>
          ctx.connect.send(
            new UpdateUserSecurityProfilesCommand({
              InstanceId: instanceId,
              UserId: user.id,
              SecurityProfileIds: wantedSecurity,
            }),
            o,
          ),
        ),
      );
      ctx.logger.info(`updated security profiles of connect user ${username}`, {
        instanceId,
        userId: user.id,
      });
    }
  }
  if (spec.manageRoutingProfile && user.routingProfileId !== profiles.routingProfile.id) {
    const from = user.routingProfileId
      ? (profiles.routingProfileNames.get(user.routingProfileId) ?? user.routingProfileId)
      : '(none)';
    changes.push(`routing profile: '${from}' → '${profiles.routingProfile.name}'`);
    if (!dryRun) {
      await pace('UpdateUserRoutingProfile', () =>
        awsCall(ctx, 'connect', 'UpdateUserRoutingProfile', (o) =>
          ctx.connect.send(
            new UpdateUserRoutingProfileCommand({
              InstanceId: instanceId,
              UserId: user.id,
              RoutingProfileId: profiles.routingProfile.id,
            }),
            o,
          ),
        ),
      );
      ctx.logger.info(`updated routing profile of connect user ${username}`, { instanceId, userId: user.id });
    }
  }
  const wantedHierarchy = spec.hierarchyGroup?.id;
  if (spec.manageHierarchy && user.hierarchyGroupId !== wantedHierarchy) {
    changes.push(
      `hierarchy group: ${user.hierarchyGroupId ?? '(none)'} → '${spec.hierarchyGroup?.path ?? '(none)'}'`,
    );
    if (!dryRun) {
      await pace('UpdateUserHierarchy', () =>
        awsCall(ctx, 'connect', 'UpdateUserHierarchy', (o) =>
          ctx.connect.send(
            new UpdateUserHierarchyCommand({
              InstanceId: instanceId,
              UserId: user.id,
              ...(wantedHierarchy !== undefined ? { HierarchyGroupId: wantedHierarchy } : {}),
            }),
            o,
          ),
        ),
      );
      ctx.logger.info(`updated hierarchy group of connect user ${username}`, { instanceId, userId: user.id });
    }
  }
  return {
    action: changes.length > 0 ? 'updated' : 'unchanged',
    changes,
    userId: user.id,
    userArn: user.arn,
  };
}
