/**
 * destroyConnectUsers against the sandbox with the real Connect client: the users this stack created
 * (by their tags), each after the quick connects that name it; users it did not create stay, and the
 * config's usernames among them are reported.
 */
import {
  type ConnectClient,
  CreateQuickConnectCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DeleteUserCommand,
  ListQuickConnectsCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SsoContext } from '../../../src/core/context.js';
import type { DestroyRecord } from '../../../src/core/destroy-step.js';
import { ConfigError, ConflictError } from '../../../src/core/errors.js';
import { ownershipTagMap } from '../../../src/providers/aws/tags.js';
import { createSamlInstance } from '../../../src/resources/connect-instance/ensure.js';
import { ensureConnectUser, resolveConnectProfiles } from '../../../src/resources/users/connect-user.js';
import { destroyConnectUsers } from '../../../src/resources/users/destroy.js';
import { connectClient, sandboxContext, sandboxSuite, startTestSandbox } from '../../helpers.js';

const suite = sandboxSuite();
const { ctx, writeOps } = suite;
let connect: ConnectClient;
let instanceId: string;
beforeAll(async () => {
  connect = connectClient(suite.sb);
  const instance = await createSamlInstance(sandboxContext(suite.sb, { stack: 'acme-cc' }), {
    alias: 'acme-cc',
    wait: { timeoutMs: 5000, pollIntervalMs: 10 },
  });
  instanceId = instance.instanceId as string;
});
const usernames = () =>
  Object.values(suite.sb.state().connect.instances[instanceId]?.users ?? {})
    .map((u) => u.username)
    .sort();
const FLOW = '00000000-0000-4000-8000-000000000001';

type Profiles = Awaited<ReturnType<typeof resolveConnectProfiles>>;

/** The guide's default profiles (Agent, Basic Routing Profile) resolved in an instance. */
const agentProfiles = (c: SsoContext, id: string): Promise<Profiles> =>
  resolveConnectProfiles(c, id, { securityProfiles: ['Agent'], routingProfile: 'Basic Routing Profile' });

/** A Connect user made by the library, so tagged with the context's stack. */
async function libraryUser(c: SsoContext, id: string, username: string, profiles: Profiles): Promise<string> {
  const made = await ensureConnectUser(c, {
    instanceId: id,
    username,
    firstName: 'A',
    lastName: 'B',
    phoneType: 'SOFT_PHONE',
    profiles,
    manageSecurityProfiles: false,
    manageRoutingProfile: false,
    dryRun: false,
  });
  return made.userId as string;
}

async function user(username: string, stack: string): Promise<string> {
  return libraryUser(ctx(stack), instanceId, username, await agentProfiles(ctx(stack), instanceId));
}

