/**
 * The sandbox's CreateSecurityProfile, DescribeSecurityProfile and DeleteSecurityProfile through the real
 * Connect client: unique names, tags, and a profile a user still has cannot be deleted.
 */
import {
  type ConnectClient,
  CreateInstanceCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DeleteSecurityProfileCommand,
  DeleteUserCommand,
  DescribeSecurityProfileCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { connectClient, startTestSandbox } from '../helpers.js';

let sb: Sandbox;
let connect: ConnectClient;
let instanceId = '';
beforeAll(async () => {
  sb = await startTestSandbox();
  connect = connectClient(sb);
  const created = await connect.send(
    new CreateInstanceCommand({
      IdentityManagementType: 'SAML',
      InstanceAlias: 'profiles-cc',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  instanceId = created.Id ?? '';
});
afterAll(async () => {
  connect.destroy();
  await sb.stop();
});

const codeOf = (error: unknown) => (error as { name?: string }).name;

describe('security profiles', () => {
  it('creates one with tags and no permissions; the name is taken after that', async () => {
    const made = await connect.send(
      new CreateSecurityProfileCommand({
        InstanceId: instanceId,
        SecurityProfileName: 'no-access',
        Description: 'nothing',
        Permissions: [],
        Tags: { team: 'cc' },
      }),
    );
    expect(made.SecurityProfileArn).toBe(
      `${sb.state().connect.instances[instanceId]?.arn}/security-profile/${made.SecurityProfileId}`,
    );
    const { SecurityProfile } = await connect.send(
      new DescribeSecurityProfileCommand({
        InstanceId: instanceId,
        SecurityProfileId: made.SecurityProfileId,
      }),
    );
    expect(SecurityProfile).toMatchObject({
      Id: made.SecurityProfileId,
      SecurityProfileName: 'no-access',
      Description: 'nothing',
      Tags: { team: 'cc' },
      OrganizationResourceId: instanceId,
    });
    const list = await connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
    expect(list.SecurityProfileSummaryList?.map((p) => p.Name)).toContain('no-access');
    const again = await connect
      .send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'no-access' }))
      .catch((e: unknown) => e);
    expect(codeOf(again)).toBe('DuplicateResourceException');
  });

  it('refuses a name Connect does not allow, before creating anything', async () => {
    const before = Object.keys(sb.state().connect.instances[instanceId]?.securityProfiles ?? {}).length;
    const bad = await connect
      .send(new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'no/access' }))
      .catch((e: unknown) => e);
    expect(codeOf(bad)).toBe('InvalidParameterException');
    expect(Object.keys(sb.state().connect.instances[instanceId]?.securityProfiles ?? {})).toHaveLength(
      before,
    );
  });

  it('a profile a user has cannot be deleted (ResourceInUseException); once free, it can', async () => {
    const { SecurityProfileId: id = '' } = await connect.send(
      new CreateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileName: 'held' }),
    );
    const routing = await connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId }));
    const user = await connect.send(
      new CreateUserCommand({
        InstanceId: instanceId,
        Username: 'held@acme.com',
        IdentityInfo: { FirstName: 'Held', LastName: 'User' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [id],
        RoutingProfileId: routing.RoutingProfileSummaryList?.[0]?.Id ?? '',
      }),
    );
    const refused = await connect
      .send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: id }))
      .catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('ResourceInUseException');
    await connect.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: user.UserId ?? '' }));
    await connect.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: id }));
    const gone = await connect
      .send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: id }))
      .catch((e: unknown) => e);
    expect(codeOf(gone)).toBe('ResourceNotFoundException');
  });
});
