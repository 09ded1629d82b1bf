/**
 * `planDestroy` and `destroyConnectSso`: the teardown of what `provisionConnectSso` built, as one
 * dependency graph run in the reverse order of the build — what was made last goes first:
 *
 * ```
 * connect-users ─ group:<kind> ─ app:<kind> ─ role:<kind> ─ provider:<kind> ─┐
 *                                   └────────── api-user ─ okta-access-policy ─┼─ instance
 *                                   role:* ─ federation-policy ────────────────┘
 * ```
 *
 * Every resource is found by the name the config gives it and deleted only when it carries this
 * stack's ownership tags (for Okta: the stack's marker). Nothing is remembered between runs: a run
 * killed halfway is finished by the next one, and a run with nothing left writes nothing.
 */

import type { ConnectSsoConfig, ResolvedConfig } from '../../config/index.js';
import type { DestroyAction, DestroyRecord } from '../../core/destroy-step.js';
import { countingContextForConfig, resolveConfigInput } from '../config-context.js';
import { runGraph, type Task, type TaskOutcome } from '../provision/graph.js';
import {
  buildSteps,
  kindOf,
  line,
  type RunState,
  type StepSpec,
  type StepValue,
  stepAction,
} from './steps.js';
import type {
  DestroyEvent,
  DestroyedResource,
  DestroyOptions,
  DestroyPlan,
  DestroyPlanItem,
  DestroyResult,
  DestroyStepRecord,
} from './types.js';

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

interface RunOutput {
  config: ResolvedConfig;
  steps: StepSpec[];
  outcomes: Map<string, TaskOutcome>;
  requests: { reads: number; writes: number };
}

async function run(
  configInput: ConnectSsoConfig | ResolvedConfig,
  options: DestroyOptions,
  dryRun: boolean,
): Promise<RunOutput> {
  const config = resolveConfigInput(configInput, options.context !== undefined);
  const { ctx, requests } = countingContextForConfig(config, options.context, options.signal);
  const state: RunState = { instance: undefined, account: undefined };
  const steps = buildSteps(config, ctx, options, dryRun, state);
  const resourceOf = new Map(steps.map((s) => [s.id, s.resource]));
  const tasks: Task<StepValue>[] = steps.map((s) => ({
    id: s.id,
    dependsOn: s.dependsOn,
    run: async (results) => ({ kind: 'done', value: { records: await s.run(results) } }),
  }));
  const emit = options.onEvent;
  const outcomes = await runGraph(tasks, {
    concurrency: options.concurrency ?? 4,
    signal: ctx.signal,
    onEvent: (event) => {
      if (!emit) return;
      if (event.type === 'progress') {
        emit(event);
        return;
      }
      const resource = resourceOf.get(event.id) ?? event.id;
      if (event.type === 'task-started') {
        emit({ type: 'step-started', id: event.id, resource });
        return;
      }
      const o = event.outcome;
      if (o.status === 'done') {
        const { records } = o.value as StepValue;
        emit({
          type: 'step-finished',
          id: event.id,
          resource,
          action: stepAction(records),
          changes: records.map(line),
          ms: o.ms,
        });
      } else if (o.status === 'failed') {
        emit({ type: 'step-failed', id: event.id, resource, error: toError(o.error) } satisfies DestroyEvent);
      }
    },
  });
  return { config, steps, outcomes, requests };
}

const ref = (r: DestroyRecord): DestroyedResource => ({
  kind: r.kind,
  resource: r.resource,
  id: r.id,
  reason: r.reason,
});

/**
 * Say what {@link destroyConnectSso} would do to every resource of the config's stack — what goes,
 * what stays and why (someone else's; the instance, unless `deleteInstance`), what is already gone —
 * reading everything and writing nothing. A step whose read failed is `blocked` with the error.
 *
 * @throws {ConfigError} an invalid config (before any call).
 */
