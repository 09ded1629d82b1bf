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
import { isReadOperation, type SsoContext } from '../../core/context.js';
import type { DestroyAction, DestroyRecord } from '../../core/destroy-step.js';
import { ownershipOf } from '../../providers/aws/tags.js';
import {
  destroySamlInstance,
  type InstanceForDestroy,
  readInstanceForDestroy,
} from '../../resources/connect-instance/destroy.js';
import { destroyManagedPolicy, discoverIamAccount } from '../../resources/iam-policies/destroy.js';
import { destroyOktaApiUser } from '../../resources/okta-api-user/destroy.js';
import { destroyOktaFederationApp } from '../../resources/okta-app/destroy.js';
import { destroyOktaGroup } from '../../resources/okta-groups/destroy.js';
import { groupNameFor } from '../../resources/okta-groups/ensure.js';
import { destroySamlProvider, destroySamlRole } from '../../resources/saml-provider-role/destroy.js';
import { destroyConnectUsers } from '../../resources/users/destroy.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';
import { runGraph, type Task, type TaskOutcome } from '../provision/graph.js';
import type {
  DestroyEvent,
  DestroyedResource,
  DestroyOptions,
  DestroyPlan,
  DestroyPlanItem,
  DestroyResult,
  DestroyStepRecord,
} from './types.js';

/** What a step leaves for the steps after it. */
interface StepValue {
  records: DestroyRecord[];
}

/** What the run learns once and shares between steps. */
interface RunState {
  /** The instance, once the first step has read it (`null`: there is none). */
  instance: InstanceForDestroy | null | undefined;
  /** The account id, once known (from the instance ARN, the context, or IAM). */
  account: Promise<string | undefined> | undefined;
}

const PRECEDENCE: DestroyAction[] = ['delete', 'blocked', 'foreign', 'keep', 'absent'];

/** The one action that sums up a step's records. */
function stepAction(records: readonly DestroyRecord[]): DestroyAction {
  for (const action of PRECEDENCE) if (records.some((r) => r.action === action)) return action;
  return 'absent';
}

const line = (r: DestroyRecord): string => `${r.resource}: ${r.action} — ${r.reason}`;

interface StepSpec {
  id: string;
  resource: string;
  dependsOn: string[];
  run: (results: ReadonlyMap<string, unknown>) => Promise<DestroyRecord[]>;
}

