/**
 * Teardown of guide step 9, Connect side: the Connect users this stack created, found by their
 * ownership tags, and the quick connects that point at them.
 *
 * `DeleteUser` leaves behind every quick connect of type USER that names the user (the API reference
 * of `DeleteUser` says to call `DeleteQuickConnect` for them). This step deletes those quick connects
 * *before* the user: a teardown interrupted between the two then still finds the user (by its tags) and
 * the quick connects (by its id) on the next run, whereas after the user is gone nothing would tie a
 * dangling quick connect to this stack any more.
 *
 * The Okta side of an assignment needs no step of its own: a user's assignment belongs to the Okta app
 * and goes with it (see `destroyOktaFederationApp`), and the Okta users are people, never deleted.
 */
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { CONNECT_INSTANCE_ID } from '../../providers/aws/arn.js';
import { awsErrorCode, isAwsError } from '../../providers/aws/call.js';
import { send, sendPages } from '../../providers/aws/send.js';
import { ownerDescription, ownershipOf, STACK_KEY } from '../../providers/aws/tags.js';
import { type ConnectUserIndex, listConnectUsers } from './connect-user.js';

/** Input of {@link destroyConnectUsers}. */
export interface DestroyConnectUsersInput extends DestroyStepOptions {
  /** The Connect instance id (a UUID, not the ARN). */
  instanceId: string;
  /**
   * The usernames the setup manages (the config's users). A Connect user with one of these names that
   * this stack did not create is reported as `foreign` (and left alone); users with other names are
   * not this teardown's concern and are not reported. Default none.
   */
  usernames?: readonly string[];
  /**
   * The name of the no-access security profile `syncUsers` creates for `offboard: 'strip'`
   * (`sync.noAccessSecurityProfile`). When this stack created it, it is deleted after the users; one
   * with that name it did not create is reported as `foreign`. Default: not looked for.
   */
  noAccessSecurityProfile?: string;
}

/** A Connect user found for the teardown. */
interface FoundUser {
  id: string;
  arn: string | undefined;
  username: string;
  tags: Record<string, string> | undefined;
}

// read: the users of the instance that carry this stack's tag (SearchUsers' tag filter, 500 a page).
async function taggedUsers(ctx: SsoContext, instanceId: string): Promise<FoundUser[]> {
  const found: FoundUser[] = [];
  const pages = sendPages(ctx, 'connect', 'SearchUsers', {
    InstanceId: instanceId,
    MaxResults: 500,
    SearchFilter: { TagFilter: { TagCondition: { TagKey: STACK_KEY, TagValue: ctx.stack } } },
  });
  for await (const page of pages) {
    for (const u of page.Users ?? []) {
      if (u.Id && u.Username !== undefined) {
        found.push({ id: u.Id, arn: u.Arn, username: u.Username, tags: u.Tags });
      }
    }
  }
  return found;
}

// read: one user's tags (DescribeUser), for a named user the search index has not caught up with.
async function describeUser(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
): Promise<FoundUser | undefined> {
  try {
    const { User } = await send(ctx, 'connect', 'DescribeUser', { InstanceId: instanceId, UserId: userId });
    if (!User?.Id || User.Username === undefined) return undefined;
    return { id: User.Id, arn: User.Arn, username: User.Username, tags: User.Tags };
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

// read: the quick connects of type USER of the instance, by the user they name.
async function userQuickConnects(
  ctx: SsoContext,
  instanceId: string,
): Promise<Map<string, { id: string; name: string }[]>> {
  const byUser = new Map<string, { id: string; name: string }[]>();
  const pages = sendPages(ctx, 'connect', 'ListQuickConnects', {
    InstanceId: instanceId,
    QuickConnectTypes: ['USER'],
    MaxResults: 1000,
  });
  for await (const page of pages) {
    for (const summary of page.QuickConnectSummaryList ?? []) {
      const id = summary.Id;
      if (!id || (summary.QuickConnectType && summary.QuickConnectType !== 'USER')) continue;
      let userId: string | undefined;
      try {
        const { QuickConnect } = await send(ctx, 'connect', 'DescribeQuickConnect', {
          InstanceId: instanceId,
          QuickConnectId: id,
        });
        userId = QuickConnect?.QuickConnectConfig?.UserConfig?.UserId;
      } catch (error) {
        if (isAwsError(error, 'ResourceNotFoundException')) continue;
        throw error;
      }
      if (!userId) continue;
      const list = byUser.get(userId) ?? [];
      list.push({ id, name: summary.Name ?? id });
      byUser.set(userId, list);
    }
  }
  return byUser;
}

const THROTTLE_ATTEMPTS = 8;

function isThrottling(error: unknown): boolean {
  const code = awsErrorCode(error) ?? '';
  return /Throttl|TooManyRequests|LimitExceeded/.test(code);
}

/**
 * A Connect write, retried with back-off while Connect throttles it (user writes are limited to about
 * 2 a second per account and region, after the SDK's own retries).
 */
async function paced<T>(ctx: SsoContext, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= THROTTLE_ATTEMPTS || !isThrottling(error)) throw error;
      const cap = Math.min(8_000, 500 * 2 ** (attempt - 1));
      await ctx.clock.sleep(Math.round(cap / 2 + Math.random() * (cap / 2)), ctx.signal);
    }
  }
}

