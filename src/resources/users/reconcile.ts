/**
 * Users at scale: the assignments of one app (guide step 9 for every user of the config) reconciled
 * from paged list calls instead of one lookup per user.
 *
 * Read once: the app (`features`, username template), all its app users (`GET /apps/{id}/users`, 500 a
 * page: `credentials.userName` and the roles), all Connect users (`ListUsers`, 1,000 a page), the group's
 * members in group-mapping mode, and — only when something needs them — the security and routing
 * profiles. A re-run where everything exists therefore costs O(users / page size) reads and no per-user
 * call. Only users that need a change pay per-user calls: the Okta user by login (its id and names), the
 * assignment or group membership, `CreateUser`, and the profile updates.
 *
 * Writes run concurrently (bounded), and each kind of write is paced: on a throttling error (after the
 * SDK's own retries) the call is retried and the pace of that operation is lowered, so a few thousand
 * creations against Connect's `CreateUser` quota (2/s) all succeed instead of exhausting the SDK's
 * retry budget.
 */

import type { ResolvedUser } from '../../config/types.js';
import { awsClient, type SsoContext } from '../../core/context.js';
import { ConfigError, ManualActionRequiredError, ProviderError } from '../../core/errors.js';
import { addUserToGroup, listGroupMembers } from '../okta-groups/ensure.js';
import { pacerFor } from './adaptive-pacer.js';
import {
  apiIntegrationRequiredError,
  ensureAppAssignment,
  predictAppUserName,
  readAwsApp,
  rolesMatch,
} from './app-assignment.js';
import { listConnectProfiles } from './connect-profiles.js';
import { listConnectUsers, searchConnectUserProfiles } from './connect-user-read.js';
import { resolveHierarchyPaths } from './hierarchy.js';
import { checkUsername, prepareConnect, reconcileConnectUser } from './reconcile-connect.js';
import { validateReconcileInput } from './reconcile-input.js';
import {
  type AppUserJson,
  getOktaUser,
  listAppUsers,
  type OktaUserJson,
  readAppUser,
} from './reconcile-okta.js';
import { appUserByLogin, explicitHierarchy, hasExplicitProfiles, type Run } from './reconcile-run.js';
import type { ReconcileUsersInput, ReconcileUsersResult, UserOutcome } from './reconcile-types.js';

export type { ReconcileUsersInput, ReconcileUsersResult, UserOutcome } from './reconcile-types.js';

const DEFAULT_CONCURRENCY = 8;
/** Page size of `SearchUsers`, for deciding between one bulk read and per-user `DescribeUser`. */
const SEARCH_PAGE = 500;

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= make();
    return promise;
  };
}

/**
 * Reconcile the users of one app: each gets its Okta assignment with the SAML role (or, in group-mapping
 * mode, membership of the app's group) and a Connect user named exactly like its Okta app username.
 *
 * A re-run where everything exists reads the app, its app users, the Connect users (and the group's
 * members; and the profiles, in bulk, when some users have explicit profiles) — O(users / page size)
 * requests — and makes no per-user call and no write.
 *
 * A user that cannot be reconciled (unknown login, unknown profile name, a Connect user whose username
 * differs only in case, a provider error) is `failed` with its error; the others go on.
 *
 * @throws {ConfigError} invalid input (no request made), or an unknown app id or instance.
 * @throws {ManualActionRequiredError} api-integration mode: the app has not imported the roles (API
 *   integration not enabled, or Okta refuses the role) — the same error as `assignUser`; the users in
 *   progress finish, no other user is started.
 * @throws {ProviderError} a list call failed.
 */
