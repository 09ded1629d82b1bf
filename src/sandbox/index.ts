/**
 * `connect-okta-sso/sandbox`: AWS IAM, Amazon Connect and the Okta Management API emulated on one
 * loopback HTTP server, for the real SDK clients to talk to.
 *
 * @example
 * ```ts
 * import { startSandbox } from 'connect-okta-sso/sandbox';
 * const sb = await startSandbox();
 * const iam = new IAMClient({ endpoint: sb.aws.endpoint, region: sb.aws.region, credentials: sb.aws.credentials });
 * // …
 * await sb.stop();
 * ```
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createAdminApi } from './admin-api.js';
import { createConnectEmulator } from './connect/index.js';
import { createIamEmulator } from './iam/index.js';
import {
  type ApiIntegrationOptions,
  addOktaUserToGroup,
  attachEventHooks,
  changeOktaUserStatus,
  createOktaEmulator,
  createOktaGroup,
  createOktaServiceApp,
  createOktaUser,
  deleteOktaUser,
  type EventHookDelivery,
  enableApiIntegration,
  importRoles,
  type OktaUserLifecycleChange,
  removeOktaUserFromGroup,
  rotateSigningKey,
  type ServiceAppInput,
  updateOktaUser,
  upgradeOktaState,
} from './okta/index.js';
import { createSecretsManagerEmulator, createSecretsManagerState } from './secretsmanager/index.js';
import { type ResolvedSandboxOptions, SandboxServer } from './server.js';
import { type SignInInput, type SignInResult, signIn } from './signin/index.js';
import { createState, redactedSnapshot, type SandboxState } from './state.js';
import { createStsEmulator, createStsState } from './sts/index.js';
import type {
  FaultSpec,
  RequestLogEntry,
  SandboxAwsConfig,
  SandboxEventHookOptions,
  SandboxOktaConfig,
  SandboxOktaUserInput,
  SandboxOptions,
} from './types.js';

export type {
  ConnectHierarchyGroupState,
  ConnectHierarchyLevelState,
  ConnectIdentityManagementType,
  ConnectInstanceState,
  ConnectInstanceStatus,
  ConnectNamedResource,
  ConnectQuickConnectState,
  ConnectRoutingProfileState,
  ConnectState,
  ConnectUserState,
} from './connect/state.js';
export type {
  IamAccessKeyState,
  IamPolicyState,
  IamPolicyVersionState,
  IamRoleState,
  IamSamlProviderState,
  IamState,
  IamTag,
  IamUserState,
} from './iam/state.js';
export type {
  ApiIntegrationOptions,
  EventHookDelivery,
  OktaUserLifecycleChange,
  ServiceAppInput,
} from './okta/index.js';
export type {
  Json,
  JsonObject,
  OktaAccessToken,
  OktaApiIntegration,
  OktaApp,
  OktaAppGroup,
  OktaAppStatus,
  OktaAppUser,
  OktaEventHook,
  OktaEventHookStatus,
  OktaGroup,
  OktaOAuthState,
  OktaServiceApp,
  OktaSigningKey,
  OktaState,
  OktaUser,
  OktaUserStatus,
} from './okta/state.js';
export type { SecretsManagerState, StoredSecret } from './secretsmanager/index.js';
export type { SignInFailure, SignInInput, SignInResult, SignInStage, SignInSuccess } from './signin/index.js';
export type { SandboxMeta } from './state.js';
export type { StsSessionState, StsState } from './sts/index.js';
export type { ServiceName } from './types.js';
export type {
  FaultSpec,
  RequestLogEntry,
  SandboxAwsConfig,
  SandboxEventHookOptions,
  SandboxOktaConfig,
  SandboxOktaUserInput,
  SandboxOptions,
  SandboxState,
};

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

/** The sandbox's Okta: what the Okta SDK needs, and the event hooks' delivery controls for tests. */
export interface SandboxOkta extends SandboxOktaConfig {
  /**
   * Resolve once every event hook delivery that is queued or in flight (including partly filled reorder
   * batches, and deliveries caused meanwhile by a hook's handler calling the API) has been made.
   */
  flushEventHooks(): Promise<void>;
  /** Every delivery attempt so far, oldest first. */
  eventHookDeliveries(): EventHookDelivery[];
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

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Pass to `IAMClient` / `ConnectClient`. */
  readonly aws: SandboxAwsConfig;
  /** Pass `orgUrl` and `token` to the Okta SDK `Client`; `flushEventHooks` for tests of hook consumers. */
  readonly okta: SandboxOkta;
  /**
   * The admin API (`/__sandbox/…`, `Authorization: Bearer <token>`) that `connect-okta-sso sandbox admin`
   * uses: the back doors over loopback HTTP for a sandbox run as its own process.
   */
  readonly adminApi: {
    /** `http://127.0.0.1:PORT/__sandbox` */
    url: string;
    /** The sandbox's own admin token (neither an AWS nor an Okta credential). */
    token: string;
  };
  /** Every request served so far, oldest first. */
  requests(): RequestLogEntry[];
  /** Empty the request log (what {@link Sandbox.requests} returns); the state is untouched. */
  resetRequests(): void;
  /** A JSON snapshot of every emulated resource, secrets replaced by `[redacted]`. */
  state(): SandboxState;
  /** Back doors for what only the admin consoles can do. */
  readonly admin: SandboxAdmin;
  /**
   * Simulate a user's IdP-initiated sign-in: the Okta app issues its signed SAML response, AWS sign-in
   * checks it against the IAM provider's metadata and the role's trust policy, and the Connect federation
   * checks the role's `connect:GetFederationToken` permission and the user. Resolves to the Connect user
   * and destination, or to the stage that failed with the message a real user would see.
   */
  login(input: SignInInput): Promise<SignInResult>;
  /** Close the server (and write the state file, if any). */
  stop(): Promise<void>;
}

