/**
 * Guide step 4: the IAM user Okta's API integration signs in with (`okta_cli_user`), the policy it
 * needs, and its access key.
 *
 * Access keys are the delicate part: IAM shows a secret once, at creation, and allows two keys per
 * user. So this step never creates a key it does not have to, never has more than two at any moment,
 * and hands a new secret back exactly once, wrapped in a {@link Secret}.
 */
import {
  type AccessKeyMetadata,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  type User,
} from '@aws-sdk/client-iam';
import type { SsoContext } from '../context.js';
import { ConfigError, ConflictError, ConnectSsoError, ProviderError } from '../errors.js';
import { Secret } from '../secret.js';
import type { StepOptions, StepResultBase } from '../step.js';
import { parseArn } from './arn.js';
import { awsCall, isAwsError } from './call.js';
import { notOursError, ownershipOf, ownershipTags } from './tags.js';

/**
 * What to do about the user's access key:
 * - `if-missing`: create one only when the user has no active key. A user that already has one keeps
 *   it, and the result says its secret is not available (IAM never shows it again).
 * - `rotate`: create a new key, then deactivate and delete the old one.
 * - `never`: make no access-key call at all (e.g. with Okta group mapping, which needs no key).
 */
export type AccessKeyPolicy = 'if-missing' | 'rotate' | 'never';

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
}

/** An access key of the user, without its secret. */
export interface AccessKeySummary {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdAt: Date | undefined;
}

/** A key created by this call: the only time its secret is available. */
export interface NewAccessKey {
  secretAvailable: true;
  accessKeyId: string;
  /** The secret access key. Prints `[redacted]`; `.reveal()` returns it. Store it now: IAM will not show it again. */
  secretAccessKey: Secret;
  createdAt: Date;
  status: 'Active';
}

/** A key that existed before this call: its secret cannot be had from IAM any more. */
export interface ExistingAccessKey {
  secretAvailable: false;
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdAt: Date | undefined;
}

export interface OktaApiUserResult extends StepResultBase {
  userName: string;
  /** Undefined on a `dryRun` that would create the user. */
  userArn: string | undefined;
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
  | { kind: 'delete-old'; key: AccessKeySummary };

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
  const { userName, keyPolicy } = validate(input);
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
  if (keyPolicy !== 'never') {
    keys = user ? await listKeys(ctx, userName) : [];
    ({ plan, existingKey } = planKeys(resource, userName, keys, keyPolicy));
    changes.push(...plan.map(describe));
  }

  const action = !exists ? 'created' : changes.length > 0 ? 'updated' : 'unchanged';
  const base = { action, resource, changes, dryRun, userName, policyArn } as const;
  if (dryRun || changes.length === 0) {
    const remaining = keys?.filter((k) => !plan.some((w) => w.kind !== 'create' && w.key === k));
    return {
      ...base,
      userArn: user?.Arn,
      accessKey: plan.length > 0 ? undefined : existingKey,
      keys: remaining,
      warnings: [],
    };
  }

  // Apply
  let userArn = user?.Arn;
  if (!user) {
    const created = await awsCall(ctx, 'iam', 'CreateUser', (o) =>
      ctx.iam.send(new CreateUserCommand({ UserName: userName, Tags: ownershipTags(ctx) }), o),
    );
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
  const { newKey, remaining, warnings } = await applyKeys(ctx, userName, keys ?? [], plan);
  return {
    ...base,
    userArn,
    accessKey: newKey ?? existingKey,
    keys: keys === undefined ? undefined : remaining,
    warnings,
  };
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
): { plan: KeyWrite[]; existingKey: ExistingAccessKey | undefined } {
  const active = keys.filter((k) => k.status === 'Active').sort(byAge);
  const inactive = keys.filter((k) => k.status === 'Inactive').sort(byAge);
  const newestActive = active[active.length - 1];
  const existingKey: ExistingAccessKey | undefined = newestActive
    ? { secretAvailable: false, ...newestActive }
    : undefined;
  const room = 'a user can have only 2 access keys';

  if (keyPolicy === 'if-missing') {
    if (newestActive) return { plan: [], existingKey };
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
): Promise<{ newKey: NewAccessKey | undefined; remaining: AccessKeySummary[]; warnings: string[] }> {
  let remaining = [...keys];
  let newKey: NewAccessKey | undefined;
  const warnings: string[] = [];
  for (const write of plan) {
    if (write.kind === 'create') {
      newKey = await createKey(ctx, userName);
      remaining.push({ accessKeyId: newKey.accessKeyId, status: 'Active', createdAt: newKey.createdAt });
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
        await awsCall(ctx, 'iam', 'DeleteAccessKey', (o) =>
          ctx.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id }), o),
        );
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
  return { newKey, remaining, warnings };
}

async function createKey(ctx: SsoContext, userName: string): Promise<NewAccessKey> {
  const out = await awsCall(ctx, 'iam', 'CreateAccessKey', (o) =>
    ctx.iam.send(new CreateAccessKeyCommand({ UserName: userName }), o),
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
  return newKey;
}

async function getUser(ctx: SsoContext, userName: string): Promise<User | undefined> {
  try {
    const out = await awsCall(ctx, 'iam', 'GetUser', (o) =>
      ctx.iam.send(new GetUserCommand({ UserName: userName }), o),
    );
    return out.User;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

async function attachedPolicies(ctx: SsoContext, userName: string): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const out = await awsCall(ctx, 'iam', 'ListAttachedUserPolicies', (o) =>
      ctx.iam.send(
        new ListAttachedUserPoliciesCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }),
        o,
      ),
    );
    for (const p of out.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return arns;
}

async function listKeys(ctx: SsoContext, userName: string): Promise<AccessKeySummary[]> {
  const keys: AccessKeyMetadata[] = [];
  let marker: string | undefined;
  do {
    const out = await awsCall(ctx, 'iam', 'ListAccessKeys', (o) =>
      ctx.iam.send(
        new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }),
        o,
      ),
    );
    keys.push(...(out.AccessKeyMetadata ?? []));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return keys
    .filter((k): k is AccessKeyMetadata & { AccessKeyId: string } => typeof k.AccessKeyId === 'string')
    .map((k) => ({
      accessKeyId: k.AccessKeyId,
      status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
      createdAt: k.CreateDate,
    }));
}
