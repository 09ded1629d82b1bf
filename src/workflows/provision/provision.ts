/**
 * `planConnectSso` and `provisionConnectSso`: the whole guide as one dependency graph of the resources'
 * tasks (`src/resources/<resource>/task.ts`). Plan and apply share the graph; planning runs every task
 * with `dryRun`.
 *
 * ```
 * instance ──┬─ federation-policy ─┐
 *            ├─ app:<kind> ────────┴─ link:<kind> ─┐
 *            └─ instance-active ──────────────────┐ │
 * okta-access-policy ─ okta-api-user ─────────────┼─┴─ integration:<kind> ─ users:<kind>
 * ```
 * The IAM policies and the API user do not wait for Okta; the Okta apps need only the instance id,
 * which `CreateInstance` returns at once; only the users wait for the instance to be ACTIVE.
 * (group-mapping mode has `group:<kind>` instead of the access policy, API user and integration.)
 */
import type { ConnectSsoConfig, ResolvedApp, ResolvedConfig } from '../../config/index.js';
import { apiIntegrationTask } from '../../resources/api-integration/task.js';
import { instanceActiveTask, instanceTask } from '../../resources/connect-instance/task.js';
import { federationPolicyTask, oktaAccessPolicyTask } from '../../resources/iam-policies/task.js';
import { checkSink, preflightSink } from '../../resources/okta-api-user/secret-sink.js';
import { finishKeyDelivery, oktaApiUserTask } from '../../resources/okta-api-user/task.js';
import { oktaAppTask } from '../../resources/okta-app/task.js';
import { oktaGroupTask } from '../../resources/okta-groups/task.js';
import { samlProviderRoleTask } from '../../resources/saml-provider-role/task.js';
import type { AnyResourceTask, RunReport, TaskEnv, TaskResult } from '../../resources/task.js';
import { usersTask } from '../../resources/users/task.js';
import { countingContextForConfig, resolveConfigInput } from '../config-context.js';
import { runGraph, type Task, type TaskOutcome } from './graph.js';
import type {
  ConnectSsoPlan,
  PlanAction,
  PlanItem,
  ProvisionEvent,
  ProvisionOptions,
  ProvisionResult,
  StepRecord,
} from './types.js';

/** What a graph task leaves: the plan line and the resource task's output. */
interface TaskValue {
  item: PlanItem;
  out: unknown;
}

/** The resources' tasks for a config, wired by their typed refs; the ones the result reads are named. */
function resourceTasks(config: ResolvedConfig) {
  const apiIntegration = config.roleMapping === 'api-integration';
  const instance = instanceTask(config);
  const active = instanceActiveTask(config, instance);
  const federationPolicy = federationPolicyTask(config, instance.ref);
  const tasks: AnyResourceTask[] = [instance, active, federationPolicy];
  let apiUser: ReturnType<typeof oktaApiUserTask> | undefined;
  let accessPolicy: ReturnType<typeof oktaAccessPolicyTask> | undefined;
  if (apiIntegration) {
    accessPolicy = oktaAccessPolicyTask(config);
    apiUser = oktaApiUserTask(config, accessPolicy.ref);
    tasks.push(accessPolicy, apiUser);
  }
  for (const app of config.apps) {
    const oktaApp = oktaAppTask(config, app, instance.ref);
    const link = samlProviderRoleTask(app, oktaApp.ref, federationPolicy.ref);
    tasks.push(oktaApp, link);
    const base = { instance: instance.ref, active: active.ref, app: oktaApp.ref };
    // No users of this app, no user step: a plan shows no "0 user assignment(s)" row (which would
    // otherwise wait, "blocked", behind the app's manual step for nothing).
    const hasUsers = config.users.some((u) => u.app === app.kind);
    if (apiUser) {
      const integration = apiIntegrationTask(app, { app: oktaApp.ref, link: link.ref, apiUser: apiUser.ref });
      tasks.push(integration);
      if (hasUsers) tasks.push(usersTask(config, app, { ...base, integration: integration.ref }));
    } else {
      const group = oktaGroupTask(config, app, { instance: instance.ref, app: oktaApp.ref, link: link.ref });
      tasks.push(group);
      if (hasUsers) tasks.push(usersTask(config, app, { ...base, group: group.ref }));
    }
  }
  return { all: tasks, instance, active, federationPolicy, accessPolicy };
}

/** The ids a task waits for, as plans list them: its `after`, or else every task it needs. */
function dependsOnOf(task: AnyResourceTask): string[] {
  return (task.after ?? Object.values(task.needs)).map((r) => r.id);
}

