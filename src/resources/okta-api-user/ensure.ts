/**
 * Guide step 4: the IAM user Okta's API integration signs in with (`okta_cli_user`), the policy it
 * needs, and its access key.
 *
 * Access keys are the delicate part: IAM shows a secret once, at creation, and allows two keys per
 * user. So this step never creates a key it does not have to, never has more than two at any moment,
 * and hands a new secret back exactly once, wrapped in a {@link Secret}.
 */
import {
  AttachUserPolicyCommand,
  CreateUserCommand,
  TagUserCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { parseArn } from '../../providers/aws/arn.js';
import { awsCall, isAwsError } from '../../providers/aws/call.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { notOursError, ownershipOf, ownershipTags } from '../../providers/aws/tags.js';
import { applyKeys, describe, type KeyWrite, planKeys, sortByDelivery } from './keys.js';
import { type AccessKeySummary, attachedPolicies, getUser, listKeys } from './read.js';
import {
  type AccessKeyPolicy,
  type ExistingAccessKey,
  KEY_DELIVERED_TAG_PREFIX,
  type OktaApiUserInput,
  type OktaApiUserResult,
} from './types.js';

export { markAccessKeyDelivered } from './keys.js';

export type { AccessKeySummary } from './read.js';
export {
  type AccessKeyDelivery,
  type AccessKeyPolicy,
  type ExistingAccessKey,
  KEY_DELIVERED_TAG_PREFIX,
  type NewAccessKey,
  type OktaApiUserInput,
  type OktaApiUserResult,
} from './types.js';

const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_ARN = /^arn:(aws|aws-us-gov):iam::(\d{12}|aws):policy\/([\w+=,.@/-]{1,512})$/;
const KEY_POLICIES: readonly AccessKeyPolicy[] = ['if-missing', 'rotate', 'never'];

type Issue = { field: string; message: string };

function validate(input: OktaApiUserInput): { userName: string; keyPolicy: AccessKeyPolicy } {
  if (typeof input !== 'object' || input === null) throw new ConfigError('input', 'expected an object');
  const issues: Issue[] = [];
  const userName = input.userName ?? 'okta_cli_user';
  if (typeof userName !== 'string' || !USER_NAME.test(userName)) {
    issues.push({
      field: 'userName',
      message: `expected 1–64 letters, digits or '+=,.@_-', got ${JSON.stringify(userName)}`,
    });
  }
  const policyArn: unknown = input.policyArn;
  if (typeof policyArn !== 'string' || policyArn === '') {
    issues.push({ field: 'policyArn', message: 'is required: the ARN of the policy to attach' });
  } else if (!POLICY_ARN.test(policyArn)) {
    const arn = parseArn(policyArn);
    issues.push({
      field: 'policyArn',
      message:
        `'${policyArn}' is not an IAM managed policy ARN (expected arn:aws:iam::<account id>:policy/<name>` +
        (arn ? `; this is the ARN of ${arn.service} resource '${arn.resource}')` : ')'),
    });
  }
  const keyPolicy = input.accessKey ?? 'if-missing';
  if (!KEY_POLICIES.includes(keyPolicy)) {
    issues.push({
      field: 'accessKey',
      message: `expected 'if-missing', 'rotate' or 'never', got ${JSON.stringify(keyPolicy)}`,
    });
  }
  for (const field of ['adopt', 'dryRun'] as const) {
    const value: unknown = input[field];
    if (value !== undefined && typeof value !== 'boolean') {
      issues.push({ field, message: `expected true or false, got ${JSON.stringify(value)}` });
    }
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  return { userName, keyPolicy };
}

/**
 * Guide step 4: the IAM user for Okta's API integration, with the policy attached and an access key.
 *
 * Keys: never more than two at any moment. `if-missing` creates a key only when there is no active
 * one (deleting the oldest inactive key first if there are two inactive ones). `rotate` creates a new
 * key, then deactivates and deletes the old one; with two keys it deletes an inactive one first, and two
 * active keys are a {@link ConflictError} (which one Okta uses cannot be known). `never` touches no key.
 *
 * @throws {ConfigError} a bad input — before any call.
 * @throws {ConflictError} the user exists without our tags (and `adopt` is not set); `rotate` with two
 *   active keys. Thrown before any write, in `dryRun` too.
 * @throws {ProviderError} an IAM call failed.
 */
export async function createOktaApiUser(
  ctx: SsoContext,
  input: OktaApiUserInput,
): Promise<OktaApiUserResult> {
  const checked = validate(input);
  // Two runs at once: the one whose CreateUser is refused reads again and finds the other's user.
  return onceMoreIfRaced(() => ensureOktaApiUser(ctx, input, checked));
}

async function ensureOktaApiUser(
  ctx: SsoContext,
  input: OktaApiUserInput,
  { userName, keyPolicy }: { userName: string; keyPolicy: AccessKeyPolicy },
): Promise<OktaApiUserResult> {
  const { policyArn } = input;
  const dryRun = input.dryRun === true;
  const adopt = input.adopt === true;
  const resource = `iam user ${userName}`;

  // Read
  const user = await getUser(ctx, userName);
  const exists = user !== undefined;
  const changes: string[] = [];
  const ownership = user ? ownershipOf(ctx, user.Tags) : 'ours';
  if (user && ownership !== 'ours') {
    if (!adopt)
      throw notOursError(ctx, resource, `${resource} (${user.Arn ?? userName})`, ownership, user.Tags);
    changes.push(`tag ${resource} as managed by stack '${ctx.stack}' (adopt)`);
  }
  if (!user) changes.push(`create user ${userName}`);
  const attached = user ? await attachedPolicies(ctx, userName) : [];
  const attach = !attached.some((arn) => arn.toLowerCase() === policyArn.toLowerCase());
  if (attach) changes.push(`attach policy ${policyArn}`);

  let keys: AccessKeySummary[] | undefined;
  let plan: KeyWrite[] = [];
  let existingKey: ExistingAccessKey | undefined;
  let pendingKeys: AccessKeySummary[] = [];
  if (keyPolicy !== 'never') {
    keys = user ? await listKeys(ctx, userName) : [];
    let usable = keys;
    const pre: KeyWrite[] = [];
    if (input.delivery && user) {
      const sorted = await sortByDelivery(ctx, user, keys, keyPolicy, input.delivery, ownership !== 'ours');
      pre.push(...sorted.writes);
      pendingKeys = sorted.pending;
      usable = keys.filter((k) => !sorted.writes.some((w) => w.kind === 'discard' && w.key === k));
      usable = usable.filter((k) => !pendingKeys.includes(k));
    }
    ({ plan, existingKey } = planKeys(resource, userName, usable, keyPolicy, pendingKeys.length > 0));
    plan = [...pre, ...plan];
    changes.push(...plan.map(describe));
  }
  const discardedKeys = plan.flatMap((w) => (w.kind === 'discard' ? [w.key.accessKeyId] : []));

  const action = !exists ? 'created' : changes.length > 0 ? 'updated' : 'unchanged';
  const base = {
    action,
    resource,
    changes,
    dryRun,
    userName,
    policyArn,
    discardedKeys,
    pendingKeys,
    concurrentKey: false,
    createsAccessKey: plan.some((w) => w.kind === 'create'),
  } as const;
  if (dryRun || changes.length === 0) {
    const remaining = keys?.filter(
      (k) => !plan.some((w) => w.kind !== 'create' && w.kind !== 'mark' && w.key === k),
    );
    return {
      ...base,
      userArn: user?.Arn,
      accessKey: plan.some((w) => w.kind !== 'mark') ? undefined : existingKey,
      keys: remaining,
      warnings: [],
    };
  }

  // Apply
  let userArn = user?.Arn;
  if (!user) {
    const created = await awsCall(ctx, 'iam', 'CreateUser', (o) =>
      ctx.iam.send(new CreateUserCommand({ UserName: userName, Tags: ownershipTags(ctx) }), o),
    ).catch((error: unknown) => {
      if (!isAwsError(error, 'EntityAlreadyExists')) throw error;
      throw new CreateRaceError(
        new ConflictError(
          resource,
          `IAM says ${resource} already exists, yet it was not there when this run looked: another run ` +
            'is creating it, or IAM has not caught up. Run again.',
          { cause: error },
        ),
      );
    });
    userArn = created.User?.Arn;
    ctx.logger.info(`created ${resource}`, { userArn });
  } else if (ownership !== 'ours') {
    await awsCall(ctx, 'iam', 'TagUser', (o) =>
      ctx.iam.send(new TagUserCommand({ UserName: userName, Tags: ownershipTags(ctx) }), o),
    );
    ctx.logger.info(`adopted ${resource}`, { userArn, stack: ctx.stack });
  }
  if (attach) {
    await awsCall(ctx, 'iam', 'AttachUserPolicy', (o) =>
      ctx.iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }), o),
    );
    ctx.logger.info(`attached policy ${policyArn} to ${resource}`);
  }
  const applied = await applyKeys(ctx, userName, keys ?? [], plan, input.delivery);
  if (input.delivery && user) {
    // Tags of keys that are gone (deleted here or by hand) say nothing any more.
    const stale = (user.Tags ?? [])
      .map((t) => t.Key ?? '')
      .filter(
        (key) =>
          key.startsWith(KEY_DELIVERED_TAG_PREFIX) &&
          !applied.remaining.some((k) => key === KEY_DELIVERED_TAG_PREFIX + k.accessKeyId),
      );
    if (stale.length > 0) {
      await awsCall(ctx, 'iam', 'UntagUser', (o) =>
        ctx.iam.send(new UntagUserCommand({ UserName: userName, TagKeys: stale }), o),
      ).catch((error: unknown) => {
        applied.warnings.push(`could not remove the delivery tags of deleted keys (${String(error)})`);
      });
    }
  }
  return {
    ...base,
    userArn,
    accessKey: applied.newKey ?? applied.concurrent ?? existingKey,
    keys: keys === undefined ? undefined : applied.remaining,
    warnings: applied.warnings,
    concurrentKey: applied.concurrent !== undefined,
  };
}
