/**
 * Delete, and the clean-up of a failed Create: the library's teardown (`destroyConnectSso`), seen from
 * the handler.
 */
import type { ResolvedConfig } from '../config/index.js';
import type { SsoContext } from '../core/context.js';
import { destroyConnectSso } from '../workflows/destroy/destroy.js';
import type { DestroyEvent } from '../workflows/destroy/types.js';

/** What the handler needs to know of a teardown. */
export interface TeardownOutcome {
  /** `complete`: nothing of the stack is left (the instance unless asked). */
  status: 'complete' | 'failed';
  /** Why it failed, one line per failed resource. */
  errors: { resource: string; error: Error }[];
  /** How many resources this run deleted. */
  deleted: number;
}

/**
 * Delete what the config's stack owns (only resources carrying its ownership tags); the Connect
 * instance only with `deleteInstance`. Idempotent: a run cut short is finished by the next.
 */
export async function teardown(
  config: ResolvedConfig,
  options: {
    context: SsoContext;
    deleteInstance: boolean;
    signal?: AbortSignal | undefined;
    onEvent?: (event: DestroyEvent) => void;
  },
): Promise<TeardownOutcome> {
  const result = await destroyConnectSso(config, {
    context: options.context,
    deleteInstance: options.deleteInstance,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  return {
    status: result.status,
    errors: result.errors.map((e) => ({ resource: e.resource, error: e.error })),
    deleted: result.deleted.length,
  };
}
