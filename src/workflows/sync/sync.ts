/**
 * `syncUsers`: keep the Connect users of an instance in line with Okta. Connect has no SCIM, and Okta's
 * provisioning to it needs a licence many orgs lack; this is the reconcile loop instead: read both
 * sides in pages, decide (plan.ts), write at the pace of Connect's quotas (apply.ts).
 *
 * A full run reads O(users / page size): the Okta groups' members and the apps' assignees, Connect's
 * `ListUsers` and `SearchUsers`, the profile lists. A run for a few Okta users (`only`, what the event
 * hook handler does) reads those people and their Connect users one by one, from live state.
 */
import type { ConnectSsoConfig, ResolvedConfig } from '../../config/index.js';
import { isReadOperation, type SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { parseArn } from '../../providers/aws/arn.js';
import { findInstanceByAlias } from '../../resources/connect-instance/ensure.js';
import {
  type ConnectPace,
  type ConnectUserRecord,
  readAllConnectUsers,
  readConnectUsersFor,
} from '../../resources/users/connect-directory.js';
import { type ConnectProfileLists, listConnectProfiles } from '../../resources/users/connect-user.js';
import { resolveHierarchyPaths } from '../../resources/users/hierarchy.js';
import { connectPacer } from '../../resources/users/pacer.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';
import { applyPlan, countOutcomes, ensureNoAccessProfile } from './apply.js';
import {
  type DesiredPerson,
  isWanted,
  type OktaScope,
  readOktaPerson,
  readOktaSide,
  resolveOktaScope,
} from './desired.js';
import {
  indexConnectUsers,
  type PlanInput,
  type PlannedUser,
  type ProfileCatalog,
  personTarget,
  planAll,
} from './plan.js';
import type { SyncEvent, SyncUserOutcome, SyncUsersOptions, SyncUsersResult } from './types.js';

type Issue = { field: string; message: string };

function checkOptions(options: SyncUsersOptions): void {
  const issues: Issue[] = [];
  if (options.offboard !== undefined && !['none', 'strip', 'delete'].includes(options.offboard)) {
    issues.push({
      field: 'offboard',
      message: `expected 'none', 'strip' or 'delete' (got '${String(options.offboard)}')`,
    });
  }
  if (options.renames !== undefined && !['report', 'recreate'].includes(options.renames)) {
    issues.push({
      field: 'renames',
      message: `expected 'report' or 'recreate' (got '${String(options.renames)}')`,
    });
  }
  const c = options.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1 && c <= 32)) {
    issues.push({ field: 'concurrency', message: `must be a whole number from 1 to 32 (got ${String(c)})` });
  }
  if (options.only !== undefined) {
    if (!Array.isArray(options.only))
      issues.push({ field: 'only', message: 'must be a list of Okta user ids' });
    else
      options.only.forEach((id, i) => {
        if (typeof id !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(id)) {
          issues.push({ field: `only[${i}]`, message: `'${String(id)}' is not an Okta user id (00u…)` });
        }
      });
  }
  for (const [key, value] of Object.entries(options.pace ?? {})) {
    if (typeof value !== 'number' || !(value > 0)) {
      issues.push({ field: `pace.${key}`, message: 'must be a number of requests per second above 0' });
    }
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}

type NamedKind = 'security' | 'routing' | 'hierarchy';

/** Every profile name the config uses, with the field it is written in, in the config's order. */
function namedProfiles(config: ResolvedConfig): { kind: NamedKind; name: string; field: string }[] {
  const out: { kind: NamedKind; name: string; field: string }[] = [];
  const add = (
    at: string,
    c: {
      securityProfiles?: string[] | undefined;
      routingProfile?: string | undefined;
      hierarchyGroup?: string | undefined;
    },
  ) => {
    for (const [i, name] of (c.securityProfiles ?? []).entries()) {
      out.push({ kind: 'security', name, field: `${at}.securityProfiles[${i}]` });
    }
    if (c.routingProfile !== undefined)
      out.push({ kind: 'routing', name: c.routingProfile, field: `${at}.routingProfile` });
    if (c.hierarchyGroup !== undefined)
      out.push({ kind: 'hierarchy', name: c.hierarchyGroup, field: `${at}.hierarchyGroup` });
  };
  for (const user of config.users) {
    const { explicit } = user.connect;
    add(`${user.field ?? 'users'}.connect`, {
      securityProfiles: explicit.securityProfiles ? user.connect.securityProfiles : undefined,
      routingProfile: explicit.routingProfile ? user.connect.routingProfile : undefined,
      hierarchyGroup: explicit.hierarchyGroup ? user.connect.hierarchyGroup : undefined,
    });
  }
  for (const rule of config.mappings) add(`${rule.field}.connect`, rule.connect);
  return out;
}

