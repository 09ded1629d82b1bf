/** The input and result of `reconcileUsers` (reconcile.ts). */
import type { ResolvedUser } from '../../config/types.js';
import type { ConfigError } from '../../core/errors.js';

export interface ReconcileUsersInput {
  /** The `amazon_aws` app id. */
  appId: string;
  /**
   * The app's SAML role (the IAM role name as Okta imported it). api-integration mode: written as
   * `role` / `samlRoles: [roleName]` of each app user. Group-mapping mode: not written (the group's
   * name gives the role).
   */
  roleName: string;
  /** The Connect instance id (a UUID, not the ARN); the instance must be ACTIVE. */
  instanceId: string;
  /** The users of this app, every default applied (`validateConfig`). Logins unique ignoring case. */
  users: ResolvedUser[];
  /**
   * Group mapping: the app's Okta group (already assigned to the app). Users are made members of it
   * instead of getting `samlRoles`. `id` is `undefined` only in a dry run where the group does not exist
   * yet. Default: api-integration mode.
   */
  group?: { id: string | undefined; name: string };
  /** Decide and report, write nothing. */
  dryRun: boolean;
  /** How many users are worked on at once (their per-user calls). 1–64, default 8. */
  concurrency?: number;
  /** Called after each user with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What happened to one user. */
export interface UserOutcome {
  login: string;
  /**
   * `created` when the assignment (or membership) or the Connect user was created; `updated` when
   * roles or profiles were changed; `failed` with `error` (the other users went on).
   */
  action: 'created' | 'updated' | 'unchanged' | 'failed';
  /** The Okta user id, when known. */
  oktaUserId?: string;
  /** The Okta app username (= the Connect username), when known. */
  appUserName?: string;
  /** The Connect user id, when it exists (not in a dry run that would create it). */
  connectUserId?: string;
  /** What was (or would be) changed, prefixed `okta:` or `connect:`; for a failed user, what was done before. */
  changes: string[];
  /**
   * Why the user failed: a {@link ConfigError} (unknown login, unknown profile name, a username Connect
   * refuses), a `ConflictError` (a Connect user differing only in case), or a `ProviderError`.
   */
  error?: unknown;
}

export interface ReconcileUsersResult {
  /** One outcome per input user, in the input's order. */
  users: UserOutcome[];
  counts: { created: number; updated: number; unchanged: number; failed: number };
}
