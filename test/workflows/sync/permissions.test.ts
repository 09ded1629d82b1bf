/**
 * The AWS permissions the sync guide lists (docs/guides/syncing-users-from-okta.md, "Permissions")
 * against what syncUsers really calls: a lifecycle that creates users into a hierarchy group, updates a
 * name, the security profiles, the routing profile and the hierarchy, adopts a console-made user, strips
 * a leaver (creating the no-access profile) and deletes another, with the sandbox logging every request.
 * An action missing from the guide is an AccessDenied for a user who followed it.
 */
import { readFileSync } from 'node:fs';
import {
  CreateUserHierarchyGroupCommand,
  UpdateUserHierarchyStructureCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncUsers } from '../../../src/index.js';
import {
  addGroup,
  addPerson,
  addRoutingProfile,
  config,
  consoleUser,
  joinGroup,
  leaveGroup,
  oktaJson,
  type SyncFixture,
  startSyncFixture,
} from './fixture.js';

const GUIDE = new URL('../../../docs/guides/syncing-users-from-okta.md', import.meta.url);

/** The `connect:…` / `iam:…` actions in backticks in the guide's Permissions section. */
function listedActions(): Set<string> {
  const text = readFileSync(GUIDE, 'utf8');
  const start = text.search(/^## \d+\. Permissions$/m);
  if (start < 0) throw new Error('the sync guide has no "Permissions" section');
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return new Set([...section.matchAll(/`((?:connect|iam):[A-Za-z]+)`/g)].map((m) => m[1] as string));
}

describe('the sync guide lists every AWS action syncUsers calls', () => {
  let f: SyncFixture;
  const used = new Set<string>();
  /** One sync, its AWS calls gathered; the test's own calls in between are not counted. */
  const sync = async (options: Parameters<typeof syncUsers>[1] = {}) => {
    f.sb.resetRequests();
    const result = await syncUsers(
      config(f, {
        users: { fromOkta: { groups: ['cc-agents'] } },
        mappings: [
          { when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } },
          { when: { group: 'team-a' }, connect: { hierarchyGroup: 'TeamA' } },
          {
            when: { attribute: { department: 'Sales' } },
            connect: { routingProfile: 'Sales' },
          },
        ],
      }),
      { context: f.ctx, ...options },
    );
    for (const r of f.sb.requests()) if (r.service !== 'okta') used.add(`${r.service}:${r.operation}`);
    // Nothing is written in Okta: a read-only token is enough (the guide says so).
    expect(f.sb.requests().filter((r) => r.service === 'okta' && r.write)).toEqual([]);
    expect(result.failed.map((u) => u.error?.message)).toEqual([]);
    return result;
  };

  beforeAll(async () => {
    f = await startSyncFixture();
    await f.connect.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: f.instanceId,
        HierarchyStructure: { LevelOne: { Name: 'Team' } },
      }),
    );
    await f.connect.send(new CreateUserHierarchyGroupCommand({ InstanceId: f.instanceId, Name: 'TeamA' }));
    await addRoutingProfile(f, 'Sales');
    for (const name of ['cc-agents', 'cc-supervisors', 'team-a']) await addGroup(f, name);
    for (const login of ['ann@acme.com', 'bob@acme.com', 'cat@acme.com', 'dan@acme.com'])
      await addPerson(f, login, {}, ['cc-agents']);
    await joinGroup(f, 'ann@acme.com', 'team-a');
    await consoleUser(f, 'eve@acme.com', { FirstName: 'Eve', LastName: 'Console' }, 'Agent');
    await addPerson(f, 'eve@acme.com', { firstName: 'Eve', lastName: 'Okta' }, ['cc-agents']);
  });
  afterAll(() => f.sb.stop());

  it('creates, updates, adopts, strips and deletes with only the listed actions', async () => {
    expect((await sync()).counts.created).toBe(4);
    // A new name, new profiles, another hierarchy, another routing rule.
    await oktaJson(f.okta, 'POST', `/api/v1/users/${f.people.get('bob@acme.com') as string}`, {
      profile: { lastName: 'Renamed' },
    });
    await oktaJson(f.okta, 'POST', `/api/v1/users/${f.people.get('ann@acme.com') as string}`, {
      profile: { department: 'Sales' },
    });
    await joinGroup(f, 'bob@acme.com', 'cc-supervisors');
    await leaveGroup(f, 'ann@acme.com', 'team-a');
    expect((await sync({ adopt: true })).counts.updated).toBeGreaterThanOrEqual(3);
    await leaveGroup(f, 'cat@acme.com', 'cc-agents');
    expect((await sync({ offboard: 'strip' })).offboarded.map((u) => u.username)).toEqual(['cat@acme.com']);
    await leaveGroup(f, 'dan@acme.com', 'cc-agents');
    // The stripped leaver goes too, now that leavers are deleted.
    expect((await sync({ offboard: 'delete' })).offboarded.map((u) => u.username).sort()).toEqual([
      'cat@acme.com',
      'dan@acme.com',
    ]);

    // The lifecycle reached each kind of write.
    expect([...used]).toEqual(
      expect.arrayContaining([
        'connect:CreateUser',
        'connect:UpdateUserIdentityInfo',
        'connect:UpdateUserSecurityProfiles',
        'connect:UpdateUserHierarchy',
        'connect:UpdateUserRoutingProfile',
        'connect:TagResource',
        'connect:CreateSecurityProfile',
        'connect:DeleteUser',
      ]),
    );
    const listed = listedActions();
    expect([...used].filter((a) => !listed.has(a)).sort()).toEqual([]);
  });
});
