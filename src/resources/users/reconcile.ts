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
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ManualActionRequiredError, ProviderError } from '../../core/errors.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import { isOktaError, oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import { addUserToGroup, listGroupMembers, type OktaGroupMembers } from '../okta-groups/ensure.js';
import {
  type AppUserView,
  type AssignmentAppView,
  apiIntegrationRequiredError,
  assignmentTargetIssues,
  connectInputIssues,
  ensureAppAssignment,
  loginIssues,
  predictAppUserName,
  readAwsApp,
  rolesMatch,
} from './assignment.js';
import { OKTA_USER_ID_TAG } from './connect-directory.js';
import {
  type ConnectProfileLists,
  type ConnectUserIndex,
  type ConnectUserProfiles,
  caseConflictError,
  caseVariantsOf,
  connectUsernameProblem,
  describeConnectUserProfiles,
  ensureConnectUser,
  indexConnectUser,
  type KnownConnectUser,
  listConnectProfiles,
  listConnectUsers,
  type ResolvedConnectProfiles,
  resolveProfileNames,
  searchConnectUserProfiles,
} from './connect-user.js';
import { resolveHierarchyPaths } from './hierarchy.js';
import { isThrottling } from './pacer.js';

// ---------------------------------------------------------------------------------------------------------
// Public types

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

// ---------------------------------------------------------------------------------------------------------
// Pacing: bounded rate per operation, learned from throttling

/** Keep retrying one throttled call for this long before giving up (the error is then the user's). */
const THROTTLE_GIVE_UP_MS = 10 * 60_000;
const MIN_RATE = 0.05;
const MAX_RATE = 1000;

/**
 * An adaptive pace for one operation against one client: no limit until the first throttling error,
 * then a rate (calls/s) that drops by 30% on a throttling error and grows 2% on each success (AIMD-like),
 * with calls started no closer than 1/rate apart. The calls that were already in flight when the rate
 * dropped do not drop it again when they come back throttled too: one cut per congestion event. Shared by
 * every reconciliation that uses the same client, since a quota is per account, not per run.
 */
class Pacer {
  private rate = Number.POSITIVE_INFINITY;
  private nextStart = 0;
  /** When the rate was last lowered. */
  private lastCut = Number.NEGATIVE_INFINITY;
  /** Start times of recent successes, until the first throttling error (to guess a first rate). */
  private recent: number[] = [];

  async run<T>(ctx: SsoContext, operation: string, call: () => Promise<T>): Promise<T> {
    const first = ctx.clock.now();
    for (;;) {
      await this.slot(ctx);
      const started = ctx.clock.now();
      try {
        const result = await call();
        this.succeeded(started);
        return result;
      } catch (error) {
        if (!isThrottling(error) || ctx.signal?.aborted) throw error;
        const now = ctx.clock.now();
        if (now - first > THROTTLE_GIVE_UP_MS) throw error;
        if (this.throttled(now, started)) {
          ctx.logger.debug(`${operation} throttled: pace lowered to ${this.rate.toFixed(2)}/s`, {
            operation,
          });
        }
      }
    }
  }

  /** Wait for this call's turn; a call still waiting when the rate drops queues again at the new pace. */
  private async slot(ctx: SsoContext): Promise<void> {
    for (;;) {
      if (!Number.isFinite(this.rate)) return;
      const cut = this.lastCut;
      const now = ctx.clock.now();
      const start = Math.max(now, this.nextStart);
      this.nextStart = start + 1000 / this.rate;
      if (start <= now) return;
      await ctx.clock.sleep(start - now, ctx.signal);
      if (this.lastCut === cut) return;
    }
  }

  private succeeded(started: number): void {
    if (Number.isFinite(this.rate)) {
      this.rate = Math.min(MAX_RATE, this.rate * 1.02);
      return;
    }
    this.recent.push(started);
    if (this.recent.length > 64) this.recent.shift();
  }

  /** Lower the rate unless the call started before the last cut; whether it was lowered. */
  private throttled(now: number, started: number): boolean {
    if (started < this.lastCut) return false;
    const base = Number.isFinite(this.rate)
      ? this.rate
      : Math.max(1, this.recent.filter((t) => t > now - 1000).length);
    this.recent = [];
    this.rate = Math.max(MIN_RATE, base * 0.7);
    this.lastCut = now;
    this.nextStart = Math.max(this.nextStart, now + 1000 / this.rate);
    return true;
  }
}

