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
import { createSandboxAdmin, type SandboxAdmin } from './admin.js';
import { createAdminApi } from './admin-api.js';
import { createConnectEmulator } from './connect/index.js';
import { createIamEmulator } from './iam/index.js';
import { attachEventHooks, createOktaEmulator, type EventHookDelivery } from './okta/index.js';
import { resolveOptions } from './options.js';
import { createSecretsManagerEmulator } from './secretsmanager/index.js';
import { SandboxServer } from './server.js';
import { type SignInInput, type SignInResult, signIn } from './signin/index.js';
import { redactedSnapshot, type SandboxState } from './state.js';
import { loadState, saveState } from './state-file.js';
import { createStsEmulator } from './sts/index.js';
import type { RequestLogEntry, SandboxAwsConfig, SandboxOktaConfig, SandboxOptions } from './types.js';

export type { SandboxAdmin, SandboxOktaUser } from './admin.js';
export type {
  ConnectHierarchyGroupState,
  ConnectHierarchyLevelState,
  ConnectIdentityManagementType,
  ConnectInstanceState,
  ConnectInstanceStatus,
  ConnectNamedResource,
  ConnectQuickConnectState,
  ConnectRoutingProfileState,
  ConnectSecurityProfileState,
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
export type { SandboxMeta, SandboxState } from './state.js';
export type { StsSessionState, StsState } from './sts/index.js';
export type {
  FaultSpec,
  RequestLogEntry,
  SandboxAwsConfig,
  SandboxEventHookOptions,
  SandboxOktaConfig,
  SandboxOktaUserInput,
  SandboxOptions,
  ServiceName,
} from './types.js';

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

/**
 * Start a sandbox on loopback. Every option has a default; the state lives in memory unless
 * `stateFile` is given.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const stateFile = options.stateFile;
  const state = loadState(stateFile, resolved.seed);
  const save = () => saveState(stateFile, state);
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

  const admin = createSandboxAdmin(() => server.context(), save);
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
