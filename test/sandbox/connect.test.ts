/**
 * The emulated Amazon Connect, driven by the real @aws-sdk/client-connect over HTTP.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConnectClient,
  CreateInstanceCommand,
  type CreateInstanceCommandInput,
  CreateUserCommand,
  type CreateUserCommandInput,
  DeleteInstanceCommand,
  DeleteUserCommand,
  DescribeInstanceCommand,
  DescribeUserCommand,
  GetFederationTokenCommand,
  ListInstancesCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListTagsForResourceCommand,
  ListUsersCommand,
  paginateListInstances,
  paginateListUsers,
  SearchUsersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand as CreateIamUserCommand,
  CreatePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, iamClient, startTestSandbox } from '../helpers.js';

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;

const CREATION_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The fake clock every sandbox of this file runs on. */
let clock = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const now = () => clock;

function samlInstanceInput(
  alias: string,
  extra: Partial<CreateInstanceCommandInput> = {},
): CreateInstanceCommandInput {
  return {
    IdentityManagementType: 'SAML',
    InstanceAlias: alias,
    InboundCallsEnabled: true,
    OutboundCallsEnabled: false,
    ...extra,
  };
}

/** Create a SAML instance and let it become ACTIVE; returns its id, ARN and default profile ids. */
async function activeInstance(client: ConnectClient, alias: string) {
  const created = await client.send(new CreateInstanceCommand(samlInstanceInput(alias)));
  clock += CREATION_MS;
  const id = created.Id as string;
  const security = await client.send(new ListSecurityProfilesCommand({ InstanceId: id }));
  const routing = await client.send(new ListRoutingProfilesCommand({ InstanceId: id }));
  const profile = (name: string) =>
    security.SecurityProfileSummaryList?.find((p) => p.Name === name)?.Id as string;
  return {
    id,
    arn: created.Arn as string,
    agent: profile('Agent'),
    admin: profile('Admin'),
    routing: routing.RoutingProfileSummaryList?.[0]?.Id as string,
  };
}

function userInput(
  instance: { id: string; agent: string; routing: string },
  username: string,
  extra: Partial<CreateUserCommandInput> = {},
): CreateUserCommandInput {
  return {
    InstanceId: instance.id,
    Username: username,
    IdentityInfo: { FirstName: 'Jane', LastName: 'Doe' },
    PhoneConfig: { PhoneType: 'SOFT_PHONE' },
    SecurityProfileIds: [instance.agent],
    RoutingProfileId: instance.routing,
    ...extra,
  };
}

