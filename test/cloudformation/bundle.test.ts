/**
 * The BUILT Lambda bundle of the custom resource (`dist/lambda/handler/index.mjs`, which the CDK construct
 * and the StackSets template deploy), run as Lambda runs it: copied alone into a task root whose only
 * neighbour is the AWS SDK v3 (what the Node.js runtime provides), one process per invocation (a cold
 * start each time; the process ends when the handler settles, and is killed at its deadline).
 *
 * Its Okta SDK is the slim copy (`src/cloudformation/lambda/okta-slim.cjs`): a code path calling an
 * SDK method the slim client lacks fails here, where the source handler's tests (full SDK) pass. So these
 * drive every Okta path of the custom resource through the bundle against the sandbox: group mapping
 * (groups, group assignments, app users) over a Create longer than one invocation (continued by real
 * Lambda `Invoke`s of its own ARN) → Update → Delete with the instance; api-integration through the CDK
 * Provider framework's `onEvent`/`isComplete` (API user, access key into Secrets Manager, the manual
 * checkpoint, its completion) → Delete. And the file itself: no aws-cdk-lib, no full Okta SDK.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Client as FullOktaClient } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTINUATION_KEY,
  type ContinuationEvent,
  type CustomResourceEvent,
  type IsCompleteResponse,
  type OnEventResponse,
} from '../../src/cloudformation/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { writes } from '../helpers.js';
import {
  baseProperties,
  cfnEvent,
  cfnUpdate,
  connectUsernames,
  expectNoSetupLeft,
  type LambdaService,
  type ResponseServer,
  startHandlerSetup,
  startLambdaService,
  stopHandlerSetup,
  withAgent2,
} from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const bundle = join(root, 'dist', 'lambda', 'handler', 'index.mjs');
const runtime = join(import.meta.dirname, 'lambda-runtime.mjs');
const FUNCTION_NAME = 'connect-okta-sso';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`;
const HOUR = 3_600_000;

/** What the runtime stand-in reports of one invocation. */
type RuntimeResult =
  | { ok: true; value: unknown; leftMs: number }
  | { ok: false; errorType: string; errorMessage: string };

interface Invocation {
  result: RuntimeResult;
  /** The handler's stdout: its CloudWatch log lines. */
  log: string;
  stderr: string;
}

/**
 * The function's code as Lambda holds it: `index.mjs` alone in a task root, and beside it only the AWS
 * SDK v3 that the runtime provides. A bundle that needs any other package fails to load here.
 */
function makeTaskRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-lambda-task-'));
  copyFileSync(bundle, join(dir, 'index.mjs'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(
    realpathSync(join(root, 'node_modules', '@aws-sdk')),
    join(dir, 'node_modules', '@aws-sdk'),
    'dir',
  );
  return dir;
}

/** The environment Lambda gives the function; the real endpoints are the sandbox and the Lambda stand-in. */
function lambdaEnvironment(sb: Sandbox, home: string, lambdaUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TZ: 'UTC',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/01/[$LATEST]0123456789abcdef',
    AWS_REGION: sb.aws.region,
    AWS_DEFAULT_REGION: sb.aws.region,
    AWS_ACCESS_KEY_ID: sb.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL: sb.aws.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TEST_INVOKED_FUNCTION_ARN: FUNCTION_ARN,
  };
}

/** One invocation of `exportName` in a fresh Node process (a cold start). */
function invoke(
  taskRoot: string,
  env: Record<string, string>,
  exportName: 'handler' | 'onEvent' | 'isComplete',
  event: unknown,
  timeoutMs: number,
): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [runtime, join(taskRoot, 'index.mjs'), exportName, String(timeoutMs)],
      {
        cwd: taskRoot,
        env,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      },
    );
    let log = '';
    let stderr = '';
    let reported = '';
    child.stdout?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    (child.stdio[3] as Readable).on('data', (c: Buffer) => {
      reported += c.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      if (reported === '') {
        reject(new Error(`the runtime reported nothing (stderr: ${stderr})`));
        return;
      }
      resolve({ result: JSON.parse(reported) as RuntimeResult, log, stderr });
    });
    child.stdin?.end(JSON.stringify(event));
  });
}

