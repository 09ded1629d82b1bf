/**
 * planFleet against two sandboxes standing for two AWS accounts that share one Okta org (the first
 * sandbox's): one table and one JSON document, Okta calls through one shared rate-limited client, AWS
 * calls per account, nothing written, and the fleet's checks before any call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppConfig, ConnectSsoConfig } from '../../../src/config/index.js';
import type { Clock } from '../../../src/core/context.js';
import { ConfigError } from '../../../src/core/errors.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type FleetTarget, planFleet, renderFleetPlan } from '../../../src/workflows/fleet/fleet.js';
import { loadFleet } from '../../../src/workflows/fleet/load.js';
import { withInstanceScopedNames } from '../../../src/workflows/fleet/names.js';
import { provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import { sandboxContext, startTestSandbox, writes } from '../../helpers.js';

describe('planFleet', () => {
  let a: Sandbox;
  let b: Sandbox;
  beforeEach(async () => {
    a = await startTestSandbox({ accountId: '111111111111' });
    b = await startTestSandbox({ accountId: '222222222222' });
    a.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
  });
  afterEach(async () => {
    await a.stop();
    await b.stop();
  });

  /** Target `name` (instance `acme-<name>`) in `account` and `region`, on sandbox a's Okta org. */
  const target = (
    name: string,
    account: string,
    region: string,
    apps: AppConfig[],
    extra: Partial<ConnectSsoConfig> = {},
  ): FleetTarget => ({
    name,
    account,
    config: { region, instance: { alias: `acme-${name}` }, okta: { orgUrl: a.okta.orgUrl }, apps, ...extra },
  });
  const targets = (): FleetTarget[] => [
    target('prod-use1', '111111111111', 'us-east-1', [{ kind: 'admin' }], {
      users: [{ login: 'jane.doe@acme.com', app: 'admin' }],
    }),
    target('prod-usw2', '111111111111', 'us-west-2', [{ kind: 'admin' }, { kind: 'ccp' }]),
    target('dev-use1', '222222222222', 'us-east-1', [{ kind: 'ccp' }]),
  ];
  // Account 111… is sandbox a, account 222… sandbox b; Okta is a's for everyone.
  const contextFor = (target: FleetTarget, config: { region: string; stack: string }) =>
    sandboxContext(target.account === '222222222222' ? b : a, { region: config.region, stack: config.stack });

  it('plans every target in one document and one table, Okta shared, AWS per account, nothing written', async () => {
    const fleet = await planFleet(targets(), { contextFor });
    expect(fleet.targets.map((t) => t.name)).toEqual(['prod-use1', 'prod-usw2', 'dev-use1']);
    expect(fleet.targets.every((t) => t.error === undefined)).toBe(true);
    for (const t of fleet.targets) {
      expect(t.plan?.items.find((i) => i.id === 'instance')?.action).toBe('create');
      expect(t.plan?.items.some((i) => i.kind === 'okta-group')).toBe(true); // group mapping by default
    }
    expect(fleet.oktaApps.map((x) => x.label)).toEqual([
      'Amazon Connect Administrator (acme-prod-use1)',
      'Amazon Connect Administrator (acme-prod-usw2)',
      'Amazon Connect CCP (acme-prod-usw2)',
      'Amazon Connect CCP (acme-dev-use1)',
    ]);
    expect(fleet.summary).toMatchObject({ targets: 3, changing: 3, failed: 0 });
    expect(fleet.summary.create).toBeGreaterThan(6);

    // The second account's AWS calls went to its own endpoint; every Okta call to the one org.
    expect(b.requests().some((r) => r.service === 'connect')).toBe(true);
    expect(b.requests().some((r) => r.service === 'okta')).toBe(false);
    expect([...writes(a), ...writes(b)]).toEqual([]);

    const table = renderFleetPlan(fleet);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^target\s+account\s+region\s+alias/);
    expect(lines.filter((l) => /^(prod|dev)-/.test(l))).toHaveLength(3);
    expect(table).toContain('222222222222');
    expect(table).toMatch(/3 target\(s\) on Okta .*: 3 with changes, 0 not planned/);
    const json = JSON.stringify(fleet);
    expect(json).not.toContain(a.okta.token);
    expect(JSON.parse(json).targets).toHaveLength(3);
  });

  it('after one target is applied, only the others (and a changed user list) show changes', async () => {
    const [first] = targets();
    if (!first) throw new Error('no target');
    const scoped = withInstanceScopedNames(first.config);
    const applied = await provisionConnectSso(scoped, {
      context: sandboxContext(a, { stack: 'acme-prod-use1' }),
    });
    expect(applied.status).toBe('complete');

    const fleet = await planFleet(targets(), { contextFor });
    const prod = fleet.targets[0]?.plan;
    expect(prod?.summary.create).toBe(0);
    expect(prod?.summary.update).toBe(0);
    expect(fleet.summary.changing).toBe(2);
    expect(renderFleetPlan(fleet).split('\n')[1]).toMatch(/no change$/);

    a.admin.createOktaUser({ login: 'agent1@acme.com', firstName: 'Agent', lastName: 'One' });
    const more = targets();
    const cfg = more[0]?.config;
    if (cfg)
      cfg.users = [
        ...(Array.isArray(cfg.users) ? cfg.users : []),
        { login: 'agent1@acme.com', app: 'admin' },
      ];
    const again = await planFleet(more, { contextFor });
    const users = again.targets[0]?.plan?.items.find((i) => i.kind === 'user-assignment');
    expect(users?.action).toBe('create');
    expect(users?.reason).toMatch(/^1 to create, 0 to update, 1 up to date/);
  });

  it('a target whose credentials reach another account than the file says is not planned, with the fix', async () => {
    // Sandbox b (account 222…) answers for every target, though the file says 111… for two of them.
    const wrong = (_t: FleetTarget, config: { region: string; stack: string }) =>
      sandboxContext(b, { region: config.region, stack: config.stack });
    // Known from nothing yet (no instance, no IAM policy in b): planned, the account shown as given.
    const blind = await planFleet(targets(), { contextFor: wrong });
    expect(blind.targets.map((t) => t.error)).toEqual([undefined, undefined, undefined]);

    // Once b has what tells its account (one target applied there: its instance and IAM policies),
    // every target claiming 111… is refused, and the one meant for 222… is planned.
    const dev = targets()[2] as FleetTarget;
    const applied = await provisionConnectSso(withInstanceScopedNames(dev.config), {
      context: sandboxContext(b, { stack: 'acme-dev-use1' }),
    });
    expect(applied.status).toBe('complete');
    b.resetRequests();
    const fleet = await planFleet(targets(), { contextFor: wrong });
    expect(fleet.targets.map((t) => [t.name, t.plan === undefined, t.error?.code])).toEqual([
      ['prod-use1', true, 'CONFIG_INVALID'],
      ['prod-usw2', true, 'CONFIG_INVALID'],
      ['dev-use1', false, undefined],
    ]);
    expect(fleet.targets[0]?.error?.message).toBe(
      'targets[0].account: the fleet file says 111111111111, but the credentials of "prod-use1" reach account ' +
        "222222222222 (the ARNs of its IAM policies): check the target's profile or account. Not planned: " +
        'applying it would change the other account.',
    );
    expect(fleet.summary).toMatchObject({ targets: 3, failed: 2 });
    expect(writes(b)).toEqual([]);
  });

  it('paces every Okta call of the fleet through one limiter', async () => {
    // Existing instances, so that the plan reads their Okta apps.
    for (const t of targets().slice(0, 2)) {
      const r = await provisionConnectSso(withInstanceScopedNames(t.config), {
        context: sandboxContext(a, { region: t.config.region, stack: t.config.instance.alias }),
      });
      expect(r.status).toBe('complete');
    }
    a.resetRequests();
    const sleeps: number[] = [];
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    const fleet = await planFleet(targets(), {
      contextFor: (t, c) => ({ ...contextFor(t, c), clock }),
      oktaRequestsPerSecond: 2,
    });
    expect(fleet.summary.failed).toBe(0);
    const oktaCalls = a.requests().filter((r) => r.service === 'okta').length;
    expect(oktaCalls).toBeGreaterThan(2);
    // Beyond the first second's burst, each call waited its turn: at least (n - 2) / 2 s in all.
    expect(sleeps.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(((oktaCalls - 2) / 2) * 1000 - 1);
  });

  it('checks the fleet as a whole before any call', async () => {
    const other = targets();
    const t1 = other[1];
    if (t1) t1.config = { ...t1.config, okta: { orgUrl: 'https://other.okta.com' } };
    const t2 = other[2];
    if (t2) t2.config = { ...t2.config, instance: { alias: 'ACME-prod-use1' } };
    const error = await planFleet(other, { contextFor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).issues.map((i) => i.field);
    expect(fields).toContain('targets[1].okta.orgUrl');
    expect(fields).toContain('targets[2].instance.alias');

    // Without instance-scoped names, two admin apps of one org would share a label.
    const same = await planFleet(targets(), { contextFor, instanceScopedNames: false }).catch(
      (e: unknown) => e,
    );
    expect((same as ConfigError).issues.map((i) => i.field)).toContain('targets[1].apps[0].label');
    const bad = targets();
    if (bad[0]) bad[0].config = { ...bad[0].config, apps: [{ kind: 'nope' as never }] };
    const invalid = await planFleet(bad, { contextFor }).catch((e: unknown) => e);
    expect((invalid as ConfigError).field).toBe('targets[0].apps[0].kind');
    expect([...a.requests(), ...b.requests()]).toEqual([]);
  });
});

