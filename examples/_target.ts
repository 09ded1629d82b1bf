/**
 * Where the examples run — the one switch between a sandbox and your real AWS account and Okta org.
 *
 * By default every example starts its own sandbox (`connect-okta-sso/sandbox`: AWS IAM, Amazon Connect
 * and the Okta Management API emulated on 127.0.0.1) and works on a sample configuration whose Okta users
 * it creates in the sandbox's directory. Nothing leaves the machine, whatever credentials your shell has.
 *
 * To run an example against real AWS and Okta you must ask for it, all three:
 *
 * ```sh
 * export CONNECT_OKTA_SSO_TARGET=real             # the explicit switch
 * export CONNECT_OKTA_SSO_CONFIG=./sso.yaml       # your configuration (see examples/sso.yaml)
 * export OKTA_API_TOKEN=…                         # AWS credentials: the AWS SDK's default chain
 * ```
 *
 * The real target is refused when `CI` is set, so a pipeline never touches a real account.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type ConnectSsoConfig,
  createContext,
  type ProvisionResult,
  parseConfigText,
  provisionConnectSso,
  type SsoContext,
  type UserConfig,
} from 'connect-okta-sso';
import { type Sandbox, type SandboxOptions, startSandbox } from 'connect-okta-sso/sandbox';

/** The sample directory of the sandbox's Okta org: the people of `examples/sso.yaml`. */
export const SAMPLE_PEOPLE = [
  { login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' },
  { login: 'agent1@acme.com', firstName: 'Amir', lastName: 'Haddad' },
  { login: 'agent2@acme.com', firstName: 'Bea', lastName: 'Lindqvist' },
] as const;

export interface ExampleTarget {
  /** `sandbox` (the default) or `real` (only when asked for explicitly). */
  readonly mode: 'sandbox' | 'real';
  /** The AWS and Okta clients every call goes through. */
  readonly context: SsoContext;
  /**
   * The setup to work on: the sample one in the sandbox; your `CONNECT_OKTA_SSO_CONFIG` for real. Its
   * `users` is the list form (these examples assign users one by one).
   */
  readonly config: ConnectSsoConfig & { users?: UserConfig[] };
  /**
   * Where a new Okta access key's secret is saved (a 0600 CSV in the AWS console's layout): a temporary
   * directory in the sandbox; `OKTA_ACCESS_KEY_FILE` (default `./okta_cli_user_accessKeys.csv`) for real.
   */
  readonly secretFile: string;
  /** The running sandbox, in sandbox mode. */
  readonly sandbox: Sandbox | undefined;
  /**
   * How a run waits at the manual checkpoint for an Okta admin to enable the API integration (the
   * `wait` option of `provisionConnectSso`): a person needs minutes, the sandbox's stand-in a moment.
   */
  readonly manualStepWait: { timeoutMs: number; pollIntervalMs: number };
  /**
   * The Okta admin console's "API Integration" click for every app still waiting for it. The sandbox
   * stands in for the admin (with the key saved in {@link ExampleTarget.secretFile}); for real, a person
   * does it and this only prints what to click.
   */
  enableApiIntegration(result: ProvisionResult): Promise<void>;
  /**
   * For the examples that start from an existing setup: in the sandbox, provision `config` first (the
   * manual checkpoint included), quietly; for real, nothing — your setup is already there.
   */
  prepareExistingSetup(config: ConnectSsoConfig): Promise<void>;
  /** Stop the sandbox and remove the temporary files. */
  close(): Promise<void>;
}

/** Print a line (the examples are command-line scripts). */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Open the target the environment asks for: a fresh sandbox unless `CONNECT_OKTA_SSO_TARGET=real`.
 * `sandbox` options tune the sandbox (latency, rate limits…); they are ignored for real.
 */
export async function openTarget(options: { sandbox?: SandboxOptions } = {}): Promise<ExampleTarget> {
  const wanted = process.env.CONNECT_OKTA_SSO_TARGET ?? 'sandbox';
  if (wanted === 'real') return openReal();
  if (wanted !== 'sandbox') {
    throw new Error(`CONNECT_OKTA_SSO_TARGET must be 'sandbox' (the default) or 'real', not '${wanted}'`);
  }
  return openSandbox(options.sandbox ?? {});
}

async function openSandbox(options: SandboxOptions): Promise<ExampleTarget> {
  // The Okta SDK sends even loopback requests through HTTPS_PROXY; the sandbox is on 127.0.0.1.
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
    delete process.env[name];
  }
  // The AWS SDK warns on Node 20 about its 2027 support policy; irrelevant to an offline example.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const sb = await startSandbox({ instanceCreationMs: 500, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'connect-okta-sso-example-'));
  for (const person of SAMPLE_PEOPLE) sb.admin.createOktaUser(person);

  const config: ConnectSsoConfig & { users: UserConfig[] } = {
    stack: 'acme-cc',
    region: sb.aws.region,
    instance: { alias: 'acme-cc' },
    okta: { orgUrl: sb.okta.orgUrl },
    roleMapping: 'api-integration',
    apps: [{ kind: 'admin' }, { kind: 'ccp' }],
    users: [
      { login: 'jane.doe@acme.com', app: 'admin', connect: { securityProfiles: ['Admin'] } },
      { login: 'agent1@acme.com', app: 'ccp' },
      { login: 'agent2@acme.com', app: 'ccp' },
    ],
  };
  const secretFile = join(dir, 'okta_cli_user_accessKeys.csv');
  say(`Target: a sandbox on ${sb.url} (set CONNECT_OKTA_SSO_TARGET=real for your AWS account and Okta org).`);
  const target: ExampleTarget = {
    mode: 'sandbox',
    context: createContext({
      region: sb.aws.region,
      endpoint: sb.aws.endpoint,
      credentials: sb.aws.credentials,
      okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
      stack: config.stack ?? 'acme-cc',
    }),
    config,
    secretFile,
    sandbox: sb,
    manualStepWait: { timeoutMs: 10_000, pollIntervalMs: 100 },
    async enableApiIntegration(result) {
      const key = readAccessKeyCsv(secretFile);
      for (const app of result.apps) {
        if (app.apiIntegration !== 'pending' || !app.appId) continue;
        await sb.admin.enableApiIntegration(app.appId, key);
        say(
          `   (sandbox) an Okta admin enabled the API integration of "${app.label}" with ${key.accessKeyId}`,
        );
      }
    },
    async prepareExistingSetup(existing) {
      const { context } = target;
      const secretSink = { kind: 'file', path: secretFile } as const;
      const first = await provisionConnectSso(existing, { context, secretSink });
      if (first.status === 'manual-action-required') await target.enableApiIntegration(first);
      const done = await provisionConnectSso(existing, { context, secretSink, wait: target.manualStepWait });
      if (done.status !== 'complete') throw new Error(`the sandbox's existing setup failed: ${done.status}`);
      say(
        `   (sandbox) the existing setup: ${done.apps.map((a) => `"${a.label}"`).join(', ')} and ${done.users.created} users`,
      );
    },
    async close() {
      await sb.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return target;
}

async function openReal(): Promise<ExampleTarget> {
  if (process.env.CI) {
    throw new Error('CONNECT_OKTA_SSO_TARGET=real is refused when CI is set: examples in CI use the sandbox');
  }
  const file = process.env.CONNECT_OKTA_SSO_CONFIG;
  if (!file) throw new Error('CONNECT_OKTA_SSO_TARGET=real needs CONNECT_OKTA_SSO_CONFIG (your sso.yaml)');
  const text = readFileSync(file, 'utf8');
  const config = (await parseConfigText(
    text,
    file.endsWith('.json') ? 'json' : 'yaml',
    file,
  )) as ConnectSsoConfig & { users?: UserConfig[] };
  if (config.users !== undefined && !Array.isArray(config.users)) {
    throw new Error(`${file}: these examples need users as a list (users: [...]), not { fromOkta, list }`);
  }
  const token = process.env.OKTA_API_TOKEN;
  say(`Target: REAL AWS (region ${config.region}) and Okta (${config.okta.orgUrl}), config ${file}.`);
  return {
    mode: 'real',
    context: createContext({
      region: config.region,
      stack: config.stack ?? config.instance.alias,
      ...(token ? { okta: { orgUrl: config.okta.orgUrl, token } } : {}),
    }),
    config,
    secretFile: resolve(process.env.OKTA_ACCESS_KEY_FILE ?? 'okta_cli_user_accessKeys.csv'),
    sandbox: undefined,
    manualStepWait: { timeoutMs: 30 * 60_000, pollIntervalMs: 15_000 },
    async enableApiIntegration() {
      say('   Waiting (up to 30 minutes) for an Okta admin to do the above in the admin console…');
    },
    async prepareExistingSetup() {},
    async close() {},
  };
}

/** Read back the CSV the `file` secret sink writes: `Access key ID,Secret access key` and one row. */
export function readAccessKeyCsv(path: string): { accessKeyId: string; secretAccessKey: string } {
  const [, row] = readFileSync(path, 'utf8').trim().split('\n');
  const [accessKeyId, secretAccessKey] = (row ?? '').split(',');
  if (!accessKeyId || !secretAccessKey) throw new Error(`${path} holds no access key`);
  return { accessKeyId, secretAccessKey };
}
