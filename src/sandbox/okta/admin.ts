/**
 * Back doors for what only the Okta admin console can do (no public API exists for them; research/okta.md
 * §1.10–1.11), and for what a person does outside any API (finishing their activation). The sandbox
 * exposes them as `sb.admin.*`; the directory back doors (users, groups, memberships) do what the API
 * does, events included, so tests can script an org's changes in one line each.
 */
import { ServiceError } from '../emulator.js';
import type { SandboxOktaUserInput } from '../types.js';
import { backDoorSource } from './events.js';
import { createGroupRecord } from './groups.js';
import { createKeyRecord } from './keys.js';
import { addGroupMember, removeGroupMember } from './memberships.js';
import { registerServiceApp, type ServiceAppInput } from './oauth.js';
import type { JsonObject, OktaApp, OktaGroup, OktaUser } from './state.js';
import { changeUserStatus, deleteUserRecord, updateUserProfile } from './user-lifecycle.js';
import { createUserRecord, findUser, isUserStatus, renderUser } from './users.js';
import { type Ctx, isObject, okta } from './util.js';

/** A user as GET /api/v1/users/{id} returns it. */
export type OktaUserJson = JsonObject & {
  id: string;
  status: string;
  profile: JsonObject & { login: string; firstName: string; lastName: string; email: string };
};

