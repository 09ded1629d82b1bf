/**
 * The Okta event hook handler over real HTTP (Node's http server, fetch), with hand-built Okta
 * deliveries: the one-time verification, the constant-time authorization check (a wrong header is a 401
 * and reconciles nothing), an answer before any reconcile, and duplicate and out-of-order deliveries that
 * converge on what a full sync would do, because every batch re-reads live state.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import {
  createOktaEventHookHandler,
  type OktaEventHookHandler,
  type OktaHookEvent,
  oktaEventHookListener,
  syncUsers,
} from '../../../src/index.js';
import {
  addGroup,
  addPerson,
  config,
  connectUsers,
  joinGroup,
  leaveGroup,
  type SyncFixture,
  startSyncFixture,
  writeOps,
} from './fixture.js';

const SECRET = 'hook-secret-0123456789-abcdef';

interface HookEvent {
  eventType: string;
  userId: string;
  login: string;
  uuid?: string;
  groupId?: string;
}

/** A delivery as Okta sends it (event hook `com.okta.event_hook`, version 1.0). */
function delivery(events: HookEvent[]) {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://acme.okta.com/api/v1/eventHooks/who8abcdEfGhIjKl0h7',
    eventId: randomUUID(),
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    data: {
      events: events.map((e) => ({
        uuid: e.uuid ?? randomUUID(),
        published: new Date().toISOString(),
        eventType: e.eventType,
        version: '0',
        displayMessage: e.eventType,
        severity: 'INFO',
        actor: {
          id: '00uadmin000000000001',
          type: 'User',
          alternateId: 'admin@acme.com',
          displayName: 'Admin',
        },
        target: [
          { id: e.userId, type: 'User', alternateId: e.login, displayName: e.login },
          ...(e.groupId
            ? [{ id: e.groupId, type: 'UserGroup', alternateId: 'unknown', displayName: 'cc-agents' }]
            : []),
        ],
      })),
    },
  };
}

