/**
 * `planConnectSso` and `provisionConnectSso`: the whole guide as one dependency graph of the step
 * functions. Plan and apply share the graph; planning runs every step with `dryRun`.
 *
 * ```
 * instance ──┬─ federation-policy ─┐
 *            ├─ app:<kind> ────────┴─ link:<kind> ─┐
 *            └─ instance-active ──────────────────┐ │
 * okta-access-policy ─ okta-api-user ─────────────┼─┴─ integration:<kind> ─ users:<kind>
 * ```
 * The IAM policies and the API user do not wait for Okta; the Okta apps need only the instance id,
 * which `CreateInstance` returns at once; only the users wait for the instance to be ACTIVE.
 */

import type { ConnectSsoConfig, ResolvedApp, ResolvedConfig } from '../../config/index.js';
import { isReadOperation, type SsoContext } from '../../core/context.js';
import { ConnectSsoError } from '../../core/errors.js';
import { pollUntil } from '../../core/retry.js';
import type { StepResultBase } from '../../core/step.js';
import { createSamlInstance, waitUntilActive } from '../../resources/connect-instance/ensure.js';
import { createFederationPolicy, createOktaAccessPolicy } from '../../resources/iam-policies/ensure.js';
import { createOktaApiUser, markAccessKeyDelivered } from '../../resources/okta-api-user/ensure.js';
import { createOktaFederationApp, getOktaApp } from '../../resources/okta-app/ensure.js';
import { buildRelayState } from '../../resources/okta-app/relay-state.js';
import {
  ensureAppGroupAssignment,
  ensureOktaGroup,
  groupMappingFor,
  groupNameFor,
} from '../../resources/okta-groups/ensure.js';
import { linkIdentityProvider } from '../../resources/saml-provider-role/ensure.js';
import { reconcileUsers } from '../../resources/users/reconcile.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';
import { runGraph, type Task, type TaskEnd } from './graph.js';
import { checkSink, deliverSecret, describeSink, preflightSink, sinkHolds } from './secrets.js';
import type {
  ConnectSsoPlan,
  PlanAction,
  PlanItem,
  ProvisionEvent,
  ProvisionOptions,
  ProvisionResult,
  ResourceKind,
  StepRecord,
} from './types.js';

/** What each task leaves for the tasks after it, and for the plan. */
interface TaskValue {
  item: PlanItem;
  /** Task-specific outputs (ids, ARNs…); undefined members mean "does not exist yet" (dry run). */
  out: Record<string, unknown>;
}

const PUSH_NEW_USERS = 'PUSH_NEW_USERS';

