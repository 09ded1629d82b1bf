/**
 * The Okta side of a sync: who should have a Connect user, with which username, names and profile
 * attributes, and in which groups (for the mapping rules).
 *
 * Who: the members of `users.fromOkta.groups`, the assignees of `users.fromOkta.apps`, and the listed
 * users. A full sync reads them in pages; a targeted one (an event) reads one person by id. Both decide
 * the username the same way, so that they agree: the person's app username in the apps whose assignees
 * are read (`fromOkta.apps`, a listed user's app, and apps whose username template the library cannot
 * predict), else the username the apps' built-in templates give, else the Okta login.
 */
import type { AppKind, ResolvedConfig, ResolvedUser } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { findAppsByLabel } from '../../resources/okta-app/ensure.js';
import type { UserOverride } from '../../resources/users/mapping.js';
import {
  appUserNameFor,
  findGroupByName,
  getAppAssignee,
  getOktaPerson,
  isActiveStatus,
  listAppAssignees,
  listGroupPeople,
  listPersonGroups,
  type OktaPerson,
} from '../../resources/users/okta-directory.js';

/** The Okta objects a config's sync refers to, found once per run. */
export interface OktaScope {
  /** `users.fromOkta.groups`, found (lower-cased name → group). */
  scopeGroups: Map<string, { id: string; name: string }>;
  /** Groups the mapping rules name (lower-cased name → group), including scope groups. */
  ruleGroups: Map<string, { id: string; name: string }>;
  /** The config's apps found in Okta, by kind, with their username template. */
  apps: Map<AppKind, { id: string; label: string; template: string | undefined }>;
  /** The apps whose assignees are read (their app usernames decide usernames). */
  readApps: AppKind[];
  /** The apps of `users.fromOkta.apps`. */
  scopeApps: AppKind[];
  /** Listed users by lower-cased login. */
  listed: Map<string, UserOverride>;
}

/** A person of the Okta side, as the plan needs it. */
export interface DesiredPerson {
  /** The Okta user id. */
  id: string;
  /** The login. */
  login: string;
  /** The Okta status. */
  status: string;
  /** The profile attributes. */
  profile: Record<string, unknown>;
  /** Lower-cased names of the groups (scope and rule groups; all groups, for a person read alone). */
  groups: Set<string>;
  /** Whether the config names this person (a scope group or app, or listed). */
  inScope: boolean;
  /** The Connect username, or `undefined` with `usernameProblem`. */
  username: string | undefined;
  /** Why there is no username (several apps disagree). */
  usernameProblem: string | undefined;
  /** The listed user's block, when the person is listed. */
  override: UserOverride | undefined;
}

/** The app's username template (`credentials.userNameTemplate.template`). */
function templateOf(credentials: unknown): string | undefined {
  const template = (credentials as { userNameTemplate?: { template?: unknown } } | undefined)
    ?.userNameTemplate?.template;
  return typeof template === 'string' ? template : undefined;
}

/** Whether the person should have a Connect user that can work (in scope and active). */
export function isWanted(person: DesiredPerson): boolean {
  return person.inScope && isActiveStatus(person.status);
}

/**
 * Find the groups and apps the config names. A scope group, a rule group or a scope app that Okta does
 * not have is a {@link ConfigError} (a typo must not make everyone look as if they left).
 */
