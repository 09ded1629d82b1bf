/**
 * Group mapping against the sandbox with the real SDKs: the app's Okta group (found or created once),
 * its assignment to the app, and the users reconciled through group membership instead of samlRoles.
 */
import { CreateInstanceCommand } from '@aws-sdk/client-connect';
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_NAME, defaultGroupFilter } from '../../../src/config/defaults.js';
import type { ResolvedUser } from '../../../src/config/types.js';
import { ConfigError, ConflictError } from '../../../src/core/errors.js';
import { createOktaFederationApp } from '../../../src/resources/okta-app/ensure.js';
import { buildRelayState } from '../../../src/resources/okta-app/relay-state.js';
import {
  ensureAppGroupAssignment,
  ensureOktaGroup,
  groupMappingFor,
  groupNameFor,
  samlRoleForGroup,
} from '../../../src/resources/okta-groups/ensure.js';
import { reconcileUsers } from '../../../src/resources/users/reconcile.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import {
  connectClient,
  countByOperation,
  oktaClient,
  sandboxContext,
  startTestSandbox,
  writes,
} from '../../helpers.js';
import { resolvedUser } from '../../support/guide.js';
import { oktaJson } from '../../support/okta.js';

const ACCOUNT = '123456789012';

const user = (login: string) => resolvedUser(login);

describe('group names and the SAML role they give', () => {
  const admin = groupMappingFor({
    groupFilter: defaultGroupFilter('Okta_Role'),
    providerName: 'Okta_Connect_Admin',
  });
  const ccp = groupMappingFor({
    groupFilter: defaultGroupFilter('Okta_CCP_Role'),
    providerName: 'Okta_Connect_CCP',
  });

  it("the default group name matches the app's default filter and yields its role and provider ARNs", () => {
    const name = groupNameFor(DEFAULT_GROUP_NAME, {
      accountId: ACCOUNT,
      roleName: 'Okta_Role',
      providerName: 'Okta_Connect_Admin',
    });
    expect(name).toBe('aws_123456789012_Okta_Role');
    expect(admin.roleValuePattern).toBe(
      'arn:aws:iam::${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::${accountid}:role/${role}',
    );
    expect(samlRoleForGroup(name, admin)).toEqual({
      value:
        'arn:aws:iam::123456789012:saml-provider/Okta_Connect_Admin,arn:aws:iam::123456789012:role/Okta_Role',
      accountId: ACCOUNT,
      roleArn: 'arn:aws:iam::123456789012:role/Okta_Role',
      providerArn: 'arn:aws:iam::123456789012:saml-provider/Okta_Connect_Admin',
    });
    // The filters are anchored and narrowed to one role: the CCP app's group gives no admin role.
    const ccpGroup = groupNameFor(DEFAULT_GROUP_NAME, { accountId: ACCOUNT, roleName: 'Okta_CCP_Role' });
    expect(samlRoleForGroup(ccpGroup, admin)).toBeUndefined();
    expect(samlRoleForGroup(ccpGroup, ccp)?.roleArn).toBe('arn:aws:iam::123456789012:role/Okta_CCP_Role');
    expect(samlRoleForGroup(`${name}_x`, admin)).toBeUndefined();
    expect(
      groupMappingFor({ groupFilter: 'x', providerName: 'P', partition: 'aws-us-gov' }).roleValuePattern,
    ).toBe('arn:aws-us-gov:iam::${accountid}:saml-provider/P,arn:aws-us-gov:iam::${accountid}:role/${role}');
  });

  it('refuses unknown placeholders, a bad account id and names Okta would refuse', () => {
    expect(() => groupNameFor('aws_{{account}}_{{role}}', { accountId: ACCOUNT, roleName: 'R' })).toThrow(
      'unknown placeholder {{account}}',
    );
    expect(() => groupNameFor(DEFAULT_GROUP_NAME, { accountId: '1234', roleName: 'R' })).toThrow(ConfigError);
    expect(() =>
      groupNameFor(`${'x'.repeat(250)}{{role}}`, { accountId: ACCOUNT, roleName: 'Role_1' }),
    ).toThrow("longer than Okta's 255");
    expect(groupNameFor('connect-agents', { accountId: ACCOUNT, roleName: 'R' })).toBe('connect-agents');
  });
});

