/**
 * destroyManagedPolicy against the sandbox with the real IAM client: non-default versions first, only
 * this stack's policy, a policy still attached to someone else's role blocked and explained.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError } from '../../../src/core/errors.js';
import { destroyManagedPolicy } from '../../../src/resources/iam-policies/destroy.js';
import { createFederationPolicy } from '../../../src/resources/iam-policies/ensure.js';
import { iamClient, sandboxSuite } from '../../helpers.js';

const ACCOUNT = '123456789012';
const instanceArn = (id: string) => `arn:aws:connect:us-east-1:${ACCOUNT}:instance/${id}`;
const INSTANCE_A = instanceArn('4f2c8a1e-9b7d-4c3e-8a6f-2d1b0e9c7a55');
const INSTANCE_B = instanceArn('5a3d9b2f-0c8e-4d4f-9b7a-3e2c1f0d8b66');
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const suite = sandboxSuite();
const { ctx, writeOps } = suite;
let iam: IAMClient;
beforeAll(() => {
  iam = iamClient(suite.sb);
});
const policyNames = () => suite.sb.state().iam.policies.map((p) => p.name);

describe('destroyManagedPolicy', () => {
  it('deletes the non-default versions, then the policy; a second call writes nothing', async () => {
    // Three versions: the document changed twice.
    await createFederationPolicy(ctx(), { instanceArn: INSTANCE_A, policyName: 'fed_a' });
    await createFederationPolicy(ctx(), { instanceArn: INSTANCE_B, policyName: 'fed_a' });
    await createFederationPolicy(ctx(), { instanceArn: INSTANCE_A, policyName: 'fed_a' });
    expect(suite.sb.state().iam.policies.find((p) => p.name === 'fed_a')?.versions).toHaveLength(3);
    suite.sb.resetRequests();

    const planned = await destroyManagedPolicy(ctx(), { policyName: 'fed_a', dryRun: true });
    expect(planned).toMatchObject({
      kind: 'iam-policy',
      resource: 'iam policy fed_a',
      id: `arn:aws:iam::${ACCOUNT}:policy/fed_a`,
      action: 'delete',
      dryRun: true,
    });
    expect(planned.reason).toBe('delete non-default version(s) v1, v2, then delete the policy');
    expect(writeOps()).toEqual([]);

    const done = await destroyManagedPolicy(ctx(), { policyName: 'fed_a' });
    expect(done.action).toBe('delete');
    expect(writeOps()).toEqual(['DeletePolicyVersion', 'DeletePolicyVersion', 'DeletePolicy']);
    expect(policyNames()).not.toContain('fed_a');

    suite.sb.resetRequests();
    const again = await destroyManagedPolicy(ctx(), { policyName: 'fed_a' });
    expect(again).toMatchObject({ action: 'absent', id: undefined });
    expect(writeOps()).toEqual([]);
  });

  it("leaves a policy without this stack's tags alone (foreign), and another stack's too", async () => {
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'hand_made',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }],
        }),
      }),
    );
    await createFederationPolicy(ctx('other-stack'), { instanceArn: INSTANCE_A, policyName: 'fed_other' });
    suite.sb.resetRequests();

    const foreign = await destroyManagedPolicy(ctx(), { policyName: 'hand_made' });
    expect(foreign.action).toBe('foreign');
    expect(foreign.reason).toContain('was not created by connect-okta-sso');
    const other = await destroyManagedPolicy(ctx(), { policyName: 'fed_other' });
    expect(other.action).toBe('foreign');
    expect(other.reason).toContain("belongs to connect-okta-sso stack 'other-stack', not 'acme-cc'");
    expect(writeOps()).toEqual([]);
    expect(policyNames()).toEqual(expect.arrayContaining(['hand_made', 'fed_other']));
  });

  it('is blocked while attached to a role the teardown does not remove: explained, nothing deleted', async () => {
    const policy = await createFederationPolicy(ctx(), { instanceArn: INSTANCE_A, policyName: 'fed_b' });
    const policyArn = policy.policyArn as string;
    await iam.send(new CreateRoleCommand({ RoleName: 'SomeoneElses', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'SomeoneElses', PolicyArn: policyArn }));
    suite.sb.resetRequests();

    const planned = await destroyManagedPolicy(ctx(), { policyName: 'fed_b', dryRun: true });
    expect(planned.action).toBe('blocked');
    expect(planned.reason).toContain('still attached to role SomeoneElses');
    expect(planned.reason).toContain(
      `aws iam detach-role-policy --role-name SomeoneElses --policy-arn ${policyArn}`,
    );

    // A role this teardown removes in an earlier step does not block the plan.
    const withOurs = await destroyManagedPolicy(ctx(), {
      policyName: 'fed_b',
      dryRun: true,
      detachedFrom: { roles: ['someoneelses'] },
    });
    expect(withOurs.action).toBe('delete');
    expect(withOurs.reason).toBe('after it is detached from SomeoneElses, then delete the policy');

    const error = await destroyManagedPolicy(ctx(), { policyName: 'fed_b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).resource).toBe('iam policy fed_b');
    expect((error as Error).message).toMatch(
      /^Cannot delete iam policy fed_b: it is still attached to role SomeoneElses/,
    );
    expect(writeOps()).toEqual([]);
    expect(policyNames()).toContain('fed_b');

    // Once the owner detaches it, the teardown finishes.
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'SomeoneElses', PolicyArn: policyArn }));
    suite.sb.resetRequests();
    expect((await destroyManagedPolicy(ctx(), { policyName: 'fed_b' })).action).toBe('delete');
    expect(writeOps()).toEqual(['DeletePolicy']);
  });

  it('uses the given account without asking IAM for it', async () => {
    await createFederationPolicy(ctx(), { instanceArn: INSTANCE_A, policyName: 'fed_c' });
    suite.sb.resetRequests();
    await destroyManagedPolicy(ctx(), { policyName: 'fed_c', accountId: ACCOUNT, dryRun: true });
    expect(suite.sb.requests().map((r) => r.operation)).toEqual([
      'GetPolicy',
      'ListEntitiesForPolicy',
      'ListPolicyVersions',
    ]);
  });

  it('refuses a bad name or account before any request', async () => {
    await expect(destroyManagedPolicy(ctx(), { policyName: 'no spaces' })).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(destroyManagedPolicy(ctx(), { policyName: 'fine', accountId: '12' })).rejects.toMatchObject({
      field: 'accountId',
    });
    expect(suite.sb.requests()).toEqual([]);
  });
});
