/**
 * reconcileUsers against the sandbox with the real SDKs: the users of an app reconciled from paged list
 * calls, per-user failures, the manual checkpoint, and throttling under realistic rate limits.
 */
import {
  type ConnectClient,
  CreateUserCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedUser, ResolvedUserConnect } from '../../../src/config/types.js';
import { type Clock, systemClock } from '../../../src/core/context.js';
import { ConfigError, ConflictError, ManualActionRequiredError } from '../../../src/core/errors.js';
import { assignUser } from '../../../src/resources/users/assignment.js';
import { caseConflictError } from '../../../src/resources/users/connect-user.js';
import { reconcileUsers } from '../../../src/resources/users/reconcile.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { countByOperation, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { type GuideOptions, guideSetUp, resolvedUser } from '../../support/guide.js';
import { oktaJson } from '../../support/okta.js';

const user = resolvedUser;

const explicitly = (securityProfiles: string[]): Partial<ResolvedUserConnect> => ({
  securityProfiles,
  explicit: { securityProfiles: true, routingProfile: false },
});

/** `count` Okta users `<prefix><i>@acme.com` (first name `firstName`, last name `i`), each configured. */
function oktaUsers(sb: Sandbox, count: number, prefix: string, firstName: string): ResolvedUser[] {
  const users: ResolvedUser[] = [];
  for (let i = 0; i < count; i++) {
    const login = `${prefix}${i}@acme.com`;
    sb.admin.createOktaUser({ login, firstName, lastName: String(i) });
    users.push(user(login));
  }
  return users;
}

/** The guide's set-up with the clients retrying (the rate-limit tests throttle them). */
const setUp = (sb: Sandbox, opts: GuideOptions) => guideSetUp(sb, { maxAttempts: 5, ...opts });

async function securityProfileNames(connect: ConnectClient, instanceId: string) {
  const { SecurityProfileSummaryList = [] } = await connect.send(
    new ListSecurityProfilesCommand({ InstanceId: instanceId }),
  );
  return new Map(SecurityProfileSummaryList.map((p) => [p.Id as string, p.Name as string]));
}

