/**
 * Public types of `connect-okta-sso/sandbox`.
 */

/**
 * The emulated services (`secretsmanager`: just enough for the secret sink that stores the Okta key;
 * `sts`: GetCallerIdentity and AssumeRoleWithSAML).
 */
export type ServiceName = 'iam' | 'connect' | 'okta' | 'secretsmanager' | 'sts';

/** A fault injected deterministically (from the sandbox seed) into matching requests. */
export interface FaultSpec {
  /** Which service the fault applies to. */
  service: ServiceName;
  /** Operation name (`CreateRole`, `CreateInstance`, `CreateApplication`…); every operation when absent. */
  operation?: string;
  /**
   * - `throttle`: the service's own throttling error (IAM `Throttling`, Connect `ThrottlingException` 429,
   *   Okta 429 `E0000047` with `X-Rate-Limit-Reset`).
   * - `server-error`: a 500 in the service's envelope.
   * - `reset`: the TCP connection is destroyed before any response.
   */
  kind: 'throttle' | 'server-error' | 'reset';
  /** Chance (0–1) that a matching request is hit; drawn from the seeded generator. Default 1. */
  probability?: number;
  /** Stop injecting after this many hits. Default: unlimited. */
  times?: number;
  /** Let this many matching requests through before the fault starts. Default 0. */
  after?: number;
}

/** Options of {@link startSandbox}. Every field has a default. */
export interface SandboxOptions {
  /** TCP port on 127.0.0.1; `0` (default) picks a free one. */
  port?: number;
  /** Host to bind; loopback only. Default `127.0.0.1`. */
  host?: string;
  /** The emulated AWS account id (12 digits). Default `123456789012`. */
  accountId?: string;
  /** The region whose Connect endpoint and credentials the sandbox hands out. Default `us-east-1`. */
  region?: string;
  /** How long a new Connect instance stays `CREATION_IN_PROGRESS`. Default 1500 ms. */
  instanceCreationMs?: number;
  /** Added latency per request, in ms: one number for all, or per operation name. Default 0. */
  latencyMs?: number | Record<string, number>;
  /** Seed of the deterministic generator used for identifiers and fault probabilities. Default 1. */
  seed?: number;
  /** Faults to inject. Default none. */
  faults?: FaultSpec[];
  /**
   * `off` (default): no rate limiting. `realistic`: token buckets like the real default quotas (Okta
   * per-endpoint-family limits with 429 + `X-Rate-Limit-Reset`; Connect's user writes (`CreateUser`,
   * `DeleteUser`, `UpdateUser*`) 2/s burst 5 each, per account and region, shared across instances, answered
   * `ThrottlingException` (429); IAM mutating calls).
   */
  rateLimits?: 'off' | 'realistic';
  /**
   * IAM eventual consistency: a new SAML provider is not yet usable as a trust-policy principal for this
   * many ms (`CreateRole` answers `MalformedPolicyDocument: Invalid principal in policy`). Default 0.
   */
  iamConsistencyMs?: number;
  /** Instance aliases whose creation ends in `CREATION_FAILED` (the failure AWS reports asynchronously). */
  failInstanceAliases?: string[];
  /** Persist state to this JSON file (loaded at start when it exists, written after every change). */
  stateFile?: string;
  /** Clock in epoch ms; default `Date.now`. Lets tests move time without sleeping. */
  now?: () => number;
  /**
   * Called with each request's log entry as it is recorded: after the operation ran (its effect is in
   * the state), before the response is sent. A test can stand for a crash at an exact point by aborting
   * its client here: the request has been served but its response is lost. Errors it throws are ignored.
   */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Event hook delivery: timeout, duplicates and reordering. */
  eventHooks?: SandboxEventHookOptions;
}

/** One entry of the request log. */
export interface RequestLogEntry {
  /** The service that served the request. */
  service: ServiceName;
  /** The operation: the AWS action name, or the Okta operation id (`CreateApplication`, `ListApplicationUsers`…). */
  operation: string;
  /** Whether the operation changes state (computed from the operation, whatever the outcome). */
  write: boolean;
  /** HTTP status sent; 0 when the connection was reset. */
  status: number;
  /** Time spent in the sandbox, ms. */
  ms: number;
  /** The error code returned, when the status is not 2xx. */
  errorCode?: string;
}

/** Credentials and endpoint for the AWS SDK clients. */
export interface SandboxAwsConfig {
  /** The sandbox URL (`http://127.0.0.1:PORT`): the `endpoint` of every AWS SDK client. */
  endpoint: string;
  /** The sandbox's region (option `region`, default `us-east-1`). */
  region: string;
  /** The sandbox's own access key, allowed every action. */
  credentials: {
    /** The access key id. */
    accessKeyId: string;
    /** The secret access key (random per sandbox, kept in the state file if any). */
    secretAccessKey: string;
  };
}

/** Org URL and API token for the Okta SDK client. */
export interface SandboxOktaConfig {
  /** The sandbox URL (`http://127.0.0.1:PORT`), standing for `https://<org>.okta.com`. */
  orgUrl: string;
  /** An API token (sent as `Authorization: SSWS <token>`), random per sandbox. */
  token: string;
}

/** A user created through the Okta admin back door. */
export interface SandboxOktaUserInput {
  /** The Okta login, email-shaped (`jane@example.com`); unique case-insensitively. */
  login: string;
  /** Default: the login's part before `@`. */
  firstName?: string;
  /** Default `User`. */
  lastName?: string;
  /** Default: the login. */
  email?: string;
  /**
   * Okta user status; default `ACTIVE` (the admin set a password, or the person finished activation: the
   * user can sign in). `PROVISIONED` is what POST /api/v1/users?activate=true without a password makes —
   * pending user action, unable to sign in until `sb.admin.activateOktaUser` stands for the person
   * finishing the activation link. `STAGED`: created, not activated.
   */
  status?: 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED';
  /** Other profile attributes (`department`, `title`…). */
  profile?: Record<string, string | number | boolean | null>;
  /** Groups (ids or names) to add the user to; each must exist (`sb.admin.createOktaGroup`). */
  groups?: string[];
}

/** Option `eventHooks` of {@link SandboxOptions}: how the sandbox's Okta delivers to event hooks. */
export interface SandboxEventHookOptions {
  /** How long Okta waits for a hook's answer before it counts the call as failed. Default 3000 ms (Okta's). */
  timeoutMs?: number;
  /**
   * Chance (0–1) that a delivery is sent a second time — Okta's delivery is at-least-once. Drawn from
   * the sandbox seed: same seed, same duplicates. Default 0.
   */
  duplicateProbability?: number;
  /**
   * Send each hook's deliveries in batches of this many, each shuffled from the sandbox seed (Okta's
   * delivery is unordered); `sb.okta.flushEventHooks()` sends a partly filled batch. Default 1 (in order).
   */
  reorderWindow?: number;
}
