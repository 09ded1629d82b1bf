/**
 * `connect-okta-sso sync` as a module with an injected process against an in-process sandbox: a dry
 * run, a run, --offboard, an unknown profile name (exit 2, nothing written), --json, and --watch serving
 * the event hook over HTTP with its secret from the environment — never printed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListen, syncCommand } from '../../src/cli/commands/sync.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import {
  addGroup,
  addPerson,
  leaveGroup,
  type SyncFixture,
  startSyncFixture,
  writeOps,
} from '../workflows/sync/fixture.js';
import { fakeIo, sandboxEnv } from './fake-io.js';

const HOOK_SECRET = 'cli-hook-secret-0123456789abcdef';

let f: SyncFixture;
let sb: Sandbox;
let env: Record<string, string>;
const outputs: string[] = [];

function configFile(extra = ''): string {
  const cwd = fakeIo().cwd;
  writeFileSync(
    join(cwd, 'sso.yaml'),
    `region: ${sb.aws.region}
instance: { alias: sync-cc }
okta: { orgUrl: ${sb.okta.orgUrl} }
apps: [{ kind: ccp }]
users:
  fromOkta: { groups: [cc-agents] }
sync: { noAccessSecurityProfile: QualityAnalyst }
mappings:
  - when: { group: cc-supervisors }
    connect: { securityProfiles: [CallCenterManager] }
${extra}`,
  );
  return cwd;
}

async function run(argv: string[], cwd: string, extraEnv: Record<string, string> = {}, signal?: AbortSignal) {
  const io = fakeIo({ env: { ...env, ...extraEnv }, cwd, ...(signal ? { signal } : {}) });
  const code = await syncCommand.run(argv, io);
  outputs.push(io.all());
  return { code, io };
}

beforeAll(async () => {
  f = await startSyncFixture();
  sb = f.sb;
  env = sandboxEnv(sb);
  await addGroup(f, 'cc-agents');
  await addGroup(f, 'cc-supervisors');
  await addPerson(f, 'ann@acme.com', {}, ['cc-agents', 'cc-supervisors']);
  await addPerson(f, 'bob@acme.com', {}, ['cc-agents']);
});
afterAll(async () => {
  const everything = outputs.join('\n');
  expect(everything.length).toBeGreaterThan(500);
  for (const secret of [sb.okta.token, sb.aws.credentials.secretAccessKey, HOOK_SECRET]) {
    expect(everything).not.toContain(secret);
  }
  await sb.stop();
});

describe('connect-okta-sso sync', () => {
  it('--dry-run shows what would change, per user with its rule, and writes nothing', async () => {
    const cwd = configFile();
    sb.resetRequests();
    const { code, io } = await run(['--dry-run'], cwd);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toMatch(/^\+ ann@acme\.com {2}created \(mappings\[0\]\)$/m);
    expect(io.out()).toMatch(/^\+ bob@acme\.com {2}created$/m);
    expect(io.out()).toContain('Dry run: 2 created, 0 updated');
    expect(writeOps(sb)).toEqual([]);
  });

  it('syncs, then a second run has nothing to do', async () => {
    const cwd = configFile();
    const first = await run([], cwd);
    expect(first.code, first.io.err()).toBe(0);
    expect(first.io.out()).toContain('2 created, 0 updated, 0 unchanged');
    sb.resetRequests();
    const second = await run(['--json'], cwd);
    expect(second.code).toBe(0);
    const doc = JSON.parse(second.io.out()) as {
      command: string;
      exitCode: number;
      result: { counts: object };
    };
    expect(doc).toMatchObject({
      command: 'sync',
      exitCode: 0,
      result: { counts: { created: 0, unchanged: 2 } },
    });
    expect(writeOps(sb)).toEqual([]);
  });

  it('--offboard strip offboards a leaver', async () => {
    await leaveGroup(f, 'bob@acme.com', 'cc-agents');
    const cwd = configFile();
    const { code, io } = await run(['--offboard', 'strip'], cwd);
    expect(code, io.err()).toBe(0);
    expect(io.out()).toMatch(/^- bob@acme\.com {2}offboarded$/m);
    expect(io.out()).toContain('1 offboarded (strip)');
  });

  it('an unknown profile name: exit 2, the rule named, nothing written', async () => {
    const cwd = configFile(`  - when: { group: cc-agents }\n    connect: { routingProfile: Sales }\n`);
    sb.resetRequests();
    const { code, io } = await run(['--json'], cwd);
    expect(code).toBe(2);
    const doc = JSON.parse(io.out()) as { error: { field: string; message: string } };
    expect(doc.error.field).toBe('mappings[1].connect.routingProfile');
    expect(writeOps(sb)).toEqual([]);
  });

  it('refuses bad flags', async () => {
    const cwd = configFile();
    expect((await run(['--offboard', 'purge'], cwd)).code).toBe(2);
    expect((await run(['--listen', ':8080'], cwd)).code).toBe(2);
    expect((await run(['--hook-secret', 'x'], cwd)).code).toBe(2);
    const noSecret = await run(['--watch'], cwd);
    expect(noSecret.code).toBe(2);
    expect(noSecret.io.err()).toContain('OKTA_EVENT_HOOK_SECRET');
    expect(parseListen(':8080')).toEqual({ host: '::', port: 8080 });
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => parseListen('8080:x')).toThrow(/--listen/);
  });

  it('--watch serves the event hook, syncs at start, and stops on interrupt', {
    timeout: 90_000,
  }, async () => {
    const cwd = configFile();
    const controller = new AbortController();
    const io = fakeIo({
      env: { ...env, OKTA_EVENT_HOOK_SECRET: HOOK_SECRET },
      cwd,
      signal: controller.signal,
    });
    const running = syncCommand.run(['--watch', '--listen', '127.0.0.1:0', '--interval', '1h'], io);
    let url = '';
    for (let i = 0; i < 1200 && !url; i++) {
      url = /listening for Okta event hooks on (http:\/\/[^ ]+)/.exec(io.err())?.[1] ?? '';
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const challenge = await fetch(url, {
      headers: { authorization: HOOK_SECRET, 'x-okta-verification-challenge': 'c-123' },
    });
    expect(await challenge.json()).toEqual({ verification: 'c-123' });
    expect(
      (await fetch(url, { method: 'POST', headers: { authorization: 'nope' }, body: '{}' })).status,
    ).toBe(401);
    // The full sync at start (what is queued before it runs is covered by it), then an event.
    for (let i = 0; i < 1200 && !/full sync: /.test(io.err()); i++)
      await new Promise((r) => setTimeout(r, 25));
    const cy = await addPerson(f, 'cy@acme.com', {}, ['cc-agents']);
    const delivered = await fetch(url, {
      method: 'POST',
      headers: { authorization: HOOK_SECRET, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: {
          events: [
            { uuid: 'e-1', eventType: 'group.user_membership.add', target: [{ id: cy, type: 'User' }] },
          ],
        },
      }),
    });
    expect(delivered.status).toBe(200);
    for (let i = 0; i < 1200 && !/event batch: 1 user/.test(io.err()); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(io.err(), io.err()).toMatch(/full sync: /);
    expect(io.err()).toMatch(/event batch: 1 user\(s\) reconciled/);
    expect(io.err()).toContain('hook request refused (401)');
    controller.abort();
    expect(await running).toBe(0);
    expect(io.out()).toMatch(/Stopped: 1 deliveries/);
    outputs.push(io.all());
  });
});