function planAction(step: StepResultBase): PlanAction {
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

function item(
  id: string,
  kind: ResourceKind,
  resource: string,
  action: PlanAction,
  reason: string,
  dependsOn: string[],
): PlanItem {
  return { id, kind, resource, action, reason, dependsOn };
}

const reasonOf = (step: StepResultBase): string =>
  step.changes.length > 0
    ? step.changes.join('; ')
    : step.action === 'unchanged'
      ? 'up to date'
      : step.action;

/** Build the task graph for a config. `dryRun` makes every task plan instead of write. */
function buildTasks(
  config: ResolvedConfig,
  ctx: SsoContext,
  options: ProvisionOptions,
  dryRun: boolean,
  state: RunState,
): Task<TaskValue>[] {
  const apiIntegration = config.roleMapping === 'api-integration';
  const get = (results: ReadonlyMap<string, unknown>, id: string) => (results.get(id) as TaskValue).out;
  // One name per resource in plans, events and results, whatever words the step itself uses.
  const done = (value: TaskValue): TaskEnd<TaskValue> => {
    const resource = state.meta.get(value.item.id)?.resource;
    return { kind: 'done', value: resource ? { ...value, item: { ...value.item, resource } } : value };
  };
  const tasks: Task<TaskValue>[] = [];
  const alias = config.instance.alias;
  const describe = (id: string, kind: ResourceKind, resource: string) =>
    state.meta.set(id, { kind, resource });
  describe('instance', 'connect-instance', `connect instance ${alias}`);
  describe('instance-active', 'connect-instance', `connect instance ${alias} (ACTIVE)`);
  describe('federation-policy', 'iam-policy', `iam policy ${config.names.federationPolicy}`);
  describe('okta-access-policy', 'iam-policy', `iam policy ${config.names.oktaAccessPolicy}`);
  describe('okta-api-user', 'iam-user', `iam user ${config.names.oktaApiUser}`);
  for (const app of config.apps) {
    describe(`app:${app.kind}`, 'okta-app', `okta app "${app.label}"`);
    describe(
      `link:${app.kind}`,
      'iam-identity-provider',
      `iam saml-provider ${app.providerName} + role ${app.roleName}`,
    );
    describe(`integration:${app.kind}`, 'okta-api-integration', `okta api integration of "${app.label}"`);
    describe(`group:${app.kind}`, 'okta-group', `okta group of "${app.label}"`);
    const count = config.users.filter((u) => u.app === app.kind).length;
    describe(`users:${app.kind}`, 'user-assignment', `${count} user assignment(s) of "${app.label}"`);
  }

  tasks.push({
    id: 'instance',
    dependsOn: [],
    run: async () => {
      const r = await createSamlInstance(ctx, {
        alias,
        inboundCalls: config.instance.inboundCalls,
        outboundCalls: config.instance.outboundCalls,
        tags: config.instance.tags,
        adopt: options.adopt === true,
        dryRun,
      });
      return done({
        item: item('instance', 'connect-instance', r.resource, planAction(r), reasonOf(r), []),
        out: { instanceId: r.instanceId, instanceArn: r.instanceArn, status: r.status },
      });
    },
  });

  tasks.push({
    id: 'instance-active',
    dependsOn: ['instance'],
    run: async (results) => {
      const { instanceId, status } = get(results, 'instance') as { instanceId?: string; status?: string };
      const resource = `connect instance ${alias} (ACTIVE)`;
      if (status === 'ACTIVE') {
        return done({
          item: item('instance-active', 'connect-instance', resource, 'unchanged', 'ACTIVE', ['instance']),
          out: { active: true },
        });
      }
      if (dryRun || !instanceId) {
        return done({
          item: item(
            'instance-active',
            'connect-instance',
            resource,
            'create',
            'wait until the new instance is ACTIVE (about a minute)',
            ['instance'],
          ),
          out: { active: false },
        });
      }
      const waited = await waitUntilActive(
        ctx,
        { id: instanceId, alias },
        { timeoutMs: options.instanceTimeoutMs ?? 300_000 },
      );
      return done({
        item: item('instance-active', 'connect-instance', resource, 'unchanged', `became ${waited.status}`, [
          'instance',
        ]),
        out: { active: waited.status === 'ACTIVE' },
      });
    },
  });

  tasks.push({
    id: 'federation-policy',
    dependsOn: ['instance'],
    run: async (results) => {
      const { instanceArn } = get(results, 'instance') as { instanceArn?: string };
      const resource = `iam policy ${config.names.federationPolicy}`;
      if (!instanceArn) {
        return done({
          item: item('federation-policy', 'iam-policy', resource, 'create', 'after the instance is created', [
            'instance',
          ]),
          out: {},
        });
      }
      const r = await createFederationPolicy(ctx, {
        instanceArn,
        policyName: config.names.federationPolicy,
        adopt: options.adopt === true,
        dryRun,
      });
      return done({
        item: item('federation-policy', 'iam-policy', r.resource, planAction(r), reasonOf(r), ['instance']),
        out: { policyArn: r.policyArn },
      });
    },
  });

  if (apiIntegration) {
    tasks.push({
      id: 'okta-access-policy',
      dependsOn: [],
      run: async () => {
        const r = await createOktaAccessPolicy(ctx, {
          policyName: config.names.oktaAccessPolicy,
          adopt: options.adopt === true,
          dryRun,
        });
        return done({
          item: item('okta-access-policy', 'iam-policy', r.resource, planAction(r), reasonOf(r), []),
          out: { policyArn: r.policyArn },
        });
      },
    });
    tasks.push({
      id: 'okta-api-user',
      dependsOn: ['okta-access-policy'],
      run: async (results) => {
        const { policyArn } = get(results, 'okta-access-policy') as { policyArn?: string };
        const resource = `iam user ${config.names.oktaApiUser}`;
        if (!policyArn) {
          return done({
            item: item(
              'okta-api-user',
              'iam-user',
              resource,
              'create',
              'with an access key for Okta, after its policy',
              ['okta-access-policy'],
            ),
            out: {},
          });
        }
        const sink = options.secretSink ?? { kind: 'return' };
        // Every key's delivery is recorded, so that a key whose secret a crash lost is recognised
        // (and replaced) instead of being kept as "the" key no one can use.
        const r = await createOktaApiUser(ctx, {
          userName: config.names.oktaApiUser,
          policyArn,
          accessKey: options.accessKey ?? 'if-missing',
          adopt: options.adopt === true,
          dryRun,
          delivery: {
            mark: sink.kind === 'return' ? 'on-create' : 'by-caller',
            wasDelivered: (accessKeyId) => sinkHolds(sink, accessKeyId),
          },
        });
        const key = r.accessKey;
        const discarded = r.discardedKeys.length > 0 ? { discardedKeys: r.discardedKeys } : {};
        if (key?.secretAvailable) {
          await deliverSecret(ctx, sink, key);
          if (sink.kind !== 'return') await markAccessKeyDelivered(ctx, r.userName, key.accessKeyId);
          state.accessKey = {
            accessKeyId: key.accessKeyId,
            ...(sink.kind === 'return' ? { secretAccessKey: key.secretAccessKey } : {}),
            deliveredTo: describeSink(sink),
            createdByThisRun: true,
            ...discarded,
          };
        } else if (key) {
          state.accessKey = {
            accessKeyId: key.accessKeyId,
            deliveredTo: r.concurrentKey
              ? 'the destination of the concurrent run of this config that created it'
              : 'the destination of the earlier run that created it (run with accessKey: "rotate" if the secret was lost)',
            createdByThisRun: false,
            ...discarded,
          };
        }
        state.apiUser = { userName: r.userName, userArn: r.userArn };
        const value: TaskValue = {
          item: item('okta-api-user', 'iam-user', r.resource, planAction(r), reasonOf(r), [
            'okta-access-policy',
          ]),
          out: { accessKeyId: key?.accessKeyId },
        };
        if (!key && r.pendingKeys.length > 0) {
          // A key exists whose secret was never delivered, too recent to be sure its run is over.
          value.item.action = 'manual';
          value.item.reason = 'an access key whose secret was never delivered';
          return {
            kind: 'manual',
            value,
            actions: pendingKeySteps(r.userName, r.pendingKeys, ctx.clock.now()),
          };
        }
        return done(value);
      },
    });
  }

  for (const app of config.apps) {
    const appTask = `app:${app.kind}`;
    const linkTask = `link:${app.kind}`;
    const integrationTask = `integration:${app.kind}`;
    const usersTask = `users:${app.kind}`;
    const appState = state.app(app);

    tasks.push({
      id: appTask,
      dependsOn: ['instance'],
      run: async (results) => {
        const { instanceId } = get(results, 'instance') as { instanceId?: string };
        const resource = `okta app "${app.label}"`;
        if (!instanceId) {
          return done({
            item: item(
              appTask,
              'okta-app',
              resource,
              'create',
              'amazon_aws SAML app, after the instance is created',
              ['instance'],
            ),
            out: {},
          });
        }
        const relayState = buildRelayState({
          region: config.region,
          instanceId,
          destination: app.destination ?? 'admin',
          newDomain: app.newDomain,
        });
        appState.relayState = relayState;
        const r = await createOktaFederationApp(ctx, {
          label: app.label,
          relayState,
          sessionDuration: app.sessionDuration,
          ...(app.groupFilter
            ? {
                groupMapping: groupMappingFor({
                  groupFilter: app.groupFilter,
                  providerName: app.providerName,
                  partition: config.partition,
                }),
              }
            : {}),
          adopt: options.adopt === true,
          dryRun,
        });
        appState.appId = r.appId;
        appState.signInUrl = r.signInUrl;
        return done({
          item: item(appTask, 'okta-app', r.resource, planAction(r), reasonOf(r), ['instance']),
          out: { appId: r.appId, metadata: r.metadata, features: r.features },
        });
      },
    });

    tasks.push({
      id: linkTask,
      dependsOn: [appTask, 'federation-policy'],
      run: async (results) => {
        const { appId, metadata } = get(results, appTask) as { appId?: string; metadata?: { xml: string } };
        const { policyArn } = get(results, 'federation-policy') as { policyArn?: string };
        const resource = `iam saml-provider ${app.providerName} + role ${app.roleName}`;
        if (!appId || !metadata || !policyArn) {
          return done({
            item: item(
              linkTask,
              'iam-identity-provider',
              resource,
              'create',
              'from the app metadata, after the app and the federation policy',
              [appTask, 'federation-policy'],
            ),
            out: {},
          });
        }
        const r = await linkIdentityProvider(ctx, {
          appId,
          metadata,
          providerName: app.providerName,
          roleName: app.roleName,
          policyArns: [policyArn],
          sessionDuration: app.sessionDuration,
          adopt: options.adopt === true,
          dryRun,
        });
        appState.providerArn = r.providerArn;
        appState.roleArn = r.roleArn;
        return done({
          item: item(linkTask, 'iam-identity-provider', r.resource, planAction(r), reasonOf(r), [
            appTask,
            'federation-policy',
          ]),
          out: { providerArn: r.providerArn, roleArn: r.roleArn },
        });
      },
    });

    if (apiIntegration) {
      tasks.push({
        id: integrationTask,
        dependsOn: [linkTask, 'okta-api-user'],
        run: async (results) => {
          const { appId } = get(results, appTask) as { appId?: string };
          const { accessKeyId } = get(results, 'okta-api-user') as { accessKeyId?: string };
          const resource = `okta api integration of "${app.label}"`;
          const deps = [linkTask, 'okta-api-user'];
          const enabled = async () => {
            if (!appId) return false;
            const current = await getOktaApp(ctx, appId);
            return Array.isArray(current.features) && current.features.includes(PUSH_NEW_USERS);
          };
          if (await enabled()) {
            appState.apiIntegration = 'enabled';
            return done({
              item: item(integrationTask, 'okta-api-integration', resource, 'unchanged', 'enabled', deps),
              out: { enabled: true },
            });
          }
          const actions = manualSteps(app, appId, accessKeyId, state.accessKey?.deliveredTo);
          if (!dryRun && appId && options.wait) {
            ctx.logger.info(
              `waiting for the API integration of "${app.label}" to be enabled in the Okta admin console`,
            );
            await pollUntil(async () => ((await enabled()) ? true : undefined), {
              timeoutMs: options.wait.timeoutMs,
              initialDelayMs: options.wait.pollIntervalMs ?? 5_000,
              maxDelayMs: 30_000,
              clock: ctx.clock,
              signal: ctx.signal,
            });
            appState.apiIntegration = 'enabled';
            return done({
              item: item(
                integrationTask,
                'okta-api-integration',
                resource,
                'unchanged',
                'enabled while waiting',
                deps,
              ),
              out: { enabled: true },
            });
          }
          const value: TaskValue = {
            item: item(
              integrationTask,
              'okta-api-integration',
              resource,
              'manual',
              'the Okta admin console has no API for this step',
              deps,
            ),
            out: { enabled: false },
          };
          return { kind: 'manual', value, actions };
        },
      });
    }

    const groupTask = `group:${app.kind}`;
    if (!apiIntegration) {
      tasks.push({
        id: groupTask,
        dependsOn: [appTask, linkTask],
        run: async (results) => {
          const { appId } = get(results, appTask) as { appId?: string };
          const { instanceArn } = get(results, 'instance') as { instanceArn?: string };
          const accountId = instanceArn?.split(':')[4] ?? ctx.accountId;
          const deps = [appTask, linkTask];
          const resource = state.meta.get(groupTask)?.resource ?? groupTask;
          if (!accountId || !app.groupName) {
            return done({
              item: item(groupTask, 'okta-group', resource, 'create', 'after the instance is created', deps),
              out: {},
            });
          }
          const name = groupNameFor(app.groupName, { accountId, roleName: app.roleName });
          const group = await ensureOktaGroup(ctx, {
            name,
            description: `Users of "${app.label}" (role ${app.roleName}); managed-by connect-okta-sso stack ${config.stack}`,
            dryRun,
          });
          let action = planAction(group);
          const changes = [...group.changes];
          if (appId && group.groupId) {
            const assigned = await ensureAppGroupAssignment(ctx, { appId, groupId: group.groupId, dryRun });
            changes.push(...assigned.changes);
            if (action === 'unchanged') action = planAction(assigned);
          } else {
            changes.push(`assign the group to "${app.label}"`);
          }
          const reason = changes.length > 0 ? changes.join('; ') : 'up to date';
          return done({
            item: item(groupTask, 'okta-group', group.resource, action, reason, deps),
            out: { groupId: group.groupId, name },
          });
        },
      });
    }

    tasks.push({
      id: usersTask,
      dependsOn: [apiIntegration ? integrationTask : groupTask, 'instance-active'],
      run: async (results) => {
        const users = config.users.filter((u) => u.app === app.kind);
        const resource = `${users.length} user assignment(s) of "${app.label}"`;
        const deps = [apiIntegration ? integrationTask : groupTask, 'instance-active'];
        const group = apiIntegration
          ? undefined
          : (get(results, groupTask) as { groupId?: string; name?: string });
        const { appId } = get(results, appTask) as { appId?: string };
        const { instanceId } = get(results, 'instance') as { instanceId?: string };
        const { active } = get(results, 'instance-active') as { active?: boolean };
        if (users.length === 0) {
          return done({
            item: item(usersTask, 'user-assignment', resource, 'unchanged', 'no users in the config', deps),
            out: {},
          });
        }
        if (!appId || !instanceId || !active || (group && !group.groupId)) {
          state.users.pending += users.length;
          return done({
            item: item(
              usersTask,
              'user-assignment',
              resource,
              'create',
              'assign in Okta and create in Connect, once the instance is ACTIVE',
              deps,
            ),
            out: {},
          });
        }
        const r = await reconcileUsers(ctx, {
          appId,
          roleName: app.roleName,
          instanceId,
          users,
          ...(group?.groupId && group.name ? { group: { id: group.groupId, name: group.name } } : {}),
          dryRun,
          onProgress: (doneCount, total) =>
            options.onEvent?.({ type: 'progress', done: doneCount, total, running: 0 }),
        });
        state.users.created += r.counts.created;
        state.users.updated += r.counts.updated;
        state.users.unchanged += r.counts.unchanged;
        state.users.failed += r.counts.failed;
        const failed = r.users.filter((u) => u.action === 'failed');
        const action: PlanAction =
          r.counts.created > 0
            ? 'create'
            : r.counts.updated > 0
              ? 'update'
              : failed.length > 0
                ? 'blocked'
                : 'unchanged';
        const reason = [
          `${r.counts.created} to create, ${r.counts.updated} to update, ${r.counts.unchanged} up to date`,
          ...failed.map((u) => `${u.login}: ${u.error instanceof Error ? u.error.message : String(u.error)}`),
        ].join('; ');
        if (failed.length > 0 && !dryRun) {
          throw new ConnectSsoError(
            'USERS_FAILED',
            `${failed.length} of ${users.length} user(s) of "${app.label}" failed: ${failed.map((u) => u.login).join(', ')}`,
            { cause: failed[0]?.error },
          );
        }
        return done({ item: item(usersTask, 'user-assignment', resource, action, reason, deps), out: {} });
      },
    });
  }
  return tasks;
}

function pendingKeySteps(
  userName: string,
  keys: readonly { accessKeyId: string; createdAt: Date | undefined }[],
  now: number,
): string[] {
  return keys.map((k) => {
    const minutes = Math.max(0, Math.round((now - (k.createdAt?.getTime() ?? now)) / 60_000));
    return (
      `Access key ${k.accessKeyId} of iam user ${userName} was created ${minutes} min ago, but its secret was ` +
      'never delivered: the run that created it stopped first (or is still running). If no other run is in ' +
      `progress, run again with accessKey: 'rotate' to replace it now; a run 15 min after its creation replaces it by itself.`
    );
  });
}

function manualSteps(
  app: ResolvedApp,
  appId: string | undefined,
  accessKeyId: string | undefined,
  deliveredTo: string | undefined,
): string[] {
  return [
    `In the Okta admin console open Applications → Applications → "${app.label}"${appId ? ` (${appId})` : ''} → Provisioning → Configure API Integration, and tick "Enable API integration".`,
    `Access Key: ${accessKeyId ?? '(the access key of the Okta API user)'}; Secret Key: the secret delivered to ${deliveredTo ?? 'the run that created the key'}. Click "Test API Credentials", then Save.`,
    'Still under Provisioning → To App → Edit: enable "Create Users" and "Update User Attributes", then Save.',
    'Run again (or pass wait: { timeoutMs }): the run resumes from here and assigns the users.',
  ];
}

/** Mutable state the tasks fill in for the result. */
class RunState {
  /** The kind and readable name of every task's resource, for events and for tasks that did not run. */
  readonly meta = new Map<string, { kind: ResourceKind; resource: string }>();
  accessKey: ProvisionResult['accessKey'];
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
  outcomes: Awaited<ReturnType<typeof runGraph>>;
  tasks: Task<TaskValue>[];
  requests: { reads: number; writes: number };
}> {
  const config = resolveConfigInput(configInput, options.context !== undefined);
  const sink = options.secretSink ?? { kind: 'return' };
  checkSink(sink);
  const requests = { reads: 0, writes: 0 };
  const ctx = contextForConfig(config, options.context, {
    signal: options.signal,
    onCall: ({ operation }) => {
      if (isReadOperation(operation)) requests.reads++;
      else requests.writes++;
    },
  });
  if (config.roleMapping === 'api-integration') await preflightSink(ctx, sink);
  const state = new RunState(config);
  for (const app of config.apps) state.app(app);
  const tasks = buildTasks(config, ctx, options, dryRun, state);
  const resourceOf = new Map([...state.meta].map(([id, m]) => [id, m.resource]));
  const outcomes = await runGraph(tasks, {
    concurrency: options.concurrency ?? 4,
    signal: ctx.signal,
    onEvent: (event) => {
      const emit = options.onEvent;
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
      if (o.status === 'done' || o.status === 'manual') {
        const value = o.value as TaskValue;
        resourceOf.set(event.id, value.item.resource);
        emit({
          type: 'step-finished',
          id: event.id,
          resource: value.item.resource,
          action: value.item.action,
          changes: value.item.reason ? [value.item.reason] : [],
          ms: o.ms,
        });
        if (o.status === 'manual')
          emit({ type: 'manual-action', id: event.id, resource: value.item.resource, actions: o.actions });
      } else if (o.status === 'failed') {
        emit({
          type: 'step-failed',
          id: event.id,
          resource,
          error: toError(o.error),
        } satisfies ProvisionEvent);
      }
    },
  });
  return { config, state, outcomes, tasks, requests };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The plan item of a task that did not run (skipped after a failure or a manual stop, or failed). */
function notRunItem(state: RunState, task: Task<TaskValue>, reason: string): PlanItem {
  const meta = state.meta.get(task.id) ?? { kind: 'connect-instance' as const, resource: task.id };
  return item(task.id, meta.kind, meta.resource, 'blocked', reason, [...task.dependsOn]);
}

/**
 * Read everything that exists and say what a run would do to every resource. Writes nothing.
 * @throws {ConfigError} an invalid config (before any call).
 */
export async function planConnectSso(
  config: ConnectSsoConfig | ResolvedConfig,
  options: Omit<ProvisionOptions, 'dryRun'> = {},
): Promise<ConnectSsoPlan> {
  const { config: resolved, outcomes, tasks, state } = await run(config, options, true);
  const items: PlanItem[] = [];
  for (const task of tasks) {
    const o = outcomes.get(task.id);
    if (o?.status === 'done' || o?.status === 'manual') items.push((o.value as TaskValue).item);
    else if (o?.status === 'failed') items.push(notRunItem(state, task, toError(o.error).message));
    else if (o?.status === 'skipped') items.push(notRunItem(state, task, o.reason));
  }
  const summary: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, manual: 0, blocked: 0 };
  for (const i of items) summary[i.action]++;
  return { stack: resolved.stack, items, summary };
}

/**
 * Provision SSO for Amazon Connect with Okta: plan every resource and apply the plan, independent
 * steps concurrently. Stops cleanly (`status: 'manual-action-required'`) at the one step no public API
 * can do, and resumes from there on the next run.
 *
 * @throws {ConfigError} an invalid config (before any call). Step failures do not throw: they are in
 *   `result.errors` with `status: 'failed'`, after every independent step has run.
 */
export async function provisionConnectSso(
  config: ConnectSsoConfig | ResolvedConfig,
  options: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const dryRun = options.dryRun === true;
  const { config: resolved, state, outcomes, tasks, requests } = await run(config, options, dryRun);
  const steps: StepRecord[] = [];
  const errors: ProvisionResult['errors'] = [];
  const manualActions: ProvisionResult['manualActions'] = [];
  const out = (id: string) => {
    const o = outcomes.get(id);
    return o?.status === 'done' || o?.status === 'manual' ? (o.value as TaskValue).out : {};
  };
  for (const task of tasks) {
    const o = outcomes.get(task.id);
    if (!o) continue;
    if (o.status === 'done' || o.status === 'manual') {
      const { item: planned } = o.value as TaskValue;
      steps.push({
        id: task.id,
        resource: planned.resource,
        action: planned.action,
        changes: planned.reason ? [planned.reason] : [],
        ms: o.ms,
      });
      if (o.status === 'manual')
        manualActions.push({ id: task.id, resource: planned.resource, actions: o.actions });
    } else if (o.status === 'failed') {
      const error = toError(o.error);
      const resource = state.meta.get(task.id)?.resource ?? task.id;
      steps.push({ id: task.id, resource, action: 'failed', changes: [], ms: o.ms, error });
      errors.push({ id: task.id, resource, error });
    } else {
      steps.push({
        id: task.id,
        resource: state.meta.get(task.id)?.resource ?? task.id,
        action: 'skipped',
        changes: [o.reason],
      });
    }
  }
  const instance = out('instance') as { instanceId?: string; instanceArn?: string; status?: string };
  const status: ProvisionResult['status'] =
    errors.length > 0 ? 'failed' : manualActions.length > 0 ? 'manual-action-required' : 'complete';
  return {
    status,
    stack: resolved.stack,
    instance: {
      alias: resolved.instance.alias,
      instanceId: instance.instanceId,
      instanceArn: instance.instanceArn,
      status: (out('instance-active') as { active?: boolean }).active ? 'ACTIVE' : instance.status,
    },
    policies: {
      federationPolicyArn: (out('federation-policy') as { policyArn?: string }).policyArn,
      oktaAccessPolicyArn: (out('okta-access-policy') as { policyArn?: string }).policyArn,
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
