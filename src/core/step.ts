/**
 * The shape every step shares: read → diff → apply. A step discovers its resource by its natural key,
 * decides what to do, and writes only then; with `dryRun` it stops after deciding.
 */

/** What a step did (or, with `dryRun`, would do) to its resource. */
export type StepAction = 'created' | 'updated' | 'unchanged' | 'conflict';

/** Fields every step result has. */
export interface StepResultBase {
  /**
   * `created`, `updated` or `unchanged` (with `dryRun`: what would be done), or `conflict`: the resource
   * exists but cannot be managed (see `changes` for why).
   */
  action: StepAction;
  /** A readable name of the resource: `iam policy okta_federation_policy`. */
  resource: string;
  /** What differed from the desired state and was (or would be) changed; empty when unchanged. */
  changes: string[];
  /** True when nothing was written because `dryRun` was set. */
  dryRun: boolean;
}

/** Options every step accepts. */
export interface StepOptions {
  /** Decide and report without writing anything. */
  dryRun?: boolean;
}

/** Combine a list of changes into the action: nothing to change is `unchanged`. */
export function actionFor(exists: boolean, changes: readonly string[]): StepAction {
  if (!exists) return 'created';
  return changes.length > 0 ? 'updated' : 'unchanged';
}

/**
 * How long and how often to poll while waiting for something (an instance to become ACTIVE, a console
 * click to be done). Every wait of the library takes `wait?: boolean | WaitOptions`: `true` waits with the
 * defaults of that wait, `false` (or absent) does not wait.
 */
export interface WaitOptions {
  /** Give up after this long, in milliseconds. The default depends on the wait (its docs say it). */
  timeoutMs?: number;
  /** First delay between two polls, in milliseconds; later delays back off. The default depends on the wait. */
  pollIntervalMs?: number;
}

/** Normalise `wait?: boolean | WaitOptions` to the options to wait with, or undefined for "do not wait". */
export function waitOptions(
  wait: boolean | WaitOptions | undefined,
  defaults: { timeoutMs: number; pollIntervalMs: number },
): { timeoutMs: number; pollIntervalMs: number } | undefined {
  if (wait === undefined || wait === false) return undefined;
  if (wait === true) return { ...defaults };
  return {
    timeoutMs: wait.timeoutMs ?? defaults.timeoutMs,
    pollIntervalMs: wait.pollIntervalMs ?? defaults.pollIntervalMs,
  };
}
