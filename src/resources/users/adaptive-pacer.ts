/**
 * An adaptive pace per operation and client, learned from throttling: what `reconcileUsers` wraps its
 * per-user calls in, so that a few thousand creations against Connect's `CreateUser` quota (2/s) all
 * succeed instead of exhausting the SDK's retry budget. (A sync paces Connect at its known quotas
 * instead: pacer.ts.)
 */
import type { SsoContext } from '../../core/context.js';
import { isThrottling } from './pacer.js';

/** Keep retrying one throttled call for this long before giving up (the error is then the user's). */
const THROTTLE_GIVE_UP_MS = 10 * 60_000;
const MIN_RATE = 0.05;
const MAX_RATE = 1000;

/**
 * An adaptive pace for one operation against one client: no limit until the first throttling error,
 * then a rate (calls/s) that drops by 30% on a throttling error and grows 2% on each success (AIMD-like),
 * with calls started no closer than 1/rate apart. The calls that were already in flight when the rate
 * dropped do not drop it again when they come back throttled too: one cut per congestion event. Shared by
 * every reconciliation that uses the same client, since a quota is per account, not per run.
 */
class Pacer {
  private rate = Number.POSITIVE_INFINITY;
  private nextStart = 0;
  /** When the rate was last lowered. */
  private lastCut = Number.NEGATIVE_INFINITY;
  /** Start times of recent successes, until the first throttling error (to guess a first rate). */
  private recent: number[] = [];

  async run<T>(ctx: SsoContext, operation: string, call: () => Promise<T>): Promise<T> {
    const first = ctx.clock.now();
    for (;;) {
      await this.slot(ctx);
      const started = ctx.clock.now();
      try {
        const result = await call();
        this.succeeded(started);
        return result;
      } catch (error) {
        if (!isThrottling(error) || ctx.signal?.aborted) throw error;
        const now = ctx.clock.now();
        if (now - first > THROTTLE_GIVE_UP_MS) throw error;
        if (this.throttled(now, started)) {
          ctx.logger.debug(`${operation} throttled: pace lowered to ${this.rate.toFixed(2)}/s`, {
            operation,
          });
        }
      }
    }
  }

  /** Wait for this call's turn; a call still waiting when the rate drops queues again at the new pace. */
  private async slot(ctx: SsoContext): Promise<void> {
    for (;;) {
      if (!Number.isFinite(this.rate)) return;
      const cut = this.lastCut;
      const now = ctx.clock.now();
      const start = Math.max(now, this.nextStart);
      this.nextStart = start + 1000 / this.rate;
      if (start <= now) return;
      await ctx.clock.sleep(start - now, ctx.signal);
      if (this.lastCut === cut) return;
    }
  }

  private succeeded(started: number): void {
    if (Number.isFinite(this.rate)) {
      this.rate = Math.min(MAX_RATE, this.rate * 1.02);
      return;
    }
    this.recent.push(started);
    if (this.recent.length > 64) this.recent.shift();
  }

  /** Lower the rate unless the call started before the last cut; whether it was lowered. */
  private throttled(now: number, started: number): boolean {
    if (started < this.lastCut) return false;
    const base = Number.isFinite(this.rate)
      ? this.rate
      : Math.max(1, this.recent.filter((t) => t > now - 1000).length);
    this.recent = [];
    this.rate = Math.max(MIN_RATE, base * 0.7);
    this.lastCut = now;
    this.nextStart = Math.max(this.nextStart, now + 1000 / this.rate);
    return true;
  }
}

const pacers = new WeakMap<object, Map<string, Pacer>>();

/** The pace of `operation` on `client`, shared by every run that uses the same client. */
export function pacerFor(client: object, operation: string): Pacer {
  let byOperation = pacers.get(client);
  if (!byOperation) {
    byOperation = new Map();
    pacers.set(client, byOperation);
  }
  let pacer = byOperation.get(operation);
  if (!pacer) {
    pacer = new Pacer();
    byOperation.set(operation, pacer);
  }
  return pacer;
}

/** The pace of one operation: runs `call`, retrying it on throttling at a lowered rate. */
export type Pace = <T>(operation: string, call: () => Promise<T>) => Promise<T>;
