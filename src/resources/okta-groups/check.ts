import { oktaRequest } from '../../providers/okta/transport.js';
import {
  type AppRun,
  add,
  appPath,
  errorMessage,
  type GroupInfo,
  guard,
  isNotFound,
  quote,
  RUN_PROVISION,
  type Run,
} from '../check-run.js';
import { findOktaGroups, groupNameFor, samlRoleForGroup } from './ensure.js';

async function checkGroup(run: Run, a: AppRun): Promise<GroupInfo | undefined> {
  const okta = a.okta;
  const { app } = a;
  if (!okta || !app.groupName || !run.accountId) return undefined;
  const name = groupNameFor(app.groupName, { accountId: run.accountId, roleName: app.roleName });
  const resource = `okta group '${name}'`;
  let group: GroupInfo | undefined;
  await guard(run, 'group.exists', resource, async () => {
    const found = (await findOktaGroups(run.ctx, name)).find((g) => g.profile?.name === name);
    if (!found) {
      add(
        run,
        'group.exists',
        resource,
        'fail',
        `no Okta group named '${name}': group mapping gives this app's users no role`,
        `${RUN_PROVISION} (it creates the group, assigns it to the app and adds the users).`,
      );
      return;
    }
    group = { id: found.id, name };
    add(run, 'group.exists', resource, 'ok', found.id);
    try {
      await oktaRequest<unknown>(run.ctx, 'GetApplicationGroupAssignment', {
        method: 'GET',
        path: `/api/v1/apps/${encodeURIComponent(okta.id)}/groups/${encodeURIComponent(found.id)}`,
      });
      add(run, 'group.assigned', resource, 'ok', `assigned to "${app.label}"`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      add(
        run,
        'group.assigned',
        resource,
        'fail',
        `is not assigned to the app "${app.label}": its members are not users of the app`,
        `${RUN_PROVISION} (it assigns the group), or ${appPath(app.label)} → Assignments → Assign → Assign to Groups → ${name}.`,
      );
    }
  });
  const settings = okta.settings?.app ?? {};
  const roleArn = a.expectedRoleArn;
  const providerArn = a.expectedProviderArn;
  const groupFix = `${RUN_PROVISION} (it sets the app's group mapping), or ${appPath(app.label)} → Sign On → Edit: "Use Group Mapping" on, Group Filter ${app.groupFilter ?? ''}, Role Value Pattern arn:${run.config.partition}:iam::\${accountid}:saml-provider/${app.providerName},arn:${run.config.partition}:iam::\${accountid}:role/\${role}.`;
  if (settings.useGroupMapping !== true) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the app's "Use Group Mapping" is off: groups give its users no role`,
      groupFix,
    );
    return group;
  }
  const filter = typeof settings.groupFilter === 'string' ? settings.groupFilter : '';
  const pattern = typeof settings.roleValuePattern === 'string' ? settings.roleValuePattern : '';
  let mapped: ReturnType<typeof samlRoleForGroup>;
  try {
    mapped = samlRoleForGroup(name, { groupFilter: filter, roleValuePattern: pattern });
  } catch (error) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the app's group filter '${filter}' is invalid: ${errorMessage(error)}`,
      groupFix,
    );
    return group;
  }
  if (!mapped) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the app's group filter '${filter}' does not match the group name '${name}': its members get no role`,
      groupFix,
    );
    return group;
  }
  const wrong: string[] = [];
  if (roleArn && mapped.roleArn !== roleArn)
    wrong.push(`role ${quote(mapped.roleArn)} instead of ${roleArn}`);
  if (providerArn && mapped.providerArn !== providerArn)
    wrong.push(`provider ${quote(mapped.providerArn)} instead of ${providerArn}`);
  if (wrong.length > 0) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the group maps to the Role value '${mapped.value}': ${wrong.join('; ')} — AWS refuses the sign-in`,
      groupFix,
    );
  } else {
    add(run, 'group.role', resource, 'ok', `members get the Role ${mapped.value}`);
  }
  return group;
}

// ---------------------------------------------------------------------------------------------------------
// Users

/** group-mapping mode: the app's Okta group exists, is assigned to the app, and maps to the app's role. */
export async function checkGroupMapping(run: Run, a: AppRun): Promise<void> {
  await guard(run, 'group.exists', `okta group of "${a.app.label}"`, async () => {
    a.group = await checkGroup(run, a);
  });
}
