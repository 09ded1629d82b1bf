/**
 * destroyOktaApiUser against the sandbox with the real IAM client: the access keys, then the policies
 * detached, then the user; only this stack's user; a deleted key stops signing at once.
 */
import { CreateUserCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { createOktaAccessPolicy } from '../../../src/resources/iam-policies/ensure.js';
import { destroyOktaApiUser } from '../../../src/resources/okta-api-user/destroy.js';
import { createOktaApiUser } from '../../../src/resources/okta-api-user/ensure.js';
import { iamClient, sandboxSuite } from '../../helpers.js';

const suite = sandboxSuite();
const { ctx, writeOps } = suite;

describe('destroyOktaApiUser', () => {
  it('deletes the keys, detaches the policy, deletes the user; a second call writes nothing', async () => {
    const policy = await createOktaAccessPolicy(ctx(), { policyName: 'okta_cli_policy_a' });
    const made = await createOktaApiUser(ctx(), {
      userName: 'okta_user_a',
      policyArn: policy.policyArn as string,
    });
    const key = made.accessKey;
    if (!key?.secretAvailable) throw new Error('expected a new key');
    const secret = key.secretAccessKey.reveal();
    suite.sb.resetRequests();

    const planned = await destroyOktaApiUser(ctx(), { userName: 'okta_user_a', dryRun: true });
    expect(planned.map((r) => [r.kind, r.resource, r.action])).toEqual([
      ['iam-access-key', `iam access key ${key.accessKeyId} of okta_user_a`, 'delete'],
      ['iam-user', 'iam user okta_user_a', 'delete'],
    ]);
    expect(planned[1]?.reason).toBe(
      'after its 1 access key(s), then detach okta_cli_policy_a, then delete the user',
    );
    expect(writeOps()).toEqual([]);

    const done = await destroyOktaApiUser(ctx(), { userName: 'okta_user_a' });
    expect(done.every((r) => r.action === 'delete' && !r.dryRun)).toBe(true);
    expect(writeOps()).toEqual(['DeleteAccessKey', 'DetachUserPolicy', 'DeleteUser']);
    expect(suite.sb.state().iam.users.map((u) => u.name)).not.toContain('okta_user_a');
    expect(suite.sb.state().iam.accessKeys.map((k) => k.accessKeyId)).not.toContain(key.accessKeyId);
    // The policy is a resource of its own (destroyManagedPolicy).
    expect(suite.sb.state().iam.policies.map((p) => p.name)).toContain('okta_cli_policy_a');
    // The key no longer signs anything.
    const withKey = new IAMClient({
      endpoint: suite.sb.aws.endpoint,
      region: suite.sb.aws.region,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: secret },
      maxAttempts: 1,
    });
    await expect(withKey.send(new GetUserCommand({ UserName: 'okta_user_a' }))).rejects.toThrow();
    // No record carries the secret.
    expect(JSON.stringify([planned, done])).not.toContain(secret);

    suite.sb.resetRequests();
    expect(await destroyOktaApiUser(ctx(), { userName: 'okta_user_a' })).toEqual([
      expect.objectContaining({ action: 'absent', resource: 'iam user okta_user_a' }),
    ]);
    expect(writeOps()).toEqual([]);
  });

  it("never touches a same-named user that is not this stack's, nor its keys", async () => {
    await iamClient(suite.sb).send(new CreateUserCommand({ UserName: 'okta_user_b' }));
    const policy = await createOktaAccessPolicy(ctx('other-stack'), { policyName: 'okta_cli_policy_c' });
    await createOktaApiUser(ctx('other-stack'), {
      userName: 'okta_user_c',
      policyArn: policy.policyArn as string,
    });
    suite.sb.resetRequests();
    const [foreign] = await destroyOktaApiUser(ctx(), { userName: 'okta_user_b' });
    expect(foreign).toMatchObject({ kind: 'iam-user', action: 'foreign' });
    const [other] = await destroyOktaApiUser(ctx(), { userName: 'okta_user_c' });
    expect(other?.reason).toContain("stack 'other-stack'");
    expect(writeOps()).toEqual([]);
    expect(suite.sb.state().iam.accessKeys.filter((k) => k.userName === 'okta_user_c')).toHaveLength(1);
  });

  it('refuses a bad user name before any request', async () => {
    await expect(destroyOktaApiUser(ctx(), { userName: 'a b' })).rejects.toBeInstanceOf(ConfigError);
    expect(suite.sb.requests()).toEqual([]);
  });
});
