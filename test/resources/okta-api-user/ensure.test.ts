/**
 * Guide step 4 (createOktaApiUser) against the sandbox, through the real @aws-sdk/client-iam: the user,
 * its policy, and the access-key lifecycle.
 */
import { inspect } from 'node:util';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListRolesCommand,
  ListUserTagsCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/core/context.js';
import { ConfigError, ConflictError, ProviderError } from '../../../src/core/errors.js';
import { Secret } from '../../../src/core/secret.js';
import { createOktaAccessPolicy } from '../../../src/resources/iam-policies/ensure.js';
import { createOktaApiUser, type OktaApiUserResult } from '../../../src/resources/okta-api-user/ensure.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { iamClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';

let sb: Sandbox;
let iam: IAMClient;
let policyArn: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  iam = iamClient(sb);
  policyArn = (await createOktaAccessPolicy(sandboxContext(sb))).policyArn as string;
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(() => sb.resetRequests());

const writeOps = () => writes(sb).map((r) => r.operation);

async function keysOf(userName: string): Promise<{ id: string; status: string }[]> {
  const out = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return (out.AccessKeyMetadata ?? []).map((k) => ({
    id: k.AccessKeyId as string,
    status: k.Status as string,
  }));
}

function newSecret(result: OktaApiUserResult): string {
  if (!result.accessKey?.secretAvailable) throw new Error('expected a new access key');
  return result.accessKey.secretAccessKey.reveal();
}

/** Whether a key is accepted by (the sandbox) IAM: signs a call with it. */
async function keyWorks(accessKeyId: string, secretAccessKey: string): Promise<boolean> {
  const client = iamClient(sb, { credentials: { accessKeyId, secretAccessKey } });
  try {
    await client.send(new ListRolesCommand({}));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidClientTokenId') return false;
    throw error;
  }
}

