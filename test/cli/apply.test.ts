/**
 * `plan` and `apply` as modules, with an injected process against an in-process sandbox: confirmation,
 * the unattended refusal, live and plain progress, the manual checkpoint (exit 3), where the access key's
 * secret goes, and that no secret reaches any output.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { planCommand } from '../../src/cli/commands/plan.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox, writes } from '../helpers.js';
import { configYaml, type FakeIo, fakeIo, sandboxEnv } from './fake-io.js';

const ESC = '\u001b';

let sb: Sandbox;
let env: Record<string, string>;
/** Every output of every run, for the secret check at the end. */
const outputs: string[] = [];

beforeAll(async () => {
  sb = await startTestSandbox();
  env = sandboxEnv(sb);
  for (const [login, firstName, lastName] of [
    ['jane.doe@acme.com', 'Jane', 'Doe'],
    ['agent1@acme.com', 'Amir', 'Haddad'],
    ['agent2@acme.com', 'Bea', 'Lindqvist'],
  ] as const) {
    sb.admin.createOktaUser({ login, firstName, lastName });
  }
});
afterAll(async () => {
  // Neither the Okta token nor the AWS secret, nor the created access key's secret, in any output.
  const everything = outputs.join('\n');
  expect(everything.length).toBeGreaterThan(1000);
  expect(everything).not.toContain(sb.okta.token);
  expect(everything).not.toContain(sb.aws.credentials.secretAccessKey);
  for (const secret of createdSecrets) expect(everything).not.toContain(secret);
  await sb.stop();
});
const createdSecrets: string[] = [];

const USERS = `users:
  - { login: jane.doe@acme.com, app: admin, connect: { securityProfiles: [Admin] } }
  - { login: agent1@acme.com, app: ccp }
  - { login: agent2@acme.com, app: ccp }
`;

async function run(
  command: typeof applyCommand,
  argv: string[],
  io: FakeIo,
): Promise<{ code: number; io: FakeIo }> {
  const code = await command.run(argv, io);
  outputs.push(io.all());
  return { code, io };
}

function setup(extra = USERS): { cwd: string; config: string } {
  const cwd = fakeIo().cwd;
  writeFileSync(join(cwd, 'sso.yaml'), configYaml(sb, extra));
  return { cwd, config: join(cwd, 'sso.yaml') };
}

