/**
 * The configuration the library works from: {@link ResolvedConfig}, what `validateConfig` returns with
 * every default applied, names normalised and secrets wrapped. `types.ts` re-exports every name here.
 */
import type { Secret } from '../core/secret.js';
import type { AppKind, ConnectPhoneType, OffboardPolicy, RenamePolicy, RoleMapping } from './defaults.js';

/** A configuration with every default applied, checked as a whole. Build it with `validateConfig` or `loadConfig`. */
export interface ResolvedConfig {
  /** The ownership stack name (default applied: the instance alias). */
  stack: string;
  /** The AWS region. */
  region: string;
  /** The region's partition: `aws` or `aws-us-gov` (Connect is not offered in `aws-cn`). */
  partition: 'aws' | 'aws-us-gov';
  /** The Connect instance. */
  instance: ResolvedInstance;
  /** The Okta org and its credentials. */
  okta: ResolvedOkta;
  /** How users' SAML roles are decided (default applied: `api-integration`). */
  roleMapping: RoleMapping;
  /** The apps, in the config's order, every default applied. */
  apps: ResolvedApp[];
  /** The users listed one by one (the list form of `users`, or `users.list`), in the config's order. */
  users: ResolvedUser[];
  /** Who `syncUsers` takes from Okta (`users.fromOkta`); `undefined` when the config names no one. */
  usersFromOkta: ResolvedUsersFromOkta | undefined;
  /** The mapping rules, in the config's order (first match wins). Empty when none. */
  mappings: ResolvedMapping[];
  /** The sync policy, defaults applied. */
  sync: ResolvedSync;
  /** The names of the shared IAM resources (defaults applied). */
  names: ResolvedNames;
}

/** {@link UsersFromOktaConfig} resolved: apps as kinds. */
export interface ResolvedUsersFromOkta {
  /** Okta group names (empty when none). */
  groups: string[];
  /** The kinds of the apps whose assignees are users (empty when none). */
  apps: AppKind[];
}

/** One rule of {@link ResolvedConfig.mappings}. */
export interface ResolvedMapping {
  /** The rule's path in the config, `mappings[2]`: how plans and errors name it. */
  field: string;
  /** The conditions; each absent one holds. */
  when: {
    /** The Okta group name, if the rule names one. */
    group: string | undefined;
    /** The profile attributes, if the rule names any. */
    attribute: Record<string, string | number | boolean> | undefined;
  };
  /** What the rule gives; an absent field gets the default. */
  connect: {
    /** Security profile names, if given. */
    securityProfiles: string[] | undefined;
    /** Routing profile name, if given. */
    routingProfile: string | undefined;
    /** Hierarchy group path, if given. */
    hierarchyGroup: string | undefined;
  };
}

/** {@link SyncConfig} with every default applied. */
export interface ResolvedSync {
  /** The offboarding policy. */
  offboard: OffboardPolicy;
  /** The rename policy. */
  renames: RenamePolicy;
  /** The security profile `strip` leaves. */
  noAccessSecurityProfile: string;
}

/** {@link InstanceConfig} with every default applied. */
export interface ResolvedInstance {
  /** The instance alias. */
  alias: string;
  /** Inbound calls, when the instance is created. */
  inboundCalls: boolean;
  /** Outbound calls, when the instance is created. */
  outboundCalls: boolean;
  /** The user's tags (`{}` when none); the ownership tags are added by the steps. */
  tags: Record<string, string>;
}

/** {@link OktaConfig} resolved: the URL normalised, the credentials found and wrapped. */
export interface ResolvedOkta {
  /** The org URL normalised: `https://<host>`, no path, no trailing slash. */
  orgUrl: string;
  /**
   * How to authenticate. `undefined` only when validated with `requireOktaAuth: false` and neither a
   * token nor a private key was found (the caller then brings its own Okta client).
   */
  auth: ResolvedOktaAuth | undefined;
}

