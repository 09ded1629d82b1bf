/**
 * The Connect side of one user in `reconcileUsers`: the checks of its username, what creating its
 * Connect user will need (resolved before any Okta write, so that a user who would fail writes nothing),
 * and the Connect user itself.
 */
import type { ResolvedUser } from '../../config/types.js';
import { ConfigError } from '../../core/errors.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import { OKTA_USER_ID_TAG } from './connect-directory.js';
import { type ResolvedConnectProfiles, resolveProfileNames } from './connect-profiles.js';
import { connectUsernameProblem, ensureConnectUser } from './connect-user.js';
import {
  caseConflictError,
  caseVariantsOf,
  describeConnectUserProfiles,
  indexConnectUser,
  type KnownConnectUser,
} from './connect-user-read.js';
import { explicitHierarchy, hasExplicitProfiles, type Run } from './reconcile-run.js';
import type { UserOutcome } from './reconcile-types.js';

/** A username Connect refuses, or a Connect user spelled differently: the user's error, before any write. */
export function checkUsername(run: Run, user: ResolvedUser, at: string, username: string): void {
  const problem = connectUsernameProblem(username);
  if (problem) {
    throw new ConfigError(
      `${at}.login`,
      `the Okta app username '${username}' of '${user.login}' cannot be a Connect username: ${problem}. Change the app's username template or this user's app username in Okta.`,
    );
  }
  if (!run.connect.byUsername.has(username)) {
    const [variant] = caseVariantsOf(run.connect, username);
    if (variant !== undefined) throw caseConflictError(username, variant);
  }
}

/** Before an Okta write: resolve what creating the Connect user will need, so that it cannot fail later. */
export async function prepareConnect(
  run: Run,
  user: ResolvedUser,
  at: string,
  username: string | undefined,
  oktaProfile: () => Promise<Record<string, unknown>>,
): Promise<void> {
  const exists = username !== undefined && run.connect.byUsername.has(username);
  if (exists && !hasExplicitProfiles(user)) return;
  await profilesFor(run, user, at);
  if (!exists) await namesFor(user, at, oktaProfile);
}

async function profilesFor(
  run: Run,
  user: ResolvedUser,
  at: string,
): Promise<ResolvedConnectProfiles & { hierarchyGroup: { id: string; path: string } | undefined }> {
  const lists = await run.profileLists();
  const profiles = resolveProfileNames(
    lists,
    { securityProfiles: user.connect.securityProfiles, routingProfile: user.connect.routingProfile },
    `${at}.connect`,
  );
  const path = explicitHierarchy(user);
  if (path === undefined) return { ...profiles, hierarchyGroup: undefined };
  const { resolved } = await run.hierarchy();
  const id = resolved.get(path);
  if (id === undefined) {
    throw new ConfigError(
      `${at}.connect.hierarchyGroup`,
      `no agent hierarchy group '${path}' in the instance (a path of group names from the top level, joined by '/')`,
    );
  }
  return { ...profiles, hierarchyGroup: { id, path } };
}

async function namesFor(
  user: ResolvedUser,
  at: string,
  oktaProfile: () => Promise<Record<string, unknown>>,
): Promise<{ firstName: string; lastName: string }> {
  const pick = async (given: string | undefined, key: 'firstName' | 'lastName') => {
    if (given !== undefined) return given;
    const value = (await oktaProfile())[key];
    return typeof value === 'string' ? value : '';
  };
  const firstName = await pick(user.connect.firstName, 'firstName');
  const lastName = await pick(user.connect.lastName, 'lastName');
  for (const [key, value] of [
    ['firstName', firstName],
    ['lastName', lastName],
  ] as const) {
    if (value.trim() === '') {
      throw new ConfigError(
        `${at}.connect.${key}`,
        `the Okta user '${user.login}' has no ${key}: give one (a SAML Connect user needs both names)`,
      );
    }
  }
  return { firstName, lastName };
}

/** The Connect user of one user: created, or its explicit profiles enforced; what it did. */
export async function reconcileConnectUser(
  run: Run,
  user: ResolvedUser,
  at: string,
  username: string | undefined,
  oktaProfile: () => Promise<Record<string, unknown>>,
  outcome: UserOutcome,
): Promise<'created' | 'updated' | 'unchanged'> {
  const { ctx, input } = run;
  const existing = username === undefined ? undefined : run.connect.byUsername.get(username);
  const explicit = hasExplicitProfiles(user);
  if (existing && !explicit) {
    outcome.connectUserId = existing.id;
    return 'unchanged';
  }
  let known: KnownConnectUser;
  if (existing) {
    const current =
      run.bulkProfiles?.get(existing.id) ??
      (await run.connectPace('DescribeUser', () =>
        describeConnectUserProfiles(ctx, input.instanceId, existing.id),
      ));
    known = { user: { ...existing, ...current }, caseVariants: [] };
  } else {
    known = {
      user: undefined,
      caseVariants: username === undefined ? [] : caseVariantsOf(run.connect, username),
    };
  }
  const profiles = await profilesFor(run, user, at);
  const names = existing ? { firstName: '', lastName: '' } : await namesFor(user, at, oktaProfile);
  const result = await ensureConnectUser(ctx, {
    instanceId: input.instanceId,
    username,
    firstName: names.firstName,
    lastName: names.lastName,
    phoneType: user.connect.phoneType,
    deskPhoneNumber: user.connect.deskPhoneNumber,
    profiles,
    manageSecurityProfiles: user.connect.explicit.securityProfiles,
    manageRoutingProfile: user.connect.explicit.routingProfile,
    hierarchyGroup: profiles.hierarchyGroup,
    manageHierarchy: user.connect.explicit.hierarchyGroup === true,
    ...(outcome.oktaUserId !== undefined
      ? { tags: ownershipTagMap(ctx, { [OKTA_USER_ID_TAG]: outcome.oktaUserId }) }
      : {}),
    dryRun: input.dryRun,
    known,
    pace: run.connectPace,
  });
  outcome.changes.push(...result.changes.map((c) => `connect: ${c}`));
  if (result.userId !== undefined) {
    outcome.connectUserId = result.userId;
    if (!existing && username !== undefined) {
      indexConnectUser(run.connect, { id: result.userId, arn: result.userArn ?? '', username });
    }
  }
  return result.action;
}