describe('plan and apply', () => {
  let cwd = '';
  beforeAll(() => {
    cwd = setup().cwd;
  });

  it('plan prints the table and writes nothing', async () => {
    sb.resetRequests();
    const { code, io } = await run(planCommand, [], fakeIo({ env, cwd }));
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^\+ connect instance cli-test +create/m);
    expect(io.out()).toMatch(/^! okta api integration of "Amazon Connect CCP" +manual/m);
    expect(io.out()).toContain('Run connect-okta-sso apply --config sso.yaml');
    expect(writes(sb)).toEqual([]);
  });

  it('plan --json prints one document and nothing else', async () => {
    const { code, io } = await run(planCommand, ['--json'], fakeIo({ env, cwd }));
    expect(code).toBe(0);
    const doc = JSON.parse(io.out());
    expect(doc).toMatchObject({ command: 'plan', exitCode: 0, plan: { stack: 'cli-test' } });
    expect(doc.plan.items.length).toBeGreaterThan(5);
  });

  it('apply refuses to run unattended without --yes, before any request', async () => {
    sb.resetRequests();
    const { code, io } = await run(applyCommand, [], fakeIo({ env, cwd, stdin: [] }));
    expect(code).toBe(2);
    expect(io.err()).toContain('stdin is not a terminal');
    expect(io.err()).toContain('fix: Pass --yes');
    expect(sb.requests()).toEqual([]);
  });

  it('apply on a terminal shows the plan and asks; "no" changes nothing', async () => {
    sb.resetRequests();
    const { code, io } = await run(applyCommand, [], fakeIo({ env, cwd, stdin: ['n\n'], stdinTty: true }));
    expect(code).toBe(1);
    expect(io.out()).toMatch(/^\+ iam user okta_cli_user/m);
    expect(io.out()).toContain("The new Okta access key's secret will be written to");
    expect(io.err()).toMatch(/Apply \d+ change\(s\) to stack cli-test\? \[y\/N\] /);
    expect(io.err()).toContain('Cancelled: nothing was changed.');
    expect(writes(sb)).toEqual([]);
  });

  it('apply on a terminal, confirmed: live progress, the secret in a 0600 file, exit 3 at the checkpoint', async () => {
    const { code, io } = await run(
      applyCommand,
      [],
      fakeIo({ env, cwd, stdin: ['y\n'], stdinTty: true, stderrTty: true }),
    );
    expect(code).toBe(3);
    // The live block redraws in place (cursor up) with one line per step.
    expect(io.err()).toMatch(new RegExp(`${ESC}\\[\\d+A`));
    expect(io.err()).toMatch(/✓ connect instance cli-test +created/);
    expect(io.err()).toMatch(
      /! okta api integration of "Amazon Connect Administrator" +needs a manual action/,
    );
    const file = join(cwd, 'okta_cli_user_accessKeys.csv');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [header, row] = readFileSync(file, 'utf8').trim().split('\n');
    expect(header).toBe('Access key ID,Secret access key');
    const [accessKeyId, secret] = (row ?? '').split(',');
    createdSecrets.push(secret ?? '');
    expect(io.out()).toContain(`Okta access key ${accessKeyId}: its secret was saved to the file ${file}`);
    expect(io.out()).toContain('Manual action required');
    expect(io.out()).toContain('Configure API Integration');
    expect(io.out()).toContain('Status: manual action required');
  });

  it('a re-run before the click writes nothing, and the existing secret file is no obstacle', async () => {
    sb.resetRequests();
    const { code, io } = await run(applyCommand, ['--yes'], fakeIo({ env, cwd, stdin: [] }));
    expect(code).toBe(3);
    expect(writes(sb)).toEqual([]);
    // Plain log lines when stderr is not a terminal.
    expect(io.err()).not.toContain('\x1b[');
    expect(io.err()).toMatch(/^unchanged iam user okta_cli_user \(\d+ (ms|\.\d s)\)$/m);
    expect(io.err()).toMatch(/^manual action needed: okta api integration of "Amazon Connect CCP"$/m);
  });

  it('refuses, before any write, a run that would create a key when the secret file exists', async () => {
    sb.resetRequests();
    const { code, io } = await run(
      applyCommand,
      ['--yes', '--rotate-access-key'],
      fakeIo({ env, cwd, stdin: [] }),
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('okta_cli_user_accessKeys.csv already exists and is never overwritten');
    expect(writes(sb)).toEqual([]);
  });

  it('after the click, finishes: users created with counts, exit 0, --json one document', async () => {
    const [, row] = readFileSync(join(cwd, 'okta_cli_user_accessKeys.csv'), 'utf8').trim().split('\n');
    const [accessKeyId, secretAccessKey] = (row ?? '').split(',') as [string, string];
    for (const app of ['Amazon Connect Administrator', 'Amazon Connect CCP']) {
      const found = sb.state().okta.apps;
      const id = Object.values(found as Record<string, { id: string; label: string }>).find(
        (a) => a.label === app,
      )?.id;
      await sb.admin.enableApiIntegration(id ?? '', { accessKeyId, secretAccessKey });
    }
    const { code, io } = await run(applyCommand, ['--yes', '--json'], fakeIo({ env, cwd, stdin: [] }));
    expect(code).toBe(0);
    const doc = JSON.parse(io.out());
    expect(doc).toMatchObject({
      command: 'apply',
      exitCode: 0,
      result: { status: 'complete', users: { created: 3, failed: 0 } },
    });
    expect(io.err()).toMatch(/users?\b.*: 2\/2$/m);
  });

  it('apply with nothing to do on a terminal does not ask', async () => {
    sb.resetRequests();
    const { code, io } = await run(applyCommand, [], fakeIo({ env, cwd, stdin: [], stdinTty: true }));
    expect(code).toBe(0);
    expect(io.err()).not.toContain('[y/N]');
    expect(io.out()).toContain('Status: complete');
    expect(writes(sb)).toEqual([]);
  });
});

