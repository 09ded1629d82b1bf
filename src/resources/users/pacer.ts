/**
 * Pacing of Connect user calls at their quotas, so that a sync of thousands of users makes no failed call.
 *
 * Amazon Connect throttles the user APIs per account and region, shared by every instance and every
 * client of the account (research turn2 §0.4: `CreateUser`, `DeleteUser`, `UpdateUserIdentityInfo`,
 * `UpdateUserRoutingProfile`, `UpdateUserSecurityProfiles` and `SearchUsers` default to 2 requests/s;
 * `ListUsers` and `DescribeUser` to 10). Each kind of call gets a token bucket refilled at its quota,
 * shared by every run in the process that works on the same account and region with the same clock.
 * The buckets hold two tokens: a call that starts late (a busy event loop) does not lose its turn, and
 * the service's own bucket (burst 5) still has three tokens of room — 1.5 s of jitter between when
 * requests are sent and when they arrive — so calls sent at this pace are not throttled.
 *
 * A throttling answer anyway (another client spends the same quota) empties the bucket for a back-off
 * (exponential, with jitter, up to 30 s) and the call is retried, for up to ten minutes.
 */
import type { Clock, SsoContext } from '../../core/context.js';
import { ProviderError } from '../../core/errors.js';
import { awsErrorCode } from '../../providers/aws/call.js';
import { isOktaError } from '../../providers/okta/transport.js';

/** Whether an error is a throttling answer (AWS `ThrottlingException`, HTTP 429, Okta `E0000047`). */
export function isThrottling(error: unknown): boolean {
  if (error instanceof ProviderError && error.httpStatus === 429) return true;
  const code = awsErrorCode(error);
  if (code === 'ThrottlingException' || code === 'TooManyRequestsException' || code === 'Throttling') {
    return true;
  }
  return isOktaError(error, 'E0000047') || isOktaError(error, 429);
}

/** Requests per second of each kind of Connect user call (per account and region). */
export interface ConnectPaceLimits {
  /**
   * `CreateUser`, `DeleteUser` and every `UpdateUser…`, together: they share one bucket, so that the
   * pace holds whether the service counts them apart or together. Default 2.
   */
  userWritesPerSecond?: number;
  /** `SearchUsers`. Default 2. */
  searchesPerSecond?: number;
  /** `ListUsers` and `DescribeUser`, each. Default 10. */
  userReadsPerSecond?: number;
  /** Every other Connect call (profile and hierarchy lists, tags, security profile creation), each. Default 2. */
  otherPerSecond?: number;
}

const DEFAULT_LIMITS: Required<ConnectPaceLimits> = {
  userWritesPerSecond: 2,
  searchesPerSecond: 2,
  userReadsPerSecond: 10,
  otherPerSecond: 2,
};

const USER_WRITES = new Set([
  'CreateUser',
  'DeleteUser',
  'UpdateUserIdentityInfo',
  'UpdateUserRoutingProfile',
  'UpdateUserSecurityProfiles',
  'UpdateUserHierarchy',
  'UpdateUserPhoneConfig',
]);

/** Tokens a bucket holds: see the module comment (Connect's own bursts are 5). */
const BUCKET_CAPACITY = 2;

/** Keep retrying one throttled call for this long before its error is the caller's. */
const THROTTLE_GIVE_UP_MS = 10 * 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/** A token bucket on an injected clock; waiters are served in arrival order. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** No token before this time (a back-off after a throttling answer). */
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private tail: Promise<void> = Promise.resolve();

  /**
   * @param ratePerSecond - Refill rate.
   * @param capacity - Most tokens held (1: calls evenly spaced, no burst).
   * @param clock - The time the bucket refills on.
   */
  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    private readonly clock: Clock,
  ) {
    this.tokens = capacity;
    this.updatedAt = clock.now();
  }

  /** Wait for a token and take it. Callers are served first come, first served. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.wait(signal));
    // A waiter that is aborted must not block the ones behind it.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Empty the bucket and give no token for `ms` (after a throttling answer). */
  pause(ms: number): void {
    this.refill();
    this.tokens = 0;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  private refill(): void {
    const now = this.clock.now();
    const from = Math.max(this.updatedAt, this.pausedUntil);
    if (now > from) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - from) / 1000) * this.ratePerSecond);
    }
    this.updatedAt = Math.max(now, this.updatedAt);
  }

  private async wait(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      const now = this.clock.now();
      if (now >= this.pausedUntil && this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const untilPause = this.pausedUntil - now;
      const untilToken = ((1 - this.tokens) / this.ratePerSecond) * 1000;
      await this.clock.sleep(Math.max(1, untilPause > 0 ? untilPause + untilToken : untilToken), signal);
    }
  }
}

