/**
 * `validateConfig`: the whole configuration checked before any call, every problem reported at once with
 * its path (`users[3].login`), then every default applied.
 *
 * Two layers. The structure (types, unknown keys, lengths, patterns, ranges) is checked by interpreting
 * the exported JSON Schema, so editors and the library cannot disagree on it. The rules a JSON Schema
 * cannot state are checked here: the region's partition, the Okta org URL, credentials, duplicates
 * (kinds, labels, IAM names — case-insensitively, like IAM —, logins — case-insensitively, like Okta),
 * users naming an app that does not exist, and the consistency of group mapping.
 *
 * Pure: no I/O, no clock, no network. Secrets (the Okta token or private key) are never part of a
 * message and come out as {@link Secret}s.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { normalizeOrgUrl } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { checkRegion } from '../core/regions.js';
import { Secret } from '../core/secret.js';
import {
  APP_DEFAULTS,
  APP_KINDS,
  type AppKind,
  DEFAULT_GROUP_NAME,
  DEFAULT_NO_ACCESS_SECURITY_PROFILE,
  DEFAULT_OAUTH_SCOPES,
  DEFAULT_OFFBOARD,
  DEFAULT_PHONE_TYPE,
  DEFAULT_RENAMES,
  DEFAULT_ROLE_MAPPING,
  DEFAULT_ROUTING_PROFILE,
  DEFAULT_SECURITY_PROFILES,
  DEFAULT_SESSION_DURATION,
  defaultGroupFilter,
  NAME_DEFAULTS,
  OKTA_TOKEN_ENV,
  type RoleMapping,
} from './defaults.js';
import { checkAgainstSchema, closest, describeValue } from './json-schema.js';
import { connectSsoConfigSchema } from './schema.js';
import type {
  AppConfig,
  ConnectSsoConfig,
  MappingConfig,
  ResolvedApp,
  ResolvedConfig,
  ResolvedMapping,
  ResolvedOktaAuth,
  ResolvedUser,
  ResolvedUsersFromOkta,
  UserConfig,
  UsersFromOktaConfig,
} from './types.js';

/** Options of {@link validateConfig} (and {@link loadConfig}). */
export interface ValidateConfigOptions {
  /** Where `OKTA_API_TOKEN` and `${NAME}` in `okta.token` / `okta.privateKey` are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Require Okta credentials (a token, from the config or the environment, or a private key). Default
   * `true`. Pass `false` when the caller brings its own Okta client; `okta.auth` is then `undefined`
   * when none is found.
   */
  requireOktaAuth?: boolean;
}

type Issue = { field: string; message: string };
type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isKind = (v: unknown): v is AppKind =>
  typeof v === 'string' && (APP_KINDS as readonly string[]).includes(v);

/** An account id used to try group names against group filters (any 12 digits would do). */
export const SAMPLE_ACCOUNT_ID = '123456789012';

/**
 * The list of issues; an issue under a path that already has one is dropped (one cause, one message).
 *
 * `has(field)` asks whether `field` or a path above it (`users[3]` above `users[3].login`) has an
 * issue. The recorded paths are kept in a set, so the question costs the length of `field` (at most one
 * set lookup per `.` or `[` in it), not the number of issues: a config with one problem in each of
 * 16,000 users is checked in linear time.
 */
class Issues {
  readonly list: Issue[] = [];
  private readonly fields = new Set<string>();
  /** The lengths of the recorded paths: a path of another length cannot be one (it is not looked up). */
  private readonly lengths = new Set<number>();

  constructor(initial: readonly Issue[]) {
    for (const issue of initial) this.record(issue.field, issue.message);
  }

  has(field: string): boolean {
    if (this.fields.size === 0) return false;
    if (this.lengths.has(field.length) && this.fields.has(field)) return true;
    // Every proper prefix that ends where a segment starts: `users`, `users[3]` for `users[3].login`.
    for (let end = 0; end < field.length; end++) {
      const c = field.charCodeAt(end);
      if ((c === 0x2e || c === 0x5b) && this.lengths.has(end) && this.fields.has(field.slice(0, end)))
        return true;
    }
    return false;
  }

  add(field: string, message: string): void {
    if (!this.has(field)) this.record(field, message);
  }