export async function planDestroy(
  config: ConnectSsoConfig | ResolvedConfig,
  options: Omit<DestroyOptions, 'dryRun'> = {},
): Promise<DestroyPlan> {
  const { config: resolved, steps, outcomes } = await run(config, options, true);
  const items: DestroyPlanItem[] = [];
  for (const step of steps) {
    const o = outcomes.get(step.id);
    const base = { step: step.id, dependsOn: [...step.dependsOn] };
    if (o?.status === 'done') {
      const { records } = o.value as StepValue;
      records.forEach((r, i) => {
        items.push({
          id: records.length > 1 ? `${step.id}/${i + 1}` : step.id,
          ...base,
          kind: r.kind,
          resource: r.resource,
          action: r.action,
          reason: r.reason,
        });
      });
    } else if (o) {
      items.push({
        id: step.id,
        ...base,
        kind: kindOf(step.id),
        resource: step.resource,
        action: 'blocked',
        reason: o.status === 'failed' ? toError(o.error).message : o.status === 'skipped' ? o.reason : '',
      });
    }
  }
  const summary: Record<DestroyAction, number> = { delete: 0, keep: 0, foreign: 0, absent: 0, blocked: 0 };
  for (const item of items) summary[item.action]++;
  return { stack: resolved.stack, deleteInstance: options.deleteInstance === true, items, summary };
}

/**
 * Tear down what `provisionConnectSso` built for the config's stack, in reverse dependency order:
 * the Connect users it created (each after the quick connects that name it), its Okta groups, its
 * Okta apps (deactivated, then deleted, their assignments with them), the IAM roles (policies detached
 * first), the SAML providers, the Okta API user's access keys and the user, and the managed policies
 * (non-default versions first). The Connect instance only with `deleteInstance: true`.
 *
 * Only resources carrying this stack's ownership tags (for Okta apps and groups, its marker) are
 * deleted; one with the same name that this stack did not create is never touched and is listed in
 * `foreign`. A run killed halfway is finished by the next; a run with nothing left makes no write.
 * A delete AWS or Okta refuses (a policy still attached to someone else's role, a role in use, an app
 * re-activated) fails its step with an error that says what holds the resource and how to free it;
 * the independent steps still run.
 *
 * @throws {ConfigError} an invalid config (before any call). Step failures do not throw: they are in
 *   `result.errors` with `status: 'failed'`.
 */
export async function destroyConnectSso(
  config: ConnectSsoConfig | ResolvedConfig,
  options: DestroyOptions = {},
): Promise<DestroyResult> {
  const dryRun = options.dryRun === true;
  const { config: resolved, steps, outcomes, requests } = await run(config, options, dryRun);
  const result: DestroyResult = {
    status: 'complete',
    stack: resolved.stack,
    dryRun,
    deleted: [],
    kept: [],
    foreign: [],
    blocked: [],
    absent: [],
    skipped: [],
    errors: [],
    steps: [],
    requests,
  };
  const lists: Record<DestroyAction, DestroyedResource[]> = {
    delete: result.deleted,
    keep: result.kept,
    foreign: result.foreign,
    blocked: result.blocked,
    absent: result.absent,
  };
  for (const step of steps) {
    const o = outcomes.get(step.id);
    if (!o) continue;
    const record: DestroyStepRecord = { id: step.id, resource: step.resource, status: 'done', records: [] };
    if (o.status === 'done' || o.status === 'manual') {
      record.records = (o.value as StepValue).records;
      record.ms = o.ms;
      for (const r of record.records) lists[r.action].push(ref(r));
    } else if (o.status === 'failed') {
      const error = toError(o.error);
      record.status = 'failed';
      record.ms = o.ms;
      record.error = error;
      result.errors.push({ id: step.id, resource: step.resource, error });
    } else {
      record.status = 'skipped';
      record.reason = o.reason;
      result.skipped.push({ id: step.id, resource: step.resource, reason: o.reason });
    }
    result.steps.push(record);
  }
  if (result.errors.length > 0 || result.skipped.length > 0) result.status = 'failed';
  return result;
}
