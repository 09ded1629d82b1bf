/**
 * The Okta half of guide step 9: the `amazon_aws` app as the assignment reads it, the app user's SAML
 * role (`role` / `samlRoles: [roleName]`), and the write that assigns a user or replaces its roles. Okta
 * accepts a role only once the app has imported the roles from AWS (its API integration, enabled in the
 * admin console: no public API, design §5.3); before that these functions stop with a
 * {@link ManualActionRequiredError} that lists the clicks.
 */
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ManualActionRequiredError } from '../../core/errors.js';
import { isOktaError, isTransientOktaError, oktaRequest } from '../../providers/okta/transport.js';

/** What the step reads of the `amazon_aws` app (raw JSON: the typed SDK drops `settings.app`). */
export interface AssignmentAppView {
  id: string;
  name?: string;
  label?: string;
  /** `PUSH_NEW_USERS` once the API integration ("Create Users") is enabled in the admin console. */
  features?: string[];
  credentials?: { userNameTemplate?: { template?: string } };
}

type OktaAppJson = AssignmentAppView;

/** An app user as Okta returns it: raw JSON, or the SDK's `AppUser`. */
export interface AppUserView {
  id?: string | undefined;
  scope?: string | undefined;
  credentials?: { userName?: string | undefined } | undefined;
  profile?: object | undefined;
}

/** The role fields of an app user profile (the SDK types the profile as an empty class). */
function rolesOf(appUser: AppUserView | undefined): { role: unknown; samlRoles: unknown } {
  const profile = (appUser?.profile ?? {}) as Record<string, unknown>;
  return { role: profile.role, samlRoles: profile.samlRoles };
}

/** Whether the app user has exactly this SAML role (`role` and `samlRoles: [roleName]`). */
export function rolesMatch(appUser: AppUserView, roleName: string): boolean {
  const { role, samlRoles } = rolesOf(appUser);
  return role === roleName && Array.isArray(samlRoles) && samlRoles.length === 1 && samlRoles[0] === roleName;
}

function showRoles(value: unknown): string {
  return Array.isArray(value)
    ? `[${value.map(String).join(', ')}]`
    : value == null
      ? '(none)'
      : String(value);
}

/** The app username Okta's built-in templates give, or `undefined` for any other template. */
export function predictAppUserName(app: OktaAppJson, profile: Record<string, unknown>): string | undefined {
  const template = (app.credentials?.userNameTemplate?.template ?? '${source.login}').replace(/\s+/g, '');
  const pick = (key: string) => (typeof profile[key] === 'string' ? (profile[key] as string) : undefined);
  if (template === '${source.login}') return pick('login');
  if (template === '${source.email}') return pick('email');
  return undefined;
}

function apiIntegrationActions(app: OktaAppJson, appId: string): string[] {
  const label = app.label ?? appId;
  return [
    `In the Okta admin console, open Applications → Applications → "${label}" (app id ${appId}).`,
    'Open the Provisioning tab, click "Configure API Integration" and check "Enable API integration".',
    'Enter the Access Key and Secret Key of the IAM user okta_cli_user (createOktaApiUser returned them; if the secret is lost, run it with accessKey: "rotate"), click "Test API Credentials", then Save.',
    'Under Provisioning → To App, click Edit, enable "Create Users" and "Update User Attributes" (Okta then imports the IAM roles), and Save.',
    'Run this step again (assignUser, or provisionConnectSso): it resumes here once the app lists the feature PUSH_NEW_USERS.',
  ];
}

function roleNotImportedActions(app: OktaAppJson, appId: string, roleName: string): string[] {
  const label = app.label ?? appId;
  return [
    `Check that the IAM role '${roleName}' exists and its trust policy names the SAML provider whose ARN is in the app's identityProviderArn (linkIdentityProvider does both).`,
    `In the Okta admin console, open Applications → Applications → "${label}" → Provisioning → To App and make sure "Update User Attributes" is enabled (without it Okta imports no roles).`,
    'Then, on the Applications → Applications page, choose More → "Refresh Application Data" so that Okta reads the roles from AWS again.',
    'Run this step again (assignUser): it resumes here once Okta accepts the role.',
  ];
}

