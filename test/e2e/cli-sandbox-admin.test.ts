/**
 * docs/guides/sandbox.md, command for command, as a new user runs it from two terminals: the built CLI's
 * `sandbox` in one process (terminal 1), its lines loaded into the environment of every other command
 * (terminal 2): `sandbox admin add-user`, `apply` (exit 3, the manual step), `sandbox admin
 * enable-api-integration`, `apply` (exit 0), `doctor`, `sandbox admin login`. Each command is checked to be
 * in the guide as written, and no secret (the sandbox's, the created access key's, the admin token)
 * appears in any output but the sandbox's own env lines.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseEnvLines,
  type Ran,
  ROOT as root,
  runCli,
  startCliSandbox,
  stopChild,
  userShellEnv,
} from '../support/cli.js';

const guide = readFileSync(join(root, 'docs', 'guides', 'sandbox.md'), 'utf8');

let sandbox: ChildProcess;
let sandboxEnvText = '';
let env: Record<string, string>;
let cwd: string;
const outputs: string[] = [];

/** Run one command of the guide in "terminal 2" (checking that the guide shows it as written). */
function terminal2(command: string): Promise<Ran> {
  expect(guide).toContain(`npx connect-okta-sso ${command}`);
  return runCli(command.split(' '), { cwd, env, input: null, outputs });
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'cos-e2e-sandbox-'));
  const home = mkdtempSync(join(tmpdir(), 'cos-e2e-sandbox-home-'));
  const shell = userShellEnv(home, /^(AWS_|OKTA_|CONNECT_OKTA_SSO_)|_proxy$|^(HOME|USERPROFILE)$/i);
  // Terminal 1: `npx connect-okta-sso sandbox --port 4566 > sandbox.env` (a free port here).
  expect(guide).toContain('npx connect-okta-sso sandbox --port 4566 > sandbox.env');
  const started = startCliSandbox(['--port', '0'], { cwd, env: shell });
  ({ child: sandbox, text: sandboxEnvText } = await started);
  writeFileSync(join(cwd, 'sandbox.env'), sandboxEnvText);
  // Terminal 2: `set -a; . ./sandbox.env; set +a`.
  expect(guide).toContain('set -a; . ./sandbox.env; set +a');
  env = { ...shell, ...parseEnvLines(sandboxEnvText) };
  // Step 3: the guide's sso.yaml, as its heredoc writes it (the shell expands $OKTA_ORG_URL).
  const heredoc = /cat > sso\.yaml <<EOF\n([\s\S]*?)\nEOF/.exec(guide)?.[1];
  expect(heredoc).toContain('$OKTA_ORG_URL');
  writeFileSync(
    join(cwd, 'sso.yaml'),
    `${(heredoc ?? '').replace('$OKTA_ORG_URL', env.OKTA_ORG_URL ?? '')}\n`,
  );
}, 60_000);

afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) expect(await stopChild(sandbox)).toBe(0);
});

describe('the sandbox guide from two terminals', () => {
  it('prints the env lines with the admin API’s own token', () => {
    expect(env.CONNECT_OKTA_SSO_SANDBOX_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.CONNECT_OKTA_SSO_SANDBOX_URL).toBe(env.OKTA_ORG_URL);
    expect(env.CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN).toMatch(/^sbxadm_/);
    expect(env.CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN).not.toBe(env.OKTA_API_TOKEN);
  });

  it('sandbox admin add-user: Jane is ACTIVE in Okta', async () => {
    const r = await terminal2(
      'sandbox admin add-user --login jane.doe@acme.com --first-name Jane --last-name Doe',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Added Okta user jane\.doe@acme\.com \(00u\w+\), ACTIVE\.$/m);
  }, 60_000);

  it('apply stops at the manual step with exit 3, the secret in a file', async () => {
    const r = await terminal2('apply --yes');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Manual action required');
    const csv = readFileSync(join(cwd, 'okta_cli_user_accessKeys.csv'), 'utf8');
    expect(csv).toMatch(/^Access key ID,Secret access key\nAKIA\w{16},\S+\n$/);
  }, 90_000);

  it('sandbox admin enable-api-integration does the click with that key', async () => {
    const r = await terminal2('sandbox admin enable-api-integration');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /API integration enabled for "Amazon Connect Administrator" \(0oa\w+\) with AKIA\w{16}; roles imported: Okta_Role/,
    );
  }, 60_000);

  it('apply again completes (exit 0); doctor finds nothing wrong (exit 0)', async () => {
    const apply = await terminal2('apply --yes');
    expect(apply.code).toBe(0);
    const doctor = await terminal2('doctor');
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/\d+ ok, \d+ warning\(s\), 0 failure\(s\)/);
  }, 120_000);

  it('sandbox admin login: Jane signs in to Amazon Connect', async () => {
    const r = await terminal2('sandbox admin login --login jane.doe@acme.com');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ jane.doe@acme.com signed in to Amazon Connect as jane.doe@acme.com');
    expect(r.stdout).toMatch(
      /lands on: https:\/\/us-east-1\.console\.aws\.amazon\.com\/connect\/federate\/[\w-]+/,
    );
    const state = await terminal2('sandbox admin state');
    expect(state.code).toBe(0);
    expect(state.stdout).toMatch(/jane\.doe@acme\.com {2}ACTIVE/);
    expect(state.stdout).toMatch(
      /"Amazon Connect Administrator" 0oa\w+ {2}ACTIVE {2}API integration on \(1 role\(s\) imported\)/,
    );
  }, 60_000);

  it('a user pending activation (PROVISIONED) cannot sign in until she finishes it', async () => {
    expect(
      (await terminal2('sandbox admin add-user --login agent1@acme.com --status provisioned')).code,
    ).toBe(0);
    expect(guide).toContain('# add "  - { login: agent1@acme.com, app: admin }" under users: in sso.yaml');
    const file = join(cwd, 'sso.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}  - { login: agent1@acme.com, app: admin }\n`);
    expect((await terminal2('apply --yes')).code).toBe(0);
    const refused = await terminal2('sandbox admin login --login agent1@acme.com');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('✗ agent1@acme.com cannot sign in: it fails at okta');
    expect(refused.stdout).toContain('PROVISIONED');
    expect((await terminal2('sandbox admin activate-user --login agent1@acme.com')).code).toBe(0);
    const signedIn = await terminal2('sandbox admin login --login agent1@acme.com');
    expect(signedIn.code).toBe(0);
    expect(signedIn.stdout).toContain('✓ agent1@acme.com signed in to Amazon Connect as agent1@acme.com');
  }, 120_000);

  it('no secret in any output of terminal 2', () => {
    const secretOf = (name: string) => /^(.*)$/m.exec(sandboxEnvText.split(`${name}=`)[1] ?? '')?.[1] ?? '';
    const csv = readFileSync(join(cwd, 'okta_cli_user_accessKeys.csv'), 'utf8');
    const secrets = [
      secretOf('AWS_SECRET_ACCESS_KEY'),
      secretOf('OKTA_API_TOKEN'),
      secretOf('CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN'),
      csv.trim().split('\n')[1]?.split(',')[1] ?? '',
    ];
    const everything = outputs.join('\n');
    expect(outputs.length).toBeGreaterThanOrEqual(14);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(15);
      expect(everything).not.toContain(secret);
    }
  });
});
