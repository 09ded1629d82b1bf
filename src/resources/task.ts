/**
 * How a resource describes itself to the provisioning graph: one {@link ResourceTask} per resource
 * (or per resource and app), with typed inputs — the outputs of the tasks it needs — and a typed output
 * for the tasks after it. The graph (`workflows/provision`) wires tasks by their {@link TaskRef}s, so a
 * new resource is one folder with one `task.ts`, and no task reads another's output by a string id.
 */
import type { ResolvedApp, ResolvedConfig } from '../config/index.js';
import type { SsoContext } from '../core/context.js';
import type { StepResultBase, WaitOptions } from '../core/step.js';
import type {
  AccessKeyOutcome,
  PlanAction,
  ProvisionEvent,
  ProvisionedApp,
  ResourceKind,
  SecretSink,
} from './plan.js';

/** A typed handle on a task: its id, and (at the type level only) the output it produces. */
export interface TaskRef<Out> {
  /** The task's id, as in plan items (`instance`, `app:admin`…). */
  readonly id: string;
  /** Type-level only: the output type. Never set. */
  readonly __out?: Out;
}

/** Make a {@link TaskRef} for a task id. */
export function taskRef<Out>(id: string): TaskRef<Out> {
  return { id };
}

/** What a task ends with: the plan line (action and reason) and its output for the tasks after it. */
export interface TaskResult<Out> {
  /** What the run will do (or did) to the resource. */
  action: PlanAction;
  /** Why: the changes, the missing dependency, the click that is needed. */
  reason: string;
  /** For the tasks after this one; members are undefined where the resource does not exist yet (dry run). */
  out: Out;
  /** The plan item's `createsAccessKey` (the Okta API user only). */
  createsAccessKey?: boolean;
  /** A person must act in a console first: the instructions. The task's dependents wait for the next run. */
  manual?: string[];
}

/** The options of a run that tasks read (a subset of `ProvisionOptions`). */
export interface TaskOptions {
  /** Take over same-named resources without our tags. */
  adopt: boolean;
  /** The Okta access key policy. */
  accessKey: 'if-missing' | 'rotate';
  /** Where a new access key's secret goes. */
  secretSink: SecretSink;
  /** Wait at the manual checkpoint. */
  wait: boolean | WaitOptions | undefined;
  /** How long to wait for a new instance to be ACTIVE, ms. */
  instanceTimeoutMs: number;
  /** The run's event listener. */
  emit: (event: ProvisionEvent) => void;
}

/** What a run reports besides the plan items, filled in by the tasks. */
export interface RunReport {
  /** The Okta access key outcome. */
  accessKey: AccessKeyOutcome | undefined;
  /** The Okta API user. */
  apiUser: { userName: string; userArn: string | undefined } | undefined;
  /** Per app kind, what exists of the app. */
  app(app: ResolvedApp): ProvisionedApp;
  /**
   * A key this run created for the `return` sink: it is delivered when the result reaches the caller, so
   * the run records the delivery as it returns (see `finishKeyDelivery`).
   */
  pendingDelivery?: { userName: string; accessKeyId: string } | undefined;
  /** User counts over all apps. */
  readonly users: { created: number; updated: number; unchanged: number; failed: number; pending: number };
}

/** Everything a task runs with. */
export interface TaskEnv {
  /** The clients, logger, clock and signal. */
  ctx: SsoContext;
  /** The validated config. */
  config: ResolvedConfig;
  /** Plan only: decide, write nothing. */
  dryRun: boolean;
  /** The run's options. */
  options: TaskOptions;
  /** The run's report. */
  report: RunReport;
}

/** The task refs a task needs, keyed by the name its `run` gets their outputs under. */
export type TaskNeeds<In> = { readonly [K in keyof In]: TaskRef<In[K]> };

/** One resource's part of the provisioning graph. */
export interface ResourceTask<Out, In extends object = Record<string, never>> {
  /** This task's ref, for the tasks that need it. */
  readonly ref: TaskRef<Out>;
  /** The kind of resource, for plans and events. */
  readonly kind: ResourceKind;
  /** The resource's one readable name in plans, events and results. */
  readonly resource: string;
  /** The tasks this one needs, by the name their outputs have in `run`'s input. */
  readonly needs: TaskNeeds<In>;
  /**
   * The tasks this one waits for, as plans list them (`dependsOn`). Default: every task of `needs`. Give
   * it when some needs are reached through others (the graph checks that each need is an ancestor).
   */
  readonly after?: readonly TaskRef<unknown>[];
  /** Decide (and, unless `env.dryRun`, apply). */
  run(input: In, env: TaskEnv): Promise<TaskResult<Out>>;
}

/** A task whose input and output types are erased, as the graph holds them. */
export interface AnyResourceTask {
  readonly ref: TaskRef<unknown>;
  readonly kind: ResourceKind;
  readonly resource: string;
  readonly needs: Readonly<Record<string, TaskRef<unknown>>>;
  readonly after?: readonly TaskRef<unknown>[];
  run(input: Record<string, unknown>, env: TaskEnv): Promise<TaskResult<unknown>>;
}

/** Define a task (checks its input names against `needs` at compile time) and erase its types for the graph. */
export function defineTask<Out, In extends object = Record<string, never>>(
  task: Omit<ResourceTask<Out, In>, 'ref'> & { id: string },
): ResourceTask<Out, In> & AnyResourceTask {
  const { id, ...rest } = task;
  return { ...rest, ref: taskRef<Out>(id) } as ResourceTask<Out, In> & AnyResourceTask;
}

/** The plan action of a step's result. */
export function planAction(step: StepResultBase): PlanAction {
  switch (step.action) {
    case 'created':
      return 'create';
    case 'updated':
      return 'update';
    case 'unchanged':
      return 'unchanged';
    case 'conflict':
      return 'blocked';
  }
}

/** The plan reason of a step's result: its changes, or `up to date`. */
export function reasonOf(step: StepResultBase): string {
  if (step.changes.length > 0) return step.changes.join('; ');
  return step.action === 'unchanged' ? 'up to date' : step.action;
}

/** A task's result from a step's result. */
export function fromStep<Out>(step: StepResultBase, out: Out): TaskResult<Out> {
  return { action: planAction(step), reason: reasonOf(step), out };
}

/** The task ids of one app's tasks. */
export const appTaskId = {
  app: (app: ResolvedApp) => `app:${app.kind}`,
  link: (app: ResolvedApp) => `link:${app.kind}`,
  integration: (app: ResolvedApp) => `integration:${app.kind}`,
  group: (app: ResolvedApp) => `group:${app.kind}`,
  users: (app: ResolvedApp) => `users:${app.kind}`,
} as const;
