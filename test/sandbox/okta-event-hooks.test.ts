/**
 * Okta Event Hooks in the sandbox: the Event Hooks API through the real Okta SDK, the one-time
 * verification, and delivery to a real HTTP endpoint — Okta's payload and headers, after the API call
 * that caused it has answered, with Okta's timeout and single retry, deterministic duplicates and
 * reordering from the seed, and `flushEventHooks()` to wait for quiescence.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { oktaClient, startTestSandbox } from '../helpers.js';
import { awsAppBody, oktaRaw } from '../support/okta.js';

const SECRET = 'hook-secret-4f0a1c9e7b';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: {
    eventType: string;
    eventTypeVersion: string;
    cloudEventsVersion: string;
    source: string;
    eventId: string;
    eventTime: string;
    contentType: string;
    data: { events: Event[] };
  };
}

interface Event {
  uuid: string;
  published: string;
  eventType: string;
  actor: { id: string; type: string; alternateId: string; displayName: string };
  target: { id: string; type: string; alternateId: string; displayName: string }[];
  debugContext: { debugData: Record<string, string> };
}

/** A hook endpoint: answers the verification challenge, records every POST, answers `status()`. */
class Consumer {
  readonly posts: Received[] = [];
  readonly gets: IncomingMessage['headers'][] = [];
  status = () => 200;
  /** When set, POSTs wait for it (the test releases them). */
  gate: Promise<void> | undefined;
  onPost: ((r: Received) => Promise<void> | void) | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.method === 'GET') {
          this.gets.push(req.headers);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }));
          return;
        }
        const received = {
          method: req.method ?? '',
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString()),
        };
        this.posts.push(received);
        await this.gate;
        await this.onPost?.(received);
        const status = this.status();
        if (status === 0) return; // never answer
        res.writeHead(status).end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`;
    return this;
  }

  events(): Event[] {
    return this.posts.flatMap((p) => p.body.data.events);
  }

  types(): string[] {
    return this.events().map((e) => e.eventType);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const ALL_TYPES = [
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.account.update_profile',
  'group.user_membership.add',
  'group.user_membership.remove',
  'application.user_membership.add',
  'application.user_membership.remove',
  'application.user_membership.change_username',
];

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});

async function setup(options: SandboxOptions = {}, types = ALL_TYPES) {
  const sb = await startTestSandbox(options);
  const consumer = await new Consumer().start();
  started.push(consumer, sb);
  const okta = oktaClient(sb);
  const hook = await okta.eventHookApi.createEventHook({
    eventHook: {
      name: 'connect sync',
      events: { type: 'EVENT_TYPE', items: types },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: consumer.url,
          authScheme: { type: 'HEADER', key: 'Authorization', value: SECRET },
          headers: [{ key: 'X-Sandbox-Test', value: 'yes' }],
        },
      },
    },
  });
  return { sb, consumer, okta, hookId: hook.id ?? '' };
}

async function awsApp(sb: Sandbox, label: string): Promise<string> {
  const created = await oktaRaw(sb, 'POST', '/api/v1/apps', awsAppBody(label));
  return created.body.id as string;
}

describe('the Event Hooks API', () => {
  it('creates ACTIVE and UNVERIFIED, verifies with the challenge, and never returns the secret', async () => {
    const { sb, consumer, okta, hookId } = await setup();
    const created = await okta.eventHookApi.getEventHook({ eventHookId: hookId });
    expect(created).toMatchObject({
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      name: 'connect sync',
    });
    expect(created.channel?.config?.authScheme).toMatchObject({ type: 'HEADER', key: 'Authorization' });
    expect(JSON.stringify((await oktaRaw(sb, 'GET', '/api/v1/eventHooks')).body)).not.toContain(SECRET);
    expect(JSON.stringify(sb.state())).not.toContain(SECRET);

    // An unverified hook receives nothing.
    sb.admin.createOktaUser({ login: 'early@acme.com' });
    await sb.okta.flushEventHooks();
    expect(consumer.posts).toEqual([]);

    const verified = await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
    expect(verified.verificationStatus).toBe('VERIFIED');
    expect(consumer.gets).toHaveLength(1);
    expect(consumer.gets[0]?.['x-okta-verification-challenge']).toMatch(/^[\w-]{32}$/);
    expect(consumer.gets[0]?.authorization).toBe(SECRET);
    expect(consumer.gets[0]?.['x-sandbox-test']).toBe('yes');

    // A new channel must be verified again; the secret is kept when the same header is named without it.
    const replaced = await oktaRaw(sb, 'PUT', `/api/v1/eventHooks/${hookId}`, {
      name: 'renamed',
      events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: { uri: `${consumer.url}?v=2`, authScheme: { type: 'HEADER', key: 'Authorization' } },
      },
    });
    expect(replaced).toMatchObject({
      status: 200,
      body: { name: 'renamed', verificationStatus: 'UNVERIFIED' },
    });
    await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
    expect(consumer.gets[1]?.authorization).toBe(SECRET);

    // Only an INACTIVE hook can be deleted.
    expect((await oktaRaw(sb, 'DELETE', `/api/v1/eventHooks/${hookId}`)).status).toBe(400);
    await okta.eventHookApi.deactivateEventHook({ eventHookId: hookId });
    await okta.eventHookApi.deleteEventHook({ eventHookId: hookId });
    expect((await oktaRaw(sb, 'GET', `/api/v1/eventHooks/${hookId}`)).body).toMatchObject({
      errorCode: 'E0000007',
    });
  });

  it('refuses a wrong verification answer (400, still UNVERIFIED) and bad bodies naming the field', async () => {
    const sb = await startTestSandbox();
    started.push(sb);
    const liar = createServer((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"verification":"nope"}'),
    );
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    started.push({ stop: () => new Promise<void>((resolve) => liar.close(() => resolve())) });
    const uri = `http://127.0.0.1:${(liar.address() as AddressInfo).port}/`;
    const body = (config: Record<string, unknown>) => ({
      name: 'h',
      events: { type: 'EVENT_TYPE', items: ['user.lifecycle.create'] },
      channel: { type: 'HTTP', version: '1.0.0', config },
    });
    const created = await oktaRaw(sb, 'POST', '/api/v1/eventHooks', body({ uri }));
    const verify = await oktaRaw(sb, 'POST', `/api/v1/eventHooks/${created.body.id}/lifecycle/verify`);
    expect(verify).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(JSON.stringify(verify.body.errorCauses)).toContain('verification');
    expect((await oktaRaw(sb, 'GET', `/api/v1/eventHooks/${created.body.id}`)).body.verificationStatus).toBe(
      'UNVERIFIED',
    );

    const http = await oktaRaw(sb, 'POST', '/api/v1/eventHooks', body({ uri: 'http://hooks.example.com/x' }));
    expect(http).toMatchObject({
      status: 400,
      body: { errorSummary: 'Api validation failed: channel.config.uri' },
    });
    const noEvents = await oktaRaw(sb, 'POST', '/api/v1/eventHooks', {
      ...body({ uri }),
      events: { type: 'EVENT_TYPE', items: [] },
    });
    expect(noEvents.body.errorSummary).toBe('Api validation failed: events.items');
    const noValue = await oktaRaw(
      sb,
      'POST',
      '/api/v1/eventHooks',
      body({ uri, authScheme: { type: 'HEADER', key: 'Authorization' } }),
    );
    expect(noValue.body.errorSummary).toBe('Api validation failed: channel.config.authScheme.value');
    expect(Object.keys(sb.state().okta.eventHooks)).toHaveLength(1);
  });
});

