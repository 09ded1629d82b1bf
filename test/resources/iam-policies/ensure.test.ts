/**
 * Guide steps 2 and 3 (createFederationPolicy, createOktaAccessPolicy) against the sandbox, through the
 * real @aws-sdk/client-iam.
 */
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError, ProviderError } from '../../../src/core/errors.js';
import { samePolicy } from '../../../src/providers/aws/policy-document.js';
import {
  createFederationPolicy,
  createOktaAccessPolicy,
  federationPolicyDocument,
  oktaAccessPolicyDocument,
} from '../../../src/resources/iam-policies/ensure.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { iamClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';

const ACCOUNT = '123456789012';
const INSTANCE_ID = '4f2c8a1e-9b7d-4c3e-8a6f-2d1b0e9c7a55';
const INSTANCE_ARN = `arn:aws:connect:us-east-1:${ACCOUNT}:instance/${INSTANCE_ID}`;

let sb: Sandbox;
let iam: IAMClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  iam = iamClient(sb);
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(() => sb.resetRequests());

const ops = () => sb.requests().map((r) => r.operation);
const writeOps = () => writes(sb).map((r) => r.operation);
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

async function defaultDocument(arn: string): Promise<{ versionId: string; document: string }> {
  const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  const versionId = Policy?.DefaultVersionId as string;
  const { PolicyVersion } = await iam.send(
    new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }),
  );
  return { versionId, document: PolicyVersion?.Document as string };
}

async function versions(arn: string): Promise<{ id: string; isDefault: boolean }[]> {
  const out = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  return (out.Versions ?? [])
    .map((v) => ({ id: v.VersionId as string, isDefault: v.IsDefaultVersion === true }))
    .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

async function tagsOf(arn: string): Promise<Record<string, string>> {
  const out = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }));
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key, t.Value]));
}

describe('createOktaAccessPolicy', () => {
  it('creates the guide policy with ownership tags in an account with no policy yet, then makes zero writes', async () => {
    // A sandbox of its own: the account must have no customer managed policy yet.
    const outer = sb;
    sb = await startTestSandbox();
    iam = iamClient(sb);
    try {
      await freshAccount();
    } finally {
      await sb.stop();
      sb = outer;
      iam = iamClient(sb);
    }
  });

  async function freshAccount(): Promise<void> {
    const ctx = sandboxContext(sb);
    const first = await createOktaAccessPolicy(ctx);
    expect(first).toMatchObject({
      action: 'created',
      resource: 'iam policy okta_cli_policy',
      dryRun: false,
      policyName: 'okta_cli_policy',
      policyArn: policyArn('okta_cli_policy'),
      versionId: 'v1',
    });
    expect(first.changes).toEqual(['create policy okta_cli_policy']);
    // No local policy existed: the account could not be learned, so no GetPolicy was needed either.
    expect(ops()).toEqual(['ListPolicies', 'CreatePolicy']);

    const stored = await defaultDocument(policyArn('okta_cli_policy'));
    expect(stored.document).toMatch(/^%7B/i); // IAM returns it URL-encoded
    expect(samePolicy(stored.document, oktaAccessPolicyDocument())).toBe(true);
    expect(JSON.parse(decodeURIComponent(stored.document))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' }],
    });
    expect(await tagsOf(policyArn('okta_cli_policy'))).toEqual({
      'managed-by': 'connect-okta-sso',
      'connect-okta-sso:stack': 'test-stack',
    });

    sb.resetRequests();
    const second = await createOktaAccessPolicy(ctx);
    expect(second).toMatchObject({ action: 'unchanged', changes: [], versionId: 'v1' });
    expect(writes(sb)).toEqual([]);
    // The account came from CreatePolicy's answer and is cached on the context.
    expect(ops()).toEqual(['GetPolicy', 'GetPolicyVersion']);

    // A new context discovers the account with one cheap read.
    sb.resetRequests();
    const third = await createOktaAccessPolicy(sandboxContext(sb));
    expect(third.action).toBe('unchanged');
    expect(ops()).toEqual(['ListPolicies', 'GetPolicy', 'GetPolicyVersion']);
  }

  it('compares documents by meaning: reordered actions, a one-element array and spacing are no change', async () => {
    const name = 'cli_semantic';
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: name,
        PolicyDocument:
          '{ "Statement": { "Resource": ["*"], "Action": ["iam:ListAccountAliases", "iam:ListRoles"], "Effect": "Allow" }, "Version": "2012-10-17" }',
        Tags: [
          { Key: 'managed-by', Value: 'connect-okta-sso' },
          { Key: 'connect-okta-sso:stack', Value: 'test-stack' },
        ],
      }),
    );
    sb.resetRequests();
    const result = await createOktaAccessPolicy(sandboxContext(sb), { policyName: name });
    expect(result.action).toBe('unchanged');
    expect(writes(sb)).toEqual([]);
  });
});