describe('reconcileUsers', () => {
  let sb: Sandbox;
  let main: Awaited<ReturnType<typeof setUp>>;
  let pendingAppId: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    main = await setUp(sb, {
      alias: 'users-cc',
      label: 'Amazon Connect Administrator',
      integrate: true,
    });
    const pending = await setUp(sb, {
      alias: 'pending-cc',
      label: 'Amazon Connect CCP',
      roleName: 'Okta_CCP_Role',
      providerName: 'Okta_Connect_CCP',
      integrate: false,
    });
    pendingAppId = pending.appId;
  });

  afterAll(async () => {
    await sb.stop();
  });

  const base = () => ({ appId: main.appId, roleName: 'Okta_Role', instanceId: main.instanceId });

  it('creates what is missing, records per-user failures without stopping, and a re-run writes nothing', async () => {
    for (const [login, firstName, lastName] of [
      ['ann@acme.com', 'Ann', 'Able'],
      ['Bob@Acme.com', 'Bob', 'Baker'],
      ['case.user@acme.com', 'Case', 'User'],
      ['prof@acme.com', 'Pro', 'File'],
    ] as const) {
      sb.admin.createOktaUser({ login, firstName, lastName });
    }
    // A Connect user spelled like an Okta username but for case: Connect would never match it.
    await main.connect.send(
      new CreateUserCommand({
        InstanceId: main.instanceId,
        Username: 'Case.User@acme.com',
        IdentityInfo: { FirstName: 'Case', LastName: 'User' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [
          [...(await securityProfileNames(main.connect, main.instanceId)).keys()][0] as string,
        ],
        RoutingProfileId: (
          await main.connect.send(new ListRoutingProfilesCommand({ InstanceId: main.instanceId }))
        ).RoutingProfileSummaryList?.[0]?.Id,
      }),
    );
    const users = [
      user('ann@acme.com', explicitly(['Admin', 'Agent'])),
      user('bob@acme.com'), // Okta's login is Bob@Acme.com: logins are case-insensitive
      user('case.user@acme.com'),
      user('ghost@acme.com'),
      user('prof@acme.com', explicitly(['NoSuchProfile'])),
    ];
    const ctx = sandboxContext(sb);
    const progress: number[] = [];
    sb.resetRequests();
    const result = await reconcileUsers(ctx, {
      ...base(),
      users,
      dryRun: false,
      concurrency: 3,
      onProgress: (done, total) => {
        expect(total).toBe(5);
        progress.push(done);
      },
    });
    expect(progress.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(result.counts).toEqual({ created: 2, updated: 0, unchanged: 0, failed: 3 });
    const [ann, bob, caseUser, ghost, prof] = result.users;
    expect(ann).toMatchObject({ login: 'ann@acme.com', action: 'created', appUserName: 'ann@acme.com' });
    expect(ann?.changes).toEqual([
      `okta: assign user 'ann@acme.com' to app "Amazon Connect Administrator" with samlRoles [Okta_Role]`,
      "connect: create Connect user 'ann@acme.com' (security profiles [Admin, Agent], routing profile 'Basic Routing Profile', SOFT_PHONE)",
    ]);
    // The Connect username is the Okta app username, with the case of the Okta login.
    expect(bob).toMatchObject({ action: 'created', appUserName: 'Bob@Acme.com' });

    expect(caseUser?.action).toBe('failed');
    expect(caseUser?.error).toBeInstanceOf(ConflictError);
    expect(String((caseUser?.error as Error | undefined)?.message)).toBe(
      caseConflictError('case.user@acme.com', 'Case.User@acme.com').message,
    );
    expect(caseUser?.changes).toEqual([]); // decided before the Okta write
    expect(ghost).toMatchObject({ action: 'failed', error: expect.any(ConfigError) });
    expect(String((ghost?.error as Error | undefined)?.message)).toBe(
      "users[3].login: no Okta user with login 'ghost@acme.com'",
    );
    expect(String((prof?.error as Error | undefined)?.message)).toContain(
      "users[4].connect.securityProfiles[0]: no security profile named 'NoSuchProfile'",
    );
    // Failed users wrote nothing: only ann and bob were assigned and created.
    expect(
      writes(sb)
        .map((w) => w.operation)
        .sort(),
    ).toEqual(['AssignUserToApplication', 'AssignUserToApplication', 'CreateUser', 'CreateUser']);

    const names = await securityProfileNames(main.connect, main.instanceId);
    const { User } = await main.connect.send(
      new DescribeUserCommand({ InstanceId: main.instanceId, UserId: ann?.connectUserId as string }),
    );
    expect(User?.IdentityInfo).toMatchObject({ FirstName: 'Ann', LastName: 'Able' });
    expect((User?.SecurityProfileIds ?? []).map((id) => names.get(id)).sort()).toEqual(['Admin', 'Agent']);

    // Re-run the two that succeeded: list calls only, and one DescribeUser for ann's explicit profiles
    // (cheaper than a bulk search for a single user).
    sb.resetRequests();
    const again = await reconcileUsers(ctx, { ...base(), users: users.slice(0, 2), dryRun: false });
    expect(writes(sb)).toEqual([]);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 2, failed: 0 });
    expect(again.users[0]).toMatchObject({ connectUserId: ann?.connectUserId, changes: [] });
    expect(countByOperation(sb)).toEqual({
      GetApplication: 1,
      ListApplicationUsers: 1,
      ListUsers: 1,
      ListSecurityProfiles: 1,
      ListRoutingProfiles: 1,
      DescribeUser: 1,
    });

    // The profiles drifted: only that user is updated.
    const admin = [...names].find(([, n]) => n === 'Admin')?.[0] as string;
    await main.connect.send(
      new UpdateUserSecurityProfilesCommand({
        InstanceId: main.instanceId,
        UserId: ann?.connectUserId as string,
        SecurityProfileIds: [admin],
      }),
    );
    sb.resetRequests();
    const repaired = await reconcileUsers(ctx, { ...base(), users: users.slice(0, 2), dryRun: false });
    expect(repaired.users[0]).toMatchObject({
      action: 'updated',
      changes: ['connect: security profiles: [Admin] → [Admin, Agent]'],
    });
    expect(writes(sb).map((w) => w.operation)).toEqual(['UpdateUserSecurityProfiles']);
  });

  it('repairs the SAML roles of an existing assignment; the dry run reports it and writes nothing', async () => {
    const u = sb.admin.createOktaUser({ login: 'roles@acme.com', firstName: 'Ro', lastName: 'Les' });
    const ctx = sandboxContext(sb);
    await reconcileUsers(ctx, { ...base(), users: [user('roles@acme.com')], dryRun: false });
    await oktaJson(main.okta, 'POST', `/api/v1/apps/${main.appId}/users/${u.id}`, {
      profile: { role: null, samlRoles: [] },
    });
    sb.resetRequests();
    const dry = await reconcileUsers(ctx, { ...base(), users: [user('roles@acme.com')], dryRun: true });
    expect(writes(sb)).toEqual([]);
    expect(dry.users[0]).toMatchObject({
      action: 'updated',
      changes: ['okta: role: (none) → Okta_Role', 'okta: samlRoles: [] → [Okta_Role]'],
    });
    const wet = await reconcileUsers(ctx, { ...base(), users: [user('roles@acme.com')], dryRun: false });
    expect(wet.users[0]?.changes).toEqual(dry.users[0]?.changes);
    expect(writes(sb).map((w) => w.operation)).toEqual(['UpdateApplicationUser']);
  });

  it('a dry run of new users writes nothing and predicts their usernames', async () => {
    sb.admin.createOktaUser({ login: 'dry@acme.com', firstName: 'Dee', lastName: 'Ry' });
    sb.resetRequests();
    const result = await reconcileUsers(sandboxContext(sb), {
      ...base(),
      users: [user('dry@acme.com')],
      dryRun: true,
    });
    expect(writes(sb)).toEqual([]);
    expect(result.users[0]).toMatchObject({ action: 'created', appUserName: 'dry@acme.com' });
    expect(result.users[0]?.connectUserId).toBeUndefined();
    expect(result.users[0]?.changes).toHaveLength(2);
  });

  it('stops with the same ManualActionRequiredError as assignUser before the API integration', async () => {
    sb.admin.createOktaUser({ login: 'early@acme.com', firstName: 'Ear', lastName: 'Ly' });
    const ctx = sandboxContext(sb);
    const input = { appId: pendingAppId, roleName: 'Okta_CCP_Role', instanceId: main.instanceId };
    sb.resetRequests();
    const error = await reconcileUsers(ctx, {
      ...input,
      users: [user('early@acme.com')],
      dryRun: false,
    }).catch((e: unknown) => e);
    expect(writes(sb)).toEqual([]);
    const expected = await assignUser(ctx, { ...input, login: 'early@acme.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManualActionRequiredError);
    expect((error as Error).message).toBe((expected as Error).message);
    expect((error as ManualActionRequiredError).actions).toEqual(
      (expected as ManualActionRequiredError).actions,
    );
  });

  it('maps Okta refusing a role it has not imported to the ManualActionRequiredError of assignUser', async () => {
    sb.admin.createOktaUser({ login: 'norole@acme.com', firstName: 'No', lastName: 'Role' });
    const ctx = sandboxContext(sb);
    const input = { ...base(), roleName: 'Okta_Not_Imported' };
    sb.resetRequests();
    const error = await reconcileUsers(ctx, {
      ...input,
      users: [user('norole@acme.com')],
      dryRun: false,
    }).catch((e: unknown) => e);
    expect(writes(sb).filter((w) => w.status < 300)).toEqual([]);
    const expected = await assignUser(ctx, { ...input, login: 'norole@acme.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManualActionRequiredError);
    expect((error as Error).message).toBe((expected as Error).message);
    expect((error as ManualActionRequiredError).actions.join('\n')).toContain('Refresh Application Data');
  });

  it('refuses invalid input before any request', async () => {
    sb.resetRequests();
    const error = await reconcileUsers(sandboxContext(sb), {
      ...base(),
      instanceId: `arn:aws:connect:us-east-1:123456789012:instance/${main.instanceId}`,
      users: [user('dup@acme.com'), user('DUP@acme.com'), user('x@acme.com', { securityProfiles: [] })],
      dryRun: false,
      concurrency: 0,
    }).catch((e: unknown) => e);
    expect(sb.requests()).toEqual([]);
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'instanceId',
        'concurrency',
        'users[1].login',
        'users[2].connect.securityProfiles',
      ]),
    );
  });
});

