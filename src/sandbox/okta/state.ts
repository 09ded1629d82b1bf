/**
 * State of the emulated Okta org (plain JSON: see ../state.ts). Times are epoch ms; the wire shows them as
 * ISO strings truncated to the second, as Okta does.
 */

/** A JSON value (what free-form Okta maps such as `settings.app` or an app user's profile hold). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type OktaAppStatus = 'ACTIVE' | 'INACTIVE';
export type OktaUserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED';

/** What the admin console's "Provisioning → API Integration" of an AWS app holds. */
export interface OktaApiIntegration {
  accessKeyId: string;
  /** Kept, as Okta keeps it, for "Refresh Application Data" (`importRoles`). Redacted in `sb.state()`. */
  secretAccessKey: string;
  enabledAt: number;
  /** When roles were last imported from IAM. */
  importedAt: number;
  /** `ListAccountAliases` result at the last import. */
  accountAliases: string[];
}

export interface OktaApp {
  id: string;
  /** The `exk…` id of the app's SAML IdP: metadata `entityID` and SSO URLs use it, not the app id. */
  externalKeyId: string;
  /** OIN key (`amazon_aws`). */
  name: string;
  label: string;
  status: OktaAppStatus;
  signOnMode: string;
  created: number;
  lastUpdated: number;
  accessibility: JsonObject;
  visibility: JsonObject;
  userNameTemplate: JsonObject;
  /** `credentials.signing.kid`: the current signing key; every key of the app is in `OktaState.keys`. */
  signingKid: string;
  /** `settings` as returned (`app`, `notifications`, `manualProvisioning`, `implicitAssignment`, `notes`, `signOn`). */
  settings: JsonObject;
  /** `features` (`PUSH_NEW_USERS`…): gained only through the `enableApiIntegration` back door. */
  features: string[];
  /** Role names imported from AWS: the allowed values of app users' `role` / `samlRoles`. */
  importedRoles: string[];
  apiIntegration: OktaApiIntegration | null;
}

/**
 * An app's signing key and X.509 certificate. The RSA key pair is generated lazily (it takes 50–200 ms):
 * `privateKeyPem` and `certificate` stay null until a request needs them.
 */
export interface OktaSigningKey {
  kid: string;
  appId: string;
  created: number;
  lastUpdated: number;
  expiresAt: number;
  /** PKCS#8 PEM; redacted in `sb.state()`. */
  privateKeyPem: string | null;
  /** Base64 DER of the self-signed certificate. */
  certificate: string | null;
}

export interface OktaUser {
  id: string;
  status: OktaUserStatus;
  created: number;
  activated: number | null;
  statusChanged: number | null;
  lastUpdated: number;
  passwordChanged: number | null;
  /** `login`, `email`, `firstName`, `lastName`, … */
  profile: JsonObject;
}

export interface OktaGroup {
  id: string;
  created: number;
  lastUpdated: number;
  lastMembershipUpdated: number;
  /** `name`, `description`. */
  profile: JsonObject;
  /** Member user ids. */
  members: string[];
}

/** A direct (`scope: USER`) assignment of a user to an app. */
export interface OktaAppUser {
  userId: string;
  scope: 'USER' | 'GROUP';
  created: number;
  lastUpdated: number;
  statusChanged: number;
  userName: string;
  profile: JsonObject;
}

export interface OktaAppGroup {
  groupId: string;
  created: number;
  lastUpdated: number;
  priority: number;
  profile: JsonObject;
}

export interface OktaState {
  /** The org's `00o…` id (in app `orn`s); set on first use. */
  orgId: string;
  /** The org's subdomain: the CN of the signing certificates. */
  orgName: string;
  /** The default user type (`oty…`); set on first use. */
  userTypeId: string;
  /** Sequence behind the time-ordered part of ids (Okta ids sort by creation, and cursors rely on it). */
  seq: number;
  apps: Record<string, OktaApp>;
  keys: Record<string, OktaSigningKey>;
  users: Record<string, OktaUser>;
  groups: Record<string, OktaGroup>;
  /** appId → userId → direct assignment. */
  appUsers: Record<string, Record<string, OktaAppUser>>;
  /** appId → groupId → group assignment. */
  appGroups: Record<string, Record<string, OktaAppGroup>>;
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
  };
}
