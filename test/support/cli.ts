/**
 * Running the built CLI as a user does: a child process of `dist/cli/main.js` with an environment that
 * holds only what a user's shell would (a fresh HOME, no AWS or Okta variables of the developer's), and
 * the standalone `sandbox` command's environment lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Sandbox } from '../../src/sandbox/index.js';

export const ROOT = join(import.meta.dirname, '..', '..');
/** The built CLI (test/global-setup.ts builds dist/). */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** What a finished CLI process left. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd: string;
  env: Record<string, string>;
  /** What stdin gives (then it ends); `null`: no stdin at all. Default: empty. */
  input?: string | null;
  /** Collects the process's stdout and stderr, e.g. to prove later that no secret was printed. */
  outputs?: string[];
}

/** Run `connect-okta-sso <args>` to its end. */
export function runCli(args: string[], options: RunCliOptions): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const noStdin = options.input === null;
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: [noStdin ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      options.outputs?.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
    if (!noStdin) child.stdin?.end(options.input ?? '');
  });
}

/**
 * A user's shell with a home of its own (`home`): this process's environment without the variables that
 * `drop` matches (by default every AWS_ and OKTA_ variable, proxies, HOME and USERPROFILE), the AWS
 * config files inside `home`, and the SDK's instance-metadata lookups and Node-version notice off.
 */
export function userShellEnv(
  home: string,
  drop: RegExp = /^(AWS_|OKTA_)|_proxy$|^(HOME|USERPROFILE)$/i,
): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop.test(k))) as Record<
    string,
    string
  >;
  return {
    ...base,
    HOME: home,
    USERPROFILE: home,
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The environment a user gets from `connect-okta-sso sandbox` for this sandbox. */
export function sandboxEnv(sb: Sandbox): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: sb.aws.endpoint,
    AWS_REGION: sb.aws.region,
    AWS_ACCESS_KEY_ID: sb.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.aws.credentials.secretAccessKey,
    OKTA_ORG_URL: sb.okta.orgUrl,
    OKTA_API_TOKEN: sb.okta.token,
  };
}

/** `NAME=value` lines (what `connect-okta-sso sandbox` prints) as an environment. */
export function parseEnvLines(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * Start `connect-okta-sso sandbox <args>` and resolve once it has printed all its environment lines
 * (the admin token's comes last), with the text it printed; reject if it exits first.
 */
export function startCliSandbox(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ child: ChildProcess; text: string }> {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN=') && out.endsWith('\n')) {
        resolve({ child, text: out });
      }
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}: ${err}`)));
  });
}

/** SIGTERM a child started here (its earlier exit listeners dropped) and resolve with its exit code. */
export function stopChild(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