const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  accountId: '123456789012',
  region: 'us-east-1',
  instanceCreationMs: 1500,
  latencyMs: 0,
  seed: 1,
  rateLimits: 'off',
  iamConsistencyMs: 0,
} as const;

function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const resolved: ResolvedSandboxOptions = {
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? DEFAULTS.port,
    accountId: options.accountId ?? DEFAULTS.accountId,
    region: options.region ?? DEFAULTS.region,
    instanceCreationMs: options.instanceCreationMs ?? DEFAULTS.instanceCreationMs,
    latencyMs: options.latencyMs ?? DEFAULTS.latencyMs,
    seed: options.seed ?? DEFAULTS.seed,
    faults: [...(options.faults ?? [])],
    rateLimits: options.rateLimits ?? DEFAULTS.rateLimits,
    iamConsistencyMs: options.iamConsistencyMs ?? DEFAULTS.iamConsistencyMs,
    failInstanceAliases: [...(options.failInstanceAliases ?? [])],
    now: options.now ?? Date.now,
    onRequest: options.onRequest,
  };
  const problems: string[] = [];
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1)$/.test(resolved.host)) {
    problems.push(`host: the sandbox binds to loopback only, got '${resolved.host}'`);
  }
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) {
    problems.push(`port: expected an integer 0–65535, got ${String(options.port)}`);
  }
  if (!/^\d{12}$/.test(resolved.accountId))
    problems.push(`accountId: expected 12 digits, got '${resolved.accountId}'`);
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(resolved.region))
    problems.push(`region: not an AWS region: '${resolved.region}'`);
  if (!(resolved.instanceCreationMs >= 0)) problems.push('instanceCreationMs: expected a number ≥ 0');
  if (!(resolved.iamConsistencyMs >= 0)) problems.push('iamConsistencyMs: expected a number ≥ 0');
  if (!Number.isInteger(resolved.seed)) problems.push('seed: expected an integer');
  if (resolved.rateLimits !== 'off' && resolved.rateLimits !== 'realistic') {
    problems.push(`rateLimits: expected 'off' or 'realistic', got '${String(resolved.rateLimits)}'`);
  }
  resolved.faults.forEach((fault, i) => {
    if (!['iam', 'connect', 'okta', 'secretsmanager', 'sts'].includes(fault.service))
      problems.push(`faults[${i}].service: unknown service`);
    if (!['throttle', 'server-error', 'reset'].includes(fault.kind))
      problems.push(`faults[${i}].kind: unknown kind`);
    if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) {
      problems.push(`faults[${i}].probability: expected 0–1`);
    }
  });
  const hooks = options.eventHooks;
  if (hooks !== undefined) {
    if (hooks.timeoutMs !== undefined && !(hooks.timeoutMs > 0))
      problems.push('eventHooks.timeoutMs: expected a number > 0');
    if (
      hooks.duplicateProbability !== undefined &&
      !(hooks.duplicateProbability >= 0 && hooks.duplicateProbability <= 1)
    ) {
      problems.push('eventHooks.duplicateProbability: expected 0–1');
    }
    if (
      hooks.reorderWindow !== undefined &&
      !(Number.isInteger(hooks.reorderWindow) && hooks.reorderWindow >= 1)
    ) {
      problems.push('eventHooks.reorderWindow: expected an integer ≥ 1');
    }
  }
  if (problems.length > 0) throw new TypeError(`Invalid sandbox options:\n  ${problems.join('\n  ')}`);
  return resolved;
}

function newAdminToken(): string {
  return `sbxadm_${randomBytes(24).toString('base64url')}`;
}