describe('the built Lambda bundle: the file', () => {
  const text = readFileSync(bundle, 'utf8');

  it('holds no aws-cdk-lib and no full Okta SDK (only its transport), and stays under 1.5 MB', () => {
    expect(statSync(bundle).size).toBeLessThanOrEqual(1.5 * 1024 * 1024);

    // aws-cdk-lib: every jsii class carries Symbol.for("jsii.rtti"); the markers are real ones.
    const cdkStack = readFileSync(
      join(realpathSync(join(root, 'node_modules', 'aws-cdk-lib')), 'core', 'lib', 'stack.js'),
      'utf8',
    );
    expect(cdkStack).toContain('jsii.rtti');
    expect(text).not.toContain('jsii.rtti');
    expect(text).not.toContain('aws-cdk-lib');
    expect(text).not.toMatch(/["']constructs["']/);

    // The Okta SDK: the generated APIs and models (the bulk of it) are not in. Their markers — a path
    // template of ApplicationApi, the method every model has — are in the full SDK.
    const sdk = join(realpathSync(join(root, 'node_modules', '@okta', 'okta-sdk-nodejs')), 'src');
    const markers = ['/api/v1/apps/{appId}/users/{userId}', '/api/v1/groups/{groupId}/users/{userId}'];
    const applicationApi = readFileSync(join(sdk, 'generated', 'apis', 'ApplicationApi.js'), 'utf8');
    const groupApi = readFileSync(join(sdk, 'generated', 'apis', 'GroupApi.js'), 'utf8');
    expect(applicationApi).toContain(markers[0]);
    expect(groupApi).toContain(markers[1]);
    expect(readFileSync(join(sdk, 'generated', 'models', 'Application.js'), 'utf8')).toContain(
      'getAttributeTypeMap',
    );
    for (const marker of [...markers, 'getAttributeTypeMap']) expect(text).not.toContain(marker);

    // esbuild lists every bundled file carrying a license comment (each Okta SDK file does): only the
    // transport, its authentication and errors.
    const oktaFiles = [...text.matchAll(/@okta\/okta-sdk-nodejs\/(src\/[\w/.-]+\.js):/g)].map((m) => m[1]);
    expect(oktaFiles).toContain('src/http.js');
    expect(oktaFiles).toContain('src/default-request-executor.js');
    for (const file of oktaFiles) {
      expect(file).not.toMatch(/^src\/(client|index|generated\/(apis|models)\/.*|generated\/index)\.js$/);
    }
  });

  it('its slim Okta client has every typed SDK method the library calls anywhere (even off the handler paths)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    // The typed APIs of the full SDK's Client (userApi, applicationApi, groupApi…), and the library's
    // uses of them: `<something>.<sdkApi>.<method>`.
    const full = new FullOktaClient({
      orgUrl: 'https://acme.okta.com',
      token: 'not-a-token',
      cacheMiddleware: null,
    });
    const sdkApis = new Set(Object.keys(full).filter((k) => /Api$/.test(k)));
    expect(sdkApis.has('userApi')).toBe(true);
    const src = join(root, 'src');
    const calls = new Set<string>();
    for (const file of files(src).filter((f) => !f.startsWith(join(src, 'sandbox')))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\.(\w+Api)\.(\w+)\b/g)) {
        if (sdkApis.has(m[1] ?? '')) calls.add(`${m[1]}.${m[2]}`);
      }
    }
    expect(calls.size).toBeGreaterThan(0);
    const { Client } = createRequire(import.meta.url)('../../src/cloudformation/lambda/okta-slim.cjs') as {
      Client: new (config: object) => Record<string, unknown>;
    };
    const client = new Client({ orgUrl: 'https://acme.okta.com/', token: 'not-a-token' });
    const missing = [...calls].filter((call) => {
      const [api = '', method = ''] = call.split('.');
      return typeof (client[api] as Record<string, unknown> | undefined)?.[method] !== 'function';
    });
    expect(missing).toEqual([]);
    // What the raw transport (src/providers/okta/transport.ts) uses.
    expect(client.baseUrl).toBe('https://acme.okta.com');
    expect(typeof (client.http as { http?: unknown }).http).toBe('function');
  });

  it('imports nothing but Node built-ins and the AWS SDK v3 clients the Lambda runtime provides', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const allowed = (spec: string) => builtins.has(spec) || /^@aws-sdk\/client-[a-z-]+$/.test(spec);
    const esm = [
      ...text.matchAll(/(?<![\w$.])import\s*[\w$*{}\s,]+?\s*from\s*["']([^"']+)["']/g),
      ...text.matchAll(/(?<![\w$.])import\(["']([^"']+)["']\)/g),
    ].map((m) => m[1] ?? '');
    expect(esm).toContain('@aws-sdk/client-iam');
    expect(esm.filter((s) => !allowed(s))).toEqual([]);
    // The CommonJS parts call esbuild's require shim (minified name): the same rule, less node-fetch's
    // optional `try { require('encoding') } catch {}`.
    const shim = /var ([\w$]+)=\(?[\w$]+\)?=>typeof require<"u"\?require/.exec(text)?.[1];
    expect(shim).toBeDefined();
    const required = [
      ...text.matchAll(new RegExp(`(?<![\\w$.])${(shim ?? '').replace(/\$/g, '\\$')}\\("([^"]+)"\\)`, 'g')),
    ].map((m) => m[1] ?? '');
    expect(required).toContain('crypto');
    expect(required.filter((s) => !allowed(s) && s !== 'encoding')).toEqual([]);
  });
});