/** The steps of the teardown of `config`, in teardown order. */
function buildSteps(
  config: ResolvedConfig,
  ctx: SsoContext,
  options: DestroyOptions,
  dryRun: boolean,
  state: RunState,
): StepSpec[] {
  const alias = config.instance.alias;
  const deleteInstance = options.deleteInstance === true;
  const recordsOf = (results: ReadonlyMap<string, unknown>, id: string): DestroyRecord[] =>
    (results.get(id) as StepValue | undefined)?.records ?? [];
  const deleting = (results: ReadonlyMap<string, unknown>, ids: readonly string[], kind: string) =>
    ids.flatMap((id) => recordsOf(results, id)).filter((r) => r.kind === kind && r.action === 'delete');
  const account = (): Promise<string | undefined> => {
    state.account ??= (async () => {
      const arn = state.instance?.summary.Arn;
      const fromInstance = arn?.split(':')[4];
      if (fromInstance && /^\d{12}$/.test(fromInstance)) return fromInstance;
      return (await discoverIamAccount(ctx))?.accountId;
    })();
    return state.account;
  };

  const steps: StepSpec[] = [];
  steps.push({
    id: 'connect-users',
    resource: `connect users of instance ${alias}`,
    dependsOn: [],
    run: async () => {
      const instance = (await readInstanceForDestroy(ctx, alias)) ?? null;
      state.instance = instance;
      const id = instance?.summary.Id;
      if (!instance || !id) return [];
      // Users can be created only in an ACTIVE instance: one still being created (or failed) has none.
      if (instance.summary.InstanceStatus !== 'ACTIVE') return [];
      // The instance goes as a whole: its users with it, no need to delete them one by one.
      if (deleteInstance && ownershipOf(ctx, instance.tags) === 'ours') return [];
      return destroyConnectUsers(ctx, {
        instanceId: id,
        usernames: config.users.map((u) => u.login),
        dryRun,
      });
    },
  });

  const appSteps: string[] = [];
  const roleSteps: string[] = [];
  const providerSteps: string[] = [];
  for (const app of config.apps) {
    const groupStep = `group:${app.kind}`;
    const appStep = `app:${app.kind}`;
    const roleStep = `role:${app.kind}`;
    const providerStep = `provider:${app.kind}`;
    const groupTemplate = app.groupName;
    if (groupTemplate) {
      steps.push({
        id: groupStep,
        resource: `okta group of "${app.label}"`,
        dependsOn: ['connect-users'],
        run: async () => {
          const accountId = await account();
          if (!accountId) return [];
          const name = groupNameFor(groupTemplate, { accountId, roleName: app.roleName });
          return [await destroyOktaGroup(ctx, { name, dryRun })];
        },
      });
    }
    steps.push({
      id: appStep,
      resource: `okta app "${app.label}"`,
      dependsOn: groupTemplate ? ['connect-users', groupStep] : ['connect-users'],
      run: () => destroyOktaFederationApp(ctx, { label: app.label, dryRun }),
    });
    steps.push({
      id: roleStep,
      resource: `iam role ${app.roleName}`,
      dependsOn: [appStep],
      run: async () => [await destroySamlRole(ctx, { roleName: app.roleName, dryRun })],
    });
    steps.push({
      id: providerStep,
      resource: `iam saml-provider ${app.providerName}`,
      dependsOn: [roleStep],
      run: async () => [await destroySamlProvider(ctx, { providerName: app.providerName, dryRun })],
    });
    appSteps.push(appStep);
    roleSteps.push(roleStep);
    providerSteps.push(providerStep);
  }

  steps.push({
    id: 'api-user',
    resource: `iam user ${config.names.oktaApiUser}`,
    dependsOn: appSteps,
    run: () => destroyOktaApiUser(ctx, { userName: config.names.oktaApiUser, dryRun }),
  });
  steps.push({
    id: 'federation-policy',
    resource: `iam policy ${config.names.federationPolicy}`,
    dependsOn: roleSteps,
    run: async (results) => {
      const accountId = await account();
      const roles = deleting(results, roleSteps, 'iam-role').map((r) => r.resource.replace(/^iam role /, ''));
      return [
        await destroyManagedPolicy(ctx, {
          policyName: config.names.federationPolicy,
          ...(accountId ? { accountId } : {}),
          detachedFrom: { roles },
          dryRun,
        }),
      ];
    },
  });
  steps.push({
    id: 'okta-access-policy',
    resource: `iam policy ${config.names.oktaAccessPolicy}`,
    dependsOn: ['api-user'],
    run: async (results) => {
      const accountId = await account();
      const users = deleting(results, ['api-user'], 'iam-user').map((r) =>
        r.resource.replace(/^iam user /, ''),
      );
      return [
        await destroyManagedPolicy(ctx, {
          policyName: config.names.oktaAccessPolicy,
          ...(accountId ? { accountId } : {}),
          detachedFrom: { users },
          dryRun,
        }),
      ];
    },
  });
  steps.push({
    id: 'instance',
    resource: `connect instance ${alias}`,
    dependsOn: ['connect-users', ...providerSteps, 'federation-policy', 'okta-access-policy'],
    run: async () => [
      await destroySamlInstance(ctx, { alias, deleteInstance, dryRun }, state.instance ?? null),
    ],
  });
  return steps;
}

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
  const requests = { reads: 0, writes: 0 };
  const ctx = contextForConfig(config, options.context, {
    signal: options.signal,
    onCall: ({ operation }) => {
      if (isReadOperation(operation)) requests.reads++;
      else requests.writes++;
    },
  });
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

/** The kind of resource a step handles, for plan items of steps that did not run. */
function kindOf(step: string): DestroyPlanItem['kind'] {
  if (step === 'connect-users') return 'connect-user';
  if (step === 'instance') return 'connect-instance';
  if (step === 'api-user') return 'iam-user';
  if (step.endsWith('policy')) return 'iam-policy';
  if (step.startsWith('group:')) return 'okta-group';
  if (step.startsWith('app:')) return 'okta-app';
  if (step.startsWith('role:')) return 'iam-role';
  return 'iam-saml-provider';
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
