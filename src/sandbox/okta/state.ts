/**
 * State of the emulated Okta org (plain JSON: see ../state.ts). Times are epoch ms; the wire shows them as
 * ISO strings truncated to the second, as Okta does.
 */

/** A JSON value (what free-form Okta maps such as `settings.app` or an app user's profile hold). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** An Okta app's status. */
export type OktaAppStatus = 'ACTIVE' | 'INACTIVE';
/** An Okta user's lifecycle status. */
export type OktaUserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED';

/** What the admin console's "Provisioning → API Integration" of an AWS app holds. */
export interface OktaApiIntegration {
  /** The AWS access key id Okta reads the IAM roles with. */
  accessKeyId: string;
  /** Kept, as Okta keeps it, for "Refresh Application Data" (`importRoles`). Redacted in `sb.state()`. */
  secretAccessKey: string;
  /** When the integration was enabled (epoch ms). */
  enabledAt: number;
  /** When roles were last imported from IAM. */
  importedAt: number;
  /** `ListAccountAliases` result at the last import. */
  accountAliases: string[];
}

/** An Okta app (the sandbox's flow creates `amazon_aws` SAML apps). */
export interface OktaApp {
  /** The app id (`0oa…`). */
  id: string;
  /** The `exk…` id of the app's SAML IdP: metadata `entityID` and SSO URLs use it, not the app id. */
  externalKeyId: string;
  /** OIN key (`amazon_aws`). */
  name: string;
  /** The app's label (its name in the dashboard); not unique. */
  label: string;
  /** `ACTIVE` or `INACTIVE` (an app must be deactivated before deletion). */
  status: OktaAppStatus;
  /** `signOnMode`, e.g. `SAML_2_0`. */
  signOnMode: string;
  /** When the app was created (epoch ms). */
  created: number;
  /** When the app last changed (epoch ms). */
  lastUpdated: number;
  /** `accessibility` as returned (`selfService`, `errorRedirectUrl`, `loginRedirectUrl`). */
  accessibility: JsonObject;
  /** `visibility` as returned (`autoSubmitToolbar`, `hide`, `appLinks`). */
  visibility: JsonObject;
  /** `credentials.userNameTemplate` (`template`, `type`): how app usernames derive from the Okta user. */
  userNameTemplate: JsonObject;
  /** `credentials.signing.kid`: the current signing key; every key of the app is in `OktaState.keys`. */
  signingKid: string;
  /** `settings` as returned (`app`, `notifications`, `manualProvisioning`, `implicitAssignment`, `notes`, `signOn`). */
  settings: JsonObject;
  /** `features` (`PUSH_NEW_USERS`…): gained only through the `enableApiIntegration` back door. */
  features: string[];
  /** Role names imported from AWS: the allowed values of app users' `role` / `samlRoles`. */
  importedRoles: string[];
  /** The API integration; null until `enableApiIntegration` enables it. */
  apiIntegration: OktaApiIntegration | null;
}

/**
 * An app's signing key and X.509 certificate. The RSA key pair is generated lazily (it takes 50–200 ms):
 * `privateKeyPem` and `certificate` stay null until a request needs them.
 */
export interface OktaSigningKey {
  /** The key id, as in `credentials.signing.kid` and the certificate list. */
  kid: string;
  /** The app the key belongs to. */
  appId: string;
  /** When the key was created (epoch ms). */
  created: number;
  /** When the key last changed (epoch ms). */
  lastUpdated: number;
  /** When the key and its certificate expire (epoch ms). */
  expiresAt: number;
  /** PKCS#8 PEM; redacted in `sb.state()`. */
  privateKeyPem: string | null;
  /** Base64 DER of the self-signed certificate. */
  certificate: string | null;
}

/** An Okta user (created through `sb.admin.createOktaUser`). */
export interface OktaUser {
  /** The user id (`00u…`). */
  id: string;
  /** The lifecycle status. */
  status: OktaUserStatus;
  /** When the user was created (epoch ms). */
  created: number;
  /** When the user was activated (epoch ms); null for a `STAGED` user. */
  activated: number | null;
  /** When the status last changed (epoch ms); null for a `STAGED` user. */
  statusChanged: number | null;
  /** When the user last changed (epoch ms). */
  lastUpdated: number;
  /**
   * When the password was set (epoch ms); null when the user has none (the back door gives one only to
   * `ACTIVE` users).
   */
  passwordChanged: number | null;
  /** `login`, `email`, `firstName`, `lastName`, … */
  profile: JsonObject;
}

/** An Okta group (type `OKTA_GROUP`). */
export interface OktaGroup {
  /** The group id (`00g…`). */
  id: string;
  /** When the group was created (epoch ms). */
  created: number;
  /** When the group was last updated (epoch ms). */
  lastUpdated: number;
  /** When a member was last added or removed (epoch ms). */
  lastMembershipUpdated: number;
  /** `name`, `description`. */
  profile: JsonObject;
  /** Member user ids. */
  members: string[];
}

/** A direct (`scope: USER`) assignment of a user to an app. */
export interface OktaAppUser {
  /** The Okta user id. */
  userId: string;
  /** Always `USER` when stored; `GROUP` app users are derived from group assignments, never stored. */
  scope: 'USER' | 'GROUP';
  /** When the assignment was made (epoch ms). */
  created: number;
  /** When the assignment last changed (epoch ms). */
  lastUpdated: number;
  /** When the assignment's status last changed (epoch ms). */
  statusChanged: number;
  /** The app username (`credentials.userName`; SAML `RoleSessionName` of `amazon_aws` apps). */
  userName: string;
  /** The app user profile (for `amazon_aws`: `role`, `samlRoles`…). */
  profile: JsonObject;
}

