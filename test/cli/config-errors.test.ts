/**
 * Config file errors as the CLI shows them: a missing file says it is missing and how to make one, a
 * syntax error shows its line and column, and a config with thousands of problems prints the first few
 * while `--json` lists every one. All fail before any call (no sandbox needed).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../src/cli/commands/plan.js';
import { fakeIo } from './fake-io.js';

const VALID_START = `region: us-east-1
instance:
  alias: acme-cc
okta:
  orgUrl: https://acme.okta.com
apps:
  - kind: admin
`;

async function plan(files: Record<string, string>, args: string[]) {
  const io = fakeIo({ stdin: [] });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(io.cwd, name), text);
  const code = await planCommand.run(args, io);
  return { code, io };
}

describe('config file errors in the CLI', () => {
  it('a missing file says it is missing, names it, and says how to create one', async () => {
    const { code, io } = await plan({}, ['--config', 'nope.yaml']);
    expect(code).toBe(2);
    expect(io.err()).toContain(
      'error: nope.yaml: the config file does not exist (no such file); create one with connect-okta-sso init --out nope.yaml',
    );
    expect(io.err()).toContain(
      'fix: Create it with connect-okta-sso init --out nope.yaml (a commented starter config), or pass --config with the path of an existing file.',
    );
    expect(io.err()).not.toContain('position');

    const json = await plan({}, ['--config', 'nope.yaml', '--json']);
    const doc = JSON.parse(json.io.out());
    expect(doc).toMatchObject({
      command: 'plan',
      exitCode: 2,
      error: {
        code: 'CONFIG_INVALID',
        field: 'nope.yaml',
        fix: expect.stringContaining('init --out nope.yaml'),
      },
    });
  });

  it('YAML and JSON syntax errors show file:line:column, and the fix points at it', async () => {
    const yaml = await plan({ 'bad.yaml': 'region: us-east-1\ninstance:\n  alias: acme\n bad: x\n' }, [
      '--config',
      'bad.yaml',
    ]);
    expect(yaml.code).toBe(2);
    expect(yaml.io.err()).toContain('error: bad.yaml:4:1: All mapping items must start at the same column');
    expect(yaml.io.err()).toContain('fix: Correct bad.yaml at the position shown');

    const json = await plan({ 'bad.json': '{\n  "region": "us-east-1",\n}' }, [
      '--config',
      'bad.json',
      '--json',
    ]);
    const doc = JSON.parse(json.io.out());
    expect(doc.error.message).toBe("bad.json:3:1: a trailing ',' is not allowed in JSON");
    expect(doc.error.fix).toContain('at the position shown');
  });

  it('a file error with no position does not send the reader to one', async () => {
    const { code, io } = await plan({ 'empty.yaml': '# nothing yet\n' }, ['--config', 'empty.yaml']);
    expect(code).toBe(2);
    expect(io.err()).toContain('error: empty.yaml: the file is empty');
    expect(io.err()).toContain(
      'fix: Correct empty.yaml (connect-okta-sso init writes a valid starter file).',
    );
  });

  it('16,000 problems: the text shows the first 20 and "and N more", --json lists every one', async () => {
    const users = Array.from({ length: 16_000 }, (_, i) => `  - { login: agent${i}@acme.com, app: nope }\n`);
    const files = { 'big.yaml': `${VALID_START}users:\n${users.join('')}` };

    const text = await plan(files, ['--config', 'big.yaml']);
    expect(text.code).toBe(2);
    const err = text.io.err();
    expect(err).toContain('error: 16000 problems in big.yaml:');
    expect(err).toContain('big.yaml:9:31: users[0].app: no app with kind or label');
    expect(err).toContain('users[19].app');
    expect(err).not.toContain('users[20].app');
    expect(err).toContain('  … and 15980 more (error.issues lists all 16000)');
    expect(err).toContain('--json lists all 16000 problems.');
    expect(err.split('\n').length).toBeLessThan(30);

    const json = await plan(files, ['--config', 'big.yaml', '--json']);
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.io.out()) as {
      error: { code: string; message: string; issues: { field: string; message: string }[] };
    };
    expect(doc.error.code).toBe('CONFIG_INVALID');
    expect(doc.error.issues).toHaveLength(16_000);
    expect(doc.error.issues[15_999]).toEqual({
      field: 'users[15999].app',
      message: expect.stringMatching(/^no app with kind or label 'nope'/),
    });
    expect(new Set(doc.error.issues.map((i) => i.field)).size).toBe(16_000);
    expect(doc.error.message).toContain('… and 15980 more');
  });
});
