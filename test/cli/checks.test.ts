/**
 * `doctor`, `verify-saml` and `rotate-cert` as modules with an injected process, against a sandbox set
 * up through the library.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { rotateCertCommand } from '../../src/cli/commands/rotate-cert.js';
import { verifySamlCommand } from '../../src/cli/commands/verify-saml.js';
import { loadConfig } from '../../src/config/index.js';
import { createContext, type ProvisionResult, provisionConnectSso } from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox, writes } from '../helpers.js';
import { configYaml, fakeIo, sandboxEnv } from './fake-io.js';

let sb: Sandbox;
let env: Record<string, string>;
let cwd: string;
let result: ProvisionResult;

beforeAll(async () => {
  sb = await startTestSandbox();
  env = sandboxEnv(sb);
  sb.admin.createOktaUser({ login: 'agent1@acme.com', firstName: 'Amir', lastName: 'Haddad' });
  cwd = fakeIo().cwd;
  writeFileSync(join(cwd, 'sso.yaml'), configYaml(sb, 'users:\n  - { login: agent1@acme.com, app: ccp }\n'));
  const config = await loadConfig(join(cwd, 'sso.yaml'), { env });
  const context = createContext({
    region: sb.aws.region,
    endpoint: sb.aws.endpoint,
    credentials: sb.aws.credentials,
    okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
  });
  const first = await provisionConnectSso(config, { context });
  const key = first.accessKey;
  for (const app of first.apps) {
    await sb.admin.enableApiIntegration(app.appId ?? '', {
      accessKeyId: key?.accessKeyId ?? '',
      secretAccessKey: key?.secretAccessKey?.reveal() ?? '',
    });
  }
  result = await provisionConnectSso(config, { context });
  expect(result.status).toBe('complete');
});
afterAll(async () => {
  await sb.stop();
});

describe('doctor', () => {
  it('exit 0 with every finding ok; --json one document', async () => {
    const io = fakeIo({ env, cwd });
    expect(await doctorCommand.run([], io)).toBe(0);
    expect(io.out()).toMatch(/^Doctor for stack cli-test/);
    expect(io.out()).toMatch(/✓ instance\.active/);
    expect(io.out()).toMatch(/\d+ ok, 0 warning\(s\), 0 failure\(s\)$/m);
    const json = fakeIo({ env, cwd });
    expect(await doctorCommand.run(['--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ command: 'doctor', exitCode: 0, report: { ok: true } });
  });
});

describe('verify-saml', () => {
  async function issued(appId: string, login: string): Promise<string> {
    const page = await (await fetch(`${sb.okta.orgUrl}/home/amazon_aws/${appId}/272?login=${login}`)).text();
    return /name="SAMLResponse" value="([^"]+)"/.exec(page)?.[1] ?? '';
  }

  it('passes a response Okta issued, against IAM and Connect (--config), and against metadata alone', async () => {
    const ccp = result.apps.find((a) => a.kind === 'ccp');
    const response = await issued(ccp?.appId ?? '', 'agent1@acme.com');
    const io = fakeIo({ env, cwd, stdin: [response] });
    expect(await verifySamlCommand.run(['--config', 'sso.yaml'], io)).toBe(0);
    expect(io.out()).toContain('RoleSessionName:  agent1@acme.com');
    expect(io.out()).toMatch(/✓ connect-user/);
    const metadata = await (
      await fetch(`${sb.okta.orgUrl}/api/v1/apps/${ccp?.appId}/sso/saml/metadata`, {
        headers: { Authorization: `SSWS ${sb.okta.token}`, Accept: 'application/xml' },
      })
    ).text();
    writeFileSync(join(cwd, 'idp.xml'), metadata);
    const alone = fakeIo({ cwd, stdin: [response] });
    expect(await verifySamlCommand.run(['--metadata', 'idp.xml', '--json'], alone)).toBe(0);
    expect(JSON.parse(alone.out())).toMatchObject({
      command: 'verify-saml',
      exitCode: 0,
      verification: { ok: true },
    });
    const later = fakeIo({ cwd, stdin: [response] });
    expect(
      await verifySamlCommand.run(['--metadata', 'idp.xml', '--at', '2099-01-01T00:00:00Z'], later),
    ).toBe(1);
    expect(later.out()).toMatch(/✗ time/);
    expect(later.out()).toContain('AWS sign-in would reject this response.');
  });

  it('exit 2 without a response, without metadata or config, or with unreadable metadata', async () => {
    const tty = fakeIo({ cwd, stdinTty: true });
    expect(await verifySamlCommand.run(['--metadata', 'idp.xml'], tty)).toBe(2);
    expect(tty.err()).toContain('no SAMLResponse on stdin');
    const empty = fakeIo({ cwd, stdin: [] });
    expect(await verifySamlCommand.run(['--metadata', 'idp.xml'], empty)).toBe(2);
    const neither = fakeIo({ cwd, stdin: ['x'] });
    expect(await verifySamlCommand.run([], neither)).toBe(2);
    const missing = fakeIo({ cwd, stdin: ['x'] });
    expect(await verifySamlCommand.run(['--metadata', 'nope.xml'], missing)).toBe(2);
    expect(missing.err()).toContain('cannot read nope.xml (ENOENT)');
  });
});

describe('rotate-cert', () => {
  it('rotates one app and doctor stays clean', async () => {
    const io = fakeIo({ env, cwd });
    expect(await rotateCertCommand.run(['--app', 'ccp', '--propagation-delay', '1ms', '--yes'], io)).toBe(0);
    expect(io.out()).toMatch(/^Okta app "Amazon Connect CCP": rotated$/m);
    expect(io.err()).toContain('Amazon Connect CCP: switch done');
    const again = fakeIo({ env, cwd });
    expect(
      await rotateCertCommand.run(['--app', 'ccp', '--if-expiring-within', '30', '--json', '-y'], again),
    ).toBe(0);
    expect(JSON.parse(again.out()).result.apps[0].outcome).toBe('not-needed');
    const doctor = fakeIo({ env, cwd });
    expect(await doctorCommand.run([], doctor)).toBe(0);
  });

  it('refuses an app the config does not have', async () => {
    const io = fakeIo({ env, cwd });
    expect(await rotateCertCommand.run(['--app', 'agent-workspace', '--yes'], io)).toBe(2);
    expect(io.err()).toContain('the config has no agent-workspace app');
  });

  it('refuses to run without a terminal unless --yes, before any request (as apply does)', async () => {
    sb.resetRequests();
    const io = fakeIo({ env, cwd, stdin: [] });
    expect(await rotateCertCommand.run(['--app', 'admin'], io)).toBe(2);
    expect(io.err()).toContain('stdin is not a terminal, so rotate-cert cannot ask for confirmation');
    expect(io.err()).toContain('fix: Pass --yes');
    expect(sb.requests()).toEqual([]);
    const json = fakeIo({ env, cwd, stdin: [] });
    expect(await rotateCertCommand.run(['--app', 'admin', '--json'], json)).toBe(2);
    expect(JSON.parse(json.out())).toMatchObject({ exitCode: 2, error: { code: 'USAGE', field: '--yes' } });
  });

  it('asks on a terminal: "no" changes nothing (exit 1), "yes" rotates', async () => {
    sb.resetRequests();
    const no = fakeIo({ env, cwd, stdin: ['n\n'], stdinTty: true });
    expect(await rotateCertCommand.run(['--app', 'admin', '--propagation-delay', '1ms'], no)).toBe(1);
    expect(no.err()).toContain(
      'Rotate the SAML signing certificate of the Okta app "Amazon Connect Administrator", stack cli-test? [y/N] ',
    );
    expect(no.err()).toContain('Cancelled: nothing was changed.');
    expect(writes(sb)).toEqual([]);
    const yes = fakeIo({ env, cwd, stdin: ['y\n'], stdinTty: true });
    expect(await rotateCertCommand.run(['--app', 'admin', '--propagation-delay', '1ms'], yes)).toBe(0);
    expect(yes.out()).toMatch(/^Okta app "Amazon Connect Administrator": rotated$/m);
    expect(writes(sb).length).toBeGreaterThan(0);
  });
});