describe('createFederationPolicy', () => {
  it('creates the guide document for the instance ARN, reads the account from it, and is idempotent', async () => {
    const ctx = sandboxContext(sb);
    const result = await createFederationPolicy(ctx, { instanceArn: INSTANCE_ARN });
    expect(result).toMatchObject({
      action: 'created',
      policyName: 'okta_federation_policy',
      policyArn: policyArn('okta_federation_policy'),
      versionId: 'v1',
    });
    expect(ops()).toEqual(['GetPolicy', 'CreatePolicy']); // no account discovery: the ARN names it
    expect(result.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Statement1',
          Effect: 'Allow',
          Action: 'connect:GetFederationToken',
          Resource: [`${INSTANCE_ARN}/user/\${aws:userid}`],
        },
      ],
    });
    const stored = await defaultDocument(result.policyArn as string);
    expect(decodeURIComponent(stored.document)).toContain(`"${INSTANCE_ARN}/user/\${aws:userid}"`);

    sb.resetRequests();
    const again = await createFederationPolicy(sandboxContext(sb), { instanceArn: INSTANCE_ARN });
    expect(again).toMatchObject({ action: 'unchanged', changes: [], versionId: 'v1' });
    expect(writes(sb)).toEqual([]);
  });

  it('repairs a document changed by hand with a new default version', async () => {
    const name = 'fed_drift';
    const arn = policyArn(name);
    await createFederationPolicy(sandboxContext(sb), { instanceArn: INSTANCE_ARN, policyName: name });
    const other = federationPolicyDocument(
      `arn:aws:connect:us-east-1:${ACCOUNT}:instance/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
    );
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: JSON.stringify(other),
        SetAsDefault: true,
      }),
    );

    sb.resetRequests();
    const result = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    });
    expect(result.action).toBe('updated');
    expect(result.versionId).toBe('v3');
    expect(result.changes).toEqual([
      'document: default version v2 differs from the desired document',
      'create a new default version with the desired document',
    ]);
    expect(writeOps()).toEqual(['CreatePolicyVersion']);
    const stored = await defaultDocument(arn);
    expect(stored.versionId).toBe('v3');
    expect(samePolicy(stored.document, federationPolicyDocument(INSTANCE_ARN))).toBe(true);

    sb.resetRequests();
    expect(
      (await createFederationPolicy(sandboxContext(sb), { instanceArn: INSTANCE_ARN, policyName: name }))
        .action,
    ).toBe('unchanged');
    expect(writes(sb)).toEqual([]);
  });

  it('at the limit of 5 versions deletes the oldest non-default version first', async () => {
    const name = 'fed_limit';
    const arn = policyArn(name);
    await createFederationPolicy(sandboxContext(sb), { instanceArn: INSTANCE_ARN, policyName: name });
    const drifted = JSON.stringify(oktaAccessPolicyDocument());
    for (let i = 0; i < 4; i++) {
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: drifted, SetAsDefault: true }),
      );
    }
    expect((await versions(arn)).map((v) => v.id)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);

    sb.resetRequests();
    const result = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    });
    expect(result.action).toBe('updated');
    expect(result.changes).toContain('delete oldest non-default version v1 (a policy keeps at most 5)');
    expect(writeOps()).toEqual(['DeletePolicyVersion', 'CreatePolicyVersion']);
    expect(await versions(arn)).toEqual([
      { id: 'v2', isDefault: false },
      { id: 'v3', isDefault: false },
      { id: 'v4', isDefault: false },
      { id: 'v5', isDefault: false },
      { id: 'v6', isDefault: true },
    ]);
    expect(result.versionId).toBe('v6');
  });

  it('never prunes the default version, even when it is the oldest', async () => {
    // A hand-made policy whose default v1 is wrong and whose v2–v5 are newer, non-default versions.
    const name = 'fed_oldest_default';
    const arn = policyArn(name);
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: name,
        PolicyDocument: JSON.stringify(oktaAccessPolicyDocument()),
      }),
    );
    for (let i = 0; i < 4; i++) {
      await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: JSON.stringify(oktaAccessPolicyDocument()),
          SetAsDefault: false,
        }),
      );
    }
    sb.resetRequests();
    const result = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
      adopt: true,
    });
    expect(result.action).toBe('updated');
    expect(writeOps()).toEqual(['TagPolicy', 'DeletePolicyVersion', 'CreatePolicyVersion']);
    expect((await versions(arn)).map((v) => `${v.id}${v.isDefault ? '*' : ''}`)).toEqual([
      'v1',
      'v3',
      'v4',
      'v5',
      'v6*',
    ]);
  });

  it('a policy with our name but not our tags is a ConflictError; adopt: true tags it and manages it', async () => {
    const name = 'fed_foreign';
    const arn = policyArn(name);
    const doc = JSON.stringify(federationPolicyDocument(INSTANCE_ARN));
    await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: doc }));

    sb.resetRequests();
    const error = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'RESOURCE_CONFLICT', resource: `iam policy ${name}` });
    expect((error as Error).message).toContain('not created by connect-okta-sso');
    expect((error as Error).message).toContain('adopt: true');
    expect(writes(sb)).toEqual([]);

    // The conflict is found by a dry run too (the plan must show it).
    await expect(
      createFederationPolicy(sandboxContext(sb), {
        instanceArn: INSTANCE_ARN,
        policyName: name,
        dryRun: true,
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    sb.resetRequests();
    const adopted = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
      adopt: true,
    });
    expect(adopted.action).toBe('updated');
    expect(adopted.changes).toEqual([`tag iam policy ${name} as managed by stack 'test-stack' (adopt)`]);
    expect(writeOps()).toEqual(['TagPolicy']);
    expect(await tagsOf(arn)).toMatchObject({
      'managed-by': 'connect-okta-sso',
      'connect-okta-sso:stack': 'test-stack',
    });

    sb.resetRequests();
    const after = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    });
    expect(after.action).toBe('unchanged');
    expect(writes(sb)).toEqual([]);
  });

  it("another stack's policy is a ConflictError that names the stack", async () => {
    const name = 'fed_other_stack';
    await createFederationPolicy(sandboxContext(sb, { stack: 'prod' }), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    });
    sb.resetRequests();
    await expect(
      createFederationPolicy(sandboxContext(sb), { instanceArn: INSTANCE_ARN, policyName: name }),
    ).rejects.toThrow(/belongs to connect-okta-sso stack 'prod', not 'test-stack'/);
    expect(writes(sb)).toEqual([]);
  });

  it('dryRun writes nothing and reports what the real call then does', async () => {
    const name = 'fed_dry';
    const planned = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
      dryRun: true,
    });
    expect(planned).toMatchObject({
      action: 'created',
      dryRun: true,
      policyArn: undefined,
      versionId: undefined,
    });
    expect(writes(sb)).toEqual([]);
    const applied = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    });
    expect(applied.action).toBe(planned.action);
    expect(applied.changes).toEqual(planned.changes);

    // Drift: the dry run sees it and leaves it.
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: policyArn(name),
        PolicyDocument: JSON.stringify(oktaAccessPolicyDocument()),
        SetAsDefault: true,
      }),
    );
    sb.resetRequests();
    const plannedUpdate = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
      dryRun: true,
    });
    expect(plannedUpdate).toMatchObject({
      action: 'updated',
      dryRun: true,
      policyArn: policyArn(name),
      versionId: undefined,
    });
    expect(writes(sb)).toEqual([]);
    expect((await defaultDocument(policyArn(name))).versionId).toBe('v2');
    const appliedUpdate = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ARN,
      policyName: name,
    });
    expect(appliedUpdate.action).toBe('updated');
    expect(appliedUpdate.changes).toEqual(plannedUpdate.changes);
  });

  it.each([
    [INSTANCE_ID, /got the instance id '4f2c8a1e-.*'; the policy needs the instance ARN/],
    [`arn:aws:iam::${ACCOUNT}:role/Okta_Role`, /is the ARN of a iam resource, not of a Connect instance/],
    [
      `${INSTANCE_ARN}/agent/1234`,
      /is the ARN of the Connect resource 'instance\/.*\/agent\/1234', not of an instance/,
    ],
    [`arn:aws-cn:connect:cn-north-1:${ACCOUNT}:instance/${INSTANCE_ID}`, /aws-cn partition/],
    [
      `arn:aws:connect:us-east-1:${ACCOUNT}:instance/my-instance`,
      /'my-instance', which is not a Connect instance id/,
    ],
    [
      `arn:aws:connect:us-gov-west-1:${ACCOUNT}:instance/${INSTANCE_ID}`,
      /us-gov-west-1' is in the aws-us-gov partition, not aws/,
    ],
    [`arn:aws:connect:moon-1:${ACCOUNT}:instance/${INSTANCE_ID}`, /'moon-1' is not an AWS region/],
    ['not an arn', /'not an arn' is not an ARN \(expected arn:aws:connect:<region>/],
    ['', /is required/],
  ])('instanceArn %j is rejected before any request', async (instanceArn, message) => {
    sb.resetRequests();
    const error = await createFederationPolicy(sandboxContext(sb), { instanceArn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'instanceArn' });
    expect((error as Error).message).toMatch(message);
    expect(sb.requests().length).toBe(0);
  });

  it('accepts a GovCloud instance ARN', async () => {
    const result = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: `arn:aws-us-gov:connect:us-gov-west-1:${ACCOUNT}:instance/${INSTANCE_ID}`,
      policyName: 'fed_gov',
      dryRun: true,
    });
    expect(result.action).toBe('created');
  });

  it('reports every invalid field at once, before any request', async () => {
    sb.resetRequests();
    const error = await createFederationPolicy(sandboxContext(sb), {
      instanceArn: INSTANCE_ID,
      policyName: 'bad name!',
      // @ts-expect-error: a wrong type from untyped callers
      dryRun: 'yes',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual([
      'instanceArn',
      'policyName',
      'dryRun',
    ]);
    await expect(
      createOktaAccessPolicy(sandboxContext(sb), { policyName: 'x'.repeat(129) }),
    ).rejects.toMatchObject({
      field: 'policyName',
    });
    expect(sb.requests().length).toBe(0);
  });
});

describe('provider errors', () => {
  it('maps an IAM failure to a ProviderError with service, operation, code and request id', async () => {
    const faulty = await startTestSandbox({
      faults: [{ service: 'iam', operation: 'CreatePolicy', kind: 'server-error' }],
    });
    try {
      const error = await createFederationPolicy(sandboxContext(faulty), { instanceArn: INSTANCE_ARN }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        code: 'PROVIDER_ERROR',
        service: 'iam',
        operation: 'CreatePolicy',
        providerCode: 'ServiceFailure',
        httpStatus: 500,
      });
      expect((error as ProviderError).requestId).toMatch(/\S/);
      expect(faulty.requests().map((r) => r.operation)).toEqual(['GetPolicy', 'CreatePolicy']);
    } finally {
      await faulty.stop();
    }
  });

  it('maps a throttled read too', async () => {
    const faulty = await startTestSandbox({
      faults: [{ service: 'iam', operation: 'GetPolicy', kind: 'throttle' }],
    });
    try {
      await expect(
        createFederationPolicy(sandboxContext(faulty), { instanceArn: INSTANCE_ARN }),
      ).rejects.toMatchObject({
        name: 'ProviderError',
        operation: 'GetPolicy',
        providerCode: 'Throttling',
      });
      expect(writes(faulty)).toEqual([]);
    } finally {
      await faulty.stop();
    }
  });
});
