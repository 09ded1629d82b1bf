/**
 * The Okta user lifecycle and directory the sync work relies on, through the real Okta SDK's typed API:
 * creation (PROVISIONED without a password, and why that user cannot sign in), activation, suspension,
 * deactivation (app assignments go, groups stay), deletion, profile updates and login renames (app
 * usernames follow), group and app membership with paging, and the back doors that script the same.
 */
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { oktaClient, startTestSandbox } from '../helpers.js';
import { awsAppBody, oktaRaw } from '../support/okta.js';

let sb: Sandbox;
let okta: OktaClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  okta = oktaClient(sb);
});
afterAll(async () => {
  await sb.stop();
});

/** The amazon_aws app, created raw (the SDK drops settings.app). */
async function awsApp(label: string): Promise<string> {
  const created = await oktaRaw(
    sb,
    'POST',
    '/api/v1/apps',
    awsAppBody(label, { app: { identityProviderArn: 'arn:aws:iam::123456789012:saml-provider/x' } }),
  );
  expect(created.status).toBe(200);
  return created.body.id as string;
}

const profile = (login: string, first = 'Test', last = 'User') => ({
  login,
  email: login,
  firstName: first,
  lastName: last,
});

async function appUserNames(appId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const u of await okta.applicationApi.listApplicationUsers({ appId })) {
    names.push(u?.credentials?.userName ?? '');
  }
  return names;
}

describe('creating users', () => {
  it('activate=true without a password makes a PROVISIONED user who cannot sign in until activation is finished', async () => {
    const user = await okta.userApi.createUser({
      body: { profile: profile('pending@acme.com') },
      activate: true,
    });
    expect(user.status).toBe('PROVISIONED');
    expect(user.activated).toBeTruthy();
    expect(user.credentials?.password).toBeUndefined();
    const staged = await okta.userApi.createUser({
      body: { profile: profile('staged@acme.com') },
      activate: false,
    });
    expect(staged.status).toBe('STAGED');
    const withPassword = await okta.userApi.createUser({
      body: { profile: profile('ready@acme.com'), credentials: { password: { value: 'Sandbox-Passw0rd!' } } },
    });
    expect(withPassword.status).toBe('ACTIVE');

    const appId = await awsApp('Lifecycle app');
    await okta.applicationApi.assignUserToApplication({
      appId,
      appUser: { id: user.id ?? '', scope: 'USER' },
    });
    const refused = await sb.login({ app: appId, login: 'pending@acme.com' });
    expect(refused).toMatchObject({ ok: false, stage: 'okta' });
    expect(refused.ok ? '' : refused.detail).toContain('PROVISIONED');
    // The person follows the activation link and sets a password.
    expect(sb.admin.activateOktaUser('pending@acme.com').status).toBe('ACTIVE');
    const after = await sb.login({ app: appId, login: 'pending@acme.com' });
    // Okta no longer refuses the user for its status (this app has no role set up, which fails next).
    expect(after.ok ? '' : after.detail).not.toContain('PROVISIONED');
    expect(after.ok ? '' : after.detail).toMatch(/role/i);
  });

  it('activates STAGED users (PROVISIONED without a password) and refuses what the status does not allow', async () => {
    const staged = await okta.userApi.createUser({
      body: { profile: profile('later@acme.com') },
      activate: false,
    });
    const token = await okta.userApi.activateUser({ userId: staged.id ?? '', sendEmail: false });
    expect(token.activationToken).toMatch(/^\w{20}$/);
    expect((await okta.userApi.getUser({ userId: 'later@acme.com' })).status).toBe('PROVISIONED');
    const again = await oktaRaw(sb, 'POST', `/api/v1/users/${staged.id}/lifecycle/activate`);
    expect(again).toMatchObject({ status: 403, body: { errorCode: 'E0000016' } });
    const suspend = await oktaRaw(sb, 'POST', `/api/v1/users/${staged.id}/lifecycle/suspend`);
    expect(suspend).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(
      (await oktaRaw(sb, 'POST', `/api/v1/users/${staged.id}/lifecycle/reactivate?sendEmail=false`)).status,
    ).toBe(200);
  });

  it('createUser with groupIds adds the new user to the groups; an unknown group writes nothing', async () => {
    const group = await okta.groupApi.createGroup({ group: { profile: { name: 'cc-agents' } } });
    const user = await okta.userApi.createUser({
      body: { profile: profile('joiner@acme.com'), groupIds: [group.id ?? ''] },
    });
    const groups: string[] = [];
    for await (const g of await okta.userApi.listUserGroups({ userId: user.id ?? '' }))
      groups.push(g?.profile?.name ?? '');
    expect(groups).toEqual(['cc-agents']);
    const bad = await oktaRaw(sb, 'POST', '/api/v1/users', {
      profile: profile('nobody@acme.com'),
      groupIds: ['00gmissing'],
    });
    expect(bad).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect((await oktaRaw(sb, 'GET', '/api/v1/users/nobody@acme.com')).status).toBe(404);
  });
});

