import type { ResolvedUser } from '../../config/index.js';
import { oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import {
  type AppRun,
  add,
  appPath,
  type GroupInfo,
  guard,
  isNotFound,
  RUN_PROVISION,
  type Run,
  strings,
} from '../check-run.js';
import { listGroupMembers } from '../okta-groups/ensure.js';
import { caseVariantsOf, listConnectUsers } from './connect-user.js';

export interface AppUserJson {
  id: string;
  scope?: string;
  credentials?: { userName?: string };
  profile?: { role?: unknown; samlRoles?: unknown };
}

export async function checkUsers(run: Run, a: AppRun): Promise<void> {
  const group = a.group;
  const users = run.config.users.filter((u) => u.app === a.app.kind);
  const okta = a.okta;
  if (users.length === 0 || !okta) return;
  const { ctx } = run;
  const { app } = a;
  const groupMode = run.config.roleMapping === 'group-mapping';
  await guard(run, 'user.assigned', `users of "${app.label}"`, async () => {
    const byId = new Map<string, AppUserJson>();
    const byName = new Map<string, AppUserJson[]>();
    for await (const page of oktaPages<AppUserJson>(
      ctx,
      'ListApplicationUsers',
      `/api/v1/apps/${encodeURIComponent(okta.id)}/users`,
      { limit: 500 },
    )) {
      for (const u of page) {
        byId.set(u.id, u);
        const name = u.credentials?.userName;
        if (typeof name === 'string')
          byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), u]);
      }
    }
    const members = groupMode && group ? await listGroupMembers(ctx, group.id) : undefined;
    run.inactiveOktaUsers ??= await listInactiveOktaUsers(run);
    if (run.instance?.status === 'ACTIVE' && !run.connectUsers) {
      run.connectUsers = await listConnectUsers(ctx, run.instance.id);
    }
    for (const user of users) await checkUser(run, a, user, { byId, byName, members, group });
  });
}

