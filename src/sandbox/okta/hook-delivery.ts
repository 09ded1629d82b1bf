/**
 * The delivery of System Log events to event hooks (see ./events.ts for the rules): per hook a queue,
 * the seeded duplicate and reorder decisions, Okta's timeout and single retry, the delivery log, and
 * quiescence for tests (`sb.okta.flushEventHooks()`).
 */
import type { EmulatorContext } from '../emulator.js';
import { SeededRandom } from '../faults.js';
import type { SandboxState } from '../state.js';
import { callHook, hookHeaders } from './hook-http.js';
import type { JsonObject } from './state.js';
import { type Ctx, okta, uuidOf } from './util.js';

/** A System Log event (`LogEvent`) as the System Log API and event hooks carry it. */
export type OktaLogEvent = JsonObject & { uuid: string; eventType: string; published: string };

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