/**
 * Read the AWS Account Federation app the assignment is for.
 * @throws {ConfigError} (`appId`) when there is no such app, or it is not an `amazon_aws` app.
 */
export async function readAwsApp(ctx: SsoContext, appId: string): Promise<AssignmentAppView> {
  let app: AssignmentAppView;
  try {
    app = (
      await oktaRequest<AssignmentAppView>(ctx, 'GetApplication', {
        method: 'GET',
        path: `/api/v1/apps/${encodeURIComponent(appId)}`,
      })
    ).data;
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) {
      throw new ConfigError('appId', `no Okta app with id '${appId}'`);
    }
    throw error;
  }
  if (app.name !== 'amazon_aws') {
    throw new ConfigError(
      'appId',
      `app '${appId}' ("${app.label ?? ''}") is a '${String(app.name)}' app, not an AWS Account Federation (amazon_aws) app`,
    );
  }
  return app;
}

/** The app has not imported the AWS roles: its API integration is not enabled (no API can do it). */
export function apiIntegrationRequiredError(app: AssignmentAppView): ManualActionRequiredError {
  return new ManualActionRequiredError(
    `The Okta app "${app.label ?? app.id}" has not imported the AWS roles yet: its API integration ("Create Users") is not enabled, and Okta offers no API to enable it. Enable it in the admin console, then run again.`,
    apiIntegrationActions(app, app.id),
  );
}

/** Whether an Okta error is its refusal of a SAML role that it has not imported (400 E0000001 on samlRoles). */
export function isRoleRejection(error: unknown): boolean {
  return (
    isOktaError(error, 'E0000001') && error instanceof Error && /\b(samlRoles|role)\b/.test(error.message)
  );
}

/** Okta refused `roleName`: it is not among the roles the app imported from AWS. */
export function roleNotImportedError(
  app: AssignmentAppView,
  roleName: string,
  error: Error,
): ManualActionRequiredError {
  return new ManualActionRequiredError(
    `Okta does not accept the role '${roleName}' for app "${app.label ?? app.id}": it is not among the roles Okta imported from AWS (${error.message}).`,
    roleNotImportedActions(app, app.id, roleName),
  );
}

/** Input of {@link ensureAppAssignment}: everything already read, so that it makes only the write. */
export interface EnsureAppAssignmentInput {
  /** The `amazon_aws` app as read raw (`id`, `label`, `features`, `credentials.userNameTemplate`). */
  app: AssignmentAppView;
  /** The Okta user id. */
  oktaUserId: string;
  /** The login, for messages and logs. */
  login: string;
  /** The SAML role to give (see `roleName` of `assignUser`). */
  roleName: string;
  /** The current app user, or `undefined` when the user is not assigned to the app. */
  current: AppUserView | undefined;
  /** The Okta user's profile: predicts the app username of a new assignment in a dry run. Default none. */
  oktaProfile?: Record<string, unknown> | undefined;
  dryRun: boolean;
  /** Wraps the write call (pacing, retry on throttling). Default: the call is made as is. */
  pace?: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
}

/** What {@link ensureAppAssignment} did (or would do). */
export interface AppAssignmentOutcome {
  action: 'created' | 'updated' | 'unchanged';
  /** Prefixed `okta:`. */
  changes: string[];
  /**
   * The app username (`credentials.userName`): the SAML `RoleSessionName` and the Connect username.
   * `undefined` only in a dry run of a new assignment whose username the library cannot predict.
   */
  appUserName: string | undefined;
}