describe('the built Lambda bundle: plain CloudFormation, group mapping, Create → Update → Delete', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let lambda: LambdaService;
  let secret: string;
  let taskRoot: string;
  let env: Record<string, string>;
  const invocations: Invocation[] = [];
  let clockOffset = 0;
  /** The function, as Lambda runs it for CloudFormation and for its own asynchronous re-invocations. */
  const runHandler = async (event: ContinuationEvent, timeoutMs: number) => {
    // The instance becomes ACTIVE only once the request has been continued in a new invocation: the
    // sandbox's clock jumps past its creation then (no race with the invocations' real deadlines).
    if ((event[CONTINUATION_KEY]?.attempt ?? 0) > 0) clockOffset = 2 * HOUR;
    const run = await invoke(taskRoot, env, 'handler', event, timeoutMs);
    invocations.push(run);
  };

  beforeAll(async () => {
    // A new instance takes an hour (of the sandbox's clock) to become ACTIVE; an invocation lasts 4 s
    // and keeps a quarter of it to hand over (re-invoke or answer).
    ({ sb, responses, secret } = await startHandlerSetup({
      instanceCreationMs: HOUR,
      now: () => Date.now() + clockOffset,
    }));
    lambda = await startLambdaService(sb, { [FUNCTION_NAME]: (payload) => runHandler(payload, 4_000) });
    taskRoot = makeTaskRoot();
    env = lambdaEnvironment(sb, mkdtempSync(join(tmpdir(), 'cos-lambda-home-')), lambda.url);
  });
  afterAll(async () => {
    await lambda?.close();
    await stopHandlerSetup({ sb, responses });
    if (taskRoot) rmSync(taskRoot, { recursive: true, force: true });
  });

  it('cannot load anything but the AWS SDK from its task root', () => {
    const require = createRequire(join(taskRoot, 'index.mjs'));
    expect(require.resolve('@aws-sdk/client-iam')).toContain('client-iam');
    expect(() => require.resolve('@okta/okta-sdk-nodejs')).toThrow(/Cannot find module/);
    expect(() => require.resolve('yaml')).toThrow(/Cannot find module/);
    expect(existsSync(join(taskRoot, 'node_modules', '@okta'))).toBe(false);
  });

  const props = () => baseProperties(sb, secret, { roleMapping: 'group-mapping' });
  let create: CustomResourceEvent;
  let physicalId = '';

  it('Create: continues itself through asynchronous Invokes until the instance is ACTIVE, then answers SUCCESS once', async () => {
    create = cfnEvent(responses, 'Create', props());
    await runHandler(create, 4_000);
    const answer = await responses.waitFor(create.RequestId, 90_000);
    await lambda.idle();

    expect(answer.body.Reason).not.toMatch(/is not a function|Cannot read properties/);
    expect(answer.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'connect-okta-sso:us-east-1:acme-cc',
      RequestId: create.RequestId,
    });
    physicalId = answer.body.PhysicalResourceId;
    const data = answer.body.Data ?? {};
    expect(data.Status).toBe('complete');
    expect(data.InstanceId).toMatch(/^[0-9a-f-]{36}$/);
    for (const p of ['Admin', 'Ccp']) {
      expect(data[`${p}AppId`]).toMatch(/^0oa/);
      expect(data[`${p}RoleArn`]).toMatch(/^arn:aws:iam::123456789012:role\//);
    }
    expect(responses.received.filter((r) => r.body.RequestId === create.RequestId)).toHaveLength(1);

    // The first invocation could not wait out the instance: it re-invoked its own ARN, asynchronously,
    // signed, with the request and where it stood — and nothing secret in the payload.
    expect(lambda.refused).toEqual([]);
    expect(lambda.invocations.length).toBeGreaterThanOrEqual(1);
    lambda.invocations.forEach((inv, i) => {
      expect(inv).toMatchObject({ requested: FUNCTION_ARN, invocationType: 'Event' });
      expect(inv.payload.RequestId).toBe(create.RequestId);
      expect(inv.payload.ResponseURL).toBe(create.ResponseURL);
      expect(inv.payload[CONTINUATION_KEY]?.attempt).toBe(i + 1);
      expect(inv.payload[CONTINUATION_KEY]?.createdInstance).toBe(true);
      expect(JSON.stringify(inv.payload)).not.toContain(sb.okta.token);
    });
    // Every invocation returned before its deadline (none was killed).
    expect(invocations).toHaveLength(lambda.invocations.length + 1);
    for (const run of invocations) expect(run.result).toMatchObject({ ok: true });

    // Group mapping: one Okta group per app, holding its users; the Connect users exist.
    const state = sb.state();
    const groups = Object.values(state.okta.groups);
    expect(groups).toHaveLength(2);
    const login = (id: string) => String(state.okta.users[id]?.profile.login);
    expect(groups.flatMap((g) => g.members.map(login)).sort()).toEqual([
      'agent1@acme.com',
      'jane.doe@acme.com',
    ]);
    for (const app of Object.values(state.okta.apps)) {
      expect(Object.keys(state.okta.appGroups[app.id] ?? {})).toHaveLength(1);
    }
    expect(Object.values(state.iam.users)).toEqual([]);
    expect(connectUsernames(sb)).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);
  }, 120_000);

  it('Update with one more user: writes only that user, keeps the physical id', async () => {
    expect(physicalId).not.toBe('');
    const p = props();
    const update = cfnUpdate(responses, create, physicalId, withAgent2(p));
    sb.resetRequests();
    const before = lambda.invocations.length;
    await runHandler(update, 60_000);
    const answer = await responses.waitFor(update.RequestId);
    expect(answer.body.Reason).not.toMatch(/is not a function|Cannot read properties/);
    expect(answer.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expect(lambda.invocations.length).toBe(before);

    const written = writes(sb).map((w) => `${w.service} ${w.operation}`);
    expect(written.filter((w) => w === 'connect CreateUser')).toHaveLength(1);
    expect(written.some((w) => w.startsWith('iam '))).toBe(false);
    expect(connectUsernames(sb)).toEqual(['agent1@acme.com', 'agent2@acme.com', 'jane.doe@acme.com']);
    const state = sb.state();
    const members = Object.values(state.okta.groups).flatMap((g) =>
      g.members.map((id) => String(state.okta.users[id]?.profile.login)),
    );
    expect(members).toContain('agent2@acme.com');
  }, 60_000);

  it('Delete with DeleteInstance: removes every resource of the stack, groups and apps included, and the instance', async () => {
    expect(physicalId).not.toBe('');
    const del = cfnEvent(
      responses,
      'Delete',
      { ...props(), DeleteInstance: true },
      { PhysicalResourceId: physicalId },
    );
    sb.resetRequests();
    await runHandler(del, 60_000);
    const answer = await responses.waitFor(del.RequestId);
    expect(answer.body.Reason).not.toMatch(/is not a function|Cannot read properties/);
    expect(answer.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });

    const okta = sb
      .requests()
      .filter((r) => r.service === 'okta' && r.write)
      .map((r) => r.operation);
    expect(okta).toEqual(
      expect.arrayContaining(['DeleteGroup', 'DeactivateApplication', 'DeleteApplication']),
    );
    const state = sb.state();
    expectNoSetupLeft(sb);
    expect(Object.keys(state.okta.groups)).toEqual([]);
    expect(Object.values(state.connect.instances).filter((i) => i.alias === 'acme-cc')).toEqual([]);
  }, 60_000);

  it('no invocation logged or answered a secret', () => {
    expect(invocations.length).toBeGreaterThanOrEqual(4);
    for (const text of [
      ...invocations.flatMap((i) => [i.log, i.stderr]),
      ...responses.received.map((r) => r.raw),
    ]) {
      expect(text).not.toContain(sb.okta.token);
      expect(text).not.toContain(sb.aws.credentials.secretAccessKey);
    }
    // The log is JSON lines (CloudWatch), and it says what happened.
    const lines = invocations.flatMap((i) => i.log.split('\n').filter((l) => l !== ''));
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines.some((l) => l.includes('continuing Create'))).toBe(true);
  });
});