export async function reconcileUsers(
  ctx: SsoContext,
  input: ReconcileUsersInput,
): Promise<ReconcileUsersResult> {
  validateReconcileInput(input);
  const { appId, instanceId, users, group } = input;
  const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;

  // --- bulk reads ----------------------------------------------------------------------------------------
  const [{ app, appUsers }, connect, members] = await Promise.all([
    readAwsApp(ctx, appId).then(async (app) => ({ app, appUsers: await listAppUsers(ctx, appId) })),
    listConnectUsers(ctx, instanceId).catch((error: unknown) => {
      if (error instanceof ProviderError && error.providerCode === 'ResourceNotFoundException') {
        throw new ConfigError(
          'instanceId',
          `no ACTIVE Connect instance '${instanceId}' in region ${ctx.region} (${error.message})`,
        );
      }
      throw error;
    }),
    group?.id !== undefined ? listGroupMembers(ctx, group.id) : Promise.resolve(undefined),
  ]);
  const okta = await ctx.okta();
  // Paced per client (runs sharing a client share its pace); built now if the context builds its own.
  const connectClient = await awsClient(ctx, 'connect');
  const run: Run = {
    ctx,
    input,
    app,
    appUsers,
    connect,
    members,
    bulkProfiles: undefined,
    profileLists: memo(() => listConnectProfiles(ctx, instanceId)),
    hierarchy: memo(() =>
      resolveHierarchyPaths(
        ctx,
        instanceId,
        users.map(explicitHierarchy).filter((p): p is string => p !== undefined),
        (operation, call) => pacerFor(connectClient, operation).run(ctx, operation, call),
      ),
    ),
    oktaPace: (operation, call) => pacerFor(okta, operation).run(ctx, operation, call),
    connectPace: (operation, call) => pacerFor(connectClient, operation).run(ctx, operation, call),
  };

  // Existing Connect users whose profiles the config enforces: one bulk SearchUsers when it costs fewer
  // requests than one DescribeUser each.
  let explicitExisting = 0;
  for (const user of users) {
    const name = appUserByLogin(run, user.login)?.credentials?.userName;
    if (name !== undefined && hasExplicitProfiles(user) && connect.byUsername.has(name)) explicitExisting++;
  }
  if (explicitExisting > 0 && explicitExisting > Math.ceil(connect.byUsername.size / SEARCH_PAGE)) {
    run.bulkProfiles = await searchConnectUserProfiles(ctx, instanceId);
  }

  // --- per user, bounded concurrency ---------------------------------------------------------------------
  const outcomes: UserOutcome[] = new Array(users.length);
  let next = 0;
  let done = 0;
  let fatal: { error: unknown } | undefined;
  const worker = async () => {
    while (fatal === undefined) {
      const i = next++;
      const user = users[i];
      if (user === undefined) return;
      try {
        outcomes[i] = await reconcileOne(run, user, i);
      } catch (error) {
        fatal ??= { error };
        return;
      }
      done++;
      try {
        input.onProgress?.(done, users.length);
      } catch {
        // A progress callback's failure is not the run's.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));
  if (fatal !== undefined) throw (fatal as { error: unknown }).error;

  const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.action]++;
  return { users: outcomes, counts };
}

/** Errors that stop the whole reconciliation instead of failing one user. */
function isFatal(run: Run, error: unknown): boolean {
  return error instanceof ManualActionRequiredError || run.ctx.signal?.aborted === true;
}

async function reconcileOne(run: Run, user: ResolvedUser, index: number): Promise<UserOutcome> {
  const outcome: UserOutcome = { login: user.login, action: 'unchanged', changes: [] };
  try {
    await reconcileUser(run, user, index, outcome);
    return outcome;
  } catch (error) {
    if (isFatal(run, error)) throw error;
    run.ctx.logger.warn(
      `user ${user.login} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        login: user.login,
      },
    );
    return { ...outcome, action: 'failed', error };
  }
}

/** The state of one user as it is being reconciled. */
interface UserState {
  oktaUserId: string | undefined;
  oktaUser: OktaUserJson | undefined;
  appUser: AppUserJson | undefined;
}

async function reconcileUser(
  run: Run,
  user: ResolvedUser,
  index: number,
  outcome: UserOutcome,
): Promise<void> {
  const { ctx, input, app } = run;
  const { dryRun, group } = input;
  const at = `users[${index}]`;
  const state: UserState = {
    oktaUserId: undefined,
    oktaUser: undefined,
    appUser: appUserByLogin(run, user.login),
  };
  state.oktaUserId = state.appUser?.id;

  // The Okta user: from the group's member list, the app users, or (only then) a per-user read.
  const member = run.members?.byLogin.get(user.login.toLowerCase());
  if (member) {
    state.oktaUserId = member.id;
    state.appUser = run.appUsers.byId.get(member.id);
  }
  if (state.oktaUserId === undefined) {
    state.oktaUser = await getOktaUser(ctx, run.oktaPace, user.login, `${at}.login`);
    state.oktaUserId = state.oktaUser.id;
    state.appUser = run.appUsers.byId.get(state.oktaUserId);
  }
  const oktaUserId = state.oktaUserId;
  outcome.oktaUserId = oktaUserId;
  const oktaProfile = async () => {
    state.oktaUser ??= await getOktaUser(ctx, run.oktaPace, oktaUserId, `${at}.login`);
    return state.oktaUser.profile ?? {};
  };

  // What the Connect side needs, decided before any write so that a user who would fail writes nothing.
  const candidate =
    state.appUser?.credentials?.userName ??
    (state.appUser ? undefined : predictAppUserName(app, await oktaProfile()));
  if (candidate !== undefined) checkUsername(run, user, at, candidate);

  // --- Okta ---------------------------------------------------------------------------------------------
  let appUserName = state.appUser?.credentials?.userName;
  let oktaAction: 'created' | 'updated' | 'unchanged' = 'unchanged';
  if (group === undefined) {
    if (!state.appUser || !rolesMatch(state.appUser, input.roleName)) {
      if (!(app.features ?? []).includes('PUSH_NEW_USERS')) throw apiIntegrationRequiredError(app);
      await prepareConnect(run, user, at, candidate, oktaProfile);
      const assigned = await ensureAppAssignment(ctx, {
        app,
        oktaUserId,
        login: user.login,
        roleName: input.roleName,
        current: state.appUser,
        oktaProfile: state.oktaUser?.profile,
        dryRun,
        pace: run.oktaPace,
      });
      oktaAction = assigned.action;
      outcome.changes.push(...assigned.changes);
      appUserName = assigned.appUserName;
    }
  } else if (!run.members?.ids.has(oktaUserId)) {
    await prepareConnect(run, user, at, candidate, oktaProfile);
    oktaAction = state.appUser ? 'updated' : 'created';
    outcome.changes.push(`okta: add user '${user.login}' to group '${group.name}'`);
    if (!dryRun && group.id !== undefined) {
      const groupId = group.id;
      await run.oktaPace('AssignUserToGroup', () =>
        addUserToGroup(ctx, { groupId, userId: oktaUserId, login: user.login }),
      );
      run.members?.ids.add(oktaUserId);
      if (!state.appUser) {
        // The group's assignment to the app makes the member an app user; read the username Okta chose.
        state.appUser = await readAppUser(ctx, run.oktaPace, app.id, oktaUserId);
        appUserName = state.appUser?.credentials?.userName;
      }
    }
    appUserName ??= candidate;
  } else if (appUserName === undefined) {
    // A member that the app does not list (yet): its group's assignment decides the username.
    state.appUser = await readAppUser(ctx, run.oktaPace, app.id, oktaUserId);
    appUserName = state.appUser?.credentials?.userName ?? candidate;
  }
  if (appUserName !== undefined) outcome.appUserName = appUserName;

  // --- Connect ------------------------------------------------------------------------------------------
  if (appUserName === undefined && !dryRun) {
    throw new ConfigError(
      `${at}.login`,
      `Okta has not made '${user.login}' a user of app "${app.label ?? app.id}" (its app username is unknown): check that the group is assigned to the app, then run again`,
    );
  }
  if (appUserName !== undefined && appUserName !== candidate) checkUsername(run, user, at, appUserName);
  const connectAction = await reconcileConnectUser(run, user, at, appUserName, oktaProfile, outcome);
  outcome.action =
    oktaAction === 'created' || connectAction === 'created'
      ? 'created'
      : oktaAction === 'updated' || connectAction === 'updated'
        ? 'updated'
        : 'unchanged';
}