/** Replays a request log of key writes and returns the largest number of keys held at any moment. */
function maxKeysAlongTheWay(startCount: number, operations: string[]): number {
  let count = startCount;
  let max = count;
  for (const op of operations) {
    if (op === 'CreateAccessKey') count++;
    if (op === 'DeleteAccessKey') count--;
    max = Math.max(max, count);
  }
  return max;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('createOktaApiUser', () => {
  it('creates the user with tags, attaches the policy and creates one key whose secret is returned once', async () => {
    const logger = recordingLogger();
    const result = await createOktaApiUser(sandboxContext(sb, { logger }), { policyArn });
    expect(result).toMatchObject({
      action: 'created',
      resource: 'iam user okta_cli_user',
      userName: 'okta_cli_user',
      userArn: 'arn:aws:iam::123456789012:user/okta_cli_user',
      policyArn,
      dryRun: false,
      warnings: [],
    });
    expect(result.changes).toEqual([
      'create user okta_cli_user',
      `attach policy ${policyArn}`,
      'create access key',
    ]);
    expect(writeOps()).toEqual(['CreateUser', 'AttachUserPolicy', 'CreateAccessKey']);

    const key = result.accessKey;
    expect(key?.secretAvailable).toBe(true);
    if (!key?.secretAvailable) return;
    expect(key.secretAccessKey).toBeInstanceOf(Secret);
    expect(key.accessKeyId).toMatch(/^AKIA/);
    expect(key.createdAt).toBeInstanceOf(Date);
    expect(result.keys).toEqual([
      { accessKeyId: key.accessKeyId, status: 'Active', createdAt: key.createdAt },
    ]);

    // The key is real and the policy lets it do what Okta needs.
    const secret = key.secretAccessKey.reveal();
    expect(secret).toHaveLength(40);
    expect(await keyWorks(key.accessKeyId, secret)).toBe(true);

    // The secret appears nowhere but in reveal().
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(inspect(result, { depth: 10 })).not.toContain(secret);
    expect(String(key.secretAccessKey)).toBe('[redacted]');
    expect(logger.lines.join('\n')).not.toContain(secret);
    expect(logger.lines.filter((l) => l.startsWith('info'))).toHaveLength(3);

    const tags = await iam.send(new ListUserTagsCommand({ UserName: 'okta_cli_user' }));
    expect(Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      'managed-by': 'connect-okta-sso',
      'connect-okta-sso:stack': 'test-stack',
    });
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'okta_cli_user' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([policyArn]);

    // A second call: zero writes, one key, and it says the secret is not available.
    sb.resetRequests();
    const again = await createOktaApiUser(sandboxContext(sb), { policyArn });
    expect(writes(sb)).toEqual([]);
    expect(again).toMatchObject({ action: 'unchanged', changes: [] });
    expect(again.accessKey).toEqual({
      secretAvailable: false,
      accessKeyId: key.accessKeyId,
      status: 'Active',
      createdAt: key.createdAt,
    });
    expect(await keysOf('okta_cli_user')).toHaveLength(1);
  });

  it('rotate: creates a new key, deactivates then deletes the old one, never holding more than 2', async () => {
    const userName = 'rotate_one';
    const first = await createOktaApiUser(sandboxContext(sb), { userName, policyArn });
    const oldId = first.accessKey?.accessKeyId as string;
    const oldSecret = newSecret(first);

    sb.resetRequests();
    const rotated = await createOktaApiUser(sandboxContext(sb), { userName, policyArn, accessKey: 'rotate' });
    expect(rotated.action).toBe('updated');
    expect(rotated.changes).toEqual([
      'create access key',
      `deactivate old access key ${oldId}`,
      `delete old access key ${oldId}`,
    ]);
    expect(writeOps()).toEqual(['CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey']);
    expect(maxKeysAlongTheWay(1, writeOps())).toBe(2);

    const newId = rotated.accessKey?.accessKeyId as string;
    expect(newId).not.toBe(oldId);
    expect(await keysOf(userName)).toEqual([{ id: newId, status: 'Active' }]);
    expect(rotated.keys?.map((k) => k.accessKeyId)).toEqual([newId]);
    expect(await keyWorks(newId, newSecret(rotated))).toBe(true);
    expect(await keyWorks(oldId, oldSecret)).toBe(false);
  });

  it('rotate at 2 keys deletes the inactive one first', async () => {
    const userName = 'rotate_two';
    const first = await createOktaApiUser(sandboxContext(sb), { userName, policyArn });
    const activeId = first.accessKey?.accessKeyId as string;
    const extra = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const inactiveId = extra.AccessKey?.AccessKeyId as string;
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: inactiveId, Status: 'Inactive' }),
    );

    sb.resetRequests();
    const rotated = await createOktaApiUser(sandboxContext(sb), { userName, policyArn, accessKey: 'rotate' });
    expect(rotated.changes).toEqual([
      `delete inactive access key ${inactiveId} (a user can have only 2 access keys)`,
      'create access key',
      `deactivate old access key ${activeId}`,
      `delete old access key ${activeId}`,
    ]);
    expect(writeOps()).toEqual(['DeleteAccessKey', 'CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey']);
    expect(maxKeysAlongTheWay(2, writeOps())).toBe(2);
    expect(await keysOf(userName)).toEqual([{ id: rotated.accessKey?.accessKeyId, status: 'Active' }]);
  });

  it('rotate with two active keys is a ConflictError that names both, before any write', async () => {
    const userName = 'rotate_conflict';
    const first = await createOktaApiUser(sandboxContext(sb), { userName, policyArn });
    const second = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    const ids = [first.accessKey?.accessKeyId as string, second.AccessKey?.AccessKeyId as string];

    sb.resetRequests();
    const error = await createOktaApiUser(sandboxContext(sb), {
      userName,
      policyArn,
      accessKey: 'rotate',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    for (const id of ids) expect((error as Error).message).toContain(id);
    expect((error as Error).message).toContain('--status Inactive');
    expect(writes(sb)).toEqual([]);

    // if-missing keeps both and reports the newest active one.
    const kept = await createOktaApiUser(sandboxContext(sb), { userName, policyArn });
    expect(kept.action).toBe('unchanged');
    expect(kept.accessKey).toMatchObject({ secretAvailable: false, accessKeyId: ids[1] });
    expect(writes(sb)).toEqual([]);
  });

  it('if-missing creates a key when only inactive keys exist, deleting the oldest inactive at 2', async () => {
    // A sandbox on a clock the test moves, so that the two keys have distinct creation times.
    const SEED = 3;
    let now = Date.now();
    const timed = await startTestSandbox({ now: () => now, seed: SEED });
    try {
      const client = iamClient(timed);
      const userName = 'inactive_only';
      const arn = (await createOktaAccessPolicy(sandboxContext(timed))).policyArn as string;
      await createOktaApiUser(sandboxContext(timed), { userName, policyArn: arn, accessKey: 'never' });
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const key = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
        ids.push(key.AccessKey?.AccessKeyId as string);
        now += 2000;
      }
      const listed = await client.send(new ListAccessKeysCommand({ UserName: userName }));
      const older = [...(listed.AccessKeyMetadata ?? [])].sort(
        (a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0),
      );
      const [oldestId, newerId] = older.map((k) => k.AccessKeyId as string) as [string, string];
      // The seed makes the older key's id sort last, so that only the creation time tells which is older.
      expect(oldestId > newerId).toBe(true);
      for (const id of ids) {
        await client.send(
          new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: 'Inactive' }),
        );
      }
      timed.resetRequests();
      const result = await createOktaApiUser(sandboxContext(timed), { userName, policyArn: arn });
      expect(writes(timed).map((r) => r.operation)).toEqual(['DeleteAccessKey', 'CreateAccessKey']);
      expect(result.changes[0]).toBe(
        `delete inactive access key ${oldestId} (a user can have only 2 access keys)`,
      );
      expect(result.accessKey?.secretAvailable).toBe(true);
      const keys =
        (await client.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
      expect(keys.map((k) => `${k.AccessKeyId}:${k.Status}`).sort()).toEqual(
        [`${newerId}:Inactive`, `${result.accessKey?.accessKeyId}:Active`].sort(),
      );
    } finally {
      await timed.stop();
    }
  });

  it('never: user and policy, and no access-key call at all', async () => {
    const userName = 'no_keys';
    const result = await createOktaApiUser(sandboxContext(sb), { userName, policyArn, accessKey: 'never' });
    expect(result).toMatchObject({ action: 'created', accessKey: undefined, keys: undefined });
    expect(writeOps()).toEqual(['CreateUser', 'AttachUserPolicy']);
    expect(sb.requests().filter((r) => /AccessKey/.test(r.operation))).toEqual([]);
    expect(await keysOf(userName)).toEqual([]);
  });

  it('re-attaches a policy detached by hand', async () => {
    const userName = 'attach_later';
    const other = await createOktaAccessPolicy(sandboxContext(sb), { policyName: 'other_cli_policy' });
    await createOktaApiUser(sandboxContext(sb), {
      userName,
      policyArn: other.policyArn as string,
      accessKey: 'never',
    });
    sb.resetRequests();
    const result = await createOktaApiUser(sandboxContext(sb), { userName, policyArn, accessKey: 'never' });
    expect(result).toMatchObject({ action: 'updated', changes: [`attach policy ${policyArn}`] });
    expect(writeOps()).toEqual(['AttachUserPolicy']);
  });

  it('a user with our name but not our tags is a ConflictError; adopt: true tags and manages it', async () => {
    const userName = 'hand_made';
    await iam.send(new CreateUserCommand({ UserName: userName }));
    sb.resetRequests();
    const error = await createOktaApiUser(sandboxContext(sb), { userName, policyArn }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ resource: `iam user ${userName}` });
    expect((error as Error).message).toMatch(/not created by connect-okta-sso.*adopt: true/s);
    expect(writes(sb)).toEqual([]);

    const adopted = await createOktaApiUser(sandboxContext(sb), { userName, policyArn, adopt: true });
    expect(adopted.action).toBe('updated');
    expect(writeOps()).toEqual(['TagUser', 'AttachUserPolicy', 'CreateAccessKey']);
    const user = await iam.send(new GetUserCommand({ UserName: userName }));
    expect(user.User?.Tags).toContainEqual({ Key: 'connect-okta-sso:stack', Value: 'test-stack' });

    sb.resetRequests();
    expect((await createOktaApiUser(sandboxContext(sb), { userName, policyArn })).action).toBe('unchanged');
    expect(writes(sb)).toEqual([]);
  });

  it('dryRun writes nothing and reports the same action and changes as the real call', async () => {
    const userName = 'dry_user';
    const planned = await createOktaApiUser(sandboxContext(sb), { userName, policyArn, dryRun: true });
    expect(planned).toMatchObject({
      action: 'created',
      dryRun: true,
      userArn: undefined,
      accessKey: undefined,
    });
    expect(writes(sb)).toEqual([]);
    const applied = await createOktaApiUser(sandboxContext(sb), { userName, policyArn });
    expect(applied.action).toBe(planned.action);
    expect(applied.changes).toEqual(planned.changes);

    sb.resetRequests();
    const plannedRotation = await createOktaApiUser(sandboxContext(sb), {
      userName,
      policyArn,
      accessKey: 'rotate',
      dryRun: true,
    });
    expect(plannedRotation.action).toBe('updated');
    expect(plannedRotation.changes).toHaveLength(3);
    expect(plannedRotation.keys).toEqual([]); // the old key would be gone; the new one does not exist yet
    expect(writes(sb)).toEqual([]);
    expect(await keysOf(userName)).toEqual([{ id: applied.accessKey?.accessKeyId, status: 'Active' }]);
  });

  it.each([
    [{ policyArn: 'arn:aws:iam::123456789012:role/Okta_Role' }, 'policyArn', /role\/Okta_Role/],
    [{ policyArn: 'okta_cli_policy' }, 'policyArn', /not an IAM managed policy ARN/],
    [{ policyArn: '' }, 'policyArn', /is required/],
    [{ userName: 'okta cli user' }, 'userName', /1–64/],
    [{ userName: 'u'.repeat(65) }, 'userName', /1–64/],
    [{ accessKey: 'sometimes' }, 'accessKey', /'if-missing', 'rotate' or 'never'/],
    [{ adopt: 'yes' }, 'adopt', /true or false/],
  ])('rejects %j before any request', async (bad, field, message) => {
    const error = await createOktaApiUser(sandboxContext(sb), { policyArn, ...bad } as never).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toMatch(message);
    expect(sb.requests().length).toBe(0);
  });

  it('accepts AWS managed and GovCloud policy ARNs', async () => {
    const result = await createOktaApiUser(sandboxContext(sb), {
      userName: 'gov_check',
      policyArn: 'arn:aws-us-gov:iam::aws:policy/IAMReadOnlyAccess',
      dryRun: true,
    });
    expect(result.action).toBe('created');
  });
});