describe('reconcileUsers at scale', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await startTestSandbox();
  });

  afterAll(async () => {
    await sb.stop();
  });

  it('a re-run of 1,200 users reads paged lists only: O(users / page size) requests, no per-user call', async () => {
    const { appId, instanceId } = await setUp(sb, {
      alias: 'scale-cc',
      label: 'Scale',
      integrate: true,
    });
    const users: ResolvedUser[] = [];
    for (let i = 0; i < 1200; i++) {
      const login = `agent${String(i).padStart(4, '0')}@acme.com`;
      sb.admin.createOktaUser({ login, firstName: 'Agent', lastName: String(i) });
      // Half of them with explicit profiles: those are checked for drift.
      users.push(i % 2 === 0 ? user(login, explicitly(['Agent'])) : user(login));
    }
    const ctx = sandboxContext(sb);
    const input = { appId, roleName: 'Okta_Role', instanceId, users, dryRun: false, concurrency: 16 };

    sb.resetRequests();
    const first = await reconcileUsers(ctx, input);
    expect(first.counts).toEqual({ created: 1200, updated: 0, unchanged: 0, failed: 0 });
    const fresh = countByOperation(sb);
    expect(fresh).toMatchObject({ GetUser: 1200, AssignUserToApplication: 1200, CreateUser: 1200 });
    expect(fresh.DescribeUser).toBeUndefined();
    expect(fresh.SearchUsers).toBeUndefined();
    expect(fresh.ListSecurityProfiles).toBe(1); // once for every user

    sb.resetRequests();
    const again = await reconcileUsers(ctx, input);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 1200, failed: 0 });
    expect(writes(sb)).toEqual([]);
    expect(countByOperation(sb)).toEqual({
      GetApplication: 1,
      ListApplicationUsers: 3, // 500 a page
      ListUsers: 2, // 1,000 a page
      SearchUsers: 3, // the profiles of 600 explicit users, 500 a page
      ListSecurityProfiles: 1,
      ListRoutingProfiles: 1,
    });
    expect(again.users.map((u) => u.connectUserId)).toEqual(first.users.map((u) => u.connectUserId));
  }, 60_000);
});

