/**
 * What the Connect operations share: the service's errors, own-property records, opaque page tokens, and
 * finding an instance (with its lazy CREATION_IN_PROGRESS → ACTIVE | CREATION_FAILED move).
 */
import { modelError } from '../aws-model.js';
import type { EmulatorContext, ServiceError } from '../emulator.js';
import type { ConnectInstanceState, ConnectNamedResource } from './state.js';

// ---------------------------------------------------------------------------------------------------
// Errors: the status and fault of each code come from the model (smithy.api#httpError).

export type ConnectErrorCode =
  | 'DuplicateResourceException'
  | 'InvalidParameterException'
  | 'InvalidRequestException'
  | 'ResourceNotFoundException'
  | 'ServiceQuotaExceededException'
  | 'ThrottlingException'
  | 'UserNotFoundException'
  | 'InternalServiceException'
  | 'LimitExceededException'
  | 'ResourceInUseException';

export function connectError(code: ConnectErrorCode, message: string): ServiceError {
  return modelError('connect', code, message);
}

export const invalidRequest = (message: string): ServiceError =>
  connectError('InvalidRequestException', message);
export const invalidParameter = (message: string): ServiceError =>
  connectError('InvalidParameterException', message);
export const notFound = (message: string): ServiceError => connectError('ResourceNotFoundException', message);

// ---------------------------------------------------------------------------------------------------
// Own-property records: keys chosen by callers (usernames, tag keys) may be `__proto__` or `constructor`.

export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

export function deleteOwn<T>(record: Record<string, T>, key: string): void {
  if (Object.hasOwn(record, key)) delete record[key];
}

/** A copy of a string record as a fresh object (for output), keeping odd keys as own properties. */
export function copyRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) setOwn(out, key, value);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Time

/** A state time (epoch ms) as an output timestamp; the wire layer writes epoch seconds. */
export function timestamp(ms: number): Date {
  return new Date(ms);
}

/** The region of the current request: the SigV4 scope region (Connect resources are regional). */
export function requestRegion(ctx: EmulatorContext): string {
  return ctx.signedRegion ?? ctx.region;
}

// ---------------------------------------------------------------------------------------------------
// Creating a named resource

/** LimitExceededException when the instance already holds `max` of them (Connect's service quotas). */
export function requireBelowQuota(count: number, max: number, plural: string): void {
  if (count >= max) {
    throw connectError('LimitExceededException', `The instance has ${max} ${plural}, the most it can have.`);
  }
}

/**
 * What every resource a Create makes starts with: a new id, its ARN under the instance's
 * (`<instance-arn>/<kind>/<id>`), the name, when and in which region, a copy of the tags.
 */
