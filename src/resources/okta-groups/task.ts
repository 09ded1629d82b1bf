/** group-mapping mode: one app's Okta group, assigned to the app (`group:<kind>`). */
import type { ResolvedApp, ResolvedConfig } from '../../config/index.js';
import type { InstanceOut } from '../connect-instance/task.js';
import type { OktaAppOut } from '../okta-app/task.js';
import type { LinkOut } from '../saml-provider-role/task.js';
import { appTaskId, defineTask, planAction, type TaskRef } from '../task.js';
import { ensureAppGroupAssignment, ensureOktaGroup, groupNameFor } from './ensure.js';

/** The group task's output: the group, once it exists. */
export interface OktaGroupOut {
  groupId: string | undefined;
  name: string | undefined;
}

/** Find or create the group whose name maps to the app's role, and assign it to the app. */
export function oktaGroupTask(
  config: ResolvedConfig,
  app: ResolvedApp,
  needs: { instance: TaskRef<InstanceOut>; app: TaskRef<OktaAppOut>; link: TaskRef<LinkOut> },
) {
  return defineTask<OktaGroupOut, { instance: InstanceOut; app: OktaAppOut; link: LinkOut }>({
    id: appTaskId.group(app),
    kind: 'okta-group',
    resource: `okta group of "${app.label}"`,
    needs,
    after: [needs.app, needs.link],
    async run({ instance: { instanceArn }, app: { appId } }, { ctx, dryRun }) {
      const accountId = instanceArn?.split(':')[4] ?? ctx.accountId;
      if (!accountId || !app.groupName) {
        return {
          action: 'create',
          reason: 'after the instance is created',
          out: { groupId: undefined, name: undefined },
        };
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
      return { action, reason, out: { groupId: group.groupId, name } };
    },
  });
}
