/**
 * Shared plumbing of the sync tests: a sandbox with an ACTIVE SAML instance, Okta people and groups made
 * through Okta's own API (the real Okta SDK's transport), and a config that syncs them.
 */
import {
  type ConnectClient,
  CreateRoutingProfileCommand,
  CreateUserCommand,
  DescribeUserCommand,
  ListQueuesCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  SearchUsersCommand,
} from '@aws-sdk/client-connect';
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import type { ConnectSsoConfig } from '../../../src/config/types.js';
import { type Clock, type SsoContext, systemClock } from '../../../src/core/context.js';
import { createSamlInstance } from '../../../src/resources/connect-instance/ensure.js';
import type { Sandbox, SandboxOptions } from '../../../src/sandbox/index.js';
import { connectClient, oktaClient, sandboxContext, startTestSandbox } from '../../helpers.js';
import { oktaJson } from '../../support/okta.js';

export interface SyncFixture {
  sb: Sandbox;
  ctx: SsoContext;
  okta: OktaClient;
  connect: ConnectClient;
  instanceId: string;
  /** Group name → id. */
  groups: Map<string, string>;
  /** Login → Okta user id. */
  people: Map<string, string>;
}

/** The one raw-Okta helper (test/support/okta.ts), re-exported for the sync tests. */
export { oktaJson };

/** Time running `speed` times faster for the sandbox and the library alike (no test sleeps for real). */
export function fastClock(speed: number): Clock {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * speed,
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  };
}

export async function startSyncFixture(
  options: { sandbox?: SandboxOptions; clock?: Clock; alias?: string } = {},
): Promise<SyncFixture> {
  const sb = await startTestSandbox({
    ...(options.clock ? { now: options.clock.now } : {}),
    ...options.sandbox,
  });
  const ctx = sandboxContext(sb, { ...(options.clock ? { clock: options.clock } : {}) });
  const instance = await createSamlInstance(ctx, {
    alias: options.alias ?? 'sync-cc',
    wait: { pollIntervalMs: 10 },
  });
  return {
    sb,
    ctx,
    okta: oktaClient(sb),
    connect: connectClient(sb),
    instanceId: instance.instanceId as string,
    groups: new Map(),
    people: new Map(),
  };
}

/** A voice routing profile `name` made by hand (as in the console), taking calls from the first queue. */
export async function addRoutingProfile(f: SyncFixture, name: string): Promise<void> {
  const { QueueSummaryList = [] } = await f.connect.send(new ListQueuesCommand({ InstanceId: f.instanceId }));
  await f.connect.send(
    new CreateRoutingProfileCommand({
      InstanceId: f.instanceId,
      Name: name,
      Description: `${name} calls`,
      DefaultOutboundQueueId: QueueSummaryList[0]?.Id as string,
      MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
    }),
  );
}

export async function addGroup(f: SyncFixture, name: string): Promise<string> {
  const group = await oktaJson<{ id: string }>(f.okta, 'POST', '/api/v1/groups', { profile: { name } });
  f.groups.set(name, group.id);
  return group.id;
}

/** An ACTIVE Okta user with any profile attributes (Okta's create-user API). */
export async function addPerson(
  f: SyncFixture,
  login: string,
  profile: Record<string, unknown> = {},
  groups: string[] = [],
): Promise<string> {
  const [local = login] = login.split('@');
  const user = await oktaJson<{ id: string }>(f.okta, 'POST', '/api/v1/users?activate=true', {
    profile: { firstName: local, lastName: 'Person', email: login, login, ...profile },
    credentials: { password: { value: 'Sandbox-Passw0rd!' } },
  });
  f.people.set(login, user.id);
  for (const group of groups) await joinGroup(f, login, group);
  return user.id;
}

export async function joinGroup(f: SyncFixture, login: string, group: string): Promise<void> {
  await oktaJson(
    f.okta,
    'PUT',
    `/api/v1/groups/${f.groups.get(group) as string}/users/${f.people.get(login) as string}`,
  );
}

export async function leaveGroup(f: SyncFixture, login: string, group: string): Promise<void> {
  await oktaJson(
    f.okta,
    'DELETE',
    `/api/v1/groups/${f.groups.get(group) as string}/users/${f.people.get(login) as string}`,
  );
}

export function config(f: SyncFixture, extra: Partial<ConnectSsoConfig> = {}): ConnectSsoConfig {
  return {
    region: f.sb.aws.region,
    instance: { alias: 'sync-cc' },
    okta: { orgUrl: f.sb.okta.orgUrl },
    apps: [{ kind: 'ccp' }],
    ...extra,
  };
}

/** Every Connect user of the instance, whole (DescribeUser), by username. */
export async function connectUsers(f: SyncFixture): Promise<
  Map<
    string,
    {
      id: string;
      securityProfiles: string[];
      routingProfileId: string | undefined;
      firstName: string | undefined;
      lastName: string | undefined;
      secondaryEmail: string | undefined;
      tags: Record<string, string>;
    }
  >
> {
  const names = await profileNames(f);
  const out = new Map();
  const { Users = [] } = await f.connect.send(
    new SearchUsersCommand({ InstanceId: f.instanceId, MaxResults: 500 }),
  );
  for (const u of Users) {
    const { User } = await f.connect.send(
      new DescribeUserCommand({ InstanceId: f.instanceId, UserId: u.Id }),
    );
    out.set(User?.Username, {
      id: User?.Id,
      securityProfiles: (User?.SecurityProfileIds ?? []).map((id) => names.get(id) ?? id).sort(),
      routingProfileId: User?.RoutingProfileId,
      firstName: User?.IdentityInfo?.FirstName,
      lastName: User?.IdentityInfo?.LastName,
      secondaryEmail: User?.IdentityInfo?.SecondaryEmail,
      tags: User?.Tags ?? {},
    });
  }
  return out;
}

async function profileNames(f: SyncFixture): Promise<Map<string, string>> {
  const { SecurityProfileSummaryList = [] } = await f.connect.send(
    new ListSecurityProfilesCommand({ InstanceId: f.instanceId }),
  );
  return new Map(SecurityProfileSummaryList.map((p) => [p.Id as string, p.Name as string]));
}

/**
 * A Connect user made by hand (as in the console, not by the library) with the security profile named
 * `securityProfile` and the instance's first routing profile; its id.
 */
export async function consoleUser(
  f: SyncFixture,
  username: string,
  identity: { FirstName: string; LastName: string },
  securityProfile: string,
): Promise<string> {
  const { SecurityProfileSummaryList = [] } = await f.connect.send(
    new ListSecurityProfilesCommand({ InstanceId: f.instanceId }),
  );
  const profile = SecurityProfileSummaryList.find((p) => p.Name === securityProfile)?.Id as string;
  const { RoutingProfileSummaryList = [] } = await f.connect.send(
    new ListRoutingProfilesCommand({ InstanceId: f.instanceId }),
  );
  const created = await f.connect.send(
    new CreateUserCommand({
      InstanceId: f.instanceId,
      Username: username,
      IdentityInfo: identity,
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      SecurityProfileIds: [profile],
      RoutingProfileId: RoutingProfileSummaryList[0]?.Id as string,
    }),
  );
  return created.UserId as string;
}

/** Writes the sandbox served since the last reset. */
export function writeOps(sb: Sandbox): string[] {
  return sb
    .requests()
    .filter((r) => r.write)
    .map((r) => r.operation);
}
