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
