/**
 * Deterministic randomness, injected faults and rate limits.
 */
import type { FaultSpec, ServiceName } from './types.js';

/** mulberry32: a tiny, fast, seedable generator whose whole state is one 32-bit number. */
export class SeededRandom {
  constructor(public state: number) {}

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  string(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  uuid(): string {
    const hex = this.string(32, '0123456789abcdef');
    const variant = '89ab'[Math.floor(this.next() * 4)];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** Decides, per request, whether a configured fault hits it. */
export class FaultInjector {
  private readonly counters: { seen: number; hits: number }[];
  private readonly random: SeededRandom;

  constructor(
    private readonly faults: readonly FaultSpec[],
    seed: number,
  ) {
    this.counters = faults.map(() => ({ seen: 0, hits: 0 }));
    // A stream of its own, so that faults never shift the identifiers the sandbox hands out.
    this.random = new SeededRandom(seed ^ 0x5bd1e995);
  }

  pick(service: ServiceName, operation: string): FaultSpec['kind'] | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const fault = this.faults[i] as FaultSpec;
      const counter = this.counters[i] as { seen: number; hits: number };
      if (fault.service !== service) continue;
      if (fault.operation !== undefined && fault.operation !== operation) continue;
      counter.seen++;
      if (counter.seen <= (fault.after ?? 0)) continue;
      if (fault.times !== undefined && counter.hits >= fault.times) continue;
      if (this.random.next() >= (fault.probability ?? 1)) continue;
      counter.hits++;
      return fault.kind;
    }
    return undefined;
  }
}

/** A token bucket: `ratePerSecond` refill, `burst` capacity. */
class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Okta's per-minute window for one endpoint family. */
class MinuteWindow {
  private windowStart = -1;
  private used = 0;

  constructor(readonly limit: number) {}

  take(now: number): { allowed: boolean; remaining: number; resetEpochSeconds: number } {
    if (this.windowStart < 0 || now >= this.windowStart + 60_000) {
      this.windowStart = now;
      this.used = 0;
    }
    const allowed = this.used < this.limit;
    if (allowed) this.used++;
    return {
      allowed,
      remaining: this.limit - this.used,
      resetEpochSeconds: Math.ceil((this.windowStart + 60_000) / 1000),
    };
  }
}

/**
 * Okta endpoint families and their per-minute limits, after Okta's default management-API limits
 * (developer.okta.com "Management rate limits"): list/create endpoints are tighter than single-resource
 * endpoints.
 */
const OKTA_FAMILIES: { pattern: RegExp; name: string; perMinute: number }[] = [
  { pattern: /^\/api\/v1\/apps\/?$/, name: 'apps', perMinute: 100 },
  { pattern: /^\/api\/v1\/apps\/[^/]+/, name: 'apps/{id}', perMinute: 500 },
  { pattern: /^\/api\/v1\/users\/?$/, name: 'users', perMinute: 600 },
  { pattern: /^\/api\/v1\/users\/[^/]+/, name: 'users/{id}', perMinute: 2000 },
  { pattern: /^\/api\/v1\/groups/, name: 'groups', perMinute: 500 },
  { pattern: /./, name: 'other', perMinute: 1200 },
];

/**
 * Amazon Connect's default API quotas (requests per second, per account and region, shared across
 * instances) from the Service Quotas listing (research turn2.md §0.4): the user writes at 2/s, ListUsers
 * and DescribeUser at 10/s. The burst of 5 is the archived admin guide's ("RateLimit 2 … BurstLimit 5").
 * Every other operation gets a looser 10/s (burst 20) — including SearchUsers and DescribeInstance, which
 * the listing puts at 2/s: the sandbox does not throttle lookups that hard.
 */
const CONNECT_QUOTAS: Readonly<Record<string, { rate: number; burst: number }>> = {
  CreateUser: { rate: 2, burst: 5 },
  DeleteUser: { rate: 2, burst: 5 },
  UpdateUserIdentityInfo: { rate: 2, burst: 5 },
  UpdateUserRoutingProfile: { rate: 2, burst: 5 },
  UpdateUserSecurityProfiles: { rate: 2, burst: 5 },
  UpdateUserHierarchy: { rate: 2, burst: 5 },
  ListUsers: { rate: 10, burst: 10 },
  DescribeUser: { rate: 10, burst: 10 },
};
const CONNECT_DEFAULT_QUOTA = { rate: 10, burst: 20 };

export interface RateDecision {
  allowed: boolean;
  /** For Okta: the values of the `X-Rate-Limit-*` headers. */
  okta?: { limit: number; remaining: number; resetEpochSeconds: number };
}

/** Rate limits per service; `realistic` mimics the default quotas, `off` lets everything through. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly windows = new Map<string, MinuteWindow>();

  constructor(private readonly mode: 'off' | 'realistic') {}

  /**
   * One request's decision. `region` is the request's SigV4 scope region: Connect's quotas are per
   * account and region.
   */
  take(
    service: ServiceName,
    operation: string,
    write: boolean,
    path: string,
    now: number,
    region?: string,
  ): RateDecision {
    if (service === 'okta') {
      const family =
        OKTA_FAMILIES.find((f) => f.pattern.test(path)) ??
        (OKTA_FAMILIES.at(-1) as (typeof OKTA_FAMILIES)[0]);
      if (this.mode === 'off') {
        return {
          allowed: true,
          okta: {
            limit: family.perMinute,
            remaining: family.perMinute - 1,
            resetEpochSeconds: Math.ceil(now / 1000) + 60,
          },
        };
      }
      let window = this.windows.get(family.name);
      if (!window) {
        window = new MinuteWindow(family.perMinute);
        this.windows.set(family.name, window);
      }
      const { allowed, remaining, resetEpochSeconds } = window.take(now);
      return { allowed, okta: { limit: family.perMinute, remaining, resetEpochSeconds } };
    }
    if (this.mode === 'off') return { allowed: true };
    let key: string;
    let rate: number;
    let burst: number;
    if (service === 'connect') {
      // Per API, per account and region, shared by every instance (research turn2.md §0.4).
      const quota = CONNECT_QUOTAS[operation] ?? CONNECT_DEFAULT_QUOTA;
      [key, rate, burst] = [`connect:${region ?? ''}:${operation}`, quota.rate, quota.burst];
    } else {
      // IAM's control plane throttles mutating calls well before reads.
      [key, rate, burst] = write ? [`${service}:write`, 15, 30] : [`${service}:read`, 50, 100];
    }
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate, burst, now);
      this.buckets.set(key, bucket);
    }
    return { allowed: bucket.take(now) };
  }
}
