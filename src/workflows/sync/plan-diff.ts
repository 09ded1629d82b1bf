/**
 * The pieces of a plan for one person: the target profiles, the writes that bring an existing Connect
 * user to them, the Connect user a new person gets, and the outcome records. Pure.
 */
import type { ConnectPhoneType, ResolvedMapping } from '../../config/types.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import { type ConnectUserRecord, OKTA_USER_ID_TAG } from '../../resources/users/connect-directory.js';
import { connectUsernameProblem } from '../../resources/users/connect-user.js';
import type { NewConnectUser } from '../../resources/users/connect-writes.js';
import { type MappingSubject, type TargetProfiles, targetProfiles } from '../../resources/users/mapping.js';
import type { DesiredPerson } from './desired.js';
import type { PlanInput, SyncOp } from './plan-types.js';
import type { SyncUserOutcome, SyncUserProfiles } from './types.js';

const SECONDARY_EMAIL = /^(?=.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$/;
const NAME_MAX = 100;

/** Why a username cannot be a Connect username and a SAML RoleSessionName, or `undefined`. */
export function usernameProblem(username: string): string | undefined {
  if (username.length < 2) return 'a SAML RoleSessionName has at least 2 characters';
  return connectUsernameProblem(username);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function namesOf(person: DesiredPerson): {
  firstName: string | undefined;
  lastName: string | undefined;
} {
  const own = person.override?.user.connect;
  return {
    firstName: own?.firstName ?? text(person.profile.firstName),
    lastName: own?.lastName ?? text(person.profile.lastName),
  };
}

export function emailOf(person: DesiredPerson): string | undefined {
  const email = person.profile.email;
  return typeof email === 'string' && SECONDARY_EMAIL.test(email) ? email : undefined;
}

export function profilesView(target: TargetProfiles): SyncUserProfiles {
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

/** Whether two id lists hold the same ids (order and repeats aside). */
export const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/** Ids as their sorted names, for change messages: `[Agent, Admin]`. */
export const nameList = (ids: readonly string[], names: ReadonlyMap<string, string>): string =>
  `[${[...new Set(ids)]
    .map((id) => names.get(id) ?? id)
    .sort()
    .join(', ')}]`;

export function outcome(
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
export function diffExisting(
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

export function newUser(
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
