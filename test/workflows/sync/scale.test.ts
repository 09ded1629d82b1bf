/**
 * 2,000 users synced under the sandbox's realistic rate limits (Connect's user writes at 2/s, Okta's
 * per-minute windows) with no failed call: every request the sandbox served answered 2xx. Time runs 20
 * times faster for the sandbox and the library alike, so the 1,000 s the quota needs take 50 s.
 */
import { describe, expect, it } from 'vitest';
import { syncUsers } from '../../../src/index.js';
import { TokenBucket } from '../../../src/resources/users/pacer.js';
import { addGroup, config, fastClock, oktaJson, startSyncFixture } from './fixture.js';

const USERS = 2000;

describe('syncUsers at scale', () => {
  it(`creates ${USERS} users with 0 failed calls under realistic limits`, { timeout: 300_000 }, async () => {
    const clock = fastClock(20);
    const f = await startSyncFixture({ clock, sandbox: { rateLimits: 'realistic' } });
    try {
      const groupId = await addGroup(f, 'cc-agents');
      // Setting up 2,000 memberships through Okta's API at the pace its groups window allows (500/min).
      const setup = new TokenBucket(8, 1, clock);
      for (let i = 0; i < USERS; i++) {
        const user = f.sb.admin.createOktaUser({
          login: `agent${String(i).padStart(4, '0')}@acme.com`,
          firstName: 'Agent',
          lastName: String(i),
        });
        await setup.take();
        await oktaJson(f.okta, 'PUT', `/api/v1/groups/${groupId}/users/${user.id}`);
      }
      expect(f.sb.requests().every((r) => r.status < 300)).toBe(true);
      await clock.sleep(61_000); // a fresh Okta rate-limit window
      f.sb.resetRequests();

      const progress: number[] = [];

      const result = await syncUsers(
        config(f, {
          users: { fromOkta: { groups: ['cc-agents'] } },
          mappings: [{ when: { group: 'cc-agents' }, connect: { securityProfiles: ['Agent'] } }],
        }),
        {
          context: f.ctx,
          onEvent: (event) => {
            if (event.type === 'progress') progress.push(event.done);
          },
        },
      );
      expect(result.failed.map((u) => u.error?.message)).toEqual([]);
      expect(result.counts.created).toBe(USERS);
      expect(result.calls.throttled).toBe(0);
      const log = f.sb.requests();
      const failed = log.filter((r) => r.status >= 300);
      expect(failed).toEqual([]);
      expect(log.filter((r) => r.operation === 'CreateUser')).toHaveLength(USERS);
      expect(progress.at(-1)).toBe(USERS);
      // The reads stayed O(users / page): group members 1,000 a page, Connect's lists before any user existed.
      expect(log.filter((r) => !r.write).length).toBeLessThan(20);

      // A second run writes nothing and reads in pages.
      f.sb.resetRequests();
      const again = await syncUsers(config(f, { users: { fromOkta: { groups: ['cc-agents'] } } }), {
        context: f.ctx,
      });
      expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: USERS, failed: 0 });
      expect(f.sb.requests().filter((r) => r.write)).toEqual([]);
      expect(f.sb.requests().filter((r) => r.status >= 300)).toEqual([]);
      expect(f.sb.requests().length).toBeLessThanOrEqual(20);
    } finally {
      await f.sb.stop();
    }
  });

  it('a throttling answer (another client spending the quota) is waited out and the call made again', async () => {
    const clock = fastClock(20);
    const f = await startSyncFixture({
      clock,
      sandbox: {
        faults: [{ service: 'connect', operation: 'CreateUser', kind: 'throttle', times: 2, after: 1 }],
      },
    });
    try {
      await addGroup(f, 'cc-agents');
      for (const login of ['a@acme.com', 'b@acme.com', 'c@acme.com']) {
        const user = f.sb.admin.createOktaUser({ login });
        await oktaJson(
          f.okta,
          'PUT',
          `/api/v1/groups/${f.groups.get('cc-agents') as string}/users/${user.id}`,
        );
      }
      f.sb.resetRequests();
      const result = await syncUsers(config(f, { users: { fromOkta: { groups: ['cc-agents'] } } }), {
        context: f.ctx,
        concurrency: 1,
      });
      expect(result.failed).toEqual([]);
      expect(result.counts.created).toBe(3);
      expect(result.calls.throttled).toBe(2);
      const creates = f.sb.requests().filter((r) => r.operation === 'CreateUser');
      expect(creates.map((r) => r.status)).toEqual([200, 429, 429, 200, 200]);
    } finally {
      await f.sb.stop();
    }
  });
});
