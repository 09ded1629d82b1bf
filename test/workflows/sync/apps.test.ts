/**
 * users.fromOkta.apps: the assignees of an app (direct and through a group), each synced under their app
 * username — the SAML RoleSessionName — which may differ from the Okta login; an app username changed
 * in Okta is a rename of the same person; an unassigned person is offboarded; listed users; and no
 * secret in a result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/types.js';
import type { ConfigError } from '../../../src/core/errors.js';
import { buildRelayState, createOktaFederationApp, syncUsers } from '../../../src/index.js';
import {
  addGroup,
  addPerson,
  config,
  connectUsers,
  oktaJson,
  type SyncFixture,
  startSyncFixture,
  writeOps,
} from './fixture.js';

describe('syncing the assignees of an app', () => {
  let f: SyncFixture;
  let appId = '';
  beforeAll(async () => {
    f = await startSyncFixture();
    const app = await createOktaFederationApp(f.ctx, {
      label: 'Amazon Connect CCP',
      relayState: buildRelayState({ region: f.sb.aws.region, instanceId: f.instanceId, destination: 'ccp' }),
    });
    appId = app.appId as string;
    await addPerson(f, 'ann@acme.com', { firstName: 'Ann', lastName: 'Lee' });
    await addPerson(f, 'bob@acme.com');
    await addPerson(f, 'jane.doe@acme.com', { firstName: 'Jane', lastName: 'Doe' });
    // Ann's app username is not her login (an admin set it in Okta).
    await oktaJson(f.okta, 'POST', `/api/v1/apps/${appId}/users`, {
      id: f.people.get('ann@acme.com'),
      credentials: { userName: 'ann.lee' },
    });
    // Bob is assigned through a group.
    const group = await addGroup(f, 'ccp-users');
    await oktaJson(f.okta, 'PUT', `/api/v1/apps/${appId}/groups/${group}`, {});
    await oktaJson(f.okta, 'PUT', `/api/v1/groups/${group}/users/${f.people.get('bob@acme.com') as string}`);
  });
  afterAll(() => f.sb.stop());

  const cfg = (): ConnectSsoConfig =>
    config(f, {
      users: {
        fromOkta: { apps: ['ccp'] },
        list: [{ login: 'jane.doe@acme.com', app: 'ccp', connect: { securityProfiles: ['Admin'] } }],
      },
    });

  it('creates each assignee under the app username, and the listed user with her own profiles', async () => {
    const r = await syncUsers(cfg(), { context: f.ctx });
    expect(r.failed).toEqual([]);
    expect(r.created.map((u) => [u.username, u.login, u.profiles?.sources.securityProfiles])).toEqual([
      ['ann.lee', 'ann@acme.com', 'default'],
      ['bob@acme.com', 'bob@acme.com', 'default'],
      ['jane.doe@acme.com', 'jane.doe@acme.com', 'users.list[0].connect'],
    ]);
    const users = await connectUsers(f);
    expect(users.get('ann.lee')).toMatchObject({
      firstName: 'Ann',
      lastName: 'Lee',
      securityProfiles: ['Agent'],
    });
    expect(users.get('jane.doe@acme.com')?.securityProfiles).toEqual(['Admin']);
    // No secret in the result.
    const text = JSON.stringify(r);
    expect(text).not.toContain(f.sb.okta.token);
    expect(text).not.toContain(f.sb.aws.credentials.secretAccessKey);
  });

  it('an app username changed in Okta is the same person renamed', async () => {
    await oktaJson(f.okta, 'POST', `/api/v1/apps/${appId}/users/${f.people.get('ann@acme.com') as string}`, {
      credentials: { userName: 'ann.park' },
    });
    f.sb.resetRequests();
    const reported = await syncUsers(cfg(), { context: f.ctx });
    expect(reported.reported.map((u) => [u.username, u.previousUsername])).toEqual([['ann.park', 'ann.lee']]);
    expect(writeOps(f.sb)).toEqual([]);
    const recreated = await syncUsers(cfg(), { context: f.ctx, renames: 'recreate' });
    expect(recreated.renamed.map((u) => [u.username, u.previousUsername])).toEqual([['ann.park', 'ann.lee']]);
    const users = await connectUsers(f);
    expect(users.has('ann.lee')).toBe(false);
    expect(users.get('ann.park')?.tags['connect-okta-sso:okta-user-id']).toBe(f.people.get('ann@acme.com'));
  });

  it('an unassigned person is offboarded; the listed user stays', async () => {
    await oktaJson(f.okta, 'DELETE', `/api/v1/apps/${appId}/users/${f.people.get('ann@acme.com') as string}`);
    const r = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete' });
    expect(r.offboarded.map((u) => u.username)).toEqual(['ann.park']);
    expect([...(await connectUsers(f)).keys()].sort()).toEqual(['bob@acme.com', 'jane.doe@acme.com']);
  });

  it('a listed user with no Okta user is reported; an app of the config not yet in Okta is refused', async () => {
    const r = await syncUsers(
      config(f, {
        users: {
          fromOkta: { apps: ['ccp'] },
          list: [{ login: 'ghost@acme.com', app: 'ccp' }],
        },
      }),
      { context: f.ctx, dryRun: true },
    );
    expect(r.reported.map((u) => [u.username, u.reason?.slice(0, 56)])).toEqual([
      ['ghost@acme.com', "users.list[0]: no Okta user with login 'ghost@acme.com'"],
      // No longer listed in this config: a leaver, reported (offboard is 'none').
      ['jane.doe@acme.com', 'the Okta user is in none of the synced groups and apps, '],
    ]);
    const error = await syncUsers(
      config(f, { apps: [{ kind: 'ccp' }, { kind: 'admin' }], users: { fromOkta: { apps: ['admin'] } } }),
      { context: f.ctx },
    ).catch((e: unknown) => e);
    expect((error as ConfigError).field).toBe('users.fromOkta.apps[0]');
  });
});