/** An assignment of a group to an app: its members become `scope: GROUP` app users. */
export interface OktaAppGroup {
  /** The Okta group id. */
  groupId: string;
  /** When the assignment was made (epoch ms). */
  created: number;
  /** When the assignment last changed (epoch ms). */
  lastUpdated: number;
  /**
   * The assignment's priority (lowest first): for a user in several assigned groups, the profile of the
   * lowest one applies.
   */
  priority: number;
  /** The app profile the group's members get (for `amazon_aws`: `role`, `samlRoles`…). */
  profile: JsonObject;
}

/** An Event Hook's lifecycle status. */
export type OktaEventHookStatus = 'ACTIVE' | 'INACTIVE';

/**
 * An Event Hook (`/api/v1/eventHooks`): Okta POSTs the events it subscribes to to `uri`, once verified.
 * `secret` is the `channel.config.authScheme.value` (write-only on the API; redacted in `sb.state()`).
 */
export interface OktaEventHook {
  /** The hook id (`who…`). */
  id: string;
  /** Display name. */
  name: string;
  /** Description, or null. */
  description: string | null;
  /** `ACTIVE` or `INACTIVE` (only an INACTIVE hook can be deleted). */
  status: OktaEventHookStatus;
  /** `UNVERIFIED` until the one-time verification succeeded; a new channel makes it `UNVERIFIED` again. */
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  /** When the hook was created (epoch ms). */
  created: number;
  /** When the hook last changed (epoch ms). */
  lastUpdated: number;
  /** Who created it (a user or client id). */
  createdBy: string;
  /** The subscribed event types (`user.lifecycle.create`…). */
  eventTypes: string[];
  /** The endpoint Okta calls. */
  uri: string;
  /** Extra headers Okta sends with every call. */
  headers: {
    /** The header name. */
    key: string;
    /** Its value. */
    value: string;
  }[];
  /** The header that carries {@link OktaEventHook.secret} (`Authorization`), or null for none. */
  authHeader: string | null;
  /** The value of that header; redacted in `sb.state()`. */
  secret: string | null;
}

/** An OAuth 2.0 service app ("API Services" app): signs in with a private-key JWT to call the Okta API. */
export interface OktaServiceApp {
  /** The client id (`0oa…`): the `iss` and `sub` of its client assertions. */
  clientId: string;
  /** The app's name. */
  name: string;
  /** `ACTIVE` or `INACTIVE` (an inactive app gets no tokens). */
  status: 'ACTIVE' | 'INACTIVE';
  /** When it was registered (epoch ms). */
  created: number;
  /** The public keys (JWKs with `kid`) its client assertions are checked against. */
  jwks: JsonObject[];
  /** The Okta API scopes granted to it (`okta.users.read`…). */
  scopes: string[];
}

/** An access token the token endpoint issued, stored by the SHA-256 of its value (never the value). */
export interface OktaAccessToken {
  /** The service app it was issued to. */
  clientId: string;
  /** The scopes it carries. */
  scopes: string[];
  /** When it was issued (epoch ms, sandbox clock). */
  issuedAt: number;
  /** When it expires (epoch ms, sandbox clock). */
  expiresAt: number;
}

/** The org authorization server's part of the state (service apps, tokens, used assertion ids). */
export interface OktaOAuthState {
  /** Service apps by client id. */
  clients: Record<string, OktaServiceApp>;
  /** Issued access tokens by the hex SHA-256 of the token. */
  tokens: Record<string, OktaAccessToken>;
  /** `<clientId>:<jti>` of client assertions already used → their `exp` (epoch ms), against replay. */
  usedJtis: Record<string, number>;
}

/** The emulated Okta org's part of the sandbox state. */
export interface OktaState {
  /** The org's `00o…` id (in app `orn`s); set on first use. */
  orgId: string;
  /** The org's subdomain: the CN of the signing certificates. */
  orgName: string;
  /** The default user type (`oty…`); set on first use. */
  userTypeId: string;
  /** Sequence behind the time-ordered part of ids (Okta ids sort by creation, and cursors rely on it). */
  seq: number;
  /** Apps by app id. */
  apps: Record<string, OktaApp>;
  /** Signing keys of every app, by kid. */
  keys: Record<string, OktaSigningKey>;
  /** Users by user id. */
  users: Record<string, OktaUser>;
  /** Groups by group id. */
  groups: Record<string, OktaGroup>;
  /** appId → userId → direct assignment. */
  appUsers: Record<string, Record<string, OktaAppUser>>;
  /** appId → groupId → group assignment. */
  appGroups: Record<string, Record<string, OktaAppGroup>>;
  /** Event hooks by id. */
  eventHooks: Record<string, OktaEventHook>;
  /** OAuth 2.0 service apps and the tokens issued to them. */
  oauth: OktaOAuthState;
  /** How many System Log events the org has recorded (event uuids derive from it, unique across restarts). */
  eventSeq: number;
}

export function createOktaState(): OktaState {
  return {
    orgId: '',
    orgName: 'sandbox',
    userTypeId: '',
    seq: 0,
    apps: {},
    keys: {},
    users: {},
    groups: {},
    appUsers: {},
    appGroups: {},
    eventHooks: {},
    oauth: { clients: {}, tokens: {}, usedJtis: {} },
    eventSeq: 0,
  };
}
