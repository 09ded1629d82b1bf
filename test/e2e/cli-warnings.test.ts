/**
 * The AWS SDK's `NodeVersionSupportWarning` (nine lines of stderr on Node < 22, the first time a client is
 * built): the built CLI drops that one warning on a supported Node and lets every other warning through;
 * the library leaves the process's warnings alone.
 *
 * The real notice appears only on Node < 22, so a stand-in emitted by a preloaded module (same name,
 * same message prefix) proves the filter on every Node; on Node 20 the real SDK notice is checked too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const sdkWarns = Number(process.versions.node.split('.')[0]) < 22;

let sb: Sandbox;
let cwd: string;
let env: Record<string, string>;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function node(args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...env, ...extraEnv }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, instanceCreationMs: 0 });
  cwd = mkdtempSync(join(tmpdir(), 'cos-warnings-'));
  const home = mkdtempSync(join(tmpdir(), 'cos-warnings-home-'));
  // No AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: the SDK warns as it would for a user.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AWS_|OKTA_|NODE_OPTIONS$)|_proxy$/i.test(k)),
  ) as Record<string, string>;
  env = {
    ...base,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: sb.aws.endpoint,
    AWS_ACCESS_KEY_ID: sb.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.aws.credentials.secretAccessKey,
    OKTA_API_TOKEN: sb.okta.token,
  };
  writeFileSync(
    join(cwd, 'sso.yaml'),
    `region: ${sb.aws.region}\ninstance: { alias: warn-cc }\nokta: { orgUrl: '${sb.okta.orgUrl}' }\napps: [{ kind: admin }]\n`,
  );
  // Emitted when the command is done: a stand-in for the SDK's notice, and another warning.
  writeFileSync(
    join(cwd, 'emit.mjs'),
    `process.once('beforeExit', () => {
  process.emitWarning('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\\nversions published after … (stand-in)');
  process.emitWarning('an unrelated warning', 'OtherWarning');
});`,
  );
});

afterAll(async () => {
  await sb?.stop();
});

describe("the AWS SDK's Node-version notice", () => {
  it('the CLI drops it (and only it): a command that calls AWS prints no such line', async () => {
    sb.resetRequests();
    const r = await node([cli, 'plan', '--config', 'sso.yaml'], {});
    expect(r.stdout).toMatch(/connect instance warn-cc/);
    // The command did build the SDK clients and call AWS.
    const services = new Set(sb.requests().map((q) => q.service));
    expect(services.has('connect') && services.has('iam')).toBe(true);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|a\.co\/c895JFp|require node >=22/);
  });

  it('the CLI lets every other warning through (a stand-in notice is dropped, another is printed)', async () => {
    const r = await node(['--import', pathToFileURL(join(cwd, 'emit.mjs')).href, cli, '--version']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/OtherWarning: an unrelated warning/);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning/);
  });

  it('without the CLI the same stand-in is printed (the check above can fail)', async () => {
    const r = await node([
      '--import',
      pathToFileURL(join(cwd, 'emit.mjs')).href,
      '-e',
      'setTimeout(() => {}, 20)',
    ]);
    expect(r.stderr).toMatch(/NodeVersionSupportWarning: The AWS SDK/);
    expect(r.stderr).toMatch(/OtherWarning: an unrelated warning/);
  });

  it('the library leaves process warnings alone: same emitWarning, same listeners, the SDK notice passes', async () => {
    writeFileSync(
      join(cwd, 'lib.mjs'),
      `const emitWarning = process.emitWarning;
const listeners = process.listeners('warning').length;
const seen = [];
process.on('warning', (w) => seen.push(w.message.split(':')[0]));
const lib = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
const ctx = lib.createContext({ region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } });
// Built on first use: a step's first call builds the clients (the SDK warns then, on Node < 22).
await lib.createSamlInstance(ctx, { alias: 'warn-lib-cc', dryRun: true });
void ctx.iam;
void ctx.connect;
const after = { sameEmitWarning: process.emitWarning === emitWarning, listenersAfter: process.listeners('warning').length };
setTimeout(() => console.log(JSON.stringify({ listenersBefore: listeners, ...after, seen })), 20);`,
    );
    const r = await node(['lib.mjs']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      listenersBefore: number;
      listenersAfter: number;
      sameEmitWarning: boolean;
      seen: string[];
    };
    expect(result.sameEmitWarning).toBe(true);
    // One more: the script's own, added after the first count.
    expect(result.listenersAfter).toBe(result.listenersBefore + 1);
    if (sdkWarns) {
      expect(result.seen).toContain('NodeVersionSupportWarning');
      expect(r.stderr).toMatch(/NodeVersionSupportWarning/);
    }
  });
});
