/**
 * The diff of a sync, decided without any call: for each person of the Okta side and each Connect user
 * this library created, what to write. Applying it (apply.ts) is the only part that writes.
 *
 * A Connect user is the person's when it carries our ownership tags and the person's Okta user id
 * (`connect-okta-sso:okta-user-id`). Such a user is fully managed: names, security profiles, routing
 * profile and hierarchy group follow Okta and the rules, and it is offboarded when the person leaves. A
 * Connect user with the person's username but without our tags (created by hand, or before this library
 * tagged its users) gets only what a rule or the person's own block names, and is never offboarded —
 * unless `adopt` tags it as ours.
 */

import { ownershipOf, ownershipTagMap } from '../../providers/aws/tags.js';
import { type ConnectUserRecord, OKTA_USER_ID_TAG } from '../../resources/users/connect-directory.js';
import { type DesiredPerson, isWanted } from './desired.js';
import { leaveReason, planLeaver } from './offboard.js';
import {
  diffExisting,
  nameList,
  newUser,
  outcome,
  personTarget,
  profilesView,
  usernameProblem,
} from './plan-diff.js';
import type { ConnectIndex, PlanInput, PlannedUser, SyncOp } from './plan-types.js';
import type { SyncUserProfiles } from './types.js';

export { leaveReason, planLeaver } from './offboard.js';
export { personTarget, usernameProblem } from './plan-diff.js';
export type { ConnectIndex, PlanInput, PlannedUser, ProfileCatalog, SyncOp } from './plan-types.js';
export { indexConnectUsers } from './plan-types.js';

/**
 * The plan for one person who should have a Connect user. `handled` collects the ids of the Connect
 * users it accounts for (they are not leavers).
 */
export function planPerson(
  input: PlanInput,
  index: ConnectIndex,
  person: DesiredPerson,
  handled: Set<string>,
): PlannedUser[] {
  const target = personTarget(person, input.mappings);
  const profiles = profilesView(target);
  const base = { oktaUserId: person.id, login: person.login, profiles };
  const tagged = index.byOktaId.get(person.id) ?? [];
  for (const user of tagged) handled.add(user.id);
  const username = person.username;
  const problem = username === undefined ? person.usernameProblem : usernameProblem(username);
  if (username === undefined || problem !== undefined) {
    return [
      {
        outcome: outcome('reported', {
          ...base,
          username: username ?? person.login,
          connectUserId: tagged[0]?.id,
          reason: `not created: ${username === undefined ? problem : `the username '${username}' cannot be a Connect username (${problem})`}. Change the app's username format (or this user's app username) in Okta.`,
        }),
        ops: [],
      },
    ];
  }

  const exact = index.byUsername.get(username);
  const previous = tagged.filter((u) => u.username !== username);
  const out: PlannedUser[] = [];

  if (exact) {
    handled.add(exact.id);
    const owner = ownershipOf(input.ctx, exact.tags);
    const taggedFor = exact.tags[OKTA_USER_ID_TAG];
    if (owner === 'other-stack') {
      out.push({
        outcome: outcome('reported', {
          ...base,
          username,
          connectUserId: exact.id,
          reason: `the Connect user '${username}' belongs to connect-okta-sso stack '${exact.tags['connect-okta-sso:stack'] ?? '?'}': left alone`,
        }),
        ops: [],
      });
    } else if (owner === 'ours' && taggedFor !== undefined && taggedFor !== person.id) {
      out.push({
        outcome: outcome('reported', {
          ...base,
          username,
          connectUserId: exact.id,
          reason: `the Connect user '${username}' stands for another Okta user (${taggedFor}): left alone; check which Okta user should have this username`,
        }),
        ops: [],
      });
    } else {
      const adopting = owner !== 'ours' && input.policy.adopt;
      const full = owner === 'ours' || adopting;
      const { ops, changes } = diffExisting(input, person, exact, target, full);
      if (full && (adopting || taggedFor === undefined)) {
        ops.push({
          kind: 'tag',
          arn: exact.arn,
          tags: ownershipTagMap(input.ctx, { [OKTA_USER_ID_TAG]: person.id }),
        });
        changes.push(adopting ? 'adopt: tag as this stack’s user' : `tag with the Okta user id ${person.id}`);
      }
      out.push({
        outcome: outcome(ops.length > 0 ? 'updated' : 'unchanged', {
          ...base,
          username,
          connectUserId: exact.id,
          changes,
        }),
        ops,
      });
    }
    // Users of the same person under an older username: what is left of a rename.
    for (const old of previous) out.push(planRenameLeftover(input, person, old, username, profiles));
    return out;
  }

  const variants = (index.byLower.get(username.toLowerCase()) ?? []).filter(
    (u) => u.username !== username && !tagged.includes(u),
  );
  if (variants.length > 0) {
    return [
      {
        outcome: outcome('reported', {
          ...base,
          username,
          reason: `the Connect user '${variants[0]?.username}' differs from the Okta username '${username}' only in case; Connect usernames are case-sensitive (sign-in needs an exact match): delete or rename one of them`,
        }),
        ops: [],
      },
    ];
  }

  const created = newUser(input, person, username, target);
  if ('problem' in created) {
    return [
      {
        outcome: outcome('reported', {
          ...base,
          username,
          connectUserId: previous[0]?.id,
          reason: `not created: ${created.problem}`,
        }),
        ops: [],
      },
    ];
  }

  const [old] = previous;
  if (old) {
    if (input.policy.renames !== 'recreate') {
      return [
        {
          outcome: outcome('reported', {
            ...base,
            username,
            connectUserId: old.id,
            previousUsername: old.username,
            reason: `renamed in Okta: the Connect user is '${old.username}' and the username is now '${username}'. Connect usernames cannot change, so the person cannot sign in to Connect until a user '${username}' exists: sync with renames: recreate (a new user with the same profiles; the old one is deleted)`,
          }),
          ops: [],
        },
      ];
    }
    return [
      {
        outcome: outcome('renamed', {
          ...base,
          username,
          previousUsername: old.username,
          changes: [
            `create Connect user '${username}'`,
            ...previous.map((u) => `delete Connect user '${u.username}' (the old username)`),
          ],
        }),
        ops: [
          { kind: 'create', user: created.user },
          ...previous.map((u): SyncOp => ({ kind: 'delete', userId: u.id })),
        ],
      },
    ];
  }

  const { user } = created;
  return [
    {
      outcome: outcome('created', {
        ...base,
        username,
        changes: [
          `create Connect user '${username}' (security profiles ${nameList(user.securityProfileIds, input.catalog.securityNames)}, routing profile '${target.routingProfile}'${target.hierarchyGroup ? `, hierarchy group '${target.hierarchyGroup}'` : ''})`,
        ],
      }),
      ops: [{ kind: 'create', user }],
    },
  ];
}

