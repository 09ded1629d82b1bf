/**
 * The org's users by login, case-insensitively (Okta's logins are unique that way), so that a lookup by
 * login and the uniqueness check of a new or renamed login do not scan every user.
 *
 * Not part of the state, which stays plain JSON: the index is built on first use for a `users` record
 * (a state loaded from a file gets its own) and kept current by the only writes that change a login —
 * {@link indexLogin} after a create or profile change, {@link unindexLogin} on delete. A hit is checked
 * against the user's current login, so a stale entry can never answer wrongly.
 */
import type { Json, OktaState, OktaUser } from './state.js';

type Users = OktaState['users'];
/** Lower-cased login → the ids of the users with that login, in the record's order. */
type LoginIndex = Map<string, Set<string>>;

const indexes = new WeakMap<Users, LoginIndex>();

function keyOf(login: Json | undefined): string | undefined {
  return typeof login === 'string' ? login.toLowerCase() : undefined;
}

function add(index: LoginIndex, login: Json | undefined, id: string): void {
  const key = keyOf(login);
  if (key === undefined) return;
  const ids = index.get(key);
  if (ids) ids.add(id);
  else index.set(key, new Set([id]));
}

function remove(index: LoginIndex, login: Json | undefined, id: string): void {
  const key = keyOf(login);
  if (key === undefined) return;
  const ids = index.get(key);
  ids?.delete(id);
  if (ids?.size === 0) index.delete(key);
}

function loginIndex(users: Users): LoginIndex {
  let index = indexes.get(users);
  if (!index) {
    index = new Map();
    for (const [id, user] of Object.entries(users)) add(index, user.profile.login, id);
    indexes.set(users, index);
  }
  return index;
}

/**
 * The users whose login equals `login` case-insensitively: at most one, as Okta keeps logins unique (a
 * hand-written state file could hold more; then in the order they were indexed).
 */
export function usersWithLogin(state: OktaState, login: string): OktaUser[] {
  const key = login.toLowerCase();
  const out: OktaUser[] = [];
  for (const id of loginIndex(state.users).get(key) ?? []) {
    const user = Object.hasOwn(state.users, id) ? state.users[id] : undefined;
    if (user && keyOf(user.profile.login) === key) out.push(user);
  }
  return out;
}

/**
 * Record a stored user's current login: after it is created (`previousLogin` undefined) or its profile
 * replaced (`previousLogin`: the login it had).
 */
export function indexLogin(state: OktaState, user: OktaUser, previousLogin?: Json): void {
  const index = indexes.get(state.users);
  // Not built yet: it will be, from the record as it then is.
  if (!index) return;
  remove(index, previousLogin, user.id);
  add(index, user.profile.login, user.id);
}

/** Forget a user deleted from the record. */
export function unindexLogin(state: OktaState, user: OktaUser): void {
  const index = indexes.get(state.users);
  if (index) remove(index, user.profile.login, user.id);
}
