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

import type { ConnectPhoneType, OffboardPolicy, RenamePolicy, ResolvedMapping } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { ownershipOf, ownershipTagMap } from '../../providers/aws/tags.js';
import {
  type ConnectUserRecord,
  type NewConnectUser,
  OKTA_USER_ID_TAG,
} from '../../resources/users/connect-directory.js';
import { connectUsernameProblem } from '../../resources/users/connect-user.js';
import { type MappingSubject, type TargetProfiles, targetProfiles } from '../../resources/users/mapping.js';
import { type DesiredPerson, isWanted } from './desired.js';
import type { SyncUserOutcome, SyncUserProfiles } from './types.js';

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

const SECONDARY_EMAIL = /^(?=.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$/;
const NAME_MAX = 100;

/** Why a username cannot be a Connect username and a SAML RoleSessionName, or `undefined`. */
export function usernameProblem(username: string): string | undefined {
  if (username.length < 2) return 'a SAML RoleSessionName has at least 2 characters';
  return connectUsernameProblem(username);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function namesOf(person: DesiredPerson): { firstName: string | undefined; lastName: string | undefined } {
  const own = person.override?.user.connect;
  return {
    firstName: own?.firstName ?? text(person.profile.firstName),
    lastName: own?.lastName ?? text(person.profile.lastName),
  };
}

function emailOf(person: DesiredPerson): string | undefined {
  const email = person.profile.email;
  return typeof email === 'string' && SECONDARY_EMAIL.test(email) ? email : undefined;
}

function profilesView(target: TargetProfiles): SyncUserProfiles {
  return {
    securityProfiles: [...target.securityProfiles],
    routingProfile: target.routingProfile,
    hierarchyGroup: target.hierarchyGroup,
    rule: target.rule,
    sources: { ...target.sources },
  };
}

/** The target profiles of a person (rules, own block, defaults). */
export function personTarget(person: DesiredPerson, mappings: readonly ResolvedMapping[]): TargetProfiles {
  const subject: MappingSubject = { groups: person.groups, profile: person.profile };
  return targetProfiles(mappings, subject, person.override);
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

const nameList = (ids: readonly string[], names: ReadonlyMap<string, string>): string =>
  `[${[...new Set(ids)]
    .map((id) => names.get(id) ?? id)
    .sort()
    .join(', ')}]`;

function outcome(
  action: SyncUserOutcome['action'],
  fields: Partial<SyncUserOutcome> & { username: string },
): SyncUserOutcome {
  return {
    action,
    username: fields.username,
    oktaUserId: fields.oktaUserId,
    login: fields.login,
    connectUserId: fields.connectUserId,
    profiles: fields.profiles,
    changes: fields.changes ?? [],
    ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
    ...(fields.previousUsername !== undefined ? { previousUsername: fields.previousUsername } : {}),
    ...(fields.offboard !== undefined ? { offboard: fields.offboard } : {}),
  };
}

/** The writes that bring an existing user to the target; `full`: ours (names and defaults too). */
function diffExisting(
  input: PlanInput,
  person: DesiredPerson,
  record: ConnectUserRecord,
  target: TargetProfiles,
  full: boolean,
): { ops: SyncOp[]; changes: string[] } {
  const { catalog } = input;
  const ops: SyncOp[] = [];
  const changes: string[] = [];
  if (full) {
    const { firstName, lastName } = namesOf(person);
    const email = emailOf(person);
    const namesDiffer =
      firstName !== undefined &&
      lastName !== undefined &&
      firstName.length <= NAME_MAX &&
      lastName.length <= NAME_MAX &&
      (record.firstName !== firstName || record.lastName !== lastName);
    const emailDiffers =
      record.secondaryEmail !== undefined &&
      email !== undefined &&
      (record.secondaryEmail ?? undefined) !== email;
    if ((namesDiffer || emailDiffers) && firstName !== undefined && lastName !== undefined) {
      if (namesDiffer) {
        const was = `${record.firstName ?? ''} ${record.lastName ?? ''}`.trim();
        changes.push(`name: '${was}' → '${firstName} ${lastName}'`);
      }
      if (emailDiffers) changes.push(`secondary e-mail: ${record.secondaryEmail ?? '(none)'} → ${email}`);
      ops.push({
        kind: 'identity',
        userId: record.id,
        identity: { firstName, lastName, secondaryEmail: email ?? record.secondaryEmail ?? undefined },
        mobile: record.secondaryEmail !== undefined ? (record.mobile ?? null) : undefined,
      });
    }
  }
  if (full || target.named.securityProfiles) {
    const ids = target.securityProfiles.map((n) => catalog.securityByName.get(n) as string);
    if (!sameSet(record.securityProfileIds, ids)) {
      changes.push(
        `security profiles: ${nameList(record.securityProfileIds, catalog.securityNames)} → ${nameList(ids, catalog.securityNames)}`,
      );
      ops.push({ kind: 'security', userId: record.id, ids: [...new Set(ids)] });
    }
  }
  if (full || target.named.routingProfile) {
    const id = catalog.routingByName.get(target.routingProfile) as string;
    if (record.routingProfileId !== id) {
      const from = record.routingProfileId
        ? (catalog.routingNames.get(record.routingProfileId) ?? record.routingProfileId)
        : '(none)';
      changes.push(`routing profile: '${from}' → '${target.routingProfile}'`);
      ops.push({ kind: 'routing', userId: record.id, id });
    }
  }
  if (full || target.named.hierarchyGroup) {
    const id =
      target.hierarchyGroup === undefined ? undefined : catalog.hierarchyByPath.get(target.hierarchyGroup);
    if (record.hierarchyGroupId !== id) {
      const from = record.hierarchyGroupId
        ? (catalog.hierarchyNames.get(record.hierarchyGroupId) ?? record.hierarchyGroupId)
        : '(none)';
      changes.push(`hierarchy group: '${from}' → '${target.hierarchyGroup ?? '(none)'}'`);
      ops.push({ kind: 'hierarchy', userId: record.id, id });
    }
  }
  return { ops, changes };
}

function newUser(
  input: PlanInput,
  person: DesiredPerson,
  username: string,
  target: TargetProfiles,
): { user: NewConnectUser } | { problem: string } {
  const { catalog, ctx } = input;
  const { firstName, lastName } = namesOf(person);
  for (const [key, value] of [
    ['firstName', firstName],
    ['lastName', lastName],
  ] as const) {
    if (value === undefined) {
      return { problem: `the Okta user has no ${key}, and a Connect user of a SAML instance needs one` };
    }
    if (value.length > NAME_MAX)
      return { problem: `the ${key} has more than ${NAME_MAX} characters (Connect's limit)` };
  }
  const own = person.override?.user.connect;
  const phoneType: ConnectPhoneType = own?.phoneType ?? 'SOFT_PHONE';
  return {
    user: {
      username,
      firstName: firstName as string,
      lastName: lastName as string,
      secondaryEmail: emailOf(person),
      phoneType,
      deskPhoneNumber: phoneType === 'DESK_PHONE' ? own?.deskPhoneNumber : undefined,
      securityProfileIds: [
        ...new Set(target.securityProfiles.map((n) => catalog.securityByName.get(n) as string)),
      ],
      routingProfileId: catalog.routingByName.get(target.routingProfile) as string,
      hierarchyGroupId:
        target.hierarchyGroup === undefined ? undefined : catalog.hierarchyByPath.get(target.hierarchyGroup),
      tags: ownershipTagMap(ctx, { [OKTA_USER_ID_TAG]: person.id }),
    },
  };
}

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
