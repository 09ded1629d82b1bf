/**
 * What the teardown tests share: a sandbox with the Okta people, a setup provisioned to `complete`
 * (with the console click where the real flow has it), and what the sandbox still holds of a stack.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectClient, CreateQuickConnectCommand } from '@aws-sdk/client-connect';
import type { ConnectSsoConfig } from '../../../src/config/index.js';
import type { SsoContext } from '../../../src/core/context.js';
import type { Sandbox, SandboxState } from '../../../src/sandbox/index.js';
import { provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import type { ProvisionResult } from '../../../src/workflows/provision/types.js';
import { config, THREE_USERS } from '../../support/config.js';

export { PEOPLE } from '../../support/config.js';

export type Mode = 'api-integration' | 'group-mapping';

/** The stack under test: two apps, three users. */
export function stackConfig(
  sb: Sandbox,
  mode: Mode,
  extra: Partial<ConnectSsoConfig> = {},
): ConnectSsoConfig {
  return config(sb, { roleMapping: mode, users: THREE_USERS, ...extra });
}

/** Another stack in the same account and org, with names of its own. */
export function otherStackConfig(sb: Sandbox, mode: Mode): ConnectSsoConfig {
  return {
    stack: 'other-cc',
    region: 'us-east-1',
    instance: { alias: 'other-cc' },
    okta: { orgUrl: sb.okta.orgUrl },
    roleMapping: mode,
    names: {
      federationPolicy: 'other_federation',
      oktaAccessPolicy: 'other_okta_cli',
      oktaApiUser: 'other_okta_user',
    },
    apps: [
      { kind: 'admin', label: 'Other Connect Admin', providerName: 'Other_Provider', roleName: 'Other_Role' },
    ],
    users: [{ login: 'agent1@acme.com', app: 'admin' }],
  };
}