function planRenameLeftover(
  input: PlanInput,
  person: DesiredPerson,
  old: ConnectUserRecord,
  username: string,
  profiles: SyncUserProfiles,
): PlannedUser {
  const base = { oktaUserId: person.id, login: person.login, profiles, previousUsername: old.username };
  if (input.policy.renames === 'recreate') {
    return {
      outcome: outcome('renamed', {
        ...base,
        username,
        connectUserId: old.id,
        changes: [`delete Connect user '${old.username}' (the old username; '${username}' exists)`],
      }),
      ops: [{ kind: 'delete', userId: old.id }],
    };
  }
  return {
    outcome: outcome('reported', {
      ...base,
      username: old.username,
      connectUserId: old.id,
      reason: `renamed in Okta to '${username}', which has its Connect user: '${old.username}' is left over; sync with renames: recreate to delete it`,
    }),
    ops: [],
  };
}

/**
 * Plan a set of people, and the leavers among `candidates` (ours, tagged, not accounted for). With
 * `only`, leavers are looked for among the users tagged with those Okta ids alone (a targeted run).
 */
export function planAll(
  input: PlanInput,
  index: ConnectIndex,
  people: ReadonlyMap<string, DesiredPerson>,
  candidates: readonly ConnectUserRecord[],
  only?: ReadonlySet<string>,
): PlannedUser[] {
  const handled = new Set<string>();
  const planned: PlannedUser[] = [];
  for (const person of people.values()) {
    if (isWanted(person)) planned.push(...planPerson(input, index, person, handled));
  }
  for (const user of candidates) {
    if (handled.has(user.id)) continue;
    const oktaId = user.tags[OKTA_USER_ID_TAG];
    if (oktaId === undefined || ownershipOf(input.ctx, user.tags) !== 'ours') continue;
    if (only && !only.has(oktaId)) continue;
    const person = people.get(oktaId);
    planned.push(planLeaver(input, user, leaveReason(person), person));
  }
  return planned;
}