describe('the built Lambda bundle: CDK Provider framework, api-integration, Create → Update → Delete', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let lambda: LambdaService;
  let secret: string;
  let taskRoot: string;
  let env: Record<string, string>;
  const invocations: Invocation[] = [];
  let clockOffset = 0;

  beforeAll(async () => {
    // The instance becomes ACTIVE only when the sandbox's clock jumps, after the first incomplete poll.
    ({ sb, responses, secret } = await startHandlerSetup({
      instanceCreationMs: HOUR,
      now: () => Date.now() + clockOffset,
    }));
    lambda = await startLambdaService(sb, {});
    taskRoot = makeTaskRoot();
    env = lambdaEnvironment(sb, mkdtempSync(join(tmpdir(), 'cos-lambda-home-')), lambda.url);
  });
  afterAll(async () => {
    await lambda?.close();
    await stopHandlerSetup({ sb, responses });
    if (taskRoot) rmSync(taskRoot, { recursive: true, force: true });
  });

  /** The framework: `onEvent`, then `isComplete` (each its own invocation) until it says done. */
  async function provider(event: CustomResourceEvent): Promise<IsCompleteResponse & { polls: number }> {
    const started = await invoke(taskRoot, env, 'onEvent', event, 10_000);
    invocations.push(started);
    if (!started.result.ok) throw new Error(`onEvent failed: ${started.result.errorMessage}`);
    const onEvent = started.result.value as OnEventResponse;
    for (let polls = 1; polls <= 40; polls++) {
      const run = await invoke(taskRoot, env, 'isComplete', { ...event, ...onEvent }, 10_000);
      invocations.push(run);
      if (!run.result.ok) throw new Error(`isComplete failed: ${run.result.errorMessage}`);
      const answer = run.result.value as IsCompleteResponse;
      if (answer.IsComplete) return { ...answer, polls };
      clockOffset = 2 * HOUR;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('isComplete never said done');
  }

  const props = () => baseProperties(sb, secret, { roleMapping: 'api-integration' });
  let create: CustomResourceEvent;
  let physicalId = '';
  let stored: { accessKeyId: string; secretAccessKey: string } | undefined;

  it('Create stops at the manual checkpoint: ManualActions, the new key only in Secrets Manager', async () => {
    create = cfnEvent(responses, 'Create', props());
    const done = await provider(create);
    expect(done.polls).toBeGreaterThan(1);
    expect(done.PhysicalResourceId).toBe('connect-okta-sso:us-east-1:acme-cc');
    physicalId = done.PhysicalResourceId ?? '';
    const data = done.Data ?? {};
    expect(data.Status).toBe('manual-action-required');
    expect(data.ManualActions).toContain('Enable API integration');
    expect(data.OktaApiUserArn).toMatch(/^arn:aws:iam::123456789012:user\//);
    expect(data.AccessKeySecretName).toBe('connect-okta-sso/acme-cc/okta-access-key');

    const sm = new SecretsManagerClient({
      endpoint: sb.aws.endpoint,
      region: sb.aws.region,
      credentials: sb.aws.credentials,
    });
    stored = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: data.AccessKeySecretName }))).SecretString ?? '{}',
    ) as { accessKeyId: string; secretAccessKey: string };
    sm.destroy();
    expect(stored.accessKeyId).toBe(data.AccessKeyId);
    expect(JSON.stringify(done)).not.toContain(stored.secretAccessKey);
    // The framework answers CloudFormation: the handlers PUT nothing, and never re-invoke themselves.
    expect(responses.received).toEqual([]);
    expect(lambda.invocations).toEqual([]);
  }, 120_000);

  it('after the click in Okta, an Update finishes the setup', async () => {
    if (!stored) throw new Error('no key from the Create');
    const data = sb.state().okta.apps;
    for (const app of Object.values(data)) await sb.admin.enableApiIntegration(app.id, stored);
    const update = cfnUpdate(responses, create, physicalId, props());
    const done = await provider(update);
    expect(done.PhysicalResourceId).toBe(physicalId);
    expect(done.Data?.Status).toBe('complete');
    expect(done.Data?.ManualActions).toBeUndefined();
    expect(connectUsernames(sb)).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);
  }, 60_000);

  it('Delete removes the API user and its keys, the apps, roles and providers; keeps the instance', async () => {
    const del = cfnEvent(responses, 'Delete', props(), { PhysicalResourceId: physicalId });
    const done = await provider(del);
    expect(done.PhysicalResourceId).toBe(physicalId);
    const state = sb.state();
    expect(Object.values(state.iam.users)).toEqual([]);
    expectNoSetupLeft(sb);
    expect(connectUsernames(sb)).toEqual([]);
    expect(Object.values(state.connect.instances).map((i) => i.alias)).toEqual(['acme-cc']);
  }, 60_000);

  it('no invocation logged or answered a secret', () => {
    expect(invocations.length).toBeGreaterThanOrEqual(6);
    const secrets = [sb.okta.token, sb.aws.credentials.secretAccessKey, stored?.secretAccessKey ?? 'unset'];
    for (const run of invocations) {
      for (const s of secrets) {
        expect(run.log).not.toContain(s);
        expect(run.stderr).not.toContain(s);
        expect(JSON.stringify(run.result)).not.toContain(s);
      }
    }
  });
});
