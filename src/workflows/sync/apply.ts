/**
 * Apply a sync plan: each user's writes in order, a few users at a time, every call at the pace of its
 * Connect quota. A user whose write fails is `failed` with the error; the others go on.
 */
import type { SsoContext } from '../../core/context.js';
import { ConnectSsoError } from '../../core/errors.js';
import { isAwsError } from '../../providers/aws/call.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import type { ConnectPace } from '../../resources/users/connect-directory.js';
import {
  createConnectUserRecord,
  createNoAccessSecurityProfile,
  deleteConnectUserRecord,
  readConnectUserMobile,
  tagConnectUser,
  updateConnectUserHierarchy,
  updateConnectUserIdentity,
  updateConnectUserRoutingProfile,
  updateConnectUserSecurityProfiles,
} from '../../resources/users/connect-writes.js';
import type { PlannedUser, ProfileCatalog, SyncOp } from './plan.js';
import type { SyncCounts } from './types.js';

/** How {@link applyPlan} runs. */
export interface ApplyOptions {
  /** The instance. */
  instanceId: string;
  /** Users written at once. */
  concurrency: number;
  /** The pace of every Connect call. */
  pace: ConnectPace;
  /** Called after each user's writes. */
  onUserDone: (user: PlannedUser, done: number, total: number) => void;
}

async function runOp(
  ctx: SsoContext,
  options: ApplyOptions,
  catalog: ProfileCatalog,
  op: SyncOp,
  planned: PlannedUser,
): Promise<void> {
  const { instanceId, pace } = options;
  switch (op.kind) {
    case 'create': {
      try {
        const created = await createConnectUserRecord(ctx, instanceId, op.user, pace);
        planned.outcome.connectUserId = created.id;
      } catch (error) {
        if (isAwsError(error, 'DuplicateResourceException')) {
          throw new ConnectSsoError(
            'SYNC_USER_EXISTS',
            `Connect user '${op.user.username}' exists, but the search did not show it yet (Connect's user search can lag behind a creation): the next sync converges it`,
            { cause: error },
          );
        }
        throw error;
      }
      return;
    }
    case 'identity': {
      const mobile =
        op.mobile === undefined
          ? await readConnectUserMobile(ctx, instanceId, op.userId, pace)
          : (op.mobile ?? undefined);
      await updateConnectUserIdentity(ctx, instanceId, op.userId, { ...op.identity, mobile }, pace);
      return;
    }
    case 'security':
      await updateConnectUserSecurityProfiles(ctx, instanceId, op.userId, op.ids, pace);
      return;
    case 'strip':
      await updateConnectUserSecurityProfiles(
        ctx,
        instanceId,
        op.userId,
        [catalog.noAccessId as string],
        pace,
      );
      return;
    case 'routing':
      await updateConnectUserRoutingProfile(ctx, instanceId, op.userId, op.id, pace);
      return;
    case 'hierarchy':
      await updateConnectUserHierarchy(ctx, instanceId, op.userId, op.id, pace);
      return;
    case 'tag':
      await tagConnectUser(ctx, op.arn, op.tags, pace);
      return;
    case 'delete':
      await deleteConnectUserRecord(ctx, instanceId, op.userId, pace);
      return;
  }
}

/** Create the no-access security profile when a strip needs it and the instance has none. */
export async function ensureNoAccessProfile(
  ctx: SsoContext,
  options: Pick<ApplyOptions, 'instanceId' | 'pace'>,
  catalog: ProfileCatalog,
  planned: readonly PlannedUser[],
): Promise<void> {
  if (catalog.noAccessId !== undefined) return;
  if (!planned.some((p) => p.ops.some((op) => op.kind === 'strip'))) return;
  const id = await createNoAccessSecurityProfile(
    ctx,
    options.instanceId,
    catalog.noAccessName,
    ownershipTagMap(ctx),
    options.pace,
  );
  catalog.noAccessId = id;
  catalog.securityByName.set(catalog.noAccessName, id);
  catalog.securityNames.set(id, catalog.noAccessName);
}

/** Run every planned user's writes. Outcomes are updated in place (`failed` with the error). */
export async function applyPlan(
  ctx: SsoContext,
  options: ApplyOptions,
  catalog: ProfileCatalog,
  planned: readonly PlannedUser[],
): Promise<void> {
  const work = planned.filter((p) => p.ops.length > 0);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const item = work[next++];
      if (!item) return;
      try {
        for (const op of item.ops) await runOp(ctx, options, catalog, op, item);
      } catch (error) {
        if (ctx.signal?.aborted) throw ctx.signal.reason;
        item.outcome.action = 'failed';
        item.outcome.error = error instanceof Error ? error : new Error(String(error));
        ctx.logger.warn(
          `sync of connect user ${item.outcome.username} failed: ${item.outcome.error.message}`,
          {
            username: item.outcome.username,
          },
        );
      }
      done++;
      options.onUserDone(item, done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, work.length) }, worker));
}

/** Counts of a list of outcomes. */
export function countOutcomes(outcomes: readonly { action: keyof SyncCounts }[]): SyncCounts {
  const counts: SyncCounts = {
    created: 0,
    updated: 0,
    unchanged: 0,
    offboarded: 0,
    renamed: 0,
    reported: 0,
    failed: 0,
  };
  for (const o of outcomes) counts[o.action]++;
  return counts;
}
