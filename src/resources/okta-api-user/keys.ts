/** The access key lifecycle: which keys to keep, make, replace or discard, and the writes that do it. */
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  type User,
} from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { ConflictError, ConnectSsoError, ProviderError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { awsCall, isAwsError } from '../../providers/aws/call.js';
import { type AccessKeySummary, listKeys } from './read.js';
import {
  type AccessKeyDelivery,
  type ExistingAccessKey,
  KEY_DELIVERED_TAG_PREFIX,
  type NewAccessKey,
} from './types.js';

export const MAX_KEYS = 2;

/** One planned access-key write, in order. */
export type KeyWrite =
  | { kind: 'delete'; key: AccessKeySummary; why: string }
  | { kind: 'create' }
  | { kind: 'deactivate'; key: AccessKeySummary }
  | { kind: 'delete-old'; key: AccessKeySummary }
  | { kind: 'discard'; key: AccessKeySummary }
  | { kind: 'mark'; key: AccessKeySummary; why: string };

export const DEFAULT_GRACE_MS = 15 * 60_000;

/**
 * Sort the active keys by what is known of their secret (see {@link AccessKeyDelivery}): the writes that
 * record late-found deliveries and discard lost keys, and the keys still pending.
 */
export async function sortByDelivery(
  ctx: SsoContext,
  user: User,
  keys: readonly AccessKeySummary[],
  keyPolicy: 'if-missing' | 'rotate',
  delivery: AccessKeyDelivery,
  adopting: boolean,
): Promise<{ writes: KeyWrite[]; pending: AccessKeySummary[] }> {
  const tagged = new Set(
    (user.Tags ?? [])
      .map((t) => t.Key ?? '')
      .filter((k) => k.startsWith(KEY_DELIVERED_TAG_PREFIX))
      .map((k) => k.slice(KEY_DELIVERED_TAG_PREFIX.length)),
  );
  const writes: KeyWrite[] = [];
  const pending: AccessKeySummary[] = [];
  const grace = delivery.graceMs ?? DEFAULT_GRACE_MS;
  for (const key of keys) {
    if (key.status !== 'Active' || tagged.has(key.accessKeyId)) continue;
    if (adopting) {
      writes.push({ kind: 'mark', key, why: 'the key predates adoption' });
      continue;
    }
    if (await delivery.wasDelivered?.(key.accessKeyId)) {
      writes.push({ kind: 'mark', key, why: 'its secret is where it was delivered' });
      continue;
    }
    const used = await awsCall(ctx, 'iam', 'GetAccessKeyLastUsed', (o) =>
      ctx.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId }), o),
    );
    if (used.AccessKeyLastUsed?.LastUsedDate) {
      writes.push({ kind: 'mark', key, why: 'it has been used' });
      continue;
    }
    const age = ctx.clock.now() - (key.createdAt?.getTime() ?? 0);
    if (keyPolicy === 'rotate' || age >= grace) writes.push({ kind: 'discard', key });
    else pending.push(key);
  }
  return { writes, pending };
}

export function describe(write: KeyWrite): string {
  switch (write.kind) {
    case 'delete':
      return `delete inactive access key ${write.key.accessKeyId} (${write.why})`;
    case 'create':
      return 'create access key';
    case 'deactivate':
      return `deactivate old access key ${write.key.accessKeyId}`;
    case 'delete-old':
      return `delete old access key ${write.key.accessKeyId}`;
    case 'discard':
      return `delete access key ${write.key.accessKeyId}: its secret was never delivered (the run that created it stopped first) and it was never used`;
    case 'mark':
      return `record access key ${write.key.accessKeyId} as delivered (${write.why})`;
  }
}

export const byAge = (a: AccessKeySummary, b: AccessKeySummary) =>
  (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0);

/** Decide the key writes (pure): throws a ConflictError before any write when rotation is impossible. */
export function planKeys(
  resource: string,
  userName: string,
  keys: readonly AccessKeySummary[],
  keyPolicy: 'if-missing' | 'rotate',
  pending = false,
): { plan: KeyWrite[]; existingKey: ExistingAccessKey | undefined } {
  const active = keys.filter((k) => k.status === 'Active').sort(byAge);
  const inactive = keys.filter((k) => k.status === 'Inactive').sort(byAge);
  const newestActive = active[active.length - 1];
  const existingKey: ExistingAccessKey | undefined = newestActive
    ? { secretAvailable: false, ...newestActive }
    : undefined;
  const room = 'a user can have only 2 access keys';

  if (keyPolicy === 'if-missing') {
    // A pending key may be on its way to its owner: making another would leave one of them unused.
    if (newestActive || pending) return { plan: [], existingKey };
    const plan: KeyWrite[] = [];
    if (keys.length >= MAX_KEYS && inactive[0]) plan.push({ kind: 'delete', key: inactive[0], why: room });
    plan.push({ kind: 'create' });
    return { plan, existingKey };
  }

  // rotate
  if (active.length >= MAX_KEYS) {
    const list = active.map((k) => `${k.accessKeyId} (created ${k.createdAt?.toISOString() ?? '?'})`);
    throw new ConflictError(
      resource,
      `${resource} has two active access keys, ${list.join(' and ')}: rotating needs room for a new one, ` +
        'and which key Okta uses cannot be known from here. Deactivate the key Okta does not use ' +
        `(aws iam update-access-key --user-name ${userName} --access-key-id <id> --status Inactive), ` +
        "then rotate again; or use accessKey: 'if-missing' to keep them.",
    );
  }
  const plan: KeyWrite[] = [];
  const old = [...keys].sort(byAge);
  if (keys.length >= MAX_KEYS && inactive[0]) {
    plan.push({ kind: 'delete', key: inactive[0], why: room });
    old.splice(old.indexOf(inactive[0]), 1);
  }
  plan.push({ kind: 'create' });
  for (const key of old) {
    if (key.status === 'Active') plan.push({ kind: 'deactivate', key });
    plan.push({ kind: 'delete-old', key });
  }
  return { plan, existingKey };
}

