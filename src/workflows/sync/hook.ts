/**
 * `createOktaEventHookHandler`: the endpoint Okta's event hooks call, as a plain
 * `(request) => Promise<response>` function that fits Node's `http`, AWS Lambda function URLs and
 * Express (docs/guides/syncing-users-from-okta.md shows each adapter).
 *
 * Okta event hooks carry no signature: the only proof that a request comes from Okta is the static
 * `Authorization` header value registered with the hook, compared here in constant time. Okta waits 3
 * seconds for an answer, retries once, and delivers at least once, in no particular order. So the
 * handler answers at once and never acts on what an event says: it queues the Okta user ids the events
 * name, and each batch re-reads those people and their Connect users from live state
 * (`syncUsers({ only })`). Duplicate and out-of-order deliveries therefore converge on the same state.
 * Whatever hooks miss (a delivery Okta gave up on, the 100,000 events a day cap) the periodic full
 * `syncUsers` closes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ConnectSsoConfig, ResolvedConfig } from '../../config/index.js';
import { type Clock, systemClock } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { ReconcileQueue } from './queue.js';
import { syncUsers } from './sync.js';
import type { SyncUsersOptions, SyncUsersResult } from './types.js';

/** Headers read by name (a fetch `Headers` object). */
export interface HeaderLookup {
  /** The value of a header (names in any case), or `null`. */
  get(name: string): string | null;
}

/** An HTTP request as the handler needs it; build it from your framework's request (see the guide). */
export interface OktaHookRequest {
  /** `GET` (Okta's one-time verification) or `POST` (event deliveries). */
  method: string;
  /**
   * The request headers: a record (Node's `IncomingMessage.headers`, Lambda's `event.headers`, Express's
   * `req.headers`; names in any case) or a `Headers` object.
   */
  headers: Record<string, string | string[] | undefined> | HeaderLookup;
  /** The body: text, bytes, or JSON already parsed (Express's `express.json()`). Absent for a GET. */
  body?: string | Uint8Array | object | null;
}

/** The response to send back as it is: status, headers, body. */
export interface OktaHookResponse {
  /** HTTP status: 200, or 400/401/405/413 for a refused request. */
  status: number;
  /** Response headers. */
  headers: Record<string, string>;
  /** Response body (the verification JSON, an error message, or empty). */
  body: string;
}

/** What the handler reports (never a secret, never an event's content beyond ids and types). */
export type OktaHookEvent =
  /** A delivery was accepted: its events and the users they name. */
  | {
      /** Event discriminator. */
      type: 'delivery';
      /** Events in the delivery. */
      events: number;
      /** Events dropped as redeliveries (already seen by uuid). */
      duplicates: number;
      /** Okta user ids queued. */
      users: number;
      /** Whether an event asked for a full sync (a group or app changed as a whole). */
      fullSync: boolean;
    }
  /** Okta's one-time verification challenge was answered. */
  | {
      /** Event discriminator. */
      type: 'verification';
    }
  /** A request was refused. */
  | {
      /** Event discriminator. */
      type: 'rejected';
      /** The status sent. */
      status: number;
      /** Why. */
      reason: string;
    }
  /** A batch of users was reconciled. */
  | {
      /** Event discriminator. */
      type: 'reconciled';
      /** Users in the batch. */
      users: number;
      /** Users to try again (their writes failed). */
      retry: number;
      /** How long the batch took, ms. */
      ms: number;
      /** The batch's sync result, when the default reconcile ran. */
      result?: SyncUsersResult;
    }
  /** A full sync ran (asked for, periodic, or after an overflow). */
  | {
      /** Event discriminator. */
      type: 'full-sync';
      /** How long it took, ms. */
      ms: number;
      /** Its result, when the default full sync ran. */
      result?: SyncUsersResult;
    }
  /** A batch or full sync failed (it is tried again later, or left to the next full sync). */
  | {
      /** Event discriminator. */
      type: 'failed';
      /** What failed. */
      what: 'batch' | 'full-sync';
      /** The error. */
      error: Error;
    }
  /** The queue was full: ids were dropped, and a full sync was asked for. */
  | {
      /** Event discriminator. */
      type: 'overflow';
      /** Ids dropped. */
      dropped: number;
    };

/**
 * Options of {@link createOktaEventHookHandler}. The options of the syncs it runs (`context`,
 * `offboard`, `renames`, `adopt`, `pace`) are given here too.
 */