export async function resolveOktaScope(ctx: SsoContext, config: ResolvedConfig): Promise<OktaScope> {
  const from = config.usersFromOkta;
  const issues: { field: string; message: string }[] = [];
  const scopeGroups = new Map<string, { id: string; name: string }>();
  const ruleGroups = new Map<string, { id: string; name: string }>();
  const lookups = new Map<string, Promise<{ id: string; name: string } | undefined>>();
  const find = (name: string) => {
    const key = name.toLowerCase();
    let found = lookups.get(key);
    if (!found) {
      found = findGroupByName(ctx, name);
      lookups.set(key, found);
    }
    return found;
  };
  const groupFields: [string, string, 'scope' | 'rule'][] = [
    ...(from?.groups ?? []).map((g, i): [string, string, 'scope'] => [
      g,
      `users.fromOkta.groups[${i}]`,
      'scope',
    ]),
    ...config.mappings
      .filter((m) => m.when.group !== undefined)
      .map((m): [string, string, 'rule'] => [m.when.group as string, `${m.field}.when.group`, 'rule']),
  ];
  const appKinds = config.apps.map((a) => a.kind);
  const [groups, apps] = await Promise.all([
    Promise.all(groupFields.map(async ([name]) => find(name))),
    Promise.all(
      config.apps.map(async (app) => {
        const found = (await findAppsByLabel(ctx, app.label))[0];
        return found
          ? { id: found.id, label: app.label, template: templateOf(found.credentials) }
          : undefined;
      }),
    ),
  ]);
  groupFields.forEach(([name, field, kind], i) => {
    const group = groups[i];
    if (!group) {
      issues.push({ field, message: `no Okta group named '${name}' (Directory → Groups)` });
      return;
    }
    (kind === 'scope' ? scopeGroups : ruleGroups).set(name.toLowerCase(), group);
  });
  for (const [key, group] of scopeGroups) if (!ruleGroups.has(key)) ruleGroups.set(key, group);
  const appMap = new Map<AppKind, { id: string; label: string; template: string | undefined }>();
  appKinds.forEach((kind, i) => {
    const app = apps[i];
    if (app) appMap.set(kind, app);
  });
  const scopeApps = from?.apps ?? [];
  scopeApps.forEach((kind) => {
    if (!appMap.has(kind)) {
      const index = scopeApps.indexOf(kind);
      const label = config.apps.find((a) => a.kind === kind)?.label ?? kind;
      issues.push({
        field: `users.fromOkta.apps[${index}]`,
        message: `the Okta app "${label}" does not exist yet: run apply first`,
      });
    }
  });
  if (issues.length > 0) throw ConfigError.of(issues);

  const listed = new Map<string, UserOverride>();
  for (const user of config.users) {
    listed.set(user.login.toLowerCase(), { user, field: `${user.field ?? 'users'}.connect` });
  }
  const unpredictable = [...appMap].filter(
    ([, app]) => appUserNameFor(app.template, { login: 'x' }) === undefined,
  );
  const readApps = new Set<AppKind>([...scopeApps, ...config.users.map((u) => u.app)]);
  for (const [kind] of unpredictable) readApps.add(kind);
  return {
    scopeGroups,
    ruleGroups,
    apps: appMap,
    readApps: [...readApps].filter((kind) => appMap.has(kind)),
    scopeApps,
    listed,
  };
}

/** The username of a person: see the module comment. */
function usernameOf(
  scope: OktaScope,
  person: OktaPerson,
  appUserNames: ReadonlyMap<AppKind, string>,
  listed: ResolvedUser | undefined,
): { username: string | undefined; problem: string | undefined } {
  if (listed) {
    const app = scope.apps.get(listed.app);
    const name =
      appUserNames.get(listed.app) ??
      (app ? appUserNameFor(app.template, person.profile) : undefined) ??
      person.login;
    return { username: name, problem: undefined };
  }
  let candidates = new Map<string, string[]>();
  const add = (name: string, label: string) => candidates.set(name, [...(candidates.get(name) ?? []), label]);
  for (const [kind, name] of appUserNames) add(name, scope.apps.get(kind)?.label ?? kind);
  if (candidates.size === 0) {
    candidates = new Map();
    for (const [kind, app] of scope.apps) {
      if (scope.readApps.includes(kind)) continue;
      const name = appUserNameFor(app.template, person.profile);
      if (name !== undefined) add(name, app.label);
    }
  }
  if (candidates.size === 0) return { username: person.login, problem: undefined };
  if (candidates.size === 1) return { username: [...candidates.keys()][0], problem: undefined };
  return {
    username: undefined,
    problem: `the apps give '${person.login}' different usernames (${[...candidates]
      .map(([name, labels]) => `'${name}' in ${labels.map((l) => `"${l}"`).join(', ')}`)
      .join('; ')}), but one Connect user can have only one: give the apps the same username format`,
  };
}

