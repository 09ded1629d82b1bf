/**
 * The sandbox's admin API (`/__sandbox/…`) over HTTP, and `connect-okta-sso sandbox admin …` as a
 * module against it: the admin token (its own, compared in constant time, 401 otherwise), each route,
 * errors that name the field, exit codes, `--json`, and no secret in any answer or output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxCommand } from '../../src/cli/commands/sandbox.js';
import {
  parseAccessKeyCsv,
  parseEnvLines,
  resolveAdminTarget,
} from '../../src/cli/commands/sandbox-admin.js';
import { dispatch } from '../../src/cli/dispatch.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { fakeIo } from '../cli/fake-io.js';
import { iamClient, startTestSandbox } from '../helpers.js';

let sb: Sandbox;
let appId: string;
let key: { accessKeyId: string; secretAccessKey: string };
const outputs: string[] = [];

async function admin(method: string, path: string, body?: unknown, token: string | null = sb.adminApi.token) {
  const res = await fetch(`${sb.adminApi.url}${path}`, {
    method,
    headers: {
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  outputs.push(text);
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  sb = await startTestSandbox();
  const created = await fetch(`${sb.okta.orgUrl}/api/v1/apps`, {
    method: 'POST',
    headers: {
      Authorization: `SSWS ${sb.okta.token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: JSON.stringify({
      name: 'amazon_aws',
      label: 'Amazon Connect Administrator',
      signOnMode: 'SAML_2_0',
      settings: { app: {} },
    }),
  });
  appId = ((await created.json()) as { id: string }).id;
  const iam = iamClient(sb);
  await iam.send(new CreateUserCommand({ UserName: 'okta_cli_user' }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'okta_cli_user' }))).AccessKey;
  key = { accessKeyId: k?.AccessKeyId ?? '', secretAccessKey: k?.SecretAccessKey ?? '' };
});
afterAll(async () => {
  const everything = outputs.join('\n');
  expect(everything.length).toBeGreaterThan(500);
  for (const secret of [
    sb.adminApi.token,
    sb.okta.token,
    sb.aws.credentials.secretAccessKey,
    key.secretAccessKey,
  ]) {
    expect(everything).not.toContain(secret);
  }
  await sb.stop();
});

describe('the admin API', () => {
  it("needs the sandbox's own admin token: none, a wrong one, or the Okta API token is 401", async () => {
    expect(sb.adminApi.token).toMatch(/^sbxadm_[\w-]{32}$/);
    expect(sb.adminApi.token).not.toBe(sb.okta.token);
    for (const token of [
      null,
      'wrong',
      sb.okta.token,
      `${sb.adminApi.token}x`,
      sb.adminApi.token.slice(0, -1),
    ]) {
      const r = await admin('GET', '/state', undefined, token);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
      expect(r.headers.get('www-authenticate')).toContain('Bearer realm=');
    }
    const ok = await admin('GET', '');
    expect(ok.status).toBe(200);
    expect(ok.body.routes).toContain('POST /__sandbox/okta/users');
    // Admin calls are console clicks, not API calls: they stay out of the request log.
    sb.resetRequests();
    await admin('GET', '/state');
    expect(sb.requests()).toEqual([]);
  });

  it('adds users (ACTIVE by default, PROVISIONED on request) and finishes their activation', async () => {
    const added = await admin('POST', '/okta/users', {
      login: 'jane.doe@acme.com',
      firstName: 'Jane',
      lastName: 'Doe',
    });
    expect(added).toMatchObject({
      status: 201,
      body: { user: { status: 'ACTIVE', profile: { login: 'jane.doe@acme.com' } } },
    });
    const again = await admin('POST', '/okta/users', { login: 'jane.doe@acme.com' });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(again.body.error.message).toContain('already exists');
    expect((await admin('POST', '/okta/users', {})).body.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'login',
    });
    expect((await admin('POST', '/okta/users', 'not json')).status).toBe(400);

    const pending = await admin('POST', '/okta/users', { login: 'pending@acme.com', status: 'PROVISIONED' });
    expect(pending.body.user.status).toBe('PROVISIONED');
    const done = await admin('POST', '/okta/users/pending%40acme.com/lifecycle/complete-activation');
    expect(done).toMatchObject({ status: 200, body: { user: { status: 'ACTIVE' } } });
    expect((await admin('POST', '/okta/users/nobody%40acme.com/lifecycle/deactivate')).status).toBe(404);
    expect((await admin('POST', '/okta/users/pending%40acme.com/lifecycle/explode')).status).toBe(404);
    const renamed = await admin('POST', '/okta/users/pending%40acme.com', {
      profile: { department: 'Sales' },
    });
    expect(renamed.body.user.profile.department).toBe('Sales');

    expect((await admin('POST', '/okta/groups', { name: 'cc-agents' })).status).toBe(201);
    expect((await admin('PUT', '/okta/groups/cc-agents/users/pending%40acme.com')).body).toEqual({
      changed: true,
    });
    expect((await admin('DELETE', '/okta/groups/cc-agents/users/pending%40acme.com')).body).toEqual({
      changed: true,
    });
    expect((await admin('DELETE', '/okta/users/pending%40acme.com')).status).toBe(204);
    expect(Object.values(sb.state().okta.users).map((u) => u.profile.login)).toEqual(['jane.doe@acme.com']);
  });

  it('enables an app’s API integration by id or label; a key that may not list roles is 422', async () => {
    const denied = await admin('POST', '/okta/apps/Amazon%20Connect%20Administrator/api-integration', key);
    expect(denied.status).toBe(422);
    expect(denied.body.error).toMatchObject({ code: 'API_INTEGRATION_FAILED' });
    expect(denied.body.error.message).toContain('iam:ListRoles');
    const iam = iamClient(sb);
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'okta_cli_policy',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' },
          ],
        }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'okta_cli_user', PolicyArn: policy.Policy?.Arn }));
    const enabled = await admin('POST', '/okta/apps/amazon%20connect%20administrator/api-integration', key);
    expect(enabled).toMatchObject({
      status: 200,
      body: { app: { id: appId, label: 'Amazon Connect Administrator' }, importedRoles: [] },
    });
    expect(sb.state().okta.apps[appId]?.features).toEqual(['PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES']);
    const missing = await admin('POST', '/okta/apps/Nope/api-integration', key);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("'Amazon Connect Administrator'");
    expect(
      (await admin('POST', `/okta/apps/${appId}/api-integration`, { accessKeyId: key.accessKeyId })).body
        .error.field,
    ).toBe('secretAccessKey');
    expect((await admin('GET', `/okta/apps/${appId}/api-integration`)).status).toBe(405);
    expect((await admin('POST', `/okta/apps/${appId}/rotate-signing-key`)).body.kid).toMatch(/\w/);
  });

  it('signs in (the app defaults to the one the user has), dumps state with secrets redacted, registers service apps', async () => {
    const unassigned = await admin('POST', '/login', { login: 'jane.doe@acme.com' });
    expect(unassigned).toMatchObject({ status: 404, body: { error: { field: 'app' } } });
    const explicit = await admin('POST', '/login', {
      login: 'jane.doe@acme.com',
      app: 'Amazon Connect Administrator',
    });
    expect(explicit.status).toBe(200);
    expect(explicit.body.result).toMatchObject({ ok: false, stage: 'okta' });

    const state = await admin('GET', '/state');
    expect(state.body.state.sandbox).toMatchObject({
      oktaToken: '[redacted]',
      adminToken: '[redacted]',
      secretAccessKey: '[redacted]',
    });
    expect(state.body.state.okta.apps[appId].apiIntegration.secretAccessKey).toBe('[redacted]');

    const service = await admin('POST', '/okta/service-apps', {
      publicKey: 'nope',
      scopes: ['okta.apps.read'],
    });
    expect(service.status).toBe(400);
    expect(service.body.error.message).toContain('publicKey');
    expect((await admin('POST', '/okta/event-hooks/flush')).body).toEqual({ deliveries: [] });
    expect((await admin('GET', '/nothing-here')).status).toBe(404);
  });

  it('keeps the admin token across restarts with a state file', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'cos-admin-')), 'state.json');
    const first = await startSandbox({ port: 0, stateFile });
    const token = first.adminApi.token;
    await first.stop();
    const second = await startSandbox({ port: 0, stateFile });
    expect(second.adminApi.token).toBe(token);
    await second.stop();
  });
});

describe('connect-okta-sso sandbox admin (as a module)', () => {
  const env = () => ({
    CONNECT_OKTA_SSO_SANDBOX_URL: sb.url,
    CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN: sb.adminApi.token,
  });
  async function cli(argv: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
    const io = fakeIo({ env: options.env ?? env(), ...(options.cwd ? { cwd: options.cwd } : {}) });
    const code = await dispatch(argv, io);
    outputs.push(io.all());
    return { code, out: io.out(), err: io.err(), all: io.all() };
  }

  it('add-user, activate-user and state, in text and --json', async () => {
    const added = await cli([
      'sandbox',
      'admin',
      'add-user',
      '--login',
      'agent1@acme.com',
      '--status',
      'provisioned',
    ]);
    expect(added.code).toBe(0);
    expect(added.out).toContain('Added Okta user agent1@acme.com');
    expect(added.out).toContain('activate-user --login agent1@acme.com');
    const activated = await cli([
      'sandbox',
      'admin',
      'activate-user',
      '--login',
      'agent1@acme.com',
      '--json',
    ]);
    expect(JSON.parse(activated.out)).toMatchObject({
      command: 'sandbox admin activate-user',
      exitCode: 0,
      user: { status: 'ACTIVE' },
    });
    const state = await cli(['--json', 'sandbox', 'admin', 'state']);
    expect(JSON.parse(state.out).state.sandbox.adminToken).toBe('[redacted]');
    const summary = await cli(['sandbox', 'admin', 'state']);
    expect(summary.out).toMatch(/Okta users \(\d+\)\n {2}jane\.doe@acme\.com {2}ACTIVE/);
    expect(summary.out).toMatch(/"Amazon Connect Administrator" 0oa\w+ {2}ACTIVE {2}API integration on/);
  });

  it('exit 2 for bad input, a wrong token and a missing target; exit 1 when the sandbox is unreachable', async () => {
    const dup = await cli(['sandbox', 'admin', 'add-user', '--login', 'agent1@acme.com']);
    expect(dup.code).toBe(2);
    expect(dup.err).toContain('already exists');
    const noLogin = await cli(['sandbox', 'admin', 'add-user', '--json']);
    expect(JSON.parse(noLogin.out)).toMatchObject({
      exitCode: 2,
      error: { code: 'USAGE', field: '--login' },
    });
    const wrong = await cli(['sandbox', 'admin', 'state'], {
      env: { ...env(), CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN: 'sbxadm_wrong' },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('field: CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN');
    const none = await cli(['sandbox', 'admin', 'state'], { env: {} });
    expect(none.code).toBe(2);
    expect(none.err).toContain('no sandbox URL: CONNECT_OKTA_SSO_SANDBOX_URL is not set');
    const gone = await cli(['sandbox', 'admin', 'state', '--url', 'http://127.0.0.1:9']);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('Is connect-okta-sso sandbox running');
    const remote = await cli(['sandbox', 'admin', 'state', '--url', 'https://acme.okta.com']);
    expect(remote.code).toBe(2);
    const unknown = await cli(['sandbox', 'admin', 'reboot']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown subcommand 'reboot'");
    const secretFlag = await cli(['sandbox', 'admin', 'state', '--token', sb.adminApi.token]);
    expect(secretFlag.code).toBe(2);
    const help = await cli(['sandbox', 'admin', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('enable-api-integration');
    expect((await cli(['sandbox', 'admin', 'login', '--help'])).out).toContain('--login EMAIL');
  });

  it('reads the target from --env-file, the key from the CSV apply writes, and login exits 1 on a refused sign-in', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cos-admin-cli-'));
    writeFileSync(
      join(cwd, 'sandbox.env'),
      `AWS_REGION=us-east-1\nCONNECT_OKTA_SSO_SANDBOX_URL=${sb.url}\nCONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN=${sb.adminApi.token}\n`,
    );
    writeFileSync(
      join(cwd, 'okta_cli_user_accessKeys.csv'),
      `Access key ID,Secret access key\n${key.accessKeyId},${key.secretAccessKey}\n`,
    );
    const enabled = await cli(
      ['sandbox', 'admin', 'enable-api-integration', '--env-file', 'sandbox.env', '--app', appId],
      { env: {}, cwd },
    );
    expect(enabled.code).toBe(0);
    expect(enabled.out).toContain(
      `API integration enabled for "Amazon Connect Administrator" (${appId}) with ${key.accessKeyId}`,
    );
    const nothingLeft = await cli(
      ['sandbox', 'admin', 'enable-api-integration', '--env-file', 'sandbox.env'],
      { env: {}, cwd },
    );
    expect(nothingLeft.code).toBe(2);
    expect(nothingLeft.err).toContain('already has its API integration');
    const refused = await cli(
      [
        'sandbox',
        'admin',
        'login',
        '--login',
        'agent1@acme.com',
        '--app',
        appId,
        '--env-file',
        'sandbox.env',
      ],
      {
        env: {},
        cwd,
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('cannot sign in: it fails at okta');
  });

  it('parses the env lines and the key file, naming what is wrong', () => {
    expect(parseEnvLines('# c\nexport A=1\nB="two"\n\nbad line\n')).toEqual({ A: '1', B: 'two' });
    expect(() => resolveAdminTarget({}, { envFile: '/nonexistent/sandbox.env' })).toThrow(
      /--env-file: cannot read/,
    );
    expect(() => resolveAdminTarget({ CONNECT_OKTA_SSO_SANDBOX_URL: 'http://127.0.0.1:1' }, {})).toThrow(
      /no admin token/,
    );
    expect(() => parseAccessKeyCsv('hello', 'k.csv')).toThrow(/k\.csv does not hold an access key/);
    expect(
      parseAccessKeyCsv('Access key ID,Secret access key\r\nAKIAABCDEFGHIJKLMNOP,s3cr3t\r\n', 'k.csv'),
    ).toEqual({
      accessKeyId: 'AKIAABCDEFGHIJKLMNOP',
      secretAccessKey: 's3cr3t',
    });
  });

  it('sandbox --json prints the admin lines with the others', async () => {
    const controller = new AbortController();
    const io = fakeIo({ signal: controller.signal });
    // Stop the sandbox as soon as it has printed its document.
    const write = io.stdout.write.bind(io.stdout);
    io.stdout.write = (chunk: string) => {
      const done = write(chunk);
      controller.abort();
      return done;
    };
    const running = sandboxCommand.run(['--json', '--port', '0'], io);
    expect(await running).toBe(0);
    const doc = JSON.parse(io.out());
    expect(doc.env.CONNECT_OKTA_SSO_SANDBOX_URL).toBe(doc.url);
    expect(doc.env.CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN).toMatch(/^sbxadm_/);
    expect(doc.env.CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN).not.toBe(doc.env.OKTA_API_TOKEN);
  });
});
