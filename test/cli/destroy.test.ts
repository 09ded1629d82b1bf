/**
 * `connect-okta-sso destroy` as a module, with an injected process against an in-process sandbox: the
 * plan, the unattended refusal, the questions (and the alias to type for the instance), `--json`, exit
 * codes, a refused delete explained, and no secret in any output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachRolePolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DESTROY_HELP, destroyCommand } from '../../src/cli/commands/destroy.js';
import { dispatch } from '../../src/cli/dispatch.js';
import type { ConnectSsoConfig } from '../../src/config/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { iamClient, sandboxContext, startTestSandbox, writes } from '../helpers.js';
import { config as sharedConfig } from '../support/config.js';
import { PEOPLE, provisionFully, removeTempFiles, residue } from '../workflows/destroy/fixtures.js';
import { type FakeIo, fakeIo, sandboxEnv } from './fake-io.js';

let sb: Sandbox;
let env: Record<string, string>;
let cwd: string;
const outputs: string[] = [];
const secrets: string[] = [];

function config(): ConnectSsoConfig {
  return sharedConfig(sb, { stack: 'cli-test', region: sb.aws.region, instance: { alias: 'cli-test' } });
}

beforeEach(async () => {
  await sb?.stop();
  sb = await startTestSandbox();
  env = sandboxEnv(sb);
  for (const person of PEOPLE) sb.admin.createOktaUser(person);
  const built = await provisionFully(sb, config(), sandboxContext(sb, { stack: 'cli-test', maxAttempts: 3 }));
  if (built.secret) secrets.push(built.secret);
  cwd = fakeIo().cwd;
  // JSON is YAML: the config file the commands read.
  writeFileSync(join(cwd, 'sso.yaml'), JSON.stringify(config(), null, 2));
  sb.resetRequests();
});
afterAll(async () => {
  const everything = outputs.join('\n');
  expect(everything.length).toBeGreaterThan(1000);
  expect(everything).not.toContain(sb.okta.token);
  expect(everything).not.toContain(sb.aws.credentials.secretAccessKey);
  for (const secret of secrets) expect(everything).not.toContain(secret);
  await sb?.stop();
  removeTempFiles();
});

async function run(argv: string[], io: FakeIo): Promise<{ code: number; io: FakeIo }> {
  const code = await destroyCommand.run(argv, io);
  outputs.push(io.all());
  return { code, io };
}

describe('destroy', () => {
  it('--help shows the options and exit codes; help destroy too', async () => {
    const { code, io } = await run(['--help'], fakeIo({ env, cwd }));
    expect(code).toBe(0);
    expect(io.out()).toBe(DESTROY_HELP);
    expect(io.out()).toContain('--delete-instance');
    expect(io.out()).toContain('Exit codes: 0 done (or planned), 1 a delete failed');
    const viaHelp = fakeIo({ env, cwd });
    expect(await dispatch(['help', 'destroy'], viaHelp)).toBe(0);
    expect(viaHelp.out()).toContain('Usage: connect-okta-sso destroy');
    const listed = fakeIo({ env, cwd });
    await dispatch(['--help'], listed);
    expect(listed.out()).toMatch(/^ {2}destroy +Delete what apply built/m);
    expect(sb.requests()).toEqual([]);
  });

  it('--plan prints what goes, what stays and why, and writes nothing; --json is one document', async () => {
    const { code, io } = await run(['--plan'], fakeIo({ env, cwd }));
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^- okta app "Amazon Connect CCP" +delete: deactivate, then delete/m);
    expect(io.out()).toMatch(/^- connect user agent1@acme\.com +delete/m);
    expect(io.out()).toMatch(/^= connect instance cli-test +keep: it holds contact data/m);
    expect(io.out()).toContain('Run connect-okta-sso destroy --config sso.yaml to delete these.');
    const json = await run(['--plan', '--json', '--delete-instance'], fakeIo({ env, cwd }));
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.io.out());
    expect(doc).toMatchObject({
      command: 'destroy',
      exitCode: 0,
      plan: { stack: 'cli-test', deleteInstance: true },
    });
    expect(doc.plan.items.find((i: { kind: string }) => i.kind === 'connect-instance').action).toBe('delete');
    expect(writes(sb)).toEqual([]);
  });

  it('refuses to run unattended without --yes, before any request', async () => {
    const { code, io } = await run([], fakeIo({ env, cwd, stdin: [] }));
    expect(code).toBe(2);
    expect(io.err()).toContain('stdin is not a terminal');
    expect(io.err()).toContain('fix: Pass --yes');
    expect(sb.requests()).toEqual([]);
  });

  it('on a terminal shows the plan and asks; "no" deletes nothing', async () => {
    const { code, io } = await run([], fakeIo({ env, cwd, stdin: ['n\n'], stdinTty: true }));
    expect(code).toBe(1);
    expect(io.out()).toMatch(/^- iam role Okta_Role/m);
    expect(io.err()).toMatch(/Delete \d+ resource\(s\) of stack cli-test\? \[y\/N\] /);
    expect(io.err()).toContain('Cancelled: nothing was deleted.');
    expect(writes(sb)).toEqual([]);
  });

  it('--delete-instance on a terminal needs the alias typed: another answer deletes nothing', async () => {
    const { code, io } = await run(
      ['--delete-instance'],
      fakeIo({ env, cwd, stdin: ['yes\n'], stdinTty: true }),
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('warning: Deleting a Connect instance deletes its users');
    expect(io.err()).toContain('Type the instance alias (cli-test) to delete it');
    expect(io.err()).toContain("'yes' is not the instance alias.");
    expect(writes(sb)).toEqual([]);

    const typed = await run(
      ['--delete-instance'],
      fakeIo({ env, cwd, stdin: ['cli-test\n'], stdinTty: true }),
    );
    expect(typed.code).toBe(0);
    expect(residue(sb.state(), 'cli-test', { instance: true })).toEqual([]);
    expect(Object.keys(sb.state().connect.instances)).toEqual([]);
  });

  it('--yes deletes and reports; the instance is kept; a second run writes nothing', async () => {
    const { code, io } = await run(['--yes'], fakeIo({ env, cwd }));
    expect(code).toBe(0);
    expect(io.err()).toMatch(/^deleted okta app "Amazon Connect CCP" \(/m);
    expect(io.out()).toMatch(/^- deleted iam role Okta_CCP_Role$/m);
    expect(io.out()).toMatch(/^= kept connect instance cli-test: it holds contact data/m);
    expect(io.out()).toContain('add --delete-instance to delete it too');
    expect(residue(sb.state(), 'cli-test')).toEqual([]);

    sb.resetRequests();
    const again = await run(['--yes', '--json'], fakeIo({ env, cwd }));
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.io.out());
    expect(doc).toMatchObject({
      command: 'destroy',
      exitCode: 0,
      result: { status: 'complete', deleted: [] },
    });
    expect(writes(sb)).toEqual([]);
  });

  it('a refused delete exits 1 with what holds it and the fix; --json carries the same', async () => {
    const iam = iamClient(sb);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Someone_Elses',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    const policy = sb.state().iam.policies.find((p) => p.name === 'okta_federation_policy');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Someone_Elses', PolicyArn: policy?.arn }));

    const { code, io } = await run(['--yes'], fakeIo({ env, cwd }));
    expect(code).toBe(1);
    expect(io.out()).toContain('failed: iam policy okta_federation_policy: Cannot delete iam policy');
    expect(io.out()).toContain('aws iam detach-role-policy --role-name Someone_Elses');
    expect(io.out()).toContain(
      'fix: Free the resource as the message says, then run connect-okta-sso destroy again',
    );
    expect(io.out()).toContain('x skipped connect instance cli-test');

    const json = await run(['--yes', '--json'], fakeIo({ env, cwd }));
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.io.out());
    expect(doc.result.status).toBe('failed');
    expect(doc.result.errors[0]).toMatchObject({
      id: 'federation-policy',
      error: { code: 'RESOURCE_CONFLICT', resource: 'iam policy okta_federation_policy' },
    });
  });

  it('a bad flag or config is exit 2', async () => {
    expect((await run(['--concurrency', '99', '--yes'], fakeIo({ env, cwd }))).code).toBe(2);
    expect((await run(['--yes', '--config', 'missing.yaml'], fakeIo({ env, cwd }))).code).toBe(2);
    expect(sb.requests()).toEqual([]);
  });
});