  private record(field: string, message: string): void {
    this.list.push({ field, message });
    this.fields.add(field);
    this.lengths.add(field.length);
  }
}

/** The Okta secrets of the input, and the input with them replaced by placeholders for the schema. */
function separateSecrets(input: unknown): { value: unknown; token: unknown; privateKey: unknown } {
  if (!isObject(input) || !isObject(input.okta))
    return { value: input, token: undefined, privateKey: undefined };
  const { token, privateKey } = input.okta;
  const okta: Loose = { ...input.okta };
  // A Secret passes the structural check as a string; its value is never looked at there.
  if (token instanceof Secret) okta.token = 'secret';
  if (privateKey instanceof Secret) okta.privateKey = 'secret';
  return { value: { ...input, okta }, token, privateKey };
}

type SecretSource = { kind: 'config' } | { kind: 'env'; name: string };

/** `${NAME}` reads the environment; any other use of `${` is refused; a plain value is taken as it is. */
function readSecret(
  value: unknown,
  field: string,
  env: NodeJS.ProcessEnv,
  issues: Issues,
): { secret: Secret; source: SecretSource } | undefined {
  if (value instanceof Secret) return { secret: value, source: { kind: 'config' } };
  if (typeof value !== 'string' || issues.has(field)) return undefined;
  const reference = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value.trim());
  if (reference) {
    const name = reference[1] as string;
    const fromEnv = env[name];
    if (fromEnv === undefined || fromEnv.trim() === '') {
      issues.add(field, `refers to the environment variable ${name}, which is not set`);
      return undefined;
    }
    return { secret: new Secret(fromEnv.trim()), source: { kind: 'env', name } };
  }
  if (value.includes('${')) {
    issues.add(
      field,
      'to read an environment variable, write the whole value as ${NAME} (nothing else is interpolated)',
    );
    return undefined;
  }
  const literal = value.trim();
  if (literal === '') {
    issues.add(field, 'must not be blank');
    return undefined;
  }
  return { secret: new Secret(literal), source: { kind: 'config' } };
}

/** An RSA or EC private key, PEM or JWK (what the Okta SDK's private_key_jwt accepts). */
function privateKeyProblem(key: Secret): string | undefined {
  const text = key.reveal().trim();
  try {
    const parsed = text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPrivateKey(text);
    if (parsed.asymmetricKeyType !== 'rsa' && parsed.asymmetricKeyType !== 'ec') {
      return `must be an RSA or EC private key (got a ${parsed.asymmetricKeyType ?? 'different'} key)`;
    }
    return undefined;
  } catch {
    // The parser's message may quote the input: say only what was expected.
    return 'is not a readable private key: expected PEM (-----BEGIN PRIVATE KEY-----…) or a JWK in JSON';
  }
}

function checkOkta(
  okta: unknown,
  token: unknown,
  privateKey: unknown,
  roleMapping: RoleMapping,
  env: NodeJS.ProcessEnv,
  requireAuth: boolean,
  issues: Issues,
): { orgUrl: string; auth: ResolvedOktaAuth | undefined } | undefined {
  if (!isObject(okta)) return undefined;
  let orgUrl: string | undefined;
  if (typeof okta.orgUrl === 'string' && !issues.has('okta.orgUrl')) {
    try {
      orgUrl = normalizeOrgUrl(okta.orgUrl);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.add('okta.orgUrl', error.issues[0]?.message ?? error.message);
    }
  }

  let auth: ResolvedOktaAuth | undefined;
  if (token !== undefined && privateKey !== undefined) {
    issues.add('okta.privateKey', 'give either okta.token or okta.privateKey (OAuth), not both');
  } else if (privateKey !== undefined) {
    if (okta.clientId === undefined) issues.add('okta.clientId', 'is required with okta.privateKey');
    const key = readSecret(privateKey, 'okta.privateKey', env, issues);
    if (key) {
      const problem = privateKeyProblem(key.secret);
      if (problem) issues.add('okta.privateKey', problem);
      else if (typeof okta.clientId === 'string') {
        auth = {
          type: 'private-key',
          clientId: okta.clientId,
          privateKey: key.secret,
          source: key.source,
          keyId: asString(okta.keyId),
          scopes: Array.isArray(okta.scopes)
            ? (okta.scopes as string[]).slice()
            : [...DEFAULT_OAUTH_SCOPES[roleMapping]],
        };
      }
    }
  } else {
    for (const field of ['clientId', 'keyId', 'scopes'] as const) {
      if (okta[field] !== undefined) issues.add(`okta.${field}`, 'is only used with okta.privateKey (OAuth)');
    }
    if (token !== undefined) {
      const read = readSecret(token, 'okta.token', env, issues);
      if (read) auth = { type: 'token', token: read.secret, source: read.source };
    } else {
      const fromEnv = env[OKTA_TOKEN_ENV];
      if (fromEnv !== undefined && fromEnv.trim() !== '') {
        auth = {
          type: 'token',
          token: new Secret(fromEnv.trim()),
          source: { kind: 'env', name: OKTA_TOKEN_ENV },
        };
      } else if (requireAuth) {
        issues.add(
          'okta.token',
          `no Okta credentials: set the environment variable ${OKTA_TOKEN_ENV} (recommended), or okta.token, or okta.privateKey with okta.clientId (OAuth)`,
        );
      }
    }
  }
  return orgUrl === undefined ? undefined : { orgUrl, auth };
}