function desired(
  scope: OktaScope,
  person: OktaPerson,
  facts: { groups: Set<string>; appUserNames: Map<AppKind, string>; inScopeApp: boolean },
): DesiredPerson {
  const override = scope.listed.get(person.login.toLowerCase());
  const inScope =
    override !== undefined ||
    facts.inScopeApp ||
    [...scope.scopeGroups.keys()].some((g) => facts.groups.has(g));
  const { username, problem } = usernameOf(scope, person, facts.appUserNames, override?.user);
  return {
    id: person.id,
    login: person.login,
    status: person.status,
    profile: person.profile,
    groups: facts.groups,
    inScope,
    username,
    usernameProblem: problem,
    override,
  };
}

/** The result of reading the whole Okta side. */
export interface OktaSide {
  /** Every person found, by Okta user id. */
  people: Map<string, DesiredPerson>;
  /** Listed users with no Okta user (by login). */
  missingListed: UserOverride[];
}

/** Read the whole Okta side in pages: the scope groups, the rule groups, the read apps' assignees. */
export async function readOktaSide(ctx: SsoContext, scope: OktaScope): Promise<OktaSide> {
  const facts = new Map<
    string,
    { person: OktaPerson; groups: Set<string>; appUserNames: Map<AppKind, string>; inScopeApp: boolean }
  >();
  const factsOf = (person: OktaPerson) => {
    let f = facts.get(person.id);
    if (!f) {
      f = { person, groups: new Set(), appUserNames: new Map(), inScopeApp: false };
      facts.set(person.id, f);
    }
    return f;
  };
  const [groupLists, appLists] = await Promise.all([
    Promise.all(
      [...scope.ruleGroups].map(async ([key, g]) => ({ key, people: await listGroupPeople(ctx, g.id) })),
    ),
    Promise.all(
      scope.readApps.map(async (kind) => ({
        kind,
        assignees: await listAppAssignees(ctx, (scope.apps.get(kind) as { id: string }).id),
      })),
    ),
  ]);
  for (const { key, people } of groupLists) for (const p of people) factsOf(p).groups.add(key);
  for (const { kind, assignees } of appLists) {
    for (const a of assignees) {
      const p = a.person ?? (await getOktaPerson(ctx, a.id));
      if (!p) continue;
      const f = factsOf(p);
      if (a.userName !== undefined) f.appUserNames.set(kind, a.userName);
      if (scope.scopeApps.includes(kind)) f.inScopeApp = true;
    }
  }
  const byLogin = new Map([...facts.values()].map((f) => [f.person.login.toLowerCase(), f]));
  const missingListed: UserOverride[] = [];
  for (const [login, override] of scope.listed) {
    if (byLogin.has(login)) continue;
    // A listed user who is in no group or app read: one read by login.
    const p = await getOktaPerson(ctx, override.user.login);
    if (p) factsOf(p);
    else missingListed.push(override);
  }
  const people = new Map<string, DesiredPerson>();
  for (const f of facts.values()) people.set(f.person.id, desired(scope, f.person, f));
  return { people, missingListed };
}

/**
 * Read one person again (an event named them): the user, its groups, its assignments to the read apps.
 * `undefined` when Okta has no such user (deleted).
 */
export async function readOktaPerson(
  ctx: SsoContext,
  scope: OktaScope,
  oktaUserId: string,
): Promise<DesiredPerson | undefined> {
  const person = await getOktaPerson(ctx, oktaUserId);
  if (!person) return undefined;
  const [groups, assignments] = await Promise.all([
    listPersonGroups(ctx, person.id),
    Promise.all(
      scope.readApps.map(async (kind) => ({
        kind,
        assignee: await getAppAssignee(ctx, (scope.apps.get(kind) as { id: string }).id, person.id),
      })),
    ),
  ]);
  const appUserNames = new Map<AppKind, string>();
  let inScopeApp = false;
  for (const { kind, assignee } of assignments) {
    if (!assignee) continue;
    if (assignee.userName !== undefined) appUserNames.set(kind, assignee.userName);
    if (scope.scopeApps.includes(kind)) inScopeApp = true;
  }
  // Only the groups a full sync would see, so that both decide alike.
  const relevant = new Set(groups.map((g) => g.toLowerCase()).filter((g) => scope.ruleGroups.has(g)));
  return desired(scope, person, { groups: relevant, appUserNames, inScopeApp });
}
