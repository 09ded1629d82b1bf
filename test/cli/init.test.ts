/**
 * `init`: a commented starter config from flags (or answers on a terminal), validated, never overwriting.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand } from '../../src/cli/commands/init.js';
import { planCommand } from '../../src/cli/commands/plan.js';
import { loadConfig } from '../../src/config/index.js';
import { startTestSandbox } from '../helpers.js';
import { fakeIo, sandboxEnv } from './fake-io.js';

const FLAGS = ['--region', 'eu-west-2', '--alias', 'acme-cc', '--org-url', 'https://acme.okta.com'];

describe('init', () => {
  it('writes a commented, valid starter file from flags when stdin is not a terminal', async () => {
    const io = fakeIo({ stdin: [] });
    expect(await initCommand.run([...FLAGS, '--apps', 'admin,ccp,agent-workspace'], io)).toBe(0);
    const file = join(io.cwd, 'sso.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# yaml-language-server: $schema=');
    expect(text).toMatch(/^# .*OKTA_API_TOKEN/m);
    expect(text).not.toMatch(/^\s*token:/m);
    const config = await loadConfig(file, { env: {}, requireOktaAuth: false });
    expect(config).toMatchObject({
      region: 'eu-west-2',
      stack: 'acme-cc',
      instance: { alias: 'acme-cc' },
      okta: { orgUrl: 'https://acme.okta.com' },
      roleMapping: 'api-integration',
    });
    expect(config.apps.map((a) => a.kind)).toEqual(['admin', 'ccp', 'agent-workspace']);
    expect(io.out()).toContain('Wrote sso.yaml');
    expect(io.out()).toContain('connect-okta-sso plan --config sso.yaml');
  });

  it('refuses to overwrite, and exits 2', async () => {
    const io = fakeIo({ stdin: [] });
    writeFileSync(join(io.cwd, 'mine.yaml'), 'keep me');
    expect(await initCommand.run([...FLAGS, '--out', 'mine.yaml'], io)).toBe(2);
    expect(io.err()).toContain('mine.yaml already exists; init never overwrites a file');
    expect(readFileSync(join(io.cwd, 'mine.yaml'), 'utf8')).toBe('keep me');
  });

  it('requires the flags without a terminal, naming them', async () => {
    const io = fakeIo({ stdin: [] });
    expect(await initCommand.run(['--region', 'us-east-1'], io)).toBe(2);
    expect(io.err()).toContain('--alias, --org-url are required when stdin is not a terminal');
    expect(existsSync(join(io.cwd, 'sso.yaml'))).toBe(false);
  });

  it('an invalid value names its flag and writes nothing', async () => {
    const io = fakeIo({ stdin: [] });
    const code = await initCommand.run(
      [
        '--region',
        'us-east-1',
        '--alias',
        'd-no',
        '--org-url',
        'http://acme.okta.com',
        '--apps',
        'admin,admin',
      ],
      io,
    );
    expect(code).toBe(2);
    expect(io.err()).toMatch(/--alias: /);
    expect(io.err()).toMatch(/--org-url: must use https/);
    expect(io.err()).toContain('nothing was written');
    expect(existsSync(join(io.cwd, 'sso.yaml'))).toBe(false);
  });

  it('asks on a terminal, with defaults from the environment', async () => {
    const io = fakeIo({
      stdinTty: true,
      // region (default), alias (empty: asked again), alias, org URL (default), apps, role mapping, file
      stdin: ['\n', '\n', 'my-cc\n', '\n', 'ccp\n', 'group-mapping\n', 'cc.yaml\n'],
      env: { AWS_REGION: 'ap-southeast-2', OKTA_ORG_URL: 'https://acme.okta.com' },
    });
    expect(await initCommand.run([], io)).toBe(0);
    expect(io.err()).toContain('AWS region of the Connect instance [ap-southeast-2]: ');
    expect(io.err()).toContain('(required)');
    expect(io.err()).toContain('Okta org URL [https://acme.okta.com]: ');
    const config = await loadConfig(join(io.cwd, 'cc.yaml'), { env: {}, requireOktaAuth: false });
    expect(config).toMatchObject({ region: 'ap-southeast-2', stack: 'my-cc', roleMapping: 'group-mapping' });
    expect(config.apps.map((a) => a.kind)).toEqual(['ccp']);
  });

  it('writes no empty users list, but a commented example that is valid once uncommented', async () => {
    const io = fakeIo({ stdin: [] });
    expect(await initCommand.run([...FLAGS, '--apps', 'ccp,admin'], io)).toBe(0);
    const file = join(io.cwd, 'sso.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/^users:/m);
    expect(text).toMatch(/^# users:$/m);
    expect((await loadConfig(file, { env: {}, requireOktaAuth: false })).users).toEqual([]);

    // Uncommenting the example (dropping "# " from its lines) gives one user of the first app.
    const lines = text.split('\n');
    const start = lines.indexOf('# users:');
    const uncommented = lines.map((line, i) => (i >= start && line.startsWith('# ') ? line.slice(2) : line));
    writeFileSync(file, uncommented.join('\n'));
    const config = await loadConfig(file, { env: {}, requireOktaAuth: false });
    expect(config.users.map((u) => [u.login, u.app, u.connect.securityProfiles])).toEqual([
      ['jane.doe@example.com', 'ccp', ['Admin']],
    ]);
  });

  it('the plan of a fresh starter file has no user row and nothing blocked', async () => {
    const sb = await startTestSandbox();
    try {
      const io = fakeIo({ stdin: [], env: sandboxEnv(sb) });
      const init = ['--region', sb.aws.region, '--alias', 'init-cc', '--org-url', sb.okta.orgUrl];
      expect(await initCommand.run(init, io)).toBe(0);
      const planned = fakeIo({ stdin: [], env: sandboxEnv(sb), cwd: io.cwd });
      expect(await planCommand.run(['--config', 'sso.yaml'], planned)).toBe(0);
      const table = planned.out();
      expect(table).toMatch(/^\+ connect instance init-cc +create/m);
      expect(table).toMatch(/^! okta api integration of "Amazon Connect CCP" +manual/m);
      expect(table).not.toMatch(/user assignment/);
      expect(table).toMatch(/\d+ to create, 0 to update, 0 unchanged, 2 manual, 0 blocked/);

      const json = fakeIo({ stdin: [], env: sandboxEnv(sb), cwd: io.cwd });
      expect(await planCommand.run(['--config', 'sso.yaml', '--json'], json)).toBe(0);
      const { plan } = JSON.parse(json.out()) as { plan: { items: { kind: string }[] } };
      expect(plan.items.filter((i) => i.kind === 'user-assignment')).toEqual([]);
    } finally {
      await sb.stop();
    }
  });

  it('--json prints one document', async () => {
    const io = fakeIo({ stdin: [] });
    expect(await initCommand.run([...FLAGS, '--json'], io)).toBe(0);
    const doc = JSON.parse(io.out());
    expect(doc).toMatchObject({ command: 'init', exitCode: 0, config: { region: 'eu-west-2' } });
    expect(io.err()).toBe('');
  });
});
