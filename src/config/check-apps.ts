/**
 * The `apps` section's rules a JSON Schema cannot state: each kind once, unique labels and IAM names
 * (compared as the services compare them), and the consistency of group mapping (filters, group names).
 */
import {
  APP_DEFAULTS,
  type AppKind,
  DEFAULT_GROUP_NAME,
  defaultGroupFilter,
  type RoleMapping,
} from './defaults.js';
import { asString, type Issues, isKind, isObject, type Loose } from './issues.js';
import { closest, describeValue } from './json-schema.js';

/** An account id used to try group names against group filters (any 12 digits would do). */
export const SAMPLE_ACCOUNT_ID = '123456789012';

/** Okta's `(?{{name}}…)` named groups as JavaScript's `(?<name>…)`. */
function oktaRegExp(filter: string): RegExp {
  return new RegExp(filter.replace(/\(\?\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, '(?<$1>'));
}

/** The group name an app's template gives for an account. */
export function renderGroupName(template: string, accountId: string, roleName: string): string {
  return template.replaceAll('{{accountid}}', accountId).replaceAll('{{role}}', roleName);
}

export interface AppView {
  index: number;
  kind: AppKind;
  label: string;
  providerName: string;
  roleName: string;
  raw: Loose;
}

export function checkApps(apps: unknown, roleMapping: RoleMapping, issues: Issues): AppView[] | undefined {
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

/** A reference to an app (`kind` or `label`) that names none: the message lists the apps. */
export function unknownAppMessage(reference: string, apps: readonly AppView[]): string {
  const listed = apps.filter((a, i) => apps.findIndex((b) => b.kind === a.kind) === i);
  const near = closest(reference, [...listed.map((a) => a.kind), ...listed.map((a) => a.label)]);
  return `no app with kind or label ${describeValue(reference)}${near ? ` (did you mean '${near}'?)` : ''}; the apps are ${listed
    .map((a) => `${a.kind} ('${a.label}')`)
    .join(', ')}`;
}

export function findApp<T extends { kind: AppKind; label: string }>(
  apps: readonly T[],
  reference: string,
): T | undefined {
  return (
    apps.find((a) => a.kind === reference) ??
    apps.find((a) => a.label.toLowerCase() === reference.toLowerCase())
  );
}
