/**
 * Guide step 9: give a person access. In Okta the user is assigned to the `amazon_aws` app with the
 * SAML role (`samlRoles: [roleName]`); in Connect a user is created whose username is exactly the Okta
 * **app** username (`credentials.userName` of the assignment) — which becomes the SAML `RoleSessionName`
 * and may differ from the Okta login (the app's username template decides it).
 *
 * Okta accepts a role only once it has imported the roles from AWS, which happens when an admin enables
 * the app's API integration in the admin console (no public API: design §5.3). Before that the step
 * stops with a {@link ManualActionRequiredError} that says what to click; running it again resumes.
 */
import type { AppUser } from '@okta/okta-sdk-nodejs';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ManualActionRequiredError } from '../../core/errors.js';
import type { StepOptions, StepResultBase } from '../../core/step.js';
import { CONNECT_INSTANCE_ID, instanceIdFromArn, isArn } from '../../providers/aws/arn.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import { isOktaError, isTransientOktaError, oktaCall, oktaRequest } from '../../providers/okta/transport.js';
import { OKTA_USER_ID_TAG } from './connect-directory.js';
import {
  type ConnectPhoneType,
  type ConnectUserOutcome,
  connectUsernameProblem,
  ensureConnectUser,
  resolveConnectProfiles,
} from './connect-user.js';

/** The Connect side of an assignment. */
export interface AssignUserConnectInput {
  /**
   * Security profiles by name: `Admin`, `Agent`, `CallCenterManager`, `QualityAnalyst` (every instance
   * has them) or a custom profile's exact name; 1–10 names. An existing user's profiles are made equal
   * to these.
   */
  securityProfiles: string[];
  /**
   * Routing profile by name. Default `Basic Routing Profile` when the user is created; an existing user's
   * routing profile is changed only when this is given.
   */
  routingProfile?: string;
  /** First name of a new Connect user. Default: the Okta user's `firstName`. */
  firstName?: string;
  /** Last name of a new Connect user. Default: the Okta user's `lastName`. */
  lastName?: string;
  /** Phone of a new Connect user. Default `SOFT_PHONE`. */
  phoneType?: ConnectPhoneType;
  /** E.164 desk phone number (`+12065550100`); required with `DESK_PHONE`, refused otherwise. */
  deskPhoneNumber?: string;
}

export interface AssignUserInput extends StepOptions {
  /** The Okta app id of the `amazon_aws` app (`createOktaFederationApp` returns it). */
  appId: string;
  /** The Okta user's login (or id). The Connect username is the app username Okta derives from it. */
  login: string;
  /**
   * The SAML role as Okta imported it from AWS: the IAM role name (`Okta_Role`), or
   * `<account> -- <role>` when the app federates several accounts. The app user gets `role` and
   * `samlRoles: [roleName]` (other roles of this user in this app are replaced).
   */
  roleName: string;
  /** The Connect instance id (a UUID, not the ARN); the instance must be ACTIVE. */
  instanceId: string;
  /**
   * The Connect user. Default: created with the `Agent` security profile and `Basic Routing Profile`;
   * the profiles of an existing user are then left as they are.
   */
  connect?: AssignUserConnectInput;
}

export interface AssignUserResult extends StepResultBase {
  /**
   * `created` when the Okta assignment or the Connect user was created, `updated` when roles or profiles
   * were changed, `unchanged` otherwise. `changes` are prefixed `okta:` or `connect:`.
   */
  action: StepResultBase['action'];
  /** The Okta user id. */
  oktaUserId: string;
  /**
   * The Okta app username (`credentials.userName` of the assignment): the SAML `RoleSessionName` and the
   * Connect username. `undefined` only in a dry run for a user not yet assigned whose app username Okta's
   * username template would compute in a way the library does not predict.
   */
  appUserName: string | undefined;
  /** The Connect user id; `undefined` only in a dry run that would create the user. */
  connectUserId: string | undefined;
  /** The Connect user ARN; `undefined` only in a dry run that would create the user. */
  connectUserArn: string | undefined;
  /** The SAML roles of the app user (`samlRoles`) after the step: `[roleName]`. */
  roles: string[];
}

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