const pacers = new WeakMap<object, Map<string, Pacer>>();

function pacerFor(client: object, operation: string): Pacer {
  let byOperation = pacers.get(client);
  if (!byOperation) {
    byOperation = new Map();
    pacers.set(client, byOperation);
  }
  let pacer = byOperation.get(operation);
  if (!pacer) {
    pacer = new Pacer();
    byOperation.set(operation, pacer);
  }
  return pacer;
}

type Pace = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

// ---------------------------------------------------------------------------------------------------------
// Validation

type Issue = { field: string; message: string };

function validate(input: ReconcileUsersInput): void {
  if (typeof input !== 'object' || input === null) throw new ConfigError('input', 'expected an object');
  const issues: Issue[] = [...assignmentTargetIssues(input)];
  if (typeof input.dryRun !== 'boolean') issues.push({ field: 'dryRun', message: 'must be true or false' });
  const { concurrency } = input;
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)
  ) {
    issues.push({
      field: 'concurrency',
      message: `must be a whole number from 1 to 64 (got ${String(concurrency)})`,
    });
  }
  if (input.onProgress !== undefined && typeof input.onProgress !== 'function') {
    issues.push({ field: 'onProgress', message: 'must be a function' });
  }
  const { group } = input;
  if (group !== undefined) {
    if (typeof group !== 'object' || group === null || typeof group.name !== 'string' || group.name === '') {
      issues.push({ field: 'group', message: 'expected { id, name } of the Okta group' });
    } else if (
      group.id === undefined ? input.dryRun !== true : typeof group.id !== 'string' || group.id === ''
    ) {
      issues.push({
        field: 'group.id',
        message:
          'the group id is required (only a dry run may leave it out, when the group does not exist yet)',
      });
    }
  }
  if (!Array.isArray(input.users)) {
    issues.push({ field: 'users', message: 'must be a list of users' });
  } else {
    const seen = new Map<string, number>();
    input.users.forEach((user, i) => {
      const at = `users[${i}]`;
      if (typeof user !== 'object' || user === null) {
        issues.push({ field: at, message: 'expected { login, connect }' });
        return;
      }
      issues.push(...loginIssues(`${at}.login`, user.login));
      issues.push(...connectInputIssues(`${at}.connect`, user.connect));
      if (typeof user.login === 'string') {
        const key = user.login.toLowerCase();
        const before = seen.get(key);
        if (before !== undefined) {
          issues.push({
            field: `${at}.login`,
            message: `'${user.login}' is also users[${before}] (Okta logins are case-insensitive)`,
          });
        } else seen.set(key, i);
      }
    });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}

// ---------------------------------------------------------------------------------------------------------
// Okta reads

/** An Okta user as `GET /users/{id}` returns it (only what is read). */
interface OktaUserJson {
  id: string;
  status?: string;
  profile?: Record<string, unknown>;
}

interface AppUserJson extends AppUserView {
  id: string;
}

const APP_USERS_PAGE = 500;

/** All users of the app, by id and by lower-cased app username. */
async function listAppUsers(
  ctx: SsoContext,
  appId: string,
): Promise<{ byId: Map<string, AppUserJson>; byName: Map<string, AppUserJson[]> }> {
  const byId = new Map<string, AppUserJson>();
  const byName = new Map<string, AppUserJson[]>();
  for await (const page of oktaPages<AppUserJson>(
    ctx,
    'ListApplicationUsers',
    `/api/v1/apps/${encodeURIComponent(appId)}/users`,
    { limit: APP_USERS_PAGE },
  )) {
    for (const appUser of page) {
      byId.set(appUser.id, appUser);
      const name = appUser.credentials?.userName;
      if (typeof name === 'string') {
        const key = name.toLowerCase();
        const same = byName.get(key);
        if (same) same.push(appUser);
        else byName.set(key, [appUser]);
      }
    }
  }
  return { byId, byName };
}

// ---------------------------------------------------------------------------------------------------------
// The reconciliation