describe('provider errors and secrets', () => {
  it('a failure cleaning up the old key after rotation still returns the new secret, as a warning', async () => {
    const faulty = await startTestSandbox({
      faults: [{ service: 'iam', operation: 'UpdateAccessKey', kind: 'server-error' }],
    });
    try {
      const arn = (await createOktaAccessPolicy(sandboxContext(faulty))).policyArn as string;
      const first = await createOktaApiUser(sandboxContext(faulty), { policyArn: arn });
      const oldId = first.accessKey?.accessKeyId as string;
      const logger = recordingLogger();
      const rotated = await createOktaApiUser(sandboxContext(faulty, { logger }), {
        policyArn: arn,
        accessKey: 'rotate',
      });
      const secret = newSecret(rotated);
      expect(rotated.warnings).toHaveLength(1);
      expect(rotated.warnings[0]).toContain(
        `could not deactivate old access key ${oldId} (iam UpdateAccessKey failed`,
      );
      expect(rotated.keys?.map((k) => k.accessKeyId).sort()).toEqual(
        [oldId, rotated.accessKey?.accessKeyId].sort(),
      );
      for (const text of [
        JSON.stringify(rotated),
        inspect(rotated, { depth: 10 }),
        logger.lines.join('\n'),
      ]) {
        expect(text).not.toContain(secret);
      }
      // The next rotation cannot know which active key Okta uses: it says so instead of guessing.
      await expect(
        createOktaApiUser(sandboxContext(faulty), { policyArn: arn, accessKey: 'rotate' }),
      ).rejects.toBeInstanceOf(ConflictError);
    } finally {
      await faulty.stop();
    }
  });

  it('maps an IAM failure to a ProviderError whose message and inspection hold no secret', async () => {
    const faulty = await startTestSandbox({
      faults: [{ service: 'iam', operation: 'AttachUserPolicy', kind: 'server-error' }],
    });
    try {
      const arn = (await createOktaAccessPolicy(sandboxContext(faulty))).policyArn as string;
      faulty.resetRequests();
      const error = await createOktaApiUser(sandboxContext(faulty), { policyArn: arn }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        service: 'iam',
        operation: 'AttachUserPolicy',
        providerCode: 'ServiceFailure',
        httpStatus: 500,
      });
      expect((error as ProviderError).requestId).toMatch(/\S/);
      expect(inspect(error, { depth: 10 })).not.toContain(faulty.aws.credentials.secretAccessKey);
      expect(faulty.requests().map((r) => r.operation)).toEqual([
        'GetUser',
        'CreateUser',
        'AttachUserPolicy',
      ]);
    } finally {
      await faulty.stop();
    }
  });
});