describe('group mapping against the sandbox', () => {
  let sb: Sandbox;
  let okta: OktaClient;
  let appId: string;
  let instanceId: string;
  const groupName = `aws_${ACCOUNT}_Okta_Role`;

  beforeAll(async () => {
    sb = await startTestSandbox();
    okta = oktaClient(sb);
    const instance = await connectClient(sb).send(
      new CreateInstanceCommand({
        IdentityManagementType: 'SAML',
        InstanceAlias: 'groups-cc',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    instanceId = instance.Id as string;
    const app = await createOktaFederationApp(sandboxContext(sb), {
      label: 'Amazon Connect Administrator',
      relayState: buildRelayState({ region: 'us-east-1', instanceId }),
      groupMapping: groupMappingFor({
        groupFilter: defaultGroupFilter('Okta_Role'),
        providerName: 'Okta_Connect_Admin',
      }),
    });
    appId = app.appId as string;
  });

  afterAll(async () => {
    await sb.stop();
  });

  it('creates the group once; a second call writes nothing; a dry run of a new group writes nothing', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const dry = await ensureOktaGroup(ctx, { name: groupName, dryRun: true });
    expect(writes(sb)).toEqual([]);
    expect(dry).toMatchObject({
      action: 'created',
      groupId: undefined,
      changes: [`create Okta group '${groupName}'`],
    });

    const created = await ensureOktaGroup(ctx, { name: groupName });
    expect(created).toMatchObject({ action: 'created', name: groupName, dryRun: false });
    expect(created.groupId).toMatch(/^00g/);
    expect(writes(sb).map((w) => w.operation)).toEqual(['CreateGroup']);
    const group = await oktaJson<{ profile: { name: string; description: string } }>(
      okta,
      'GET',
      `/api/v1/groups/${created.groupId}`,
    );
    expect(group.profile.name).toBe(groupName);
    expect(group.profile.description).toContain('managed-by connect-okta-sso stack test-stack');

    sb.resetRequests();
    const again = await ensureOktaGroup(ctx, { name: groupName });
    expect(writes(sb)).toEqual([]);
    expect(again).toMatchObject({ action: 'unchanged', groupId: created.groupId, changes: [] });
    // A group whose name only starts with ours is not ours (Okta's q is a prefix search).
    expect((await ensureOktaGroup(ctx, { name: `${groupName}_2` })).groupId).not.toBe(created.groupId);
  });

  it('a group named like ours but for case is a conflict; invalid input makes no request', async () => {
    const ctx = sandboxContext(sb);
    await ensureOktaGroup(ctx, { name: 'AWS_123456789012_Other' });
    const error = await ensureOktaGroup(ctx, { name: 'aws_123456789012_Other' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain("The Okta group 'AWS_123456789012_Other'");
    sb.resetRequests();
    await expect(ensureOktaGroup(ctx, { name: ' padded ' })).rejects.toThrow(ConfigError);
    await expect(ensureAppGroupAssignment(ctx, { appId, groupId: undefined })).rejects.toThrow('groupId');
    expect(sb.requests()).toEqual([]);
  });

  it('assigns the group to the app once', async () => {
    const ctx = sandboxContext(sb);
    const { groupId } = await ensureOktaGroup(ctx, { name: groupName });
    sb.resetRequests();
    expect(await ensureAppGroupAssignment(ctx, { appId, groupId: undefined, dryRun: true })).toMatchObject({
      action: 'created',
    });
    expect(await ensureAppGroupAssignment(ctx, { appId, groupId, dryRun: true })).toMatchObject({
      action: 'created',
    });
    expect(writes(sb)).toEqual([]);
    const first = await ensureAppGroupAssignment(ctx, { appId, groupId });
    expect(first).toMatchObject({ action: 'created', appId, groupId });
    expect(writes(sb).map((w) => w.operation)).toEqual(['AssignGroupToApplication']);
    sb.resetRequests();
    expect(await ensureAppGroupAssignment(ctx, { appId, groupId })).toMatchObject({
      action: 'unchanged',
      changes: [],
    });
    expect(writes(sb)).toEqual([]);
    const assignments = await oktaJson<{ id: string }[]>(okta, 'GET', `/api/v1/apps/${appId}/groups`);
    expect(assignments.map((a) => a.id)).toEqual([groupId]);
    await expect(ensureAppGroupAssignment(ctx, { appId, groupId: '00gnosuchgroup' })).rejects.toThrow(
      "no Okta group with id '00gnosuchgroup'",
    );
  });

  it('reconciles 1,050 users through membership read from paged lists; no samlRoles are written', async () => {
    const ctx = sandboxContext(sb);
    const { groupId } = await ensureOktaGroup(ctx, { name: groupName });
    await ensureAppGroupAssignment(ctx, { appId, groupId });
    const group = { id: groupId, name: groupName };
    const users: ResolvedUser[] = [];
    for (let i = 0; i < 1050; i++) {
      const login = `member${String(i).padStart(4, '0')}@acme.com`;
      sb.admin.createOktaUser({ login, firstName: 'Member', lastName: String(i) });
      users.push(user(login));
    }
    const input = { appId, roleName: 'Okta_Role', instanceId, users, group, dryRun: false, concurrency: 16 };

    sb.resetRequests();
    const dry = await reconcileUsers(ctx, {
      ...input,
      users: users.slice(0, 3),
      group: { id: undefined, name: groupName },
      dryRun: true,
    });
    expect(writes(sb)).toEqual([]);
    expect(dry.users[0]).toMatchObject({ action: 'created', appUserName: 'member0000@acme.com' });
    expect(dry.users[0]?.changes[0]).toBe(`okta: add user 'member0000@acme.com' to group '${groupName}'`);

    sb.resetRequests();
    const first = await reconcileUsers(ctx, input);
    expect(first.counts).toEqual({ created: 1050, updated: 0, unchanged: 0, failed: 0 });
    const fresh = countByOperation(sb);
    expect(fresh).toMatchObject({ AssignUserToGroup: 1050, CreateUser: 1050 });
    expect(fresh.AssignUserToApplication).toBeUndefined();
    expect(fresh.UpdateApplicationUser).toBeUndefined();
    expect(first.users[1049]).toMatchObject({ appUserName: 'member1049@acme.com' });

    // Members are app users through the group, with no SAML role of their own: the group name gives it.
    const appUser = await oktaJson<{ scope: string; profile: { samlRoles: string[]; role: string | null } }>(
      okta,
      'GET',
      `/api/v1/apps/${appId}/users/${first.users[0]?.oktaUserId}`,
    );
    expect(appUser).toMatchObject({ scope: 'GROUP', profile: { samlRoles: [], role: null } });

    sb.resetRequests();
    const again = await reconcileUsers(ctx, input);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 1050, failed: 0 });
    expect(writes(sb)).toEqual([]);
    expect(countByOperation(sb)).toEqual({
      GetApplication: 1,
      ListApplicationUsers: 3, // 500 a page
      ListGroupUsers: 2, // 1,000 a page
      ListUsers: 2, // 1,000 a page
    });
  }, 30_000);
});
