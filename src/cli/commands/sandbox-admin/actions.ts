/**
 * What each `sandbox admin` subcommand does, as a function over a {@link SandboxAdminClient}: the
 * people in the directory and the admin consoles' clicks. The commands only parse and print.
 */
import { UsageError } from '../../errors.js';
import type { SandboxAdminClient } from './client.js';

/** An Okta user as the admin API returns it. */
export interface AdminUser {
  id: string;
  status: string;
  profile: { login: string; firstName?: string; lastName?: string; email?: string };
}

/** The user statuses `add-user` offers. */
export const USER_STATUSES = ['ACTIVE', 'PROVISIONED', 'STAGED'] as const;

/** Add an Okta user (as the admin console's "Add person", activated with a password unless `status` says). */
export async function addUser(
  client: SandboxAdminClient,
  input: {
    login: string;
    firstName?: string | undefined;
    lastName?: string | undefined;
    email?: string | undefined;
    status?: (typeof USER_STATUSES)[number] | undefined;
    groups?: string[] | undefined;
  },
): Promise<AdminUser> {
  const body = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
  return (await client.call<{ user: AdminUser }>('POST', '/okta/users', body)).user;
}

/** The person finishes their activation (sets a password): PROVISIONED or STAGED → ACTIVE. */
export async function activateUser(client: SandboxAdminClient, login: string): Promise<AdminUser> {
  return (
    await client.call<{ user: AdminUser }>(
      'POST',
      `/okta/users/${encodeURIComponent(login)}/lifecycle/complete-activation`,
    )
  ).user;
}

/** An access key as the AWS console's `.csv` download (and `apply`'s secret file) holds it. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Read `Access key ID,Secret access key` + one row (the AWS console's layout, which `apply` writes).
 * @throws {UsageError} naming the file
 */
export function parseAccessKeyCsv(text: string, file: string): AccessKey {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = (lines[0] ?? '').split(',').map((c) => c.trim().toLowerCase());
  const idAt = header.indexOf('access key id');
  const secretAt = header.indexOf('secret access key');
  const row = (lines[1] ?? '').split(',').map((c) => c.trim());
  const accessKeyId = row[idAt] ?? '';
  const secretAccessKey = row[secretAt] ?? '';
  if (idAt < 0 || secretAt < 0 || !/^AKIA[A-Z0-9]{16}$/.test(accessKeyId) || secretAccessKey === '') {
    throw new UsageError(
      `--access-key-file: ${file} does not hold an access key in the AWS console's layout (a header "Access key ID,Secret access key" and one row)`,
      '--access-key-file',
      'Name the file apply wrote the new key to (okta_cli_user_accessKeys.csv beside the config, or its --secret-out FILE).',
    );
  }
  return { accessKeyId, secretAccessKey };
}

/** What the sandbox's state says of an Okta app (a slice of `sb.state()`). */
interface StateApp {
  id: string;
  name: string;
  label: string;
  status: string;
  features: string[];
  apiIntegration: unknown;
  importedRoles: string[];
}

/** The sandbox state, secrets redacted (`sb.state()`). */
export async function readState(client: SandboxAdminClient): Promise<Record<string, unknown>> {
  return (await client.call<{ state: Record<string, unknown> }>('GET', '/state')).state;
}

/**
 * The console's "API Integration" for each named app (an id or label), or for every `amazon_aws` app
 * whose integration is not enabled yet when none is named.
 */
export async function enableApiIntegrations(
  client: SandboxAdminClient,
  input: { apps: string[]; key: AccessKey; createUsers?: boolean; updateUserAttributes?: boolean },
): Promise<{ app: { id: string; label: string }; importedRoles: string[] }[]> {
  let apps = input.apps;
  if (apps.length === 0) {
    const state = await readState(client);
    const all = Object.values((state.okta as { apps?: Record<string, StateApp> })?.apps ?? {});
    apps = all.filter((a) => a.name === 'amazon_aws' && a.apiIntegration === null).map((a) => a.id);
    if (apps.length === 0) {
      throw new UsageError(
        all.length === 0
          ? 'the sandbox has no Okta app yet: run apply first (it creates the apps, then stops at this step)'
          : 'every amazon_aws app already has its API integration: name one with --app to enable it again',
        '--app',
      );
    }
  }
  const results: { app: { id: string; label: string }; importedRoles: string[] }[] = [];
  for (const app of apps) {
    results.push(
      await client.call('POST', `/okta/apps/${encodeURIComponent(app)}/api-integration`, {
        accessKeyId: input.key.accessKeyId,
        secretAccessKey: input.key.secretAccessKey,
        ...(input.createUsers !== undefined ? { createUsers: input.createUsers } : {}),
        ...(input.updateUserAttributes !== undefined
          ? { updateUserAttributes: input.updateUserAttributes }
          : {}),
      }),
    );
  }
  return results;
}

/** A simulated sign-in's outcome (the sandbox's `SignInResult`). */
export type AdminSignIn =
  | {
      ok: true;
      connectUser: { id: string; username: string };
      relayState: string;
      destination: string | undefined;
      federation: { signInUrl: string };
      roleArn: string;
      roleSessionName: string;
    }
  | { ok: false; stage: string; message: string; detail: string };

/** Simulate the user's sign-in through the app (its id or label; default the one app they have). */
export async function signIn(
  client: SandboxAdminClient,
  input: { login: string; app?: string | undefined; relayState?: string | undefined },
): Promise<AdminSignIn> {
  const body = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  return (await client.call<{ result: AdminSignIn }>('POST', '/login', body)).result;
}
