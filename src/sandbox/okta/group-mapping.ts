/**
 * The sandbox Okta's own reading of an AWS app's group mapping ("Use Group Mapping"): which Role value a
 * member of a group gets. Written apart from the library's `samlRoleForGroup`, so that a mistake there
 * shows up as a failed sign-in here instead of agreeing with itself.
 *
 * Okta's Group Filter is a regular expression that must match the whole group name, in which
 * `(?{{name}}…)` captures a named part; the Role Value Pattern then substitutes `${name}` with it
 * (help.okta.com, "Connect Okta to multiple AWS instances by using user groups").
 */

/** Thrown when the app's group filter is not a valid regular expression. */
export class InvalidGroupFilter extends Error {}

/** The Role value a member of `group` gets, or undefined when the filter does not match the whole name. */
export function roleValueForGroup(
  group: string,
  settings: { groupFilter: string; roleValuePattern: string },
): string | undefined {
  const names: string[] = [];
  // Okta writes a named group as `(?{{name}}`; JavaScript spells it `(?<name>`.
  const source = settings.groupFilter.replaceAll(/\(\?\{\{(\w+)\}\}/g, (_whole, name: string) => {
    names.push(name);
    return `(?<${name}>`;
  });
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${source})$`, 'u');
  } catch (error) {
    throw new InvalidGroupFilter(error instanceof Error ? error.message : String(error));
  }
  const found = pattern.exec(group);
  if (found === null) return undefined;
  let value = settings.roleValuePattern;
  for (const name of names) value = value.split(`\${${name}}`).join(found.groups?.[name] ?? '');
  return value;
}
