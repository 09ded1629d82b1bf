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
import type { SandboxRequest } from '../emulator.js';
import { eventHookDispatcher, type OktaLogEvent } from './hook-delivery.js';
import type { JsonObject, OktaApp, OktaAppUser, OktaGroup, OktaUser } from './state.js';
import { type Ctx, okta, uuidOf } from './util.js';

export type { EventHookDelivery, EventHookDeliveryOptions, OktaLogEvent } from './hook-delivery.js';
export { attachEventHooks, EventHookDispatcher, eventHookDispatcher } from './hook-delivery.js';
export type { HookAnswer, HookCall } from './hook-http.js';
export { callHook, hookHeaders, isLoopbackUri } from './hook-http.js';

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
  eventHookDispatcher(ctx)?.publish(event);
  return event;
}