function describe(error: unknown): string {
  if (error instanceof ServiceError) {
    const causes = error.extra.causes ?? [];
    return causes.length > 0 ? `${error.message} (${causes.join('; ')})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Create an Okta user as the directory would. `login` must be email-shaped (Okta's default user schema);
 * `email` defaults to the login, `firstName` to the login's local part, `lastName` to `User`, `status` to
 * `ACTIVE`.
 */
export function createOktaUser(ctx: Ctx, input: SandboxOktaUserInput): OktaUserJson {
  const login = input?.login;
  if (typeof login !== 'string') throw new Error('createOktaUser: login: expected an email-shaped login');
  const status = input.status ?? 'ACTIVE';
  if (!isUserStatus(status)) throw new Error(`createOktaUser: unknown status '${String(status)}'`);
  if (input.profile !== undefined && !isObject(input.profile as JsonObject)) {
    throw new Error('createOktaUser: profile: expected an object of profile attributes');
  }
  const groups = (input.groups ?? []).map((g) => requireGroupBy(ctx, g, 'createOktaUser'));
  const profile: JsonObject = {
    ...((input.profile ?? {}) as JsonObject),
    firstName: input.firstName ?? (login.split('@')[0] || login),
    lastName: input.lastName ?? 'User',
    login,
    email: input.email ?? login,
  };
  const source = backDoorSource(ctx);
  let user: OktaUser;
  try {
    user = createUserRecord(ctx, { profile, status, hasPassword: status === 'ACTIVE', source });
  } catch (error) {
    throw new Error(`createOktaUser: ${describe(error)}`, { cause: error });
  }
  for (const group of groups) addGroupMember(ctx, source, group, user);
  return renderUser(ctx, user) as OktaUserJson;
}

function requireUserBy(ctx: Ctx, idOrLogin: string, what: string): OktaUser {
  const user = typeof idOrLogin === 'string' ? findUser(ctx, idOrLogin) : undefined;
  if (!user) throw new Error(`${what}: no Okta user with id or login '${String(idOrLogin)}'`);
  return user;
}

function requireGroupBy(ctx: Ctx, idOrName: string, what: string): OktaGroup {
  const groups = okta(ctx).groups;
  const group =
    (Object.hasOwn(groups, idOrName) ? groups[idOrName] : undefined) ??
    Object.values(groups).find(
      (g) => String(g.profile.name).toLowerCase() === String(idOrName).toLowerCase(),
    );
  if (!group) throw new Error(`${what}: no Okta group with id or name '${String(idOrName)}'`);
  return group;
}

function wrap<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ServiceError) throw new Error(`${what}: ${describe(error)}`, { cause: error });
    throw error;
  }
}

/** The user lifecycle changes the back doors make (as the admin console's buttons). */
export type OktaUserLifecycleChange =
  | 'activate'
  | 'completeActivation'
  | 'deactivate'
  | 'suspend'
  | 'unsuspend'
  | 'reactivate';

/**
 * Change a user's status as the API's lifecycle operation would (`completeActivation`: the person
 * finishes the activation flow and sets a password, so a PROVISIONED or STAGED user becomes ACTIVE).
 */
export function changeOktaUserStatus(
  ctx: Ctx,
  idOrLogin: string,
  change: OktaUserLifecycleChange,
): OktaUserJson {
  const what = `${change}OktaUser`;
  const user = requireUserBy(ctx, idOrLogin, what);
  wrap(what, () => changeUserStatus(ctx, backDoorSource(ctx), user, change));
  return renderUser(ctx, user) as OktaUserJson;
}

/** Change profile attributes (a `login` rename included), as POST /api/v1/users/{id} does. */
export function updateOktaUser(ctx: Ctx, idOrLogin: string, profile: JsonObject): OktaUserJson {
  const user = requireUserBy(ctx, idOrLogin, 'updateOktaUser');
  if (!isObject(profile))
    throw new Error('updateOktaUser: profile: expected an object of profile attributes');
  wrap('updateOktaUser', () => updateUserProfile(ctx, backDoorSource(ctx), user, profile));
  return renderUser(ctx, user) as OktaUserJson;
}

/** Delete a user as DELETE /api/v1/users/{id} twice would: deactivated first if it is not yet. */
export function deleteOktaUser(ctx: Ctx, idOrLogin: string): void {
  const user = requireUserBy(ctx, idOrLogin, 'deleteOktaUser');
  const source = backDoorSource(ctx);
  if (user.status !== 'DEPROVISIONED') changeUserStatus(ctx, source, user, 'deactivate');
  deleteUserRecord(ctx, source, user);
}

/** Create an Okta group (type `OKTA_GROUP`), as POST /api/v1/groups does. */
export function createOktaGroup(
  ctx: Ctx,
  input: { name: string; description?: string },
): { id: string; name: string } {
  const group = wrap('createOktaGroup', () =>
    createGroupRecord(ctx, backDoorSource(ctx), {
      name: input?.name,
      ...(input?.description !== undefined ? { description: input.description } : {}),
    } as JsonObject),
  );
  return { id: group.id, name: String(group.profile.name) };
}

/** Add a user (id or login) to a group (id or name); no change when already a member. */
export function addOktaUserToGroup(ctx: Ctx, user: string, group: string): { changed: boolean } {
  const u = requireUserBy(ctx, user, 'addOktaUserToGroup');
  const g = requireGroupBy(ctx, group, 'addOktaUserToGroup');
  return { changed: addGroupMember(ctx, backDoorSource(ctx), g, u) };
}

/** Remove a user (id or login) from a group (id or name); no change when not a member. */
export function removeOktaUserFromGroup(ctx: Ctx, user: string, group: string): { changed: boolean } {
  const u = requireUserBy(ctx, user, 'removeOktaUserFromGroup');
  const g = requireGroupBy(ctx, group, 'removeOktaUserFromGroup');
  return { changed: removeGroupMember(ctx, backDoorSource(ctx), g, u) };
}

/**
 * Register an OAuth 2.0 service app ("API Services" app) with a public key and granted Okta API scopes;
 * it then gets tokens from `/oauth2/v1/token` with private-key JWT client assertions.
 */
export function createOktaServiceApp(ctx: Ctx, input: ServiceAppInput): { clientId: string; kids: string[] } {
  return registerServiceApp(ctx, input);
}

function requireAwsApp(ctx: Ctx, appId: string, what: string): OktaApp {
  const apps = okta(ctx).apps;
  const app = Object.hasOwn(apps, appId) ? apps[appId] : undefined;
  if (!app) throw new Error(`${what}: no Okta app with id '${appId}'`);
  return app;
}

/** Generate a new signing key for the app and make it current; the old certificate stays listed. */
export function rotateSigningKey(ctx: Ctx, appId: string): { kid: string } {
  const app = requireAwsApp(ctx, appId, 'rotateSigningKey');
  const key = createKeyRecord(ctx, app.id, 10);
  app.signingKid = key.kid;
  app.lastUpdated = ctx.now();
  return { kid: key.kid };
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The provisioning checkboxes of the console's "To App" page. */
export interface ApiIntegrationOptions {
  /** "Create Users" → feature `PUSH_NEW_USERS`. Default true. */
  createUsers?: boolean;
  /**
   * "Update User Attributes" → feature `PUSH_PROFILE_UPDATES`. Default true. Without it the role list
   * stays empty (cloudposse/docs#699: "necessary for the roles to populate").
   */
  updateUserAttributes?: boolean;
  /** "Deactivate Users" → feature `PUSH_USER_DEACTIVATION`. Default false. */
  deactivateUsers?: boolean;
}

interface AwsRoles {
  roles: string[];
  accountAliases: string[];
}

function federatedPrincipals(statement: unknown): string[] {
  if (typeof statement !== 'object' || statement === null) return [];
  const s = statement as { Effect?: unknown; Principal?: unknown };
  if (s.Effect !== 'Allow' || typeof s.Principal !== 'object' || s.Principal === null) return [];
  const federated = (s.Principal as { Federated?: unknown }).Federated;
  if (typeof federated === 'string') return [federated];
  return Array.isArray(federated) ? federated.filter((v): v is string => typeof v === 'string') : [];
}

/** Whether a role's trust policy (URL-encoded, as IAM returns it) lets one of the providers federate. */
export function trustsProvider(document: string | undefined, providerArns: readonly string[]): boolean {
  if (!document || providerArns.length === 0) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(document));
  } catch {
    try {
      parsed = JSON.parse(document);
    } catch {
      return false;
    }
  }
  const statements = (parsed as { Statement?: unknown } | null)?.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.some((statement) => federatedPrincipals(statement).some((arn) => providerArns.includes(arn)));
}

function providerArnsOf(app: OktaApp): string[] {
  const settingsApp = app.settings.app;
  const value =
    typeof settingsApp === 'object' && settingsApp !== null && !Array.isArray(settingsApp)
      ? settingsApp.identityProviderArn
      : undefined;
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn.startsWith('arn:'));
}

/**
 * What Okta does with the API integration's key: `iam:ListRoles` (every page) and
 * `iam:ListAccountAliases`, over HTTP against the sandbox's own IAM, signed with that key.
 */
async function readAwsRoles(
  ctx: Ctx,
  credentials: AwsCredentials,
  providerArns: string[],
): Promise<AwsRoles> {
  const { IAMClient, ListRolesCommand, ListAccountAliasesCommand } = await import('@aws-sdk/client-iam');
  const client = new IAMClient({
    endpoint: ctx.origin,
    region: 'us-east-1',
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    const roles: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListRolesCommand(marker ? { Marker: marker } : {}));
      for (const role of page.Roles ?? []) {
        if (role.RoleName && trustsProvider(role.AssumeRolePolicyDocument, providerArns))
          roles.push(role.RoleName);
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const aliases = await client.send(new ListAccountAliasesCommand({}));
    return { roles, accountAliases: aliases.AccountAliases ?? [] };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Okta could not read the AWS roles with access key ${credentials.accessKeyId}: ${name}: ${message}`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

/**
 * The console's "Provisioning → Integration → Enable API integration" with an AWS access key ("Test API
 * Credentials", then Save) and the "To App" checkboxes. Okta reads the roles with the key, exactly as for
 * real — a key without `iam:ListRoles` / `iam:ListAccountAliases` fails and nothing changes — and imports
 * the names of the roles whose trust policy names the app's `settings.app.identityProviderArn` as
 * `Federated` principal: they become the allowed values of app users' `role` / `samlRoles`.
 */
export async function enableApiIntegration(
  ctx: Ctx,
  appId: string,
  credentials: AwsCredentials,
  options: ApiIntegrationOptions = {},
): Promise<{ importedRoles: string[] }> {
  const app = requireAwsApp(ctx, appId, 'enableApiIntegration');
  if (app.name !== 'amazon_aws')
    throw new Error(`enableApiIntegration: app '${appId}' is not an amazon_aws app`);
  const createUsers = options.createUsers ?? true;
  const updateUserAttributes = options.updateUserAttributes ?? true;
  const aws = await readAwsRoles(ctx, credentials, providerArnsOf(app));
  const current = requireAwsApp(ctx, appId, 'enableApiIntegration');
  const now = ctx.now();
  current.apiIntegration = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    enabledAt: now,
    importedAt: now,
    accountAliases: aws.accountAliases,
  };
  const features: string[] = [];
  if (createUsers) features.push('PUSH_NEW_USERS');
  if (updateUserAttributes) features.push('PUSH_PROFILE_UPDATES');
  if (options.deactivateUsers) features.push('PUSH_USER_DEACTIVATION');
  current.features = features;
  current.importedRoles = updateUserAttributes ? aws.roles : [];
  current.lastUpdated = now;
  return { importedRoles: [...current.importedRoles] };
}

/**
 * The console's "Refresh Application Data": read the roles again with the stored key (roles created or
 * whose trust changed since appear; removed ones disappear). Requires `enableApiIntegration` first.
 */
export async function importRoles(ctx: Ctx, appId: string): Promise<{ importedRoles: string[] }> {
  const app = requireAwsApp(ctx, appId, 'importRoles');
  const integration = app.apiIntegration;
  if (!integration) throw new Error(`importRoles: the API integration of app '${appId}' is not enabled`);
  const aws = await readAwsRoles(ctx, integration, providerArnsOf(app));
  const current = requireAwsApp(ctx, appId, 'importRoles');
  if (!current.apiIntegration)
    throw new Error(`importRoles: the API integration of app '${appId}' is not enabled`);
  const now = ctx.now();
  current.apiIntegration.importedAt = now;
  current.apiIntegration.accountAliases = aws.accountAliases;
  current.importedRoles = current.features.includes('PUSH_PROFILE_UPDATES') ? aws.roles : [];
  return { importedRoles: [...current.importedRoles] };
}