export interface OktaEventHookHandlerOptions
  extends Pick<SyncUsersOptions, 'context' | 'offboard' | 'renames' | 'adopt' | 'pace' | 'concurrency'> {
  /**
   * The value Okta sends in the `Authorization` header: the `channel.config.authScheme.value` the hook
   * was registered with. At least 16 characters; never printed.
   */
  secret: string | Secret;
  /** The config whose users to reconcile. Required unless both `reconcile` and `fullSync` are given. */
  config?: ConnectSsoConfig | ResolvedConfig;
  /**
   * Reconcile a batch of Okta users yourself (e.g. send the ids to a queue, in Lambda), resolving with
   * the ids to try again. Default: `syncUsers(config, { ...sync, only: ids })`, retrying its failed users.
   */
  reconcile?: (oktaUserIds: string[]) => Promise<string[] | undefined>;
  /** Run a full sync yourself. Default: `syncUsers(config, sync)`. */
  fullSync?: () => Promise<unknown>;
  /** Most distinct users waiting; beyond, they are dropped and one full sync runs instead. Default 1,000. */
  maxQueue?: number;
  /** Users reconciled per batch. Default 25. */
  batchSize?: number;
  /** How long deliveries gather before a batch starts, ms. Default 1,000. */
  batchDelayMs?: number;
  /** How often a user whose writes failed is tried again. Default 3. */
  maxAttempts?: number;
  /** The largest body accepted, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How many event uuids are remembered to drop redeliveries. Default 10,000. */
  rememberEvents?: number;
  /** Told of deliveries, refusals, batches and failures. Default none. */
  onEvent?: (event: OktaHookEvent) => void;
  /** The clock of the batch delays. Default: the context's clock, or the system clock. */
  clock?: Clock;
}

/** Counts of a handler. */
export interface OktaEventHookStats {
  /** Deliveries accepted. */
  deliveries: number;
  /** Requests refused (wrong authorization, bad body, wrong method). */
  rejected: number;
  /** Events dropped as redeliveries. */
  duplicates: number;
  /** Users waiting. */
  queued: number;
  /** Users reconciled. */
  reconciled: number;
  /** Batches and full syncs that failed. */
  failed: number;
  /** Full syncs run. */
  fullSyncs: number;
}

/**
 * The handler {@link createOktaEventHookHandler} returns: call it with each request. It also lets you
 * wait for the queue, ask for a full sync, and stop it.
 */
export interface OktaEventHookHandler {
  /** Answer one request (at once: the reconcile runs afterwards). */
  (request: OktaHookRequest): Promise<OktaHookResponse>;
  /** Resolves when no user is waiting and no batch or full sync is running. */
  idle(): Promise<void>;
  /** Queue a full sync (what a periodic timer calls). */
  requestFullSync(): void;
  /** Queue Okta user ids as if an event had named them. */
  enqueue(oktaUserIds: readonly string[]): void;
  /** Counts so far. */
  stats(): OktaEventHookStats;
  /** Stop taking work and wait for the running batch. */
  close(): Promise<void>;
}

/** Event types about a whole group or app (no single user to re-read): they ask for a full sync. */
const WHOLE_SCOPE_EVENTS =
  /^(group\.lifecycle\.delete|group\.profile\.update|application\.lifecycle\.(deactivate|delete|update))/;

const JSON_HEADERS = { 'content-type': 'application/json' };

