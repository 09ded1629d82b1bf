/**
 * Issue 12 item 12: a user in the config who does not exist in Okta is a clear blocked reason in the
 * plan and a clear failure of apply, both naming the login — not only "run again with --debug".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { planCommand } from '../../src/cli/commands/plan.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox } from '../helpers.js';
import { configYaml, fakeIo, sandboxEnv } from './fake-io.js';

let sb: Sandbox;
let env: Record<string, string>;
let cwd: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  env = sandboxEnv(sb);
  cwd = fakeIo().cwd;
  writeFileSync(
    join(cwd, 'sso.yaml'),
    configYaml(sb, 'roleMapping: group-mapping\nusers:\n  - { login: ghost@acme.com, app: ccp }\n'),
  );
});
afterAll(() => sb.stop());

describe('a configured user unknown to Okta', () => {
  it('apply fails naming the login and what to do', async () => {
    // First run: everything but the user exists afterwards (group mapping needs no console step).
    const io = fakeIo({ env, cwd, stdin: [] });
    const code = await applyCommand.run(['--yes'], io);
    expect(code).not.toBe(0);
    const text = io.all();
    expect(text).toContain('ghost@acme.com');
    expect(text).toMatch(/no Okta user with login 'ghost@acme\.com'/);
    expect(text).toMatch(/fix: Correct or remove the users named above in the config/);
    expect(text).not.toMatch(/fix: Run the command again with --debug/);
  });

  it('the plan shows it as blocked, naming the login, and plan exits non-zero', async () => {
    const io = fakeIo({ env, cwd });
    const code = await planCommand.run([], io);
    const text = io.all();
    expect(text, text).toMatch(/no Okta user with login 'ghost@acme\.com'/);
    expect(code).not.toBe(0);
  });
});