const gone = (error: unknown): void => {
  if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
};

/**
 * Delete the Connect users of the instance that carry this stack's ownership tags, each after the
 * quick connects that name it. Returns a `foreign` record for each of `usernames` that exists without
 * this stack's tags and for each dangling quick connect, then per user one record per quick connect
 * and the user's.
 *
 * Reads: `SearchUsers` with a tag filter (500 a page); `ListQuickConnects` (type USER) and
 * `DescribeQuickConnect` per quick connect; `ListUsers` (1,000 a page) when `usernames` are given or a
 * quick connect names another user, and `DescribeUser` for a named user the search did not return (its
 * index can lag). A USER quick connect naming a user that no longer exists is reported as `foreign`
 * with the command that deletes it, never deleted.
 * With `noAccessSecurityProfile`: `ListSecurityProfiles` and, when one has that name,
 * `DescribeSecurityProfile`.
 * Writes: `DeleteQuickConnect`, `DeleteUser`, then `DeleteSecurityProfile` for the no-access profile
 * when it is this stack's (each retried while throttled). A second run finds nothing tagged and writes
 * nothing.
 *
 * @throws {ConfigError} an instance id that is not a Connect instance id, before any call.
 * @throws {ProviderError} a Connect error (e.g. the instance does not exist or is not ACTIVE).
 * @throws {ConflictError} the no-access profile is this stack's but users it did not create have it
 *   (after this stack's users are deleted).
 */
export async function destroyConnectUsers(
  ctx: SsoContext,
  input: DestroyConnectUsersInput,
): Promise<DestroyRecord[]> {
  const { instanceId } = input;
  if (typeof instanceId !== 'string' || !CONNECT_INSTANCE_ID.test(instanceId)) {
    throw new ConfigError('instanceId', `expected a Connect instance id (a UUID), got ${String(instanceId)}`);
  }
  const dryRun = input.dryRun === true;
  const records: DestroyRecord[] = [];

  const ours = new Map<string, FoundUser>();
  for (const user of await taggedUsers(ctx, instanceId)) {
    if (ownershipOf(ctx, user.tags) === 'ours') ours.set(user.id, user);
  }
  const names = [...new Set(input.usernames ?? [])];
  const tagged = new Set([...ours.values()].map((u) => u.username));
  const unseen = names.filter((n) => !tagged.has(n));
  let index: ConnectUserIndex | undefined;
  const allUsers = async () => {
    index ??= await listConnectUsers(ctx, instanceId);
    return index;
  };
  if (unseen.length > 0) {
    const all = await allUsers();
    for (const username of unseen) {
      const summary = all.byUsername.get(username);
      if (!summary) continue;
      const user = await describeUser(ctx, instanceId, summary.id);
      if (!user) continue;
      const owner = ownershipOf(ctx, user.tags);
      if (owner === 'ours') ours.set(user.id, user);
      else {
        records.push(
          destroyRecord(
            'connect-user',
            `connect user ${username}`,
            user.id,
            'foreign',
            `it ${ownerDescription(ctx, owner, user.tags)}`,
            dryRun,
          ),
        );
      }
    }
  }

  // Quick connects left pointing at a user that is gone (deleted without them): reported with the fix,
  // never deleted — nothing ties them to this stack any more.
  const quickConnects = await userQuickConnects(ctx, instanceId);
  const others = [...quickConnects.keys()].filter((userId) => !ours.has(userId));
  if (others.length > 0) {
    const existing = new Set([...(await allUsers()).byUsername.values()].map((u) => u.id));
    for (const userId of others.filter((id) => !existing.has(id))) {
      for (const qc of quickConnects.get(userId) ?? []) {
        records.push(
          destroyRecord(
            'connect-quick-connect',
            `connect quick connect '${qc.name}'`,
            qc.id,
            'foreign',
            `it names Connect user ${userId}, which no longer exists (DeleteUser leaves a user's quick ` +
              'connects behind), and nothing ties it to this stack: if it is yours, delete it (aws connect ' +
              `delete-quick-connect --instance-id ${instanceId} --quick-connect-id ${qc.id})`,
            dryRun,
          ),
        );
      }
    }
  }
  if (ours.size === 0) {
    records.push(...(await destroyNoAccessProfile(ctx, input, dryRun)));
    return records;
  }

  const users = [...ours.values()].sort((a, b) => a.username.localeCompare(b.username));
  for (const user of users) {
    const theirs = quickConnects.get(user.id) ?? [];
    for (const qc of theirs) {
      if (!dryRun) {
        await paced(ctx, () =>
          send(ctx, 'connect', 'DeleteQuickConnect', { InstanceId: instanceId, QuickConnectId: qc.id }),
        ).catch(gone);
        ctx.logger.info(`deleted connect quick connect ${qc.name} (of user ${user.username})`, {
          instanceId,
          quickConnectId: qc.id,
        });
      }
      records.push(
        destroyRecord(
          'connect-quick-connect',
          `connect quick connect '${qc.name}'`,
          qc.id,
          'delete',
          `it names connect user ${user.username}, which is deleted next (DeleteUser leaves it dangling)`,
          dryRun,
        ),
      );
    }
    if (!dryRun) {
      await paced(ctx, () =>
        send(ctx, 'connect', 'DeleteUser', { InstanceId: instanceId, UserId: user.id }),
      ).catch(gone);
      ctx.logger.info(`deleted connect user ${user.username}`, { instanceId, userId: user.id });
    }
    records.push(
      destroyRecord(
        'connect-user',
        `connect user ${user.username}`,
        user.id,
        'delete',
        theirs.length > 0
          ? `after its ${theirs.length} quick connect(s), delete the user`
          : 'delete the user',
        dryRun,
      ),
    );
  }
  records.push(...(await destroyNoAccessProfile(ctx, input, dryRun)));
  return records;
}