/** The graph's view of a resource task: inputs gathered from the finished tasks it needs. */
function toGraphTask(task: AnyResourceTask, env: TaskEnv): Task<TaskValue> {
  const dependsOn = dependsOnOf(task);
  return {
    id: task.ref.id,
    dependsOn,
    run: async (results) => {
      const input: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(task.needs)) {
        const value = results.get(ref.id);
        if (!value)
          throw new Error(`task '${task.ref.id}' needs '${ref.id}', which is not among its dependencies`);
        input[name] = value.out;
      }
      const r: TaskResult<unknown> = await task.run(input, env);
      const item: PlanItem = {
        id: task.ref.id,
        kind: task.kind,
        resource: task.resource,
        action: r.action,
        reason: r.reason,
        dependsOn,
        ...(r.createsAccessKey !== undefined ? { createsAccessKey: r.createsAccessKey } : {}),
      };
      const value: TaskValue = { item, out: r.out };
      return r.manual ? { kind: 'manual', value, actions: r.manual } : { kind: 'done', value };
    },
  };
}

/** What the tasks fill in for the result. */
class RunState implements RunReport {
  accessKey: ProvisionResult['accessKey'];
  pendingDelivery: RunReport['pendingDelivery'];
  apiUser: ProvisionResult['apiUser'];
  readonly apps = new Map<string, ProvisionResult['apps'][number]>();
  readonly users = { created: 0, updated: 0, unchanged: 0, failed: 0, pending: 0 };

  constructor(private readonly config: ResolvedConfig) {}

  app(app: ResolvedApp): ProvisionResult['apps'][number] {
    let entry = this.apps.get(app.kind);
    if (!entry) {
      entry = {
        kind: app.kind,
        label: app.label,
        appId: undefined,
        relayState: undefined,
        signInUrl: undefined,
        providerArn: undefined,
        roleArn: undefined,
        apiIntegration: this.config.roleMapping === 'api-integration' ? 'pending' : 'not-needed',
      };
      this.apps.set(app.kind, entry);
    }
    return entry;
  }
}

async function run(
  configInput: ConnectSsoConfig | ResolvedConfig,
  options: ProvisionOptions,
  dryRun: boolean,
): Promise<{
  config: ResolvedConfig;
  state: RunState;
  outcomes: Map<string, TaskOutcome<TaskValue>>;
  graph: ReturnType<typeof resourceTasks>;
  requests: { reads: number; writes: number };
}> {
  const config = resolveConfigInput(configInput, options.context !== undefined);
  const sink = options.secretSink ?? { kind: 'return' };
  checkSink(sink);
  const { ctx, requests } = countingContextForConfig(config, options.context, options.signal);
  if (config.roleMapping === 'api-integration') await preflightSink(ctx, sink);
  const state = new RunState(config);
  for (const app of config.apps) state.app(app);
  const emit = (event: ProvisionEvent) => options.onEvent?.(event);
  const env: TaskEnv = {
    ctx,
    config,
    dryRun,
    report: state,
    options: {
      adopt: options.adopt === true,
      accessKey: options.accessKey ?? 'if-missing',
      secretSink: sink,
      wait: options.wait,
      instanceTimeoutMs: options.instanceTimeoutMs ?? 300_000,
      emit,
    },
  };
  const graph = resourceTasks(config);
  const tasks = graph.all;
  const byId = new Map(tasks.map((t) => [t.ref.id, t]));
  const outcomes = await runGraph(
    tasks.map((t) => toGraphTask(t, env)),
    {
      concurrency: options.concurrency ?? 4,
      signal: ctx.signal,
      onEvent: (event) => {
        if (!options.onEvent) return;
        if (event.type === 'progress') {
          emit(event);
          return;
        }
        const resource = byId.get(event.id)?.resource ?? event.id;
        if (event.type === 'task-started') {
          emit({ type: 'step-started', id: event.id, resource });
          return;
        }
        const o = event.outcome;
        if (o.status === 'done' || o.status === 'manual') {
          const { item } = o.value;
          emit({
            type: 'step-finished',
            id: event.id,
            resource,
            action: item.action,
            changes: item.reason ? [item.reason] : [],
            ms: o.ms,
          });
          if (o.status === 'manual')
            emit({ type: 'manual-action', id: event.id, resource, actions: o.actions });
        } else if (o.status === 'failed') {
          emit({ type: 'step-failed', id: event.id, resource, error: toError(o.error) });
        }
      },
    },
  );
  // A key made for the `return` sink is delivered by this result: record that now, also when the run was
  // aborted (its result, which carries the secret, still reaches the caller).
  const pending = state.pendingDelivery;
  if (pending) {
    state.pendingDelivery = undefined;
    await finishKeyDelivery(ctx, pending.userName, sink, { accessKeyId: pending.accessKeyId });
  }
  return { config, state, outcomes, graph, requests };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The plan item of a task that did not run (skipped after a failure or a manual stop, or failed). */
function notRunItem(task: AnyResourceTask, reason: string): PlanItem {
  return {
    id: task.ref.id,
    kind: task.kind,
    resource: task.resource,
    action: 'blocked',
    reason,
    dependsOn: dependsOnOf(task),
  };
}

/**
 * Read everything that exists and say what a run would do to every resource. Writes nothing.
 * @throws {ConfigError} an invalid config (before any call).
 */
export async function planConnectSso(
  config: ConnectSsoConfig | ResolvedConfig,
  options: Omit<ProvisionOptions, 'dryRun'> = {},
): Promise<ConnectSsoPlan> {
  const { config: resolved, outcomes, graph } = await run(config, options, true);
  const tasks = graph.all;
  const items: PlanItem[] = [];
  for (const task of tasks) {
    const o = outcomes.get(task.ref.id);
    if (o?.status === 'done' || o?.status === 'manual') items.push(o.value.item);
    else if (o?.status === 'failed') items.push(notRunItem(task, toError(o.error).message));
    else if (o?.status === 'skipped') items.push(notRunItem(task, o.reason));
  }
  const summary: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, manual: 0, blocked: 0 };
  for (const i of items) summary[i.action]++;
  return { stack: resolved.stack, items, summary };
}

