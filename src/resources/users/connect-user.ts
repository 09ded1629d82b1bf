/**
 * Guide step 9, Connect side: the Connect user whose username is exactly the Okta app username (the
 * SAML `RoleSessionName`). Connect matches the federated session to a user by that exact,
 * case-sensitive username: `Jane.Doe@acme.com` and `jane.doe@acme.com` are two users, and a Connect user
 * spelled differently from the Okta app username is the classic reason why sign-in fails after a
 * successful SAML login. Security and routing profiles are given by name and resolved to ids
 * (connect-profiles.ts); the users are read in connect-user-read.ts.
 */
import type { ConnectPhoneType } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { isAwsError } from '../../providers/aws/call.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import type { ConnectPace } from './connect-directory.js';
import type { ResolvedConnectProfiles } from './connect-profiles.js';
import { caseConflictError, findConnectUser, type KnownConnectUser } from './connect-user-read.js';
import {
  createConnectUserRecord,
  updateConnectUserHierarchy,
  updateConnectUserRoutingProfile,
  updateConnectUserSecurityProfiles,
} from './connect-writes.js';

export {
  type ConnectProfileLists,
  listConnectProfiles,
  type NamedProfile,
  type ResolvedConnectProfiles,
  resolveConnectProfiles,
  resolveProfileNames,
} from './connect-profiles.js';
export {
  type ConnectUserIndex,
  type ConnectUserProfiles,
  type ConnectUserState,
  type ConnectUserSummary,
  caseConflictError,
  caseVariantsOf,
  describeConnectUserProfiles,
  findConnectUser,
  indexConnectUser,
  type KnownConnectUser,
  listConnectUsers,
  searchConnectUserProfiles,
} from './connect-user-read.js';
export type { ConnectPhoneType };

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

/** What {@link ensureConnectUser} did (or would do). */
export interface ConnectUserOutcome {
  action: 'created' | 'updated' | 'unchanged';
  changes: string[];
  /** `undefined` only in a dry run that would create the user. */
  userId: string | undefined;
  userArn: string | undefined;
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
  const pace: ConnectPace = spec.pace ?? ((_operation, call) => call());
  if (!user) {
    const [variant] = caseVariants;
    if (variant !== undefined) throw caseConflictError(username, variant);
    const changes = [describeCreate(username)];
    if (dryRun) return { action: 'created', changes, userId: undefined, userArn: undefined };
    let created: { id: string; arn: string };
    try {
      created = await createConnectUserRecord(
        ctx,
        instanceId,
        {
          username,
          firstName: spec.firstName,
          lastName: spec.lastName,
          secondaryEmail: undefined,
          phoneType: spec.phoneType,
          deskPhoneNumber: spec.deskPhoneNumber,
          securityProfileIds: wantedSecurity,
          routingProfileId: profiles.routingProfile.id,
          hierarchyGroupId: spec.hierarchyGroup?.id,
          // Ownership: only users that carry them are ever deleted by a teardown or offboarded by a sync.
          tags: spec.tags ?? ownershipTagMap(ctx),
        },
        pace,
      );
    } catch (error) {
      // Another run (or a retried request whose first answer was lost) created it after our read:
      // read it again and converge it like an existing user.
      if (!isAwsError(error, 'DuplicateResourceException')) throw error;
      const fresh = await findConnectUser(ctx, instanceId, username);
      if (!fresh.user) throw error;
      return ensureConnectUser(ctx, { ...spec, known: fresh });
    }
    return { action: 'created', changes, userId: created.id, userArn: created.arn };
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
      await updateConnectUserSecurityProfiles(ctx, instanceId, user.id, wantedSecurity, pace);
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
      await updateConnectUserRoutingProfile(ctx, instanceId, user.id, profiles.routingProfile.id, pace);
      ctx.logger.info(`updated routing profile of connect user ${username}`, { instanceId, userId: user.id });
    }
  }
  const wantedHierarchy = spec.hierarchyGroup?.id;
  if (spec.manageHierarchy && user.hierarchyGroupId !== wantedHierarchy) {
    changes.push(
      `hierarchy group: ${user.hierarchyGroupId ?? '(none)'} → '${spec.hierarchyGroup?.path ?? '(none)'}'`,
    );
    if (!dryRun) {
      await updateConnectUserHierarchy(ctx, instanceId, user.id, wantedHierarchy, pace);
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