/**
 * The no-access security profile, after the users (a profile a user still has cannot be deleted):
 * found by name in `ListSecurityProfiles`, its tags read with `DescribeSecurityProfile`.
 */
async function destroyNoAccessProfile(
  ctx: SsoContext,
  input: DestroyConnectUsersInput,
  dryRun: boolean,
): Promise<DestroyRecord[]> {
  const name = input.noAccessSecurityProfile;
  if (!name) return [];
  const { instanceId } = input;
  let id: string | undefined;
  for await (const page of sendPages(ctx, 'connect', 'ListSecurityProfiles', {
    InstanceId: instanceId,
    MaxResults: 1000,
  })) {
    id = page.SecurityProfileSummaryList?.find((p) => p.Name === name)?.Id;
    if (id) break;
  }
  if (!id) return [];
  const resource = `connect security profile '${name}'`;
  let tags: Record<string, string> | undefined;
  try {
    const { SecurityProfile } = await send(ctx, 'connect', 'DescribeSecurityProfile', {
      InstanceId: instanceId,
      SecurityProfileId: id,
    });
    tags = SecurityProfile?.Tags;
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return [];
    throw error;
  }
  const owner = ownershipOf(ctx, tags);
  if (owner !== 'ours') {
    return [
      destroyRecord(
        'connect-security-profile',
        resource,
        id,
        'foreign',
        `it ${ownerDescription(ctx, owner, tags)}`,
        dryRun,
      ),
    ];
  }
  if (!dryRun) {
    try {
      await paced(ctx, () =>
        send(ctx, 'connect', 'DeleteSecurityProfile', { InstanceId: instanceId, SecurityProfileId: id }),
      );
    } catch (error) {
      if (isAwsError(error, 'ResourceInUseException')) {
        throw new ConflictError(
          resource,
          `Cannot delete ${resource}: Connect users this stack did not create have it (syncUsers strips ` +
            'only its own users, so someone gave it to them). Give them another security profile, then run ' +
            'the teardown again.',
          { cause: error },
        );
      }
      gone(error); // deleted by an earlier run whose answer was lost: done all the same
    }
    ctx.logger.info(`deleted connect security profile ${name}`, { instanceId, securityProfileId: id });
  }
  return [
    destroyRecord(
      'connect-security-profile',
      resource,
      id,
      'delete',
      'the no-access profile syncUsers made for stripped users: delete it after the users',
      dryRun,
    ),
  ];
}
