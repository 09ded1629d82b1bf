/**
 * The configuration of a whole setup: what you write ({@link ConnectSsoConfig}, YAML or JSON) and what
 * the library works from ({@link ResolvedConfig}, every default applied). `docs/configuration.md` is the
 * reference; `schema/connect-okta-sso.schema.json` gives editors completion and checks.
 */
import type { Secret } from '../core/secret.js';
import type { AppKind, ConnectPhoneType, OffboardPolicy, RenamePolicy, RoleMapping } from './defaults.js';

export type { AppKind, ConnectPhoneType, OffboardPolicy, RenamePolicy, RoleMapping } from './defaults.js';
export type {
  ResolvedApp,
  ResolvedConfig,
  ResolvedInstance,
  ResolvedMapping,
  ResolvedNames,
  ResolvedOkta,
  ResolvedOktaAuth,
  ResolvedSync,
  ResolvedUser,
  ResolvedUserConnect,
  ResolvedUsersFromOkta,
} from './resolved-types.js';

// ---------------------------------------------------------------------------------------------------------
// Input: what a config file holds. Everything with a default is optional.

/** A configuration as written. Required: `region`, `instance.alias`, `okta.orgUrl` and one app. */
export interface ConnectSsoConfig {
  /** The JSON Schema this file follows (for editors that read `$schema`); ignored by the library. */
  $schema?: string;
  /**
   * The stack name: the value of the `connect-okta-sso:stack` ownership tag of every AWS resource the
   * library creates, and of the marker in the Okta app's admin notes. Two configs with different stacks
   * never take over each other's resources. 1–128 characters of letters, digits and `_ . : / = + @ -`.
   * Default: the instance alias.
   */
  stack?: string;
  /** The AWS region of the Connect instance, e.g. `us-east-1` (`us-gov-west-1` for GovCloud). Required. */
  region: string;
  /** The Amazon Connect instance (created with SAML 2.0 identity management when missing). Required. */
  instance: InstanceConfig;
  /** The Okta org and how the library signs in to its Management API. Required. */
  okta: OktaConfig;
  /**
   * How a user's SAML role is decided. Default `api-integration`.
   * - `api-integration` (the AWS guide): an IAM user's access key lets Okta import the IAM roles; an Okta
   *   admin enters it once in the admin console (the one manual step: no public API can).
   * - `group-mapping`: the app derives the role from Okta group names; the library creates the groups,
   *   assigns them to the app and adds the users. No IAM user, no access key, no manual step.
   */
  roleMapping?: RoleMapping;
  /** The Okta apps, at most one of each kind. Required: at least one. */
  apps: AppConfig[];
  /**
   * Who gets access. A list: the users to assign to the apps (each gets a Connect user named exactly like
   * its Okta username). Or an object: `fromOkta` (the members of Okta groups or the assignees of the apps,
   * kept in sync with `syncUsers`) and `list` (users as in the list form, whose `connect` block overrides
   * the `mappings`). Default none.
   */
  users?: UserConfig[] | UsersConfig;
  /**
   * Rules that give users their Connect profiles from their Okta groups and profile attributes. For
   * each user the first rule whose `when` holds decides; a user's own `connect` block (in `users`)
   * overrides it field by field. Used by `syncUsers`. Default none.
   */
  mappings?: MappingConfig[];
  /** How `syncUsers` (and `connect-okta-sso sync`) treat users who leave or are renamed. Defaults: safe. */
  sync?: SyncConfig;
  /** Names of the IAM resources that are not per app. Defaults: the AWS guide's names. */
  names?: NamesConfig;
}

/** The Connect instance. */
export interface InstanceConfig {
  /**
   * The instance alias: 1–45 letters, digits and inner hyphens, not starting with `d-`. Globally unique
   * (it names `https://<alias>.my.connect.aws`) and never changeable: it is how the library finds the
   * instance. Required.
   */
  alias: string;
  /** Inbound calls, when the instance is created. Default `true`. */
  inboundCalls?: boolean;
  /** Outbound calls, when the instance is created. Default `true`. */
  outboundCalls?: boolean;
  /**
   * Your own tags on the instance, added to the ownership tags (`managed-by`, `connect-okta-sso:stack`,
   * which you cannot set here). At most 48; keys 1–128 characters not starting with `aws:`; values up to
   * 256. Default none.
   */
  tags?: Record<string, string>;
}

/**
 * The Okta org. Authentication: an API token (`SSWS`) from the `OKTA_API_TOKEN` environment variable
 * (recommended), or `token`; or OAuth 2.0 with a service app's private key (`privateKey` + `clientId`).
 */
