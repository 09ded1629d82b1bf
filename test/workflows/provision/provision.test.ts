/**
 * provisionConnectSso and planConnectSso against the sandbox with the real SDKs: the whole guide, the
 * manual checkpoint and its resumption, idempotence, plans, secret delivery.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/core/errors.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { planConnectSso, provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import type { ProvisionEvent } from '../../../src/workflows/provision/types.js';
import { sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { addPeople, config as sharedConfig, THREE_USERS } from '../../support/config.js';

/** The shared config with a second agent. */
function config(sb: Sandbox, extra: Partial<ConnectSsoConfig> = {}): ConnectSsoConfig {
  return sharedConfig(sb, { users: THREE_USERS, ...extra });
}

describe('provisionConnectSso (api-integration)', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startTestSandbox({ instanceCreationMs: 50 });
    addPeople(sb);
  });
  afterEach(() => sb.stop());

  it('stops at the manual checkpoint, resumes after the console click, and a re-run writes nothing', async () => {
    const ctx = sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' });
    const events: ProvisionEvent[] = [];
    const first = await provisionConnectSso(config(sb), { context: ctx, onEvent: (e) => events.push(e) });

    expect(first.errors).toEqual([]);
    expect(first.status).toBe('manual-action-required');
    expect(first.instance.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.apps.map((a) => a.kind)).toEqual(['admin', 'ccp']);
    for (const app of first.apps) {
      expect(app.appId).toMatch(/^0oa/);
      expect(app.providerArn).toMatch(/^arn:aws:iam::123456789012:saml-provider\//);
      expect(app.apiIntegration).toBe('pending');
    }
    expect(first.apps[1]?.relayState).toBe(
      `https://us-east-1.console.aws.amazon.com/connect/federate/${first.instance.instanceId}?destination=%2Fccp-v2`,
    );
    expect(first.manualActions.map((m) => m.id)).toEqual(['integration:admin', 'integration:ccp']);
    expect(first.manualActions[0]?.actions.join('\n')).toContain(first.accessKey?.accessKeyId);
    expect(first.users.pending + first.users.created).toBe(0);
    expect(events.some((e) => e.type === 'manual-action')).toBe(true);

    // The secret comes back once, as a Secret, and nowhere else.
    const key = first.accessKey;
    expect(key?.createdByThisRun).toBe(true);
    const secret = key?.secretAccessKey?.reveal() ?? '';
    expect(secret).toHaveLength(40);
    for (const text of [JSON.stringify(first), inspect(first, { depth: 20 }), JSON.stringify(events)]) {
      expect(text).not.toContain(secret);
    }

    // A re-run before the click makes no new key and no other write.
    sb.resetRequests();
    const again = await provisionConnectSso(config(sb), { context: ctx });
    expect(again.status).toBe('manual-action-required');
    expect(again.accessKey).toMatchObject({ accessKeyId: key?.accessKeyId, createdByThisRun: false });
    expect(again.accessKey?.secretAccessKey).toBeUndefined();
    expect(writes(sb)).toEqual([]);

    // The admin-console click, for both apps; then the run finishes.
    for (const app of first.apps) {
      await sb.admin.enableApiIntegration(app.appId ?? '', {
        accessKeyId: key?.accessKeyId ?? '',
        secretAccessKey: secret,
      });
    }
    const resumed = await provisionConnectSso(config(sb), { context: ctx });
    expect(resumed.errors).toEqual([]);
    expect(resumed.status).toBe('complete');
    expect(resumed.users).toMatchObject({ created: 3, failed: 0 });
    expect(resumed.apps.every((a) => a.apiIntegration === 'enabled')).toBe(true);

    sb.resetRequests();
    const idle = await provisionConnectSso(config(sb), { context: ctx });
    expect(idle.status).toBe('complete');
    expect(idle.users).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(writes(sb)).toEqual([]);
    expect(idle.requests.writes).toBe(0);
    expect(idle.requests.reads).toBe(sb.requests().length);
  });

  it('with wait, polls until the click is done instead of stopping', async () => {
    const ctx = sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' });
    const first = await provisionConnectSso(config(sb), { context: ctx });
    const key = {
      accessKeyId: first.accessKey?.accessKeyId ?? '',
      secretAccessKey: first.accessKey?.secretAccessKey?.reveal() ?? '',
    };
    const [admin, ccp] = first.apps;
    await sb.admin.enableApiIntegration(admin?.appId ?? '', key);
    // The CCP app's click happens while the run waits.
    const click = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
      sb.admin.enableApiIntegration(ccp?.appId ?? '', key),
    );
    const waited = await provisionConnectSso(config(sb), {
      context: ctx,
      wait: { timeoutMs: 20_000, pollIntervalMs: 50 },
    });
    await click;
    expect(waited.errors).toEqual([]);
    expect(waited.status).toBe('complete');
    expect(waited.users.created).toBe(3);
  });

  it('plans without writing, and the plan of a finished setup is all unchanged', async () => {
    const ctx = sandboxContext(sb, { stack: 'acme-cc' });
    const plan = await planConnectSso(config(sb), { context: ctx });
    expect(writes(sb)).toEqual([]);
    expect(plan.items.find((i) => i.id === 'instance')).toMatchObject({
      action: 'create',
      kind: 'connect-instance',
    });
    expect(plan.items.find((i) => i.id === 'app:admin')).toMatchObject({
      action: 'create',
      dependsOn: ['instance'],
    });
    expect(plan.items.find((i) => i.id === 'okta-access-policy')).toMatchObject({ action: 'create' });
    expect(plan.items.find((i) => i.id === 'integration:admin')).toMatchObject({ action: 'manual' });
    expect(plan.summary.create).toBeGreaterThan(5);
  });

  it('delivers a new secret to a 0600 file in the AWS console’s CSV layout', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cos-key-')), 'okta_cli_user_accessKeys.csv');
    const result = await provisionConnectSso(config(sb), {
      context: sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' }),
      secretSink: { kind: 'file', path },
    });
    expect(result.accessKey?.secretAccessKey).toBeUndefined();
    expect(result.accessKey?.deliveredTo).toBe(`the file ${path}`);
    const [header, row] = readFileSync(path, 'utf8').trim().split('\n');
    expect(header).toBe('Access key ID,Secret access key');
    expect(row?.split(',')[0]).toBe(result.accessKey?.accessKeyId);
    expect(row?.split(',')[1]).toHaveLength(40);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('stores a new secret in AWS Secrets Manager (the sandbox emulates it)', async () => {
    const result = await provisionConnectSso(config(sb), {
      context: sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' }),
      secretSink: { kind: 'secrets-manager', name: 'connect/okta-api-key' },
    });
    expect(result.accessKey?.secretAccessKey).toBeUndefined();
    expect(result.accessKey?.deliveredTo).toBe('the AWS Secrets Manager secret connect/okta-api-key');
    const { SecretsManagerClient, GetSecretValueCommand, DescribeSecretCommand } = await import(
      '@aws-sdk/client-secrets-manager'
    );
    const sm = new SecretsManagerClient({ ...sb.aws, maxAttempts: 1 });
    const stored = await sm.send(new GetSecretValueCommand({ SecretId: 'connect/okta-api-key' }));
    const value = JSON.parse(stored.SecretString ?? '{}') as { accessKeyId: string; secretAccessKey: string };
    expect(value.accessKeyId).toBe(result.accessKey?.accessKeyId);
    expect(value.secretAccessKey).toHaveLength(40);
    expect(JSON.stringify(result)).not.toContain(value.secretAccessKey);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'connect/okta-api-key' }));
    expect(described.Tags).toContainEqual({ Key: 'connect-okta-sso:stack', Value: 'acme-cc' });
    // The key still signs: it is a real IAM key of the sandbox.
    expect(sb.requests().some((r) => r.service === 'secretsmanager' && r.operation === 'CreateSecret')).toBe(
      true,
    );
  });

  it('puts a rotated key in our existing secret as a new version, and never writes another’s secret', async () => {
    const ctx = sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' });
    const sink = { kind: 'secrets-manager', name: 'connect/okta-api-key' } as const;
    const first = await provisionConnectSso(config(sb), { context: ctx, secretSink: sink });
    const rotated = await provisionConnectSso(config(sb), {
      context: ctx,
      secretSink: sink,
      accessKey: 'rotate',
    });
    expect(rotated.errors).toEqual([]);
    expect(rotated.accessKey?.accessKeyId).not.toBe(first.accessKey?.accessKeyId);
    const { SecretsManagerClient, GetSecretValueCommand, CreateSecretCommand } = await import(
      '@aws-sdk/client-secrets-manager'
    );
    const sm = new SecretsManagerClient({ ...sb.aws, maxAttempts: 1 });
    const stored = await sm.send(new GetSecretValueCommand({ SecretId: sink.name }));
    expect(JSON.parse(stored.SecretString ?? '{}')).toMatchObject({
      accessKeyId: rotated.accessKey?.accessKeyId,
    });

    await sm.send(new CreateSecretCommand({ Name: 'someone/else', SecretString: 'theirs' }));
    sb.resetRequests();
    const refused = await provisionConnectSso(config(sb), {
      context: ctx,
      secretSink: { kind: 'secrets-manager', name: 'someone/else' },
      accessKey: 'rotate',
    }).catch((e: unknown) => e);
    // Refused before any write: the run would otherwise make a key it could not store.
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toMatch(
      /someone\/else exists and was not created by connect-okta-sso/,
    );
    expect(writes(sb)).toEqual([]);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'someone/else' }))).SecretString).toBe(
      'theirs',
    );
  });

  it('rejects an invalid config before any call, naming the path', async () => {
    const bad = config(sb, { users: [{ login: 'x@acme.com', app: 'nope' }] });
    const error = await provisionConnectSso(bad, { context: sandboxContext(sb) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('users[0].app');
    expect(sb.requests()).toEqual([]);
  });
});

