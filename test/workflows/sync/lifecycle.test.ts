/**
 * syncUsers through an Okta person's lifecycle, changed in the sandbox's Okta as an admin would: a name
 * change, a rename (reported; recreated with renames: recreate), deactivation and suspension (stripped
 * at most), and routing profiles and hierarchy groups by name, including an unknown hierarchy path.
 */
import {
  CreateUserHierarchyGroupCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/types.js';
import { ConfigError } from '../../../src/core/errors.js';
import { syncUsers } from '../../../src/index.js';
import {
  addGroup,
  addPerson,
  addRoutingProfile,
  config,
  connectUsers,
  joinGroup,
  leaveGroup,
  type SyncFixture,
  startSyncFixture,
  writeOps,
} from './fixture.js';

describe('a person changes in Okta', () => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture();
    await addGroup(f, 'cc-agents');
    await addGroup(f, 'cc-supervisors');
    await addPerson(f, 'ann@acme.com', { firstName: 'Ann', lastName: 'Lee' }, ['cc-agents']);
    await addPerson(f, 'bob@acme.com', { firstName: 'Bob', lastName: 'Ray' }, [
      'cc-agents',
      'cc-supervisors',
    ]);
    await addPerson(f, 'cat@acme.com', {}, ['cc-agents']);
    await addPerson(f, 'dan@acme.com', {}, ['cc-agents']);
    await syncUsers(cfg(), { context: f.ctx });
  });
  afterAll(() => f.sb.stop());

  function cfg(): ConnectSsoConfig {
    return config(f, {
      users: { fromOkta: { groups: ['cc-agents'] } },
      mappings: [{ when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } }],
      sync: { noAccessSecurityProfile: 'QualityAnalyst' },
    });
  }

  it('a changed name is written to Connect, keeping the secondary e-mail', async () => {
    f.sb.admin.updateOktaUser('ann@acme.com', { lastName: 'Lee-Park' });
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.updated.map((u) => [u.username, u.changes])).toEqual([
      ['ann@acme.com', ["name: 'Ann Lee' → 'Ann Lee-Park'"]],
    ]);
    expect(writeOps(f.sb)).toEqual(['UpdateUserIdentityInfo']);
    expect((await connectUsers(f)).get('ann@acme.com')).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee-Park',
      secondaryEmail: 'ann@acme.com',
    });
  });

  it('a renamed login is one person: reported, nothing written, without renames: recreate', async () => {
    const bobId = f.people.get('bob@acme.com');
    f.sb.admin.updateOktaUser('bob@acme.com', { login: 'robert@acme.com', email: 'robert@acme.com' });
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(r.reported.map((u) => [u.username, u.previousUsername, u.oktaUserId])).toEqual([
      ['robert@acme.com', 'bob@acme.com', bobId],
    ]);
    expect(r.reported[0]?.reason).toContain('renames: recreate');
    // Neither a new user nor the offboarding of the old one (it is still that person's).
    expect(writeOps(f.sb)).toEqual([]);
    const users = await connectUsers(f);
    expect(users.has('bob@acme.com')).toBe(true);
    expect(users.has('robert@acme.com')).toBe(false);
  });

  it('with renames: recreate, a user with the new username and the mapped profiles replaces the old one', async () => {
    const bobId = f.people.get('bob@acme.com');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx, renames: 'recreate' });
    expect(r.renamed.map((u) => [u.username, u.previousUsername])).toEqual([
      ['robert@acme.com', 'bob@acme.com'],
    ]);
    expect(writeOps(f.sb)).toEqual(['CreateUser', 'DeleteUser']);
    const users = await connectUsers(f);
    expect(users.has('bob@acme.com')).toBe(false);
    expect(users.get('robert@acme.com')).toMatchObject({
      securityProfiles: ['CallCenterManager'],
      firstName: 'Bob',
      secondaryEmail: 'robert@acme.com',
    });
    expect(users.get('robert@acme.com')?.tags['connect-okta-sso:okta-user-id']).toBe(bobId);
    // Converged: the next run has nothing to do.
    f.sb.resetRequests();
    const again = await syncUsers(cfg(), { context: f.ctx, renames: 'recreate' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, renamed: 0, reported: 0, offboarded: 0 });
    expect(writeOps(f.sb)).toEqual([]);
  });

  it('a suspended person is stripped, not deleted, even with offboard: delete; unsuspended, restored', async () => {
    f.sb.admin.suspendOktaUser('cat@acme.com');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(r.offboarded.map((u) => [u.username, u.offboard])).toEqual([['cat@acme.com', 'strip']]);
    expect(r.offboarded[0]?.changes[0]).toContain('is SUSPENDED');
    expect(writeOps(f.sb)).toEqual(['UpdateUserSecurityProfiles']);
    expect((await connectUsers(f)).get('cat@acme.com')?.securityProfiles).toEqual(['QualityAnalyst']);
    f.sb.admin.unsuspendOktaUser('cat@acme.com');
    const back = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(back.updated.map((u) => u.username)).toEqual(['cat@acme.com']);
    expect((await connectUsers(f)).get('cat@acme.com')?.securityProfiles).toEqual(['Agent']);
  });

  it('a deactivated person is offboarded by the policy', async () => {
    f.sb.admin.deactivateOktaUser('dan@acme.com');
    f.sb.resetRequests();
    const strip = await syncUsers(cfg(), { context: f.ctx, offboard: 'strip' });
    expect(strip.offboarded.map((u) => [u.username, u.offboard])).toEqual([['dan@acme.com', 'strip']]);
    const deleted = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(deleted.offboarded.map((u) => [u.username, u.offboard])).toEqual([['dan@acme.com', 'delete']]);
    expect((await connectUsers(f)).has('dan@acme.com')).toBe(false);
  });

  it('a person deleted from Okta is offboarded by the Okta user id on the Connect user', async () => {
    await addPerson(f, 'eli@acme.com', {}, ['cc-agents']);
    await syncUsers(cfg(), { context: f.ctx });
    f.sb.admin.deleteOktaUser('eli@acme.com');
    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(r.offboarded.map((u) => [u.username, u.oktaUserId])).toEqual([
      ['eli@acme.com', f.people.get('eli@acme.com')],
    ]);
  });
});