export interface OktaConfig {
  /**
   * The org's base URL, `https://<org>.okta.com` (no path; a trailing slash is removed). `http` only for
   * a loopback address (the sandbox). Required.
   */
  orgUrl: string;
  /**
   * An Okta API token. Discouraged in a file: leave it out to read `OKTA_API_TOKEN`, or write
   * `${NAME}` to read the environment variable `NAME`. Never printed. Default: `${OKTA_API_TOKEN}`
   * (unless `privateKey` is given).
   */
  token?: string | Secret;
  /**
   * OAuth 2.0 instead of a token: the private key of an Okta API service app, as PEM (`-----BEGIN
   * PRIVATE KEY-----…`) or a JWK in JSON. Like `token`, `${NAME}` reads an environment variable. Never
   * printed. Default none.
   */
  privateKey?: string | Secret;
  /** The client id of the OAuth service app (`0oa…`). Required with `privateKey`, refused without it. */
  clientId?: string;
  /** The key id (`kid`) of `privateKey` registered in the service app. Default: none sent. */
  keyId?: string;
  /**
   * OAuth scopes to ask for. Default `okta.apps.manage`, `okta.users.read`, plus `okta.groups.manage`
   * with `roleMapping: group-mapping`.
   */
  scopes?: string[];
}

/** One Okta "AWS Account Federation" app: its own IAM SAML provider and role, and a relay state. */
export interface AppConfig {
  /**
   * Where its users land: `admin` (the Connect admin website), `ccp` (the Contact Control Panel),
   * `agent-workspace`. Each kind at most once. Required.
   */
  kind: AppKind;
  /**
   * The Okta app's label, 1–100 characters, unique among the apps: how the library finds the app.
   * Default by kind: `Amazon Connect Administrator`, `Amazon Connect CCP`, `Amazon Connect Agent Workspace`.
   */
  label?: string;
  /**
   * The IAM SAML identity provider's name (1–128 of letters, digits and `_ . -`), unique among the apps.
   * Default by kind: `Okta_Connect_Admin`, `Okta_Connect_CCP`, `Okta_Connect_Agent`.
   */
  providerName?: string;
  /**
   * The IAM role the app's users assume (1–64 of letters, digits and `_ + = , . @ -`), unique among the
   * apps. Default by kind: `Okta_Role`, `Okta_CCP_Role`, `Okta_Agent_Role`.
   */
  roleName?: string;
  /**
   * The AWS console session Okta asks for, in seconds, 900–43200 (the role's maximum session duration
   * is raised to it when lower). Default 3600.
   */
  sessionDuration?: number;
  /**
   * The relay state's destination: a path in the Connect website starting with `/`. Default by kind:
   * none (admin), `/ccp-v2` (ccp), `/agent-app-v2` (agent-workspace). For an instance still on the
   * `awsapps.com` domain the CCP was `/connect/ccp-v2`.
   */
  destination?: string;
  /** Add `new_domain=true` to the relay state, for instances on `<alias>.my.connect.aws`. Default `false`. */
  newDomain?: boolean;
  /**
   * Group mapping only: Okta's group filter, a regular expression over Okta group names with the
   * captures `(?{{accountid}}…)` (the 12-digit account) and `(?{{role}}…)` (the IAM role name). It must
   * match this app's group (see `groupName`) and no other app's. Default
   * `^aws_(?{{accountid}}\d{12})_(?{{role}}<roleName>)$` (Okta's documented `aws_<account>_<role>` form,
   * narrowed to this app's role).
   */
  groupFilter?: string;
  /**
   * Group mapping only: the Okta group the library creates, assigns to the app and puts the app's users
   * in, as a template: `{{accountid}}` is replaced by the AWS account id, `{{role}}` by `roleName`.
   * Default `aws_{{accountid}}_{{role}}`.
   */
  groupName?: string;
}

/** A person to give access: an Okta user assigned to one app, and a Connect user named like them. */
export interface UserConfig {
  /**
   * The Okta user's login. It becomes the app username and so the Connect username, which must equal the
   * SAML `RoleSessionName`: 2–64 characters of letters, digits and `_ . - @` (`@` only in an e-mail
   * form). Unique among the users, ignoring case (Okta logins are case-insensitive). Required.
   */
  login: string;
  /** The app to assign the user to: its `kind` or its `label`. Required. */
  app: string;
  /** The user's Connect user. Default: created as an `Agent` with `Basic Routing Profile` and a soft phone. */
  connect?: UserConnectConfig;
}

