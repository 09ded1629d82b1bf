/**
 * The `Custom::ConnectOktaSso` handler against the sandbox, answering a local HTTP server that stands
 * for CloudFormation's pre-signed ResponseURL (real PUTs): the protocol, outputs, idempotent updates,
 * validation with zero writes, a crash and Lambda's retry, and the async pattern of a long Create.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomResourceHandler } from '../../src/cloudformation/handler.js';
import { CONTINUATION_KEY, type ContinuationEvent } from '../../src/cloudformation/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox, writes } from '../helpers.js';
import {
  baseProperties,
  cfnEvent,
  cfnUpdate,
  connectUsernames,
  expectNoSetupLeft,
  handlerOptions,
  lambdaContext,
  memoryLogger,
  putOktaSecret,
  type ResponseServer,
  startHandlerSetup,
  stopHandlerSetup,
  withAgent2,
} from './helpers.js';

describe('custom resource handler (plain CloudFormation)', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let secret: string;
  beforeEach(async () => {
    ({ sb, responses, secret } = await startHandlerSetup({ instanceCreationMs: 0 }));
  });
  afterEach(() => stopHandlerSetup({ sb, responses }));

  it('Create answers SUCCESS with the outputs, over the protocol exactly', async () => {
    const logger = memoryLogger();
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger }));
    const event = cfnEvent(responses, 'Create', baseProperties(sb, secret));
    await handler(event, lambdaContext());

    expect(responses.received).toHaveLength(1);
    const [put] = responses.received;
    if (!put) throw new Error('no response');
    // The pre-signed URL is signed for an empty content type; the length is declared.
    expect(put.headers['content-type']).toBe('');
    expect(put.headers['content-length']).toBe(String(Buffer.byteLength(put.raw)));
    expect(put.path).toBe(new URL(event.ResponseURL).pathname + new URL(event.ResponseURL).search);
    expect(Buffer.byteLength(put.raw)).toBeLessThanOrEqual(4096);
    const body = put.body;
    expect(body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'connect-okta-sso:us-east-1:acme-cc',
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: 'Sso',
    });
    expect(body.NoEcho).toBeUndefined();
    const data = body.Data ?? {};
    expect(data.InstanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.InstanceArn).toBe(`arn:aws:connect:us-east-1:123456789012:instance/${data.InstanceId}`);
    expect(data.Status).toBe('complete');
    for (const p of ['Admin', 'Ccp']) {
      expect(data[`${p}AppId`]).toMatch(/^0oa/);
      expect(data[`${p}SignInUrl`]).toContain(data[`${p}AppId`]);
      expect(data[`${p}RelayState`]).toContain(`/connect/federate/${data.InstanceId}`);
      expect(data[`${p}ProviderArn`]).toMatch(
        /^arn:aws:iam::123456789012:saml-provider\/Okta_Connect_.*_acme-cc$/,
      );
      expect(data[`${p}RoleArn`]).toMatch(/^arn:aws:iam::123456789012:role\/Okta_.*Role_acme-cc$/);
    }
    expect(data.CcpRelayState).toContain('destination=%2Fccp-v2');
    expect(data.ManualActions).toBeUndefined();

    // Group mapping by default, names unique per instance, the users in Connect.
    const state = sb.state();
    expect(
      Object.values(state.okta.apps)
        .map((a) => a.label)
        .sort(),
    ).toEqual(['Amazon Connect Administrator (acme-cc)', 'Amazon Connect CCP (acme-cc)']);
    expect(Object.values(state.iam.users)).toEqual([]);
    expect(connectUsernames(sb)).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);
    // The string "7200" became the number the schema expects.
    expect(
      Object.values(state.iam.roles)
        .map((r) => r.maxSessionDuration)
        .sort(),
    ).toEqual([3600, 7200]);

    // The Okta token is nowhere: not in the response, not in a log line.
    for (const text of [put.raw, ...logger.lines]) expect(text).not.toContain(sb.okta.token);
    expect(logger.lines.some((l) => l.includes('ResponseURL') || l.includes('X-Amz-Signature'))).toBe(false);
  });

  it('an Update that changes the user list writes only that change, and keeps the physical id', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const props = baseProperties(sb, secret);
    const create = cfnEvent(responses, 'Create', props);
    await handler(create, lambdaContext());
    const id = responses.received[0]?.body.PhysicalResourceId ?? '';

    const update = cfnUpdate(responses, create, id, withAgent2(props));
    sb.resetRequests();
    await handler(update, lambdaContext());
    const answer = await responses.waitFor(update.RequestId);
    expect(answer.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });

    const written = writes(sb).map((w) => `${w.service} ${w.operation}`);
    // The new agent: assigned in Okta (group membership) and created in Connect; nothing else.
    expect(written.filter((w) => w === 'connect CreateUser')).toHaveLength(1);
    expect(
      written.every((w) =>
        /^(connect CreateUser|okta (AssignUserToGroup|AssignUserToApplication|.*User.*))$/.test(w),
      ),
    ).toBe(true);
    expect(written.some((w) => w.startsWith('iam '))).toBe(false);
    expect(connectUsernames(sb)).toContain('agent2@acme.com');

    // The same Update again (CloudFormation's retry of a lost answer): zero writes.
    sb.resetRequests();
    const again = { ...update, RequestId: `${update.RequestId}-2` };
    await handler(again, lambdaContext());
    expect((await responses.waitFor(again.RequestId)).body.Status).toBe('SUCCESS');
    expect(writes(sb)).toEqual([]);
  });

  it('a bad property fails with its field path as the reason and writes nothing', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    sb.resetRequests();
    const bad = cfnEvent(responses, 'Create', baseProperties(sb, secret, { apps: [{ kind: 'admn' }] }));
    await handler(bad, lambdaContext());
    const answer = await responses.waitFor(bad.RequestId);
    expect(answer.body.Status).toBe('FAILED');
    expect(answer.body.Reason).toMatch(/^apps\[0\]\.kind: /);
    expect(answer.body.PhysicalResourceId).toMatch(/^connect-okta-sso:failed-create:/);
    expect(sb.requests()).toEqual([]);

    // A token in the properties is refused before anything is read, and never echoed.
    const leaky = cfnEvent(
      responses,
      'Create',
      baseProperties(sb, secret, { okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token } }),
    );
    await handler(leaky, lambdaContext());
    const refused = await responses.waitFor(leaky.RequestId);
    expect(refused.body.Status).toBe('FAILED');
    expect(refused.body.Reason).toMatch(/^okta\.token: /);
    expect(refused.raw).not.toContain(sb.okta.token);

    // A wrong boolean, a missing secret name.
    const flag = cfnEvent(responses, 'Create', baseProperties(sb, secret, { DeleteInstance: 'yes' }));
    await handler(flag, lambdaContext());
    expect((await responses.waitFor(flag.RequestId)).body.Reason).toMatch(/^DeleteInstance: /);
    const noSecret = cfnEvent(
      responses,
      'Create',
      baseProperties(sb, secret, { OktaCredentialsSecret: undefined }),
    );
    await handler(noSecret, lambdaContext());
    expect((await responses.waitFor(noSecret.RequestId)).body.Reason).toMatch(/^OktaCredentialsSecret: /);
    expect(writes(sb)).toEqual([]);

    // A secret that does not exist: a read, no write.
    const missing = cfnEvent(responses, 'Create', baseProperties(sb, 'no/such/secret'));
    await handler(missing, lambdaContext());
    expect((await responses.waitFor(missing.RequestId)).body.Reason).toMatch(
      /^OktaCredentialsSecret: no Secrets Manager secret/,
    );
    expect(writes(sb)).toEqual([]);
  });

  it('a crash in the middle of a Create, then Lambda retrying the event, converges', async () => {
    const event = cfnEvent(responses, 'Create', baseProperties(sb, secret));
    const crash = new AbortController();
    const stop = await startTestSandbox({
      instanceCreationMs: 0,
      onRequest: (entry) => {
        if (entry.operation === 'CreateSAMLProvider') crash.abort(new Error('the Lambda process was killed'));
      },
    });
    try {
      stop.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
      stop.admin.createOktaUser({ login: 'agent1@acme.com', firstName: 'Agent', lastName: 'One' });
      const stopSecret = await putOktaSecret(stop);
      const props = baseProperties(stop, stopSecret);
      const crashing = createCustomResourceHandler(
        handlerOptions(stop, { signal: crash.signal, logger: memoryLogger() }),
      );
      const first = { ...cfnEvent(responses, 'Create', props), RequestId: event.RequestId };
      await expect(crashing(first, lambdaContext())).rejects.toThrow(/killed/);
      expect(responses.received).toEqual([]);
      expect(Object.keys(stop.state().iam.samlProviders).length).toBeGreaterThan(0);

      // Lambda retries the same event in a fresh process.
      const retry = createCustomResourceHandler(handlerOptions(stop, { logger: memoryLogger() }));
      await retry(first, lambdaContext());
      const answer = await responses.waitFor(first.RequestId);
      expect(answer.body.Status).toBe('SUCCESS');
      const state = stop.state();
      expect(Object.keys(state.connect.instances)).toHaveLength(1);
      expect(Object.keys(state.okta.apps)).toHaveLength(2);
      expect(Object.keys(state.iam.samlProviders)).toHaveLength(2);
      expect(Object.keys(state.iam.roles)).toHaveLength(2);
      expect(connectUsernames(stop)).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);
    } finally {
      await stop.stop();
    }
  });

  it('Delete removes the setup and keeps the instance unless DeleteInstance is true', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const props = baseProperties(sb, secret);
    const create = cfnEvent(responses, 'Create', props);
    await handler(create, lambdaContext());
    const id = (await responses.waitFor(create.RequestId)).body.PhysicalResourceId;

    const del = cfnEvent(responses, 'Delete', props, { PhysicalResourceId: id });
    await handler(del, lambdaContext());
    const answer = await responses.waitFor(del.RequestId);
    expect(answer.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
    let state = sb.state();
    expectNoSetupLeft(sb);
    expect(connectUsernames(sb)).toEqual([]);
    expect(Object.values(state.connect.instances).map((i) => i.alias)).toEqual(['acme-cc']);

    // CloudFormation may repeat a Delete: nothing left, nothing written.
    sb.resetRequests();
    const again = cfnEvent(responses, 'Delete', props, { PhysicalResourceId: id });
    await handler(again, lambdaContext());
    expect((await responses.waitFor(again.RequestId)).body.Status).toBe('SUCCESS');
    expect(writes(sb)).toEqual([]);

    // With DeleteInstance, the instance goes too.
    const gone = cfnEvent(
      responses,
      'Delete',
      { ...props, DeleteInstance: true },
      { PhysicalResourceId: id },
    );
    await handler(gone, lambdaContext());
    expect((await responses.waitFor(gone.RequestId)).body.Status).toBe('SUCCESS');
    state = sb.state();
    expect(Object.values(state.connect.instances).filter((i) => i.alias === 'acme-cc')).toEqual([]);
  });

  it('a Delete of a failed Create has nothing to do', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const bad = cfnEvent(responses, 'Create', baseProperties(sb, secret, { apps: [] }));
    await handler(bad, lambdaContext());
    const failed = await responses.waitFor(bad.RequestId);
    expect(failed.body.Status).toBe('FAILED');
    sb.resetRequests();
    const del = cfnEvent(responses, 'Delete', bad.ResourceProperties, {
      PhysicalResourceId: failed.body.PhysicalResourceId,
    });
    await handler(del, lambdaContext());
    expect((await responses.waitFor(del.RequestId)).body.Status).toBe('SUCCESS');
    expect(sb.requests()).toEqual([]);
  });

  it('an Update that changes the alias replaces: a new id, then the Delete of the old id removes only the old setup', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const oldProps = baseProperties(sb, secret);
    const create = cfnEvent(responses, 'Create', oldProps);
    await handler(create, lambdaContext());
    const oldId = (await responses.waitFor(create.RequestId)).body.PhysicalResourceId;
    const oldApps = Object.values(sb.state().okta.apps).map((a) => a.id);

    const newProps = baseProperties(sb, secret, { instance: { alias: 'acme-cc2' } });
    const update = cfnUpdate(responses, create, oldId, newProps);
    await handler(update, lambdaContext());
    const replaced = await responses.waitFor(update.RequestId);
    expect(replaced.body.Status).toBe('SUCCESS');
    expect(replaced.body.PhysicalResourceId).toBe('connect-okta-sso:us-east-1:acme-cc2');
    expect(replaced.body.PhysicalResourceId).not.toBe(oldId);
    expect(Object.keys(sb.state().okta.apps)).toHaveLength(4);

    // CloudFormation then deletes the old resource, with its old properties.
    const del = cfnEvent(responses, 'Delete', oldProps, { PhysicalResourceId: oldId });
    await handler(del, lambdaContext());
    expect((await responses.waitFor(del.RequestId)).body.Status).toBe('SUCCESS');
    const state = sb.state();
    const apps = Object.values(state.okta.apps);
    expect(apps.map((a) => a.label).sort()).toEqual([
      'Amazon Connect Administrator (acme-cc2)',
      'Amazon Connect CCP (acme-cc2)',
    ]);
    expect(apps.some((a) => oldApps.includes(a.id))).toBe(false);
    expect(state.iam.roles.map((r) => r.name).sort()).toEqual([
      'Okta_CCP_Role_acme-cc2',
      'Okta_Role_acme-cc2',
    ]);
    const newInstance = Object.values(state.connect.instances).find((i) => i.alias === 'acme-cc2');
    expect(
      Object.values(newInstance?.users ?? {})
        .map((u) => u.username)
        .sort(),
    ).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);
  });

  it('an Update that changes only the region fails before any write (aliases are global)', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const props = baseProperties(sb, secret);
    const create = cfnEvent(responses, 'Create', props);
    await handler(create, lambdaContext());
    const id = (await responses.waitFor(create.RequestId)).body.PhysicalResourceId;
    sb.resetRequests();
    const update = cfnEvent(
      responses,
      'Update',
      { ...props, region: 'us-west-2' },
      {
        PhysicalResourceId: id,
        OldResourceProperties: create.ResourceProperties,
      },
    );
    await handler(update, lambdaContext());
    const answer = await responses.waitFor(update.RequestId);
    expect(answer.body.Status).toBe('FAILED');
    expect(answer.body.Reason).toMatch(/^region: /);
    expect(answer.body.PhysicalResourceId).toBe(id);
    expect(writes(sb)).toEqual([]);
  });

  it('a Create that fails removes its own partial work, the instance it created included', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const props = baseProperties(sb, secret, {
      users: [{ login: 'nobody@acme.com', app: 'admin' }],
    });
    const create = cfnEvent(responses, 'Create', props);
    await handler(create, lambdaContext());
    const answer = await responses.waitFor(create.RequestId);
    expect(answer.body.Status).toBe('FAILED');
    expect(answer.body.Reason).toContain('nobody@acme.com');
    expect(answer.body.Reason).toContain('partial work was removed');
    const state = sb.state();
    expectNoSetupLeft(sb);
    expect(Object.values(state.connect.instances).filter((i) => i.alias === 'acme-cc')).toEqual([]);
  });

  it('api-integration succeeds at the manual checkpoint with ManualActions, the key in Secrets Manager; the next update finishes', async () => {
    const logger = memoryLogger();
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger }));
    const props = baseProperties(sb, secret, { roleMapping: 'api-integration' });
    const create = cfnEvent(responses, 'Create', props);
    await handler(create, lambdaContext());
    const answer = await responses.waitFor(create.RequestId);
    expect(answer.body.Status).toBe('SUCCESS');
    const data = answer.body.Data ?? {};
    expect(data.Status).toBe('manual-action-required');
    expect(data.ManualActions).toContain('Enable API integration');
    expect(data.ManualActions).toContain(data.AccessKeyId);
    expect(data.AccessKeySecretName).toBe('connect-okta-sso/acme-cc/okta-access-key');
    expect(answer.body.Reason).toMatch(/Manual action required/);

    // The key's secret is in Secrets Manager and nowhere in the response or the logs.
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const sm = new SecretsManagerClient({
      endpoint: sb.aws.endpoint,
      region: sb.aws.region,
      credentials: sb.aws.credentials,
    });
    const stored = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: data.AccessKeySecretName }))).SecretString ?? '{}',
    ) as { accessKeyId: string; secretAccessKey: string };
    sm.destroy();
    expect(stored.accessKeyId).toBe(data.AccessKeyId);
    for (const text of [answer.raw, ...logger.lines]) {
      expect(text).not.toContain(stored.secretAccessKey);
      expect(text).not.toContain(sb.okta.token);
    }

    // The Okta admin does the clicks; the next stack update finishes.
    for (const p of ['Admin', 'Ccp']) await sb.admin.enableApiIntegration(data[`${p}AppId`] ?? '', stored);
    const update = cfnUpdate(responses, create, answer.body.PhysicalResourceId, props);
    await handler(update, lambdaContext());
    const done = await responses.waitFor(update.RequestId);
    expect(done.body.Status).toBe('SUCCESS');
    expect(done.body.Data?.Status).toBe('complete');
    expect(done.body.Data?.ManualActions).toBeUndefined();
    expect(connectUsernames(sb)).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);
  });

  it('retries the response PUT when the URL answers 5xx', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    responses.failNext(2);
    const bad = cfnEvent(responses, 'Create', baseProperties(sb, secret, { region: 'mars-1' }));
    await handler(bad, lambdaContext());
    const answer = await responses.waitFor(bad.RequestId);
    expect(answer.body.Status).toBe('FAILED');
    expect(answer.body.Reason).toMatch(/^region: /);
  });
});

describe('custom resource handler: a Create longer than one invocation', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let secret: string;
  beforeEach(async () => {
    ({ sb, responses, secret } = await startHandlerSetup({ instanceCreationMs: 2_500 }));
  });
  afterEach(() => stopHandlerSetup({ sb, responses }));

  it('plain CloudFormation: re-invokes itself before each deadline and answers once, when done', async () => {
    const invocations: { attempt: number; leftAtEnd: number }[] = [];
    const pending: Promise<void>[] = [];
    const handler = createCustomResourceHandler(
      handlerOptions(sb, {
        logger: memoryLogger(),
        reserveMs: 150,
        // Lambda's asynchronous Invoke: the payload comes back as a new invocation with its own deadline.
        invokeSelf: async (payload: ContinuationEvent) => {
          pending.push(new Promise((resolve) => setTimeout(resolve, 10)).then(() => run(payload)));
        },
      }),
    );
    const run = async (payload: ContinuationEvent) => {
      const context = lambdaContext(900);
      await handler(payload, context);
      invocations.push({
        attempt: payload[CONTINUATION_KEY]?.attempt ?? 0,
        leftAtEnd: context.end - Date.now(),
      });
    };
    const event = cfnEvent(responses, 'Create', baseProperties(sb, secret));
    await run(event);
    const answer = await responses.waitFor(event.RequestId, 20_000);
    while (pending.length > 0) await pending.shift();

    expect(answer.body.Status).toBe('SUCCESS');
    expect(answer.body.Data?.InstanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(responses.received.filter((r) => r.body.RequestId === event.RequestId)).toHaveLength(1);
    expect(invocations.length).toBeGreaterThanOrEqual(3);
    // Every invocation ended before its deadline.
    for (const i of invocations) expect(i.leftAtEnd).toBeGreaterThan(0);
    expect(connectUsernames(sb)).toHaveLength(2);
  });

  it('CDK Provider framework: onEvent starts, isComplete polls until done', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    const event = cfnEvent(responses, 'Create', baseProperties(sb, secret));
    const { ResponseURL: _, ...request } = event;
    const started = await handler.onEvent({ ...request, ResponseURL: '...' }, lambdaContext(5_000));
    expect(started.PhysicalResourceId).toBe('connect-okta-sso:us-east-1:acme-cc');
    let polls = 0;
    for (;;) {
      polls++;
      const answer = await handler.isComplete(
        { ...request, ResponseURL: '...', ...started },
        lambdaContext(5_000),
      );
      if (answer.IsComplete) {
        expect(answer.PhysicalResourceId).toBe(started.PhysicalResourceId);
        expect(answer.Data?.InstanceId).toMatch(/^[0-9a-f-]{36}$/);
        expect(answer.Data?.AdminAppId).toMatch(/^0oa/);
        break;
      }
      expect(polls).toBeLessThan(60);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(polls).toBeGreaterThan(1);
    // The handlers never PUT anything: the framework answers CloudFormation.
    expect(responses.received).toEqual([]);
    expect(connectUsernames(sb)).toHaveLength(2);
  });

  it('Provider framework: a bad property makes onEvent throw with the field path, nothing written', async () => {
    const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
    sb.resetRequests();
    const event = cfnEvent(
      responses,
      'Create',
      baseProperties(sb, secret, { users: [{ login: 'x y', app: 'admin' }] }),
    );
    await expect(handler.onEvent(event, lambdaContext(5_000))).rejects.toThrow(/^users\[0\]\.login: /);
    expect(sb.requests()).toEqual([]);
  });
});
