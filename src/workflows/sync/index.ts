/**
 * Day two: keep Connect users in sync with Okta — `syncUsers` (a full or targeted reconcile) and the
 * event hook handler that triggers targeted ones.
 */
export type {
  HeaderLookup,
  OktaEventHookHandler,
  OktaEventHookHandlerOptions,
  OktaEventHookStats,
  OktaHookEvent,
  OktaHookRequest,
  OktaHookResponse,
} from './hook.js';
export { createOktaEventHookHandler } from './hook.js';
export type { OktaEventHookListenerOptions } from './http.js';
export { oktaEventHookListener } from './http.js';
export { syncUsers } from './sync.js';
export type {
  ConnectPaceLimits,
  SyncAction,
  SyncCounts,
  SyncEvent,
  SyncUserOutcome,
  SyncUserProfiles,
  SyncUsersOptions,
  SyncUsersResult,
} from './types.js';