/** The Connect side of a user. */
export interface UserConnectConfig {
  /**
   * Security profiles by name (1–10, each at most 127 characters): `Admin`, `Agent`, `CallCenterManager`,
   * `QualityAnalyst` exist in every instance. When given, an existing user's profiles are made equal to
   * these. Default `['Agent']` for a new user (an existing user's profiles are then left alone).
   */
  securityProfiles?: string[];
  /**
   * Routing profile by name. When given, an existing user's routing profile is set to it. Default
   * `Basic Routing Profile` for a new user (an existing user's is then left alone).
   */
  routingProfile?: string;
  /** First name of a new Connect user, 1–100 characters. Default: the Okta user's first name. */
  firstName?: string;
  /** Last name of a new Connect user, 1–100 characters. Default: the Okta user's last name. */
  lastName?: string;
  /** The agent's phone. Default `SOFT_PHONE`. */
  phoneType?: ConnectPhoneType;
  /** The desk phone in E.164 form (`+12065550100`): required with `DESK_PHONE`, refused otherwise. */
  deskPhoneNumber?: string;
  /**
   * Agent hierarchy group, as its path from the top level (`Floor1/TeamA`). When given, an existing
   * user's hierarchy group is set to it. Default none.
   */
  hierarchyGroup?: string;
}

/** The object form of `users`: who comes from Okta, and users listed one by one. */
export interface UsersConfig {
  /** The people `syncUsers` keeps in Connect: members of Okta groups, or assignees of the apps. Default none. */
  fromOkta?: UsersFromOktaConfig;
  /**
   * Users listed one by one, as in the list form of `users`: `apply` assigns them to their app, and a
   * `connect` block here overrides the `mappings` for that user. Default none.
   */
  list?: UserConfig[];
}

/** Who `syncUsers` takes from Okta. At least one of `groups` and `apps`. */
export interface UsersFromOktaConfig {
  /**
   * Okta group names (as in Directory → Groups; Okta compares them ignoring case): every member gets a
   * Connect user. Default none.
   */
  groups?: string[];
  /**
   * Apps of this config, by `kind` or `label`: every user assigned to the app in Okta (directly or
   * through a group) gets a Connect user named exactly like their app username. Default none.
   */
  apps?: string[];
}

/** One rule of `mappings`: when its conditions hold for an Okta user, the Connect profiles it gives. */
export interface MappingConfig {
  /** The conditions, all of which must hold: a group membership, profile attributes, or both. Required. */
  when: MappingConditionConfig;
  /** What the rule gives (at least one field). Fields it leaves out get the defaults. Required. */
  connect: MappingConnectConfig;
}

/** The conditions of a mapping rule (at least one). */
export interface MappingConditionConfig {
  /** The user is a member of this Okta group (name; Okta compares names ignoring case). */
  group?: string;
  /**
   * The user's Okta profile has these attribute values (`{ department: Sales }`), compared exactly;
   * an attribute holding a list matches when the list contains the value. Every entry must hold.
   */
  attribute?: Record<string, string | number | boolean>;
}

/** What a mapping rule gives a user in Connect. */
export interface MappingConnectConfig {
  /** Security profiles by name (1–10). Default (when the rule leaves it out): `['Agent']`. */
  securityProfiles?: string[];
  /** Routing profile by name. Default (when the rule leaves it out): `Basic Routing Profile`. */
  routingProfile?: string;
  /**
   * Agent hierarchy group, as its path from the top level: `Floor1/TeamA` (1–5 levels, `/` between
   * them). Default (when the rule leaves it out): none.
   */
  hierarchyGroup?: string;
}

/** The offboarding and rename policy of `syncUsers`. Each can also be given per run. */
export interface SyncConfig {
  /**
   * What happens to a Connect user this library created when its Okta user leaves (removed from the
   * groups or apps, deactivated, deleted): `none` (reported only), `strip` (its security profiles are
   * replaced by `noAccessSecurityProfile`, so it can no longer work in Connect), `delete` (the Connect
   * user is deleted). Connect users the library did not create are never offboarded. Default `none`.
   */
  offboard?: OffboardPolicy;
  /**
   * When an Okta user's username changes (a new login), its Connect user, which cannot be renamed:
   * `report` (left as it is, reported) or `recreate` (a Connect user with the new username is created
   * with the same profiles, and the old one deleted). Default `report`.
   */
  renames?: RenamePolicy;
  /**
   * The security profile `strip` leaves a user with (Connect requires at least one): a profile with no
   * permissions. Created (without permissions) when the instance has none of that name. Default
   * `connect-okta-sso-no-access`.
   */
  noAccessSecurityProfile?: string;
}

/** Names of the IAM resources shared by every app. */
export interface NamesConfig {
  /** The managed policy allowing `connect:GetFederationToken` on the instance's users (1–128). Default `okta_federation_policy`. */
  federationPolicy?: string;
  /** The managed policy letting Okta list IAM roles (api-integration mode) (1–128). Default `okta_cli_policy`. */
  oktaAccessPolicy?: string;
  /** The IAM user whose access key Okta uses (api-integration mode) (1–64). Default `okta_cli_user`. */
  oktaApiUser?: string;
}