describe('routing profiles and hierarchy groups by name', () => {
  let f: SyncFixture;
  let teamA = '';
  beforeAll(async () => {
    f = await startSyncFixture();
    await addRoutingProfile(f, 'Sales');
    await f.connect.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: f.instanceId,
        HierarchyStructure: { LevelOne: { Name: 'Floor' }, LevelTwo: { Name: 'Team' } },
      }),
    );
    const floor1 = await f.connect.send(
      new CreateUserHierarchyGroupCommand({ InstanceId: f.instanceId, Name: 'Floor1' }),
    );
    const floor2 = await f.connect.send(
      new CreateUserHierarchyGroupCommand({ InstanceId: f.instanceId, Name: 'Floor2' }),
    );
    teamA = (
      await f.connect.send(
        new CreateUserHierarchyGroupCommand({
          InstanceId: f.instanceId,
          Name: 'TeamA',
          ParentGroupId: floor1.HierarchyGroupId,
        }),
      )
    ).HierarchyGroupId as string;
    // The same name under another floor: the path tells them apart.
    await f.connect.send(
      new CreateUserHierarchyGroupCommand({
        InstanceId: f.instanceId,
        Name: 'TeamA',
        ParentGroupId: floor2.HierarchyGroupId,
      }),
    );
    await addGroup(f, 'cc-agents');
    await addGroup(f, 'floor1-team-a');
    await addPerson(f, 'sia@acme.com', { department: 'Sales' }, ['cc-agents', 'floor1-team-a']);
    await addPerson(f, 'tim@acme.com', { department: 'Support' }, ['cc-agents']);
  });
  afterAll(() => f.sb.stop());

  const cfg = (mappings: NonNullable<ConnectSsoConfig['mappings']>) =>
    config(f, { users: { fromOkta: { groups: ['cc-agents'] } }, mappings });
  const RULES = [
    {
      when: { group: 'floor1-team-a' },
      connect: { hierarchyGroup: 'Floor1/TeamA', routingProfile: 'Sales' },
    },
    { when: { attribute: { department: 'Sales' } }, connect: { routingProfile: 'Sales' } },
  ];

  it('creates users in the routing profile and the hierarchy group the rules name', async () => {
    const r = await syncUsers(cfg(RULES), { context: f.ctx });
    expect(
      r.created.map((u) => [u.username, u.profiles?.routingProfile, u.profiles?.hierarchyGroup]),
    ).toEqual([
      ['sia@acme.com', 'Sales', 'Floor1/TeamA'],
      ['tim@acme.com', 'Basic Routing Profile', undefined],
    ]);
    const { RoutingProfileSummaryList = [] } = await f.connect.send(
      new ListRoutingProfilesCommand({ InstanceId: f.instanceId }),
    );
    const sales = RoutingProfileSummaryList.find((p) => p.Name === 'Sales')?.Id;
    const sia = (await connectUsers(f)).get('sia@acme.com');
    const { User } = await f.connect.send(
      new DescribeUserCommand({ InstanceId: f.instanceId, UserId: sia?.id }),
    );
    expect(User?.RoutingProfileId).toBe(sales);
    expect(User?.HierarchyGroupId).toBe(teamA);
  });

  it('leaving the team group takes her out of the hierarchy group; the attribute rule keeps her routing', async () => {
    await leaveGroup(f, 'sia@acme.com', 'floor1-team-a');
    f.sb.resetRequests();
    const r = await syncUsers(cfg(RULES), { context: f.ctx });
    expect(r.updated.map((u) => [u.username, u.changes])).toEqual([
      ['sia@acme.com', ["hierarchy group: 'TeamA' → '(none)'"]],
    ]);
    expect(writeOps(f.sb)).toEqual(['UpdateUserHierarchy']);
    await joinGroup(f, 'sia@acme.com', 'floor1-team-a');
    const back = await syncUsers(cfg(RULES), { context: f.ctx });
    expect(back.updated[0]?.changes).toEqual(["hierarchy group: '(none)' → 'Floor1/TeamA'"]);
  });

  it('an unknown hierarchy path or routing profile stops the run before any write, naming the rule', async () => {
    await addPerson(f, 'new@acme.com', {}, ['cc-agents']);
    f.sb.resetRequests();
    const error = await syncUsers(
      cfg([
        { when: { group: 'floor1-team-a' }, connect: { hierarchyGroup: 'Floor3/TeamA' } },
        { when: { group: 'cc-agents' }, connect: { hierarchyGroup: 'TeamA' } },
      ]),
      { context: f.ctx },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual([
      'mappings[0].connect.hierarchyGroup',
      'mappings[1].connect.hierarchyGroup',
    ]);
    expect(writeOps(f.sb)).toEqual([]);
  });
});
