/**
 * The Event Hooks API (`/api/v1/eventHooks`, spec tag EventHook): create (ACTIVE, UNVERIFIED), list,
 * get, full replace (a new channel must be verified again), delete (INACTIVE only), lifecycle activate /
 * deactivate, and the one-time verification: Okta GETs the hook's URI with the header
 * `X-Okta-Verification-Challenge` and expects `{"verification": "<that value>"}` back within 3 s (one
 * retry). Only ACTIVE and VERIFIED hooks receive events (./events.ts).
 *
 * `channel.config.authScheme.value` is write-only, as in Okta: never in a response. A replace that names
 * the same header without a value keeps the stored one.
 *
 * The spec asks for an HTTPS endpoint; the sandbox also takes `http://` on loopback, where test
 * endpoints live, and calls nothing off the machine.
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { blankField, notFound, validationFailed } from './errors.js';
import { callHook, eventHookDispatcher, hookHeaders, isLoopbackUri, requestSource } from './events.js';
import type { Json, JsonObject, OktaEventHook } from './state.js';
import {
  type Ctx,
  ensureOrg,
  getObject,
  href,
  isObject,
  iso,
  jsonResponse,
  newId,
  noContent,
  okta,
  type Params,
  readJsonBody,
} from './util.js';

const EVENT_TYPE = /^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+$/;

export function renderEventHook(ctx: Ctx, hook: OktaEventHook): JsonObject {
  const base = `/api/v1/eventHooks/${hook.id}`;
  const lifecycle = hook.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    id: hook.id,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    name: hook.name,
    description: hook.description,
    created: iso(hook.created),
    createdBy: hook.createdBy,
    lastUpdated: iso(hook.lastUpdated),
    events: { type: 'EVENT_TYPE', items: [...hook.eventTypes], filter: null },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri: hook.uri,
        headers: hook.headers.map((h) => ({ key: h.key, value: h.value })),
        authScheme: hook.authHeader ? { type: 'HEADER', key: hook.authHeader } : null,
        method: 'POST',
      },
    },
    _links: {
      self: { ...href(ctx, base), hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      verify: { ...href(ctx, `${base}/lifecycle/verify`), hints: { allow: ['POST'] } },
      [lifecycle]: { ...href(ctx, `${base}/lifecycle/${lifecycle}`), hints: { allow: ['POST'] } },
    },
  };
}

function requireHook(ctx: Ctx, id: string): OktaEventHook {
  const hooks = okta(ctx).eventHooks;
  const hook = Object.hasOwn(hooks, id) ? hooks[id] : undefined;
  if (!hook) throw notFound(id, 'EventHook');
  return hook;
}

interface HookInput {
  name: string;
  description: string | null;
  eventTypes: string[];
  uri: string;
  headers: { key: string; value: string }[];
  authHeader: string | null;
  /** undefined: not given (a replace keeps the stored value for the same header). */
  secret: string | undefined;
}

function stringField(value: Json | undefined, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw blankField(field);
  return value;
}

/** Validate an EventHook body as the spec describes it. @throws 400 E0000001 naming the field */
function readHook(body: JsonObject | null): HookInput {
  if (!body) throw blankField('name');
  const name = stringField(body.name, 'name');
  const description = body.description;
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw validationFailed('description', 'description: Does not match required type string.');
  }
  const events = getObject(body, 'events');
  if (!events) throw blankField('events');
  if (events.type !== 'EVENT_TYPE') {
    throw validationFailed('events.type', 'events.type: Not one of the allowed values: EVENT_TYPE.');
  }
  const items = events.items;
  if (!Array.isArray(items) || items.length === 0) throw blankField('events.items');
  for (const item of items) {
    if (typeof item !== 'string' || !EVENT_TYPE.test(item)) {
      throw validationFailed('events.items', `events.items: ${JSON.stringify(item)} is not an event type.`);
    }
  }
  const channel = getObject(body, 'channel');
  if (!channel) throw blankField('channel');
  if (channel.type !== 'HTTP') {
    throw validationFailed('channel.type', 'channel.type: Not one of the allowed values: HTTP.');
  }
  if (channel.version !== '1.0.0') {
    throw validationFailed('channel.version', 'channel.version: Only version 1.0.0 is supported.');
  }
  const config = getObject(channel, 'config');
  if (!config) throw blankField('channel.config');
  const uri = stringField(config.uri, 'channel.config.uri');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw validationFailed('channel.config.uri', 'channel.config.uri: Must be a valid URL.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUri(uri))) {
    throw validationFailed('channel.config.uri', 'channel.config.uri: The URI must use HTTPS.');
  }
  const headers: { key: string; value: string }[] = [];
  const givenHeaders = config.headers;
  if (givenHeaders !== undefined && givenHeaders !== null) {
    if (!Array.isArray(givenHeaders)) {
      throw validationFailed(
        'channel.config.headers',
        'channel.config.headers: Does not match required type array.',
      );
    }
    for (const header of givenHeaders) {
      if (header === null) continue;
      if (
        !isObject(header) ||
        typeof header.key !== 'string' ||
        typeof header.value !== 'string' ||
        header.key === ''
      ) {
        throw validationFailed(
          'channel.config.headers',
          'channel.config.headers: Each header needs a key and a value.',
        );
      }
      headers.push({ key: header.key, value: header.value });
    }
  }
  let authHeader: string | null = null;
  let secret: string | undefined;
  const authScheme = config.authScheme;
  if (authScheme !== undefined && authScheme !== null) {
    if (!isObject(authScheme) || authScheme.type !== 'HEADER') {
      throw validationFailed(
        'channel.config.authScheme.type',
        'channel.config.authScheme.type: Not one of the allowed values: HEADER.',
      );
    }
    authHeader = stringField(authScheme.key, 'channel.config.authScheme.key');
    if (authScheme.value !== undefined && authScheme.value !== null) {
      secret = stringField(authScheme.value, 'channel.config.authScheme.value');
    }
  }
  return {
    name,
    description: typeof description === 'string' ? description : null,
    eventTypes: [...new Set(items as string[])],
    uri,
    headers,
    authHeader,
    secret,
  };
}