describe('the event hook handler over HTTP', () => {
  let f: SyncFixture;
  let server: Server;
  let url = '';
  let handler: OktaEventHookHandler;
  const events: OktaHookEvent[] = [];
  const cfg = () =>
    config(f, {
      users: { fromOkta: { groups: ['cc-agents'] } },
      mappings: [{ when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } }],
    });

  beforeAll(async () => {
    f = await startSyncFixture();
    await addGroup(f, 'cc-agents');
    await addGroup(f, 'cc-supervisors');
    await addPerson(f, 'ann@acme.com', {}, ['cc-agents']);
    handler = createOktaEventHookHandler({
      secret: SECRET,
      config: cfg(),
      context: f.ctx,
      offboard: 'delete',
      batchDelayMs: 5,
      onEvent: (event) => events.push(event),
    });
    server = createServer(oktaEventHookListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`;
  });
  afterAll(async () => {
    await handler.close();
    await new Promise((resolve) => server.close(resolve));
    await f.sb.stop();
    // The secret is in no event the handler reported.
    expect(JSON.stringify(events, (_k, v) => (v instanceof Error ? v.message : v))).not.toContain(SECRET);
  });

  const post = (body: unknown, auth = SECRET) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it("answers Okta's one-time verification challenge", async () => {
    const res = await fetch(url, {
      headers: { authorization: SECRET, 'x-okta-verification-challenge': 'Me_rShK8JHsTnbyYrWXCEoMGbM' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ verification: 'Me_rShK8JHsTnbyYrWXCEoMGbM' });
  });

  it('refuses a wrong or missing Authorization header with 401, for the challenge too', async () => {
    const wrong = await fetch(url, {
      headers: { authorization: `${SECRET}x`, 'x-okta-verification-challenge': 'abc' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('abc');
    const none = await fetch(url, { headers: { 'x-okta-verification-challenge': 'abc' } });
    expect(none.status).toBe(401);
  });

  it('a delivery with a wrong Authorization header is a 401 and reconciles nothing', async () => {
    await addPerson(f, 'mallory@acme.com', {}, ['cc-agents']);
    f.sb.resetRequests();
    const before = handler.stats();
    for (const auth of ['', 'wrong', SECRET.slice(0, -1), `${SECRET}0`, SECRET.toUpperCase()]) {
      const res = await post(
        delivery([
          {
            eventType: 'group.user_membership.add',
            userId: f.people.get('mallory@acme.com') as string,
            login: 'mallory@acme.com',
          },
        ]),
        auth,
      );
      expect(res.status, auth).toBe(401);
    }
    await handler.idle();
    expect(handler.stats()).toMatchObject({ deliveries: before.deliveries, queued: 0 });
    expect(handler.stats().rejected).toBe(before.rejected + 5);
    // Not one call to AWS or Okta was made.
    expect(f.sb.requests()).toEqual([]);
    expect((await connectUsers(f)).has('mallory@acme.com')).toBe(false);
  });

  it('reconciles the user the event names from live state', async () => {
    await addPerson(f, 'bob@acme.com', {}, ['cc-agents']);
    const bob = f.people.get('bob@acme.com') as string;
    f.sb.resetRequests();
    const res = await post(
      delivery([{ eventType: 'group.user_membership.add', userId: bob, login: 'bob@acme.com' }]),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await handler.idle();
    expect(writeOps(f.sb)).toEqual(['CreateUser']);
    const users = await connectUsers(f);
    expect(users.get('bob@acme.com')?.tags['connect-okta-sso:okta-user-id']).toBe(bob);
    // Only bob was read (a targeted run), not every group member.
    expect(f.sb.requests().filter((r) => r.operation === 'ListGroupUsers')).toEqual([]);
  });

  it('a duplicate delivery (same event uuids) is dropped; a redelivery with new uuids re-reads and writes nothing', async () => {
    const bob = f.people.get('bob@acme.com') as string;
    const uuid = randomUUID();
    const body = delivery([
      { eventType: 'group.user_membership.add', userId: bob, login: 'bob@acme.com', uuid },
    ]);
    f.sb.resetRequests();
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    await handler.idle();
    expect(events.filter((e) => e.type === 'delivery').slice(-2)).toEqual([
      { type: 'delivery', events: 1, duplicates: 0, users: 1, fullSync: false },
      { type: 'delivery', events: 1, duplicates: 1, users: 0, fullSync: false },
    ]);
    expect(writeOps(f.sb)).toEqual([]);
    // The same news again under new uuids (Okta's retry after a timeout): read again, nothing to do.
    expect(
      (await post(delivery([{ eventType: 'group.user_membership.add', userId: bob, login: 'bob@acme.com' }])))
        .status,
    ).toBe(200);
    await handler.idle();
    expect(writeOps(f.sb)).toEqual([]);
  });

  it('out-of-order deliveries converge on the live state', async () => {
    const ann = f.people.get('ann@acme.com') as string;
    const groupId = f.groups.get('cc-supervisors') as string;
    await syncUsers(cfg(), { context: f.ctx });
    // In Okta: ann joins the supervisors, then leaves them. The events arrive newest first.
    await joinGroup(f, 'ann@acme.com', 'cc-supervisors');
    await leaveGroup(f, 'ann@acme.com', 'cc-supervisors');
    f.sb.resetRequests();
    await post(
      delivery([{ eventType: 'group.user_membership.remove', userId: ann, login: 'ann@acme.com', groupId }]),
    );
    await post(
      delivery([{ eventType: 'group.user_membership.add', userId: ann, login: 'ann@acme.com', groupId }]),
    );
    await handler.idle();
    // Acting on the last event received ("add") would have made her a manager: she is still an agent.
    expect((await connectUsers(f)).get('ann@acme.com')?.securityProfiles).toEqual(['Agent']);
    expect(writeOps(f.sb)).toEqual([]);

    // Now she really is a supervisor, and the older "remove" arrives after the "add".
    await joinGroup(f, 'ann@acme.com', 'cc-supervisors');
    await post(
      delivery([{ eventType: 'group.user_membership.add', userId: ann, login: 'ann@acme.com', groupId }]),
    );
    await post(
      delivery([{ eventType: 'group.user_membership.remove', userId: ann, login: 'ann@acme.com', groupId }]),
    );
    await handler.idle();
    expect((await connectUsers(f)).get('ann@acme.com')?.securityProfiles).toEqual(['CallCenterManager']);
  });

  it('leaving, delivered twice and out of order with a join, ends as Okta ends: offboarded', async () => {
    const bob = f.people.get('bob@acme.com') as string;
    const groupId = f.groups.get('cc-agents') as string;
    await leaveGroup(f, 'bob@acme.com', 'cc-agents');
    const remove = delivery([
      { eventType: 'group.user_membership.remove', userId: bob, login: 'bob@acme.com', groupId },
    ]);
    await post(remove);
    await post(
      delivery([{ eventType: 'group.user_membership.add', userId: bob, login: 'bob@acme.com', groupId }]),
    );
    await post(remove);
    await handler.idle();
    expect((await connectUsers(f)).has('bob@acme.com')).toBe(false);
    // A full sync finds nothing left to do: the hooks converged.
    f.sb.resetRequests();
    const full = await syncUsers(cfg(), { context: f.ctx, offboard: 'delete', dryRun: true });
    expect(full.counts).toMatchObject({ created: 0, updated: 0, offboarded: 0, renamed: 0, failed: 0 });
  });

  it('an event about a whole group asks for a full sync', async () => {
    await addPerson(f, 'cy@acme.com', {}, ['cc-agents']);
    f.sb.resetRequests();
    const res = await post({
      data: {
        events: [
          {
            uuid: randomUUID(),
            eventType: 'group.lifecycle.delete',
            target: [{ id: '00gzzzzzzzzzzzzzzzz1', type: 'UserGroup' }],
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    await handler.idle();
    expect(handler.stats().fullSyncs).toBeGreaterThanOrEqual(1);
    expect((await connectUsers(f)).has('cy@acme.com')).toBe(true);
    expect(f.sb.requests().some((r) => r.operation === 'ListGroupUsers')).toBe(true);
  });

  it('refuses what is not an Okta delivery', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post({ hello: 'world' })).status).toBe(400);
    expect((await fetch(url, { method: 'PUT', headers: { authorization: SECRET } })).status).toBe(405);
    const big = await post({ data: { events: [], padding: 'x'.repeat(1024 * 1024 + 10) } });
    expect(big.status).toBe(413);
  });
});

describe('createOktaEventHookHandler input', () => {
  it('needs a secret of at least 16 characters and a config (or both callbacks)', () => {
    expect(() =>
      createOktaEventHookHandler({ secret: 'short', reconcile: async () => [], fullSync: async () => {} }),
    ).toThrow(ConfigError);
    expect(() => createOktaEventHookHandler({ secret: SECRET })).toThrow(/config: is required/);
  });

  it('answers before the reconcile runs: a reconcile that is still blocked does not hold the answer', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    const handler = createOktaEventHookHandler({
      secret: SECRET,
      reconcile: async () => {
        started = true;
        await gate;
        return [];
      },
      fullSync: async () => {},
      batchDelayMs: 0,
    });
    const body = JSON.stringify(
      delivery([{ eventType: 'user.lifecycle.suspend', userId: '00ua', login: 'a@acme.com' }]),
    );
    const res = await handler({ method: 'POST', headers: { authorization: SECRET }, body });
    expect(res).toEqual({ status: 200, headers: {}, body: '' });
    expect(handler.stats().queued + (started ? 1 : 0)).toBe(1);
    for (let i = 0; i < 100 && !started; i++) await new Promise((r) => setTimeout(r, 5));
    expect(started).toBe(true);
    release();
    await handler.idle();
    expect(handler.stats()).toMatchObject({ queued: 0, reconciled: 1, failed: 0 });
    await handler.close();
  });

  it('with its own reconcile, hands it the de-duplicated user ids of a batch', async () => {
    const batches: string[][] = [];
    const handler = createOktaEventHookHandler({
      secret: SECRET,
      reconcile: async (ids) => {
        batches.push(ids);
        return [];
      },
      fullSync: async () => {},
      batchDelayMs: 5,
    });
    const body = JSON.stringify(
      delivery([
        { eventType: 'user.lifecycle.deactivate', userId: '00ua', login: 'a@acme.com' },
        { eventType: 'user.account.update_profile', userId: '00ub', login: 'b@acme.com' },
        { eventType: 'group.user_membership.remove', userId: '00ua', login: 'a@acme.com' },
      ]),
    );
    const res = await handler({ method: 'POST', headers: { Authorization: SECRET }, body });
    expect(res.status).toBe(200);
    await handler.idle();
    expect(batches).toEqual([['00ua', '00ub']]);
    // A Headers object and a parsed body (Express's express.json()) work too.
    const headers = new Headers({ authorization: SECRET });
    const parsed = await handler({ method: 'POST', headers, body: JSON.parse(body) as object });
    expect(parsed.status).toBe(200);
    await handler.close();
  });
});
