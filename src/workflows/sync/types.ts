/**
 * Types of {@link syncUsers} and of the event hook handler.
 */
import type { OffboardPolicy, RenamePolicy } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import type { ConnectPaceLimits } from '../../resources/users/pacer.js';

export type { ConnectPaceLimits, OffboardPolicy, RenamePolicy };

/** Options of {@link syncUsers}. Every field has a default. */
export interface SyncUsersOptions {
  /**
   * The clients to use. Default: built from the config (`region`, `okta.orgUrl` and its token or key) with
   * the AWS default credential chain. The context's `stack` is replaced by the config's.
   */
  context?: SsoContext;
  /** Read and decide, write nothing: the result is the plan. Default false. */
  dryRun?: boolean;
  /** What happens to Connect users whose Okta user left. Default: the config's `sync.offboard` (`none`). */
  offboard?: OffboardPolicy;
  /** What happens when an Okta username changed. Default: the config's `sync.renames` (`report`). */
  renames?: RenamePolicy;
  /**
   * Take over Connect users with a synced username that this library did not create: tag them (owner
   * and Okta user id), so that they are fully managed and may be offboarded. Default false: they are
   * only given what a rule or their own `connect` block names, and are never offboarded.
   */
  adopt?: boolean;
  /** Called synchronously with each progress event. Default none. */
  onEvent?: (event: SyncEvent) => void;
  /** Aborts the run between calls. Default: the context's signal, if any. */
  signal?: AbortSignal;
  /**
   * The Connect quotas the writes and reads are paced at (per account and region). Default: Connect's
   * default quotas (user writes 2/s), shared by every run of this process on the same account and region.
   */
  pace?: ConnectPaceLimits;
  /** How many users are written at once (all still at the quota's pace). 1–32, default 4. */
  concurrency?: number;
  /**
   * Reconcile only these Okta users (ids `00u…`), each read again from Okta and Connect: what the event
   * hook handler does per delivery. Default: everyone (a full sync).
   */
  only?: readonly string[];
}

/** The Connect profiles a synced user gets, and what chose each. */
export interface SyncUserProfiles {
  /** Security profile names. */
  securityProfiles: string[];
  /** Routing profile name. */
  routingProfile: string;
  /** Hierarchy group path, or `undefined` for none. */
  hierarchyGroup: string | undefined;
  /** The first mapping rule that held for the user (`mappings[1]`), if any. */
  rule: string | undefined;
  /**
   * What chose each profile: a rule (`mappings[1]`), the user's own block (`users.list[0].connect`), or
   * `default`.
   */
  sources: {
    /** What chose `securityProfiles`. */
    securityProfiles: string;
    /** What chose `routingProfile`. */
    routingProfile: string;
    /** What chose `hierarchyGroup`. */
    hierarchyGroup: string;
  };
}

/** What a sync did (or, in a dry run, would do) for one person or Connect user. */
export type SyncAction =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'offboarded'
  | 'renamed'
  | 'reported'
  | 'failed';

/** One person (Okta user) or one Connect user of the sync, with what was done. */
export interface SyncUserOutcome {
  /** What was (or would be) done. */
  action: SyncAction;
  /** The Connect username (the new one, for a rename). */
  username: string;
  /** The Okta user id, when known. */
  oktaUserId: string | undefined;
  /** The Okta login, when known. */
  login: string | undefined;
  /** The Connect user id; `undefined` when it does not exist (yet, in a dry run). */
  connectUserId: string | undefined;
  /** The profiles the person should have, and what chose them; `undefined` for a user who left. */
  profiles: SyncUserProfiles | undefined;
  /** What was (or would be) changed, in words. Empty when unchanged. */
  changes: string[];
  /** For `reported`: why nothing (more) was done, and what to do. */
  reason?: string;
  /** For `renamed` (and a reported rename): the Connect username the person had. */
  previousUsername?: string;
  /** For `offboarded`: how (`strip` or `delete`). */
  offboard?: 'strip' | 'delete';
  /** For `failed`: the error (the other users went on). */
  error?: Error;
}

/** Counts by action. */
export interface SyncCounts {
  /** Connect users created. */
  created: number;
  /** Connect users changed (names, profiles, hierarchy group, tags). */
  updated: number;
  /** Users already as they should be. */
  unchanged: number;
  /** Connect users stripped or deleted because their Okta user left. */
  offboarded: number;
  /** Renames acted on (`renames: recreate`). */
  renamed: number;
  /** Cases reported and not acted on (a rename, a username Connect refuses, a conflict, offboard `none`). */
  reported: number;
  /** Users whose writes failed. */
  failed: number;
}

/** The result of {@link syncUsers}. */
export interface SyncUsersResult {
  /** Whether this was a dry run (nothing written: the outcomes say what would be done). */
  dryRun: boolean;
  /** The config's stack (the owner tag of the Connect users the library created). */
  stack: string;
  /** The Connect instance id. */
  instanceId: string;
  /** The policies the run applied. */
  policy: {
    /** Offboarding policy. */
    offboard: OffboardPolicy;
    /** Rename policy. */
    renames: RenamePolicy;
  };
  /** Every person and Connect user considered, sorted by username. */
  users: SyncUserOutcome[];
  /** The outcomes whose action is `created`. */
  created: SyncUserOutcome[];
  /** The outcomes whose action is `updated`. */
  updated: SyncUserOutcome[];
  /** The outcomes whose action is `offboarded`. */
  offboarded: SyncUserOutcome[];
  /** The outcomes whose action is `renamed`. */
  renamed: SyncUserOutcome[];
  /** The outcomes whose action is `reported`. */
  reported: SyncUserOutcome[];
  /** The outcomes whose action is `failed`. */
  failed: SyncUserOutcome[];
  /** Counts by action. */
  counts: SyncCounts;
  /** The AWS and Okta calls the run made. */
  calls: {
    /** Reads (`List…`, `Search…`, `Describe…`, `Get…`). */
    reads: number;
    /** Writes. */
    writes: number;
    /** Throttling answers received (each call was retried after a back-off). */
    throttled: number;
  };
}

/** Progress of a sync, for a CLI or a log. Never carries a secret. */
export type SyncEvent =
  /** Both sides were read. */
  | {
      /** Event discriminator. */
      type: 'read';
      /** People found in Okta (in scope or not, for the users concerned). */
      oktaUsers: number;
      /** Connect users of the instance read. */
      connectUsers: number;
      /** Reads so far. */
      reads: number;
    }
  /** The diff is known: what the run will write. */
  | {
      /** Event discriminator. */
      type: 'planned';
      /** What the run will do, by action. */
      counts: SyncCounts;
      /** Users that need at least one write. */
      toWrite: number;
    }
  /** One more user's writes are done (or failed). */
  | {
      /** Event discriminator. */
      type: 'progress';
      /** Users written so far. */
      done: number;
      /** Users to write in all. */
      total: number;
      /** Counts so far. */
      counts: SyncCounts;
    }
  /** A user that changed, was reported or failed (unchanged users have no event). */
  | {
      /** Event discriminator. */
      type: 'user';
      /** The user's outcome. */
      user: SyncUserOutcome;
    }
  /** The run ended. */
  | {
      /** Event discriminator. */
      type: 'finished';
      /** Final counts. */
      counts: SyncCounts;
      /** Calls made. */
      calls: SyncUsersResult['calls'];
    };
