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
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import type { StepOptions, StepResultBase } from '../../core/step.js';
import { ownershipTagMap } from '../../providers/aws/tags.js';
import { isOktaError, oktaCall } from '../../providers/okta/transport.js';
import { type AppUserView, ensureAppAssignment, readAwsApp } from './app-assignment.js';
import {
  type AssignUserConnectInput,
  assignmentTargetIssues,
  connectInputIssues,
  loginIssues,
} from './assignment-input.js';
import { OKTA_USER_ID_TAG } from './connect-directory.js';
import { resolveConnectProfiles } from './connect-profiles.js';
import { type ConnectUserOutcome, connectUsernameProblem, ensureConnectUser } from './connect-user.js';

export {
  type AppAssignmentOutcome,
  type AppUserView,
  type AssignmentAppView,
  apiIntegrationRequiredError,
  type EnsureAppAssignmentInput,
  ensureAppAssignment,
  isRoleRejection,
  predictAppUserName,
  readAwsApp,
  roleNotImportedError,
  rolesMatch,
} from './app-assignment.js';
export {
  type AssignUserConnectInput,
  assignmentTargetIssues,
  connectInputIssues,
  loginIssues,
} from './assignment-input.js';

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

const DEFAULT_SECURITY_PROFILES = ['Agent'];
const DEFAULT_ROUTING_PROFILE = 'Basic Routing Profile';

function validate(input: AssignUserInput): void {
  const issues = [...assignmentTargetIssues(input), ...loginIssues('login', input.login)];
  // Keep the order of the fields as they were reported before: appId, login, roleName, instanceId.
  issues.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') {
    issues.push({ field: 'dryRun', message: 'must be true or false' });
  }
  if (input.connect !== undefined) issues.push(...connectInputIssues('connect', input.connect));
  if (issues.length > 0) throw ConfigError.of(issues);
}

const FIELD_ORDER = ['appId', 'login', 'roleName', 'instanceId'];

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

  let appUser: AppUserView | undefined;
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