describe('reconcileUsers under realistic rate limits', () => {
  it('creates 300 users concurrently against CreateUser at 2/s (burst 5): none fails, the pace follows the quota', async () => {
    // Time runs 40 times faster for the sandbox and the library's waits alike; the SDKs' own retries are
    // off for AWS (maxAttempts 1) so that the library's pacing is what is tested.
    const speed = 40;
    const t0 = Date.now();
    const now = () => t0 + (Date.now() - t0) * speed;
    const clock: Clock = { now, sleep: (ms, signal) => systemClock.sleep(ms / speed, signal) };
    const sb = await startTestSandbox({ rateLimits: 'realistic', now });
    try {
      const { appId, instanceId } = await setUp(sb, {
        alias: 'rate-cc',
        label: 'Rate',
        integrate: true,
      });
      const users = oktaUsers(sb, 300, 'rate', 'Rate');
      const ctx = sandboxContext(sb, { clock, maxAttempts: 1 });
      sb.resetRequests();
      const result = await reconcileUsers(ctx, {
        appId,
        roleName: 'Okta_Role',
        instanceId,
        users,
        dryRun: false,
      });
      expect(result.users.filter((u) => u.action === 'failed').map((u) => String(u.error))).toEqual([]);
      expect(result.counts.created).toBe(300);
      const log = sb.requests();
      const throttled = log.filter((r) => r.status === 429);
      expect(throttled.some((r) => r.operation === 'CreateUser')).toBe(true);
      expect(log.filter((r) => r.operation === 'CreateUser' && r.status === 200)).toHaveLength(300);
      // Paced, not hammered: most CreateUser calls went through at the first try.
      expect(log.filter((r) => r.operation === 'CreateUser').length).toBeLessThan(300 * 1.5);
    } finally {
      await sb.stop();
    }
  });

  it("with the SDKs' own retries (real time), a burst beyond CreateUser's quota and Okta 429s succeed", async () => {
    // Okta's 429s are injected (its per-minute quotas are far above 8 users); the Okta SDK waits for
    // X-Rate-Limit-Reset and retries. (With a fast-forwarded sandbox clock it would wait in real time
    // for a reset computed on the sandbox's clock, hence the real clock here.)
    const sb = await startTestSandbox({
      rateLimits: 'realistic',
      faults: [{ service: 'okta', operation: 'AssignUserToApplication', kind: 'throttle', probability: 0.3 }],
    });
    try {
      const { appId, instanceId } = await setUp(sb, {
        alias: 'sdk-cc',
        label: 'SDK',
        integrate: true,
      });
      const users = oktaUsers(sb, 8, 'sdk', 'Sdk');
      const ctx = sandboxContext(sb, { maxAttempts: 5 });
      sb.resetRequests();
      const result = await reconcileUsers(ctx, {
        appId,
        roleName: 'Okta_Role',
        instanceId,
        users,
        dryRun: false,
      });
      expect(result.counts).toEqual({ created: 8, updated: 0, unchanged: 0, failed: 0 });
      expect(sb.requests().some((r) => r.operation === 'CreateUser' && r.status === 429)).toBe(true);
      expect(sb.requests().some((r) => r.operation === 'AssignUserToApplication' && r.status === 429)).toBe(
        true,
      );
    } finally {
      await sb.stop();
    }
  });
});
