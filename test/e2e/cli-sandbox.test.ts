/**
 * `connect-okta-sso sandbox` as users run it: the built CLI as a process, its environment lines fed
 * to unmodified SDK code in another process, and the state file carried across a restart.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI as cli, parseEnvLines, ROOT as root, startCliSandbox, stopChild } from '../support/cli.js';

const run = promisify(execFile);

/** Start the standalone sandbox and resolve with the environment lines it prints. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const { child, text } = await startCliSandbox(args, { cwd: root });
  return { child, env: parseEnvLines(text) };
}

const stop = stopChild;

/** Unmodified user code: every SDK reads its configuration from the environment. */
const USER_CODE = `
import { IAMClient, CreateUserCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { ConnectClient, ListInstancesCommand } from '@aws-sdk/client-connect';
import okta from '@okta/okta-sdk-nodejs';
const iam = new IAMClient({});
const mode = process.argv[1];
if (mode === 'create') await iam.send(new CreateUserCommand({ UserName: 'from-env' }));
const user = await iam.send(new GetUserCommand({ UserName: 'from-env' }));
const instances = await new ConnectClient({}).send(new ListInstancesCommand({}));
const client = new okta.Client({ cacheMiddleware: null });
const me = await client.http.http(client.baseUrl + '/api/v1/apps', { headers: { Accept: 'application/json' } });
console.log(JSON.stringify({ user: user.User.UserName, instances: instances.InstanceSummaryList.length, okta: me.status }));
`;

describe('connect-okta-sso sandbox', () => {
  it('prints the environment for unmodified SDK code and keeps its state across restarts', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'cos-cli-')), 'state.json');
    const first = await startCli(['--port', '0', '--state-file', stateFile]);
    expect(Object.keys(first.env)).toEqual([
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'OKTA_ORG_URL',
      'OKTA_API_TOKEN',
      'OKTA_CLIENT_ORGURL',
      'OKTA_CLIENT_TOKEN',
      'CONNECT_OKTA_SSO_SANDBOX_URL',
      'CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN',
    ]);
    expect(first.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AWS_|OKTA_)|proxy$/i.test(k)),
    ) as Record<string, string>;
    const userCode = (env: Record<string, string>, mode: string) =>
      run(process.execPath, ['--input-type=module', '-e', USER_CODE, mode], {
        cwd: root,
        env: { ...clean, ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      });
    try {
      const { stdout } = await userCode(first.env, 'create');
      expect(JSON.parse(stdout)).toEqual({ user: 'from-env', instances: 0, okta: 200 });
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    const second = await startCli(['--state-file', stateFile]);
    try {
      expect(second.env.AWS_SECRET_ACCESS_KEY).toBe(first.env.AWS_SECRET_ACCESS_KEY);
      const { stdout } = await userCode(second.env, 'read');
      expect(JSON.parse(stdout)).toMatchObject({ user: 'from-env' });
    } finally {
      await stop(second.child);
    }
  });

  it('runs the demo: plan, apply, the manual click, resume, and an idle re-run', async () => {
    const { stdout } = await run(process.execPath, [cli, 'demo'], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(stdout).toContain('status: manual-action-required');
    expect(stdout).toMatch(
      /5\. Run once more: nothing left to do\n {3}status: complete; \d+ reads, 0 writes/,
    );
    expect(stdout).toContain('printed: [redacted]');
  });

  it('exits 2 with a clear message on a bad option', async () => {
    const failed = await run(process.execPath, [cli, 'sandbox', '--port', 'eighty'], { cwd: root }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('--port must be an integer') });
  });
});