export function newNamedResource(
  ctx: EmulatorContext,
  instance: ConnectInstanceState,
  kind: string,
  name: string,
  tags: Record<string, string> | undefined,
): ConnectNamedResource {
  const id = ctx.uuid();
  return {
    id,
    arn: `${instance.arn}/${kind}/${id}`,
    name,
    lastModifiedAt: ctx.now(),
    lastModifiedRegion: requestRegion(ctx),
    tags: copyRecord(tags ?? {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Paging: an opaque token holding the last key returned and the offset of the next item. Resuming is O(1)
// when nothing moved, and still correct (by the key) when items were created or deleted in between.

interface PageCursor {
  /** Which listing the token belongs to (operation and scope). */
  s: string;
  /** Last key returned. */
  k: string;
  /** Offset of the next item when the token was issued. */
  o: number;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * One page of `keys` (in their stable order). `scope` binds the token to one listing; a token of another
 * listing or a made-up token is rejected with `badToken`.
 */
export function pageOf<T>(
  keys: readonly string[],
  get: (key: string) => T,
  opts: { scope: string; nextToken?: string | undefined; maxResults: number; badToken: () => ServiceError },
): Page<T> {
  let start = 0;
  if (opts.nextToken !== undefined) {
    const cursor = decodeCursor(opts.nextToken);
    if (!cursor || cursor.s !== opts.scope) throw opts.badToken();
    if (keys[cursor.o - 1] === cursor.k) start = cursor.o;
    else {
      const at = keys.indexOf(cursor.k);
      start = at >= 0 ? at + 1 : Math.min(cursor.o, keys.length);
    }
  }
  const slice = keys.slice(start, start + opts.maxResults);
  const page: Page<T> = { items: slice.map(get) };
  const end = start + slice.length;
  const last = slice[slice.length - 1];
  if (end < keys.length && last !== undefined)
    page.nextToken = encodeCursor({ s: opts.scope, k: last, o: end });
  return page;
}

function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(token: string): PageCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { s, k, o } = value as Record<string, unknown>;
    if (
      typeof s !== 'string' ||
      typeof k !== 'string' ||
      typeof o !== 'number' ||
      !Number.isInteger(o) ||
      o < 0
    ) {
      return undefined;
    }
    return { s, k, o };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Instances

/** Failed instances are returned only for 24 hours after CreateInstance (model documentation). */
export const FAILED_INSTANCE_VISIBLE_MS = 24 * 60 * 60 * 1000;

export const CREATION_FAILED_MESSAGE =
  'Instance creation failed: an internal error occurred while provisioning the instance. Delete it and create it again.';

const DEFAULT_SECURITY_PROFILES = ['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst'] as const;

/**
 * Bring an instance up to date with the sandbox clock: CREATION_IN_PROGRESS ends at `readyAt` in ACTIVE
 * (the default profiles and queue appear) or CREATION_FAILED. Returns false when the instance is gone (a
 * failed instance older than 24 hours is dropped, and its alias is free again).
 */
export function refreshInstance(ctx: EmulatorContext, instance: ConnectInstanceState): boolean {
  const now = ctx.now();
  if (instance.status === 'CREATION_IN_PROGRESS' && now >= instance.readyAt) {
    if (instance.willFail) {
      instance.status = 'CREATION_FAILED';
      instance.statusReason = CREATION_FAILED_MESSAGE;
    } else {
      instance.status = 'ACTIVE';
      createDefaultResources(ctx, instance, instance.readyAt);
    }
  }
  if (instance.status === 'CREATION_FAILED' && now - instance.createdAt >= FAILED_INSTANCE_VISIBLE_MS) {
    removeInstance(ctx, instance);
    return false;
  }
  return true;
}

function createDefaultResources(ctx: EmulatorContext, instance: ConnectInstanceState, at: number): void {
  const make = (kind: string, name: string): ConnectNamedResource => {
    const id = ctx.uuid();
    return {
      id,
      arn: `${instance.arn}/${kind}/${id}`,
      name,
      lastModifiedAt: at,
      lastModifiedRegion: instance.region,
      tags: {},
    };
  };
  for (const name of DEFAULT_SECURITY_PROFILES) {
    const profile = make('security-profile', name);
    instance.securityProfiles[profile.id] = profile;
  }
  const queue = make('queue', 'BasicQueue');
  instance.queues[queue.id] = queue;
  const routing = make('routing-profile', 'Basic Routing Profile');
  instance.routingProfiles[routing.id] = {
    ...routing,
    description: 'Default routing profile',
    defaultOutboundQueueId: queue.id,
    mediaConcurrencies: [{ channel: 'VOICE', concurrency: 1 }],
    queueConfigs: [{ queueId: queue.id, channel: 'VOICE', priority: 1, delay: 0 }],
    isDefault: true,
  };
}

/** Forget an instance: its alias becomes free. */
export function removeInstance(ctx: EmulatorContext, instance: ConnectInstanceState): void {
  const state = ctx.state.connect;
  delete state.instances[instance.id];
  if (instance.alias !== undefined) {
    const key = instance.alias.toLowerCase();
    if (getOwn(state.aliases, key) === instance.id) deleteOwn(state.aliases, key);
  }
}

/** The instance id from an `InstanceId` that may also be given as the instance ARN. */
export function instanceIdOf(value: string): string {
  const match = /^arn:aws[\w-]*:connect:[^:]*:\d{12}:instance\/([^/]+)$/.exec(value);
  return match?.[1] ?? value;
}

/** The instance in the request's region, brought up to date; ResourceNotFoundException when there is none. */
export function findInstance(ctx: EmulatorContext, instanceId: string): ConnectInstanceState {
  const id = instanceIdOf(instanceId);
  const instance = getOwn(ctx.state.connect.instances, id);
  if (!instance || instance.region !== requestRegion(ctx) || !refreshInstance(ctx, instance)) {
    throw notFound('Instance not found');
  }
  return instance;
}

/**
 * An instance whose users and profiles can be used: ACTIVE. Until then its directory does not exist, so
 * the user and profile operations answer ResourceNotFoundException.
 */
export function activeInstance(ctx: EmulatorContext, instanceId: string): ConnectInstanceState {
  const instance = findInstance(ctx, instanceId);
  if (instance.status !== 'ACTIVE') {
    throw notFound(`Instance ${instance.id} is not active: its status is ${instance.status}`);
  }
  return instance;
}

/** How List… and Describe… calls summarise a named resource (profiles, hierarchy levels and groups). */
export function namedSummary(
  resource: Pick<ConnectNamedResource, 'id' | 'arn' | 'name' | 'lastModifiedAt' | 'lastModifiedRegion'>,
) {
  return {
    Id: resource.id,
    Arn: resource.arn,
    Name: resource.name,
    LastModifiedTime: timestamp(resource.lastModifiedAt),
    LastModifiedRegion: resource.lastModifiedRegion,
  };
}