/**
 * Provision SSO for Amazon Connect with Okta: plan every resource and apply the plan, independent
 * steps concurrently. Stops cleanly (`status: 'manual-action-required'`) at the one step no public API
 * can do, and resumes from there on the next run (or, with `wait`, waits there for the clicks).
 *
 * @throws {ConfigError} an invalid config (before any call). Step failures do not throw: they are in
 *   `result.errors` with `status: 'failed'`, after every independent step has run.
 */
export async function provisionConnectSso(
  config: ConnectSsoConfig | ResolvedConfig,
  options: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const dryRun = options.dryRun === true;
  const { config: resolved, state, outcomes, graph, requests } = await run(config, options, dryRun);
  const tasks = graph.all;
  const steps: StepRecord[] = [];
  const errors: ProvisionResult['errors'] = [];
  const manualActions: ProvisionResult['manualActions'] = [];
  const out = <T>(task: { ref: { id: string; __out?: T } }): Partial<T> => {
    const o = outcomes.get(task.ref.id);
    return o?.status === 'done' || o?.status === 'manual' ? (o.value.out as T) : {};
  };
  for (const task of tasks) {
    const id = task.ref.id;
    const o = outcomes.get(id);
    if (!o) continue;
    if (o.status === 'done' || o.status === 'manual') {
      const { item: planned } = o.value;
      steps.push({
        id,
        resource: planned.resource,
        action: planned.action,
        changes: planned.reason ? [planned.reason] : [],
        ms: o.ms,
      });
      if (o.status === 'manual') manualActions.push({ id, resource: planned.resource, actions: o.actions });
    } else if (o.status === 'failed') {
      const error = toError(o.error);
      steps.push({ id, resource: task.resource, action: 'failed', changes: [], ms: o.ms, error });
      errors.push({ id, resource: task.resource, error });
    } else {
      steps.push({ id, resource: task.resource, action: 'skipped', changes: [o.reason] });
    }
  }
  const instance = out(graph.instance);
  const active = out(graph.active);
  const status: ProvisionResult['status'] =
    errors.length > 0 ? 'failed' : manualActions.length > 0 ? 'manual-action-required' : 'complete';
  return {
    status,
    stack: resolved.stack,
    instance: {
      alias: resolved.instance.alias,
      instanceId: instance.instanceId,
      instanceArn: instance.instanceArn,
      status: active.active ? 'ACTIVE' : instance.status,
    },
    policies: {
      federationPolicyArn: out(graph.federationPolicy).policyArn,
      oktaAccessPolicyArn: graph.accessPolicy ? out(graph.accessPolicy).policyArn : undefined,
    },
    apiUser: state.apiUser,
    accessKey: state.accessKey,
    apps: [...state.apps.values()],
    users: { ...state.users },
    manualActions,
    steps,
    errors,
    requests,
  };
}
