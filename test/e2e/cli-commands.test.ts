/**
 * Every command of the built CLI as a process, against a sandbox started here and handed to the child
 * only through its environment (as `connect-okta-sso sandbox` prints it): init → plan → apply (refused
 * unattended, then stopped at the manual checkpoint with exit 3) → the click → apply (complete) → doctor
 * → verify-saml of a response the sandbox's Okta issued → a rotated Okta key breaks sign-in (doctor
 * exit 4) → rotate-cert (refused unattended without --yes) → doctor clean again. And neither the Okta token, the AWS secret nor the
 * created access key's secret appear in any output — with --debug and --json included.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type Ran, runCli, sandboxEnv, userShellEnv } from '../support/cli.js';

let sb: Sandbox;
let env: Record<string, string>;
let cwd: string;
const outputs: string[] = [];
const secrets: string[] = [];

function cliRun(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<Ran> {
  return runCli(args, { cwd, env: options.env ?? env, input: options.input ?? '', outputs });
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, instanceCreationMs: 200 });
  cwd = mkdtempSync(join(tmpdir(), 'cos-e2e-'));
  const home = mkdtempSync(join(tmpdir(), 'cos-e2e-home-'));
  // The child sees only what a user's shell would hold after `eval "$(connect-okta-sso sandbox)"`.
  env = { ...userShellEnv(home), ...sandboxEnv(sb) };
  secrets.push(sb.okta.token, sb.aws.credentials.secretAccessKey);
  for (const [login, firstName, lastName] of [
    ['jane.doe@acme.com', 'Jane', 'Doe'],
    ['agent1@acme.com', 'Amir', 'Haddad'],
  ] as const) {
    sb.admin.createOktaUser({ login, firstName, lastName });
  }
});

afterAll(async () => {
  await sb?.stop();
});

function appIds(): Record<string, string> {
  const apps = sb.state().okta.apps as Record<string, { id: string; label: string }>;
  return Object.fromEntries(Object.values(apps).map((a) => [a.label, a.id]));
}

describe('the CLI end to end', () => {
  it('init writes the config from flags', async () => {
    const r = await cliRun([
      'init',
      '--region',
      sb.aws.region,
      '--alias',
      'e2e-cc',
      '--org-url',
      sb.okta.orgUrl,
      '--apps',
      'admin,ccp',
    ]);
    expect(r.code).toBe(0);
    // Add the users to the starter file, as a user would.
    const file = join(cwd, 'sso.yaml');
    const text = `${readFileSync(file, 'utf8')}users:\n  - { login: jane.doe@acme.com, app: admin, connect: { securityProfiles: [Admin] } }\n  - { login: agent1@acme.com, app: ccp }\n`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, text);
  });

  it('plan shows the table; apply refuses without --yes when stdin is not a terminal', async () => {
    const plan = await cliRun(['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^\+ connect instance e2e-cc +create/m);
    const refused = await cliRun(['apply']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('fix: Pass --yes');
    expect(sb.state().connect.instances).toEqual({});
  });

  it('apply --yes stops at the manual checkpoint with exit 3 and the secret in a 0600 file', async () => {
    const r = await cliRun(['apply', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Manual action required');
    expect(r.stderr).toMatch(/^created connect instance e2e-cc/m);
    const file = join(cwd, 'okta_cli_user_accessKeys.csv');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [accessKeyId, secretAccessKey] = (readFileSync(file, 'utf8').trim().split('\n')[1] ?? '').split(
      ',',
    ) as [string, string];
    secrets.push(secretAccessKey);
    expect(r.stdout).toContain(accessKeyId);
    const ids = appIds();
    for (const label of ['Amazon Connect Administrator', 'Amazon Connect CCP']) {
      await sb.admin.enableApiIntegration(ids[label] ?? '', { accessKeyId, secretAccessKey });
    }
  });

  it('apply --yes --json after the click: complete, one JSON document, exit 0', async () => {
    const r = await cliRun(['apply', '--yes', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      command: 'apply',
      exitCode: 0,
      result: { status: 'complete', users: { created: 2 } },
    });
  });

  it('doctor finds nothing wrong (exit 0); --json is one document', async () => {
    const r = await cliRun(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ ok, \d+ warning\(s\), 0 failure\(s\)/);
    const json = await cliRun(['doctor', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'doctor', exitCode: 0, report: { ok: true } });
  });

  it('verify-saml passes a response the sandbox Okta issued, and fails a tampered one', async () => {
    const id = appIds()['Amazon Connect CCP'] ?? '';
    const page = await (
      await fetch(`${sb.okta.orgUrl}/home/amazon_aws/${id}/272?login=agent1@acme.com`)
    ).text();
    const response = /name="SAMLResponse" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(response.length).toBeGreaterThan(100);
    const ok = await cliRun(['verify-saml', '--config', 'sso.yaml'], { input: `${response}\n` });
    expect(ok.stdout).toContain('The response passes every check AWS sign-in makes.');
    expect(ok.code).toBe(0);
    const xml = Buffer.from(response, 'base64')
      .toString('utf8')
      .replace('agent1@acme.com', 'agent2@acme.com');
    const tampered = await cliRun(['verify-saml', '--config', 'sso.yaml', '--json'], {
      input: Buffer.from(xml).toString('base64'),
    });
    expect(tampered.code).toBe(1);
    const doc = JSON.parse(tampered.stdout);
    expect(doc.verification.ok).toBe(false);
    expect(doc.verification.checks).toContainEqual(
      expect.objectContaining({ check: 'signature', status: 'fail' }),
    );
    const none = await cliRun(['verify-saml', '--config', 'sso.yaml']);
    expect(none.code).toBe(2);
  });

  it('a rotated Okta key is a doctor failure (exit 4); rotate-cert repairs it', async () => {
    sb.admin.rotateSigningKey(appIds()['Amazon Connect Administrator'] ?? '');
    const broken = await cliRun(['doctor']);
    expect(broken.code).toBe(4);
    expect(broken.stdout).toMatch(/✗ provider\.certificate/);
    const unattended = await cliRun(['rotate-cert', '--app', 'admin', '--propagation-delay', '1ms']);
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain('fix: Pass --yes');
    const rotated = await cliRun(['rotate-cert', '--app', 'admin', '--propagation-delay', '1ms', '--yes']);
    expect(rotated.stderr + rotated.stdout).toContain('Okta app "Amazon Connect Administrator"');
    expect(rotated.code).toBe(0);
    const fixed = await cliRun(['doctor']);
    expect(fixed.code).toBe(0);
  });

  it('failures with --debug and --json say what failed and the fix, and leak no secret', async () => {
    const wrong = 'wrongOktaTokenValue0123456789abcdef';
    secrets.push(wrong);
    const bad = { ...env, OKTA_API_TOKEN: wrong };
    // A refused token exits 2, as a missing one does (the help says so).
    const plain = await cliRun(['apply', '--yes', '--debug'], { env: bad });
    expect(plain.code).toBe(2);
    expect(plain.stdout).toContain('fix: The Okta credentials were refused');
    const json = await cliRun(['apply', '--yes', '--debug', '--json'], { env: bad });
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.stdout);
    expect(doc.result.errors.length).toBeGreaterThan(0);
    const secretFlag = await cliRun(['plan', '--okta-token', wrong, '--debug']);
    expect(secretFlag.code).toBe(2);
    expect(secretFlag.stderr).toContain('never taken as command-line flags');

    const everything = outputs.join('\n');
    expect(outputs.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(10);
      expect(everything).not.toContain(secret);
    }
  });
});