describe('provisionConnectSso (group-mapping)', () => {
  it('needs no IAM user, no key and no manual step; users join the app’s group', async () => {
    const sb = await startTestSandbox({ instanceCreationMs: 50 });
    try {
      addPeople(sb, 2);
      const ctx = sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' });
      const cfg = config(sb, {
        roleMapping: 'group-mapping',
        users: [
          { login: 'jane.doe@acme.com', app: 'admin', connect: { securityProfiles: ['Admin'] } },
          { login: 'agent1@acme.com', app: 'ccp' },
        ],
      });
      const result = await provisionConnectSso(cfg, { context: ctx });
      expect(result.errors).toEqual([]);
      expect(result.status).toBe('complete');
      expect(result.accessKey).toBeUndefined();
      expect(result.apiUser).toBeUndefined();
      expect(result.manualActions).toEqual([]);
      expect(result.users).toMatchObject({ created: 2, failed: 0 });
      expect(result.apps.every((a) => a.apiIntegration === 'not-needed')).toBe(true);

      const state = sb.state();
      expect(state.iam.users.map((u) => u.name)).toEqual([]);
      const groups = Object.values(state.okta.groups).map((g) => g.profile.name);
      expect(groups.sort()).toEqual(['aws_123456789012_Okta_CCP_Role', 'aws_123456789012_Okta_Role']);

      sb.resetRequests();
      const again = await provisionConnectSso(cfg, { context: ctx });
      expect(again.status).toBe('complete');
      expect(writes(sb)).toEqual([]);
    } finally {
      await sb.stop();
    }
  });
});

