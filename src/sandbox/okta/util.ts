/**
 * What the Okta handlers share: JSON narrowing, timestamps, identifiers, request bodies and responses.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext, SandboxRequest, SandboxResponse } from '../emulator.js';
import { badMediaType, malformedBody } from './errors.js';
import type { Json, JsonObject, OktaState } from './state.js';

export type Ctx = EmulatorContext;

export function okta(ctx: Ctx): OktaState {
  return upgradeOktaState(ctx.state.okta);
}

/** A state file written before event hooks and OAuth were emulated has no part for them. */
export function upgradeOktaState(state: OktaState): OktaState {
  const s = state as Partial<OktaState> & OktaState;
  s.eventHooks ??= {};
  s.oauth ??= { clients: {}, tokens: {}, usedJtis: {} };
  s.eventSeq ??= 0;
  return state;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getObject(parent: JsonObject, key: string): JsonObject | undefined {
  const value = parent[key];
  return isObject(value) ? value : undefined;
}

export function clone<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Defaults overlaid by `given`, recursively for nested objects (arrays and scalars replace). */
export function mergeDefaults(defaults: JsonObject, given: JsonObject | undefined): JsonObject {
  const out = clone(defaults);
  if (!given) return out;
  for (const [key, value] of Object.entries(given)) {
    const base = out[key];
    out[key] = isObject(base) && isObject(value) ? mergeDefaults(base, value) : clone(value);
  }
  return out;
}

/** Okta's timestamps: ISO 8601 with the milliseconds zeroed (`2025-03-13T23:50:03.000Z`). */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A 20-character Okta id (`0oa…` app, `00u…` user, `00g…` group, `exk…` IdP key, `oty…` user type,
 * `00o…` org). Like real ones they sort by creation time; paging cursors rely on that.
 */
export function newId(ctx: Ctx, prefix: string): string {
  const state = okta(ctx);
  state.seq += 1;
  return `${prefix}${state.seq.toString(36).padStart(6, '0')}${ctx.randomId(8, ID_ALPHABET)}1d7`;
}

/** A uuid-shaped digest of `text` (event uuids and delivery ids: deterministic, unique per input). */
export function uuidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = '89ab'[Number.parseInt(hex[16] ?? '0', 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function ensureOrg(ctx: Ctx): OktaState {
  const state = okta(ctx);
  if (!state.orgId) state.orgId = newId(ctx, '00o');
  if (!state.userTypeId) state.userTypeId = newId(ctx, 'oty');
  return state;
}

export function href(ctx: Ctx, path: string): { href: string } {
  return { href: `${ctx.origin}${path}` };
}

/**
 * The JSON body of a POST/PUT: absent → null; not JSON → 400 E0000019 (Content-Type) or E0000003
 * (malformed); not an object → E0000003.
 */
export function readJsonBody(req: SandboxRequest): JsonObject | null {
  if (req.body.length === 0) return null;
  const type = req.headers['content-type'];
  if (type !== undefined && !/json/i.test(type)) throw badMediaType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw malformedBody();
  }
  if (!isObject(parsed)) throw malformedBody();
  return parsed;
}

export function jsonResponse(
  ctx: Ctx,
  status: number,
  body: Json,
  headers: Record<string, string | string[]> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'X-Okta-Request-Id': ctx.requestId(), ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(ctx: Ctx): SandboxResponse {
  return { status: 204, headers: { 'X-Okta-Request-Id': ctx.requestId() }, body: '' };
}

/** A query flag (`activate=false`); absent → `fallback`. */
export function queryFlag(req: SandboxRequest, name: string, fallback: boolean): boolean {
  const value = req.query.get(name);
  if (value === null || value === '') return fallback;
  return value.toLowerCase() !== 'false';
}

export function stringOrNull(value: Json | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** Case-insensitive "starts with", as Okta's `q` parameters match. */
export function startsWithCi(value: Json | undefined, prefix: string): boolean {
  return typeof value === 'string' && value.toLowerCase().startsWith(prefix.toLowerCase());
}

/** Path parameters of a route, percent-decoded; those a route does not have are ''. */
export interface Params {
  appId: string;
  userId: string;
  groupId: string;
  keyId: string;
  featureName: string;
  id: string;
  eventHookId: string;
}