function header(request: OktaHookRequest, name: string): string | undefined {
  const h = request.headers;
  if (typeof (h as { get?: unknown }).get === 'function') {
    return (h as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

function refuse(status: number, message: string): OktaHookResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify({ error: message }) };
}

interface HookEventJson {
  uuid?: unknown;
  eventType?: unknown;
  target?: unknown;
}

/**
 * Create the handler of Okta event hooks for a config: it answers Okta's one-time verification
 * (`GET` with `X-Okta-Verification-Challenge` → `{"verification": "<value>"}`), refuses any request
 * whose `Authorization` header is not the secret (401, compared in constant time, nothing queued),
 * acknowledges deliveries at once (200) and reconciles the Okta users the events name, in batches,
 * re-reading live state each time. Events about a whole group or app (and an overflowing queue) ask for
 * one full sync instead.
 *
 * Subscribe the hook to `user.lifecycle.*`, `user.account.update_profile`, `group.user_membership.add`
 * / `remove` and `application.user_membership.*` (the guide lists them and the registration call).
 *
 * @throws {ConfigError} a missing or short secret, or neither `config` nor both `reconcile` and `fullSync`.
 */
export function createOktaEventHookHandler(options: OktaEventHookHandlerOptions): OktaEventHookHandler {
  const secretValue = options.secret instanceof Secret ? options.secret.reveal() : options.secret;
  if (typeof secretValue !== 'string' || secretValue.length < 16) {
    throw new ConfigError(
      'secret',
      'the event hook secret must be at least 16 characters (the Authorization value registered with the hook)',
    );
  }
  const expected = digest(secretValue);
  const { config } = options;
  if (config === undefined && (options.reconcile === undefined || options.fullSync === undefined)) {
    throw new ConfigError('config', 'is required unless both reconcile and fullSync are given');
  }
  const emit = (event: OktaHookEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure is not the handler's.
    }
  };
  const syncOptions: SyncUsersOptions = {};
  for (const key of ['context', 'offboard', 'renames', 'adopt', 'pace', 'concurrency'] as const) {
    if (options[key] !== undefined) Object.assign(syncOptions, { [key]: options[key] });
  }
  const clock = options.clock ?? syncOptions.context?.clock ?? systemClock;
  const reconcile =
    options.reconcile ??
    (async (ids: string[]) => {
      const started = clock.now();
      const result = await syncUsers(config as ConnectSsoConfig | ResolvedConfig, {
        ...syncOptions,
        only: ids,
      });
      const retry = [
        ...new Set(result.failed.map((u) => u.oktaUserId).filter((id): id is string => id !== undefined)),
      ];
      emit({ type: 'reconciled', users: ids.length, retry: retry.length, ms: clock.now() - started, result });
      return retry;
    });
  const fullSync =
    options.fullSync ??
    (async () => {
      const started = clock.now();
      const result = await syncUsers(config as ConnectSsoConfig | ResolvedConfig, syncOptions);
      emit({ type: 'full-sync', ms: clock.now() - started, result });
    });
  const custom = { reconcile: options.reconcile !== undefined, fullSync: options.fullSync !== undefined };
  const queue = new ReconcileQueue(
    {
      reconcile: async (ids) => (await reconcile(ids)) ?? [],
      fullSync: async () => {
        await fullSync();
      },
    },
    {
      maxQueue: options.maxQueue ?? 1000,
      batchSize: options.batchSize ?? 25,
      batchDelayMs: options.batchDelayMs ?? 1000,
      maxAttempts: options.maxAttempts ?? 3,
      clock,
      onEvent: (event) => {
        if (event.type === 'batch-failed') emit({ type: 'failed', what: 'batch', error: event.error });
        else if (event.type === 'full-sync-failed')
          emit({ type: 'failed', what: 'full-sync', error: event.error });
        else if (event.type === 'overflow') emit({ type: 'overflow', dropped: event.dropped });
        else if (event.type === 'batch-finished' && custom.reconcile)
          emit({ type: 'reconciled', users: event.ids, retry: event.retry, ms: event.ms });
        else if (event.type === 'full-sync-finished' && custom.fullSync)
          emit({ type: 'full-sync', ms: event.ms });
      },
    },
  );
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const remember = options.rememberEvents ?? 10_000;
  const seen = new Map<string, true>();
  const counts = { deliveries: 0, rejected: 0, duplicates: 0 };

  const reject = (status: number, reason: string) => {
    counts.rejected++;
    emit({ type: 'rejected', status, reason });
    return refuse(status, reason);
  };

  const authorized = (request: OktaHookRequest): boolean => {
    const given = header(request, 'authorization');
    // Digests of equal length, compared in constant time: neither the value nor its length leaks.
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };

  const handle = async (request: OktaHookRequest): Promise<OktaHookResponse> => {
    const method = String(request.method ?? '').toUpperCase();
    if (method !== 'GET' && method !== 'POST')
      return reject(405, 'only GET (verification) and POST (events)');
    if (!authorized(request)) return reject(401, 'unauthorized');
    if (method === 'GET') {
      const challenge = header(request, 'x-okta-verification-challenge');
      if (challenge === undefined || challenge === '') {
        return reject(400, 'a GET must carry X-Okta-Verification-Challenge');
      }
      emit({ type: 'verification' });
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ verification: challenge }) };
    }
    let payload: unknown;
    const body = request.body;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
      if (size > maxBody) return reject(413, `the body is larger than ${maxBody} bytes`);
      try {
        payload = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
      } catch {
        return reject(400, 'the body is not JSON');
      }
    } else payload = body;
    const events = (payload as { data?: { events?: unknown } } | null | undefined)?.data?.events;
    if (!Array.isArray(events))
      return reject(400, 'expected an Okta event hook delivery ({ data: { events: [...] } })');

    const users = new Set<string>();
    let duplicates = 0;
    let whole = false;
    for (const raw of events as HookEventJson[]) {
      if (typeof raw !== 'object' || raw === null) continue;
      if (typeof raw.uuid === 'string') {
        if (seen.has(raw.uuid)) {
          duplicates++;
          continue;
        }
        seen.set(raw.uuid, true);
        if (seen.size > remember) seen.delete(seen.keys().next().value as string);
      }
      const targets = Array.isArray(raw.target) ? (raw.target as { id?: unknown; type?: unknown }[]) : [];
      let named = false;
      for (const t of targets) {
        if (t && t.type === 'User' && typeof t.id === 'string' && /^[A-Za-z0-9]{1,64}$/.test(t.id)) {
          users.add(t.id);
          named = true;
        }
      }
      if (!named && typeof raw.eventType === 'string' && WHOLE_SCOPE_EVENTS.test(raw.eventType)) whole = true;
    }
    counts.deliveries++;
    counts.duplicates += duplicates;
    emit({ type: 'delivery', events: events.length, duplicates, users: users.size, fullSync: whole });
    // Acknowledge first: the work runs after this answer (Okta waits at most 3 s).
    if (users.size > 0) queue.add(users);
    if (whole) queue.requestFullSync();
    return { status: 200, headers: {}, body: '' };
  };

  return Object.assign(handle, {
    idle: () => queue.idle(),
    requestFullSync: () => queue.requestFullSync(),
    enqueue: (ids: readonly string[]) => {
      queue.add(ids);
    },
    stats: (): OktaEventHookStats => ({ ...counts, ...queue.stats() }),
    close: () => queue.close(),
  });
}