describe('Connect instances', () => {
  let sb: Sandbox;
  let client: ConnectClient;

  beforeAll(async () => {
    sb = await startTestSandbox({ instanceCreationMs: CREATION_MS, now, failInstanceAliases: ['doomed-cc'] });
    client = connectClient(sb);
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('creates an instance that is CREATION_IN_PROGRESS, then ACTIVE with the default profiles', async () => {
    const createdAt = clock;
    const created = await client.send(
      new CreateInstanceCommand(samlInstanceInput('acme-cc', { Tags: { team: 'contact-center' } })),
    );
    expect(created.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.Arn).toBe(`arn:aws:connect:${sb.aws.region}:123456789012:instance/${created.Id}`);
    expect(created.$metadata.requestId).toBeTruthy();

    const pending = await client.send(new DescribeInstanceCommand({ InstanceId: created.Id }));
    expect(pending.Instance).toMatchObject({
      Id: created.Id,
      Arn: created.Arn,
      IdentityManagementType: 'SAML',
      InstanceAlias: 'acme-cc',
      InstanceStatus: 'CREATION_IN_PROGRESS',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: false,
      InstanceAccessUrl: 'https://acme-cc.my.connect.aws',
      Tags: { team: 'contact-center' },
    });
    expect(pending.Instance?.CreatedTime).toEqual(new Date(createdAt));
    expect(pending.Instance?.ServiceRole).toMatch(
      /^arn:aws:iam::123456789012:role\/aws-service-role\/connect\.amazonaws\.com\/AWSServiceRoleForAmazonConnect_\w+$/,
    );
    // Users and profiles do not exist before the instance is ACTIVE.
    await expect(
      client.send(new ListSecurityProfilesCommand({ InstanceId: created.Id })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });

    clock += CREATION_MS - 1;
    const stillPending = await client.send(new DescribeInstanceCommand({ InstanceId: created.Id }));
    expect(stillPending.Instance?.InstanceStatus).toBe('CREATION_IN_PROGRESS');
    clock += 1;
    const active = await client.send(new DescribeInstanceCommand({ InstanceId: created.Id }));
    expect(active.Instance?.InstanceStatus).toBe('ACTIVE');
    expect(active.Instance?.StatusReason).toBeUndefined();

    const security = await client.send(new ListSecurityProfilesCommand({ InstanceId: created.Id }));
    expect(security.SecurityProfileSummaryList?.map((p) => p.Name).sort()).toEqual([
      'Admin',
      'Agent',
      'CallCenterManager',
      'QualityAnalyst',
    ]);
    const admin = security.SecurityProfileSummaryList?.find((p) => p.Name === 'Admin');
    expect(admin?.Arn).toBe(`${created.Arn}/security-profile/${admin?.Id}`);
    expect(admin?.LastModifiedRegion).toBe(sb.aws.region);
    expect(admin?.LastModifiedTime).toBeInstanceOf(Date);

    const routing = await client.send(
      new ListRoutingProfilesCommand({ InstanceId: created.Id, MaxResults: 1 }),
    );
    expect(routing.RoutingProfileSummaryList).toHaveLength(1);
    expect(routing.RoutingProfileSummaryList?.[0]).toMatchObject({ Name: 'Basic Routing Profile' });
    expect(routing.RoutingProfileSummaryList?.[0]?.Arn).toContain(`${created.Arn}/routing-profile/`);
    expect(routing.NextToken).toBeUndefined();
  });

  it('ends a creation in CREATION_FAILED for an alias in failInstanceAliases, listed for 24 hours', async () => {
    const created = await client.send(new CreateInstanceCommand(samlInstanceInput('doomed-cc')));
    clock += CREATION_MS;
    const failed = await client.send(new DescribeInstanceCommand({ InstanceId: created.Id }));
    expect(failed.Instance?.InstanceStatus).toBe('CREATION_FAILED');
    expect(failed.Instance?.StatusReason?.Message).toMatch(/creation failed/i);
    await expect(
      client.send(
        new CreateUserCommand(userInput({ id: created.Id as string, agent: 'a', routing: 'r' }, 'x')),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // The failed instance keeps its alias while it is listed…
    await expect(
      client.send(new CreateInstanceCommand(samlInstanceInput('Doomed-CC'))),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    const listed = await client.send(new ListInstancesCommand({}));
    expect(
      listed.InstanceSummaryList?.some((i) => i.Id === created.Id && i.InstanceStatus === 'CREATION_FAILED'),
    ).toBe(true);
    // …and is gone 24 hours after CreateInstance.
    clock += DAY_MS;
    await expect(client.send(new DescribeInstanceCommand({ InstanceId: created.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const again = await client.send(new CreateInstanceCommand(samlInstanceInput('doomed-cc')));
    expect(again.Id).not.toBe(created.Id);
  });

  it('validates the alias against the model and keeps it unique across every region', async () => {
    for (const alias of ['-leading-dash', 'd-1234567890', 'under_score', 'a'.repeat(46)]) {
      const error = await client
        .send(new CreateInstanceCommand(samlInstanceInput(alias)))
        .catch((e: unknown) => e);
      expect(error, alias).toMatchObject({
        name: 'InvalidRequestException',
        $metadata: { httpStatusCode: 400 },
      });
      expect((error as Error).message).toContain("'instanceAlias'");
      // The alias is @sensitive: AWS does not echo it.
      expect((error as Error).message).not.toContain(alias);
    }
    await client.send(new CreateInstanceCommand(samlInstanceInput('unique-cc')));
    const west = connectClient(sb, { region: 'us-west-2' });
    await expect(west.send(new CreateInstanceCommand(samlInstanceInput('UNIQUE-cc')))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'Invalid Input. Instance alias is already used.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('requires the identity type and both call booleans, and a DirectoryId for EXISTING_DIRECTORY', async () => {
    const missing = {
      IdentityManagementType: 'SAML',
      InstanceAlias: 'no-booleans',
      OutboundCallsEnabled: true,
    };
    await expect(
      client.send(new CreateInstanceCommand(missing as CreateInstanceCommandInput)),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining(
        "Value null at 'inboundCallsEnabled' failed to satisfy constraint: Member must not be null",
      ),
    });
    await expect(
      client.send(
        new CreateInstanceCommand(
          samlInstanceInput('bad-type', { IdentityManagementType: 'LDAP' as 'SAML' }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining('enum value set'),
    });
    await expect(
      client.send(
        new CreateInstanceCommand(samlInstanceInput('dir', { IdentityManagementType: 'EXISTING_DIRECTORY' })),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining('DirectoryId'),
    });
    await expect(
      client.send(
        new CreateInstanceCommand({
          IdentityManagementType: 'CONNECT_MANAGED',
          InboundCallsEnabled: true,
          OutboundCallsEnabled: true,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining('InstanceAlias'),
    });
  });

  it('is idempotent by ClientToken', async () => {
    const input = samlInstanceInput('idempotent-cc', { ClientToken: 'token-1' });
    const first = await client.send(new CreateInstanceCommand(input));
    const second = await client.send(new CreateInstanceCommand(input));
    expect(second.Id).toBe(first.Id);
    const all = await client.send(new ListInstancesCommand({ MaxResults: 10 }));
    const pages = [all];
    let token = all.NextToken;
    while (token) {
      const page = await client.send(new ListInstancesCommand({ NextToken: token }));
      pages.push(page);
      token = page.NextToken;
    }
    const matching = pages
      .flatMap((p) => p.InstanceSummaryList ?? [])
      .filter((i) => i.InstanceAlias === 'idempotent-cc');
    expect(matching).toHaveLength(1);
  });

  it('keeps instances in the region of the request', async () => {
    const west = connectClient(sb, { region: 'eu-west-2' });
    const created = await west.send(new CreateInstanceCommand(samlInstanceInput('london-cc')));
    expect(created.Arn).toBe(`arn:aws:connect:eu-west-2:123456789012:instance/${created.Id}`);
    await expect(client.send(new DescribeInstanceCommand({ InstanceId: created.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const westList = await west.send(new ListInstancesCommand({}));
    expect(westList.InstanceSummaryList?.map((i) => i.InstanceAlias)).toEqual(['london-cc']);
    // The instance ARN works as InstanceId too.
    const byArn = await west.send(new DescribeInstanceCommand({ InstanceId: created.Arn }));
    expect(byArn.Instance?.Id).toBe(created.Id);
  });

  it('deletes an instance: DescribeInstance then answers ResourceNotFoundException and the alias is free', async () => {
    const created = await client.send(new CreateInstanceCommand(samlInstanceInput('short-lived')));
    await client.send(new DeleteInstanceCommand({ InstanceId: created.Id }));
    await expect(client.send(new DescribeInstanceCommand({ InstanceId: created.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new DeleteInstanceCommand({ InstanceId: created.Id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const recreated = await client.send(new CreateInstanceCommand(samlInstanceInput('short-lived')));
    expect(recreated.Id).not.toBe(created.Id);
  });

  it('lets a missing HTTP label fail in the SDK, before any request', async () => {
    sb.resetRequests();
    const input = { InstanceId: undefined } as unknown as { InstanceId: string };
    await expect(client.send(new DescribeInstanceCommand(input))).rejects.toThrow(
      'No value provided for input HTTP label: InstanceId.',
    );
    expect(sb.requests()).toEqual([]);
  });

  it('answers a malformed JSON body with SerializationException and an unknown path with UnknownOperationException', async () => {
    const broken = connectClient(sb);
    broken.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers: Record<string, string> };
        request.body = '{"IdentityManagementType": "SAML",';
        request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
        return next(args);
      },
      { step: 'build', name: 'breakBody' },
    );
    await expect(
      broken.send(new CreateInstanceCommand(samlInstanceInput('broken-json'))),
    ).rejects.toMatchObject({
      name: 'SerializationException',
      $metadata: { httpStatusCode: 400 },
    });
    const lost = connectClient(sb);
    lost.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path?: string };
        request.path = '/no-such-route/x';
        return next(args);
      },
      { step: 'build', name: 'breakPath' },
    );
    await expect(lost.send(new ListInstancesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('logs every request with its operation, write flag and status', async () => {
    sb.resetRequests();
    const created = await client.send(new CreateInstanceCommand(samlInstanceInput('logged-cc')));
    await client.send(new DescribeInstanceCommand({ InstanceId: created.Id }));
    await client.send(new DescribeInstanceCommand({ InstanceId: 'no-such-instance' })).catch(() => undefined);
    expect(sb.requests().map(({ ms: _ms, ...entry }) => entry)).toEqual([
      { service: 'connect', operation: 'CreateInstance', write: true, status: 200 },
      { service: 'connect', operation: 'DescribeInstance', write: false, status: 200 },
      {
        service: 'connect',
        operation: 'DescribeInstance',
        write: false,
        status: 404,
        errorCode: 'ResourceNotFoundException',
      },
    ]);
  });

  it('keeps its state as plain JSON', () => {
    const snapshot = sb.state();
    expect(JSON.parse(JSON.stringify(snapshot.connect))).toEqual(snapshot.connect);
    const acme = Object.values(snapshot.connect.instances).find((i) => i.alias === 'acme-cc');
    expect(acme?.status).toBe('ACTIVE');
    expect(typeof acme?.createdAt).toBe('number');
  });
});

describe('Connect instance paging and quota', () => {
  let sb: Sandbox;
  let client: ConnectClient;

  beforeAll(async () => {
    sb = await startTestSandbox({ instanceCreationMs: 0, now });
    client = connectClient(sb);
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('pages ListInstances (MaxResults 1–10)', async () => {
    for (let i = 0; i < 12; i++)
      await client.send(new CreateInstanceCommand(samlInstanceInput(`paged-${i}`)));
    const first = await client.send(new ListInstancesCommand({ MaxResults: 5 }));
    expect(first.InstanceSummaryList?.map((i) => i.InstanceAlias)).toEqual([
      'paged-0',
      'paged-1',
      'paged-2',
      'paged-3',
      'paged-4',
    ]);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await client.send(new ListInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }));
    expect(second.InstanceSummaryList?.[0]?.InstanceAlias).toBe('paged-5');
    const aliases: string[] = [];
    for await (const page of paginateListInstances({ client }, {})) {
      expect(page.InstanceSummaryList?.length).toBeLessThanOrEqual(10);
      aliases.push(...(page.InstanceSummaryList ?? []).map((i) => i.InstanceAlias as string));
    }
    expect(aliases).toHaveLength(12);
    expect(new Set(aliases).size).toBe(12);
    await expect(client.send(new ListInstancesCommand({ MaxResults: 11 }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining("'maxResults'"),
    });
    await expect(client.send(new ListInstancesCommand({ NextToken: 'made-up' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });

  it('refuses the 101st instance creation or deletion within 30 days with ServiceQuotaExceededException (402)', async () => {
    // 12 creations above; 44 more creations and 44 deletions make 100.
    for (let i = 0; i < 44; i++) {
      const created = await client.send(new CreateInstanceCommand(samlInstanceInput(`churn-${i}`)));
      await client.send(new DeleteInstanceCommand({ InstanceId: created.Id }));
    }
    await expect(
      client.send(new CreateInstanceCommand(samlInstanceInput('one-too-many'))),
    ).rejects.toMatchObject({
      name: 'ServiceQuotaExceededException',
      $metadata: { httpStatusCode: 402 },
      message: expect.stringContaining('excessive number of creation and deletion attempts'),
    });
    clock += 30 * DAY_MS;
    const later = await client.send(new CreateInstanceCommand(samlInstanceInput('one-too-many')));
    expect(later.Id).toBeTruthy();
  });
});

describe('Connect users on a SAML instance', () => {
  let sb: Sandbox;
  let client: ConnectClient;
  let instance: Awaited<ReturnType<typeof activeInstance>>;

  beforeAll(async () => {
    sb = await startTestSandbox({ instanceCreationMs: CREATION_MS, now });
    client = connectClient(sb);
    instance = await activeInstance(client, 'users-cc');
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('creates and describes a user', async () => {
    const created = await client.send(
      new CreateUserCommand(
        userInput(instance, 'jane.doe@example.com', {
          IdentityInfo: {
            FirstName: 'Jane',
            LastName: 'Doe',
            SecondaryEmail: 'jane@example.org',
            Mobile: '+12065550100',
          },
          PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 30 },
          Tags: { dept: 'sales' },
        }),
      ),
    );
    expect(created.UserArn).toBe(`${instance.arn}/agent/${created.UserId}`);
    const described = await client.send(
      new DescribeUserCommand({ InstanceId: instance.id, UserId: created.UserId }),
    );
    expect(described.User).toMatchObject({
      Id: created.UserId,
      Arn: created.UserArn,
      Username: 'jane.doe@example.com',
      IdentityInfo: {
        FirstName: 'Jane',
        LastName: 'Doe',
        SecondaryEmail: 'jane@example.org',
        Mobile: '+12065550100',
      },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 30 },
      SecurityProfileIds: [instance.agent],
      RoutingProfileId: instance.routing,
      Tags: { dept: 'sales' },
      LastModifiedRegion: sb.aws.region,
    });
    expect(described.User?.LastModifiedTime).toEqual(new Date(clock));
  });

  it('rejects a password, a directory user id and an e-mail, and requires first and last names', async () => {
    const cases: [Partial<CreateUserCommandInput>, string][] = [
      [{ Password: 'Passw0rd!' }, 'Password is not required for this directory type'],
      [{ DirectoryUserId: 'dir-user' }, 'DirectoryUserId is not required for this directory type'],
      [
        { IdentityInfo: { FirstName: 'A', LastName: 'B', Email: 'a@example.com' } },
        'Email is not required for this directory type',
      ],
      [{ IdentityInfo: { LastName: 'B' } }, 'FirstName is required for this directory type'],
      [{ IdentityInfo: { FirstName: 'A', LastName: '' } }, 'LastName is required for this directory type'],
      [{ IdentityInfo: undefined }, 'FirstName is required for this directory type'],
    ];
    for (const [extra, message] of cases) {
      await expect(
        client.send(new CreateUserCommand(userInput(instance, 'rules', extra))),
        message,
      ).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message,
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  it('validates phone numbers and the password form against the model before the directory rules', async () => {
    const badMobile = userInput(instance, 'phones', {
      IdentityInfo: { FirstName: 'A', LastName: 'B', Mobile: '555-0100' },
    });
    await expect(client.send(new CreateUserCommand(badMobile))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("'identityInfo.mobile' failed to satisfy constraint"),
    });
    const badDesk = userInput(instance, 'phones', {
      PhoneConfig: { PhoneType: 'DESK_PHONE', DeskPhoneNumber: '12' },
    });
    await expect(client.send(new CreateUserCommand(badDesk))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("'phoneConfig.deskPhoneNumber'"),
    });
    const error = await client
      .send(new CreateUserCommand(userInput(instance, 'phones', { Password: 'short' })))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("'password'"),
    });
    // The password is @sensitive: never echoed.
    expect((error as Error).message).not.toContain('short');
    const ok = await client.send(
      new CreateUserCommand(
        userInput(instance, 'phones', {
          IdentityInfo: { FirstName: 'A', LastName: 'B', Mobile: '+442071838750' },
          PhoneConfig: { PhoneType: 'DESK_PHONE', DeskPhoneNumber: '+12065550100' },
        }),
      ),
    );
    expect(ok.UserId).toBeTruthy();
  });

  it('applies the SAML username rules', async () => {
    for (const username of ['has space', 'semi;colon', 'user@example', 'x'.repeat(65), 'ümlaut']) {
      await expect(
        client.send(new CreateUserCommand(userInput(instance, username))),
        username,
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        $metadata: { httpStatusCode: 400 },
      });
    }
    // Over the model's 100 characters: the model validation answers first.
    await expect(
      client.send(new CreateUserCommand(userInput(instance, 'y'.repeat(101)))),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining(
        "'username' failed to satisfy constraint: Member must have length less than or equal to 100",
      ),
    });
    const ok = await client.send(new CreateUserCommand(userInput(instance, `a_b-c.d@e-f.example.com`)));
    expect(ok.UserId).toBeTruthy();
    const long = await client.send(new CreateUserCommand(userInput(instance, 'z'.repeat(64))));
    expect(long.UserId).toBeTruthy();
  });

  it('treats usernames case-sensitively and refuses an exact duplicate', async () => {
    const upper = await client.send(new CreateUserCommand(userInput(instance, 'Jane')));
    const lower = await client.send(new CreateUserCommand(userInput(instance, 'jane')));
    expect(lower.UserId).not.toBe(upper.UserId);
    await expect(client.send(new CreateUserCommand(userInput(instance, 'Jane')))).rejects.toMatchObject({
      name: 'DuplicateResourceException',
      $metadata: { httpStatusCode: 409 },
    });
    const found = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: 'Jane', ComparisonType: 'EXACT' },
        },
      }),
    );
    expect(found.Users?.map((u) => u.Id)).toEqual([upper.UserId]);
    expect(found.ApproximateTotalCount).toBe(1);
    const none = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: 'JANE', ComparisonType: 'EXACT' },
        },
      }),
    );
    expect(none.Users).toEqual([]);
    expect(none.ApproximateTotalCount).toBe(0);
  });

  it('checks the security and routing profiles', async () => {
    await expect(
      client.send(
        new CreateUserCommand(userInput(instance, 'nobody', { SecurityProfileIds: ['no-such-profile'] })),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(
        new CreateUserCommand(userInput(instance, 'nobody', { RoutingProfileId: 'no-such-routing' })),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(new CreateUserCommand(userInput(instance, 'nobody', { SecurityProfileIds: [] }))),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining("'securityProfileIds' failed to satisfy constraint"),
    });
    await expect(
      client.send(
        new CreateUserCommand(
          userInput(instance, 'nobody', { SecurityProfileIds: Array(11).fill(instance.agent) }),
        ),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(
        new CreateUserCommand(userInput(instance, 'nobody', { PhoneConfig: { PhoneType: 'DESK_PHONE' } })),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('DeskPhoneNumber'),
    });
  });

  it('updates security profiles, routing profile and identity info, and deletes a user', async () => {
    const created = await client.send(new CreateUserCommand(userInput(instance, 'updatable')));
    const userId = created.UserId as string;
    clock += 1000;
    await client.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: instance.id,
        UserId: userId,
        SecurityProfileIds: [instance.admin, instance.agent],
      }),
    );
    await client.send(
      new UpdateUserRoutingProfileCommand({
        InstanceId: instance.id,
        UserId: userId,
        RoutingProfileId: instance.routing,
      }),
    );
    await client.send(
      new UpdateUserIdentityInfoCommand({
        InstanceId: instance.id,
        UserId: userId,
        IdentityInfo: { FirstName: 'Up', LastName: 'Dated' },
      }),
    );
    await expect(
      client.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: instance.id,
          UserId: userId,
          IdentityInfo: { FirstName: 'Up', LastName: 'Dated', Email: 'up@example.com' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: 'Email is not required for this directory type',
    });
    await expect(
      client.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: instance.id,
          UserId: userId,
          SecurityProfileIds: ['nope'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const described = await client.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: userId }));
    expect(described.User).toMatchObject({
      SecurityProfileIds: [instance.admin, instance.agent],
      IdentityInfo: { FirstName: 'Up', LastName: 'Dated' },
      LastModifiedTime: new Date(clock),
    });

    await client.send(new DeleteUserCommand({ InstanceId: instance.id, UserId: userId }));
    await expect(
      client.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: userId })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    // The username is free again.
    const again = await client.send(new CreateUserCommand(userInput(instance, 'updatable')));
    expect(again.UserId).not.toBe(userId);
  });

  it('handles a username that is also an Object.prototype key', async () => {
    const created = await client.send(new CreateUserCommand(userInput(instance, '__proto__')));
    const found = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: '__proto__', ComparisonType: 'EXACT' },
        },
      }),
    );
    expect(found.Users?.map((u) => u.Id)).toEqual([created.UserId]);
    await expect(client.send(new CreateUserCommand(userInput(instance, '__proto__')))).rejects.toMatchObject({
      name: 'DuplicateResourceException',
    });
    const ctor = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: 'constructor', ComparisonType: 'EXACT' },
        },
      }),
    );
    expect(ctor.Users).toEqual([]);
  });

  it('answers GetFederationToken for root credentials as AWS does: not a federated identity', async () => {
    await expect(
      client.send(new GetFederationTokenCommand({ InstanceId: instance.id })),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(
        /^Provided identity: Principal: arn:aws:iam::123456789012:root User: .+ cannot be used for federation with Amazon Connect$/,
      ),
    });
  });
});

