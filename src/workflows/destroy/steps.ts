/**
 * The steps of a teardown, in the reverse order of the build, and what they share: each step runs the
 * teardown function of one resource (or of the Connect users), and later steps read what earlier ones
 * decided (the instance, the roles and API user going, the account).
 */
import type { ResolvedConfig } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import type { DestroyAction, DestroyRecord } from '../../core/destroy-step.js';
import { ownershipOf } from '../../providers/aws/tags.js';
import {
  destroySamlInstance,
  type InstanceForDestroy,
  readInstanceForDestroy,
} from '../../resources/connect-instance/destroy.js';
import { destroyManagedPolicy } from '../../resources/iam-policies/destroy.js';
import { discoverIamAccount } from '../../resources/iam-policies/read.js';
import { destroyOktaApiUser } from '../../resources/okta-api-user/destroy.js';
import { destroyOktaFederationApp } from '../../resources/okta-app/destroy.js';
import { destroyOktaGroup } from '../../resources/okta-groups/destroy.js';
import { groupNameFor } from '../../resources/okta-groups/ensure.js';
import { destroySamlProvider, destroySamlRole } from '../../resources/saml-provider-role/destroy.js';
import { destroyConnectUsers } from '../../resources/users/destroy.js';
import type { DestroyOptions, DestroyPlanItem } from './types.js';

/** What a step leaves for the steps after it. */
export interface StepValue {
  records: DestroyRecord[];
}

/** What the run learns once and shares between steps. */
export interface RunState {
  /** The instance, once the first step has read it (`null`: there is none). */
  instance: InstanceForDestroy | null | undefined;
  /** The account id, once known (from the instance ARN, the context, or IAM). */
  account: Promise<string | undefined> | undefined;
}

const PRECEDENCE: DestroyAction[] = ['delete', 'blocked', 'foreign', 'keep', 'absent'];

/** The one action that sums up a step's records. */
export function stepAction(records: readonly DestroyRecord[]): DestroyAction {
  for (const action of PRECEDENCE) if (records.some((r) => r.action === action)) return action;
  return 'absent';
}

export const line = (r: DestroyRecord): string => `${r.resource}: ${r.action} — ${r.reason}`;

export interface StepSpec {
  id: string;
  resource: string;
  dependsOn: string[];
  run: (results: ReadonlyMap<string, unknown>) => Promise<DestroyRecord[]>;
}

/** The steps of the teardown of `config`, in teardown order. */
export function buildSteps(
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
        noAccessSecurityProfile: config.sync.noAccessSecurityProfile,
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
  // The two managed policies: each after the steps that delete the roles or the user it is attached to,
  // which it is given as `detachedFrom`.
  const policyStep = (
    id: string,
    policyName: string,
    dependsOn: string[],
    detachedFrom: (results: ReadonlyMap<string, unknown>) => { roles?: string[]; users?: string[] },
  ): StepSpec => ({
    id,
    resource: `iam policy ${policyName}`,
    dependsOn,
    run: async (results) => {
      const accountId = await account();
      return [
        await destroyManagedPolicy(ctx, {
          policyName,
          ...(accountId ? { accountId } : {}),
          detachedFrom: detachedFrom(results),
          dryRun,
        }),
      ];
    },
  });
  const deletedNames = (results: ReadonlyMap<string, unknown>, ids: string[], kind: string, prefix: RegExp) =>
    deleting(results, ids, kind).map((r) => r.resource.replace(prefix, ''));
  steps.push(
    policyStep('federation-policy', config.names.federationPolicy, roleSteps, (results) => ({
      roles: deletedNames(results, roleSteps, 'iam-role', /^iam role /),
    })),
    policyStep('okta-access-policy', config.names.oktaAccessPolicy, ['api-user'], (results) => ({
      users: deletedNames(results, ['api-user'], 'iam-user', /^iam user /),
    })),
  );
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

/** The kind of resource a step handles, for plan items of steps that did not run. */
export function kindOf(step: string): DestroyPlanItem['kind'] {
  if (step === 'connect-users') return 'connect-user';
  if (step === 'instance') return 'connect-instance';
  if (step === 'api-user') return 'iam-user';
  if (step.endsWith('policy')) return 'iam-policy';
  if (step.startsWith('group:')) return 'okta-group';
  if (step.startsWith('app:')) return 'okta-app';
  if (step.startsWith('role:')) return 'iam-role';
  return 'iam-saml-provider';
}