const DEFAULT_SECURITY_PROFILES = ['Agent'];
const DEFAULT_ROUTING_PROFILE = 'Basic Routing Profile';
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ROLE = /^\S.{0,200} -- [\w+=,.@-]{1,64}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const PROFILE_NAME_MAX = 127;
const PERSON_NAME_MAX = 100;

type Issue = { field: string; message: string };

function checkText(issues: Issue[], field: string, value: unknown, max: number, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim().length === 0) {
    issues.push({ field, message: 'must be a non-empty string' });
  } else if (value.length > max) {
    issues.push({ field, message: `must be at most ${max} characters (got ${value.length})` });
  } else if (/\p{Cc}/u.test(value)) {
    issues.push({ field, message: 'must not contain control characters' });
  }
}

/** Problems of the app id, role name and instance id of an assignment (field names as given). */
export function assignmentTargetIssues(input: {
  appId: unknown;
  roleName: unknown;
  instanceId: unknown;
}): Issue[] {
  const issues: Issue[] = [];
  if (typeof input.appId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(input.appId)) {
    issues.push({
      field: 'appId',
      message: `expected an Okta app id like 0oa1b2c3d4 (got '${String(input.appId)}')`,
    });
  }
  if (
    typeof input.roleName !== 'string' ||
    !(ROLE_NAME.test(input.roleName) || ACCOUNT_ROLE.test(input.roleName))
  ) {
    issues.push({
      field: 'roleName',
      message: `expected an IAM role name (1–64 of A-Z a-z 0-9 _+=,.@-) or '<account> -- <role>' (got '${String(input.roleName)}')`,
    });
  }
  const { instanceId } = input;
  if (typeof instanceId !== 'string' || instanceId.length === 0) {
    issues.push({ field: 'instanceId', message: 'the Connect instance id is required' });
  } else if (isArn(instanceId)) {
    const id = instanceIdFromArn(instanceId);
    issues.push({
      field: 'instanceId',
      message: `expected the instance id, got an ARN ('${instanceId}')${id ? `: pass its last part, '${id}'` : ''}`,
    });
  } else if (!CONNECT_INSTANCE_ID.test(instanceId)) {
    issues.push({
      field: 'instanceId',
      message: `'${instanceId}' is not a Connect instance id (a lower-case UUID)`,
    });
  }
  return issues;
}

/** Problems of an Okta login (1–100 characters, no control characters). */
export function loginIssues(field: string, login: unknown): Issue[] {
  const issues: Issue[] = [];
  checkText(issues, field, login, 100, true);
  return issues;
}

/**
 * Problems of the Connect side of an assignment (`{ securityProfiles, routingProfile?, firstName?,
 * lastName?, phoneType?, deskPhoneNumber? }`), with fields named under `prefix` (`connect`,
 * `users[3].connect`).
 */