function newSandboxMeta(seed: number): SandboxState['sandbox'] {
  return {
    accessKeyId: 'AKIASANDBOXROOT00001',
    secretAccessKey: randomBytes(30).toString('base64'),
    oktaToken: `00${randomBytes(30).toString('base64url')}`,
    adminToken: newAdminToken(),
    rng: seed | 0,
  };
}

function loadState(file: string | undefined, seed: number): SandboxState {
  if (file && existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`The sandbox state file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1) {
      throw new Error(`The sandbox state file ${file} is not a version 1 sandbox state.`);
    }
    const state = parsed as SandboxState;
    // A state file written before Secrets Manager was emulated has no part for it.
    state.secretsmanager ??= createSecretsManagerState();
    // …nor an admin token, nor event hooks and OAuth clients, nor STS sessions.
    state.sandbox.adminToken ??= newAdminToken();
    upgradeOktaState(state.okta);
    state.sts ??= createStsState();
    return state;
  }
  return createState(newSandboxMeta(seed));
}

/**
 * Start a sandbox on loopback. Every option has a default; the state lives in memory unless
 * `stateFile` is given.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const stateFile = options.stateFile;
  const state = loadState(stateFile, resolved.seed);
  const save = () => {
    if (!stateFile) return;
    const tmp = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, stateFile);
  };
  const server = new SandboxServer(
    resolved,
    () => state,
    {
      iam: createIamEmulator(),
      connect: createConnectEmulator(),
      okta: createOktaEmulator(),
      secretsmanager: createSecretsManagerEmulator(),
      sts: createStsEmulator(),
    },
    save,
  );
  const url = await server.listen();
  save();
  const hooks = attachEventHooks(state, () => server.context(), resolved.seed, options.eventHooks);

  const userChange = (change: OktaUserLifecycleChange) => (user: string) => {
    const result = changeOktaUserStatus(server.context(), user, change);
    save();
    return result;
  };
  const admin: SandboxAdmin = {
    createOktaUser(input) {
      const user = createOktaUser(server.context(), input);
      save();
      return user;
    },
    async enableApiIntegration(appId, credentials, integrationOptions) {
      const result = await enableApiIntegration(server.context(), appId, credentials, integrationOptions);
      save();
      return result;
    },
    async importRoles(appId) {
      const result = await importRoles(server.context(), appId);
      save();
      return result;
    },
    rotateSigningKey(appId) {
      const result = rotateSigningKey(server.context(), appId);
      save();
      return result;
    },
    activateOktaUser: userChange('completeActivation'),
    deactivateOktaUser: userChange('deactivate'),
    suspendOktaUser: userChange('suspend'),
    unsuspendOktaUser: userChange('unsuspend'),
    changeOktaUserStatus(user, change) {
      return userChange(change)(user);
    },
    updateOktaUser(user, profile) {
      const result = updateOktaUser(server.context(), user, profile);
      save();
      return result;
    },
    deleteOktaUser(user) {
      deleteOktaUser(server.context(), user);
      save();
    },
    createOktaGroup(input) {
      const result = createOktaGroup(server.context(), input);
      save();
      return result;
    },
    addOktaUserToGroup(user, group) {
      const result = addOktaUserToGroup(server.context(), user, group);
      save();
      return result;
    },
    removeOktaUserFromGroup(user, group) {
      const result = removeOktaUserFromGroup(server.context(), user, group);
      save();
      return result;
    },
    createOktaServiceApp(input) {
      const result = createOktaServiceApp(server.context(), input);
      save();
      return result;
    },
  };
  const login = async (input: SignInInput): Promise<SignInResult> => {
    const result = await signIn(server.context(), input);
    save();
    return result;
  };
  const adminToken = (): string => state.sandbox.adminToken ?? '';
  server.mountAdmin(
    createAdminApi({
      ...admin,
      token: adminToken,
      rawState: () => state,
      state: () => redactedSnapshot(state),
      login,
      eventHookDeliveries: () => hooks.deliveries(),
      flushEventHooks: () => hooks.flush(),
    }),
  );

  return {
    url,
    // Fresh objects on every read: the AWS SDK decorates the credentials object it is given.
    get aws() {
      return {
        endpoint: url,
        region: resolved.region,
        credentials: {
          accessKeyId: state.sandbox.accessKeyId,
          secretAccessKey: state.sandbox.secretAccessKey,
        },
      };
    },
    get okta() {
      return {
        orgUrl: url,
        token: state.sandbox.oktaToken,
        flushEventHooks: () => hooks.flush(),
        eventHookDeliveries: () => hooks.deliveries(),
      };
    },
    get adminApi() {
      return { url: `${url}/__sandbox`, token: adminToken() };
    },
    requests: () => server.requests(),
    resetRequests: () => server.resetRequests(),
    state: () => redactedSnapshot(state),
    admin,
    login,
    async stop() {
      await hooks.close();
      await server.close();
      save();
    },
  };
}
