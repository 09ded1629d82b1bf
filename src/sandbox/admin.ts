/**
 * The sandbox's back doors ({@link SandboxAdmin}): what only the AWS and Okta admin consoles can do, each
 * run against the state and saved after it.
 */
import type { EmulatorContext } from './emulator.js';
import {
  type ApiIntegrationOptions,
  addOktaUserToGroup,
  changeOktaUserStatus,
  createOktaGroup,
  createOktaServiceApp,
  createOktaUser,
  deleteOktaUser,
  enableApiIntegration,
  importRoles,
  type OktaUserLifecycleChange,
  removeOktaUserFromGroup,
  rotateSigningKey,
  type ServiceAppInput,
  updateOktaUser,
} from './okta/index.js';
import type { SandboxOktaUserInput } from './types.js';

/** The back doors that stand for what only the AWS and Okta admin consoles can do. */
export interface SandboxAdmin {
  /** Create an Okta user (the flow never creates Okta users; they come from the directory). */
  createOktaUser(input: SandboxOktaUserInput): SandboxOktaUser;
  /**
   * The Okta admin console's "Provisioning → API Integration" with an AWS access key, plus
   * "Create Users": Okta calls IAM `ListRoles` and `ListAccountAliases` signed with the key (so a key
   * without those permissions fails as it does for real), imports the roles that trust the app's
   * identity provider, and the app's `features` gain `PUSH_NEW_USERS`.
   */
  enableApiIntegration(
    appId: string,
    credentials: { accessKeyId: string; secretAccessKey: string },
    options?: ApiIntegrationOptions,
  ): Promise<{
    /** Names of the roles imported (empty when `updateUserAttributes` is false). */
    importedRoles: string[];
  }>;
  /**
   * The admin console's "Refresh Application Data": Okta lists the IAM roles again with the key given
   * to {@link SandboxAdmin.enableApiIntegration} (roles created since then become assignable).
   */
  importRoles(appId: string): Promise<{
    /** Names of the roles now imported (empty when the integration's `updateUserAttributes` is off). */
    importedRoles: string[];
  }>;
  /** Generate a new signing key for the app and make it current (the old certificate stays listed). */
  rotateSigningKey(appId: string): {
    /** The new signing key's id (the app's `credentials.signing.kid`). */
    kid: string;
  };
  /**
   * The person finishes the activation link and sets a password: a `PROVISIONED` (or `STAGED`) user
   * becomes `ACTIVE` and can sign in. `user` is an id or a login.
   */
  activateOktaUser(user: string): SandboxOktaUser;
  /** Deactivate a user as the API does (→ `DEPROVISIONED`; direct app assignments are removed). */
  deactivateOktaUser(user: string): SandboxOktaUser;
  /** Suspend an `ACTIVE` user (→ `SUSPENDED`; assignments stay). */
  suspendOktaUser(user: string): SandboxOktaUser;
  /** Unsuspend a `SUSPENDED` user (→ `ACTIVE`). */
  unsuspendOktaUser(user: string): SandboxOktaUser;
  /** Any lifecycle change by name, as the API's `/lifecycle/*` (and `completeActivation`). */
  changeOktaUserStatus(user: string, change: OktaUserLifecycleChange): SandboxOktaUser;
  /**
   * Change profile attributes as POST /api/v1/users/{id} does: `{ lastName }`, `{ department }`, or
   * `{ login }` (a rename; app usernames derived from the login follow).
   */
  updateOktaUser(user: string, profile: Record<string, string | number | boolean | null>): SandboxOktaUser;
  /** Delete a user for good (deactivated first if it is not yet). */
  deleteOktaUser(user: string): void;
  /** Create an Okta group (`OKTA_GROUP`). */
  createOktaGroup(input: {
    /** The group's name (unique, case-insensitively). */
    name: string;
    /** An optional description. */
    description?: string;
  }): {
    /** The group id (`00g…`). */
    id: string;
    /** Its name. */
    name: string;
  };
  /** Add a user (id or login) to a group (id or name). */
  addOktaUserToGroup(
    user: string,
    group: string,
  ): {
    /** False when the user was already a member. */
    changed: boolean;
  };
  /** Remove a user (id or login) from a group (id or name). */
  removeOktaUserFromGroup(
    user: string,
    group: string,
  ): {
    /** False when the user was not a member. */
    changed: boolean;
  };
  /**
   * Register an OAuth 2.0 service app with a public key and granted scopes: it gets access tokens from
   * `POST /oauth2/v1/token` with a private-key JWT (what `OKTA_CLIENT_ID` + `OKTA_PRIVATE_KEY_FILE`
   * use), and each API call needs the scope the Okta spec names for it.
   */
  createOktaServiceApp(input: ServiceAppInput): {
    /** The client id (`0oa…`): `OKTA_CLIENT_ID`. */
    clientId: string;
    /** The key ids registered (`OKTA_KEY_ID`, when the client names one). */
    kids: string[];
  };
}

/** An Okta user as the sandbox's Okta API returns it. */
export interface SandboxOktaUser {
  /** The user id (`00u…`). */
  id: string;
  /** The lifecycle status (`ACTIVE`, `STAGED`…). */
  status: string;
  /** The user's profile (defaults applied). */
  profile: {
    /** The Okta login. */
    login: string;
    /** First name. */
    firstName?: string;
    /** Last name. */
    lastName?: string;
    /** Email address. */
    email?: string;
  };
}

/**
 * The back doors over the state `context` gives; `save` runs after each one that succeeded (persistence).
 */
export function createSandboxAdmin(context: () => EmulatorContext, save: () => void): SandboxAdmin {
  /** `fn` on the current state, saved after it. */
  const saved =
    <A extends unknown[], R>(fn: (ctx: EmulatorContext, ...args: A) => R) =>
    (...args: A): R => {
      const result = fn(context(), ...args);
      save();
      return result;
    };
  /** `fn` on the current state, saved once it resolved. */
  const savedAsync =
    <A extends unknown[], R>(fn: (ctx: EmulatorContext, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(context(), ...args);
      save();
      return result;
    };
  const changeStatus = saved(changeOktaUserStatus);
  const userChange = (change: OktaUserLifecycleChange) => (user: string) => changeStatus(user, change);
  return {
    createOktaUser: saved(createOktaUser),
    enableApiIntegration: savedAsync(enableApiIntegration),
    importRoles: savedAsync(importRoles),
    rotateSigningKey: saved(rotateSigningKey),
    activateOktaUser: userChange('completeActivation'),
    deactivateOktaUser: userChange('deactivate'),
    suspendOktaUser: userChange('suspend'),
    unsuspendOktaUser: userChange('unsuspend'),
    changeOktaUserStatus: changeStatus,
    updateOktaUser: saved(updateOktaUser),
    deleteOktaUser: saved(deleteOktaUser),
    createOktaGroup: saved(createOktaGroup),
    addOktaUserToGroup: saved(addOktaUserToGroup),
    removeOktaUserFromGroup: saved(removeOktaUserFromGroup),
    createOktaServiceApp: saved(createOktaServiceApp),
  };
}