async function handMadeUser(username: string): Promise<string> {
  const profiles = await agentProfiles(ctx(), instanceId);
  const out = await connect.send(
    new CreateUserCommand({
      InstanceId: instanceId,
      Username: username,
      IdentityInfo: { FirstName: 'C', LastName: 'D' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      SecurityProfileIds: profiles.securityProfiles.map((p) => p.id),
      RoutingProfileId: profiles.routingProfile.id,
    }),
  );
  return out.UserId as string;
}

async function quickConnect(name: string, userId: string): Promise<void> {
  await connect.send(
    new CreateQuickConnectCommand({
      InstanceId: instanceId,
      Name: name,
      QuickConnectConfig: { QuickConnectType: 'USER', UserConfig: { UserId: userId, ContactFlowId: FLOW } },
    }),
  );
}

async function quickConnectNames(): Promise<string[]> {
  const out = await connect.send(new ListQuickConnectsCommand({ InstanceId: instanceId }));
  return (out.QuickConnectSummaryList ?? []).map((q) => q.Name as string).sort();
}

describe('destroyConnectUsers', () => {
  it('deletes the quick connects of each of its users, then the user; leaves the rest; a re-run writes nothing', async () => {
    const jane = await user('jane.doe@acme.com', 'acme-cc');
    await user('agent1@acme.com', 'acme-cc');
    const other = await user('agent9@acme.com', 'other-stack');
    await handMadeUser('manager@acme.com');
    await quickConnect('Transfer to Jane', jane);
    await quickConnect('Transfer to agent9', other);
    suite.sb.resetRequests();

    const names = ['jane.doe@acme.com', 'agent1@acme.com', 'manager@acme.com', 'nobody@acme.com'];
    const planned = await destroyConnectUsers(ctx(), { instanceId, usernames: names, dryRun: true });
    expect(planned.map((r) => [r.kind, r.resource, r.action])).toEqual([
      ['connect-user', 'connect user manager@acme.com', 'foreign'],
      ['connect-user', 'connect user agent1@acme.com', 'delete'],
      ['connect-quick-connect', "connect quick connect 'Transfer to Jane'", 'delete'],
      ['connect-user', 'connect user jane.doe@acme.com', 'delete'],
    ]);
    expect(planned[0]?.reason).toContain('was not created by connect-okta-sso');
    expect(planned[3]?.reason).toBe('after its 1 quick connect(s), delete the user');
    expect(writeOps()).toEqual([]);

    const done = await destroyConnectUsers(ctx(), { instanceId, usernames: names });
    expect(done.map((r) => r.action)).toEqual(['foreign', 'delete', 'delete', 'delete']);
    expect(writeOps()).toEqual(['DeleteUser', 'DeleteQuickConnect', 'DeleteUser']);
    expect(usernames()).toEqual(['agent9@acme.com', 'manager@acme.com']);
    // Another stack's user keeps its quick connect.
    expect(await quickConnectNames()).toEqual(['Transfer to agent9']);

    suite.sb.resetRequests();
    const again = await destroyConnectUsers(ctx(), { instanceId, usernames: names });
    expect(again.map((r) => r.action)).toEqual(['foreign']);
    expect(writeOps()).toEqual([]);
  });

  it('reports a quick connect left behind by a user deleted without it, with the fix, and keeps it', async () => {
    const gone = await handMadeUser('gone@acme.com');
    await quickConnect('Transfer to the departed', gone);
    await connect.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: gone }));
    suite.sb.resetRequests();
    const records = await destroyConnectUsers(ctx(), { instanceId });
    expect(records).toEqual([
      expect.objectContaining({
        kind: 'connect-quick-connect',
        resource: "connect quick connect 'Transfer to the departed'",
        action: 'foreign',
        reason: expect.stringContaining(`which no longer exists`),
      }),
    ]);
    expect(records[0]?.reason).toContain(
      `aws connect delete-quick-connect --instance-id ${instanceId} --quick-connect-id ${records[0]?.id}`,
    );
    expect(writeOps()).toEqual([]);
    expect(await quickConnectNames()).toContain('Transfer to the departed');
  });

  it('refuses an instance ARN or a bad id before any request', async () => {
    await expect(
      destroyConnectUsers(ctx(), {
        instanceId: `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}`,
      }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(suite.sb.requests()).toEqual([]);
  });
});

