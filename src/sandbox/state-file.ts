/**
 * The sandbox state on disk: read (and upgraded from an older sandbox's file), or made new; and saved
 * atomically, readable by the owner only (it holds the sandbox's secrets).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { upgradeOktaState } from './okta/index.js';
import { createSecretsManagerState } from './secretsmanager/index.js';
import { createState, type SandboxState } from './state.js';
import { createStsState } from './sts/index.js';

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

/**
 * The state in `file` (upgraded from an older sandbox's file), or a new one when there is no file.
 * Throws naming the file when it is not a version 1 sandbox state.
 */
export function loadState(file: string | undefined, seed: number): SandboxState {
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

/** Save `state` to `file` (write a temporary file, then rename); nothing without a file. */
export function saveState(file: string | undefined, state: SandboxState): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}
