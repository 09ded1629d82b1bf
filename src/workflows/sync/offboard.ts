/**
 * Offboarding in a sync plan: what happens to a Connect user of ours whose person left Okta's scope, was
 * deactivated, suspended or deleted — by the `offboard` policy, and only ever to users this library
 * created.
 */
import type { OffboardPolicy } from '../../config/types.js';
import { type ConnectUserRecord, OKTA_USER_ID_TAG } from '../../resources/users/connect-directory.js';
import type { DesiredPerson } from './desired.js';
import { nameList, outcome, sameSet } from './plan-diff.js';
import type { PlanInput, PlannedUser } from './plan-types.js';

/**
 * The plan for a Connect user of ours whose person should not (or cannot now) work: offboard it by the
 * policy. A suspended person is at most stripped, never deleted (a suspension is temporary).
 */
export function planLeaver(
  input: PlanInput,
  user: ConnectUserRecord,
  why: string,
  person: DesiredPerson | undefined,
): PlannedUser {
  const suspended = person?.status === 'SUSPENDED' && person.inScope;
  const policy: OffboardPolicy =
    input.policy.offboard === 'delete' && suspended ? 'strip' : input.policy.offboard;
  const base = {
    username: user.username,
    oktaUserId: user.tags[OKTA_USER_ID_TAG],
    login: person?.login,
    connectUserId: user.id,
    profiles: undefined,
  };
  if (policy === 'none') {
    return {
      outcome: outcome('reported', {
        ...base,
        reason: `${why}; offboard is 'none', so the Connect user keeps its profiles (sync with offboard: strip or delete)`,
      }),
      ops: [],
    };
  }
  if (policy === 'delete') {
    return {
      outcome: outcome('offboarded', {
        ...base,
        offboard: 'delete',
        changes: [`delete Connect user (${why})`],
      }),
      ops: [{ kind: 'delete', userId: user.id }],
    };
  }
  const { catalog } = input;
  if (catalog.noAccessId !== undefined && sameSet(user.securityProfileIds, [catalog.noAccessId])) {
    return {
      outcome: outcome('unchanged', { ...base, reason: `${why}; already stripped` }),
      ops: [],
    };
  }
  return {
    outcome: outcome('offboarded', {
      ...base,
      offboard: 'strip',
      changes: [
        `security profiles: ${nameList(user.securityProfileIds, catalog.securityNames)} → [${catalog.noAccessName}] (${why})`,
      ],
    }),
    ops: [{ kind: 'strip', userId: user.id }],
  };
}

/** Why a person's Connect user should be offboarded. */
export function leaveReason(person: DesiredPerson | undefined): string {
  if (!person)
    return 'the Okta user is in none of the synced groups and apps, nor in users.list, or was deleted';
  if (!person.inScope)
    return `the Okta user ${person.login} is in none of the synced groups and apps, nor in users.list`;
  return `the Okta user ${person.login} is ${person.status}`;
}
