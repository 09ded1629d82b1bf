/**
 * The package as npm delivers it: `npm pack` of the built package, installed into a fresh consumer
 * project outside the repository, used from an ES module and from a CommonJS script — the library
 * against the sandbox, both entry points, both formats — and the cost of importing it.
 *
 * The install is a real `npm install <tarball>` (the dependencies as declared, from npm's cache or the
 * registry). Where the registry cannot be reached at all, the consumer's node_modules is made instead
 * of the unpacked tarball plus links to exactly the declared dependencies, so the rest still runs.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeout ?? 60_000,
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * npm with the machine's own cache and user config (test/setup.ts points HOME at an empty directory for
 * the SDKs' sake): `npm ci` has just filled that cache, so the install mostly reads from it.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const home = userInfo().homedir;
  return {
    ...process.env,
    npm_config_cache: process.env.npm_config_cache ?? join(home, '.npm'),
    npm_config_userconfig: process.env.npm_config_userconfig ?? join(home, '.npmrc'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

let work: string;
let consumer: string;
let tarball: string;
let files: string[];
let installedBy: 'npm install' | 'links';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cos-package-'));
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'sandbox/index.js', 'sandbox/index.d.cts']) {
    if (!existsSync(join(root, 'dist', file)))
      throw new Error(`dist/${file} is missing: is a build running?`);
  }
  const packed = await run(npm, ['pack', '--json', '--pack-destination', work], { cwd: root, env: npmEnv() });
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error(`npm pack printed no package: ${packed.stdout}`);
  tarball = join(work, info.filename);
  files = info.files.map((f) => f.path).sort();

  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'commonjs' }),
  );
  const installed = await run(
    npm,
    ['install', '--prefer-offline', '--no-save', '--no-package-lock', tarball],
    {
      cwd: consumer,
      env: npmEnv(),
      timeout: 150_000,
    },
  );
  if (installed.code === 0) {
    installedBy = 'npm install';
  } else if (
    /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH)|network/i.test(installed.stderr)
  ) {
    // No registry: unpack the tarball and link exactly the declared dependencies.
    const target = join(consumer, 'node_modules', pkg.name);
    mkdirSync(target, { recursive: true });
    const untar = await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { cwd: work });
    if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
    for (const dep of Object.keys(pkg.dependencies)) {
      const link = join(consumer, 'node_modules', dep);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(root, 'node_modules', dep), link, 'dir');
    }
    installedBy = 'links';
  } else {
    throw new Error(`npm install of the tarball failed:\n${installed.stderr}`);
  }
  writeFileSync(join(consumer, 'hooks.mjs'), HOOKS);
  writeFileSync(
    join(consumer, 'register.mjs'),
    `import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
writeFileSync(process.env.LOAD_LOG, '');
register('./hooks.mjs', import.meta.url, { data: { log: process.env.LOAD_LOG } });`,
  );
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

/** Run a script in the consumer project (no proxy: the sandbox is on 127.0.0.1). */
function node(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return run(process.execPath, args, {
    cwd: consumer,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
}

/** The same use of the package, as an ES module and as CommonJS. */
const USE = `
const relayState = buildRelayState({ region: 'us-east-1', instanceId: '11111111-2222-3333-4444-555555555555', destination: 'ccp' });
let refused;
try {
  buildRelayState({ region: 'us-east-1', instanceId: 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555' });
} catch (error) {
  refused = error instanceof ConfigError ? error.field : String(error);
}
const sb = await startSandbox({ instanceCreationMs: 0 });
try {
  const context = createContext({
    region: sb.aws.region, endpoint: sb.aws.endpoint, credentials: sb.aws.credentials,
    okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
  });
  const config = { region: sb.aws.region, instance: { alias: 'consumer-cc' }, okta: { orgUrl: sb.okta.orgUrl }, apps: [{ kind: 'admin' }] };
  const plan = await planConnectSso(config, { context });
  const result = await provisionConnectSso(config, { context });
  const served = new Set(sb.requests().map((r) => r.service));
  console.log(JSON.stringify({
    relayState, refused, summary: plan.summary, status: result.status, apps: result.apps.map((a) => a.label),
    served: [...served].sort(), secret: String(result.accessKey && result.accessKey.secretAccessKey),
  }));
} finally {
  await sb.stop();
}`;

const EXPECTED_USE = {
  relayState:
    'https://us-east-1.console.aws.amazon.com/connect/federate/11111111-2222-3333-4444-555555555555?destination=%2Fccp-v2',
  refused: 'instanceId',
  status: 'manual-action-required',
  apps: ['Amazon Connect Administrator'],
  served: ['connect', 'iam', 'okta'],
  secret: '[redacted]',
};

/** Which modules a script loaded: CommonJS ones from require.cache, ES modules from a resolve hook. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export async function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}`;

const LOADED = `
function loaded() {
  const urls = readFileSync(process.env.LOAD_LOG, 'utf8').split('\\n').filter(Boolean);
  const all = [...urls, ...Object.keys(createRequire(process.cwd() + '/').cache)];
  return {
    library: all.some((u) => /connect-okta-sso[\\\\/]dist[\\\\/]index\\.c?js$/.test(u)),
    okta: all.some((u) => /@okta[\\\\/]okta-sdk-nodejs[\\\\/]/.test(u)),
    sandbox: all.some((u) => /connect-okta-sso[\\\\/]dist[\\\\/]sandbox[\\\\/]/.test(u)),
  };
}`;

describe(`the packed package (${pkg.name}@${pkg.version})`, { timeout: 60_000 }, () => {
  it('contains only dist (no source maps; the Lambda handler bundle is .mjs), schema, README, LICENSE, CHANGELOG and package.json', () => {
    const outside = files.filter(
      (f) => !/^dist\/.+\.(c?js|mjs|d\.c?ts)$/.test(f) && !/^schema\/[\w.-]+\.json$/.test(f),
    );
    expect(outside.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/sandbox/index.d.cts');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('schema/connect-okta-sso.schema.json');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('has a CHANGELOG entry for its version', () => {
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^## ${pkg.version.replaceAll('.', '\\.')}$`, 'm'),
    );
  });

  it('installs into a consumer project outside the repository', () => {
    expect(existsSync(join(consumer, 'node_modules', pkg.name, 'dist', 'index.js'))).toBe(true);
    if (installedBy === 'links')
      console.warn('package test: the registry was unreachable; dependencies linked');
  });

  it('works from an ES module: import … from connect-okta-sso and connect-okta-sso/sandbox', async () => {
    writeFileSync(
      join(consumer, 'use.mjs'),
      `import { buildRelayState, ConfigError, createContext, planConnectSso, provisionConnectSso } from '${pkg.name}';
import { startSandbox } from '${pkg.name}/sandbox';
${USE}`,
    );
    const result = await node(['use.mjs']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject(EXPECTED_USE);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ create: 7, manual: 1, blocked: 0 });
  });

  it('works from CommonJS: require(connect-okta-sso) and require(connect-okta-sso/sandbox)', async () => {
    writeFileSync(
      join(consumer, 'use.cjs'),
      `const { buildRelayState, ConfigError, createContext, planConnectSso, provisionConnectSso } = require('${pkg.name}');
const { startSandbox } = require('${pkg.name}/sandbox');
(async () => {
${USE}
})().catch((error) => { console.error(error); process.exitCode = 1; });`,
    );
    const result = await node(['use.cjs']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject(EXPECTED_USE);
  });

  it('import does not load the Okta SDK nor the sandbox (ESM), until the Okta client is first used', async () => {
    writeFileSync(
      join(consumer, 'cost.mjs'),
      `import { register, createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
writeFileSync(process.env.LOAD_LOG, '');
register('./hooks.mjs', import.meta.url, { data: { log: process.env.LOAD_LOG } });
${LOADED}
const lib = await import('${pkg.name}');
const afterImport = loaded();
const context = lib.createContext({ region: 'us-east-1', okta: { orgUrl: 'https://example.okta.com', token: 'not-a-token' } });
await context.okta();
console.log(JSON.stringify({ afterImport, afterOktaUse: loaded() }));`,
    );
    const result = await node(['cost.mjs'], { LOAD_LOG: join(work, 'esm-loads.log') });
    expect(result.stderr).toBe('');
    const { afterImport, afterOktaUse } = JSON.parse(result.stdout);
    expect(afterImport).toEqual({ library: true, okta: false, sandbox: false });
    // The detector sees the SDK once it is loaded: the check above can fail.
    expect(afterOktaUse).toEqual({ library: true, okta: true, sandbox: false });
  });

  it('require does not load the Okta SDK nor the sandbox (CJS), until the Okta client is first used', async () => {
    writeFileSync(
      join(consumer, 'cost.cjs'),
      `const { createRequire } = require('node:module');
const { readFileSync } = require('node:fs');
${LOADED}
const lib = require('${pkg.name}');
const afterImport = loaded();
const context = lib.createContext({ region: 'us-east-1', okta: { orgUrl: 'https://example.okta.com', token: 'not-a-token' } });
context.okta().then(() => console.log(JSON.stringify({ afterImport, afterOktaUse: loaded() })));`,
    );
    const result = await node(['--import', './register.mjs', 'cost.cjs'], {
      LOAD_LOG: join(work, 'cjs-loads.log'),
    });
    expect(result.stderr).toBe('');
    const { afterImport, afterOktaUse } = JSON.parse(result.stdout);
    expect(afterImport).toEqual({ library: true, okta: false, sandbox: false });
    expect(afterOktaUse).toEqual({ library: true, okta: true, sandbox: false });
  });

  it("the library's bundles do not contain the sandbox", () => {
    const sandbox = readFileSync(join(consumer, 'node_modules', pkg.name, 'dist/sandbox/index.js'), 'utf8');
    expect(sandbox).toContain('the sandbox binds to loopback only');
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const code = readFileSync(join(consumer, 'node_modules', pkg.name, file), 'utf8');
      expect(code).not.toContain('the sandbox binds to loopback only');
      expect(code).not.toMatch(/require\(["'][^"']*sandbox/);
    }
  });
});