/**
 * Run the key writes in order. Once the new key exists its secret must reach the caller, so a failure
 * in the clean-up after it becomes a warning instead of an error.
 */
export async function applyKeys(
  ctx: SsoContext,
  userName: string,
  keys: readonly AccessKeySummary[],
  plan: readonly KeyWrite[],
  delivery: AccessKeyDelivery | undefined,
): Promise<{
  newKey: NewAccessKey | undefined;
  concurrent: ExistingAccessKey | undefined;
  remaining: AccessKeySummary[];
  warnings: string[];
}> {
  let remaining = [...keys];
  let newKey: NewAccessKey | undefined;
  let concurrent: ExistingAccessKey | undefined;
  const warnings: string[] = [];
  for (const write of plan) {
    if (write.kind === 'mark') {
      await markAccessKeyDelivered(ctx, userName, write.key.accessKeyId);
      continue;
    }
    if (write.kind === 'discard') {
      await deleteKey(ctx, userName, write.key.accessKeyId);
      remaining = remaining.filter((k) => k.accessKeyId !== write.key.accessKeyId);
      ctx.logger.warn(
        `deleted access key ${write.key.accessKeyId} of iam user ${userName}: its secret was never delivered`,
      );
      continue;
    }
    if (write.kind === 'create') {
      const made = await createKeyAlone(
        ctx,
        userName,
        new Set(keys.map((k) => k.accessKeyId)),
        delivery?.onCreated,
      );
      warnings.push(...made.warnings);
      if (made.concurrent) {
        // Another run's key: it retires the old keys (if any) itself.
        concurrent = { secretAvailable: false, ...made.concurrent };
        remaining.push(made.concurrent);
        break;
      }
      newKey = made.newKey;
      remaining.push({ accessKeyId: newKey.accessKeyId, status: 'Active', createdAt: newKey.createdAt });
      if (delivery?.mark === 'on-create') await markAccessKeyDelivered(ctx, userName, newKey.accessKeyId);
      continue;
    }
    const id = write.key.accessKeyId;
    try {
      if (write.kind === 'deactivate') {
        await awsCall(ctx, 'iam', 'UpdateAccessKey', (o) =>
          ctx.iam.send(
            new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: 'Inactive' }),
            o,
          ),
        );
        remaining = remaining.map((k) => (k.accessKeyId === id ? { ...k, status: 'Inactive' } : k));
        ctx.logger.info(`deactivated access key ${id} of iam user ${userName}`);
      } else {
        await deleteKey(ctx, userName, id);
        remaining = remaining.filter((k) => k.accessKeyId !== id);
        ctx.logger.info(`deleted access key ${id} of iam user ${userName}`);
      }
    } catch (error) {
      if (!newKey) throw error;
      const reason = error instanceof ConnectSsoError ? error.message : String(error);
      const warning =
        `could not ${write.kind === 'deactivate' ? 'deactivate' : 'delete'} old access key ${id} (${reason}); ` +
        `the new key ${newKey.accessKeyId} was created: delete the old one by hand ` +
        `(aws iam delete-access-key --user-name ${userName} --access-key-id ${id}) or rotate again`;
      warnings.push(warning);
      ctx.logger.warn(warning);
      // Deleting a key we could not deactivate would be the next step; stop at the first failure.
      break;
    }
  }
  return { newKey, concurrent, remaining, warnings };
}

/** Delete a key; one already gone (another run deleted it) is fine. */
export async function deleteKey(ctx: SsoContext, userName: string, accessKeyId: string): Promise<void> {
  await awsCall(ctx, 'iam', 'DeleteAccessKey', (o) =>
    ctx.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }), o),
  ).catch((error: unknown) => {
    if (!isAwsError(error, 'NoSuchEntity')) throw error;
  });
}

export const CREATE_ATTEMPTS = 3;

