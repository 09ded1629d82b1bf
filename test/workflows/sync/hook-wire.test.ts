/**
 * Event hooks over the wire: the sandbox's Okta delivers real event hook calls to the handler, which is
 * registered with Okta's Event Hooks API and verified by Okta's one-time challenge. Deliveries are
 * duplicated and reordered (at-least-once, unordered, as Okta's are); after a series of directory
 * changes the Connect users are what a full sync makes them, and a full sync finds nothing to do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/types.js';
import {
  createOktaEventHookHandler,
  type OktaEventHookHandler,
  oktaEventHookListener,
  syncUsers,
} from '../../../src/index.js';
import {
  addGroup,
  addPerson,
  config,
  connectUsers,
  oktaJson,
  type SyncFixture,
  startSyncFixture,
} from './fixture.js';

const SECRET = 'wire-hook-secret-0123456789abcdef';

describe('event hooks delivered by the sandbox Okta', () => {
  let f: SyncFixture;
  let server: Server;
  let handler: OktaEventHookHandler;
  let hookId = '';
  const cfg = (): ConnectSsoConfig =>
    config(f, {
      users: { fromOkta: { groups: ['cc-agents'] } },
      mappings: [
        { when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } },
        { when: { attribute: { department: 'Quality' } }, connect: { securityProfiles: ['QualityAnalyst'] } },
      ],
      // An existing profile as the no-access one (sync.test.ts covers the one strip creates).
      sync: { noAccessSecurityProfile: 'Admin' },
    });

  beforeAll(async () => {
    f = await startSyncFixture({ sandbox: { eventHooks: { duplicateProbability: 0.5, reorderWindow: 4 } } });
    await addGroup(f, 'cc-agents');
    await addGroup(f, 'cc-supervisors');
    handler = createOktaEventHookHandler({
      secret: SECRET,
      config: cfg(),
      context: f.ctx,
      offboard: 'delete',
      renames: 'recreate',
      batchDelayMs: 20,
    });
    server = createServer(oktaEventHookListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`;
    const hook = await oktaJson<{ id: string; verificationStatus: string }>(
      f.okta,
      'POST',
      '/api/v1/eventHooks',
      {
        name: 'connect-okta-sso sync',
        events: {
          type: 'EVENT_TYPE',
          items: [
            'group.user_membership.add',
            'group.user_membership.remove',
            'user.lifecycle.deactivate',
            'user.lifecycle.suspend',
            'user.lifecycle.unsuspend',
            'user.account.update_profile',
          ],
        },
        channel: {
          type: 'HTTP',
          version: '1.0.0',
          config: { uri, authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET } },
        },
      },
    );
    hookId = hook.id;
  });
  afterAll(async () => {
    await handler.close();
    await new Promise((resolve) => server.close(resolve));
    await f.sb.stop();
  });

  it("passes Okta's one-time verification of the hook", async () => {
    const verified = await oktaJson<{ verificationStatus: string }>(
      f.okta,
      'POST',
      `/api/v1/eventHooks/${hookId}/lifecycle/verify`,
    );
    expect(verified.verificationStatus).toBe('VERIFIED');
  });

  it('duplicated and reordered deliveries of a series of changes converge on the live state', async () => {
    const admin = f.sb.admin;
    // Joiners (one of them a supervisor, one with an attribute rule).
    await addPerson(f, 'ann@acme.com', {}, ['cc-agents']);
    await addPerson(f, 'bob@acme.com', {}, ['cc-agents', 'cc-supervisors']);
    await addPerson(f, 'cat@acme.com', { department: 'Quality' }, ['cc-agents']);
    await addPerson(f, 'dan@acme.com', {}, ['cc-agents']);
    await f.sb.okta.flushEventHooks();
    await handler.idle();
    let users = await connectUsers(f);
    expect([...users.keys()].sort()).toEqual([
      'ann@acme.com',
      'bob@acme.com',
      'cat@acme.com',
      'dan@acme.com',
    ]);
    expect(users.get('bob@acme.com')?.securityProfiles).toEqual(['CallCenterManager']);

    // Then: moves, a name change, a suspension, a leaver, a join-then-leave within one batch.
    admin.addOktaUserToGroup('ann@acme.com', 'cc-supervisors');
    admin.removeOktaUserFromGroup('bob@acme.com', 'cc-supervisors');
    admin.updateOktaUser('cat@acme.com', { department: 'Support', lastName: 'Changed' });
    admin.suspendOktaUser('dan@acme.com');
    await addPerson(f, 'eve@acme.com', {}, ['cc-agents']);
    admin.removeOktaUserFromGroup('eve@acme.com', 'cc-agents');
    await f.sb.okta.flushEventHooks();
    await handler.idle();

    // Okta's at-least-once delivery sent some twice; the handler dropped the repeats by event uuid.
    expect(f.sb.okta.eventHookDeliveries().length).toBeGreaterThan(10);
    expect(handler.stats().duplicates).toBeGreaterThan(0);
    expect(handler.stats().rejected).toBe(0);

    users = await connectUsers(f);
    expect(users.get('ann@acme.com')?.securityProfiles).toEqual(['CallCenterManager']);
    expect(users.get('bob@acme.com')?.securityProfiles).toEqual(['Agent']);
    expect(users.get('cat@acme.com')).toMatchObject({ securityProfiles: ['Agent'], lastName: 'Changed' });
    // Suspended: stripped (never deleted); joined and left again: never created, or deleted.
    expect(users.get('dan@acme.com')?.securityProfiles).toEqual(['Admin']);
    expect(users.has('eve@acme.com')).toBe(false);

    // The hooks converged: a full sync has nothing to create, update or rename.
    const full = await syncUsers(cfg(), {
      context: f.ctx,
      offboard: 'delete',
      renames: 'recreate',
      dryRun: true,
    });
    expect(full.created).toEqual([]);
    expect(full.updated).toEqual([]);
    expect(full.renamed).toEqual([]);
    expect(full.offboarded).toEqual([]);
  });
});
