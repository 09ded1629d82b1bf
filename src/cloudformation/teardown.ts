/**
 * Delete, and the clean-up of a failed Create: the library's teardown, seen from the handler.
 */
import type { ResolvedConfig } from '../config/index.js';
import type { SsoContext } from '../core/context.js';
import { ConnectSsoError } from '../core/errors.js';

/** What the handler needs to know of a teardown. */
export interface TeardownOutcome {
  /** `complete`: nothing of the stack is left (the instance unless asked). */
  status: 'complete' | 'failed';
  /** Why it failed, one line per failed resource. */
  errors: { resource: string; error: Error }[];
}

/** Delete what the config's stack owns; the instance only with `deleteInstance`. */
export async function teardown(
  _config: ResolvedConfig,
  _options: { context: SsoContext; deleteInstance: boolean; signal?: AbortSignal | undefined },
): Promise<TeardownOutcome> {
  throw new ConnectSsoError('NOT_AVAILABLE', 'the teardown is not available in this build');
}