/** Counts of a pacer, for results and benchmarks. */
export interface PacerStats {
  /** Calls made through the pacer (attempts included). */
  calls: number;
  /** Throttling answers received (each was retried). */
  throttled: number;
}

/**
 * The pace of Connect user calls for one account and region. Get it with {@link connectPacer} (shared);
 * every call goes through {@link ConnectPacer.run}.
 */
export class ConnectPacer {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly limits: Required<ConnectPaceLimits>;
  /** Counts since the pacer was made. */
  readonly stats: PacerStats = { calls: 0, throttled: 0 };
  private failures = 0;

  /**
   * @param clock - The clock the buckets refill on and back-offs wait on.
   * @param limits - The quotas; the defaults are Connect's default quotas.
   */
  constructor(
    private readonly clock: Clock,
    limits: ConnectPaceLimits = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** The bucket an operation draws from. */
  bucketFor(operation: string): TokenBucket {
    let key: string;
    let rate: number;
    if (USER_WRITES.has(operation)) {
      key = 'user-writes';
      rate = this.limits.userWritesPerSecond;
    } else if (operation === 'SearchUsers') {
      key = operation;
      rate = this.limits.searchesPerSecond;
    } else if (operation === 'ListUsers' || operation === 'DescribeUser') {
      key = operation;
      rate = this.limits.userReadsPerSecond;
    } else {
      key = operation;
      rate = this.limits.otherPerSecond;
    }
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate, BUCKET_CAPACITY, this.clock);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /**
   * Run one call at the operation's pace; a throttling answer pauses the bucket and the call is made
   * again (up to ten minutes), any other error is the caller's.
   */
  async run<T>(
    ctx: Pick<SsoContext, 'signal' | 'logger'>,
    operation: string,
    call: () => Promise<T>,
  ): Promise<T> {
    const bucket = this.bucketFor(operation);
    const first = this.clock.now();
    for (;;) {
      await bucket.take(ctx.signal);
      this.stats.calls++;
      try {
        const result = await call();
        this.failures = 0;
        return result;
      } catch (error) {
        if (!isThrottling(error) || ctx.signal?.aborted) throw error;
        this.stats.throttled++;
        if (this.clock.now() - first > THROTTLE_GIVE_UP_MS) throw error;
        const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.failures++);
        const delay = Math.round(cap / 2 + Math.random() * (cap / 2));
        ctx.logger.warn(`connect ${operation} throttled: pausing ${delay} ms`, { operation, delay });
        bucket.pause(delay);
      }
    }
  }
}

const shared = new WeakMap<Clock, Map<string, ConnectPacer>>();

/**
 * The pacer of an account and region (shared by every run in this process with the same clock), or a
 * pacer of its own when `limits` are given.
 *
 * @param key - The account id (from the instance ARN) and the region.
 */
export function connectPacer(
  clock: Clock,
  key: { accountId: string; region: string },
  limits?: ConnectPaceLimits,
): ConnectPacer {
  if (limits !== undefined) return new ConnectPacer(clock, limits);
  let byKey = shared.get(clock);
  if (!byKey) {
    byKey = new Map();
    shared.set(clock, byKey);
  }
  const name = `${key.accountId}:${key.region}`;
  let pacer = byKey.get(name);
  if (!pacer) {
    pacer = new ConnectPacer(clock);
    byKey.set(name, pacer);
  }
  return pacer;
}