const DEFAULT_CONCURRENCY = 8;
/** Page size of `SearchUsers`, for deciding between one bulk read and per-user `DescribeUser`. */
const SEARCH_PAGE = 500;

interface Run {
  ctx: SsoContext;
  input: ReconcileUsersInput;
  app: AssignmentAppView;
  appUsers: { byId: Map<string, AppUserJson>; byName: Map<string, AppUserJson[]> };
  connect: ConnectUserIndex;
  members: OktaGroupMembers | undefined;
  /** Profiles of existing Connect users from one bulk `SearchUsers`, when that was cheaper. */
  bulkProfiles: Map<string, ConnectUserProfiles> | undefined;
  profileLists: () => Promise<ConnectProfileLists>;
  /** The hierarchy paths the users name, resolved once. */
  hierarchy: () => Promise<{ resolved: Map<string, string> }>;
  oktaPace: Pace;
  connectPace: Pace;
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= make();
    return promise;
  };
}

/** The app user whose username is the login (ignoring case), if exactly one. */
function appUserByLogin(run: Run, login: string): AppUserJson | undefined {
  const same = run.appUsers.byName.get(login.toLowerCase());
  return same?.length === 1 ? same[0] : undefined;
}

const hasExplicitProfiles = (user: ResolvedUser) =>
  user.connect.explicit.securityProfiles ||
  user.connect.explicit.routingProfile ||
  user.connect.explicit.hierarchyGroup === true;

/** The hierarchy path a user names explicitly, if any. */
const explicitHierarchy = (user: ResolvedUser): string | undefined =>
  user.connect.explicit.hierarchyGroup === true ? user.connect.hierarchyGroup : undefined;

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
  validate(input);
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
        (operation, call) => pacerFor(ctx.connect, operation).run(ctx, operation, call),
      ),
    ),
    oktaPace: (operation, call) => pacerFor(okta, operation).run(ctx, operation, call),
    connectPace: (operation, call) => pacerFor(ctx.connect, operation).run(ctx, operation, call),
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

async function getOktaUser(run: Run, idOrLogin: string, field: string): Promise<OktaUserJson> {
  try {
    const { data } = await run.oktaPace('GetUser', () =>
      oktaRequest<OktaUserJson>(run.ctx, 'GetUser', {
        method: 'GET',
        path: `/api/v1/users/${encodeURIComponent(idOrLogin)}`,
      }),
    );
    if (data.status !== undefined && data.status !== 'ACTIVE') {
      run.ctx.logger.warn(`okta user ${idOrLogin} is ${data.status}: it cannot sign in until it is ACTIVE`, {
        oktaUserId: data.id,
      });
    }
    return data;
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) {
      throw new ConfigError(field, `no Okta user with login '${idOrLogin}'`);
    }
    throw error;
  }
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
    state.oktaUser = await getOktaUser(run, user.login, `${at}.login`);
    state.oktaUserId = state.oktaUser.id;
    state.appUser = run.appUsers.byId.get(state.oktaUserId);
  }
  const oktaUserId = state.oktaUserId;
  outcome.oktaUserId = oktaUserId;
  const oktaProfile = async () => {
    state.oktaUser ??= await getOktaUser(run, oktaUserId, `${at}.login`);
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
        state.appUser = await readAppUser(run, oktaUserId);
        appUserName = state.appUser?.credentials?.userName;
      }
    }
    appUserName ??= candidate;
  } else if (appUserName === undefined) {
    // A member that the app does not list (yet): its group's assignment decides the username.
    state.appUser = await readAppUser(run, oktaUserId);
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

async function readAppUser(run: Run, oktaUserId: string): Promise<AppUserJson | undefined> {
  try {
    const { data } = await run.oktaPace('GetApplicationUser', () =>
      oktaRequest<AppUserJson>(run.ctx, 'GetApplicationUser', {
        method: 'GET',
        path: `/api/v1/apps/${encodeURIComponent(run.app.id)}/users/${encodeURIComponent(oktaUserId)}`,
      }),
    );
    return data;
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) return undefined;
    throw error;
  }
}

/** A username Connect refuses, or a Connect user spelled differently: the user's error, before any write. */
function checkUsername(run: Run, user: ResolvedUser, at: string, username: string): void {
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
async function prepareConnect(
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

async function reconcileConnectUser(
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
