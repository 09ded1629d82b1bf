/**
 * Types of a teardown: its options, events, plan and result.
 */
import type { SsoContext } from '../../core/context.js';
import type { DestroyAction, DestroyRecord, DestroyResourceKind } from '../../core/destroy-step.js';

export type { DestroyAction, DestroyRecord, DestroyResourceKind };

/** Progress of a teardown, for a CLI to draw (the same shapes as a provisioning run's events). */
export type DestroyEvent =
  /** A step began. */
  | {
      /** Event discriminator. */
      type: 'step-started';
      /** The step's id, as in {@link DestroyPlanItem.step}. */
      id: string;
      /** Readable name of what the step handles: `iam role Okta_Role`. */
      resource: string;
    }
  /** A step ended. */
  | {
      /** Event discriminator. */
      type: 'step-finished';
      /** The step's id. */
      id: string;
      /** Readable name of what the step handles. */
      resource: string;
      /**
       * What the step did, summed up: `delete` when it deleted (or, in a dry run, would delete) anything,
       * else `blocked`, `foreign`, `keep` or `absent`, in that order.
       */
      action: DestroyAction;
      /** One line per resource the step handled: its name, action and reason. */
      changes: string[];
      /** How long the step took, in milliseconds. */
      ms: number;
    }
  /** A step threw; its dependents are skipped, independent steps go on. */
  | {
      /** Event discriminator. */
      type: 'step-failed';
      /** The step's id. */
      id: string;
      /** Readable name of what the step handles. */
      resource: string;
      /** What the step threw (a non-Error is wrapped in one), explained: what holds it, and the fix. */
      error: Error;
    }
  /** Counts of the teardown's steps after each change. */
  | {
      /** Event discriminator. */
      type: 'progress';
      /** Steps finished, skipped included. */
      done: number;
      /** All steps. */
      total: number;
      /** Steps running now. */
      running: number;
    };

/** Options of {@link destroyConnectSso} (and, without `dryRun`, of {@link planDestroy}). */
export interface DestroyOptions {
  /**
   * The clients to use. Default: built from the config (`region`, `okta.orgUrl` and its token or key) with
   * the AWS default credential chain. The context's `stack` is replaced by the config's.
   */
  context?: SsoContext;
  /** Plan only: read everything, write nothing (the result says what would go). */
  dryRun?: boolean;
  /**
   * Delete the Connect instance too, with everything in it — its users, queues, flows and all contact data.
   * AWS allows 100 instance creations and deletions per account in 30 days. Default `false`: the
   * instance is kept (and listed in `kept`).
   */
  deleteInstance?: boolean;
  /** How many steps run at once. Default 4. */
  concurrency?: number;
  /** Called synchronously with each progress event of the run. Default: none. */
  onEvent?: (event: DestroyEvent) => void;
  /**
   * Aborts the run: calls in flight are cancelled and steps not yet started are skipped (`the run was
   * aborted`). A later run finishes the teardown. Default: the context's signal, if any.
   */
  signal?: AbortSignal;
}

/** One line of a teardown plan: one resource. */
export interface DestroyPlanItem {
  /** Unique in the plan: the step's id, with `/<n>` when the step handles several resources. */
  id: string;
  /** The step that handles the resource (`role:admin`); `dependsOn` names steps. */
  step: string;
  /** The kind of resource. */
  kind: DestroyResourceKind;
  /** Readable resource name: `okta app "Amazon Connect CCP"`. */
  resource: string;
  /** What the teardown will do to it. */
  action: DestroyAction;
  /** Why: the writes in order, whose it is, why it stays, or what blocks it and the fix. */
  reason: string;
  /** The steps that run first (what was made after this resource goes before it). */
  dependsOn: string[];
}

/** A teardown plan: what {@link destroyConnectSso} would do, without doing it. */
export interface DestroyPlan {
  /** The config's stack name: only resources carrying it are deleted. */
  stack: string;
  /** Whether the plan deletes the Connect instance (the `deleteInstance` option). */
  deleteInstance: boolean;
  /** One item per resource, in teardown order. */
  items: DestroyPlanItem[];
  /** Counts by action. */
  summary: Record<DestroyAction, number>;
}

/** A resource in a teardown result. */
export interface DestroyedResource {
  /** The kind of resource. */
  kind: DestroyResourceKind;
  /** Readable resource name. */
  resource: string;
  /** Its ARN or provider id, when known. */
  id: string | undefined;
  /** What was done (deleted), or why not (kept, foreign, blocked). */
  reason: string;
}

/** The outcome of one step of a teardown. */
export interface DestroyStepRecord {
  /** The step's id (`connect-users`, `app:admin`, `role:ccp`, `federation-policy`, `instance`…). */
  id: string;
  /** Readable name of what the step handles. */
  resource: string;
  /** `done`, `failed` (see `error`) or `skipped` (a step it depends on did not finish, or the run was aborted). */
  status: 'done' | 'failed' | 'skipped';
  /** What the step did to each resource it handled (empty unless `done`). */
  records: DestroyRecord[];
  /** Why it was skipped. */
  reason?: string;
  /** How long the step took, in milliseconds; undefined for a skipped step. */
  ms?: number;
  /** What the step threw; only when `status` is `failed`. */
  error?: Error;
}

/** The result of {@link destroyConnectSso}. */
export interface DestroyResult {
  /** `complete` when every step ran (foreign and kept resources do not count against it), else `failed`. */
  status: 'complete' | 'failed';
  /** The config's stack name. */
  stack: string;
  /** True when nothing was written (`dryRun`): the lists say what would happen. */
  dryRun: boolean;
  /** What this run deleted (in a dry run: would delete), in teardown order. */
  deleted: DestroyedResource[];
  /** This stack's resources that stay, and why (the Connect instance, without `deleteInstance`). */
  kept: DestroyedResource[];
  /** Resources with this stack's names that it did not create: never touched. */
  foreign: DestroyedResource[];
  /** This stack's resources that cannot go yet (dry run only; a run fails the step instead), with the fix. */
  blocked: DestroyedResource[];
  /** What the teardown looked for and did not find (already deleted, or never created). */
  absent: DestroyedResource[];
  /** Steps that did not run, and why: their resources are untouched. */
  skipped: {
    /** The step's id. */
    id: string;
    /** Readable name of what the step handles. */
    resource: string;
    /** Why it did not run. */
    reason: string;
  }[];
  /** The steps that failed, each with its error (explained: what holds the resource, and the fix). */
  errors: {
    /** The step's id. */
    id: string;
    /** Readable name of what the step handles. */
    resource: string;
    /** What the step threw. */
    error: Error;
  }[];
  /** Every step, in teardown order. */
  steps: DestroyStepRecord[];
  /** API calls the run made. */
  requests: {
    /** Read-only calls (`Get…`, `List…`, `Describe…`, `Search…`). */
    reads: number;
    /** Every other call. */
    writes: number;
  };
}