export function createEventHook(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const input = readHook(readJsonBody(req));
  if (input.authHeader && input.secret === undefined) throw blankField('channel.config.authScheme.value');
  ensureOrg(ctx);
  const now = ctx.now();
  const hook: OktaEventHook = {
    id: newId(ctx, 'who'),
    name: input.name,
    description: input.description,
    status: 'ACTIVE',
    verificationStatus: 'UNVERIFIED',
    created: now,
    lastUpdated: now,
    createdBy: requestSource(ctx, req).actor.id,
    eventTypes: input.eventTypes,
    uri: input.uri,
    headers: input.headers,
    authHeader: input.authHeader,
    secret: input.secret ?? null,
  };
  okta(ctx).eventHooks[hook.id] = hook;
  return jsonResponse(ctx, 200, renderEventHook(ctx, hook));
}

export function listEventHooks(ctx: Ctx): SandboxResponse {
  const hooks = Object.values(okta(ctx).eventHooks).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return jsonResponse(
    ctx,
    200,
    hooks.map((h) => renderEventHook(ctx, h)),
  );
}

export function getEventHook(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  return jsonResponse(ctx, 200, renderEventHook(ctx, requireHook(ctx, params.eventHookId)));
}

export function replaceEventHook(ctx: Ctx, req: SandboxRequest, params: Params): SandboxResponse {
  const hook = requireHook(ctx, params.eventHookId);
  const input = readHook(readJsonBody(req));
  const secret =
    input.authHeader === null
      ? null
      : input.secret !== undefined
        ? input.secret
        : input.authHeader === hook.authHeader
          ? hook.secret
          : undefined;
  if (secret === undefined) throw blankField('channel.config.authScheme.value');
  const channelChanged =
    input.uri !== hook.uri ||
    JSON.stringify(input.headers) !== JSON.stringify(hook.headers) ||
    input.authHeader !== hook.authHeader ||
    secret !== hook.secret;
  hook.name = input.name;
  hook.description = input.description;
  hook.eventTypes = input.eventTypes;
  hook.uri = input.uri;
  hook.headers = input.headers;
  hook.authHeader = input.authHeader;
  hook.secret = secret;
  if (channelChanged) hook.verificationStatus = 'UNVERIFIED';
  hook.lastUpdated = ctx.now();
  return jsonResponse(ctx, 200, renderEventHook(ctx, hook));
}

export function deleteEventHook(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  const hook = requireHook(ctx, params.eventHookId);
  if (hook.status === 'ACTIVE') {
    // [unverified wording] The spec: "you can only delete event hooks with a status of INACTIVE".
    throw validationFailed(
      'status',
      'status: Only an INACTIVE event hook can be deleted; deactivate it first.',
    );
  }
  delete okta(ctx).eventHooks[hook.id];
  return noContent(ctx);
}

function lifecycle(status: OktaEventHook['status']) {
  return (ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse => {
    const hook = requireHook(ctx, params.eventHookId);
    if (hook.status !== status) {
      hook.status = status;
      hook.lastUpdated = ctx.now();
    }
    return jsonResponse(ctx, 200, renderEventHook(ctx, hook));
  };
}

export const activateEventHook = lifecycle('ACTIVE');
export const deactivateEventHook = lifecycle('INACTIVE');

/** Why a verification answer is not the one Okta expects, or undefined when it is. */
function verificationProblem(
  answer: { status: number; body: string; error?: string },
  challenge: string,
): string | undefined {
  if (answer.error) return answer.error;
  if (answer.status < 200 || answer.status >= 300) return `the endpoint answered ${answer.status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return 'the answer is not JSON';
  }
  const value = isObject(parsed as Json) ? (parsed as JsonObject).verification : undefined;
  return value === challenge ? undefined : 'the answer does not hold {"verification": <the challenge>}';
}

export async function verifyEventHook(
  ctx: Ctx,
  _req: SandboxRequest,
  params: Params,
): Promise<SandboxResponse> {
  const hook = requireHook(ctx, params.eventHookId);
  const challenge = ctx.randomId(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
  const timeoutMs = eventHookDispatcher(ctx)?.timeoutMs ?? 3000;
  let problem: string | undefined;
  // One retry after a timeout or an error answer, as for deliveries.
  for (let attempt = 1; attempt <= 2; attempt++) {
    const answer = await callHook(hook.uri, {
      method: 'GET',
      headers: { ...hookHeaders(hook), 'X-Okta-Verification-Challenge': challenge },
      timeoutMs,
    });
    problem = verificationProblem(answer, challenge);
    if (!problem || (answer.status >= 400 && answer.status < 500)) break;
  }
  const current = okta(ctx).eventHooks[hook.id];
  if (problem || !current) {
    // [unverified wording]
    throw validationFailed(
      'verification',
      `Could not verify the event hook at ${hook.uri}: ${problem ?? 'it was deleted'}.`,
    );
  }
  current.verificationStatus = 'VERIFIED';
  current.lastUpdated = ctx.now();
  return jsonResponse(ctx, 200, renderEventHook(ctx, current));
}