describe('destroyConnectUsers: the no-access security profile of offboard: strip', () => {
  /** A security profile as syncUsers' strip makes it: no permissions, tagged with `stack` (or untagged). */
  async function noAccessProfile(name: string, stack: string | undefined): Promise<string> {
    const made = await connect.send(
      new CreateSecurityProfileCommand({
        InstanceId: instanceId,
        SecurityProfileName: name,
        Permissions: [],
        ...(stack ? { Tags: ownershipTagMap({ stack }) } : {}),
      }),
    );
    return made.SecurityProfileId as string;
  }
  const profileNames = () =>
    Object.values(suite.sb.state().connect.instances[instanceId]?.securityProfiles ?? {}).map((p) => p.name);
  // The instance still holds an earlier test's dangling quick connect (reported each run): left out here.
  const profileRecords = (records: DestroyRecord[]) =>
    records.filter((r) => r.kind === 'connect-security-profile');
  const strip = (userId: string, profileId: string) =>
    connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: instanceId,
        UserId: userId,
        SecurityProfileIds: [profileId],
      }),
    );

  it('deletes this stack’s profile after the users; a dry run writes nothing; a re-run writes nothing', async () => {
    const profile = await noAccessProfile('cos-no-access', 'acme-cc');
    await strip(await user('stripped@acme.com', 'acme-cc'), profile);
    suite.sb.resetRequests();
    const input = { instanceId, noAccessSecurityProfile: 'cos-no-access' };
    const planned = await destroyConnectUsers(ctx(), { ...input, dryRun: true });
    expect(planned.map((r) => [r.kind, r.resource, r.action]).at(-1)).toEqual([
      'connect-security-profile',
      "connect security profile 'cos-no-access'",
      'delete',
    ]);
    expect(writeOps()).toEqual([]);

    const done = await destroyConnectUsers(ctx(), input);
    expect(done.at(-1)).toMatchObject({ kind: 'connect-security-profile', id: profile, action: 'delete' });
    // The user first: Connect refuses to delete a profile a user has.
    expect(writeOps()).toEqual(['DeleteUser', 'DeleteSecurityProfile']);
    expect(profileNames()).not.toContain('cos-no-access');

    suite.sb.resetRequests();
    expect(profileRecords(await destroyConnectUsers(ctx(), input))).toEqual([]);
    expect(writeOps()).toEqual([]);
  });

  it('a profile of that name it did not make is foreign; one a hand-made user holds is a ConflictError with the fix', async () => {
    const foreign = await destroyConnectUsers(ctx(), {
      instanceId,
      noAccessSecurityProfile: 'QualityAnalyst',
    });
    expect(profileRecords(foreign)).toEqual([
      expect.objectContaining({
        kind: 'connect-security-profile',
        action: 'foreign',
        reason: expect.stringContaining('was not created by connect-okta-sso'),
      }),
    ]);

    const held = await noAccessProfile('held-no-access', 'acme-cc');
    await strip(await handMadeUser('held@acme.com'), held);
    suite.sb.resetRequests();
    const error = await destroyConnectUsers(ctx(), {
      instanceId,
      noAccessSecurityProfile: 'held-no-access',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      resource: "connect security profile 'held-no-access'",
      message: expect.stringMatching(/Give them another security profile, then run the teardown again\.$/),
    });
    expect(profileNames()).toContain('held-no-access');
    expect(usernames()).toContain('held@acme.com');
  });
});

describe('destroyConnectUsers under realistic rate limits', () => {
  it('paces DeleteUser to the 2-a-second quota with no failed call', async () => {
    const limited = await startTestSandbox({ rateLimits: 'realistic' });
    try {
      const c = sandboxContext(limited, { stack: 'acme-cc', maxAttempts: 1 });
      const instance = await createSamlInstance(c, {
        alias: 'paced',
        wait: { timeoutMs: 5000, pollIntervalMs: 10 },
      });
      const id = instance.instanceId as string;
      const profiles = await agentProfiles(c, id);
      for (let i = 0; i < 8; i++) {
        for (;;) {
          try {
            await libraryUser(c, id, `agent${i}@acme.com`, profiles);
            break;
          } catch (error) {
            if ((error as { providerCode?: string }).providerCode !== 'ThrottlingException') throw error;
            await new Promise((r) => setTimeout(r, 300));
          }
        }
      }
      limited.resetRequests();
      const done = await destroyConnectUsers(c, { instanceId: id });
      expect(done.filter((r) => r.action === 'delete')).toHaveLength(8);
      expect(Object.keys(limited.state().connect.instances[id]?.users ?? {})).toEqual([]);
      // Throttled calls were retried; none failed for good.
      const deletes = limited.requests().filter((r) => r.operation === 'DeleteUser');
      expect(deletes.filter((r) => r.status === 200)).toHaveLength(8);
      expect(deletes.length).toBeGreaterThan(8);
    } finally {
      await limited.stop();
    }
  });
});