/**
 * The Okta half of an assignment, given what was read: assign the user to the app with
 * `role` / `samlRoles: [roleName]`, or replace its roles; nothing when they match.
 *
 * @throws {ManualActionRequiredError} the app lacks `PUSH_NEW_USERS` (API integration not enabled), or
 *   Okta refuses the role (not imported).
 * @throws {ProviderError} any other Okta error.
 */
export async function ensureAppAssignment(
  ctx: SsoContext,
  input: EnsureAppAssignmentInput,
): Promise<AppAssignmentOutcome> {
  const { app, oktaUserId, login, roleName, current, dryRun } = input;
  const appId = app.id;
  let appUserName = current?.credentials?.userName;
  if (current && rolesMatch(current, roleName)) return { action: 'unchanged', changes: [], appUserName };
  if (!(app.features ?? []).includes('PUSH_NEW_USERS')) throw apiIntegrationRequiredError(app);
  const changes: string[] = [];
  const profile = { role: roleName, samlRoles: [roleName] };
  if (!current) {
    changes.push(`okta: assign user '${login}' to app "${app.label ?? appId}" with samlRoles [${roleName}]`);
    appUserName ??= input.oktaProfile ? predictAppUserName(app, input.oktaProfile) : undefined;
  } else {
    const roles = rolesOf(current);
    if (roles.role !== roleName) changes.push(`okta: role: ${showRoles(roles.role)} → ${roleName}`);
    if (showRoles(roles.samlRoles) !== `[${roleName}]`) {
      changes.push(`okta: samlRoles: ${showRoles(roles.samlRoles)} → [${roleName}]`);
    }
  }
  if (!dryRun) {
    const pace = input.pace ?? (<T>(_operation: string, call: () => Promise<T>) => call());
    const path = `/api/v1/apps/${encodeURIComponent(appId)}/users`;
    let written: AppUserView;
    try {
      written = current
        ? await pace('UpdateApplicationUser', async () => {
            const { data } = await oktaRequest<AppUserView>(ctx, 'UpdateApplicationUser', {
              method: 'POST',
              path: `${path}/${encodeURIComponent(oktaUserId)}`,
              body: { profile },
              // A partial update to fixed values: safe to repeat.
              retry: true,
            });
            return data;
          })
        : await pace('AssignUserToApplication', () =>
            assignOnce(ctx, appId, oktaUserId, { id: oktaUserId, scope: 'USER', profile }),
          );
    } catch (error) {
      if (isRoleRejection(error)) throw roleNotImportedError(app, roleName, error as Error);
      throw error;
    }
    appUserName = written.credentials?.userName ?? appUserName;
    ctx.logger.info(`${current ? 'updated roles of' : 'assigned'} okta user ${login} to app ${appId}`, {
      appId,
      oktaUserId,
    });
  }
  return { action: current ? 'updated' : 'created', changes, appUserName };
}

/**
 * `POST /apps/{appId}/users`, safe against a lost answer: what Okta does with a repeated assignment is
 * not documented (it may refuse it as already assigned), so after a transient failure the assignment is
 * read back first and the POST repeated only when it is still missing.
 */
async function assignOnce(
  ctx: SsoContext,
  appId: string,
  oktaUserId: string,
  body: { id: string; scope: 'USER'; profile: Record<string, unknown> },
): Promise<AppUserView> {
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/users`;
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await oktaRequest<AppUserView>(ctx, 'AssignUserToApplication', {
        method: 'POST',
        path,
        body,
      });
      return data;
    } catch (error) {
      if (attempt >= 4 || !isTransientOktaError(error)) throw error;
    }
    try {
      const { data } = await oktaRequest<AppUserView>(ctx, 'GetApplicationUser', {
        method: 'GET',
        path: `${path}/${encodeURIComponent(oktaUserId)}`,
      });
      return data;
    } catch (error) {
      if (!(isOktaError(error, 'E0000007') || isOktaError(error, 404))) throw error;
    }
  }
}