describe('renderPlan', () => {
  it('shows one line per resource and the counts', async () => {
    const { renderPlan } = await import('../../../src/workflows/provision/render.js');
    const text = renderPlan({
      stack: 's',
      items: [
        {
          id: 'instance',
          kind: 'connect-instance',
          resource: 'connect instance acme',
          action: 'create',
          reason: 'create',
          dependsOn: [],
        },
        {
          id: 'integration:admin',
          kind: 'okta-api-integration',
          resource: 'okta api integration',
          action: 'manual',
          reason: 'no API',
          dependsOn: [],
        },
        {
          id: 'p',
          kind: 'iam-policy',
          resource: 'iam policy p',
          action: 'unchanged',
          reason: 'up to date',
          dependsOn: [],
        },
      ],
      summary: { create: 1, update: 0, unchanged: 1, manual: 1, blocked: 0 },
    });
    expect(text.split('\n')).toEqual([
      '+ connect instance acme  create',
      '! okta api integration   manual: no API',
      '= iam policy p           unchanged',
      '1 to create, 0 to update, 1 unchanged, 1 manual, 0 blocked',
    ]);
  });
});

describe('what the plan and the events tell a caller', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startTestSandbox();
    addPeople(sb);
  });
  afterEach(() => sb.stop());

  it('createsAccessKey: on the API user item only, true before the key exists and false after', async () => {
    const ctx = sandboxContext(sb, { stack: 'acme-cc' });
    const before = await planConnectSso(config(sb), { context: ctx });
    expect(before.items.filter((i) => i.createsAccessKey !== undefined).map((i) => i.id)).toEqual([
      'okta-api-user',
    ]);
    expect(before.items.find((i) => i.id === 'okta-api-user')?.createsAccessKey).toBe(true);
    await provisionConnectSso(config(sb), { context: ctx });
    const after = await planConnectSso(config(sb), { context: ctx });
    expect(after.items.find((i) => i.id === 'okta-api-user')?.createsAccessKey).toBe(false);
    const rotate = await planConnectSso(config(sb), { context: ctx, accessKey: 'rotate' });
    expect(rotate.items.find((i) => i.id === 'okta-api-user')?.createsAccessKey).toBe(true);
  });

  it('users-progress events name their step; waiting-for-manual-action comes before a wait, which then ends as manual', async () => {
    const ctx = sandboxContext(sb, { stack: 'acme-cc' });
    const events: ProvisionEvent[] = [];
    const first = await provisionConnectSso(config(sb), {
      context: ctx,
      wait: { timeoutMs: 300, pollIntervalMs: 100 },
      onEvent: (e) => events.push(e),
    });
    expect(first.status).toBe('manual-action-required');
    expect(first.errors).toEqual([]);
    const waiting = events.filter((e) => e.type === 'waiting-for-manual-action');
    expect(waiting.map((e) => e.id).sort()).toEqual(['integration:admin', 'integration:ccp']);
    const firstWait = events.findIndex((e) => e.type === 'waiting-for-manual-action');
    const firstManual = events.findIndex((e) => e.type === 'manual-action');
    expect(firstWait).toBeGreaterThanOrEqual(0);
    expect(firstWait).toBeLessThan(firstManual);

    const key = first.accessKey;
    for (const app of first.apps) {
      await sb.admin.enableApiIntegration(app.appId ?? '', {
        accessKeyId: key?.accessKeyId ?? '',
        secretAccessKey: key?.secretAccessKey?.reveal() ?? '',
      });
    }
    const progress: ProvisionEvent[] = [];
    const done = await provisionConnectSso(config(sb), { context: ctx, onEvent: (e) => progress.push(e) });
    expect(done.status).toBe('complete');
    const users = progress.filter((e) => e.type === 'users-progress');
    expect(new Set(users.map((e) => e.id))).toEqual(new Set(['users:admin', 'users:ccp']));
    expect(users.filter((e) => e.id === 'users:ccp').at(-1)).toMatchObject({ done: 2, total: 2 });
    // The graph's own progress events count steps, never users.
    const steps = progress.filter((e) => e.type === 'progress');
    expect(steps.every((e) => e.total === done.steps.length)).toBe(true);
  });
});