function unknown(kind: string, name: string, available: readonly string[]): string {
  const near = available.find((n) => n.toLowerCase() === name.toLowerCase());
  const shown =
    available.length > 20 ? [...available.slice(0, 20), `… ${available.length - 20} more`] : available;
  return `no ${kind} named '${name}' in the instance${near ? ` (did you mean '${near}'? names are case-sensitive)` : ''}; available: ${shown.join(', ') || 'none'}`;
}

/**
 * Resolve every name the config uses (rules, listed users, the defaults that apply) against the
 * instance. Unknown names are one {@link ConfigError}, naming each rule, before any write.
 */
function buildCatalog(
  config: ResolvedConfig,
  lists: ConnectProfileLists,
  hierarchy: { resolved: Map<string, string>; missing: string[]; names: Map<string, string> },
  people: Iterable<DesiredPerson>,
): ProfileCatalog {
  const securityByName = new Map(lists.security.map((p) => [p.name, p.id]));
  const routingByName = new Map(lists.routing.map((p) => [p.name, p.id]));
  const issues: Issue[] = [];
  for (const { kind, name, field } of namedProfiles(config)) {
    if (kind === 'security' && !securityByName.has(name)) {
      issues.push({ field, message: unknown('security profile', name, [...securityByName.keys()]) });
    } else if (kind === 'routing' && !routingByName.has(name)) {
      issues.push({ field, message: unknown('routing profile', name, [...routingByName.keys()]) });
    } else if (kind === 'hierarchy' && hierarchy.missing.includes(name)) {
      issues.push({
        field,
        message: `no agent hierarchy group '${name}' in the instance (a path of group names from the top level, joined by '/')`,
      });
    }
  }
  // The defaults only matter for people they apply to.
  const defaults = { security: false, routing: false };
  for (const person of people) {
    if (!isWanted(person)) continue;
    const target = personTarget(person, config.mappings);
    if (target.sources.securityProfiles === 'default') defaults.security = true;
    if (target.sources.routingProfile === 'default') defaults.routing = true;
    if (defaults.security && defaults.routing) break;
  }
  if (defaults.security) {
    for (const name of ['Agent']) {
      if (!securityByName.has(name)) {
        issues.push({
          field: 'mappings',
          message: `users no rule gives security profiles get '${name}', but ${unknown('security profile', name, [...securityByName.keys()]).replace(/^no /, 'there is no ')}: add a rule that matches them`,
        });
      }
    }
  }
  if (defaults.routing && !routingByName.has('Basic Routing Profile')) {
    issues.push({
      field: 'mappings',
      message: `users no rule gives a routing profile get 'Basic Routing Profile', but ${unknown('routing profile', 'Basic Routing Profile', [...routingByName.keys()]).replace(/^no /, 'there is no ')}: add a rule that matches them`,
    });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  const noAccessName = config.sync.noAccessSecurityProfile;
  return {
    securityByName,
    securityNames: new Map(lists.security.map((p) => [p.id, p.name])),
    routingByName,
    routingNames: new Map(lists.routing.map((p) => [p.id, p.name])),
    hierarchyByPath: hierarchy.resolved,
    hierarchyNames: hierarchy.names,
    noAccessId: securityByName.get(noAccessName),
    noAccessName,
  };
}

/** The instance of the config, which must exist and be ACTIVE. */
async function activeInstance(
  ctx: SsoContext,
  config: ResolvedConfig,
): Promise<{ id: string; accountId: string }> {
  const found = await findInstanceByAlias(ctx, config.instance.alias);
  if (!found?.Id || !found.Arn) {
    throw new ConfigError(
      'instance.alias',
      `no Connect instance '${config.instance.alias}' in region ${ctx.region}: create the setup with apply first`,
    );
  }
  if (found.InstanceStatus !== 'ACTIVE') {
    throw new ConfigError(
      'instance.alias',
      `the Connect instance '${config.instance.alias}' is ${found.InstanceStatus ?? 'not ACTIVE'}: sync once it is ACTIVE`,
    );
  }
  return { id: found.Id, accountId: parseArn(found.Arn)?.accountId ?? ctx.accountId ?? 'unknown' };
}

const ORDER: Record<SyncUserOutcome['action'], number> = {
  failed: 0,
  reported: 1,
  offboarded: 2,
  renamed: 3,
  created: 4,
  updated: 5,
  unchanged: 6,
};

/**
 * Keep the Connect users of the config's instance in line with Okta: the people of `users.fromOkta`
 * (members of the Okta groups, assignees of the apps) and `users.list`, each with a Connect user named
 * exactly like their Okta app username, with the profiles the `mappings` (or their own block) give.
 *
 * - **create** a Connect user for each person who has none (tagged with the ownership tags and the Okta
 *   user id);
 * - **update** names, security profiles, routing profile and hierarchy group where they differ;
 * - **offboard** the Connect users this library created whose person left (removed from the groups or
 *   apps, deactivated, deleted), by `offboard`: `none` (reported; the default), `strip` (security
 *   profiles replaced by the no-access profile) or `delete`. Users it did not create are never offboarded;
 * - a **renamed** Okta user (the same Okta user id, a new username) gets a new Connect user only with
 *   `renames: 'recreate'` (Connect usernames cannot change); otherwise it is reported.
 *
 * Names are resolved once per run; an unknown name is a {@link ConfigError} naming the rule
 * (`mappings[1].connect.routingProfile`) before any write, as is an Okta group or app that does not
 * exist. Writes are paced at Connect's user-write quota (2/s per account and region by default) and
 * throttling answers are waited out, so thousands of users sync without a failed call. A person whose
 * write fails is `failed` in the result; the others go on.
 *
 * @throws {ConfigError} invalid config or options, an unknown profile, group or app, no ACTIVE instance.
 * @throws {ProviderError} a read failed.
 */
export async function syncUsers(
  config: ConnectSsoConfig | ResolvedConfig,
  options: SyncUsersOptions = {},
): Promise<SyncUsersResult> {
  checkOptions(options);
  const resolved = resolveConfigInput(config, options.context !== undefined);
  const calls = { reads: 0, writes: 0, throttled: 0 };
  const ctx = contextForConfig(resolved, options.context, {
    signal: options.signal,
    onCall: (call) => {
      if (isReadOperation(call.operation)) calls.reads++;
      else calls.writes++;
    },
  });
  const emit = (event: SyncEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure is not the sync's.
    }
  };
  const dryRun = options.dryRun === true;
  const policy = {
    offboard: options.offboard ?? resolved.sync.offboard,
    renames: options.renames ?? resolved.sync.renames,
    adopt: options.adopt === true,
  };

  const instance = await activeInstance(ctx, resolved);
  const pacer = connectPacer(ctx.clock, { accountId: instance.accountId, region: ctx.region }, options.pace);
  const throttledBefore = pacer.stats.throttled;
  const pace: ConnectPace = (operation, call) => pacer.run(ctx, operation, call);
  const only = options.only === undefined ? undefined : new Set(options.only);

  const paths = namedProfiles(resolved)
    .filter((n) => n.kind === 'hierarchy')
    .map((n) => n.name);
  const [scope, lists, hierarchy] = await Promise.all([
    resolveOktaScope(ctx, resolved),
    listConnectProfiles(ctx, instance.id),
    resolveHierarchyPaths(ctx, instance.id, paths, pace),
  ]);

  let people: Map<string, DesiredPerson>;
  let connectUsers: ConnectUserRecord[];
  const reported: SyncUserOutcome[] = [];
  if (only === undefined) {
    const [side, users] = await Promise.all([
      readOktaSide(ctx, scope),
      readAllConnectUsers(ctx, instance.id, pace),
    ]);
    people = side.people;
    connectUsers = users;
    for (const missing of side.missingListed) {
      reported.push({
        action: 'reported',
        username: missing.user.login,
        oktaUserId: undefined,
        login: missing.user.login,
        connectUserId: undefined,
        profiles: undefined,
        changes: [],
        reason: `${missing.user.field ?? 'users'}: no Okta user with login '${missing.user.login}'`,
      });
    }
  } else {
    ({ people, connectUsers } = await readTargeted(ctx, scope, instance.id, [...only], pace));
  }
  emit({ type: 'read', oktaUsers: people.size, connectUsers: connectUsers.length, reads: calls.reads });

  const catalog = buildCatalog(resolved, lists, hierarchy, people.values());
  const input: PlanInput = { ctx, mappings: resolved.mappings, policy, catalog };
  const index = indexConnectUsers(ctx, connectUsers);
  const planned: PlannedUser[] = planAll(input, index, people, connectUsers, only);
  const planCounts = countOutcomes([...planned.map((p) => p.outcome), ...reported]);
  const toWrite = planned.filter((p) => p.ops.length > 0);
  emit({ type: 'planned', counts: planCounts, toWrite: toWrite.length });
  for (const p of [...planned.filter((p) => p.ops.length === 0).map((p) => p.outcome), ...reported]) {
    if (p.action !== 'unchanged') emit({ type: 'user', user: p });
  }

  const written: SyncUserOutcome[] = [];
  if (!dryRun && toWrite.length > 0) {
    await ensureNoAccessProfile(ctx, { instanceId: instance.id, pace }, catalog, planned);
    await applyPlan(
      ctx,
      {
        instanceId: instance.id,
        concurrency: options.concurrency ?? 4,
        pace,
        onUserDone: (user, done, total) => {
          written.push(user.outcome);
          emit({ type: 'user', user: user.outcome });
          emit({ type: 'progress', done, total, counts: countOutcomes(written) });
        },
      },
      catalog,
      planned,
    );
  } else if (dryRun) {
    for (const p of toWrite) emit({ type: 'user', user: p.outcome });
  }

  const users = [...planned.map((p) => p.outcome), ...reported].sort((a, b) =>
    a.username < b.username ? -1 : a.username > b.username ? 1 : ORDER[a.action] - ORDER[b.action],
  );
  const counts = countOutcomes(users);
  calls.throttled = pacer.stats.throttled - throttledBefore;
  const pick = (action: SyncUserOutcome['action']) => users.filter((u) => u.action === action);
  const result: SyncUsersResult = {
    dryRun,
    stack: resolved.stack,
    instanceId: instance.id,
    policy: { offboard: policy.offboard, renames: policy.renames },
    users,
    created: pick('created'),
    updated: pick('updated'),
    offboarded: pick('offboarded'),
    renamed: pick('renamed'),
    reported: pick('reported'),
    failed: pick('failed'),
    counts,
    calls: { ...calls },
  };
  emit({ type: 'finished', counts, calls: result.calls });
  return result;
}

/** The people of `ids` and every Connect user they concern, read one by one from live state. */
async function readTargeted(
  ctx: SsoContext,
  scope: OktaScope,
  instanceId: string,
  ids: readonly string[],
  pace: ConnectPace,
): Promise<{ people: Map<string, DesiredPerson>; connectUsers: ConnectUserRecord[] }> {
  const people = new Map<string, DesiredPerson>();
  const connect = new Map<string, ConnectUserRecord>();
  for (const id of ids) {
    const person = await readOktaPerson(ctx, scope, id);
    if (person) people.set(id, person);
    const usernames = person?.username !== undefined ? [person.username] : [];
    for (const user of await readConnectUsersFor(ctx, instanceId, { oktaUserId: id, usernames }, pace)) {
      connect.set(user.id, user);
    }
  }
  return { people, connectUsers: [...connect.values()] };
}
