/**
 * The shapes of a sync plan: the profile catalog of the instance, the writes, the planned users, and
 * the index of the Connect users the planner decides from.
 */
import type { OffboardPolicy, RenamePolicy, ResolvedMapping } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { ownershipOf } from '../../providers/aws/tags.js';
import { type ConnectUserRecord, OKTA_USER_ID_TAG } from '../../resources/users/connect-directory.js';
import type { NewConnectUser } from '../../resources/users/connect-writes.js';
import type { SyncUserOutcome } from './types.js';

/** Names and ids of the instance's profiles and hierarchy groups, read once per run. */
export interface ProfileCatalog {
  /** Security profile id by name. */
  securityByName: Map<string, string>;
  /** Security profile name by id. */
  securityNames: Map<string, string>;
  /** Routing profile id by name. */
  routingByName: Map<string, string>;
  /** Routing profile name by id. */
  routingNames: Map<string, string>;
  /** Hierarchy group id by path (only the paths the config names). */
  hierarchyByPath: Map<string, string>;
  /** Hierarchy group name by id. */
  hierarchyNames: Map<string, string>;
  /** The no-access profile of `strip`: its id, or `undefined` when it must be created first. */
  noAccessId: string | undefined;
  /** The no-access profile's name. */
  noAccessName: string;
}

/** One write of the plan. */
export type SyncOp =
  | { kind: 'create'; user: NewConnectUser }
  | {
      kind: 'identity';
      userId: string;
      identity: { firstName: string; lastName: string; secondaryEmail: string | undefined };
      /** The mobile number, when the record holds it (else it is read before the update). */
      mobile: string | null | undefined;
    }
  | { kind: 'security'; userId: string; ids: string[] }
  | { kind: 'strip'; userId: string }
  | { kind: 'routing'; userId: string; id: string }
  | { kind: 'hierarchy'; userId: string; id: string | undefined }
  | { kind: 'tag'; arn: string; tags: Record<string, string> }
  | { kind: 'delete'; userId: string };

/** What the plan decided for one person or Connect user. */
export interface PlannedUser {
  /** The outcome, as planned (`failed` is only set when applying). */
  outcome: SyncUserOutcome;
  /** The writes, in order. */
  ops: SyncOp[];
}

/** Everything the planner needs. */
export interface PlanInput {
  /** For ownership and the tags of new users. */
  ctx: Pick<SsoContext, 'stack'>;
  /** The mapping rules. */
  mappings: readonly ResolvedMapping[];
  /** The policies of this run. */
  policy: { offboard: OffboardPolicy; renames: RenamePolicy; adopt: boolean };
  /** Profiles by name and id. */
  catalog: ProfileCatalog;
}

/** The Connect users of the run, indexed. */
export interface ConnectIndex {
  /** By exact username. */
  byUsername: Map<string, ConnectUserRecord>;
  /** By lower-cased username. */
  byLower: Map<string, ConnectUserRecord[]>;
  /** Our users (this stack's tags) by the Okta user id they are tagged with. */
  byOktaId: Map<string, ConnectUserRecord[]>;
}

/** Index Connect users for the planner. */
export function indexConnectUsers(
  ctx: Pick<SsoContext, 'stack'>,
  users: readonly ConnectUserRecord[],
): ConnectIndex {
  const index: ConnectIndex = { byUsername: new Map(), byLower: new Map(), byOktaId: new Map() };
  for (const user of users) {
    index.byUsername.set(user.username, user);
    const lower = user.username.toLowerCase();
    index.byLower.set(lower, [...(index.byLower.get(lower) ?? []), user]);
    const oktaId = user.tags[OKTA_USER_ID_TAG];
    if (oktaId !== undefined && ownershipOf(ctx, user.tags) === 'ours') {
      index.byOktaId.set(oktaId, [...(index.byOktaId.get(oktaId) ?? []), user]);
    }
  }
  return index;
}