export function connectInputIssues(prefix: string, c: unknown): Issue[] {
  const issues: Issue[] = [];
  if (typeof c !== 'object' || c === null) {
    issues.push({
      field: prefix,
      message: 'must be an object { securityProfiles, routingProfile?, … }',
    });
    return issues;
  }
  const conn = c as Partial<Record<keyof AssignUserConnectInput, unknown>>;
  const securityProfiles = conn.securityProfiles;
  if (!Array.isArray(securityProfiles) || securityProfiles.length === 0 || securityProfiles.length > 10) {
    issues.push({ field: `${prefix}.securityProfiles`, message: 'must list 1–10 security profile names' });
  } else {
    const seen = new Set<unknown>();
    securityProfiles.forEach((name: unknown, i) => {
      const field = `${prefix}.securityProfiles[${i}]`;
      checkText(issues, field, name, PROFILE_NAME_MAX, true);
      if (seen.has(name)) issues.push({ field, message: `'${String(name)}' is listed twice` });
      seen.add(name);
    });
  }
  checkText(issues, `${prefix}.routingProfile`, conn.routingProfile, PROFILE_NAME_MAX, false);
  checkText(issues, `${prefix}.firstName`, conn.firstName, PERSON_NAME_MAX, false);
  checkText(issues, `${prefix}.lastName`, conn.lastName, PERSON_NAME_MAX, false);
  const phoneType = conn.phoneType ?? 'SOFT_PHONE';
  if (phoneType !== 'SOFT_PHONE' && phoneType !== 'DESK_PHONE') {
    issues.push({
      field: `${prefix}.phoneType`,
      message: `must be SOFT_PHONE or DESK_PHONE (got '${String(phoneType)}')`,
    });
  } else if (phoneType === 'DESK_PHONE' && conn.deskPhoneNumber === undefined) {
    issues.push({ field: `${prefix}.deskPhoneNumber`, message: 'is required with phoneType DESK_PHONE' });
  } else if (phoneType === 'SOFT_PHONE' && conn.deskPhoneNumber !== undefined) {
    issues.push({ field: `${prefix}.deskPhoneNumber`, message: 'is only used with phoneType DESK_PHONE' });
  }
  if (
    conn.deskPhoneNumber !== undefined &&
    (typeof conn.deskPhoneNumber !== 'string' || !E164.test(conn.deskPhoneNumber))
  ) {
    issues.push({
      field: `${prefix}.deskPhoneNumber`,
      message: 'must be an E.164 number such as +12065550100',
    });
  }
  return issues;
}

function validate(input: AssignUserInput): void {
  const issues: Issue[] = [...assignmentTargetIssues(input), ...loginIssues('login', input.login)];
  // Keep the order of the fields as they were reported before: appId, login, roleName, instanceId.
  issues.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    issues.push({ field: 'dryRun', message: 'must be true or false' });
  }
  if (input.connect !== undefined) issues.push(...connectInputIssues('connect', input.connect));
  if (issues.length > 0) throw ConfigError.of(issues);
}

const FIELD_ORDER = ['appId', 'login', 'roleName', 'instanceId'];

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

/** The app has not imported the AWS roles: its API integration is not enabled (no API can do it). */
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
  /** The SAML role to give (see {@link AssignUserInput.roleName}). */
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

/**
 * Assign an Okta user to the `amazon_aws` app with a SAML role, and create the Connect user whose
 * username is exactly the Okta app username — guide step 9.
 *
 * Order: every read that can reject the input (Okta user, app, Connect profiles) comes before the first
 * write, so an unknown login, app, instance or profile name writes nothing.
 *
 * Okta reads: `GET /users/{login}`, `GET /apps/{id}` (raw), `GET /apps/{id}/users/{userId}`; writes:
 * assign or update the app user. Connect reads: `ListSecurityProfiles`, `ListRoutingProfiles`,
 * `SearchUsers` (then `ListUsers` / `DescribeUser` when the search finds nothing); writes: `CreateUser`,
 * `UpdateUserSecurityProfiles`, `UpdateUserRoutingProfile`.
 *
 * @throws {ConfigError} invalid input (no request made); unknown login, app id, instance or profile name.
 * @throws {ManualActionRequiredError} the app's API integration is not enabled yet, or Okta has not
 *   imported `roleName`: `actions` lists the clicks; run again afterwards.
 * @throws {ConflictError} a Connect user exists whose username differs from the app username only in case.
 * @throws {ProviderError} any other AWS or Okta error.
 */
