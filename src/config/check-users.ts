/**
 * The `users` and `mappings` sections' rules a JSON Schema cannot state: one entry per login (Okta
 * logins ignore case), users and `users.fromOkta.apps` naming an app that exists, desk phones, and
 * mapping rules that give at least one condition and one profile.
 */
import { type AppView, findApp, unknownAppMessage } from './check-apps.js';
import { DEFAULT_PHONE_TYPE } from './defaults.js';
import { type Issues, isObject, type Loose } from './issues.js';

/** The listed users of `users` (its list form, or `users.list`) and the path they are found under. */
function listedUsers(users: unknown): { list: unknown; prefix: string } {
  if (isObject(users)) return { list: users.list, prefix: 'users.list' };
  return { list: users, prefix: 'users' };
}

export function checkUsers(users: unknown, apps: AppView[] | undefined, issues: Issues): void {
  const { list, prefix } = listedUsers(users);
  if (isObject(users)) checkUsersFromOkta(users.fromOkta, apps, issues);
  if (!Array.isArray(list)) return;
  checkUserList(list, prefix, apps, issues);
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
export function checkMappings(mappings: unknown, issues: Issues): void {
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
