/**
 * Exit codes and flags as the help promises them, against an in-process sandbox:
 * - credentials missing or refused are one exit code (2) in plan, apply and doctor, whether AWS finds
 *   none, AWS refuses the secret, or Okta refuses the token;
 * - a plan with a blocked row (a resource apply would fail on) says what is blocked and exits 1;
 * - a connection that fails names the setting that decides where it goes: AWS_ENDPOINT_URL / the
 *   region for AWS, okta.orgUrl for Okta — never the other side's.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { planCommand } from '../../src/cli/commands/plan.js';
import { COMMANDS } from '../../src/cli/dispatch.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox } from '../helpers.js';
import { configYaml, fakeIo, sandboxEnv } from './fake-io.js';

let sb: Sandbox;
let env: Record<string, string>;
let cwd: string;
const outputs: string[] = [];

const USERS = 'users:\n  - { login: agent1@acme.com, app: ccp }\n';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 1;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  sb = await startTestSandbox();
  env = sandboxEnv(sb);
  sb.admin.createOktaUser({ login: 'agent1@acme.com', firstName: 'Amir', lastName: 'Haddad' });
  cwd = fakeIo().cwd;
  writeFileSync(join(cwd, 'sso.yaml'), configYaml(sb, USERS));
  // A complete setup: apply, the API-integration click, apply again.
  const first = fakeIo({ env, cwd, stdin: [] });
  expect(await applyCommand.run(['--yes', '--secret-out', 'key.csv'], first)).toBe(3);
  const { readFileSync } = await import('node:fs');
  const [accessKeyId, secretAccessKey] = (
    readFileSync(join(cwd, 'key.csv'), 'utf8').trim().split('\n')[1] ?? ''
  ).split(',') as [string, string];
  const apps = sb.state().okta.apps as Record<string, { id: string }>;
  for (const app of Object.values(apps))
    await sb.admin.enableApiIntegration(app.id, { accessKeyId, secretAccessKey });
  const second = fakeIo({ env, cwd, stdin: [] });
  expect(await applyCommand.run(['--yes'], second)).toBe(0);
});

afterAll(async () => {
  const everything = outputs.join('\n');
  expect(everything).not.toContain(sb.okta.token);
  expect(everything).not.toContain(sb.aws.credentials.secretAccessKey);
  await sb.stop();
});

async function run(
  command: typeof planCommand,
  argv: string[],
  extraEnv: Record<string, string | undefined> = {},
  options: { config?: string } = {},
) {
  const e = { ...env, ...extraEnv };
  for (const [k, v] of Object.entries(e)) if (v === undefined) delete e[k];
  const io = fakeIo({ env: e, cwd, stdin: [] });
  const code = await command.run([...(options.config ? ['--config', options.config] : []), ...argv], io);
  outputs.push(io.all());
  return { code, io };
}

describe('credentials missing or refused: one exit code, 2, as the help says', () => {
  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    [
      'no AWS credentials',
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
      /No AWS credentials were found/,
    ],
    [
      'a wrong AWS secret',
      { AWS_SECRET_ACCESS_KEY: 'wrongSecretValue0123456789abcdefghijkl' },
      /The AWS credentials were refused/,
    ],
    [
      'a refused Okta token',
      { OKTA_API_TOKEN: 'wrongOktaToken0123456789abcdef' },
      /The Okta credentials were refused/,
    ],
  ];
  for (const [what, extra, fix] of cases) {
    it(`${what}: plan, apply and doctor exit 2 with the fix`, async () => {
      const plan = await run(planCommand, [], extra);
      expect(plan.code).toBe(2);
      expect(plan.io.out() + plan.io.err()).toMatch(fix);
      const planJson = await run(planCommand, ['--json'], extra);
      expect(JSON.parse(planJson.io.out()).exitCode).toBe(2);
      const apply = await run(applyCommand, ['--yes'], extra);
      expect(apply.code).toBe(2);
      expect(apply.io.out() + apply.io.err()).toMatch(fix);
      const doctor = await run(doctorCommand, ['--json'], extra);
      expect(doctor.code).toBe(2);
      expect(JSON.parse(doctor.io.out()).exitCode).toBe(2);
    });
  }

  it('every command that takes credentials documents exit 2 for them', async () => {
    // (fleet is the exception it documents: a target whose credentials are refused is a row, exit 1.)
    for (const name of ['plan', 'apply', 'doctor', 'rotate-cert', 'destroy', 'sync']) {
      const command = await (COMMANDS[name] as { load(): Promise<{ help: string }> }).load();
      expect(command.help.replace(/\s+/g, ' ')).toContain(
        '2 invalid input or config, or AWS or Okta credentials missing or refused',
      );
    }
  });
});

describe('plan with a blocked row', () => {
  it('says what is blocked and exits 1, as apply would fail', async () => {
    const config = join(cwd, 'unknown-user.yaml');
    writeFileSync(config, configYaml(sb, `${USERS}  - { login: nobody@acme.com, app: ccp }\n`));
    const plan = await run(planCommand, [], {}, { config });
    expect(plan.io.out()).toMatch(
      /^x \d+ user assignment\(s\) of "Amazon Connect CCP" +blocked: .*nobody@acme\.com/m,
    );
    expect(plan.io.out()).not.toContain('Nothing to change.');
    expect(plan.io.out()).toMatch(/^Blocked — apply would fail on this:$/m);
    expect(plan.io.out()).toMatch(
      /^ {2}x \d+ user assignment\(s\) of "Amazon Connect CCP": .*nobody@acme\.com/m,
    );
    expect(plan.code).toBe(1);
    const json = await run(planCommand, ['--json'], {}, { config });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.io.out());
    expect(doc.exitCode).toBe(1);
    expect(doc.blocked).toEqual([
      expect.objectContaining({ id: 'users:ccp', reason: expect.stringContaining('nobody@acme.com') }),
    ]);
    // And apply does fail on it.
    const apply = await run(applyCommand, ['--yes'], {}, { config });
    expect(apply.code).toBe(1);
  });

  it('a plan whose only blocked rows wait behind the manual step still exits 0', async () => {
    const fresh = await startTestSandbox();
    try {
      const dir = fakeIo().cwd;
      writeFileSync(join(dir, 'sso.yaml'), configYaml(fresh, USERS));
      const io = fakeIo({ env: sandboxEnv(fresh), cwd: dir, stdin: [] });
      const code = await planCommand.run(['--json'], io);
      const doc = JSON.parse(io.out());
      expect(doc.plan.summary.blocked).toBeGreaterThan(0);
      expect(doc.plan.summary.manual).toBeGreaterThan(0);
      expect(doc.blocked).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await fresh.stop();
    }
  });
});

describe('a connection that fails names the setting to check', () => {
  it('AWS unreachable: AWS_ENDPOINT_URL, not okta.orgUrl', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const plan = await run(planCommand, ['--json'], { AWS_ENDPOINT_URL: endpoint });
    expect(plan.code).toBe(1);
    const doc = JSON.parse(plan.io.out());
    const aws = doc.errors.filter((e: { error: { service?: string } }) => e.error.service !== 'okta');
    expect(aws.length).toBeGreaterThan(0);
    for (const e of aws) {
      expect(e.fix).toContain('ECONNREFUSED');
      expect(e.fix).toContain(`AWS_ENDPOINT_URL sends every AWS call to ${endpoint}`);
      expect(e.fix).not.toContain('okta.orgUrl');
    }
  });

  it('Okta unreachable: okta.orgUrl in the config, not AWS_ENDPOINT_URL', async () => {
    const orgUrl = `http://127.0.0.1:${await closedPort()}`;
    const config = join(cwd, 'okta-down.yaml');
    writeFileSync(config, configYaml(sb, USERS).replace(sb.okta.orgUrl, orgUrl));
    const plan = await run(planCommand, ['--json'], { OKTA_ORG_URL: undefined }, { config });
    expect(plan.code).toBe(1);
    const doc = JSON.parse(plan.io.out());
    const okta = doc.errors.filter((e: { error: { service?: string } }) => e.error.service === 'okta');
    expect(okta.length).toBeGreaterThan(0);
    for (const e of okta) {
      expect(e.fix).toContain('Could not reach the Okta org');
      expect(e.fix).toContain(`okta.orgUrl in ${config} (${orgUrl})`);
      expect(e.fix).not.toContain('AWS_ENDPOINT_URL');
    }
  });
});
