/**
 * Guide step 4: the IAM user Okta's API integration signs in with (`okta_cli_user`), the policy it
 * needs, and its access key.
 *
 * Access keys are the delicate part: IAM shows a secret once, at creation, and allows two keys per
 * user. So this step never creates a key it does not have to, never has more than two at any moment,
 * and hands a new secret back exactly once, wrapped in a {@link Secret}.
 */
import type { User } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError, ConnectSsoError, ProviderError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import type { StepOptions, StepResultBase } from '../../core/step.js';
import { parseArn } from '../../providers/aws/arn.js';
import { isAwsError } from '../../providers/aws/call.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { send } from '../../providers/aws/send.js';
import { notOursError, ownershipOf, ownershipTags } from '../../providers/aws/tags.js';
import { type AccessKeySummary, attachedPolicies, getUser, listKeys } from './read.js';

export type { AccessKeySummary } from './read.js';

/**
 * What to do about the user's access key:
 * - `if-missing`: create one only when the user has no active key. A user that already has one keeps
 *   it, and the result says its secret is not available (IAM never shows it again).
 * - `rotate`: create a new key, then deactivate and delete the old one.
 * - `never`: make no access-key call at all (e.g. with Okta group mapping, which needs no key).
 */
export type AccessKeyPolicy = 'if-missing' | 'rotate' | 'never';

/** Input of {@link createOktaApiUser}. */
export interface OktaApiUserInput extends StepOptions {
  /** Default `okta_cli_user` (the guide's name). */
  userName?: string;
  /** The policy to attach: `createOktaAccessPolicy`'s `policyArn`. Left attached if already. */
  policyArn: string;
  /** Default `if-missing`. See {@link AccessKeyPolicy}. */
  accessKey?: AccessKeyPolicy;
  /**
   * Take over a user with this name that exists without our ownership tags: tag it as ours and manage
   * it. Default `false`: such a user is a {@link ConflictError}.
   */
  adopt?: boolean;
  /**
   * Track whether each key's secret reached its owner, so that a key whose secret was lost before
   * delivery (the run that created it stopped first) is recognised and replaced instead of being kept
   * forever as "the" key. Default: not tracked — every active key counts as delivered.
   */
  delivery?: AccessKeyDelivery;
}

/** The user tag that records a key's delivery: `connect-okta-sso:key-delivered:<AccessKeyId>` = ISO time. */
export const KEY_DELIVERED_TAG_PREFIX = 'connect-okta-sso:key-delivered:';

/**
 * How {@link createOktaApiUser} tells a delivered key from one whose secret nobody has.
 *
 * IAM shows a secret once, in the `CreateAccessKey` answer. If the run stops between that answer and the
 * secret reaching its destination (or the answer itself is lost), the key exists but no one can ever
 * use it. A delivered key is recorded by a user tag (`connect-okta-sso:key-delivered:<AccessKeyId>`); an
 * active key without it is *undelivered* unless `wasDelivered` finds its secret or IAM says it has been
 * used (then someone has it, and the tag is added). An undelivered key is:
 * - deleted (and, with `if-missing`, replaced) when it is older than `graceMs` or when `rotate` is asked:
 *   no one can have its secret;
 * - otherwise left alone and reported in `pendingKeys`: another run may be delivering it right now.
 *   No key is created while one is pending.
 */
export interface AccessKeyDelivery {
  /**
   * `on-create`: this call returns the secret, so a new key is recorded as delivered as soon as it
   * exists. `by-caller`: the caller stores the secret first (a file, a secret store), then calls
   * {@link markAccessKeyDelivered}.
   */
  mark: 'on-create' | 'by-caller';
  /** Whether the secret of this untagged key is where it was to be delivered (e.g. a file written just before a crash). */
  wasDelivered?: (accessKeyId: string) => Promise<boolean>;
  /** How long an undelivered key may belong to a run still in progress. Default 15 minutes. */
  graceMs?: number;
}

/** A key created by this call: the only time its secret is available. */
export interface NewAccessKey {
  /** Always `true`: tells a new key (with its secret) from an {@link ExistingAccessKey}. */
  secretAvailable: true;
  /** The access key id, e.g. `AKIA…` (not secret). */
  accessKeyId: string;
  /** The secret access key. Prints `[redacted]`; `.reveal()` returns it. Store it now: IAM will not show it again. */
  secretAccessKey: Secret;
  /** When IAM created the key (the time of this call if IAM's answer has no `CreateDate`). */
  createdAt: Date;
  /** Always `Active`: a new key is active. */
  status: 'Active';
}

/** A key that existed before this call: its secret cannot be had from IAM any more. */
export interface ExistingAccessKey {
  /** Always `false`: IAM shows a secret only once, when the key is created. */
  secretAvailable: false;
  /** The access key id, e.g. `AKIA…` (not secret). */
  accessKeyId: string;
  /** IAM's key status: only an `Active` key can sign requests. */
  status: 'Active' | 'Inactive';
  /** When IAM created the key; undefined if IAM's answer has no `CreateDate`. */
  createdAt: Date | undefined;
}

