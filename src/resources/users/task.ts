/** One app's configured users in the provisioning graph (`users:<kind>`): Okta assignment + Connect user. */
import type { ResolvedApp, ResolvedConfig } from '../../config/index.js';
import { ConnectSsoError } from '../../core/errors.js';
import type { ApiIntegrationOut } from '../api-integration/task.js';
import type { InstanceOut } from '../connect-instance/task.js';
import type { OktaAppOut } from '../okta-app/task.js';
import type { OktaGroupOut } from '../okta-groups/task.js';
import type { PlanAction } from '../plan.js';
import { appTaskId, defineTask, type TaskRef } from '../task.js';
import { reconcileUsers } from './reconcile.js';

/** What gates the users: the API integration (api-integration mode) or the app's group (group-mapping). */
export type UsersGate = { integration: TaskRef<ApiIntegrationOut> } | { group: TaskRef<OktaGroupOut> };

interface UsersIn {
  instance: InstanceOut;
  active: { active: boolean };
  app: OktaAppOut;
  integration?: ApiIntegrationOut;
  group?: OktaGroupOut;
}

/** Assign the app's users in Okta and create them in Connect, once the instance is ACTIVE. */
export function usersTask(
  config: ResolvedConfig,
  app: ResolvedApp,
  needs: {
    instance: TaskRef<InstanceOut>;
    active: TaskRef<{ active: boolean }>;
    app: TaskRef<OktaAppOut>;
  } & UsersGate,
) {
  const users = config.users.filter((u) => u.app === app.kind);
  const id = appTaskId.users(app);
  return defineTask<Record<string, never>, UsersIn>({
    id,
    kind: 'user-assignment',
    resource: `${users.length} user assignment(s) of "${app.label}"`,
    needs,
    after: ['integration' in needs ? needs.integration : needs.group, needs.active],
    async run(
      { instance: { instanceId }, active: { active }, app: { appId }, group },
      { ctx, options, dryRun, report },
    ) {
      if (users.length === 0) return { action: 'unchanged', reason: 'no users in the config', out: {} };
      if (!appId || !instanceId || !active || (group && !group.groupId)) {
        report.users.pending += users.length;
        return {
          action: 'create',
          reason: 'assign in Okta and create in Connect, once the instance is ACTIVE',
          out: {},
        };
      }
      const r = await reconcileUsers(ctx, {
        appId,
        roleName: app.roleName,
        instanceId,
        users,
        ...(group?.groupId && group.name ? { group: { id: group.groupId, name: group.name } } : {}),
        dryRun,
        onProgress: (done, total) => options.emit({ type: 'users-progress', id, done, total }),
      });
      report.users.created += r.counts.created;
      report.users.updated += r.counts.updated;
      report.users.unchanged += r.counts.unchanged;
      report.users.failed += r.counts.failed;
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
        ...failed
          .slice(0, 20)
          .map((u) => `${u.login}: ${u.error instanceof Error ? u.error.message : String(u.error)}`),
        ...(failed.length > 20 ? [`and ${failed.length - 20} more`] : []),
      ].join('; ');
      if (failed.length > 0 && !dryRun) {
        throw new ConnectSsoError(
          'USERS_FAILED',
          `${failed.length} of ${users.length} user(s) of "${app.label}" failed: ${failed
            .slice(0, 5)
            .map((u) => `${u.login} (${u.error instanceof Error ? u.error.message : String(u.error)})`)
            .join('; ')}${failed.length > 5 ? `; and ${failed.length - 5} more` : ''}`,
          { cause: failed[0]?.error },
        );
      }
      return { action, reason, out: {} };
    },
  });
}
