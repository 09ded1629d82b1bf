import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../../src/core/ownership.js';
import { destroyConnectSso, syncUsers } from '../../../src/index.js';
import {
  addGroup,
  addPerson,
  config,
  connectUsers,
  consoleUser,
  joinGroup,
  leaveGroup,
  type SyncFixture,
  startSyncFixture,
  writeOps,
} from './fixture.js';

const MAPPINGS = [
  {
    when: { group: 'cc-supervisors' },
    connect: { securityProfiles: ['CallCenterManager'], routingProfile: 'Basic Routing Profile' },
  },
  {
    when: { attribute: { department: 'Sales' } },
    connect: { securityProfiles: ['Agent', 'QualityAnalyst'] },
  },
];

describe('mapping rules', () => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture();
    await addGroup(f, 'cc-agents');
    await addGroup(f, 'cc-supervisors');
    await addPerson(f, 'sup@acme.com', { firstName: 'Sam', lastName: 'Super' }, [
      'cc-agents',
      'cc-supervisors',
    ]);
    await addPerson(f, 'sales@acme.com', { department: 'Sales' }, ['cc-agents']);
    await addPerson(f, 'plain@acme.com', { department: 'Support' }, ['cc-agents']);
    await addPerson(f, 'outsider@acme.com', { department: 'Sales' }); // in no synced group
  });
  afterAll(() => f.sb.stop());

  const cfg = () =>
    config(f, { users: { fromOkta: { groups: ['cc-agents', 'cc-supervisors'] } }, mappings: MAPPINGS });

  it('a dry run shows per user which rule chose what, and writes nothing', async () => {
    f.sb.resetRequests();
    const plan = await syncUsers(cfg(), { context: f.ctx, dryRun: true });
    expect(writeOps(f.sb)).toEqual([]);
    expect(plan.dryRun).toBe(true);
    expect(plan.counts).toMatchObject({ created: 3, updated: 0, offboarded: 0, failed: 0 });
    const by = new Map(plan.users.map((u) => [u.username, u]));
    expect(by.get('sup@acme.com')?.profiles).toEqual({
      securityProfiles: ['CallCenterManager'],
      routingProfile: 'Basic Routing Profile',
      hierarchyGroup: undefined,
      rule: 'mappings[0]',
      sources: { securityProfiles: 'mappings[0]', routingProfile: 'mappings[0]', hierarchyGroup: 'default' },
    });
    expect(by.get('sales@acme.com')?.profiles).toMatchObject({
      securityProfiles: ['Agent', 'QualityAnalyst'],
      rule: 'mappings[1]',
      sources: { securityProfiles: 'mappings[1]', routingProfile: 'default' },
    });
    expect(by.get('plain@acme.com')?.profiles).toMatchObject({
      securityProfiles: ['Agent'],
      rule: undefined,
      sources: { securityProfiles: 'default', routingProfile: 'default', hierarchyGroup: 'default' },
    });
    expect(by.has('outsider@acme.com')).toBe(false);
    expect(by.get('sup@acme.com')?.changes[0]).toContain("create Connect user 'sup@acme.com'");
  });

  it('creates each user with the profiles of the first rule that holds, tagged as ours', async () => {
    f.sb.resetRequests();
    const result = await syncUsers(cfg(), { context: f.ctx });
    expect(result.failed).toEqual([]);
    expect(result.created.map((u) => u.username).sort()).toEqual([
      'plain@acme.com',
      'sales@acme.com',
      'sup@acme.com',
    ]);
    expect(writeOps(f.sb)).toEqual(['CreateUser', 'CreateUser', 'CreateUser']);
    const users = await connectUsers(f);
    expect(users.get('sup@acme.com')?.securityProfiles).toEqual(['CallCenterManager']);
    expect(users.get('sales@acme.com')?.securityProfiles).toEqual(['Agent', 'QualityAnalyst']);
    expect(users.get('plain@acme.com')?.securityProfiles).toEqual(['Agent']);
    const sup = users.get('sup@acme.com');
    expect(sup).toMatchObject({ firstName: 'Sam', lastName: 'Super', secondaryEmail: 'sup@acme.com' });
    expect(sup?.tags).toEqual({
      'managed-by': 'connect-okta-sso',
      'connect-okta-sso:stack': 'sync-cc',
      'connect-okta-sso:okta-user-id': f.people.get('sup@acme.com'),
    });
    expect(result.calls.writes).toBe(3);
    expect(result.calls.throttled).toBe(0);
  });

  it('a second run reads in pages and writes nothing', async () => {
    f.sb.resetRequests();
    const again = await syncUsers(cfg(), { context: f.ctx });
    expect(writeOps(f.sb)).toEqual([]);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3, offboarded: 0, reported: 0 });
    expect(again.calls.writes).toBe(0);
    expect(again.calls.reads).toBe(f.sb.requests().length);
    // O(1) pages here: one per list, no per-user read.
    expect(
      f.sb.requests().filter((r) => r.operation === 'DescribeUser' || r.operation === 'GetUser'),
    ).toEqual([]);
  });

  it('an unknown profile name is a ConfigError naming the rule, before any write', async () => {
    await addPerson(f, 'newbie@acme.com', {}, ['cc-agents']);
    f.sb.resetRequests();
    const bad = config(f, {
      users: { fromOkta: { groups: ['cc-agents'] } },
      mappings: [
        MAPPINGS[0] as (typeof MAPPINGS)[0],
        { when: { attribute: { department: 'Sales' } }, connect: { routingProfile: 'Sales' } },
        { when: { group: 'cc-agents' }, connect: { securityProfiles: ['Agent', 'Agnet'] } },
      ],
    });
    const error = await syncUsers(bad, { context: f.ctx }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual([
      'mappings[1].connect.routingProfile',
      'mappings[2].connect.securityProfiles[1]',
    ]);
    expect((error as ConfigError).message).toContain("no routing profile named 'Sales' in the instance");
    expect(writeOps(f.sb)).toEqual([]);
  });

  it('an Okta group that does not exist stops the run (no one looks as if they left)', async () => {
    f.sb.resetRequests();
    const error = await syncUsers(config(f, { users: { fromOkta: { groups: ['cc-agentz'] } } }), {
      context: f.ctx,
      offboard: 'delete',
    }).catch((e: unknown) => e);
    expect((error as ConfigError).field).toBe('users.fromOkta.groups[0]');
    expect(writeOps(f.sb)).toEqual([]);
  });

  it("a listed user's own connect block overrides the rule, field by field", async () => {
    const plan = await syncUsers(
      config(f, {
        users: {
          fromOkta: { groups: ['cc-agents', 'cc-supervisors'] },
          list: [{ login: 'sup@acme.com', app: 'ccp', connect: { securityProfiles: ['Admin'] } }],
        },
        mappings: MAPPINGS,
      }),
      { context: f.ctx, dryRun: true },
    );
    const sup = plan.users.find((u) => u.username === 'sup@acme.com');
    expect(sup?.profiles?.sources).toEqual({
      securityProfiles: 'users.list[0].connect',
      routingProfile: 'mappings[0]',
      hierarchyGroup: 'default',
    });
    expect(sup?.action).toBe('updated');
    expect(sup?.changes).toEqual(['security profiles: [CallCenterManager] → [Admin]']);
  });
});