/** Okta credentials: an API token, or an OAuth service app's private key. Secrets are {@link Secret}s. */
export type ResolvedOktaAuth =
  | {
      /** An API token. */
      type: 'token';
      /** The token. */
      token: Secret;
      /** Where the token came from: the config file, or the named environment variable. */
      source:
        | {
            /** Written in the config. */
            kind: 'config';
          }
        | {
            /** Read from the environment. */
            kind: 'env';
            /** The variable's name, e.g. `OKTA_API_TOKEN`. */
            name: string;
          };
    }
  | {
      /** OAuth 2.0 with a service app's private key. */
      type: 'private-key';
      /** The service app's client id. */
      clientId: string;
      /** The private key (PEM or JWK). */
      privateKey: Secret;
      /** Where the key came from: the config file, or the named environment variable. */
      source:
        | {
            /** Written in the config. */
            kind: 'config';
          }
        | {
            /** Read from the environment. */
            kind: 'env';
            /** The variable's name, e.g. `OKTA_API_TOKEN`. */
            name: string;
          };
      /** The key id sent with the key, if any. */
      keyId: string | undefined;
      /** The scopes requested (default applied). */
      scopes: string[];
    };

/** {@link AppConfig} with every default applied. */
export interface ResolvedApp {
  /** The app's kind. */
  kind: AppKind;
  /** The Okta app's label (how it is found). */
  label: string;
  /** The IAM SAML identity provider's name. */
  providerName: string;
  /** The IAM role's name. */
  roleName: string;
  /** The AWS console session Okta asks for, in seconds. */
  sessionDuration: number;
  /**
   * The relay state's destination path; `undefined` for the admin website (no destination). For
   * `buildRelayState` pass `destination ?? 'admin'`.
   */
  destination: string | undefined;
  /** Whether the relay state carries `new_domain=true`. */
  newDomain: boolean;
  /** Group mapping: the Okta group filter (default applied); `undefined` in api-integration mode. */
  groupFilter: string | undefined;
  /** Group mapping: the group name template (default applied); `undefined` in api-integration mode. */
  groupName: string | undefined;
}

/** {@link UserConfig} with every default applied. */
export interface ResolvedUser {
  /** The Okta login, which is also the Connect username. */
  login: string;
  /** The kind of the user's app (`app` given as a kind or a label; kinds are unique). */
  app: AppKind;
  /** The user's path in the config (`users[3]`, `users.list[3]`), for plans and errors. */
  field?: string;
  /** The user's Connect side, defaults applied. */
  connect: ResolvedUserConnect;
}

/** {@link UserConnectConfig} with every default applied. */
export interface ResolvedUserConnect {
  /** Security profile names. */
  securityProfiles: string[];
  /** Routing profile name. */
  routingProfile: string;
  /** `undefined`: the Okta user's first name. */
  firstName: string | undefined;
  /** `undefined`: the Okta user's last name. */
  lastName: string | undefined;
  /** `SOFT_PHONE` or `DESK_PHONE`. */
  phoneType: ConnectPhoneType;
  /** The desk phone (E.164), with `DESK_PHONE` only. */
  deskPhoneNumber: string | undefined;
  /** The hierarchy group path, when given (`validateConfig` always sets the key). */
  hierarchyGroup?: string | undefined;
  /**
   * Which of the profiles the config gave explicitly. Only those are enforced on an existing Connect
   * user; the defaults apply to users the run creates.
   */
  explicit: {
    /** `connect.securityProfiles` was given. */
    securityProfiles: boolean;
    /** `connect.routingProfile` was given. */
    routingProfile: boolean;
    /** `connect.hierarchyGroup` was given (`validateConfig` always sets it). */
    hierarchyGroup?: boolean;
  };
}

/** {@link NamesConfig} with every default applied. */
export interface ResolvedNames {
  /** The federation policy's name. */
  federationPolicy: string;
  /** The Okta access policy's name. */
  oktaAccessPolicy: string;
  /** The Okta API user's name. */
  oktaApiUser: string;
}
