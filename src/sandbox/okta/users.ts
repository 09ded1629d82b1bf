/**
 * `/api/v1/users`: read by id, login or short name; list with `q`, `filter`, `search` and paging; the
 * user record and its validation. The SSO flow never creates Okta users (they come from the directory):
 * tests create them through the `createOktaUser` back door, which shares `createUserRecord` with POST
 * /api/v1/users (./user-lifecycle.ts, with the lifecycle operations and profile updates).
 */
import type { SandboxRequest, SandboxResponse } from '../emulator.js';
import { notFound, validationFailed } from './errors.js';
import { type EventSource, emitEvent, userTarget } from './events.js';
import { ALL_OPERATORS, type FilterRules, matchesList, parseListExpressions } from './filter.js';
import { paginate } from './paging.js';
import type { Json, JsonObject, OktaUser, OktaUserStatus } from './state.js';
import { indexLogin, usersWithLogin } from './user-index.js';
import {
  type Ctx,
  clone,
  ensureOrg,
  href,
  iso,
  isoOrNull,
  jsonResponse,
  newId,
  okta,
  type Params,
  startsWithCi,
} from './util.js';

const USER_STATUSES: readonly OktaUserStatus[] = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'SUSPENDED',
  'DEPROVISIONED',
];
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function renderUser(ctx: Ctx, user: OktaUser): JsonObject {
  const state = ensureOrg(ctx);
  return {
    id: user.id,
    status: user.status,
    created: iso(user.created),
    activated: isoOrNull(user.activated),
    statusChanged: isoOrNull(user.statusChanged),
    lastLogin: null,
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: isoOrNull(user.passwordChanged),
    type: { id: state.userTypeId },
    profile: clone(user.profile),
    credentials: {
      ...(user.passwordChanged !== null ? { password: {} } : {}),
      ...(typeof user.profile.email === 'string'
        ? { emails: [{ value: user.profile.email, status: 'VERIFIED', type: 'PRIMARY' }] }
        : {}),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: { self: href(ctx, `/api/v1/users/${user.id}`) },
  };
}

function sameLogin(a: Json | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** A user by id, login (case-insensitive) or unambiguous short name (the login before `@`), as GET /users/{id}. */
export function findUser(ctx: Ctx, idOrLogin: string): OktaUser | undefined {
  const state = okta(ctx);
  const users = state.users;
  if (Object.hasOwn(users, idOrLogin)) return users[idOrLogin];
  const byLogin = usersWithLogin(state, idOrLogin)[0];
  if (byLogin) return byLogin;
  if (idOrLogin.includes('@')) return undefined;
  const byShortName = Object.values(users).filter((u) => {
    const login = u.profile.login;
    return typeof login === 'string' && sameLogin(login.split('@')[0], idOrLogin);
  });
  return byShortName.length === 1 ? byShortName[0] : undefined;
}

export function requireUser(ctx: Ctx, idOrLogin: string): OktaUser {
  const user = findUser(ctx, idOrLogin);
  if (!user) throw notFound(idOrLogin, 'User');
  return user;
}

/** Assignments name users by id only. */
export function requireUserById(ctx: Ctx, id: string): OktaUser {
  const users = okta(ctx).users;
  const user = Object.hasOwn(users, id) ? users[id] : undefined;
  if (!user) throw notFound(id, 'User');
  return user;
}

export interface UserInput {
  profile: JsonObject;
  status: OktaUserStatus;
  hasPassword: boolean;
  /** Who creates it (the events' actor). */
  source: EventSource;
}

/**
 * Check a whole profile against the default Okta user schema (login and email email-shaped, login unique
 * case-insensitively — `self` may keep its own —, names not blank). @throws 400 E0000001
 */
export function validateProfile(ctx: Ctx, profile: JsonObject, self?: OktaUser): void {
  const causes: [string, string][] = [];
  const login = profile.login;
  if (typeof login !== 'string' || login.trim() === '')
    causes.push(['login', 'login: The field cannot be left blank']);
  else if (!EMAIL.test(login))
    causes.push(['login', 'login: Username must be in the form of an email address']);
  else if (usersWithLogin(okta(ctx), login).some((u) => u !== self)) {
    causes.push(['login', 'login: An object with this field already exists in the current organization']);
  }
  const email = profile.email;
  if (typeof email !== 'string' || email.trim() === '')
    causes.push(['email', 'email: The field cannot be left blank']);
  else if (!EMAIL.test(email)) causes.push(['email', 'email: Does not match required pattern']);
  for (const field of ['firstName', 'lastName']) {
    const value = profile[field];
    if (typeof value !== 'string' || value.trim() === '')
      causes.push([field, `${field}: The field cannot be left blank`]);
  }
  const first = causes[0];
  if (first) throw validationFailed(first[0], ...causes.map(([, cause]) => cause));
}

/**
 * Validate a new user's profile as the default Okta user schema does, then store it. Records
 * `user.lifecycle.create`, and `user.lifecycle.activate` when it is created active.
 */
export function createUserRecord(ctx: Ctx, input: UserInput): OktaUser {
  const profile = input.profile;
  validateProfile(ctx, profile);
  ensureOrg(ctx);
  const now = ctx.now();
  const active = input.status !== 'STAGED';
  const user: OktaUser = {
    id: newId(ctx, '00u'),
    status: input.status,
    created: now,
    activated: active ? now : null,
    statusChanged: active ? now : null,
    lastUpdated: now,
    passwordChanged: input.hasPassword ? now : null,
    profile: {
      firstName: profile.firstName ?? null,
      lastName: profile.lastName ?? null,
      mobilePhone: null,
      secondEmail: null,
      ...clone(profile),
    },
  };
  const state = okta(ctx);
  state.users[user.id] = user;
  indexLogin(state, user);
  emitEvent(ctx, input.source, 'user.lifecycle.create', [userTarget(user)]);
  if (active) emitEvent(ctx, input.source, 'user.lifecycle.activate', [userTarget(user)]);
  return user;
}

export function getUser(ctx: Ctx, _req: SandboxRequest, params: Params): SandboxResponse {
  return jsonResponse(ctx, 200, renderUser(ctx, requireUser(ctx, params.id)));
}

const USER_FILTER: FilterRules = {
  attributes: [
    'status',
    'lastUpdated',
    'id',
    'type.id',
    'profile.login',
    'profile.email',
    'profile.firstName',
    'profile.lastName',
  ],
  operators: ['eq', 'gt', 'ge', 'lt', 'le'],
  logical: true,
};

const USER_SEARCH: FilterRules = {
  attributes: ['*'],
  operators: ALL_OPERATORS,
  logical: true,
};

export function listUsers(ctx: Ctx, req: SandboxRequest): SandboxResponse {
  const q = req.query.get('q');
  const expressions = parseListExpressions(req.query, USER_FILTER, USER_SEARCH);
  const filtered = expressions.filter !== undefined || expressions.search !== undefined;
  const all = Object.values(okta(ctx).users)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((user) => renderUser(ctx, user))
    // A plain list leaves deprovisioned users out; filter and search return them when they match.
    .filter((user) => filtered || user.status !== 'DEPROVISIONED')
    .filter((user) => matchesList(expressions, user))
    .filter((user) => {
      if (!q) return true;
      const profile = user.profile as JsonObject;
      return [profile.firstName, profile.lastName, profile.email].some((v) => startsWithCi(v, q));
    });
  const page = paginate(ctx, req, all, (u) => u.id as string, { defaultLimit: q ? 10 : 200, maxLimit: 200 });
  return jsonResponse(ctx, 200, page.items, { Link: page.links });
}

export function isUserStatus(value: unknown): value is OktaUserStatus {
  return typeof value === 'string' && (USER_STATUSES as readonly string[]).includes(value);
}