const dirs: string[] = [];
/** A path in a new temporary directory (the secret file of a run). */
export function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-destroy-'));
  dirs.push(dir);
  return join(dir, name);
}
export function removeTempFiles(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Provision until `complete`: in api-integration mode the first run stops at the console step; the
 * sandbox then stands in for the admin's click with the key the secret file holds, and a second run
 * finishes.
 */
export async function provisionFully(
  sb: Sandbox,
  config: ConnectSsoConfig,
  context: SsoContext,
): Promise<ProvisionResult & { secret: string | undefined }> {
  const secretFile = tempFile('okta_cli_user_accessKeys.csv');
  const sink = { kind: 'file', path: secretFile } as const;
  let result = await provisionConnectSso(config, { context, secretSink: sink });
  let secret: string | undefined;
  if (result.status === 'manual-action-required') {
    const [, row] = readFileSync(secretFile, 'utf8').trim().split('\n');
    const [accessKeyId = '', secretAccessKey = ''] = (row ?? '').split(',');
    secret = secretAccessKey;
    for (const app of result.apps) {
      if (app.appId) await sb.admin.enableApiIntegration(app.appId, { accessKeyId, secretAccessKey });
    }
    result = await provisionConnectSso(config, { context, secretSink: sink });
  }
  if (result.status !== 'complete') {
    throw new Error(`provisioning did not complete: ${result.errors.map((e) => e.error.message).join('; ')}`);
  }
  return { ...result, secret };
}

/** A USER quick connect to the Connect user `username` of the instance (what an admin adds for transfers). */
export async function addQuickConnect(
  sb: Sandbox,
  connect: ConnectClient,
  instanceId: string,
  username: string,
  name: string,
): Promise<void> {
  const user = Object.values(sb.state().connect.instances[instanceId]?.users ?? {}).find(
    (u) => u.username === username,
  );
  if (!user) throw new Error(`no connect user ${username}`);
  await connect.send(
    new CreateQuickConnectCommand({
      InstanceId: instanceId,
      Name: name,
      QuickConnectConfig: {
        QuickConnectType: 'USER',
        UserConfig: { UserId: user.id, ContactFlowId: '00000000-0000-4000-8000-000000000001' },
      },
    }),
  );
}

const tagged = (tags: readonly { Key: string; Value: string }[], stack: string) =>
  tags.some((t) => t.Key === 'connect-okta-sso:stack' && t.Value === stack);
const marked = (text: unknown, stack: string) =>
  typeof text === 'string' &&
  new RegExp(`(^|\\s)managed-by connect-okta-sso stack ${stack}(\\s|$)`).test(text);

/**
 * Everything the sandbox still holds of `stack`, by kind and name: resources carrying its tags or
 * marker, the access keys of its IAM user, the assignments of its Okta apps, and USER quick connects
 * left pointing at a deleted user. The Connect instance counts only with `instance: true`.
 */
export function residue(state: SandboxState, stack: string, options: { instance?: boolean } = {}): string[] {
  const out: string[] = [];
  const iam = state.iam;
  const ourUsers = iam.users.filter((u) => tagged(u.tags, stack));
  for (const u of ourUsers) out.push(`iam user ${u.name}`);
  for (const k of iam.accessKeys)
    if (ourUsers.some((u) => u.name === k.userName)) out.push(`iam access key ${k.accessKeyId}`);
  for (const p of iam.policies) if (tagged(p.tags, stack)) out.push(`iam policy ${p.name}`);
  for (const r of iam.roles) if (tagged(r.tags, stack)) out.push(`iam role ${r.name}`);
  for (const p of iam.samlProviders) if (tagged(p.tags, stack)) out.push(`iam saml-provider ${p.name}`);
  const okta = state.okta;
  for (const app of Object.values(okta.apps)) {
    const notes = (app.settings.notes as { admin?: unknown } | undefined)?.admin;
    if (marked(notes, stack)) out.push(`okta app ${app.label}`);
  }
  for (const appId of Object.keys(okta.appUsers))
    if (!okta.apps[appId] && Object.keys(okta.appUsers[appId] ?? {}).length > 0)
      out.push(`okta assignments of deleted app ${appId}`);
  for (const g of Object.values(okta.groups))
    if (marked(g.profile.description, stack)) out.push(`okta group ${String(g.profile.name)}`);
  for (const instance of Object.values(state.connect.instances)) {
    const ours = instance.tags['connect-okta-sso:stack'] === stack;
    if (ours && options.instance) out.push(`connect instance ${instance.alias}`);
    for (const u of Object.values(instance.users))
      if (u.tags['connect-okta-sso:stack'] === stack) out.push(`connect user ${u.username}`);
    for (const q of Object.values(instance.quickConnects ?? {}))
      if (q.type === 'USER' && q.userId && !instance.users[q.userId])
        out.push(`dangling quick connect ${q.name}`);
  }
  return out.sort();
}

/** The resources of a stack that matter, comparable before and after another stack's teardown. */
export function stackView(state: SandboxState, stack: string): unknown {
  const iam = state.iam;
  const sorted = <T>(items: T[]): T[] =>
    items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    users: sorted(
      iam.users.filter((u) => tagged(u.tags, stack)).map((u) => [u.name, [...u.attachedPolicies].sort()]),
    ),
    keys: sorted(
      iam.accessKeys
        .filter((k) => iam.users.some((u) => u.name === k.userName && tagged(u.tags, stack)))
        .map((k) => k.status),
    ),
    policies: sorted(
      iam.policies.filter((p) => tagged(p.tags, stack)).map((p) => [p.name, p.versions.length]),
    ),
    roles: sorted(
      iam.roles.filter((r) => tagged(r.tags, stack)).map((r) => [r.name, [...r.attachedPolicies].sort()]),
    ),
    providers: sorted(iam.samlProviders.filter((p) => tagged(p.tags, stack)).map((p) => p.name)),
    apps: sorted(
      Object.values(state.okta.apps)
        .filter((a) => marked((a.settings.notes as { admin?: unknown } | undefined)?.admin, stack))
        .map((a) => [a.label, a.status, Object.keys(state.okta.appUsers[a.id] ?? {}).length]),
    ),
    groups: sorted(
      Object.values(state.okta.groups)
        .filter((g) => marked(g.profile.description, stack))
        .map((g) => [g.profile.name, g.members.length]),
    ),
    instances: sorted(
      Object.values(state.connect.instances)
        .filter((i) => i.tags['connect-okta-sso:stack'] === stack)
        .map((i) => [
          i.alias,
          i.status,
          Object.values(i.users)
            .map((u) => u.username)
            .sort(),
        ]),
    ),
  };
}