describe('suspending, deactivating and deleting', () => {
  it('suspend keeps assignments; deactivate removes direct ones and group-derived access but keeps groups', async () => {
    const appId = await awsApp('Offboarding app');
    const group = sb.admin.createOktaGroup({ name: 'offboarding-team' });
    await oktaRaw(sb, 'PUT', `/api/v1/apps/${appId}/groups/${group.id}`, {});
    const direct = sb.admin.createOktaUser({ login: 'direct@acme.com' });
    const viaGroup = sb.admin.createOktaUser({ login: 'viagroup@acme.com', groups: ['offboarding-team'] });
    await okta.applicationApi.assignUserToApplication({ appId, appUser: { id: direct.id, scope: 'USER' } });
    expect((await appUserNames(appId)).sort()).toEqual(['direct@acme.com', 'viagroup@acme.com']);

    await okta.userApi.suspendUser({ userId: direct.id });
    expect((await okta.userApi.getUser({ userId: direct.id })).status).toBe('SUSPENDED');
    expect((await appUserNames(appId)).sort()).toEqual(['direct@acme.com', 'viagroup@acme.com']);
    await okta.userApi.unsuspendUser({ userId: direct.id });

    await okta.userApi.deactivateUser({ userId: direct.id });
    await okta.userApi.deactivateUser({ userId: viaGroup.id });
    expect(await appUserNames(appId)).toEqual([]);
    const members: string[] = [];
    for await (const u of await okta.groupApi.listGroupUsers({ groupId: group.id }))
      members.push(u?.profile?.login ?? '');
    expect(members).toEqual(['viagroup@acme.com']);
    const refused = await oktaRaw(sb, 'POST', `/api/v1/apps/${appId}/users`, {
      id: direct.id,
      scope: 'USER',
    });
    expect(refused).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });

    // Activated again, the group gives the app back; the direct assignment is gone for good.
    await okta.userApi.activateUser({ userId: viaGroup.id, sendEmail: false });
    await okta.userApi.activateUser({ userId: direct.id, sendEmail: false });
    expect(await appUserNames(appId)).toEqual(['viagroup@acme.com']);
  });

  it('DELETE deactivates first, then deletes; a plain list leaves deactivated users out', async () => {
    const user = sb.admin.createOktaUser({ login: 'leaver@acme.com' });
    await okta.userApi.deleteUser({ userId: user.id });
    expect((await okta.userApi.getUser({ userId: user.id })).status).toBe('DEPROVISIONED');
    const listed: string[] = [];
    for await (const u of await okta.userApi.listUsers({})) listed.push(u?.profile?.login ?? '');
    expect(listed).not.toContain('leaver@acme.com');
    await okta.userApi.deleteUser({ userId: user.id });
    expect((await oktaRaw(sb, 'GET', `/api/v1/users/${user.id}`)).status).toBe(404);
    expect(() => sb.admin.deactivateOktaUser('leaver@acme.com')).toThrow(
      /no Okta user with id or login 'leaver@acme.com'/,
    );
  });
});

