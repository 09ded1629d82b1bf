/**
 * What the day-two lifecycle (sync, mappings, destroy) needs from the emulated Amazon Connect, driven by
 * the real @aws-sdk/client-connect: the agent hierarchy, routing profiles, quick connects left behind by
 * DeleteUser, SecondaryEmail (not Email) on SAML users, ListUsers pages of 1,000, and the user-write
 * quota of 2/s per account and region, shared across instances.
 */
import {
  type ConnectClient,
  CreateInstanceCommand,
  CreateQuickConnectCommand,
  CreateRoutingProfileCommand,
  CreateUserCommand,
  CreateUserHierarchyGroupCommand,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeQuickConnectCommand,
  DescribeRoutingProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  ListQueuesCommand,
  ListQuickConnectsCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListTagsForResourceCommand,
  ListUserHierarchyGroupsCommand,
  ListUsersCommand,
  paginateListUsers,
  SearchUsersCommand,
  UpdateUserHierarchyCommand,
  UpdateUserHierarchyStructureCommand,
  UpdateUserIdentityInfoCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { connectClient, sdkFailure, startTestSandbox } from '../helpers.js';

interface Instance {
  id: string;
  arn: string;
  agent: string;
  routing: string;
  queue: string;
}

async function samlInstance(connect: ConnectClient, alias: string): Promise<Instance> {
  const created = await connect.send(
    new CreateInstanceCommand({
      IdentityManagementType: 'SAML',
      InstanceAlias: alias,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const id = created.Id ?? '';
  const security = await connect.send(new ListSecurityProfilesCommand({ InstanceId: id }));
  const routing = await connect.send(new ListRoutingProfilesCommand({ InstanceId: id }));
  const queues = await connect.send(new ListQueuesCommand({ InstanceId: id, QueueTypes: ['STANDARD'] }));
  return {
    id,
    arn: created.Arn ?? '',
    agent: security.SecurityProfileSummaryList?.find((p) => p.Name === 'Agent')?.Id ?? '',
    routing: routing.RoutingProfileSummaryList?.find((p) => p.Name === 'Basic Routing Profile')?.Id ?? '',
    queue: queues.QueueSummaryList?.find((q) => q.Name === 'BasicQueue')?.Id ?? '',
  };
}

function createUser(connect: ConnectClient, instance: Instance, username: string, extra = {}) {
  return connect.send(
    new CreateUserCommand({
      InstanceId: instance.id,
      Username: username,
      IdentityInfo: { FirstName: 'Agent', LastName: username },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      SecurityProfileIds: [instance.agent],
      RoutingProfileId: instance.routing,
      ...extra,
    }),
  );
}

describe('the agent hierarchy', () => {
  let sb: Sandbox;
  let connect: ConnectClient;
  let instance: Instance;
  beforeAll(async () => {
    sb = await startTestSandbox();
    connect = connectClient(sb);
    instance = await samlInstance(connect, 'hierarchy-cc');
  });
  afterAll(() => sb.stop());

  it('needs its levels before its groups, and nests groups one level down', async () => {
    const early = await sdkFailure(
      connect.send(new CreateUserHierarchyGroupCommand({ InstanceId: instance.id, Name: 'Floor1' })),
    );
    expect(early).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    expect(early.message).toContain('UpdateUserHierarchyStructure');
    expect(
      (await connect.send(new DescribeUserHierarchyStructureCommand({ InstanceId: instance.id })))
        .HierarchyStructure,
    ).toEqual({});

    await connect.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: instance.id,
        HierarchyStructure: { LevelOne: { Name: 'Floor' }, LevelTwo: { Name: 'Team' } },
      }),
    );
    const structure = await connect.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: instance.id }),
    );
    expect(structure.HierarchyStructure?.LevelOne?.Name).toBe('Floor');
    expect(structure.HierarchyStructure?.LevelTwo?.Name).toBe('Team');
    expect(structure.HierarchyStructure?.LevelThree).toBeUndefined();

    const floor = await connect.send(
      new CreateUserHierarchyGroupCommand({ InstanceId: instance.id, Name: 'Floor1', Tags: { env: 'dev' } }),
    );
    const team = await connect.send(
      new CreateUserHierarchyGroupCommand({
        InstanceId: instance.id,
        Name: 'TeamA',
        ParentGroupId: floor.HierarchyGroupId,
      }),
    );
    expect(team.HierarchyGroupArn).toBe(`${instance.arn}/agent-group/${team.HierarchyGroupId}`);
    // Below the last level there is no room.
    const tooDeep = await sdkFailure(
      connect.send(
        new CreateUserHierarchyGroupCommand({
          InstanceId: instance.id,
          Name: 'Pod',
          ParentGroupId: team.HierarchyGroupId,
        }),
      ),
    );
    expect(tooDeep).toMatchObject({ name: 'InvalidRequestException' });
    // Siblings have distinct names; the same name elsewhere is fine.
    expect(
      await sdkFailure(
        connect.send(
          new CreateUserHierarchyGroupCommand({
            InstanceId: instance.id,
            Name: 'TeamA',
            ParentGroupId: floor.HierarchyGroupId,
          }),
        ),
      ),
    ).toMatchObject({ name: 'DuplicateResourceException', status: 409 });
    await connect.send(new CreateUserHierarchyGroupCommand({ InstanceId: instance.id, Name: 'TeamA' }));

    const described = await connect.send(
      new DescribeUserHierarchyGroupCommand({
        InstanceId: instance.id,
        HierarchyGroupId: team.HierarchyGroupId,
      }),
    );
    expect(described.HierarchyGroup).toMatchObject({
      Id: team.HierarchyGroupId,
      Name: 'TeamA',
      LevelId: structure.HierarchyStructure?.LevelTwo?.Id,
      HierarchyPath: {
        LevelOne: { Id: floor.HierarchyGroupId, Name: 'Floor1' },
        LevelTwo: { Id: team.HierarchyGroupId, Name: 'TeamA' },
      },
    });
    expect(described.HierarchyGroup?.HierarchyPath?.LevelThree).toBeUndefined();
    expect(
      (await connect.send(new ListTagsForResourceCommand({ resourceArn: floor.HierarchyGroupArn }))).tags,
    ).toEqual({ env: 'dev' });

    const listed = await connect.send(
      new ListUserHierarchyGroupsCommand({ InstanceId: instance.id, MaxResults: 2 }),
    );
    expect(listed.UserHierarchyGroupSummaryList?.map((g) => g.Name)).toEqual(['Floor1', 'TeamA']);
    expect(listed.NextToken).toBeDefined();
    const rest = await connect.send(
      new ListUserHierarchyGroupsCommand({ InstanceId: instance.id, NextToken: listed.NextToken }),
    );
    expect(rest.UserHierarchyGroupSummaryList?.map((g) => g.Name)).toEqual(['TeamA']);

    // A level that still has groups cannot go.
    expect(
      await sdkFailure(
        connect.send(
          new UpdateUserHierarchyStructureCommand({
            InstanceId: instance.id,
            HierarchyStructure: { LevelOne: { Name: 'Floor' } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceInUseException', status: 409 });
  });

  it('puts users in a group and takes them out; SearchUsers finds them by group, with child groups', async () => {
    const groups = await connect.send(new ListUserHierarchyGroupsCommand({ InstanceId: instance.id }));
    const state = sb.state().connect.instances[instance.id];
    const floor = Object.values(state?.hierarchyGroups ?? {}).find(
      (g) => g.name === 'Floor1' && g.level === 1,
    );
    const team = Object.values(state?.hierarchyGroups ?? {}).find((g) => g.parentId === floor?.id);
    expect(groups.UserHierarchyGroupSummaryList).toHaveLength(3);
    const user = await createUser(connect, instance, 'jane.doe@acme.com', { HierarchyGroupId: team?.id });
    expect(
      (await connect.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: user.UserId }))).User
        ?.HierarchyGroupId,
    ).toBe(team?.id);
    expect(
      await sdkFailure(
        createUser(connect, instance, 'nobody@acme.com', {
          HierarchyGroupId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        }),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });

    const search = (type: 'EXACT' | 'WITH_CHILD_GROUPS') =>
      connect.send(
        new SearchUsersCommand({
          InstanceId: instance.id,
          SearchCriteria: {
            HierarchyGroupCondition: { Value: floor?.id, HierarchyGroupMatchType: type },
          },
        }),
      );
    expect((await search('EXACT')).Users).toEqual([]);
    expect((await search('WITH_CHILD_GROUPS')).Users?.map((u) => u.Username)).toEqual(['jane.doe@acme.com']);

    await connect.send(
      new UpdateUserHierarchyCommand({
        InstanceId: instance.id,
        UserId: user.UserId,
        HierarchyGroupId: floor?.id,
      }),
    );
    expect((await search('EXACT')).Users?.map((u) => u.Username)).toEqual(['jane.doe@acme.com']);
    await connect.send(new UpdateUserHierarchyCommand({ InstanceId: instance.id, UserId: user.UserId }));
    expect(
      (await connect.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: user.UserId }))).User
        ?.HierarchyGroupId,
    ).toBeUndefined();
    expect(
      await sdkFailure(
        connect.send(
          new UpdateUserHierarchyCommand({
            InstanceId: instance.id,
            UserId: user.UserId,
            HierarchyGroupId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('routing profiles, identity info, quick connects', () => {
  let sb: Sandbox;
  let connect: ConnectClient;
  let instance: Instance;
  beforeAll(async () => {
    sb = await startTestSandbox();
    connect = connectClient(sb);
    instance = await samlInstance(connect, 'profiles-cc');
  });
  afterAll(() => sb.stop());

  it('creates a "Sales" routing profile users can be given; names are unique', async () => {
    const input = {
      InstanceId: instance.id,
      Name: 'Sales',
      Description: 'Sales agents',
      DefaultOutboundQueueId: instance.queue,
      MediaConcurrencies: [
        { Channel: 'VOICE' as const, Concurrency: 1 },
        { Channel: 'CHAT' as const, Concurrency: 3 },
      ],
      QueueConfigs: [
        { QueueReference: { QueueId: instance.queue, Channel: 'VOICE' as const }, Priority: 1, Delay: 0 },
      ],
    };
    const sales = await connect.send(new CreateRoutingProfileCommand(input));
    expect(sales.RoutingProfileArn).toBe(`${instance.arn}/routing-profile/${sales.RoutingProfileId}`);
    const listed = await connect.send(new ListRoutingProfilesCommand({ InstanceId: instance.id }));
    expect(listed.RoutingProfileSummaryList?.map((p) => p.Name)).toEqual(['Basic Routing Profile', 'Sales']);
    expect(await sdkFailure(connect.send(new CreateRoutingProfileCommand(input)))).toMatchObject({
      name: 'DuplicateResourceException',
      status: 409,
    });
    expect(
      await sdkFailure(
        connect.send(
          new CreateRoutingProfileCommand({
            ...input,
            Name: 'Nowhere',
            DefaultOutboundQueueId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    // The model's own rules: a description is required.
    expect(
      await sdkFailure(
        connect.send(
          new CreateRoutingProfileCommand({ ...input, Name: 'NoText', Description: undefined as never }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException', status: 400 });

    const user = await createUser(connect, instance, 'seller@acme.com', {
      RoutingProfileId: sales.RoutingProfileId,
    });
    const described = await connect.send(
      new DescribeRoutingProfileCommand({
        InstanceId: instance.id,
        RoutingProfileId: sales.RoutingProfileId,
      }),
    );
    expect(described.RoutingProfile).toMatchObject({
      Name: 'Sales',
      Description: 'Sales agents',
      DefaultOutboundQueueId: instance.queue,
      NumberOfAssociatedUsers: 1,
      NumberOfAssociatedQueues: 1,
      IsDefault: false,
      MediaConcurrencies: [
        { Channel: 'VOICE', Concurrency: 1 },
        { Channel: 'CHAT', Concurrency: 3 },
      ],
    });
    expect(
      (await connect.send(new DescribeUserCommand({ InstanceId: instance.id, UserId: user.UserId }))).User
        ?.RoutingProfileId,
    ).toBe(sales.RoutingProfileId);
    const basic = await connect.send(
      new DescribeRoutingProfileCommand({ InstanceId: instance.id, RoutingProfileId: instance.routing }),
    );
    expect(basic.RoutingProfile).toMatchObject({ IsDefault: true, DefaultOutboundQueueId: instance.queue });
  });

  it('refuses Email on a SAML instance’s user; SecondaryEmail is fine', async () => {
    const user = await createUser(connect, instance, 'mail@acme.com');
    const withEmail = await sdkFailure(
      connect.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: instance.id,
          UserId: user.UserId,
          IdentityInfo: { FirstName: 'Mail', LastName: 'User', Email: 'mail@acme.com' },
        }),
      ),
    );
    expect(withEmail).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    await connect.send(
      new UpdateUserIdentityInfoCommand({
        InstanceId: instance.id,
        UserId: user.UserId,
        IdentityInfo: { FirstName: 'Mail', LastName: 'User', SecondaryEmail: 'mail@acme.com' },
      }),
    );
    const described = await connect.send(
      new DescribeUserCommand({ InstanceId: instance.id, UserId: user.UserId }),
    );
    expect(described.User?.IdentityInfo).toEqual({
      FirstName: 'Mail',
      LastName: 'User',
      SecondaryEmail: 'mail@acme.com',
    });
    // CreateUser has the same rule.
    expect(
      await sdkFailure(
        createUser(connect, instance, 'mail2@acme.com', {
          IdentityInfo: { FirstName: 'M', LastName: 'U', Email: 'mail2@acme.com' },
        }),
      ),
    ).toMatchObject({ name: 'InvalidRequestException' });
  });

  it('quick connects name a user that must exist, and outlive DeleteUser until DeleteQuickConnect', async () => {
    const user = await createUser(connect, instance, 'transfer@acme.com');
    const flow = 'aaaaaaaa-0000-4000-8000-000000000001';
    const created = await connect.send(
      new CreateQuickConnectCommand({
        InstanceId: instance.id,
        Name: 'Transfer to Jane',
        QuickConnectConfig: {
          QuickConnectType: 'USER',
          UserConfig: { UserId: user.UserId, ContactFlowId: flow },
        },
      }),
    );
    expect(created.QuickConnectARN).toBe(`${instance.arn}/transfer-destination/${created.QuickConnectId}`);
    await connect.send(
      new CreateQuickConnectCommand({
        InstanceId: instance.id,
        Name: 'Support line',
        QuickConnectConfig: {
          QuickConnectType: 'PHONE_NUMBER',
          PhoneConfig: { PhoneNumber: '+14155550100' },
        },
      }),
    );
    expect(
      await sdkFailure(
        connect.send(
          new CreateQuickConnectCommand({
            InstanceId: instance.id,
            Name: 'Nobody',
            QuickConnectConfig: {
              QuickConnectType: 'USER',
              UserConfig: { UserId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', ContactFlowId: flow },
            },
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(
      await sdkFailure(
        connect.send(
          new CreateQuickConnectCommand({
            InstanceId: instance.id,
            Name: 'Mixed',
            QuickConnectConfig: { QuickConnectType: 'USER', PhoneConfig: { PhoneNumber: '+14155550100' } },
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });

    const users = await connect.send(
      new ListQuickConnectsCommand({ InstanceId: instance.id, QuickConnectTypes: ['USER'] }),
    );
    expect(users.QuickConnectSummaryList?.map((q) => [q.Name, q.QuickConnectType])).toEqual([
      ['Transfer to Jane', 'USER'],
    ]);

    // DeleteUser leaves the quick connect, pointing at a user that is gone.
    await connect.send(new DeleteUserCommand({ InstanceId: instance.id, UserId: user.UserId }));
    const left = await connect.send(
      new DescribeQuickConnectCommand({ InstanceId: instance.id, QuickConnectId: created.QuickConnectId }),
    );
    expect(left.QuickConnect?.QuickConnectConfig?.UserConfig).toEqual({
      UserId: user.UserId,
      ContactFlowId: flow,
    });
    expect(
      (await connect.send(new ListQuickConnectsCommand({ InstanceId: instance.id }))).QuickConnectSummaryList,
    ).toHaveLength(2);

    await connect.send(
      new DeleteQuickConnectCommand({ InstanceId: instance.id, QuickConnectId: created.QuickConnectId }),
    );
    expect(
      await sdkFailure(
        connect.send(
          new DescribeQuickConnectCommand({
            InstanceId: instance.id,
            QuickConnectId: created.QuickConnectId,
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(
      (
        await connect.send(new ListQuickConnectsCommand({ InstanceId: instance.id }))
      ).QuickConnectSummaryList?.map((q) => q.Name),
    ).toEqual(['Support line']);
  });
});

describe('ListUsers pages', () => {
  it('pages up to MaxResults 1000 and refuses 1001, as the model says', async () => {
    const sb = await startTestSandbox();
    try {
      const connect = connectClient(sb);
      const instance = await samlInstance(connect, 'many-cc');
      const total = 1_203;
      for (let start = 0; start < total; start += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, total - start) }, (_, i) =>
            createUser(connect, instance, `agent${start + i}`),
          ),
        );
      }
      const first = await connect.send(new ListUsersCommand({ InstanceId: instance.id, MaxResults: 1000 }));
      expect(first.UserSummaryList).toHaveLength(1000);
      expect(first.NextToken).toBeDefined();
      const second = await connect.send(
        new ListUsersCommand({ InstanceId: instance.id, MaxResults: 1000, NextToken: first.NextToken }),
      );
      expect(second.UserSummaryList).toHaveLength(203);
      expect(second.NextToken).toBeUndefined();
      const names = new Set(
        [...(first.UserSummaryList ?? []), ...(second.UserSummaryList ?? [])].map((u) => u.Username),
      );
      expect(names.size).toBe(total);
      // The SDK's paginator with the default page size of 100.
      let pages = 0;
      for await (const _ of paginateListUsers({ client: connect }, { InstanceId: instance.id })) pages++;
      expect(pages).toBe(13);
      expect(
        await sdkFailure(connect.send(new ListUsersCommand({ InstanceId: instance.id, MaxResults: 1001 }))),
      ).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    } finally {
      await sb.stop();
    }
  }, 60_000);
});

describe('the user-write quota (rateLimits: realistic)', () => {
  it('is 2/s, burst 5, per account and region, shared across instances; other regions have their own', async () => {
    let now = Date.UTC(2026, 10, 27, 12);
    const sb = await startTestSandbox({ rateLimits: 'realistic', now: () => now });
    try {
      const east = connectClient(sb);
      const a = await samlInstance(east, 'quota-a');
      const b = await samlInstance(east, 'quota-b');
      // Five writes across two instances use up the shared burst.
      await createUser(east, a, 'a1');
      await createUser(east, b, 'b1');
      await createUser(east, a, 'a2');
      await createUser(east, b, 'b2');
      await createUser(east, a, 'a3');
      expect(await sdkFailure(createUser(east, b, 'b3'))).toEqual({
        name: 'ThrottlingException',
        status: 429,
        message: 'Rate exceeded',
      });
      // Each user write has a quota of its own: DeleteUser is not spent by CreateUser.
      const doomed = sb.state().connect.instances[a.id]?.usernames.a1 ?? '';
      await east.send(new DeleteUserCommand({ InstanceId: a.id, UserId: doomed }));
      // Reads are not held back by the write quota.
      await east.send(new ListUsersCommand({ InstanceId: b.id }));

      // Another region of the same account has its own budget.
      const west = connectClient(sb, { region: 'us-west-2' });
      const c = await samlInstance(west, 'quota-c');
      for (let i = 0; i < 5; i++) await createUser(west, c, `c${i}`);
      expect(await sdkFailure(createUser(west, c, 'c5'))).toMatchObject({ name: 'ThrottlingException' });

      now += 1_000; // two tokens back in each region
      await createUser(east, b, 'b3');
      await createUser(east, a, 'a4');
      expect(await sdkFailure(createUser(east, a, 'a5'))).toMatchObject({ name: 'ThrottlingException' });
      const throttled = sb.requests().filter((r) => r.status === 429);
      expect(throttled.map((r) => [r.operation, r.errorCode])).toEqual([
        ['CreateUser', 'ThrottlingException'],
        ['CreateUser', 'ThrottlingException'],
        ['CreateUser', 'ThrottlingException'],
      ]);
    } finally {
      await sb.stop();
    }
  });
});