/** Okta's `(?{{name}}…)` named groups as JavaScript's `(?<name>…)`. */
function oktaRegExp(filter: string): RegExp {
  return new RegExp(filter.replace(/\(\?\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, '(?<$1>'));
}

/** The group name an app's template gives for an account. */
export function renderGroupName(template: string, accountId: string, roleName: string): string {
  return template.replaceAll('{{accountid}}', accountId).replaceAll('{{role}}', roleName);
}

interface AppView {
  index: number;
  kind: AppKind;
  label: string;
  providerName: string;
  roleName: string;
  raw: Loose;
}

function checkApps(apps: unknown, roleMapping: RoleMapping, issues: Issues): AppView[] | undefined {
  if (!Array.isArray(apps)) return undefined;
  const views: AppView[] = [];
  let complete = true;
  apps.forEach((raw: unknown, index) => {
    if (!isObject(raw) || !isKind(raw.kind)) {
      complete = false;
      return;
    }
    const defaults = APP_DEFAULTS[raw.kind];
    views.push({
      index,
      kind: raw.kind,
      label: asString(raw.label) ?? defaults.label,
      providerName: asString(raw.providerName) ?? defaults.providerName,
      roleName: asString(raw.roleName) ?? defaults.roleName,
      raw,
    });
  });

  // Each kind once; then the names that must be unique, compared as the services compare them.
  const firstOfKind = new Map<AppKind, number>();
  const distinct: AppView[] = [];
  for (const view of views) {
    const first = firstOfKind.get(view.kind);
    if (first === undefined) {
      firstOfKind.set(view.kind, view.index);
      distinct.push(view);
    } else {
      issues.add(
        `apps[${view.index}].kind`,
        `a second '${view.kind}' app (apps[${first}] is one): each kind at most once`,
      );
    }
  }
  const unique = (key: 'label' | 'providerName' | 'roleName', what: string) => {
    const seen = new Map<string, AppView>();
    for (const view of distinct) {
      const value = view[key];
      const normal = value.toLowerCase();
      const other = seen.get(normal);
      if (other) {
        const given = view.raw[key] !== undefined ? '' : ' (the default for its kind)';
        issues.add(
          `apps[${view.index}].${key}`,
          `'${value}'${given} is also the ${what} of apps[${other.index}]${value === other[key] ? '' : ` ('${other[key]}'; ${what}s ignore case)`}`,
        );
      } else seen.set(normal, view);
    }
  };
  unique('label', 'label');
  unique('providerName', 'SAML provider name');
  unique('roleName', 'role name');
  for (const view of distinct) {
    const kindOfOther = distinct.find((o) => o !== view && o.kind === view.label);
    if (kindOfOther) {
      issues.add(
        `apps[${view.index}].label`,
        `'${view.label}' is the kind of apps[${kindOfOther.index}]: a user's app: '${view.label}' would be ambiguous`,
      );
    }
  }

  checkGroupMapping(distinct, roleMapping, issues);
  return complete ? views : undefined;
}

function checkGroupMapping(views: readonly AppView[], roleMapping: RoleMapping, issues: Issues): void {
  if (roleMapping !== 'group-mapping') {
    for (const view of views) {
      for (const key of ['groupFilter', 'groupName'] as const) {
        if (view.raw[key] !== undefined) {
          issues.add(
            `apps[${view.index}].${key}`,
            `is only used with roleMapping: group-mapping (roleMapping is '${roleMapping}')`,
          );
        }
      }
    }
    return;
  }
  const groups: { view: AppView; filter: RegExp; name: string; filterField: string }[] = [];
  for (const view of views) {
    const at = `apps[${view.index}]`;
    const givenFilter = asString(view.raw.groupFilter);
    const template = asString(view.raw.groupName) ?? DEFAULT_GROUP_NAME;
    const source = givenFilter ?? defaultGroupFilter(view.roleName);
    const filterField = `${at}.groupFilter`;
    const nameField = `${at}.groupName`;
    if (issues.has(filterField) || issues.has(nameField) || issues.has(`${at}.roleName`)) continue;
    let filter: RegExp;
    try {
      filter = oktaRegExp(source);
    } catch (error) {
      issues.add(
        filterField,
        `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    let usable = true;
    for (const capture of ['role', 'accountid']) {
      if (!source.includes(`(?{{${capture}}}`)) {
        issues.add(
          filterField,
          `needs a (?{{${capture}}}…) capture: the app builds the SAML role from \${accountid} and \${role}`,
        );
        usable = false;
      }
    }
    const placeholders = template.match(/\{\{[^}]*\}\}/g) ?? [];
    const unknown = placeholders.filter((p) => p !== '{{accountid}}' && p !== '{{role}}');
    if (unknown.length > 0) {
      issues.add(nameField, `unknown placeholder ${unknown.join(', ')}: only {{accountid}} and {{role}}`);
      usable = false;
    }
    if (!usable) continue;
    const name = renderGroupName(template, SAMPLE_ACCOUNT_ID, view.roleName);
    if (name.length > 255) {
      issues.add(nameField, `gives group names longer than Okta's 255 characters ('${name.slice(0, 40)}…')`);
      continue;
    }
    const match = new RegExp(`^(?:${filter.source})$`).exec(name);
    if (!match || match.groups?.role !== view.roleName || match.groups?.accountid !== SAMPLE_ACCOUNT_ID) {
      const why = !match
        ? 'does not match it'
        : `gives role '${match.groups?.role ?? ''}' and account '${match.groups?.accountid ?? ''}' instead of '${view.roleName}' and '${SAMPLE_ACCOUNT_ID}'`;
      issues.add(
        givenFilter !== undefined || view.raw.groupName === undefined ? filterField : nameField,
        `the app's group for account ${SAMPLE_ACCOUNT_ID}, '${name}' (groupName with roleName '${view.roleName}'), ${why}`,
      );
      continue;
    }
    groups.push({ view, filter, name, filterField });
  }
  for (const a of groups) {
    for (const b of groups) {
      if (a === b) continue;
      if (a.name === b.name && a.view.index > b.view.index) {
        issues.add(
          `apps[${a.view.index}].groupName`,
          `gives the same group as apps[${b.view.index}] ('${a.name}')`,
        );
      } else if (a.name !== b.name && a.filter.test(b.name)) {
        issues.add(
          a.filterField,
          `also matches the group of apps[${b.view.index}] ('${b.name}'): its users would get a role of this app's SAML provider, which that role does not trust; anchor it (^…$) or narrow the (?{{role}}…) capture`,
        );
      }
    }
  }
}

/** The listed users of `users` (its list form, or `users.list`) and the path they are found under. */
function listedUsers(users: unknown): { list: unknown; prefix: string } {
  if (isObject(users)) return { list: users.list, prefix: 'users.list' };
  return { list: users, prefix: 'users' };
}

function checkUsers(users: unknown, apps: AppView[] | undefined, issues: Issues): void {
  const { list, prefix } = listedUsers(users);
  if (isObject(users)) checkUsersFromOkta(users.fromOkta, apps, issues);
  if (!Array.isArray(list)) return;
  checkUserList(list, prefix, apps, issues);
}

/** A reference to an app (`kind` or `label`) that names none: the message lists the apps. */
function unknownAppMessage(reference: string, apps: readonly AppView[]): string {
  const listed = apps.filter((a, i) => apps.findIndex((b) => b.kind === a.kind) === i);
  const near = closest(reference, [...listed.map((a) => a.kind), ...listed.map((a) => a.label)]);
  return `no app with kind or label ${describeValue(reference)}${near ? ` (did you mean '${near}'?)` : ''}; the apps are ${listed
    .map((a) => `${a.kind} ('${a.label}')`)
    .join(', ')}`;
}

function checkUsersFromOkta(fromOkta: unknown, apps: AppView[] | undefined, issues: Issues): void {
  if (!isObject(fromOkta)) return;
  const groups = Array.isArray(fromOkta.groups) ? fromOkta.groups : [];
  const appRefs = Array.isArray(fromOkta.apps) ? fromOkta.apps : [];
  if (fromOkta.groups === undefined && fromOkta.apps === undefined) {
    issues.add('users.fromOkta', 'name the Okta groups (groups) or the apps (apps) whose users to sync');
  }
  const seen = new Map<string, number>();
  groups.forEach((group: unknown, i) => {
    if (typeof group !== 'string') return;
    const key = group.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined && groups[first] !== group) {
      issues.add(
        `users.fromOkta.groups[${i}]`,
        `'${group}' is also users.fromOkta.groups[${first}] ('${String(groups[first])}'; Okta group names ignore case)`,
      );
    } else if (first === undefined) seen.set(key, i);
  });
  if (!apps) return;
  appRefs.forEach((ref: unknown, i) => {
    const field = `users.fromOkta.apps[${i}]`;
    if (typeof ref === 'string' && !issues.has(field) && !findApp(apps, ref)) {
      issues.add(field, unknownAppMessage(ref, apps));
    }
  });
}

/** Rules of `mappings` a JSON Schema cannot state: at least one condition and one profile per rule. */
function checkMappings(mappings: unknown, issues: Issues): void {
  if (!Array.isArray(mappings)) return;
  mappings.forEach((rule: unknown, i) => {
    if (!isObject(rule)) return;
    const at = `mappings[${i}]`;
    const when = rule.when;
    if (isObject(when) && !issues.has(`${at}.when`)) {
      const conditions = Object.keys(when).filter((k) => when[k] !== undefined);
      if (conditions.length === 0) {
        issues.add(
          `${at}.when`,
          'give at least one condition: group (an Okta group) or attribute ({ name: value })',
        );
      } else if (isObject(when.attribute) && Object.keys(when.attribute).length === 0) {
        issues.add(
          `${at}.when.attribute`,
          'give at least one attribute and its value, e.g. { department: Sales }',
        );
      }
    }
    const connect = rule.connect;
    if (isObject(connect) && !issues.has(`${at}.connect`)) {
      if (Object.keys(connect).filter((k) => connect[k] !== undefined).length === 0) {
        issues.add(
          `${at}.connect`,
          'give at least one of securityProfiles, routingProfile, hierarchyGroup (what the rule decides)',
        );
      }
    }
  });
}

function checkUserList(users: unknown[], prefix: string, apps: AppView[] | undefined, issues: Issues): void {
  const logins = new Map<string, number>();
  // One message per unknown app name, however many users give it: worded once, shared.
  const unknownApps = new Map<string, string>();
  users.forEach((user: unknown, index) => {
    if (!isObject(user)) return;
    const at = `${prefix}[${index}]`;
    if (typeof user.login === 'string' && !issues.has(`${at}.login`)) {
      const key = user.login.toLowerCase();
      const first = logins.get(key);
      if (first !== undefined) {
        const firstLogin = (users[first] as Loose).login as string;
        issues.add(
          `${at}.login`,
          `'${user.login}' is already ${prefix}[${first}]${firstLogin === user.login ? '' : ` ('${firstLogin}'; Okta logins ignore case)`}: one entry per user`,
        );
      } else logins.set(key, index);
    }
    if (typeof user.app === 'string' && apps && !issues.has(`${at}.app`) && !findApp(apps, user.app)) {
      let message = unknownApps.get(user.app);
      if (message === undefined) {
        message = unknownAppMessage(user.app, apps);
        unknownApps.set(user.app, message);
      }
      issues.add(`${at}.app`, message);
    }
    const connect = user.connect;
    if (isObject(connect)) {
      const phoneType = connect.phoneType ?? DEFAULT_PHONE_TYPE;
      if (phoneType === 'DESK_PHONE' && connect.deskPhoneNumber === undefined) {
        issues.add(`${at}.connect.deskPhoneNumber`, 'is required with phoneType DESK_PHONE');
      } else if (
        phoneType !== 'DESK_PHONE' &&
        connect.deskPhoneNumber !== undefined &&
        !issues.has(`${at}.connect.phoneType`)
      ) {
        issues.add(
          `${at}.connect.deskPhoneNumber`,
          `is only used with phoneType DESK_PHONE (phoneType is ${String(phoneType)})`,
        );
      }
    }
  });
}

function findApp<T extends { kind: AppKind; label: string }>(
  apps: readonly T[],
  reference: string,
): T | undefined {
  return (
    apps.find((a) => a.kind === reference) ??
    apps.find((a) => a.label.toLowerCase() === reference.toLowerCase())
  );
}

function resolveApp(app: AppConfig, roleMapping: RoleMapping): ResolvedApp {
  const defaults = APP_DEFAULTS[app.kind];
  const roleName = app.roleName ?? defaults.roleName;
  const grouped = roleMapping === 'group-mapping';
  return {
    kind: app.kind,
    label: app.label ?? defaults.label,
    providerName: app.providerName ?? defaults.providerName,
    roleName,
    sessionDuration: app.sessionDuration ?? DEFAULT_SESSION_DURATION,
    destination: app.destination ?? defaults.destination,
    newDomain: app.newDomain ?? false,
    groupFilter: grouped ? (app.groupFilter ?? defaultGroupFilter(roleName)) : undefined,
    groupName: grouped ? (app.groupName ?? DEFAULT_GROUP_NAME) : undefined,
  };
}

function resolveUser(user: UserConfig, apps: readonly ResolvedApp[], field: string): ResolvedUser {
  const connect = user.connect ?? {};
  const app = findApp(apps, user.app) as ResolvedApp;
  return {
    login: user.login,
    app: app.kind,
    field,
    connect: {
      securityProfiles: (connect.securityProfiles ?? DEFAULT_SECURITY_PROFILES).slice(),
      routingProfile: connect.routingProfile ?? DEFAULT_ROUTING_PROFILE,
      firstName: connect.firstName,
      lastName: connect.lastName,
      phoneType: connect.phoneType ?? DEFAULT_PHONE_TYPE,
      deskPhoneNumber: connect.deskPhoneNumber,
      hierarchyGroup: connect.hierarchyGroup,
      explicit: {
        securityProfiles: connect.securityProfiles !== undefined,
        routingProfile: connect.routingProfile !== undefined,
        hierarchyGroup: connect.hierarchyGroup !== undefined,
      },
    },
  };
}

function resolveFromOkta(
  fromOkta: UsersFromOktaConfig | undefined,
  apps: readonly ResolvedApp[],
): ResolvedUsersFromOkta | undefined {
  if (!fromOkta) return undefined;
  const kinds = (fromOkta.apps ?? []).map((ref) => (findApp(apps, ref) as ResolvedApp).kind);
  return { groups: [...(fromOkta.groups ?? [])], apps: [...new Set(kinds)] };
}

function resolveMapping(rule: MappingConfig, index: number): ResolvedMapping {
  const { when, connect } = rule;
  return {
    field: `mappings[${index}]`,
    when: {
      group: when.group,
      attribute: when.attribute === undefined ? undefined : { ...when.attribute },
    },
    connect: {
      securityProfiles: connect.securityProfiles?.slice(),
      routingProfile: connect.routingProfile,
      hierarchyGroup: connect.hierarchyGroup,
    },
  };
}

const TOP_LEVEL = Object.keys(connectSsoConfigSchema.properties as object);

/**
 * Issues in the order of the config's sections (`region` before `apps`, `users[2]` before `users[10]`),
 * whichever check found them; ties keep the order of discovery.
 */
function inFileOrder(issues: readonly Issue[]): Issue[] {
  const key = (field: string): [number, number] => {
    const m = /^([A-Za-z_$][\w$]*)(?:\[(\d+)\])?/.exec(field);
    const rank = m ? TOP_LEVEL.indexOf(m[1] as string) : -1;
    return [rank === -1 ? TOP_LEVEL.length : rank, m?.[2] === undefined ? -1 : Number(m[2])];
  };
  return issues
    .map((issue, order) => ({ issue, order, key: key(issue.field) }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.order - b.order)
    .map((entry) => entry.issue);
}

/**
 * Check a configuration (parsed from YAML or JSON, or built in code) and apply every default.
 *
 * Everything is checked before anything is returned, and every problem is reported in one
 * {@link ConfigError} (`issues` lists them, each with its path: `users[3].login`, `apps[1].kind`).
 * Makes no call and reads nothing but `options.env`.
 *
 * @throws {ConfigError} when anything is wrong.
 */
export function validateConfig(input: unknown, options: ValidateConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const { value, token, privateKey } = separateSecrets(input);
  const issues = new Issues(checkAgainstSchema(connectSsoConfigSchema, value));
  const raw: Loose = isObject(value) ? value : {};

  let partition: ResolvedConfig['partition'] | undefined;
  if (typeof raw.region === 'string' && !issues.has('region')) {
    const region = checkRegion(raw.region);
    if (region.ok) partition = region.partition;
    else issues.add('region', region.message);
  }

  const roleMapping: RoleMapping =
    raw.roleMapping === 'api-integration' || raw.roleMapping === 'group-mapping'
      ? raw.roleMapping
      : DEFAULT_ROLE_MAPPING;
  const okta = checkOkta(
    raw.okta,
    token,
    privateKey,
    roleMapping,
    env,
    options.requireOktaAuth ?? true,
    issues,
  );
  const appViews = checkApps(raw.apps, roleMapping, issues);
  checkUsers(raw.users, appViews, issues);
  checkMappings(raw.mappings, issues);

  if (isObject(raw.names)) {
    const federation = asString(raw.names.federationPolicy) ?? NAME_DEFAULTS.federationPolicy;
    const access = asString(raw.names.oktaAccessPolicy) ?? NAME_DEFAULTS.oktaAccessPolicy;
    if (federation.toLowerCase() === access.toLowerCase()) {
      const field =
        raw.names.oktaAccessPolicy !== undefined ? 'names.oktaAccessPolicy' : 'names.federationPolicy';
      issues.add(
        field,
        `'${field === 'names.oktaAccessPolicy' ? access : federation}' would name both policies (IAM policy names ignore case): give them different names`,
      );
    }
  }

  if (issues.list.length > 0 || !okta || !partition) {
    // `okta`/`partition` are missing only when an issue says why; the fallback keeps that a certainty.
    throw ConfigError.of(
      issues.list.length > 0 ? inFileOrder(issues.list) : [{ field: 'config', message: 'is invalid' }],
    );
  }

  const config = value as ConnectSsoConfig;
  const apps = config.apps.map((app) => resolveApp(app, roleMapping));
  const names = config.names ?? {};
  const listed = Array.isArray(config.users) ? config.users : (config.users?.list ?? []);
  const listedPrefix = Array.isArray(config.users) || config.users === undefined ? 'users' : 'users.list';
  return {
    stack: config.stack ?? config.instance.alias,
    region: config.region,
    partition,
    instance: {
      alias: config.instance.alias,
      inboundCalls: config.instance.inboundCalls ?? true,
      outboundCalls: config.instance.outboundCalls ?? true,
      tags: { ...(config.instance.tags ?? {}) },
    },
    okta: { orgUrl: okta.orgUrl, auth: okta.auth },
    roleMapping,
    apps,
    users: listed.map((user, i) => resolveUser(user, apps, `${listedPrefix}[${i}]`)),
    usersFromOkta: resolveFromOkta(Array.isArray(config.users) ? undefined : config.users?.fromOkta, apps),
    mappings: (config.mappings ?? []).map(resolveMapping),
    sync: {
      offboard: config.sync?.offboard ?? DEFAULT_OFFBOARD,
      renames: config.sync?.renames ?? DEFAULT_RENAMES,
      noAccessSecurityProfile: config.sync?.noAccessSecurityProfile ?? DEFAULT_NO_ACCESS_SECURITY_PROFILE,
    },
    names: {
      federationPolicy: names.federationPolicy ?? NAME_DEFAULTS.federationPolicy,
      oktaAccessPolicy: names.oktaAccessPolicy ?? NAME_DEFAULTS.oktaAccessPolicy,
      oktaApiUser: names.oktaApiUser ?? NAME_DEFAULTS.oktaApiUser,
    },
  };
}