describe('a scripted series of Okta changes', () => {
  let f: SyncFixture;
  let foreignId = '';
  beforeAll(async () => {
    f = await startSyncFixture();
    await addGroup(f, 'cc-agents');
    await addGroup(f, 'cc-supervisors');
    for (const login of ['ann@acme.com', 'bob@acme.com', 'cat@acme.com'])
      await addPerson(f, login, {}, ['cc-agents']);
    // A Connect user made by hand with no Okta counterpart: never offboarded.
    foreignId = await consoleUser(f, 'handmade', { FirstName: 'Hand', LastName: 'Made' }, 'Agent');
  });
  afterAll(() => f.sb.stop());

  const cfg = () =>
    config(f, {
      users: { fromOkta: { groups: ['cc-agents', 'cc-supervisors'] } },
      mappings: [{ when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } }],
      // sync.noAccessSecurityProfile left at its default, which the instance does not have: strip makes it.
    });

  it('first sync creates the three agents', async () => {
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.created.map((u) => u.username).sort()).toEqual(['ann@acme.com', 'bob@acme.com', 'cat@acme.com']);
  });

  it('join: a new member gets a Connect user; nobody else is touched', async () => {
    await addPerson(f, 'dan@acme.com', {}, ['cc-agents']);
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.created.map((u) => u.username)).toEqual(['dan@acme.com']);
    expect(r.counts).toMatchObject({ created: 1, updated: 0, unchanged: 3, offboarded: 0 });
    expect(writeOps(f.sb)).toEqual(['CreateUser']);
  });

  it('move group: joining the supervisors updates the security profiles', async () => {
    await joinGroup(f, 'bob@acme.com', 'cc-supervisors');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.updated.map((u) => [u.username, u.changes])).toEqual([
      ['bob@acme.com', ['security profiles: [Agent] → [CallCenterManager]']],
    ]);
    expect(writeOps(f.sb)).toEqual(['UpdateUserSecurityProfiles']);
    expect((await connectUsers(f)).get('bob@acme.com')?.securityProfiles).toEqual(['CallCenterManager']);
  });

  it('move back: leaving the supervisors (still an agent) falls back to the default', async () => {
    await leaveGroup(f, 'bob@acme.com', 'cc-supervisors');
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.updated.map((u) => u.username)).toEqual(['bob@acme.com']);
    expect((await connectUsers(f)).get('bob@acme.com')?.securityProfiles).toEqual(['Agent']);
  });

  it("leave with offboard 'none' (the default): reported, nothing written", async () => {
    await leaveGroup(f, 'cat@acme.com', 'cc-agents');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.policy.offboard).toBe('none');
    expect(r.reported.map((u) => u.username)).toEqual(['cat@acme.com']);
    expect(r.reported[0]?.reason).toMatch(
      /^the Okta user is in none of the synced groups and apps, nor in users\.list.*offboard is 'none'/,
    );
    expect(writeOps(f.sb)).toEqual([]);
  });

  it("leave with offboard 'strip': the leaver keeps only the no-access profile; the hand-made user is untouched", async () => {
    // A dry run says what it would do and creates nothing, not even the no-access profile.
    f.sb.resetRequests();
    const plan = await syncUsers(cfg(), { context: f.ctx, offboard: 'strip', dryRun: true });
    expect(plan.offboarded.map((u) => [u.username, u.changes])).toEqual([
      ['cat@acme.com', [expect.stringMatching(/→ \[connect-okta-sso-no-access\]/)]],
    ]);
    expect(writeOps(f.sb)).toEqual([]);

    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'strip' });
    expect(r.offboarded.map((u) => [u.username, u.offboard])).toEqual([['cat@acme.com', 'strip']]);
    // The instance has no profile of that name: the run creates it (no permissions, tagged as ours) first.
    expect(writeOps(f.sb)).toEqual(['CreateSecurityProfile', 'UpdateUserSecurityProfiles']);
    const made = Object.values(f.sb.state().connect.instances)
      .flatMap((i) => Object.values(i.securityProfiles))
      .filter((p) => p.name === 'connect-okta-sso-no-access');
    expect(made).toHaveLength(1);
    expect(made[0]?.permissions).toEqual([]);
    expect(made[0]?.tags).toMatchObject({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE });
    const users = await connectUsers(f);
    expect(users.get('cat@acme.com')?.securityProfiles).toEqual(['connect-okta-sso-no-access']);
    expect(users.get('handmade')?.id).toBe(foreignId);
    // Stripping again is nothing to do.
    f.sb.resetRequests();
    const again = await syncUsers(cfg(), { context: f.ctx, offboard: 'strip' });
    expect(again.offboarded).toEqual([]);
    expect(writeOps(f.sb)).toEqual([]);
  });

  it('coming back restores the mapped profiles', async () => {
    await joinGroup(f, 'cat@acme.com', 'cc-agents');
    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'strip' });
    expect(r.updated.map((u) => u.username)).toEqual(['cat@acme.com']);
    expect((await connectUsers(f)).get('cat@acme.com')?.securityProfiles).toEqual(['Agent']);
  });

  it("leave with offboard 'delete': exactly the leavers' Connect users are deleted", async () => {
    await leaveGroup(f, 'cat@acme.com', 'cc-agents');
    await leaveGroup(f, 'dan@acme.com', 'cc-agents');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(r.offboarded.map((u) => [u.username, u.offboard])).toEqual([
      ['cat@acme.com', 'delete'],
      ['dan@acme.com', 'delete'],
    ]);
    expect(writeOps(f.sb)).toEqual(['DeleteUser', 'DeleteUser']);
    expect([...(await connectUsers(f)).keys()].sort()).toEqual(['ann@acme.com', 'bob@acme.com', 'handmade']);
  });

  it('a Connect user with a synced username but not made here is given only what rules name, never offboarded', async () => {
    // 'handmade' joins Okta under that login? Okta logins are e-mail shaped: use an e-mail-named user instead.
    await consoleUser(f, 'eve@acme.com', { FirstName: 'Eve', LastName: 'Console' }, 'Admin');
    await addPerson(f, 'eve@acme.com', { firstName: 'Eve', lastName: 'Okta' }, ['cc-agents']);
    f.sb.resetRequests();
    // No rule names her profiles: the console-made user keeps Admin and its names.
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.users.find((u) => u.username === 'eve@acme.com')?.action).toBe('unchanged');
    expect(writeOps(f.sb)).toEqual([]);
    // A rule that names them applies.
    await joinGroup(f, 'eve@acme.com', 'cc-supervisors');
    const ruled = await syncUsers(cfg(), { context: f.ctx });
    expect(ruled.updated.map((u) => [u.username, u.changes])).toEqual([
      ['eve@acme.com', ['security profiles: [Admin] → [CallCenterManager]']],
    ]);
    // Leaving Okta's groups: not ours, so not offboarded even with delete.
    await leaveGroup(f, 'eve@acme.com', 'cc-agents');
    await leaveGroup(f, 'eve@acme.com', 'cc-supervisors');
    f.sb.resetRequests();
    const left = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(left.offboarded).toEqual([]);
    expect(writeOps(f.sb)).toEqual([]);
    expect((await connectUsers(f)).has('eve@acme.com')).toBe(true);
  });

  it('adopt tags a console-made user as ours, so it is fully managed from then on', async () => {
    await joinGroup(f, 'eve@acme.com', 'cc-agents');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx, adopt: true });
    const eve = r.updated.find((u) => u.username === 'eve@acme.com');
    expect(eve?.changes).toEqual([
      "name: 'Eve Console' → 'Eve Okta'",
      'security profiles: [CallCenterManager] → [Agent]',
      'adopt: tag as this stack’s user',
    ]);
    expect(writeOps(f.sb)).toEqual(['UpdateUserIdentityInfo', 'UpdateUserSecurityProfiles', 'TagResource']);
    expect((await connectUsers(f)).get('eve@acme.com')?.tags['connect-okta-sso:okta-user-id']).toBe(
      f.people.get('eve@acme.com'),
    );
  });

  it('a login Connect cannot take is reported, not created', async () => {
    await addPerson(f, 'fay+cc@acme.com', {}, ['cc-agents']);
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx });
    const fay = r.reported.find((u) => u.login === 'fay+cc@acme.com');
    expect(fay?.reason).toContain("the username 'fay+cc@acme.com' cannot be a Connect username");
    expect(writeOps(f.sb)).toEqual([]);
  });

  it('destroyConnectSso takes the synced users and the no-access profile strip made; the hand-made user stays', async () => {
    const result = await destroyConnectSso(cfg(), { context: f.ctx });
    expect(result.errors).toEqual([]);
    expect(result.deleted.map((r) => r.resource)).toContain(
      "connect security profile 'connect-okta-sso-no-access'",
    );
    const profiles = Object.values(f.sb.state().connect.instances).flatMap((i) =>
      Object.values(i.securityProfiles).map((p) => p.name),
    );
    expect(profiles).not.toContain('connect-okta-sso-no-access');
    expect([...(await connectUsers(f)).keys()]).toEqual(['handmade']);
  });
});
