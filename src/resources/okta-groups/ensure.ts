/**
 * Group mapping (design §5.4): instead of the roles Okta imports through the API integration, the
 * `amazon_aws` app derives each user's SAML Role from the names of the Okta groups the user belongs to.
 * The app's `groupFilter` (a regular expression with the captures `(?{{accountid}}…)` and `(?{{role}}…)`)
 * picks the groups, and its `roleValuePattern` builds the Role attribute from the captures:
 *
 * ```
 * group  aws_123456789012_Okta_Role
 * filter ^aws_(?{{accountid}}\d{12})_(?{{role}}Okta_Role)$
 * value  arn:aws:iam::${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::${accountid}:role/${role}
 * ```
 *
 * So the library creates one Okta group per app, named so that the app's filter matches it, assigns the
 * group to the app, and adds the app's users to it: no IAM user, no access key, no console step.
 */

import { renderGroupName } from '../../config/validate.js';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import type { Partition } from '../../core/regions.js';
import { actionFor, type StepOptions, type StepResultBase } from '../../core/step.js';
import { isOktaError, oktaRequest } from '../../providers/okta/transport.js';
import type { OktaGroupMapping } from '../okta-app/ensure.js';
import { findOktaGroups, type OktaGroupJson } from './read.js';

export { findOktaGroups, listGroupMembers, type OktaGroupJson, type OktaGroupMembers } from './read.js';

/** Okta's longest group name. */
const GROUP_NAME_MAX = 255;
const GROUP_DESCRIPTION_MAX = 1024;

type Issue = { field: string; message: string };

// ---------------------------------------------------------------------------------------------------------
// Names, filter and role value

/** The placeholders of a group name template. */
const PLACEHOLDERS = ['{{accountid}}', '{{role}}'] as const;

/**
 * The Okta group name of an app from the config's `groupName` template: `{{accountid}}` becomes the
 * 12-digit AWS account, `{{role}}` the app's IAM role name (`aws_{{accountid}}_{{role}}` →
 * `aws_123456789012_Okta_Role`). A name without placeholders is returned as is.
 *
 * @param values.providerName the app's SAML provider; not a placeholder (the app's `roleValuePattern`
 *   names it, see {@link groupMappingFor}), accepted so that callers can pass the app as a whole.
 * @throws {ConfigError} an unknown placeholder, a bad account id or role name, or a name longer than 255.
 */
export function groupNameFor(
  template: string,
  values: { accountId: string; roleName: string; providerName?: string },
): string {
  const issues: Issue[] = [];
  if (typeof template !== 'string' || template.trim() === '') {
    issues.push({ field: 'groupName', message: 'the group name template is empty' });
  } else {
    const unknown = (template.match(/\{\{[^}]*\}\}/g) ?? []).filter(
      (p) => !(PLACEHOLDERS as readonly string[]).includes(p),
    );
    if (unknown.length > 0) {
      issues.push({
        field: 'groupName',
        message: `unknown placeholder ${unknown.join(', ')}: only {{accountid}} and {{role}}`,
      });
    }
  }
  if (!/^\d{12}$/.test(values.accountId)) {
    issues.push({
      field: 'accountId',
      message: `expected a 12-digit AWS account id (got '${values.accountId}')`,
    });
  }
  if (!/^[\w+=,.@-]{1,64}$/.test(values.roleName)) {
    issues.push({ field: 'roleName', message: `expected an IAM role name (got '${values.roleName}')` });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  const name = renderGroupName(template, values.accountId, values.roleName);
  if (name.length > GROUP_NAME_MAX) {
    throw new ConfigError('groupName', `gives a group name longer than Okta's ${GROUP_NAME_MAX} characters`);
  }
  return name;
}

/**
 * The app's `roleValuePattern` for group mapping: the SAML Role attribute value AWS expects, the SAML
 * provider ARN and the role ARN, built from the filter's `${accountid}` and `${role}` captures.
 */