/**
 * Create a key, making sure no other run created one at the same moment (IAM has no conditional
 * create): list the keys again after the create; if an active key appeared that was not there at the
 * start, another run is making one too. Then this call deletes its own new key (never delivered) and
 * uses the other run's — or, when both stepped back, tries again after a random pause. A run keeps its
 * key only if its list after the create shows no newcomer, so of two runs at most one keeps its key.
 */
export async function createKeyAlone(
  ctx: SsoContext,
  userName: string,
  known: ReadonlySet<string>,
  onCreated?: (key: NewAccessKey) => void,
): Promise<
  | { newKey: NewAccessKey; concurrent?: undefined; warnings: string[] }
  | { newKey?: undefined; concurrent: AccessKeySummary; warnings: string[] }
> {
  const warnings: string[] = [];
  const newcomers = async (except?: string) =>
    (await listKeys(ctx, userName)).filter(
      (k) => k.status === 'Active' && !known.has(k.accessKeyId) && k.accessKeyId !== except,
    );
  for (let attempt = 1; ; attempt++) {
    const { key, attempts } = await createKey(ctx, userName);
    // Before any other call: a run aborted from here on still holds the secret (see AccessKeyDelivery).
    onCreated?.(key);
    const others = await newcomers(key.accessKeyId);
    if (others.length === 0) return { newKey: key, warnings };
    if (attempts > 1) {
      // The SDK retried the create: the newcomers may be keys of our own lost attempts rather than
      // another run's. Keep the key whose secret we hold; an orphan is undelivered, and a later run
      // deletes it (a concurrent run, seeing ours, steps back as usual).
      warnings.push(
        `CreateAccessKey needed ${attempts} attempts and ${others.map((k) => k.accessKeyId).join(', ')} ` +
          'appeared meanwhile: if an earlier attempt reached IAM, its key has no delivered secret and a ' +
          'later run deletes it',
      );
      return { newKey: key, warnings };
    }
    await deleteKey(ctx, userName, key.accessKeyId);
    ctx.logger.info(
      `deleted access key ${key.accessKeyId} of iam user ${userName}: another run created ${others
        .map((k) => k.accessKeyId)
        .join(', ')} at the same time`,
    );
    let found: AccessKeySummary[] = [];
    for (let wait = 1; wait <= CREATE_ATTEMPTS; wait++) {
      await ctx.clock.sleep(Math.round((50 + Math.random() * 200) * wait), ctx.signal);
      found = await newcomers();
      if (found.length <= 1) break;
    }
    if (found.length === 1 && found[0]) {
      warnings.push(
        `another run created access key ${found[0].accessKeyId} at the same time; this run deleted its own: ` +
          'the secret is where that run delivers it',
      );
      return { concurrent: found[0], warnings };
    }
    if (found.length > 1 || attempt >= CREATE_ATTEMPTS) {
      throw new ConflictError(
        `iam user ${userName}`,
        `other runs keep creating access keys for ${userName} at the same time as this one (${found
          .map((k) => k.accessKeyId)
          .join(', ')}): run again when they are done`,
      );
    }
  }
}

export async function createKey(
  ctx: SsoContext,
  userName: string,
): Promise<{ key: NewAccessKey; attempts: number }> {
  // Never cancelled in flight: the answer holds the only copy of the secret, and a run aborted while
  // it travels would leave a key no one can use. The call is short; the abort is honoured right after.
  const out = await awsCall(ctx, 'iam', 'CreateAccessKey', () =>
    ctx.iam.send(new CreateAccessKeyCommand({ UserName: userName })),
  );
  const key = out.AccessKey;
  if (!key?.AccessKeyId || !key.SecretAccessKey) {
    throw new ProviderError({
      service: 'iam',
      operation: 'CreateAccessKey',
      message: 'the answer holds no access key id or secret',
      requestId: out.$metadata.requestId,
    });
  }
  const newKey: NewAccessKey = {
    secretAvailable: true,
    accessKeyId: key.AccessKeyId,
    secretAccessKey: new Secret(key.SecretAccessKey),
    createdAt: key.CreateDate ?? new Date(ctx.clock.now()),
    status: 'Active',
  };
  ctx.logger.info(`created access key ${newKey.accessKeyId} of iam user ${userName}`);
  return { key: newKey, attempts: out.$metadata.attempts ?? 1 };
}

/** Record that the secret of `accessKeyId` reached its owner (see {@link AccessKeyDelivery}). */
export async function markAccessKeyDelivered(
  ctx: SsoContext,
  userName: string,
  accessKeyId: string,
): Promise<void> {
  await awsCall(ctx, 'iam', 'TagUser', (o) =>
    ctx.iam.send(
      new TagUserCommand({
        UserName: userName,
        Tags: [
          { Key: KEY_DELIVERED_TAG_PREFIX + accessKeyId, Value: new Date(ctx.clock.now()).toISOString() },
        ],
      }),
      o,
    ),
  );
  ctx.logger.info(`recorded the delivery of access key ${accessKeyId} of iam user ${userName}`);
}
