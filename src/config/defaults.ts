/**
 * Every default of the configuration, in one place. The JSON Schema ({@link connectSsoConfigSchema})
 * shows them to editors and the resolver ({@link validateConfig}) applies them: both read these
 * constants, and a test checks that what the schema announces is what the resolver does.
 */
import { MANAGED_BY_KEY, STACK_KEY } from '../core/ownership.js';

/** Where users of an app land after sign-in: the admin website, the Contact Control Panel, the agent workspace. */
export type AppKind = 'admin' | 'ccp' | 'agent-workspace';

/** The kinds of Okta app the library knows, one per Connect entry point. */
export const APP_KINDS: readonly AppKind[] = ['admin', 'ccp', 'agent-workspace'];

/**
 * - `api-integration` (the AWS guide's flow): Okta imports the IAM roles through an IAM user's access
 *   key, which an Okta admin must enter once in the admin console (no public API can).
 * - `group-mapping`: the app derives the role from Okta group names; no IAM user, no access key, no
 *   manual step.
 */
export type RoleMapping = 'api-integration' | 'group-mapping';

/** How the SAML role of a user is decided. */
export const ROLE_MAPPINGS: readonly RoleMapping[] = ['api-integration', 'group-mapping'];

export const DEFAULT_ROLE_MAPPING: RoleMapping = 'api-integration';

/** The defaults of an app, by kind: the names the AWS guide uses for its first app, and parallel ones. */
export const APP_DEFAULTS: Readonly<
  Record<
    AppKind,
    {
      /** The Okta app's label. */
      label: string;
      /** The IAM SAML identity provider's name. */
      providerName: string;
      /** The IAM role's name. */
      roleName: string;
      /** The relay state's destination; `undefined` for the admin website. */
      destination: string | undefined;
    }
  >
> = {
  admin: {
    label: 'Amazon Connect Administrator',
    providerName: 'Okta_Connect_Admin',
    roleName: 'Okta_Role',
    destination: undefined,
  },
  ccp: {
    label: 'Amazon Connect CCP',
    providerName: 'Okta_Connect_CCP',
    roleName: 'Okta_CCP_Role',
    destination: '/ccp-v2',
  },
  'agent-workspace': {
    label: 'Amazon Connect Agent Workspace',
    providerName: 'Okta_Connect_Agent',
    roleName: 'Okta_Agent_Role',
    destination: '/agent-app-v2',
  },
};

/** The AWS console session Okta asks for, in seconds (AWS accepts 900–43200). */
export const DEFAULT_SESSION_DURATION = 3600;
export const MIN_SESSION_DURATION = 900;
export const MAX_SESSION_DURATION = 43_200;

/**
 * The Okta group of an app in group-mapping mode, as a template: `{{accountid}}` becomes the 12-digit AWS
 * account, `{{role}}` the app's role name. The form is the one Okta documents for the AWS app
 * (`aws_<account id>_<role name>`).
 */
export const DEFAULT_GROUP_NAME = 'aws_{{accountid}}_{{role}}';

/** Escape a literal for a regular expression (JavaScript's and Java's syntax agree on these escapes). */
export function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The default group filter of an app in group-mapping mode: Okta's documented form
 * `aws_(?{{accountid}}\d+)_(?{{role}}…)` with its `{{accountid}}` and `{{role}}` captures, anchored and
 * narrowed to this app's role, so that the groups of the other apps never give a user a role of this
 * app's provider (which trusts only its own role).
 */
export function defaultGroupFilter(roleName: string): string {
  return `^aws_(?{{accountid}}\\d{12})_(?{{role}}${escapeRegExp(roleName)})$`;
}

/** The default Connect profiles of a user. */
export const DEFAULT_SECURITY_PROFILES: readonly string[] = ['Agent'];
export const DEFAULT_ROUTING_PROFILE = 'Basic Routing Profile';
export const PHONE_TYPES = ['SOFT_PHONE', 'DESK_PHONE'] as const;
/** The phone an agent answers with. `DESK_PHONE` needs a desk phone number. */
export type ConnectPhoneType = 'SOFT_PHONE' | 'DESK_PHONE';
export const DEFAULT_PHONE_TYPE = 'SOFT_PHONE';

/** The names of the IAM resources that are not per app. */
export const NAME_DEFAULTS = {
  /** The policy allowing `connect:GetFederationToken`. */
  federationPolicy: 'okta_federation_policy',
  /** The policy letting Okta list IAM roles. */
  oktaAccessPolicy: 'okta_cli_policy',
  /** The IAM user whose access key Okta uses. */
  oktaApiUser: 'okta_cli_user',
} as const;

/** The environment variable an Okta API token is read from when the config names none. */
export const OKTA_TOKEN_ENV = 'OKTA_API_TOKEN';

/**
 * The OAuth scopes asked for with a private key: apps (create the app, assign users) and users (find
 * them); groups too in group-mapping mode.
 */
export const DEFAULT_OAUTH_SCOPES: Readonly<Record<RoleMapping, readonly string[]>> = {
  'api-integration': ['okta.apps.manage', 'okta.users.read'],
  'group-mapping': ['okta.apps.manage', 'okta.users.read', 'okta.groups.manage'],
};

/** The ownership tag keys the library writes itself (a user tag may not use them). */
export const RESERVED_TAG_KEYS: readonly string[] = [MANAGED_BY_KEY, STACK_KEY];

/** What `syncUsers` may do to a Connect user whose Okta user left. */
export const OFFBOARD_POLICIES = ['none', 'strip', 'delete'] as const;
/** What `syncUsers` does to a Connect user whose Okta user left. */
export type OffboardPolicy = 'none' | 'strip' | 'delete';
/** Default: offboarding is only reported; a run must ask for `strip` or `delete`. */
export const DEFAULT_OFFBOARD = 'none';
/** What `syncUsers` may do when an Okta username changed. */
export const RENAME_POLICIES = ['report', 'recreate'] as const;
/** What `syncUsers` does when an Okta user's username changed. */
export type RenamePolicy = 'report' | 'recreate';
/** Default: a rename is reported, never acted on. */
export const DEFAULT_RENAMES = 'report';
/** The security profile `offboard: strip` leaves a user with (created without permissions when missing). */
export const DEFAULT_NO_ACCESS_SECURITY_PROFILE = 'connect-okta-sso-no-access';
/** Connect's deepest agent hierarchy. */
export const MAX_HIERARCHY_LEVELS = 5;
