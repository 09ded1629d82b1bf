/**
 * Teardown of guide step 1: the Amazon Connect instance — the last resource to go, and only when asked
 * for. An instance holds contact data (recordings, transcripts, contact records, metrics) that is lost
 * with it, and AWS counts every instance creation and deletion of an account against a quota of 100
 * per 30 days (`DeleteInstance`'s reference: past it, the account must wait 30 days before it may create
 * or delete instances again). So without `deleteInstance: true` this stack's instance is `keep`.
 */
import {
  DeleteInstanceCommand,
  type InstanceSummary,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-connect';
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { awsCall, isAwsError } from '../../providers/aws/call.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import { INSTANCE_ALIAS_PATTERN } from './input.js';
import { findInstanceByAlias } from './read.js';

/** Input of {@link destroySamlInstance}. */
export interface DestroySamlInstanceInput extends DestroyStepOptions {
  /** The instance alias (its natural key). */
  alias: string;
  /**
   * Delete the instance and everything in it (users, queues, flows, contact records, recordings).
   * Default `false`: the instance is kept (`keep`), whatever else the teardown removes.
   */
  deleteInstance?: boolean;
}

/** What the teardown reads of the instance: its summary and tags. */
export interface InstanceForDestroy {
  /** The instance as `ListInstances` shows it. */
  summary: InstanceSummary;
  /** Its tags (`ListTagsForResource`). */
  tags: Record<string, string>;
}

/** What users are told about deleting an instance: the data it holds and the quota. */
export const INSTANCE_DELETE_WARNING =
  'Deleting a Connect instance deletes its users, queues, flows, phone number claims and all its contact ' +
  'data (recordings, transcripts, contact records, metrics) for good; AWS allows 100 instance creations ' +
  'and deletions per account in 30 days, after which it blocks both for 30 days.';

// read: the instance with the alias, and its tags.
/** The instance with `alias` (case-insensitively) and its tags, or undefined when there is none. */
export async function readInstanceForDestroy(
  ctx: SsoContext,
  alias: string,
): Promise<InstanceForDestroy | undefined> {
  const summary = await findInstanceByAlias(ctx, alias);
  if (!summary?.Arn) return undefined;
  const arn = summary.Arn;
  const { tags = {} } = await awsCall(ctx, 'connect', 'ListTagsForResource', (o) =>
    ctx.connect.send(new ListTagsForResourceCommand({ resourceArn: arn }), o),
  );
  return { summary, tags };
}

/**
 * Delete this stack's Connect instance — only with `deleteInstance: true`. Without it the instance is
 * `keep` (with the reason); an instance without this stack's tags is `foreign` and never deleted; none
 * is `absent` (no write).
 *
 * Reads: `ListInstances` (until the alias is found), `ListTagsForResource`. Writes: `DeleteInstance`
 * (the SDK's idempotency token makes a retry after a lost answer harmless).
 *
 * @param known - the instance as already read by {@link readInstanceForDestroy} (`null`: known to be
 *   absent); default: read here.
 * @throws {ConfigError} a bad alias, before any call.
 * @throws {ConflictError} AWS refuses the delete for the 30-day quota (`ServiceQuotaExceededException`),
 *   explained.
 * @throws {ProviderError} any other Connect error.
 */
export async function destroySamlInstance(
  ctx: SsoContext,
  input: DestroySamlInstanceInput,
  known?: InstanceForDestroy | null,
): Promise<DestroyRecord> {
  const { alias } = input;
  if (
    typeof alias !== 'string' ||
    alias.length === 0 ||
    alias.length > 45 ||
    !INSTANCE_ALIAS_PATTERN.test(alias)
  ) {
    throw new ConfigError('alias', `'${String(alias)}' is not a Connect instance alias`);
  }
  const dryRun = input.dryRun === true;
  const resource = `connect instance ${alias}`;
  const record = (id: string | undefined, action: DestroyRecord['action'], reason: string) =>
    destroyRecord('connect-instance', resource, id, action, reason, dryRun);

  const instance = known === null ? undefined : (known ?? (await readInstanceForDestroy(ctx, alias)));
  if (!instance) return record(undefined, 'absent', 'no such instance');
  const id = instance.summary.Id;
  const arn = instance.summary.Arn;
  const owner = ownershipOf(ctx, instance.tags);
  if (owner !== 'ours') {
    return record(arn, 'foreign', `it ${ownerDescription(ctx, owner, instance.tags)}`);
  }
  if (input.deleteInstance !== true) {
    return record(
      arn,
      'keep',
      'it holds contact data, and instance deletions count against a quota of 100 creations and ' +
        'deletions per 30 days; pass deleteInstance: true (CLI --delete-instance) to delete it',
    );
  }
  const reason = `delete the instance and everything in it. ${INSTANCE_DELETE_WARNING}`;
  if (dryRun || !id) return record(arn, 'delete', reason);
  try {
    await awsCall(ctx, 'connect', 'DeleteInstance', (o) =>
      ctx.connect.send(new DeleteInstanceCommand({ InstanceId: id }), o),
    );
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return record(arn, 'delete', reason);
    if (isAwsError(error, 'ServiceQuotaExceededException') || /excessive number/i.test(String(error))) {
      throw new ConflictError(
        resource,
        `AWS refused to delete ${resource}: the account has reached the quota of 100 Connect instance ` +
          'creations and deletions in 30 days, and must now wait 30 days before it may create or delete ' +
          'an instance. The rest of the teardown is done; the instance stays until then (run the teardown ' +
          'again with deleteInstance later), or ask AWS Support.',
        { cause: error },
      );
    }
    throw error;
  }
  ctx.logger.info(`deleted ${resource}`, { instanceId: id });
  return record(arn, 'delete', reason);
}