export async function checkUser(
  run: Run,
  a: AppRun,
  user: ResolvedUser,
  lists: {
    byId: Map<string, AppUserJson>;
    byName: Map<string, AppUserJson[]>;
    members: Awaited<ReturnType<typeof listGroupMembers>> | undefined;
    group: GroupInfo | undefined;
  },
): Promise<void> {
  const { app } = a;
  const resource = `user ${user.login} ("${app.label}")`;
  const login = user.login;
  const groupMode = run.config.roleMapping === 'group-mapping';
  const assignFix = groupMode
    ? `${RUN_PROVISION} (it adds the user to the group${lists.group ? ` '${lists.group.name}'` : ''}), or in the Okta admin console → Directory → Groups → ${lists.group?.name ?? "the app's group"} → Assign people → ${login}.`
    : `${RUN_PROVISION} (it assigns the user with the role), or ${appPath(app.label)} → Assignments → Assign → Assign to People → ${login}, Role and SAML User Roles: ${app.roleName}.`;

  let appUser: AppUserJson | undefined;
  const same = lists.byName.get(login.toLowerCase());
  if (same?.length === 1) appUser = same[0];
  const member = lists.members?.byLogin.get(login.toLowerCase());
  if (!appUser && member) appUser = lists.byId.get(member.id);
  let oktaUserId = appUser?.id ?? member?.id;
  if (!oktaUserId) {
    // Not found in the bulk lists: one read tells "no such Okta user" from "not assigned".
    try {
      const { data } = await oktaRequest<{ id: string }>(run.ctx, 'GetUser', {
        method: 'GET',
        path: `/api/v1/users/${encodeURIComponent(login)}`,
      });
      oktaUserId = data.id;
      appUser = lists.byId.get(data.id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `no Okta user with login '${login}'`,
        `Create the user in the Okta admin console (Directory → People → Add person), or correct users[].login in the config; then run apply.`,
      );
      return;
    }
  }

  if (groupMode) {
    const isMember = member !== undefined || (oktaUserId !== undefined && lists.members?.ids.has(oktaUserId));
    if (!isMember) {
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `is not a member of the app's group${lists.group ? ` '${lists.group.name}'` : ''}: group mapping gives no role`,
        assignFix,
      );
    } else if (!appUser) {
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `is a member of '${lists.group?.name ?? "the app's group"}' but not a user of the app "${app.label}" (is the group assigned to the app?)`,
        assignFix,
      );
    } else {
      add(
        run,
        'user.assigned',
        resource,
        'ok',
        `member of '${lists.group?.name ?? ''}', app username '${appUser.credentials?.userName ?? '?'}'`,
      );
    }
  } else if (!appUser) {
    add(run, 'user.assigned', resource, 'fail', `is not assigned to the app "${app.label}"`, assignFix);
  } else {
    const profile = appUser.profile ?? {};
    const roles = [...strings(profile.samlRoles), ...strings(profile.role)];
    if (roles.includes(app.roleName)) {
      add(
        run,
        'user.assigned',
        resource,
        'ok',
        `assigned with the role ${app.roleName}, app username '${appUser.credentials?.userName ?? '?'}'`,
      );
    } else {
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `is assigned to "${app.label}" without the role ${app.roleName} (roles: ${roles.length > 0 ? [...new Set(roles)].join(', ') : 'none'}): the SAML response carries no usable Role`,
        assignFix,
      );
    }
  }

  const inactive = oktaUserId ? run.inactiveOktaUsers?.get(oktaUserId) : undefined;
  if (inactive) checkOktaStatus(run, resource, inactive);

  const username = appUser?.credentials?.userName;
  const index = run.connectUsers;
  if (!username || !index || !run.instance) return;
  if (index.byUsername.has(username)) {
    add(run, 'user.connect', resource, 'ok', `Connect user '${username}' exists`);
    return;
  }
  const [variant] = caseVariantsOf(index, username);
  if (variant !== undefined) {
    add(
      run,
      'user.connect',
      resource,
      'fail',
      `the Connect user is '${variant}' but the Okta app username is '${username}': Connect compares usernames with case, so the sign-in finds no user ("Session expired" / access denied)`,
      `Either change the app username in ${appPath(app.label)} → Assignments → ${login} → edit → User Name to '${variant}', or delete the Connect user '${variant}' (Amazon Connect console → Users → User management) and run apply to create '${username}'.`,
    );
    return;
  }
  add(
    run,
    'user.connect',
    resource,
    'fail',
    `no Connect user named '${username}' (the Okta app username, which is the SAML RoleSessionName): the sign-in reaches Connect and is refused`,
    `${RUN_PROVISION} (it creates the Connect user), or in the Amazon Connect admin website → Users → User management → Add new users, with the username exactly '${username}'.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

/**
 * The Okta users who cannot sign in (status other than ACTIVE): one paged search, however many users the
 * config has. A user created through the API without a password is PROVISIONED until the activation is
 * finished, and Okta signs no SAML response for them until then.
 */
async function listInactiveOktaUsers(run: Run): Promise<Map<string, { login: string; status: string }>> {
  const out = new Map<string, { login: string; status: string }>();
  for await (const page of oktaPages<{ id: string; status?: string; profile?: { login?: string } }>(
    run.ctx,
    'ListUsers',
    '/api/v1/users',
    { search: 'status ne "ACTIVE"', limit: 200 },
  )) {
    for (const u of page) out.set(u.id, { login: u.profile?.login ?? u.id, status: u.status ?? 'UNKNOWN' });
  }
  return out;
}

/** What each non-ACTIVE Okta status means for a sign-in, and the fix. */
const OKTA_STATUS: Record<string, { status: 'warn' | 'fail'; message: string; fix: string }> = {
  PROVISIONED: {
    status: 'warn',
    message:
      'has not finished activating the Okta account (PROVISIONED): Okta lets the user sign in only after setting a password from the activation email',
    fix: 'Ask the user to finish the activation from the email, or in the Okta admin console → Directory → People → the user → Resend Activation Email (or set a password there).',
  },
  STAGED: {
    status: 'warn',
    message: 'is STAGED in Okta (created, never activated): the user cannot sign in',
    fix: 'In the Okta admin console → Directory → People → the user → Activate.',
  },
  RECOVERY: {
    status: 'warn',
    message: 'is in password recovery (RECOVERY): no sign-in until the password is reset',
    fix: 'Ask the user to finish the password reset, or reset it in the Okta admin console → Directory → People → the user.',
  },
  PASSWORD_EXPIRED: {
    status: 'warn',
    message: 'has an expired Okta password (PASSWORD_EXPIRED): Okta asks for a new one at the next sign-in',
    fix: 'Nothing to do in this setup: the user sets a new password when Okta asks.',
  },
  LOCKED_OUT: {
    status: 'fail',
    message: 'is LOCKED_OUT of Okta (too many failed sign-ins)',
    fix: 'In the Okta admin console → Directory → People → the user → Unlock.',
  },
  SUSPENDED: {
    status: 'fail',
    message: 'is SUSPENDED in Okta: the user cannot sign in',
    fix: 'In the Okta admin console → Directory → People → the user → Unsuspend, if they should have access.',
  },
  DEPROVISIONED: {
    status: 'fail',
    message: 'is deactivated in Okta (DEPROVISIONED): the user cannot sign in',
    fix: 'Reactivate the user in the Okta admin console if they should have access, or remove her from users in the config.',
  },
};

function checkOktaStatus(run: Run, resource: string, user: { login: string; status: string }): void {
  const known = OKTA_STATUS[user.status];
  add(
    run,
    'user.okta-status',
    resource,
    known?.status ?? 'warn',
    known ? `${user.login} ${known.message}` : `${user.login} has Okta status ${user.status}, not ACTIVE`,
    known?.fix ?? 'In the Okta admin console → Directory → People, look at the user and make them ACTIVE.',
  );
}
