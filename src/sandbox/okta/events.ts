/**
 * Okta's System Log events for the directory changes the sandbox emulates, and their delivery to Event
 * Hooks (developer.okta.com "Event hooks"; research/turn2.md §0.7, §3.5):
 *
 * - Every change (a user created, activated, deactivated, suspended, its profile or login changed, a
 *   group or app membership added or removed, an app username changed) records a `LogEvent` shaped like
 *   the System Log's, with the actor who made it and Okta's targets (`User`, `UserGroup`, `AppInstance`,
 *   `AppUser`).
 * - Each event goes to every hook that is `ACTIVE` and `VERIFIED` at that moment and subscribes to its
 *   type: an HTTP POST of `{eventType: 'com.okta.event_hook', …, data: {events: [event]}}` with the
 *   hook's headers and authorization header, **asynchronously** — the API call that caused it has already
 *   answered. Okta's rules: a 3 s timeout, at most one retry, none after a 4xx; a 200 or 204 is success.
 * - At-least-once and unordered on purpose, deterministically from the sandbox seed: with
 *   `duplicateProbability` a delivery is sent twice; with `reorderWindow: N` a hook's deliveries are sent
 *   in batches of N, each shuffled. Tests await quiescence with `sb.okta.flushEventHooks()`.
 *
 * The sandbox never calls off this machine: a hook whose URI is not a loopback address gets no request
 * (the delivery is recorded as failed).
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EmulatorContext, SandboxRequest } from '../emulator.js';
import { SeededRandom } from '../faults.js';
import type { SandboxState } from '../state.js';
import type { JsonObject, OktaApp, OktaAppUser, OktaEventHook, OktaGroup, OktaUser } from './state.js';
import { type Ctx, okta } from './util.js';

// ---------------------------------------------------------------------------------------------------------
// Events

/** Who made a change: the `actor` of a LogEvent. */
export interface EventActor {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

/** One `target` of a LogEvent. */
export interface EventTarget {
  id: string;
  type: 'User' | 'UserGroup' | 'AppInstance' | 'AppUser';
  alternateId: string;
  displayName: string;
  detailEntry: JsonObject | null;
}

/** Where a change came from: the actor and, for an API call, the request. */
export interface EventSource {
  actor: EventActor;
  requestId: string;
  requestUri?: string;
  userAgent?: string;
}

/**
 * The admin behind the API token and behind the back doors (which stand for an admin's clicks in the
 * console). Okta names the token's owner; the sandbox has one admin.
 */
export const SANDBOX_ADMIN_ACTOR: EventActor = {
  id: '00usandboxadmin00001',
  type: 'User',
  alternateId: 'admin@sandbox.example',
  displayName: 'Sandbox Admin',
};

/** The OAuth service app behind each request authenticated with a Bearer token. */
const requestClients = new WeakMap<SandboxRequest, string>();

/** Note that a request was made with a token of this service app (its events name the app as actor). */
export function setRequestClient(req: SandboxRequest, clientId: string): void {
  requestClients.set(req, clientId);
}

/** The event's source for a request: the token's admin, or the OAuth service app of a Bearer token. */
export function requestSource(ctx: Ctx, req: SandboxRequest): EventSource {
  const clientId = requestClients.get(req);
  const client = clientId ? okta(ctx).oauth.clients[clientId] : undefined;
  const actor: EventActor = client
    ? { id: client.clientId, type: 'PublicClientApp', alternateId: client.clientId, displayName: client.name }
    : SANDBOX_ADMIN_ACTOR;
  const source: EventSource = {
    actor,
    requestId: ctx.requestId(),
    requestUri: req.path,
  };
  const agent = req.headers['user-agent'];
  if (agent) source.userAgent = agent;
  return source;
}

/** The source of a back-door change (an admin in the console). */
export function backDoorSource(ctx: Ctx): EventSource {
  return { actor: SANDBOX_ADMIN_ACTOR, requestId: ctx.requestId() };
}

const OIN_DISPLAY_NAMES: Readonly<Record<string, string>> = { amazon_aws: 'AWS Account Federation' };

function displayNameOf(user: OktaUser): string {
  const { firstName, lastName } = user.profile;
  const name = [firstName, lastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
  return name || String(user.profile.login ?? user.id);
}

export function userTarget(user: OktaUser): EventTarget {
  return {
    id: user.id,
    type: 'User',
    alternateId: String(user.profile.login ?? user.id),
    displayName: displayNameOf(user),
    detailEntry: null,
  };
}

export function groupTarget(group: OktaGroup): EventTarget {
  // Okta does not fill a group target's alternateId.
  return {
    id: group.id,
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: String(group.profile.name ?? group.id),
    detailEntry: null,
  };
}

export function appTarget(app: OktaApp): EventTarget {
  return {
    id: app.id,
    type: 'AppInstance',
    alternateId: app.label,
    displayName: OIN_DISPLAY_NAMES[app.name] ?? app.label,
    detailEntry: { signOnModeType: app.signOnMode },
  };
}

/** The app user's own id (`0ua…`): stable per app and user, as Okta's are. */
export function appUserId(appId: string, userId: string): string {
  const digest = createHash('sha256').update(`${appId}/${userId}`).digest();
  let id = '';
  for (let i = 0; i < 14; i++) id += '0123456789abcdefghijklmnopqrstuvwxyz'[(digest[i] ?? 0) % 36];
  return `0ua${id}1d7`;
}

export function appUserTarget(app: OktaApp, appUser: OktaAppUser, user: OktaUser): EventTarget {
  return {
    id: appUserId(app.id, user.id),
    type: 'AppUser',
    alternateId: appUser.userName,
    displayName: displayNameOf(user),
    detailEntry: null,
  };
}

/** The event types the sandbox records, with Okta's display message and legacy type. */
export const EVENT_TYPES = {
  'user.lifecycle.create': ['Create Okta user', 'core.user.config.user_creation.success'],
  'user.lifecycle.activate': ['Activate Okta user', 'core.user.config.user_activated'],
  'user.lifecycle.reactivate': ['Reactivate Okta user', 'core.user.config.user_reactivated'],
  'user.lifecycle.deactivate': ['Deactivate Okta user', 'core.user.config.user_deactivated'],
  'user.lifecycle.suspend': ['Suspend Okta user', 'core.user.config.user_suspended'],
  'user.lifecycle.unsuspend': ['Unsuspend Okta user', 'core.user.config.user_unsuspended'],
  'user.lifecycle.delete.initiated': ['Delete Okta user initiated', null],
  'user.lifecycle.delete.completed': ['Delete Okta user completed', null],
  'user.account.update_profile': ['Update user profile for Okta', 'core.user.config.profile_update.success'],
  'group.lifecycle.create': ['Create okta group', null],
  'group.lifecycle.delete': ['Delete okta group', null],
  'group.user_membership.add': ['Add user to group membership', 'core.user_group_member.user_add'],
  'group.user_membership.remove': ['Remove user from group membership', 'core.user_group_member.user_remove'],
  'application.user_membership.add': [
    'Add user to application membership',
    'app.generic.provision.assign_user_to_app',
  ],
  'application.user_membership.remove': [
    'Remove user from application membership',
    'app.generic.unprovision.unassign_user_from_app',
  ],
  'application.user_membership.change_username': [
    'Change users application username',
    'app.user_management.update_app_user_name',
  ],
} as const satisfies Record<string, readonly [string, string | null]>;

/** An event type the sandbox records. */
export type OktaEventType = keyof typeof EVENT_TYPES;

/** A System Log event (`LogEvent`) as the System Log API and event hooks carry it. */
export type OktaLogEvent = JsonObject & { uuid: string; eventType: string; published: string };

/** A uuid-shaped digest of `text`. */
function uuidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = '89ab'[Number.parseInt(hex[16] ?? '0', 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A uuid unique in this org across restarts (the sequence is in the state), deterministic per seed. */
function eventUuid(orgId: string, seq: number): string {
  return uuidOf(`${orgId}/event/${seq}`);
}

/**
 * Record an event and hand it to the event hooks. `extra` goes into `debugContext.debugData` (Okta puts
 * details such as `changedAttributes` there).
 */
export function emitEvent(
  ctx: Ctx,
  source: EventSource,
  eventType: OktaEventType,
  targets: EventTarget[],
  extra: Record<string, string> = {},
): OktaLogEvent {
  const state = okta(ctx);
  state.eventSeq += 1;
  const [displayMessage, legacyEventType] = EVENT_TYPES[eventType];
  const published = new Date(ctx.now()).toISOString();
  const event: OktaLogEvent = {
    uuid: eventUuid(state.orgId || 'org', state.eventSeq),
    published,
    eventType,
    version: '0',
    displayMessage,
    severity: 'INFO',
    legacyEventType,
    actor: { ...source.actor, detailEntry: null },
    client: {
      userAgent: source.userAgent
        ? { rawUserAgent: source.userAgent, os: 'Unknown', browser: 'UNKNOWN' }
        : null,
      zone: 'null',
      device: source.userAgent ? 'Unknown' : null,
      id: null,
      ipAddress: '127.0.0.1',
      geographicalContext: null,
    },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: source.requestUri ? 'trs-sandbox' : 'unknown',
    },
    outcome: { result: 'SUCCESS', reason: null },
    target: targets.map((t) => ({ ...t })),
    transaction: { type: source.requestUri ? 'WEB' : 'JOB', id: source.requestId, detail: {} },
    debugContext: {
      debugData: {
        requestId: source.requestId,
        ...(source.requestUri ? { requestUri: source.requestUri, url: source.requestUri } : {}),
        ...extra,
      },
    },
    request: { ipChain: [{ ip: '127.0.0.1', geographicalContext: null, version: 'V4', source: null }] },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    insertionTimestamp: null,
  };
  dispatchers.get(ctx.state)?.publish(event);
  return event;
}

// ---------------------------------------------------------------------------------------------------------
// Delivery

/** Options of the event hook delivery (sandbox option `eventHooks`). */
export interface EventHookDeliveryOptions {
  /** Okta's timeout for a hook's answer. Default 3000 ms. */
  timeoutMs?: number;
  /** Chance (0–1) that a delivery is sent a second time (at-least-once). Default 0. */
  duplicateProbability?: number;
  /** Send each hook's deliveries in batches of this many, each shuffled (out of order). Default 1. */
  reorderWindow?: number;
}

/** One HTTP delivery attempt to a hook, as `sb.okta.eventHookDeliveries()` lists it. */
export interface EventHookDelivery {
  /** The hook. */
  hookId: string;
  /** The uuids of the events carried (`data.events[].uuid`). */
  eventUuids: string[];
  /** Their types. */
  eventTypes: string[];
  /** The request's `eventId` (new for each request; a duplicate carries the same events). */
  eventId: string;
  /** 1, or 2 for Okta's retry. */
  attempt: number;
  /** Whether this request is a deliberate duplicate (`duplicateProbability`). */
  duplicate: boolean;
  /** The HTTP status the hook answered; 0 when none came (timeout, refused, not loopback). */
  status: number;
  /** A 2xx answer within the timeout. */
  ok: boolean;
  /** Why it failed, when it did. */
  error?: string;
  /** When the request was sent (epoch ms, sandbox clock). */
  at: number;
}

interface Item {
  event: OktaLogEvent;
  duplicate: boolean;
}

interface HookQueue {
  /** Deliveries waiting for their reorder window to fill. */
  window: Item[];
  /** Deliveries ready to send, in order. */
  ready: Item[];
  /** The running send loop, if any. */
  running: Promise<void> | undefined;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|::1)$/i;

/** Whether the sandbox may call this URI (it never leaves the machine). */
export function isLoopbackUri(uri: string): boolean {
  try {
    return LOOPBACK.test(new URL(uri).hostname);
  } catch {
    return false;
  }
}

export interface HookCall {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HookAnswer {
  status: number;
  body: string;
  error?: string;
}

/** One HTTP call to a hook's URI (loopback only), with a timeout; never throws. */
export function callHook(uri: string, call: HookCall): Promise<HookAnswer> {
  if (!isLoopbackUri(uri)) {
    return Promise.resolve({
      status: 0,
      body: '',
      error: `the sandbox calls only loopback addresses, not ${uri}`,
    });
  }
  const url = new URL(uri);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HookAnswer>((resolve) => {
    let settled = false;
    const done = (answer: HookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const req = request(
      url,
      {
        method: call.method,
        agent: false,
        headers: {
          ...call.headers,
          ...(call.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(call.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 64 * 1024) chunks.push(chunk);
        });
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => done({ status: 0, body: '', error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 0, body: '', error: `no answer within ${call.timeoutMs} ms` });
    }, call.timeoutMs);
    const onAbort = () => {
      req.destroy();
      done({ status: 0, body: '', error: 'the sandbox stopped' });
    };
    call.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => done({ status: 0, body: '', error: error.message }));
    req.end(call.body);
  });
}

/** The headers Okta sends to a hook: its custom headers and its authorization header. */
export function hookHeaders(hook: OktaEventHook): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  for (const { key, value } of hook.headers) headers[key] = value;
  if (hook.authHeader && hook.secret !== null) headers[hook.authHeader] = hook.secret;
  return headers;
}

/** Deliveries a consumer's slowness can cause: bound how many rounds a flush waits for. */
const MAX_FLUSH_ROUNDS = 1000;

/**
 * The delivery side of the event hooks of one sandbox: queues per hook, the seeded duplicate and reorder
 * decisions, Okta's timeout and retry, and quiescence for tests.
 */
export class EventHookDispatcher {
  private readonly queues = new Map<string, HookQueue>();
  private readonly random: SeededRandom;
  private readonly log: EventHookDelivery[] = [];
  private readonly stopper = new AbortController();
  readonly timeoutMs: number;
  private readonly duplicateProbability: number;
  private readonly reorderWindow: number;

  constructor(
    private readonly context: () => EmulatorContext,
    seed: number,
    options: EventHookDeliveryOptions = {},
  ) {
    // A stream of its own: deliveries never shift the identifiers the sandbox hands out.
    this.random = new SeededRandom(seed ^ 0x2f6b8e1d);
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.duplicateProbability = options.duplicateProbability ?? 0;
    this.reorderWindow = Math.max(1, Math.floor(options.reorderWindow ?? 1));
  }

  /** Queue an event for every active, verified hook that subscribes to its type. */
  publish(event: OktaLogEvent): void {
    if (this.stopper.signal.aborted) return;
    const hooks = Object.values(okta(this.context()).eventHooks)
      .filter((h) => h.status === 'ACTIVE' && h.verificationStatus === 'VERIFIED')
      .filter((h) => h.eventTypes.includes(event.eventType))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const hook of hooks) {
      const queue = this.queue(hook.id);
      queue.window.push({ event, duplicate: false });
      if (this.duplicateProbability > 0 && this.random.next() < this.duplicateProbability) {
        queue.window.push({ event, duplicate: true });
      }
      if (queue.window.length >= this.reorderWindow) this.release(queue);
      this.kick(hook.id, queue);
    }
  }

  /** Every delivery attempt so far, oldest first. */
  deliveries(): EventHookDelivery[] {
    return this.log.map((d) => ({ ...d, eventUuids: [...d.eventUuids], eventTypes: [...d.eventTypes] }));
  }

  /**
   * Send what waits in partly filled reorder windows, and resolve once no delivery is queued or in flight
   * (including those that deliveries caused, when a hook's handler calls the API back).
   */
  async flush(): Promise<void> {
    for (let round = 0; round < MAX_FLUSH_ROUNDS; round++) {
      const running: Promise<void>[] = [];
      for (const [hookId, queue] of this.queues) {
        if (queue.window.length > 0) this.release(queue);
        this.kick(hookId, queue);
        if (queue.running) running.push(queue.running);
      }
      if (running.length === 0) return;
      await Promise.all(running);
    }
    throw new Error(`flushEventHooks: deliveries kept coming after ${MAX_FLUSH_ROUNDS} rounds`);
  }

  /** Stop: abort calls in flight and drop what is queued. */
  async close(): Promise<void> {
    this.stopper.abort();
    const running = [...this.queues.values()].map((q) => q.running).filter((p) => p !== undefined);
    for (const queue of this.queues.values()) {
      queue.window.length = 0;
      queue.ready.length = 0;
    }
    await Promise.all(running);
  }

  private queue(hookId: string): HookQueue {
    let queue = this.queues.get(hookId);
    if (!queue) {
      queue = { window: [], ready: [], running: undefined };
      this.queues.set(hookId, queue);
    }
    return queue;
  }

  /** Move a window to the ready list, shuffled (Fisher–Yates on the seeded stream) when it holds several. */
  private release(queue: HookQueue): void {
    const items = queue.window.splice(0);
    if (this.reorderWindow > 1) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(this.random.next() * (i + 1));
        [items[i], items[j]] = [items[j] as Item, items[i] as Item];
      }
    }
    queue.ready.push(...items);
  }