describe('loadFleet', () => {
  it('reads a YAML with defaults and targets, and a directory of configs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-fleet-'));
    const file = join(dir, 'fleet.yaml');
    writeFileSync(
      file,
      [
        'defaults:',
        '  okta: { orgUrl: https://acme.okta.com }',
        '  apps: [{ kind: admin }]',
        'targets:',
        '  - name: prod',
        '    account: "111111111111"',
        '    profile: prod',
        '    region: us-east-1',
        '    instance: { alias: acme-prod }',
        '  - region: eu-west-2',
        '    instance: { alias: acme-eu }',
        '    apps: [{ kind: ccp }]',
      ].join('\n'),
    );
    const targets = await loadFleet(file);
    expect(targets.map((t) => t.name)).toEqual(['prod', 'acme-eu']);
    expect(targets[0]).toMatchObject({ account: '111111111111', profile: 'prod' });
    expect(targets[0]?.config).toEqual({
      okta: { orgUrl: 'https://acme.okta.com' },
      apps: [{ kind: 'admin' }],
      region: 'us-east-1',
      instance: { alias: 'acme-prod' },
    });
    expect(targets[1]?.config.apps).toEqual([{ kind: 'ccp' }]);

    const configs = mkdtempSync(join(tmpdir(), 'cos-fleet-dir-'));
    writeFileSync(join(configs, 'b.json'), JSON.stringify({ region: 'us-east-1', instance: { alias: 'b' } }));
    writeFileSync(join(configs, 'a.yaml'), 'region: us-west-2\ninstance: { alias: a }\n');
    writeFileSync(join(configs, 'notes.txt'), 'ignored');
    expect((await loadFleet(configs)).map((t) => t.name)).toEqual(['a', 'b']);

    await expect(loadFleet(join(dir, 'missing.yaml'))).rejects.toThrow(ConfigError);
    writeFileSync(join(dir, 'bad.yaml'), 'targets:\n  - name: x\n    account: 111111111111\n');
    await expect(loadFleet(join(dir, 'bad.yaml'))).rejects.toThrow(/targets\[0\]\.account: must be a string/);
  });
});
