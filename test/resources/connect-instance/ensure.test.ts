/**
 * createSamlInstance against the sandbox with the real @aws-sdk/client-connect.
 */
import {
  CreateInstanceCommand,
  ListInstancesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/context.js';
import { ConfigError, ConflictError, ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { createSamlInstance } from '../../../src/resources/connect-instance/ensure.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { connectClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';

const OURS = { 'managed-by': 'connect-okta-sso', 'connect-okta-sso:stack': 'test-stack' };

const ops = (sb: Sandbox) => sb.requests().map((r) => r.operation);

/** A clock shared by the sandbox and the context: sleeping moves time forward at once. */
function fakeTime(start = 1_700_000_000_000): { clock: Clock; now: () => number; slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    slept,
    clock: {
      now: () => t,
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        slept.push(ms);
        t += ms;
      },
    },
  };
}

describe('createSamlInstance', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('creates a SAML instance with the ownership tags, then a second call writes nothing', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const first = await createSamlInstance(ctx, { alias: 'acme-cc', tags: { team: 'contact-center' } });
    expect(first).toMatchObject({
      action: 'created',
      resource: 'connect instance acme-cc',
      dryRun: false,
      alias: 'acme-cc',
      status: 'CREATION_IN_PROGRESS',
    });
    expect(first.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.instanceArn).toBe(`arn:aws:connect:us-east-1:123456789012:instance/${first.instanceId}`);
    expect(ops(sb)).toEqual(['ListInstances', 'CreateInstance']);

    const connect = connectClient(sb);
    const { tags } = await connect.send(new ListTagsForResourceCommand({ resourceArn: first.instanceArn }));
    expect(tags).toEqual({ ...OURS, team: 'contact-center' });
    const listed = await connect.send(new ListInstancesCommand({}));
    expect(listed.InstanceSummaryList?.find((i) => i.Id === first.instanceId)).toMatchObject({
      IdentityManagementType: 'SAML',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    });

    sb.resetRequests();
    const second = await createSamlInstance(ctx, { alias: 'acme-cc', tags: { team: 'contact-center' } });
    expect(writes(sb)).toEqual([]);
    expect(second).toMatchObject({
      action: 'unchanged',
      changes: [],
      instanceId: first.instanceId,
      instanceArn: first.instanceArn,
      status: 'ACTIVE',
      accessUrl: 'https://acme-cc.my.connect.aws',
    });
    expect(ops(sb)).toEqual(['ListInstances', 'ListTagsForResource']);
  });

  it('finds the instance whatever the alias case, and writes a changed tag only', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const result = await createSamlInstance(ctx, { alias: 'ACME-cc', tags: { team: 'support', cost: '42' } });
    expect(result).toMatchObject({
      action: 'updated',
      alias: 'acme-cc',
      changes: ["tag team: 'contact-center' → 'support'", "tag cost: add '42'"],
    });
    expect(writes(sb).map((w) => w.operation)).toEqual(['TagResource']);
    sb.resetRequests();
    await createSamlInstance(ctx, { alias: 'acme-cc', tags: { team: 'support' } });
    expect(writes(sb)).toEqual([]);
  });

  it('reports an inbound/outbound difference as a conflict it does not change', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const result = await createSamlInstance(ctx, { alias: 'acme-cc', outboundCalls: false });
    expect(result.action).toBe('conflict');
    expect(result.changes).toEqual([
      expect.stringMatching(/^outbound calls: enabled, wanted disabled — not changed/),
    ]);
    expect(result.instanceId).toBeDefined();
    expect(writes(sb)).toEqual([]);
  });

  it('dryRun reports the creation and writes nothing', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const result = await createSamlInstance(ctx, { alias: 'dry-run-cc', inboundCalls: false, dryRun: true });
    expect(result).toEqual({
      action: 'created',
      resource: 'connect instance dry-run-cc',
      changes: ["create SAML instance 'dry-run-cc' (inbound calls disabled, outbound calls enabled)"],
      dryRun: true,
      instanceId: undefined,
      instanceArn: undefined,
      alias: 'dry-run-cc',
      status: undefined,
      accessUrl: undefined,
    });
    expect(writes(sb)).toEqual([]);
  });

  it('rejects an invalid alias before any request', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    for (const alias of ['', 'd-abc', '-abc', 'abc-', 'a_b', 'x'.repeat(46)]) {
      const error = await createSamlInstance(ctx, { alias }).catch((e: unknown) => e);
      expect(error, alias).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe('alias');
    }
    const several = await createSamlInstance(ctx, {
      alias: 'ok',
      wait: { timeoutMs: -1 },
      tags: { 'aws:x': 'y', 'managed-by': 'me' },
    }).catch((e: unknown) => e);
    expect((several as ConfigError).issues.map((i) => i.field)).toEqual([
      'wait.timeoutMs',
      'tags.aws:x',
      'tags.managed-by',
    ]);
    expect(sb.requests()).toEqual([]);
  });

  it('refuses an instance with the alias but another identity type (it can never change)', async () => {
    const connect = connectClient(sb);
    await connect.send(
      new CreateInstanceCommand({
        IdentityManagementType: 'CONNECT_MANAGED',
        InstanceAlias: 'managed-users',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    sb.resetRequests();
    const error = await createSamlInstance(sandboxContext(sb), { alias: 'managed-users', adopt: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(
      /identity management CONNECT_MANAGED, not SAML\. The identity management type of a Connect instance can never change: choose another alias/,
    );
    expect(writes(sb)).toEqual([]);
  });

  it('finds an alias on the second page; a SAML instance not ours is a conflict unless adopted', async () => {
    const connect = connectClient(sb);
    for (let n = 0; n < 12; n++) {
      await connect.send(
        new CreateInstanceCommand({
          IdentityManagementType: 'SAML',
          InstanceAlias: `filler-${n}`,
          InboundCallsEnabled: true,
          OutboundCallsEnabled: true,
        }),
      );
    }
    const { Id } = await connect.send(
      new CreateInstanceCommand({
        IdentityManagementType: 'SAML',
        InstanceAlias: 'hand-made',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
        Tags: { owner: 'someone' },
      }),
    );
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const error = await createSamlInstance(ctx, { alias: 'hand-made' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/was not created by connect-okta-sso.*adopt: true/);
    expect(ops(sb)).toEqual(['ListInstances', 'ListInstances', 'ListTagsForResource']);
    expect(writes(sb)).toEqual([]);

    const other = sandboxContext(sb, { stack: 'other-stack' });
    await createSamlInstance(other, { alias: 'hand-made', adopt: true, dryRun: true });
    expect(writes(sb)).toEqual([]);
    const adopted = await createSamlInstance(other, { alias: 'hand-made', adopt: true });
    expect(adopted).toMatchObject({ action: 'updated', instanceId: Id });
    expect(adopted.changes).toEqual([expect.stringMatching(/^adopt: tag as managed by stack 'other-stack'/)]);
    expect(writes(sb).map((w) => w.operation)).toEqual(['TagResource']);

    sb.resetRequests();
    const foreignStack = await createSamlInstance(ctx, { alias: 'hand-made' }).catch((e: unknown) => e);
    expect((foreignStack as Error).message).toMatch(
      /belongs to connect-okta-sso stack 'other-stack', not 'test-stack'/,
    );
    expect(await createSamlInstance(other, { alias: 'hand-made' })).toMatchObject({ action: 'unchanged' });
    expect(writes(sb)).toEqual([]);
  });

  it('turns an alias held in another region into a conflict naming the global uniqueness', async () => {
    await connectClient(sb, { region: 'us-west-2' }).send(
      new CreateInstanceCommand({
        IdentityManagementType: 'SAML',
        InstanceAlias: 'west-side',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    const error = await createSamlInstance(sandboxContext(sb), { alias: 'west-side' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(
      /unique across all AWS accounts and regions\): choose another alias/,
    );
    expect((error as Error).cause).toBeInstanceOf(ProviderError);
  });
});

describe('createSamlInstance with wait', () => {
  it('polls DescribeInstance with back-off until ACTIVE, on a fake clock', async () => {
    const time = fakeTime();
    const sb = await startTestSandbox({ instanceCreationMs: 60_000, now: time.now });
    try {
      const ctx = sandboxContext(sb, { clock: time.clock });
      const result = await createSamlInstance(ctx, { alias: 'waited', wait: { pollIntervalMs: 1000 } });
      expect(result).toMatchObject({
        action: 'created',
        status: 'ACTIVE',
        accessUrl: 'https://waited.my.connect.aws',
      });
      const polls = ops(sb).filter((o) => o === 'DescribeInstance').length;
      expect(polls).toBeGreaterThan(2);
      expect(polls).toBe(time.slept.length + 1);
      expect(time.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
      // Back-off: later delays are longer than the first, and capped.
      expect(Math.max(...time.slept)).toBeGreaterThan(time.slept[0] ?? 0);
      expect(Math.max(...time.slept)).toBeLessThanOrEqual(15_000);
    } finally {
      await sb.stop();
    }
  });

  it('times out with code TIMEOUT, and a later run waits on the instance it finds', async () => {
    const time = fakeTime();
    const sb = await startTestSandbox({ instanceCreationMs: 60_000, now: time.now });
    try {
      const ctx = sandboxContext(sb, { clock: time.clock });
      const error = await createSamlInstance(ctx, { alias: 'slow', wait: { timeoutMs: 10_000 } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ code: 'TIMEOUT' });
      expect((error as Error).message).toMatch(/still CREATION_IN_PROGRESS after 10 s/);
      sb.resetRequests();
      const again = await createSamlInstance(ctx, { alias: 'slow', wait: true });
      expect(again).toMatchObject({ action: 'unchanged', status: 'ACTIVE' });
      expect(writes(sb)).toEqual([]);
    } finally {
      await sb.stop();
    }
  });

  it("surfaces CREATION_FAILED with AWS's reason; the failed instance is then a conflict", async () => {
    const time = fakeTime();
    const sb = await startTestSandbox({
      instanceCreationMs: 5_000,
      now: time.now,
      failInstanceAliases: ['doomed'],
    });
    try {
      const ctx = sandboxContext(sb, { clock: time.clock });
      const error = await createSamlInstance(ctx, { alias: 'doomed', wait: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        service: 'connect',
        operation: 'CreateInstance',
        providerCode: 'CREATION_FAILED',
      });
      expect((error as Error).message).toMatch(
        /creation of instance 'doomed' .* failed: Instance creation failed: an internal error occurred/,
      );

      sb.resetRequests();
      const later = await createSamlInstance(ctx, { alias: 'doomed' }).catch((e: unknown) => e);
      expect(later).toBeInstanceOf(ConflictError);
      expect((later as Error).message).toMatch(
        /failed to be created: Instance creation failed.*24 hours: delete it \(aws connect delete-instance --instance-id [0-9a-f-]+\)/,
      );
      expect(writes(sb)).toEqual([]);
    } finally {
      await sb.stop();
    }
  });

  it('stops waiting when the abort signal fires, with no poll after it', async () => {
    const sb = await startTestSandbox({ instanceCreationMs: 3_600_000 });
    try {
      const controller = new AbortController();
      let sleeps = 0;
      const clock: Clock = {
        now: () => Date.now(),
        sleep: async (_ms, signal) => {
          sleeps++;
          if (sleeps === 2) controller.abort(new Error('operator cancelled'));
          signal?.throwIfAborted();
        },
      };
      const ctx = sandboxContext(sb, { clock, signal: controller.signal });
      const error = await createSamlInstance(ctx, { alias: 'cancelled', wait: true }).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe('operator cancelled');
      expect(ops(sb).filter((o) => o === 'DescribeInstance')).toHaveLength(2);
      expect(ops(sb).at(-1)).toBe('DescribeInstance');
    } finally {
      await sb.stop();
    }
  });
});