  private kick(hookId: string, queue: HookQueue): void {
    if (queue.running || queue.ready.length === 0 || this.stopper.signal.aborted) return;
    queue.running = (async () => {
      // Sent after the API call that caused it has answered.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (let item = queue.ready.shift(); item; item = queue.ready.shift()) {
        if (this.stopper.signal.aborted) break;
        await this.deliver(hookId, item);
      }
    })().finally(() => {
      queue.running = undefined;
      if (queue.ready.length > 0) this.kick(hookId, queue);
    });
  }

  private async deliver(hookId: string, item: Item): Promise<void> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const ctx = this.context();
      const hook = okta(ctx).eventHooks[hookId];
      // A hook deleted or deactivated since gets nothing more.
      if (hook?.status !== 'ACTIVE') return;
      // From the delivery itself, not the seeded stream: sends of different hooks interleave by timing.
      const eventId = uuidOf(`${hookId}/${item.event.uuid}/${item.duplicate ? 'again' : 'once'}/${attempt}`);
      const body = JSON.stringify({
        eventType: 'com.okta.event_hook',
        eventTypeVersion: '1.0',
        cloudEventsVersion: '0.1',
        source: `${ctx.origin}/api/v1/eventHooks/${hook.id}`,
        eventId,
        eventTime: new Date(ctx.now()).toISOString(),
        contentType: 'application/json',
        data: { events: [item.event] },
      });
      const at = ctx.now();
      const answer = await callHook(hook.uri, {
        method: 'POST',
        headers: hookHeaders(hook),
        body,
        timeoutMs: this.timeoutMs,
        signal: this.stopper.signal,
      });
      const ok = answer.status >= 200 && answer.status < 300;
      const record: EventHookDelivery = {
        hookId,
        eventUuids: [item.event.uuid],
        eventTypes: [item.event.eventType],
        eventId,
        attempt,
        duplicate: item.duplicate,
        status: answer.status,
        ok,
        at,
      };
      if (!ok) record.error = answer.error ?? `the hook answered ${answer.status}`;
      this.log.push(record);
      // Okta retries once after a timeout, a failed connection or a 5xx; never after a 4xx.
      if (ok || (answer.status >= 400 && answer.status < 500) || this.stopper.signal.aborted) return;
    }
  }
}

const dispatchers = new WeakMap<SandboxState, EventHookDispatcher>();

/** Deliver the events of this sandbox state's org to its hooks (one dispatcher per sandbox). */
export function attachEventHooks(
  state: SandboxState,
  context: () => EmulatorContext,
  seed: number,
  options: EventHookDeliveryOptions = {},
): EventHookDispatcher {
  const dispatcher = new EventHookDispatcher(context, seed, options);
  dispatchers.set(state, dispatcher);
  return dispatcher;
}

/** The dispatcher of this context's sandbox, if one is attached. */
export function eventHookDispatcher(ctx: Ctx): EventHookDispatcher | undefined {
  return dispatchers.get(ctx.state);
}
