/**
 * Back-off for the two waits of the flow that only real services need: polling a Connect instance
 * until ACTIVE, and retrying `CreateRole` while IAM has not yet propagated a new SAML provider.
 */
import type { Clock } from './context.js';
import { TimeoutError } from './errors.js';

export interface BackoffOptions {
  /** First delay, ms. Default 500. */
  initialDelayMs?: number;
  /** Longest delay between attempts, ms. Default 10 000. */
  maxDelayMs?: number;
  /** Give up after this long, ms. */
  timeoutMs: number;
  /** How much each delay grows over the one before. Default 2 (retries), 1.1 for {@link pollUntil}. */
  growth?: number;
  clock: Clock;
  signal?: AbortSignal | undefined;
}

/**
 * Thrown by {@link retryWithBackoff} and {@link pollUntil} when the time is up; `lastError` is the last
 * failure. A {@link TimeoutError} (code `TIMEOUT`), so callers need not know this class.
 */
export class BackoffTimeoutError extends TimeoutError {
  override name = 'BackoffTimeoutError';
  constructor(
    message: string,
    readonly lastError: unknown,
  ) {
    super(message, lastError === undefined ? undefined : { cause: lastError });
  }
}

/** Exponential delays with jitter (retries of a contended call), capped. */
function nextDelay(attempt: number, options: BackoffOptions): number {
  const base = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const exp = Math.min(cap, base * (options.growth ?? 2) ** attempt);
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * The delay before poll `attempt + 1` of a state that changes once (an instance becoming ACTIVE, a
 * console click): no jitter (nothing contends), growing slowly from `initialDelayMs` to `maxDelayMs`, so
 * that the poll that sees the change comes at most about `growth - 1` of the elapsed time after it.
 */
function nextPollDelay(attempt: number, options: BackoffOptions): number {
  const base = options.initialDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  return Math.round(Math.min(cap, base * (options.growth ?? 1.1) ** attempt));
}

/**
 * Call `fn` until it succeeds; retry only errors for which `retryable` says so, with exponential
 * back-off, until `timeoutMs` has passed. Honours the abort signal between attempts.
 */
export async function retryWithBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  retryable: (error: unknown) => boolean,
  options: BackoffOptions,
): Promise<T> {
  const start = options.clock.now();
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (!retryable(error)) throw error;
      const elapsed = options.clock.now() - start;
      const delay = Math.min(nextDelay(attempt, options), options.timeoutMs - elapsed);
      if (delay <= 0) {
        throw new BackoffTimeoutError(`gave up after ${attempt + 1} attempts in ${elapsed} ms`, error);
      }
      await options.clock.sleep(delay, options.signal);
    }
  }
}

/**
 * Poll `check` until it returns a value other than `undefined`, on a slowly growing schedule (see
 * `growth`), until `timeoutMs`.
 * @throws {BackoffTimeoutError} when the time is up.
 */
export async function pollUntil<T>(
  check: (attempt: number) => Promise<T | undefined>,
  options: BackoffOptions,
): Promise<T> {
  const start = options.clock.now();
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    const value = await check(attempt);
    if (value !== undefined) return value;
    const elapsed = options.clock.now() - start;
    const delay = Math.min(nextPollDelay(attempt, options), options.timeoutMs - elapsed);
    if (delay <= 0)
      throw new BackoffTimeoutError(`still waiting after ${attempt + 1} checks in ${elapsed} ms`, undefined);
    await options.clock.sleep(delay, options.signal);
  }
}