export async function assignUser(ctx: SsoContext, input: AssignUserInput): Promise<AssignUserResult> {
  validate(input);
  const { appId, login, roleName, instanceId } = input;
  const dryRun = input.dryRun ?? false;
  const connect = input.connect;
  const client = await ctx.okta();

  // --- reads that can reject the input -------------------------------------------------------------
  let user: Awaited<ReturnType<typeof client.userApi.getUser>>;
  try {
    user = await oktaCall(ctx, 'GetUser', () => client.userApi.getUser({ userId: login }), { retry: true });
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) {
      throw new ConfigError('login', `no Okta user with login '${login}'`);
    }
    throw error;
  }
  const oktaUserId = user.id ?? '';
  const oktaProfile = (user.profile ?? {}) as Record<string, unknown>;
  if (user.status !== undefined && user.status !== 'ACTIVE') {
    ctx.logger.warn(`okta user ${login} is ${user.status}: it cannot sign in until it is ACTIVE`, {
      oktaUserId,
    });
  }

  const app = await readAwsApp(ctx, appId);

  const profiles = await resolveConnectProfiles(ctx, instanceId, {
    securityProfiles: connect?.securityProfiles ?? DEFAULT_SECURITY_PROFILES,
    routingProfile: connect?.routingProfile ?? DEFAULT_ROUTING_PROFILE,
  });

  const firstName =
    connect?.firstName ?? (typeof oktaProfile.firstName === 'string' ? oktaProfile.firstName : '');
  const lastName =
    connect?.lastName ?? (typeof oktaProfile.lastName === 'string' ? oktaProfile.lastName : '');
  if (firstName.trim() === '' || lastName.trim() === '') {
    throw new ConfigError(
      firstName.trim() === '' ? 'connect.firstName' : 'connect.lastName',
      `the Okta user '${login}' has no ${firstName.trim() === '' ? 'firstName' : 'lastName'}: give one (a SAML Connect user needs both names)`,
    );
  }

  let appUser: AppUser | undefined;
  try {
    appUser = await oktaCall(
      ctx,
      'GetApplicationUser',
      () => client.applicationApi.getApplicationUser({ appId, userId: oktaUserId }),
      { retry: true },
    );
  } catch (error) {
    if (!(isOktaError(error, 'E0000007') || isOktaError(error, 404))) throw error;
  }

  // --- Okta: the assignment ----------------------------------------------------------------------
  const okta = await ensureAppAssignment(ctx, {
    app,
    oktaUserId,
    login,
    roleName,
    current: appUser,
    oktaProfile,
    dryRun,
  });
  const changes = [...okta.changes];
  const oktaAction = okta.action;
  const appUserName = okta.appUserName;

  // --- Connect: the user named exactly like the app username ------------------------------------------
  if (appUserName !== undefined) {
    const problem = connectUsernameProblem(appUserName);
    if (problem) {
      throw new ConfigError(
        'login',
        `the Okta app username '${appUserName}' of '${login}' cannot be a Connect username: ${problem}. Change the app's username template or this user's app username in Okta.`,
      );
    }
  }
  const connectOutcome: ConnectUserOutcome = await ensureConnectUser(ctx, {
    instanceId,
    username: appUserName,
    firstName,
    lastName,
    phoneType: connect?.phoneType ?? 'SOFT_PHONE',
    deskPhoneNumber: connect?.deskPhoneNumber,
    profiles,
    manageSecurityProfiles: connect !== undefined,
    manageRoutingProfile: connect?.routingProfile !== undefined,
    ...(oktaUserId ? { tags: ownershipTagMap(ctx, { [OKTA_USER_ID_TAG]: oktaUserId }) } : {}),
    dryRun,
  });
  changes.push(...connectOutcome.changes.map((c) => `connect: ${c}`));

  const action =
    oktaAction === 'created' || connectOutcome.action === 'created'
      ? 'created'
      : oktaAction === 'updated' || connectOutcome.action === 'updated'
        ? 'updated'
        : 'unchanged';
  return {
    action,
    resource: `assignment of ${login} to okta app ${appId} and connect instance ${instanceId}`,
    changes,
    dryRun,
    oktaUserId,
    appUserName,
    connectUserId: connectOutcome.userId,
    connectUserArn: connectOutcome.userArn,
    roles: [roleName],
  };
}
