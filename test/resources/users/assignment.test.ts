/**
 * assignUser against the sandbox with the real AWS SDK clients and the real Okta SDK. The Okta app, the
 * IAM SAML provider and role, and the API integration are set up by hand (raw SDK calls and the sandbox's
 * admin-console back doors), as the guide's earlier steps leave them.
 */
import {
  type ConnectClient,
  CreateUserCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  SearchUsersCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError, ManualActionRequiredError } from '../../../src/core/errors.js';
import { assignUser } from '../../../src/resources/users/assignment.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { guideSetUp, linkApp } from '../../support/guide.js';
import { awsAppBody, oktaJson } from '../../support/okta.js';

describe('assignUser', () => {
  let sb: Sandbox;
  let okta: OktaClient;
  let connect: ConnectClient;
  let instanceId: string;
  let appId: string;
  let pendingAppId: string;
  let credentials: { accessKeyId: string; secretAccessKey: string };
  /** Security profile names by id. */
  const securityNames = new Map<string, string>();

  const base = () => ({ appId, roleName: 'Okta_Role', instanceId });

  async function connectUser(username: string) {
    const { Users = [] } = await connect.send(
      new SearchUsersCommand({
        InstanceId: instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' },
        },
      }),
    );
    return Users[0];
  }

  beforeAll(async () => {
    sb = await startTestSandbox();
    const guide = await guideSetUp(sb, {
      alias: 'assign-cc',
      label: 'Amazon Connect Admin',
      integrate: true,
      apiUser: { userName: 'okta_cli_user', policyName: 'okta_cli_policy' },
      appSettings: { joinAllRoles: false },
    });
    ({ okta, connect, instanceId, appId } = guide);
    credentials = guide.credentials as typeof credentials;
    expect(guide.importedRoles).toEqual(['Okta_Role']);
    const profiles = await connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
    for (const p of profiles.SecurityProfileSummaryList ?? [])
      securityNames.set(p.Id as string, p.Name as string);

    // A second app whose API integration nobody has enabled yet.
    const pending = await oktaJson(
      okta,
      'POST',
      '/api/v1/apps',
      awsAppBody('Connect CCP', { relayState: `${guide.relayState}?x=1`, app: { joinAllRoles: false } }),
    );
    pendingAppId = pending.id;
    await linkApp(okta, pending, guide.providerArn);
  });

  afterAll(async () => {
    await sb.stop();
  });

  it('assigns the Okta user with the SAML role and creates the Connect user; a second call writes nothing', async () => {
    const oktaUser = sb.admin.createOktaUser({
      login: 'agent@acme.com',
      firstName: 'Ada',
      lastName: 'Agent',
    });
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const input = {
      ...base(),
      login: 'agent@acme.com',
      connect: { securityProfiles: ['Agent', 'QualityAnalyst'] },
    };
    const result = await assignUser(ctx, input);
    expect(result).toMatchObject({
      action: 'created',
      dryRun: false,
      oktaUserId: oktaUser.id,
      appUserName: 'agent@acme.com',
      roles: ['Okta_Role'],
    });
    expect(result.changes).toEqual([
      `okta: assign user 'agent@acme.com' to app "Amazon Connect Admin" with samlRoles [Okta_Role]`,
      "connect: create Connect user 'agent@acme.com' (security profiles [Agent, QualityAnalyst], routing profile 'Basic Routing Profile', SOFT_PHONE)",
    ]);
    expect(writes(sb).map((w) => `${w.service} ${w.operation}`)).toEqual([
      'okta AssignUserToApplication',
      'connect CreateUser',
    ]);

    const appUser = await okta.applicationApi.getApplicationUser({ appId, userId: oktaUser.id });
    expect(appUser.profile).toMatchObject({ role: 'Okta_Role', samlRoles: ['Okta_Role'] });
    const { User } = await connect.send(
      new DescribeUserCommand({ InstanceId: instanceId, UserId: result.connectUserId as string }),
    );
    expect(User).toMatchObject({
      Arn: result.connectUserArn,
      Username: 'agent@acme.com',
      IdentityInfo: { FirstName: 'Ada', LastName: 'Agent' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
    });
    expect(User?.IdentityInfo?.Email).toBeUndefined();
    expect((User?.SecurityProfileIds ?? []).map((id) => securityNames.get(id)).sort()).toEqual([
      'Agent',
      'QualityAnalyst',
    ]);

    sb.resetRequests();
    const again = await assignUser(ctx, input);
    expect(writes(sb)).toEqual([]);
    expect(again).toMatchObject({
      action: 'unchanged',
      changes: [],
      connectUserId: result.connectUserId,
      connectUserArn: result.connectUserArn,
    });
  });

  it('names the Connect user after the Okta app username, not the login', async () => {
    const oktaUser = sb.admin.createOktaUser({
      login: 'bob.builder@acme.com',
      firstName: 'Bob',
      lastName: 'Builder',
    });
    // An admin assigned the user by hand earlier, with another app username and no role.
    await okta.applicationApi.assignUserToApplication({
      appId,
      appUser: { id: oktaUser.id, scope: 'USER', credentials: { userName: 'bbuilder@acme.com' } },
    });
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const result = await assignUser(ctx, { ...base(), login: 'bob.builder@acme.com' });
    expect(result).toMatchObject({ action: 'created', appUserName: 'bbuilder@acme.com' });
    expect(result.changes).toEqual([
      'okta: role: (none) → Okta_Role',
      'okta: samlRoles: [] → [Okta_Role]',
      "connect: create Connect user 'bbuilder@acme.com' (security profiles [Agent], routing profile 'Basic Routing Profile', SOFT_PHONE)",
    ]);
    expect(writes(sb).map((w) => w.operation)).toEqual(['UpdateApplicationUser', 'CreateUser']);
    expect(await connectUser('bbuilder@acme.com')).toBeDefined();
    expect(await connectUser('bob.builder@acme.com')).toBeUndefined();
  });

  it('refuses a Connect user whose name differs only in case, showing both spellings', async () => {
    sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
    const profiles = await connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId }));
    const agent = [...securityNames].find(([, name]) => name === 'Agent')?.[0] as string;
    await connect.send(
      new CreateUserCommand({
        InstanceId: instanceId,
        Username: 'Jane.Doe@acme.com',
        IdentityInfo: { FirstName: 'Jane', LastName: 'Doe' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [agent],
        RoutingProfileId: profiles.RoutingProfileSummaryList?.[0]?.Id as string,
      }),
    );
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const error = await assignUser(ctx, { ...base(), login: 'jane.doe@acme.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    const message = (error as Error).message;
    expect(message).toContain(
      "Connect user 'Jane.Doe@acme.com' exists, but the Okta app username is 'jane.doe@acme.com'",
    );
    expect(message).toMatch(/case-sensitive.*RoleSessionName/);
    expect(writes(sb).filter((w) => w.service === 'connect')).toEqual([]);
    expect(await connectUser('jane.doe@acme.com')).toBeUndefined();
  });

  it('stops with the clicks to make before the API integration is enabled, and resumes after', async () => {
    sb.admin.createOktaUser({ login: 'early@acme.com', firstName: 'Early', lastName: 'Bird' });
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const input = { ...base(), appId: pendingAppId, login: 'early@acme.com' };
    const error = await assignUser(ctx, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManualActionRequiredError);
    const { actions, code } = error as ManualActionRequiredError;
    expect(code).toBe('MANUAL_ACTION_REQUIRED');
    const text = actions.join('\n');
    expect(text).toContain('Applications → Applications → "Connect CCP"');
    expect(text).toContain('Configure API Integration');
    expect(text).toContain('okta_cli_user');
    expect(text).toContain('Test API Credentials');
    expect(text).toContain('"Create Users"');
    expect(text).toMatch(/Run this step again/);
    expect(writes(sb)).toEqual([]);

    await sb.admin.enableApiIntegration(pendingAppId, credentials);
    const resumed = await assignUser(ctx, input);
    expect(resumed).toMatchObject({ action: 'created', appUserName: 'early@acme.com' });
  });

  it('turns a role Okta has not imported into a manual action', async () => {
    sb.admin.createOktaUser({ login: 'norole@acme.com', firstName: 'No', lastName: 'Role' });
    const ctx = sandboxContext(sb);
    const error = await assignUser(ctx, {
      ...base(),
      roleName: 'Other_Role',
      login: 'norole@acme.com',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManualActionRequiredError);
    expect((error as Error).message).toMatch(
      /does not accept the role 'Other_Role'.*Not one of the allowed values: "Other_Role"/,
    );
    expect((error as ManualActionRequiredError).actions.join('\n')).toContain('Refresh Application Data');
    expect(await connectUser('norole@acme.com')).toBeUndefined();
  });

  it('resolves profiles by name; unknown names are a ConfigError listing the available ones, before any write', async () => {
    sb.admin.createOktaUser({ login: 'names@acme.com', firstName: 'Nam', lastName: 'Es' });
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const error = await assignUser(ctx, {
      ...base(),
      login: 'names@acme.com',
      connect: { securityProfiles: ['Admin', 'agent', 'Supervisor'], routingProfile: 'Sales' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual([
      'connect.securityProfiles[1]',
      'connect.securityProfiles[2]',
      'connect.routingProfile',
    ]);
    const message = (error as Error).message;
    expect(message).toContain("no security profile named 'agent' in the instance (did you mean 'Agent'?");
    expect(message).toContain('available: Admin, Agent, CallCenterManager, QualityAnalyst');
    expect(message).toContain(
      "no routing profile named 'Sales' in the instance; available: Basic Routing Profile",
    );
    expect(writes(sb)).toEqual([]);

    const ok = await assignUser(ctx, {
      ...base(),
      login: 'names@acme.com',
      connect: {
        securityProfiles: ['Admin'],
        routingProfile: 'Basic Routing Profile',
        firstName: 'Named',
        lastName: 'Admin',
      },
    });
    const user = await connectUser('names@acme.com');
    expect(user?.Id).toBe(ok.connectUserId);
    expect(user?.IdentityInfo).toMatchObject({ FirstName: 'Named', LastName: 'Admin' });
    expect((user?.SecurityProfileIds ?? []).map((id) => securityNames.get(id))).toEqual(['Admin']);
  });

  it('repairs drifted security profiles when they are given, and leaves them alone otherwise', async () => {
    sb.admin.createOktaUser({ login: 'drift@acme.com', firstName: 'Drift', lastName: 'Er' });
    const ctx = sandboxContext(sb);
    const input = { ...base(), login: 'drift@acme.com', connect: { securityProfiles: ['Agent'] } };
    const created = await assignUser(ctx, input);
    const admin = [...securityNames].find(([, name]) => name === 'Admin')?.[0] as string;
    await connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: instanceId,
        UserId: created.connectUserId as string,
        SecurityProfileIds: [admin],
      }),
    );

    sb.resetRequests();
    const untouched = await assignUser(ctx, { ...base(), login: 'drift@acme.com' });
    expect(untouched.action).toBe('unchanged');
    expect(writes(sb)).toEqual([]);

    const planned = await assignUser(ctx, { ...input, dryRun: true });
    expect(planned).toMatchObject({
      action: 'updated',
      dryRun: true,
      changes: ['connect: security profiles: [Admin] → [Agent]'],
    });
    expect(writes(sb)).toEqual([]);

    const repaired = await assignUser(ctx, input);
    expect(repaired).toMatchObject({
      action: 'updated',
      changes: ['connect: security profiles: [Admin] → [Agent]'],
    });
    expect(writes(sb).map((w) => w.operation)).toEqual(['UpdateUserSecurityProfiles']);
    const user = await connectUser('drift@acme.com');
    expect((user?.SecurityProfileIds ?? []).map((id) => securityNames.get(id))).toEqual(['Agent']);
  });

  it('dryRun reports the assignment and the Connect user and writes nothing', async () => {
    const oktaUser = sb.admin.createOktaUser({ login: 'dry@acme.com', firstName: 'Dry', lastName: 'Run' });
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const result = await assignUser(ctx, { ...base(), login: 'dry@acme.com', dryRun: true });
    expect(result).toEqual({
      action: 'created',
      resource: `assignment of dry@acme.com to okta app ${appId} and connect instance ${instanceId}`,
      changes: [
        `okta: assign user 'dry@acme.com' to app "Amazon Connect Admin" with samlRoles [Okta_Role]`,
        "connect: create Connect user 'dry@acme.com' (security profiles [Agent], routing profile 'Basic Routing Profile', SOFT_PHONE)",
      ],
      dryRun: true,
      oktaUserId: oktaUser.id,
      appUserName: 'dry@acme.com',
      connectUserId: undefined,
      connectUserArn: undefined,
      roles: ['Okta_Role'],
    });
    expect(writes(sb)).toEqual([]);
  });

  it('rejects invalid input before any request, and names an unknown login, app or instance', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const invalid = await assignUser(ctx, {
      appId: 'not/an/id',
      login: '',
      roleName: 'arn:aws:iam::123456789012:role/Okta_Role',
      instanceId: `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}`,
      connect: { securityProfiles: [], phoneType: 'DESK_PHONE' },
    }).catch((e: unknown) => e);
    expect((invalid as ConfigError).issues.map((i) => i.field)).toEqual([
      'appId',
      'login',
      'roleName',
      'instanceId',
      'connect.securityProfiles',
      'connect.deskPhoneNumber',
    ]);
    expect((invalid as Error).message).toContain(`pass its last part, '${instanceId}'`);
    expect(sb.requests()).toEqual([]);

    const noUser = await assignUser(ctx, { ...base(), login: 'ghost@acme.com' }).catch((e: unknown) => e);
    expect(noUser).toMatchObject({
      field: 'login',
      message: "login: no Okta user with login 'ghost@acme.com'",
    });
    sb.admin.createOktaUser({ login: 'real@acme.com', firstName: 'Real', lastName: 'User' });
    const noApp = await assignUser(ctx, { ...base(), appId: '0oanothere', login: 'real@acme.com' }).catch(
      (e: unknown) => e,
    );
    expect(noApp).toMatchObject({ field: 'appId' });
    const noInstance = await assignUser(ctx, {
      ...base(),
      instanceId: '00000000-0000-4000-8000-000000000000',
      login: 'real@acme.com',
    }).catch((e: unknown) => e);
    expect(noInstance).toBeInstanceOf(ConfigError);
    expect(noInstance).toMatchObject({ field: 'instanceId' });
    expect(writes(sb)).toEqual([]);
  });
});