describe('Connect user listing and search', () => {
  let sb: Sandbox;
  let client: ConnectClient;
  let instance: Awaited<ReturnType<typeof activeInstance>>;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    sb = await startTestSandbox({ instanceCreationMs: CREATION_MS, now });
    client = connectClient(sb);
    instance = await activeInstance(client, 'search-cc');
    for (let i = 0; i < 25; i++) {
      const username = `agent${String(i).padStart(2, '0')}`;
      const created = await client.send(
        new CreateUserCommand(
          userInput(instance, username, {
            IdentityInfo: { FirstName: i % 2 === 0 ? 'Even' : 'Odd', LastName: `Number${i}` },
            PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 5 },
            ...(i < 3 ? { Tags: { shift: 'night' } } : {}),
          }),
        ),
      );
      ids.set(username, created.UserId as string);
    }
  });
  afterAll(async () => {
    await sb.stop();
  });

  it('pages ListUsers', async () => {
    const first = await client.send(new ListUsersCommand({ InstanceId: instance.id, MaxResults: 10 }));
    expect(first.UserSummaryList).toHaveLength(10);
    expect(first.UserSummaryList?.[0]).toMatchObject({
      Id: ids.get('agent00'),
      Arn: `${instance.arn}/agent/${ids.get('agent00')}`,
      Username: 'agent00',
      LastModifiedRegion: sb.aws.region,
    });
    const usernames: string[] = [];
    for await (const page of paginateListUsers({ client, pageSize: 10 }, { InstanceId: instance.id })) {
      usernames.push(...(page.UserSummaryList ?? []).map((u) => u.Username as string));
    }
    expect(usernames).toEqual([...ids.keys()]);
    await expect(
      client.send(new ListUsersCommand({ InstanceId: instance.id, MaxResults: 1001 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('resumes a ListUsers page correctly after a user of the previous page was deleted', async () => {
    const first = await client.send(new ListUsersCommand({ InstanceId: instance.id, MaxResults: 5 }));
    const gone = first.UserSummaryList?.[1]?.Id as string;
    await client.send(new DeleteUserCommand({ InstanceId: instance.id, UserId: gone }));
    const second = await client.send(
      new ListUsersCommand({ InstanceId: instance.id, MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.UserSummaryList?.[0]?.Username).toBe('agent05');
    ids.delete('agent01');
  });

  it('searches by CONTAINS, STARTS_WITH, AND/OR conditions and tags, with paging and ApproximateTotalCount', async () => {
    const contains = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        MaxResults: 4,
        SearchCriteria: {
          StringCondition: { FieldName: 'FirstName', Value: 'even', ComparisonType: 'CONTAINS' },
        },
      }),
    );
    expect(contains.ApproximateTotalCount).toBe(13);
    expect(contains.Users).toHaveLength(4);
    expect(contains.Users?.[0]).toMatchObject({
      Username: 'agent00',
      IdentityInfo: { FirstName: 'Even', LastName: 'Number0' },
      // SearchUsers reports AfterContactWorkTimeLimit in milliseconds.
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AfterContactWorkTimeLimit: 5000 },
      SecurityProfileIds: [instance.agent],
      RoutingProfileId: instance.routing,
      Tags: { shift: 'night' },
    });
    const seen = [...(contains.Users ?? [])];
    let token = contains.NextToken;
    while (token) {
      const page = await client.send(
        new SearchUsersCommand({
          InstanceId: instance.id,
          MaxResults: 4,
          NextToken: token,
          SearchCriteria: {
            StringCondition: { FieldName: 'FirstName', Value: 'even', ComparisonType: 'CONTAINS' },
          },
        }),
      );
      seen.push(...(page.Users ?? []));
      token = page.NextToken;
    }
    expect(seen.map((u) => u.Username)).toHaveLength(13);
    expect(new Set(seen.map((u) => u.Id)).size).toBe(13);

    const either = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        SearchCriteria: {
          OrConditions: [
            { StringCondition: { FieldName: 'Username', Value: 'agent1', ComparisonType: 'STARTS_WITH' } },
            { StringCondition: { FieldName: 'Username', Value: 'agent24', ComparisonType: 'EXACT' } },
          ],
        },
      }),
    );
    expect(either.Users?.map((u) => u.Username).sort()).toEqual([
      'agent10',
      'agent11',
      'agent12',
      'agent13',
      'agent14',
      'agent15',
      'agent16',
      'agent17',
      'agent18',
      'agent19',
      'agent24',
    ]);
    const both = await client.send(
      new SearchUsersCommand({
        InstanceId: instance.id,
        SearchFilter: { TagFilter: { TagCondition: { TagKey: 'shift', TagValue: 'night' } } },
        SearchCriteria: {
          AndConditions: [
            { StringCondition: { FieldName: 'FirstName', Value: 'Even', ComparisonType: 'EXACT' } },
          ],
        },
      }),
    );
    expect(both.Users?.map((u) => u.Username)).toEqual(['agent00', 'agent02']);
    await expect(
      client.send(
        new SearchUsersCommand({
          InstanceId: instance.id,
          SearchCriteria: { StringCondition: { FieldName: 'Shoe', Value: 'x', ComparisonType: 'EXACT' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('tags and untags instances and users', async () => {
    const userArn = `${instance.arn}/agent/${ids.get('agent03')}`;
    await client.send(
      new TagResourceCommand({ resourceArn: instance.arn, tags: { env: 'test', owner: 'me' } }),
    );
    await client.send(new TagResourceCommand({ resourceArn: userArn, tags: { role: 'agent' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: instance.arn }))).tags).toEqual({
      env: 'test',
      owner: 'me',
    });
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: userArn }))).tags).toEqual({
      role: 'agent',
    });
    await client.send(new UntagResourceCommand({ resourceArn: instance.arn, tagKeys: ['owner', 'absent'] }));
    const described = await client.send(new DescribeInstanceCommand({ InstanceId: instance.id }));
    expect(described.Instance?.Tags).toEqual({ env: 'test' });
    await expect(
      client.send(new TagResourceCommand({ resourceArn: instance.arn, tags: { 'aws:reserved': 'x' } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      client.send(new ListTagsForResourceCommand({ resourceArn: `${instance.arn}/agent/no-such-user` })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(
        new ListTagsForResourceCommand({
          resourceArn: 'arn:aws:connect:us-east-1:123456789012:instance/missing',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await expect(
      client.send(new TagResourceCommand({ resourceArn: instance.arn, tags: tooMany })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

describe('Connect with IAM-user credentials and a state file', () => {
  it('checks the IAM user permission, then refuses GetFederationToken to an identity that is not federated', async () => {
    // This sandbox runs on the real clock: no time travel, so plain clients sign correctly.
    const sb = await startTestSandbox({ instanceCreationMs: 0 });
    try {
      const root = connectClient(sb);
      const { Id: instanceId } = await root.send(new CreateInstanceCommand(samlInstanceInput('iam-user-cc')));
      const iam = iamClient(sb);
      const user = await iam.send(new CreateIamUserCommand({ UserName: 'connect-operator' }));
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'connect-operator' }));
      const credentials = {
        accessKeyId: key.AccessKey?.AccessKeyId as string,
        secretAccessKey: key.AccessKey?.SecretAccessKey as string,
      };
      const operator = connectClient(sb, { credentials });
      await expect(
        operator.send(new GetFederationTokenCommand({ InstanceId: instanceId })),
      ).rejects.toMatchObject({
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
        message: expect.stringContaining('connect:GetFederationToken'),
      });
      const policy = await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'federate',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'connect:GetFederationToken', Resource: '*' }],
          }),
        }),
      );
      await iam.send(
        new AttachUserPolicyCommand({ UserName: 'connect-operator', PolicyArn: policy.Policy?.Arn }),
      );
      await expect(
        operator.send(new GetFederationTokenCommand({ InstanceId: instanceId })),
      ).rejects.toMatchObject({
        name: 'InvalidRequestException',
        message: `Provided identity: Principal: arn:aws:iam::123456789012:user/connect-operator User: ${user.User?.UserId} cannot be used for federation with Amazon Connect`,
      });
    } finally {
      await sb.stop();
    }
  });

  it('keeps instances and users across a restart with a state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-connect-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestSandbox({ instanceCreationMs: 0, now, stateFile });
      const client = connectClient(first);
      const instance = await activeInstance(client, 'persisted-cc');
      const odd = await client.send(new CreateUserCommand(userInput(instance, '__proto__')));
      await first.stop();

      const second = await startTestSandbox({ instanceCreationMs: 0, now, stateFile });
      try {
        const again = connectClient(second);
        const described = await again.send(
          new DescribeUserCommand({ InstanceId: instance.id, UserId: odd.UserId }),
        );
        expect(described.User?.Username).toBe('__proto__');
        await expect(
          again.send(new CreateUserCommand(userInput(instance, '__proto__'))),
        ).rejects.toMatchObject({
          name: 'DuplicateResourceException',
        });
        await expect(
          again.send(new CreateInstanceCommand(samlInstanceInput('Persisted-CC'))),
        ).rejects.toMatchObject({
          name: 'InvalidRequestException',
        });
        const profiles = await again.send(new ListSecurityProfilesCommand({ InstanceId: instance.id }));
        expect(profiles.SecurityProfileSummaryList?.find((p) => p.Name === 'Agent')?.Id).toBe(instance.agent);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