export function roleValuePatternFor(providerName: string, partition: Partition = 'aws'): string {
  return `arn:${partition}:iam::\${accountid}:saml-provider/${providerName},arn:${partition}:iam::\${accountid}:role/\${role}`;
}

/**
 * The group mapping settings of an app (pass them as `groupMapping` to `createOktaFederationApp`):
 * its `groupFilter` (the config's, default applied) and the matching `roleValuePattern`.
 */
export function groupMappingFor(app: {
  groupFilter: string;
  providerName: string;
  partition?: Partition;
  joinAllRoles?: boolean;
}): Required<OktaGroupMapping> {
  return {
    groupFilter: app.groupFilter,
    roleValuePattern: roleValuePatternFor(app.providerName, app.partition ?? 'aws'),
    joinAllRoles: app.joinAllRoles ?? false,
  };
}

/** Okta's `(?{{name}}…)` named captures as JavaScript's `(?<name>…)`, matching the whole group name. */
function oktaFilterRegExp(filter: string): RegExp {
  return new RegExp(`^(?:${filter.replace(/\(\?\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, '(?<$1>')})$`);
}

/** What a group name gives a member through group mapping. */
export interface GroupMappedRole {
  /** The SAML Role attribute value (`<provider ARN>,<role ARN>`). */
  value: string;
  accountId: string | undefined;
  /** The IAM role ARN in the value. */
  roleArn: string | undefined;
  /** The SAML provider ARN in the value. */
  providerArn: string | undefined;
}

/**
 * The SAML Role a member of `groupName` gets from the app's group mapping, as Okta computes it: the
 * filter must match the whole name; its captures fill `${…}` in the role value pattern. `undefined`
 * when the filter does not match (the group gives no role). Lets a plan or a test check that a group
 * name yields `arn:aws:iam::<account>:role/<roleName>` before any user signs in.
 *
 * @throws {ConfigError} the filter is not a valid regular expression.
 */