describe('profile updates', () => {
  it('a partial update changes only what it names; a login rename renames the app usernames derived from it', async () => {
    const appId = await awsApp('Rename app');
    const user = sb.admin.createOktaUser({
      login: 'old.name@acme.com',
      firstName: 'Old',
      profile: { department: 'Sales' },
    });
    await okta.applicationApi.assignUserToApplication({ appId, appUser: { id: user.id, scope: 'USER' } });
    const custom = sb.admin.createOktaUser({ login: 'custom@acme.com' });
    await okta.applicationApi.assignUserToApplication({
      appId,
      appUser: { id: custom.id, scope: 'USER', credentials: { userName: 'custom-name' } },
    });

    const updated = await okta.userApi.updateUser({
      userId: user.id,
      user: { profile: { login: 'new.name@acme.com', email: 'new.name@acme.com', department: 'Support' } },
    });
    expect(updated.profile).toMatchObject({
      login: 'new.name@acme.com',
      firstName: 'Old',
      department: 'Support',
    });
    expect((await okta.userApi.getUser({ userId: 'new.name@acme.com' })).id).toBe(user.id);
    expect((await oktaRaw(sb, 'GET', '/api/v1/users/old.name@acme.com')).status).toBe(404);
    expect((await appUserNames(appId)).sort()).toEqual(['custom-name', 'new.name@acme.com']);
    // An app username set by hand does not follow the login.
    sb.admin.updateOktaUser('custom@acme.com', { login: 'custom2@acme.com', email: 'custom2@acme.com' });
    expect((await appUserNames(appId)).sort()).toEqual(['custom-name', 'new.name@acme.com']);

    const taken = await oktaRaw(sb, 'POST', `/api/v1/users/${user.id}`, {
      profile: { login: 'custom2@acme.com' },
    });
    expect(taken).toMatchObject({ status: 400, body: { errorCode: 'E0000001' } });
    expect(JSON.stringify(taken.body.errorCauses)).toContain('already exists');
    // PUT replaces the whole profile: what it leaves out is gone.
    const replaced = await okta.userApi.replaceUser({
      userId: user.id,
      user: {
        profile: {
          login: 'new.name@acme.com',
          email: 'new.name@acme.com',
          firstName: 'New',
          lastName: 'Name',
        },
      },
    });
    expect(replaced.profile?.firstName).toBe('New');
    expect((replaced.profile as Record<string, unknown>).department ?? null).toBeNull();
  });

  it('a password set for a PROVISIONED user completes the activation', async () => {
    const pending = await okta.userApi.createUser({ body: { profile: profile('pw@acme.com') } });
    expect(pending.status).toBe('PROVISIONED');
    const after = await okta.userApi.updateUser({
      userId: pending.id ?? '',
      user: { credentials: { password: { value: 'Sandbox-Passw0rd!' } } },
    });
    expect(after.status).toBe('ACTIVE');
  });
});

describe('membership lists page', () => {
  it('lists group members and app users page by page, and removes a user from a group and an app', async () => {
    const appId = await awsApp('Paging app');
    sb.admin.createOktaGroup({ name: 'paging' });
    const logins = ['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => `${p}@acme.com`);
    for (const login of logins) {
      const user = sb.admin.createOktaUser({ login, groups: ['paging'] });
      await okta.applicationApi.assignUserToApplication({ appId, appUser: { id: user.id, scope: 'USER' } });
    }
    const groupId = sb.admin.createOktaGroup({ name: 'unused' }).id;
    const paging = Object.values(sb.state().okta.groups).find((g) => g.profile.name === 'paging')?.id ?? '';
    const first = await oktaRaw(sb, 'GET', `/api/v1/groups/${paging}/users?limit=2`);
    expect(first.body).toHaveLength(2);
    const members: string[] = [];
    for await (const u of await okta.groupApi.listGroupUsers({ groupId: paging, limit: 2 }))
      members.push(u?.profile?.login ?? '');
    expect(members).toEqual(logins);
    expect(await appUserNames(appId)).toEqual(logins);
    const appPage = await fetch(`${sb.okta.orgUrl}/api/v1/apps/${appId}/users?limit=2`, {
      headers: { Authorization: `SSWS ${sb.okta.token}`, Accept: 'application/json' },
    });
    expect(appPage.headers.get('link')).toContain('rel="next"');

    const p3 = Object.values(sb.state().okta.users).find((u) => u.profile.login === 'p3@acme.com')?.id ?? '';
    await okta.groupApi.unassignUserFromGroup({ groupId: paging, userId: p3 });
    await okta.applicationApi.unassignUserFromApplication({ appId, userId: p3 });
    expect(sb.admin.removeOktaUserFromGroup('p4@acme.com', 'paging')).toEqual({ changed: true });
    expect(sb.admin.removeOktaUserFromGroup('p4@acme.com', 'paging')).toEqual({ changed: false });
    expect(sb.admin.addOktaUserToGroup('p4@acme.com', groupId)).toEqual({ changed: true });
    const after: string[] = [];
    for await (const u of await okta.groupApi.listGroupUsers({ groupId: paging }))
      after.push(u?.profile?.login ?? '');
    expect(after).toEqual(['p1@acme.com', 'p2@acme.com', 'p5@acme.com']);
    expect(await appUserNames(appId)).toEqual(['p1@acme.com', 'p2@acme.com', 'p4@acme.com', 'p5@acme.com']);
    expect(() => sb.admin.addOktaUserToGroup('p1@acme.com', 'no-such-group')).toThrow(
      /no Okta group with id or name/,
    );
  });
});