describe('invalid input', () => {
  it('an invalid config: exit 2, file:line, the field and the fix, zero requests', async () => {
    const { cwd } = setup();
    writeFileSync(join(cwd, 'bad.yaml'), configYaml(sb).replace('alias: cli-test', 'alias: d-bad--'));
    sb.resetRequests();
    const { code, io } = await run(
      applyCommand,
      ['--config', 'bad.yaml', '--yes'],
      fakeIo({ env, cwd, stdin: [] }),
    );
    expect(code).toBe(2);
    expect(io.err()).toMatch(/^connect-okta-sso apply: error: bad\.yaml:\d+:\d+: instance\.alias: /m);
    expect(io.err()).toContain('  field: instance.alias');
    expect(io.err()).toContain('  fix: Correct instance.alias in bad.yaml');
    expect(sb.requests()).toEqual([]);
  });

  it('no Okta credentials: exit 2 naming the variables', async () => {
    const { cwd } = setup();
    const { OKTA_API_TOKEN: _, ...rest } = env;
    const { code, io } = await run(planCommand, ['--json'], fakeIo({ env: rest, cwd }));
    expect(code).toBe(2);
    const doc = JSON.parse(io.out());
    expect(doc.error).toMatchObject({ code: 'USAGE', field: 'OKTA_API_TOKEN' });
    expect(doc.error.fix).toContain('OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE');
  });

  it('OKTA_ORG_URL naming another org: the credentials are not sent', async () => {
    const { cwd } = setup();
    sb.resetRequests();
    const { code, io } = await run(
      planCommand,
      [],
      fakeIo({ env: { ...env, OKTA_ORG_URL: 'https://other.okta.com' }, cwd }),
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('OKTA_ORG_URL is https://other.okta.com but okta.orgUrl');
    expect(sb.requests()).toEqual([]);
  });

  it('a token on stdin is used and never echoed; a refused one exits 2 (as a missing one) with the fix, --debug redacted', async () => {
    const { cwd } = setup();
    const { OKTA_API_TOKEN: _, ...rest } = env;
    const good = await run(
      planCommand,
      ['--okta-token-stdin'],
      fakeIo({ env: rest, cwd, stdin: [`${sb.okta.token}\n`] }),
    );
    expect(good.code).toBe(0);
    const wrong = 'SSWSwrongTokenValue0123456789';
    const bad = await run(
      applyCommand,
      ['--okta-token-stdin', '--yes', '--debug'],
      fakeIo({ env: rest, cwd, stdin: [wrong] }),
    );
    expect(bad.code).toBe(2);
    expect(bad.io.out()).toContain('Status: failed');
    expect(bad.io.out()).toMatch(/fix: The Okta credentials were refused/);
    expect(bad.io.all()).not.toContain(wrong);
    const plan = await run(
      planCommand,
      ['--okta-token-stdin', '--json', '--debug'],
      fakeIo({ env: rest, cwd, stdin: [wrong] }),
    );
    expect(plan.code).toBe(2);
    const doc = JSON.parse(plan.io.out());
    expect(doc.exitCode).toBe(2);
    expect(doc.errors[0]).toMatchObject({ code: 'PROVIDER_ERROR', error: { service: 'okta' } });
    expect(doc.errors[0].fix).toContain('The Okta credentials were refused');
    expect(plan.io.all()).not.toContain(wrong);
  });

  it('both secret sinks at once is a usage error', async () => {
    const { cwd } = setup();
    const { code, io } = await run(
      applyCommand,
      ['--yes', '--secret-out', 'k.csv', '--secret-to-secrets-manager', 'k'],
      fakeIo({ env, cwd, stdin: [] }),
    );
    expect(code).toBe(2);
    expect(io.err()).toContain('are alternatives');
  });
});

describe('group mapping', () => {
  it('completes in one run: no access key, no manual step', async () => {
    const { cwd } = setup();
    writeFileSync(
      join(cwd, 'sso.yaml'),
      configYaml(
        sb,
        `roleMapping: group-mapping\nnames: { federationPolicy: groups_federation_policy }\n${USERS}`,
      )
        .replace('stack: cli-test', 'stack: cli-groups')
        .replace('alias: cli-test', 'alias: cli-groups')
        .replace(
          '- kind: admin',
          '- { kind: admin, label: Groups Admin, providerName: G_Admin, roleName: G_Admin_Role }',
        )
        .replace(
          '- kind: ccp',
          '- { kind: ccp, label: Groups CCP, providerName: G_CCP, roleName: G_CCP_Role }',
        ),
    );
    const { code, io } = await run(applyCommand, ['--yes'], fakeIo({ env, cwd, stdin: [] }));
    expect(io.all()).toContain('Status: complete');
    expect(code).toBe(0);
    expect(io.out()).toContain('Users: 3 created');
    expect(io.out()).not.toContain('access key');
  });
});

describe('apply --wait', () => {
  it('shows the clicks, waits for them, and finishes in the same run', async () => {
    const other = await startTestSandbox();
    try {
      const cwd = fakeIo().cwd;
      writeFileSync(join(cwd, 'sso.yaml'), configYaml(other).replace('  - kind: ccp\n', ''));
      const io = fakeIo({ env: sandboxEnv(other), cwd, stdin: [] });
      const running = run(applyCommand, ['--yes', '--wait', '--wait-timeout', '2m'], io);
      while (!io.err().includes('Waiting up to 2 min')) await new Promise((r) => setTimeout(r, 50));
      expect(io.err()).toContain('Configure API Integration');
      const [accessKeyId, secretAccessKey] = (
        readFileSync(join(cwd, 'okta_cli_user_accessKeys.csv'), 'utf8').trim().split('\n')[1] ?? ''
      ).split(',') as [string, string];
      createdSecrets.push(secretAccessKey);
      const apps = Object.values(other.state().okta.apps as Record<string, { id: string }>);
      await other.admin.enableApiIntegration(apps[0]?.id ?? '', { accessKeyId, secretAccessKey });
      const { code } = await running;
      expect(io.out()).toContain('Status: complete');
      expect(io.out()).toContain(`Okta access key ${accessKeyId}: its secret was saved`);
      expect(code).toBe(0);
    } finally {
      await other.stop();
    }
  });
});

describe('apply --wait that runs out', () => {
  it('shows the clicks before waiting, in one run; a wait that runs out is still exit 3 (manual)', async () => {
    const other = await startTestSandbox();
    try {
      const cwd = fakeIo().cwd;
      writeFileSync(join(cwd, 'sso.yaml'), configYaml(other));
      const { code, io } = await run(
        applyCommand,
        ['--yes', '--wait', '--wait-timeout', '2s'],
        fakeIo({ env: sandboxEnv(other), cwd, stdin: [] }),
      );
      const err = io.err();
      expect(code, err).toBe(3);
      // The instructions come from the library's waiting-for-manual-action event, before the wait.
      expect(err).toContain('Configure API Integration');
      expect(err).toMatch(/Waiting up to \d+ min for these steps/);
      expect(err.indexOf('Configure API Integration')).toBeLessThan(err.indexOf('Waiting up to'));
      // One provisioning pass: the Okta API user was created and its key made exactly once.
      const created = other.requests().filter((r) => r.operation === 'CreateAccessKey');
      expect(created.length).toBe(1);
      expect(io.out()).toContain('Status: manual action required');
      createdSecrets.push(
        (readFileSync(join(cwd, 'okta_cli_user_accessKeys.csv'), 'utf8').trim().split('\n')[1] ?? '').split(
          ',',
        )[1] ?? '',
      );
    } finally {
      await other.stop();
    }
  });
});