export function samlRoleForGroup(groupName: string, mapping: OktaGroupMapping): GroupMappedRole | undefined {
  let filter: RegExp;
  try {
    filter = oktaFilterRegExp(mapping.groupFilter);
  } catch (error) {
    throw new ConfigError(
      'groupFilter',
      `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const match = filter.exec(groupName);
  if (!match) return undefined;
  const captures = match.groups ?? {};
  const value = mapping.roleValuePattern.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) =>
    String(captures[name] ?? ''),
  );
  const parts = value.split(',').map((p) => p.trim());
  return {
    value,
    accountId: captures.accountid,
    roleArn: parts.find((p) => /^arn:[^:]+:iam::\d*:role\//.test(p)),
    providerArn: parts.find((p) => /^arn:[^:]+:iam::\d*:saml-provider\//.test(p)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The group

export interface EnsureOktaGroupInput extends StepOptions {
  /** The group name, exactly (see {@link groupNameFor}); 1–255 characters. The natural key. */
  name: string;
  /**
   * The description of a new group, at most 1024 characters. Default: says what the group is for and
   * carries the stack's marker (`managed-by connect-okta-sso stack <stack>`). An existing group's
   * description is left alone.
   */
  description?: string;
}

export interface EnsureOktaGroupResult extends StepResultBase {
  /** The group id (`00g…`); `undefined` only in a dry run that would create the group. */
  groupId: string | undefined;
  name: string;
}

function checkGroupInput(input: EnsureOktaGroupInput): void {
  const issues: Issue[] = [];
  const { name, description } = input ?? ({} as EnsureOktaGroupInput);
  if (typeof name !== 'string' || name.trim() === '') {
    issues.push({ field: 'name', message: 'a non-empty group name is required' });
  } else if (name.length > GROUP_NAME_MAX) {
    issues.push({
      field: 'name',
      message: `must be at most ${GROUP_NAME_MAX} characters (got ${name.length})`,
    });
  } else if (/\p{Cc}/u.test(name)) {
    issues.push({ field: 'name', message: 'must not contain control characters' });
  } else if (name !== name.trim()) {
    issues.push({ field: 'name', message: 'must not start or end with white space' });
  }
  if (
    description !== undefined &&
    (typeof description !== 'string' || description.length > GROUP_DESCRIPTION_MAX)
  ) {
    issues.push({
      field: 'description',
      message: `must be a string of at most ${GROUP_DESCRIPTION_MAX} characters`,
    });
  }
  if (input?.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    issues.push({ field: 'dryRun', message: 'must be true or false' });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}

/** Pick the group named exactly `name` among case-insensitive matches, or explain why none fits. */
function pickGroup(name: string, found: readonly OktaGroupJson[]): OktaGroupJson | undefined {
  const exact = found.find((g) => g.profile?.name === name);
  if (!exact) {
    const [variant] = found;
    if (variant) {
      throw new ConflictError(
        `okta group ${name}`,
        `The Okta group '${variant.profile?.name}' (${variant.id}) exists, but the app's group is '${name}'. Okta group names are unique ignoring case, so '${name}' cannot be created, while the app's group filter compares case. Rename the group '${variant.profile?.name}' to '${name}' in Okta (Directory → Groups), or change the groupName template, then run again.`,
      );
    }
    return undefined;
  }
  if (exact.type !== undefined && exact.type !== 'OKTA_GROUP') {
    throw new ConflictError(
      `okta group ${name}`,
      `The Okta group '${name}' (${exact.id}) is a ${exact.type}: its members come from a directory, so Okta refuses to add users to it. Rename that group, or choose another groupName template, then run again.`,
    );
  }
  return exact;
}

/**
 * Find the Okta group named exactly `name`, or create it (`POST /api/v1/groups`). A second call with the
 * same name makes no write (one list).
 *
 * @throws {ConfigError} invalid input (no request made).
 * @throws {ConflictError} a group exists whose name differs only in case, or a directory (`APP_GROUP`)
 *   group has the name.
 * @throws {ProviderError} any other Okta error.
 */
export async function ensureOktaGroup(
  ctx: SsoContext,
  input: EnsureOktaGroupInput,
): Promise<EnsureOktaGroupResult> {
  checkGroupInput(input);
  const { name } = input;
  const dryRun = input.dryRun ?? false;
  const resource = `okta group '${name}'`;
  const existing = pickGroup(name, await findOktaGroups(ctx, name));
  if (existing) {
    return { action: 'unchanged', resource, changes: [], dryRun, groupId: existing.id, name };
  }
  const changes = [`create Okta group '${name}'`];
  if (dryRun) return { action: 'created', resource, changes, dryRun, groupId: undefined, name };
  const description =
    input.description ??
    `Amazon Connect sign-in through Okta: the AWS app's group mapping gives members the IAM role this name maps to. managed-by connect-okta-sso stack ${ctx.stack}`;
  let created: OktaGroupJson;
  try {
    created = (
      await oktaRequest<OktaGroupJson>(ctx, 'CreateGroup', {
        method: 'POST',
        path: '/api/v1/groups',
        body: { profile: { name, description } },
        // Okta refuses a second group with the name (E0000001, handled below): safe to repeat.
        retry: true,
      })
    ).data;
  } catch (error) {
    // Another run created it between the list and the create (or the list lagged): use that group.
    if (isOktaError(error, 'E0000001') && error instanceof Error && /already exists/i.test(error.message)) {
      const raced = pickGroup(name, await findOktaGroups(ctx, name));
      if (raced) return { action: 'unchanged', resource, changes: [], dryRun, groupId: raced.id, name };
    }
    throw error;
  }
  ctx.logger.info(`created okta group ${name} (${created.id})`, { groupId: created.id });
  return { action: actionFor(false, changes), resource, changes, dryRun, groupId: created.id, name };
}

// ---------------------------------------------------------------------------------------------------------
// The group's assignment to the app

export interface EnsureAppGroupAssignmentInput extends StepOptions {
  /** The `amazon_aws` app id. */
  appId: string;
  /** The group id; `undefined` only in a dry run where the group does not exist yet. */
  groupId: string | undefined;
}

export interface EnsureAppGroupAssignmentResult extends StepResultBase {
  appId: string;
  groupId: string | undefined;
}

/**
 * Assign the group to the app (`PUT /api/v1/apps/{appId}/groups/{groupId}`) unless it is: its members
 * then become users of the app, and group mapping gives them their role. One read when assigned.
 *
 * @throws {ConfigError} invalid input (no request), or no such app or group.
 * @throws {ProviderError} any other Okta error.
 */
export async function ensureAppGroupAssignment(
  ctx: SsoContext,
  input: EnsureAppGroupAssignmentInput,
): Promise<EnsureAppGroupAssignmentResult> {
  const issues: Issue[] = [];
  const dryRun = input.dryRun ?? false;
  if (typeof input.appId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(input.appId)) {
    issues.push({
      field: 'appId',
      message: `expected an Okta app id like 0oa1b2c3d4 (got '${String(input.appId)}')`,
    });
  }
  if (
    input.groupId === undefined
      ? !dryRun
      : typeof input.groupId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(input.groupId)
  ) {
    issues.push({
      field: 'groupId',
      message: `expected an Okta group id like 00g1b2c3d4 (got '${String(input.groupId)}'); only a dry run may leave it out`,
    });
  }
  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    issues.push({ field: 'dryRun', message: 'must be true or false' });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  const { appId, groupId } = input;
  const resource = `assignment of okta group ${groupId ?? '(new)'} to okta app ${appId}`;
  const changes = [`assign Okta group ${groupId ?? '(to be created)'} to app ${appId}`];
  if (groupId === undefined) return { action: 'created', resource, changes, dryRun, appId, groupId };
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/groups/${encodeURIComponent(groupId)}`;
  try {
    await oktaRequest<unknown>(ctx, 'GetApplicationGroupAssignment', { method: 'GET', path });
    return { action: 'unchanged', resource, changes: [], dryRun, appId, groupId };
  } catch (error) {
    if (!(isOktaError(error, 'E0000007') || isOktaError(error, 404))) throw error;
  }
  if (!dryRun) {
    try {
      await oktaRequest<unknown>(ctx, 'AssignGroupToApplication', { method: 'PUT', path, body: {} });
    } catch (error) {
      if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) {
        // Okta's message names the missing resource: "Not found: Resource not found: <id> (<type>)".
        const app = !(error instanceof Error && error.message.includes(groupId));
        throw new ConfigError(
          app ? 'appId' : 'groupId',
          app ? `no Okta app with id '${appId}'` : `no Okta group with id '${groupId}'`,
        );
      }
      throw error;
    }
    ctx.logger.info(`assigned okta group ${groupId} to app ${appId}`, { appId, groupId });
  }
  return { action: 'created', resource, changes, dryRun, appId, groupId };
}

// ---------------------------------------------------------------------------------------------------------
// Members

/** Add a user to a group (`PUT /api/v1/groups/{groupId}/users/{userId}`; adding a member again is a no-op). */
export async function addUserToGroup(
  ctx: SsoContext,
  input: { groupId: string; userId: string; login?: string },
): Promise<void> {
  await oktaRequest<unknown>(ctx, 'AssignUserToGroup', {
    method: 'PUT',
    path: `/api/v1/groups/${encodeURIComponent(input.groupId)}/users/${encodeURIComponent(input.userId)}`,
  });
  ctx.logger.info(`added okta user ${input.login ?? input.userId} to group ${input.groupId}`, {
    groupId: input.groupId,
    userId: input.userId,
  });
}
