/**
 * The sandbox's whole state: plain JSON (no classes, no Dates, no Maps) so that `sb.state()` can hand
 * out a snapshot and `--state-file` can persist it across restarts.
 */
import { type ConnectState, createConnectState } from './connect/state.js';
import { createIamState, type IamState } from './iam/state.js';
import { createOktaState, type OktaState } from './okta/state.js';
import { createSecretsManagerState, type SecretsManagerState } from './secretsmanager/state.js';
import { createStsState, type StsState } from './sts/state.js';

/** What the sandbox itself owns: its root credentials and the identifier generator's position. */
export interface SandboxMeta {
  /** The sandbox's own AWS access key (a root-like principal allowed everything). */
  accessKeyId: string;
  /** The secret of that access key (redacted in `sb.state()`). */
  secretAccessKey: string;
  /** The Okta API token (`Authorization: SSWS <token>`). */
  oktaToken: string;
  /**
   * The token of the sandbox's own admin API (`/__sandbox/…`, `Authorization: Bearer <token>`): not an
   * Okta or AWS credential. Set at start when absent (a state file written before the admin API). Redacted
   * in `sb.state()`.
   */
  adminToken?: string;
  /** State of the seeded identifier generator, so ids stay unique across restarts with a state file. */
  rng: number;
}

/**
 * Everything the sandbox emulates, as plain JSON (times in epoch ms): what `sb.state()` returns (with
 * secrets redacted) and what the state file holds.
 */
export interface SandboxState {
  /** The layout version of the state (and of the state file); always 1. */
  version: 1;
  /** The sandbox's own credentials and generator position. */
  sandbox: SandboxMeta;
  /** The emulated IAM. */
  iam: IamState;
  /** The emulated Amazon Connect. */
  connect: ConnectState;
  /** The emulated Okta org. */
  okta: OktaState;
  /** The emulated AWS Secrets Manager. */
  secretsmanager: SecretsManagerState;
  /** The emulated AWS STS (temporary credentials it issued). */
  sts: StsState;
}

export function createState(sandbox: SandboxMeta): SandboxState {
  return {
    version: 1,
    sandbox,
    iam: createIamState(),
    connect: createConnectState(),
    okta: createOktaState(),
    secretsmanager: createSecretsManagerState(),
    sts: createStsState(),
  };
}

const SECRET_KEYS =
  /^(secretAccessKey|sessionToken|oktaToken|adminToken|privateKey|privateKeyPem|token|password|secretString|secret)$/;

/**
 * A deep copy of the state with every secret value replaced by `[redacted]`: what `sb.state()` hands
 * out, so snapshots can be printed, logged and compared in tests.
 */
export function redactedSnapshot(state: SandboxState): SandboxState {
  return JSON.parse(
    JSON.stringify(state, (key, value: unknown) =>
      SECRET_KEYS.test(key) && typeof value === 'string' ? '[redacted]' : value,
    ),
  ) as SandboxState;
}