/** The result of {@link createOktaApiUser}. */
export interface OktaApiUserResult extends StepResultBase {
  /** The IAM user name (the input's, default `okta_cli_user`). */
  userName: string;
  /** Undefined on a `dryRun` that would create the user. */
  userArn: string | undefined;
  /** The policy attached to the user: the input's `policyArn`. */
  policyArn: string;
  /**
   * The key Okta should use: the one created by this call (with its secret), else the newest active key
   * (without: `secretAvailable: false`). Undefined with `accessKey: 'never'`, when the user has no
   * active key, and on a `dryRun` that would create one.
   */
  accessKey: NewAccessKey | ExistingAccessKey | undefined;
  /**
   * The user's keys after the step (on a `dryRun`: the existing keys that would remain). Undefined with
   * `accessKey: 'never'`, which lists no keys.
   */
  keys: AccessKeySummary[] | undefined;
  /**
   * Problems that did not stop the step: when cleaning up an old key fails after a new key was made,
   * the new key (and its secret) is still returned, and the leftover key is reported here.
   */
  warnings: string[];
  /**
   * With `delivery`: the keys deleted because their secret was never delivered and they were never
   * used (see {@link AccessKeyDelivery}). Empty otherwise.
   */
  discardedKeys: string[];
  /**
   * With `delivery`: active keys whose secret was not (yet) delivered, too recent to tell whether the run
   * that made them is still going. Nothing was done to them, and no key was created; `accessKey` is then
   * undefined. Run again later, or with `accessKey: 'rotate'` to replace them now.
   */
  pendingKeys: AccessKeySummary[];
  /**
   * Another run created a key for this user at the same moment and this call stepped back (deleted its
   * own): `accessKey` is the other run's key, whose secret went where that run delivers it.
   */
  concurrentKey: boolean;
  /**
   * Whether the step creates (with `dryRun`: would create) an access key — a new secret to deliver. True
   * also when the key replaces an earlier one (`rotate`, or a key whose secret was never delivered).
   */
  createsAccessKey: boolean;
}

const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_ARN = /^arn:(aws|aws-us-gov):iam::(\d{12}|aws):policy\/([\w+=,.@/-]{1,512})$/;
const KEY_POLICIES: readonly AccessKeyPolicy[] = ['if-missing', 'rotate', 'never'];
const MAX_KEYS = 2;

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

/** One planned access-key write, in order. */
type KeyWrite =
  | { kind: 'delete'; key: AccessKeySummary; why: string }
  | { kind: 'create' }
  | { kind: 'deactivate'; key: AccessKeySummary }
  | { kind: 'delete-old'; key: AccessKeySummary }
  | { kind: 'discard'; key: AccessKeySummary }
  | { kind: 'mark'; key: AccessKeySummary; why: string };

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
    const created = await send(ctx, 'iam', 'CreateUser', {
      UserName: userName,
      Tags: ownershipTags(ctx),
    }).catch((error: unknown) => {
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
    await send(ctx, 'iam', 'TagUser', { UserName: userName, Tags: ownershipTags(ctx) });
    ctx.logger.info(`adopted ${resource}`, { userArn, stack: ctx.stack });
  }
  if (attach) {
    await send(ctx, 'iam', 'AttachUserPolicy', { UserName: userName, PolicyArn: policyArn });
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
      await send(ctx, 'iam', 'UntagUser', { UserName: userName, TagKeys: stale }).catch((error: unknown) => {
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

/** Record that the secret of `accessKeyId` reached its owner (see {@link AccessKeyDelivery}). */
export async function markAccessKeyDelivered(
  ctx: SsoContext,
  userName: string,
  accessKeyId: string,
): Promise<void> {
  await send(ctx, 'iam', 'TagUser', {
    UserName: userName,
    Tags: [{ Key: KEY_DELIVERED_TAG_PREFIX + accessKeyId, Value: new Date(ctx.clock.now()).toISOString() }],
  });
  ctx.logger.info(`recorded the delivery of access key ${accessKeyId} of iam user ${userName}`);
}

const DEFAULT_GRACE_MS = 15 * 60_000;

/**
 * Sort the active keys by what is known of their secret (see {@link AccessKeyDelivery}): the writes that
 * record late-found deliveries and discard lost keys, and the keys still pending.
 */
async function sortByDelivery(
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
    const used = await send(ctx, 'iam', 'GetAccessKeyLastUsed', { AccessKeyId: key.accessKeyId });
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

function describe(write: KeyWrite): string {
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

const byAge = (a: AccessKeySummary, b: AccessKeySummary) =>
  (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0);

/** Decide the key writes (pure): throws a ConflictError before any write when rotation is impossible. */
function planKeys(
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
async function applyKeys(
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
      const made = await createKeyAlone(ctx, userName, new Set(keys.map((k) => k.accessKeyId)));
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
        await send(ctx, 'iam', 'UpdateAccessKey', {
          UserName: userName,
          AccessKeyId: id,
          Status: 'Inactive',
        });
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
async function deleteKey(ctx: SsoContext, userName: string, accessKeyId: string): Promise<void> {
  await send(ctx, 'iam', 'DeleteAccessKey', { UserName: userName, AccessKeyId: accessKeyId }).catch(
    (error: unknown) => {
      if (!isAwsError(error, 'NoSuchEntity')) throw error;
    },
  );
}

const CREATE_ATTEMPTS = 3;

/**
 * Create a key, making sure no other run created one at the same moment (IAM has no conditional
 * create): list the keys again after the create; if an active key appeared that was not there at the
 * start, another run is making one too. Then this call deletes its own new key (never delivered) and
 * uses the other run's — or, when both stepped back, tries again after a random pause. A run keeps its
 * key only if its list after the create shows no newcomer, so of two runs at most one keeps its key.
 */
async function createKeyAlone(
  ctx: SsoContext,
  userName: string,
  known: ReadonlySet<string>,
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

async function createKey(
  ctx: SsoContext,
  userName: string,
): Promise<{ key: NewAccessKey; attempts: number }> {
  const out = await send(ctx, 'iam', 'CreateAccessKey', { UserName: userName });
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