describe('delivery', () => {
  it("POSTs Okta's payload with the hook's headers, after the API call has answered", async () => {
    const { sb, consumer, okta, hookId } = await setup();
    await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
    let release = () => {};
    consumer.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The consumer holds its answer until released: were delivery part of the API call, this would hang.
    const user = await okta.userApi.createUser({
      body: {
        profile: { login: 'jane@acme.com', email: 'jane@acme.com', firstName: 'Jane', lastName: 'Doe' },
      },
    });
    expect(user.status).toBe('PROVISIONED');
    release();
    await sb.okta.flushEventHooks();

    expect(consumer.types()).toEqual(['user.lifecycle.create', 'user.lifecycle.activate']);
    const post = consumer.posts[0] as Received;
    expect(post.headers).toMatchObject({
      authorization: SECRET,
      'x-sandbox-test': 'yes',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(post.body).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      source: `${sb.okta.orgUrl}/api/v1/eventHooks/${hookId}`,
    });
    expect(post.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const event = post.body.data.events[0] as Event;
    expect(event).toMatchObject({
      eventType: 'user.lifecycle.create',
      actor: { type: 'User', alternateId: 'admin@sandbox.example' },
      target: [{ id: user.id, type: 'User', alternateId: 'jane@acme.com', displayName: 'Jane Doe' }],
    });
    expect(event.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(Date.parse(event.published)).toBeGreaterThan(0);
    expect(sb.okta.eventHookDeliveries().every((d) => d.ok && d.attempt === 1)).toBe(true);
  });

  it('records what the sync work needs: lifecycle, profile and login changes, group and app membership', async () => {
    const { sb, consumer, okta, hookId } = await setup();
    await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
    const appId = await awsApp(sb, 'Amazon Connect CCP');
    const group = sb.admin.createOktaGroup({ name: 'cc-agents' });
    await oktaRaw(sb, 'PUT', `/api/v1/apps/${appId}/groups/${group.id}`, {});
    const user = sb.admin.createOktaUser({ login: 'amir@acme.com', firstName: 'Amir', lastName: 'Haddad' });
    sb.admin.addOktaUserToGroup('amir@acme.com', 'cc-agents');
    sb.admin.updateOktaUser('amir@acme.com', { department: 'Support' });
    await okta.userApi.updateUser({
      userId: user.id,
      user: { profile: { login: 'amir.h@acme.com', email: 'amir.h@acme.com' } },
    });
    await okta.userApi.suspendUser({ userId: user.id });
    await okta.userApi.unsuspendUser({ userId: user.id });
    await okta.groupApi.unassignUserFromGroup({ groupId: group.id, userId: user.id });
    sb.admin.addOktaUserToGroup(user.id, group.id);
    await okta.userApi.deactivateUser({ userId: user.id });
    await sb.okta.flushEventHooks();

    expect(consumer.types()).toEqual([
      'user.lifecycle.create',
      'user.lifecycle.activate',
      'group.user_membership.add',
      'application.user_membership.add',
      'user.account.update_profile',
      'user.account.update_profile',
      'application.user_membership.change_username',
      'user.lifecycle.suspend',
      'user.lifecycle.unsuspend',
      'group.user_membership.remove',
      'application.user_membership.remove',
      'group.user_membership.add',
      'application.user_membership.add',
      'user.lifecycle.deactivate',
      'application.user_membership.remove',
    ]);
    const events = consumer.events();
    const byType = (type: string) => events.filter((e) => e.eventType === type);
    expect(byType('group.user_membership.add')[0]?.target.map((t) => [t.type, t.id])).toEqual([
      ['User', user.id],
      ['UserGroup', group.id],
    ]);
    const appAdd = byType('application.user_membership.add')[0] as Event;
    expect(appAdd.target.map((t) => t.type)).toEqual(['AppUser', 'AppInstance', 'User']);
    expect(appAdd.target[0]).toMatchObject({ alternateId: 'amir@acme.com' });
    expect(appAdd.target[0]?.id).toMatch(/^0ua/);
    expect(appAdd.target[1]).toMatchObject({
      id: appId,
      alternateId: 'Amazon Connect CCP',
      displayName: 'AWS Account Federation',
    });
    expect(appAdd.target[2]).toMatchObject({ id: user.id });
    const rename = byType('application.user_membership.change_username')[0] as Event;
    expect(rename.target[0]?.alternateId).toBe('amir.h@acme.com');
    expect(rename.debugContext.debugData.previousUserName).toBe('amir@acme.com');
    expect(
      byType('user.account.update_profile').map((e) => e.debugContext.debugData.changedAttributes),
    ).toEqual(['department', 'email,login']);
    // The event uuids are unique; API calls name their request, back doors the admin.
    expect(new Set(events.map((e) => e.uuid)).size).toBe(events.length);
    expect(byType('user.lifecycle.suspend')[0]?.debugContext.debugData.requestUri).toBe(
      `/api/v1/users/${user.id}/lifecycle/suspend`,
    );
  });

  it('a hook only gets the types it subscribes to, and nothing while INACTIVE', async () => {
    const { sb, consumer, okta, hookId } = await setup({}, ['user.lifecycle.deactivate']);
    await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
    sb.admin.createOktaUser({ login: 'a@acme.com' });
    sb.admin.createOktaUser({ login: 'b@acme.com' });
    sb.admin.deactivateOktaUser('a@acme.com');
    await okta.eventHookApi.deactivateEventHook({ eventHookId: hookId });
    sb.admin.deactivateOktaUser('b@acme.com');
    await sb.okta.flushEventHooks();
    expect(consumer.events().map((e) => [e.eventType, e.target[0]?.alternateId])).toEqual([
      ['user.lifecycle.deactivate', 'a@acme.com'],
    ]);
  });

  it("retries once after a timeout or a 5xx, never after a 4xx (Okta's rules)", async () => {
    const { sb, consumer, okta, hookId } = await setup({ eventHooks: { timeoutMs: 300 } }, [
      'user.lifecycle.create',
    ]);
    await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
    const answers = [0, 0, 503, 200, 400];
    consumer.status = () => answers.shift() ?? 200;
    sb.admin.createOktaUser({ login: 'slow@acme.com', status: 'STAGED' });
    sb.admin.createOktaUser({ login: 'flaky@acme.com', status: 'STAGED' });
    sb.admin.createOktaUser({ login: 'refused@acme.com', status: 'STAGED' });
    await sb.okta.flushEventHooks();
    const deliveries = sb.okta.eventHookDeliveries();
    expect(deliveries.map((d) => [d.attempt, d.status, d.ok])).toEqual([
      [1, 0, false],
      [2, 0, false],
      [1, 503, false],
      [2, 200, true],
      [1, 400, false],
    ]);
    expect(deliveries[0]?.error).toBe('no answer within 300 ms');
    // The retry carries the same events under a new eventId.
    expect(deliveries[2]?.eventUuids).toEqual(deliveries[3]?.eventUuids);
    expect(deliveries[2]?.eventId).not.toBe(deliveries[3]?.eventId);
  });

  it('duplicates and reorders deterministically from the seed, and flush waits for what the handler causes', async () => {
    const run = async (seed: number) => {
      const { sb, consumer, okta, hookId } = await setup(
        { seed, eventHooks: { duplicateProbability: 0.4, reorderWindow: 3 } },
        ['user.lifecycle.create', 'group.user_membership.add'],
      );
      await okta.eventHookApi.verifyEventHook({ eventHookId: hookId });
      sb.admin.createOktaGroup({ name: 'team' });
      // A consumer that re-reads live state on every delivery, and adds each new user to the group.
      consumer.onPost = async (received) => {
        for (const e of received.body.data.events) {
          if (e.eventType !== 'user.lifecycle.create') continue;
          await oktaRaw(
            sb,
            'PUT',
            `/api/v1/groups/${Object.keys(sb.state().okta.groups)[0]}/users/${e.target[0]?.id}`,
          );
        }
      };
      for (let i = 1; i <= 7; i++) sb.admin.createOktaUser({ login: `u${i}@acme.com`, status: 'STAGED' });
      await sb.okta.flushEventHooks();
      return consumer.events().map((e) => `${e.eventType.split('.')[0]}:${e.target[0]?.alternateId}`);
    };
    const first = await run(7);
    const again = await run(7);
    expect(again).toEqual(first);
    const created = first.filter((e) => e.startsWith('user:'));
    const distinct = new Set(first);
    // Every event arrived at least once; some twice; not in the order they happened.
    expect(new Set(created)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7].map((i) => `user:u${i}@acme.com`)));
    expect([...distinct].filter((e) => e.startsWith('group:'))).toHaveLength(7);
    expect(first.length).toBeGreaterThan(distinct.size);
    expect(created).not.toEqual([...created].sort());
    expect(await run(8)).not.toEqual(first);
  });
});
