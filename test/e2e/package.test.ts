/**
 * The package as npm delivers it: `npm pack` of a clean copy of the sources (no dist/: `prepack` builds
 * it), installed into a fresh consumer project outside the repository that brings its own AWS SDK
 * clients (they are peer dependencies), used from an ES module and from a CommonJS script — the library
 * against the sandbox, both entry points, both formats — typechecked by a strict consumer (`strict`,
 * no `skipLibCheck`) in both module systems, and the cost of importing it.
 *
 * The install is a real `npm install` (the dependencies as declared, from npm's cache or the registry).
 * Which AWS SDK versions the consumer brings: CONSUMER_SDK=locked (default: the versions in this
 * repository's node_modules), `lowest` (the lower bounds of the peer ranges) or `highest` (the newest
 * npm picks within the peer ranges for this Node — see the README's "Compatibility"). Where the registry
 * cannot be reached at all, the consumer's node_modules is made instead of the unpacked tarball plus
 * links to this repository's copies of the dependencies and peers, so the rest still runs.
 *
 * The clean copy's tarball is cached by the content of the sources (in the OS temp directory), so a
 * second run on the same sources — CI runs this file on two Node versions — builds only once.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
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
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const AWS_PEERS = ['@aws-sdk/client-iam', '@aws-sdk/client-connect'] as const;

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

const installedVersion = (dir: string, name: string): string =>
  (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

/** The consumer's own AWS SDK clients, per CONSUMER_SDK (see the module comment). */
function consumerSdk(): { mode: string; versions: Record<string, string> } {
  const mode = process.env.CONSUMER_SDK ?? 'locked';
  const versions: Record<string, string> = {};
  for (const name of AWS_PEERS) {
    const range = pkg.peerDependencies[name];
    if (!range) throw new Error(`${name} is not a peer dependency`);
    if (mode === 'lowest') {
      const low = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
      if (!low) throw new Error(`cannot read the lowest version of ${name}@${range}`);
      versions[name] = low;
    } else if (mode === 'highest') {
      versions[name] = range;
    } else if (mode === 'locked') {
      versions[name] = installedVersion(root, name);
    } else {
      throw new Error(`CONSUMER_SDK must be locked, lowest or highest (got '${mode}')`);
    }
  }
  return { mode, versions };
}

/** The files a clean clone holds: tracked and untracked-but-not-ignored ones (no dist/, no node_modules). */
function sourceFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
  });
  const listed =
    git.status === 0
      ? git.stdout.toString().split('\0')
      : readdirSync(root, { recursive: true, encoding: 'utf8' });
  return listed
    .filter((f) => f !== '' && !/^(node_modules|dist|\.git)([\\/]|$)/.test(f))
    .filter((f) => existsSync(join(root, f)) && statSync(join(root, f)).isFile())
    .sort();
}

/**
 * Whether a source file can change the tarball: what the build reads (scripts/ensure-built.mjs INPUTS),
 * the prepack script itself, and what package.json "files" ships besides dist/.
 */
function shapesTarball(file: string): boolean {
  const shipped = ['src/', 'scripts/ensure-built.mjs', 'tsup.config.ts', 'tsconfig.json', 'package.json'];
  const packaged = ['schema/', 'README.md', 'LICENSE', 'CHANGELOG.md'];
  return [...shipped, ...packaged].some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
}

interface Packed {
  tarball: string;
  files: string[];
  /** The clean copy had no dist/ before `npm pack`; its prepack built it. */
  cleanHadDist: boolean;
  cached: boolean;
}

/** `npm pack` of a clean copy of the sources, cached by the content of those that shape the tarball. */
async function packCleanCopy(work: string): Promise<Packed> {
  const sources = sourceFiles();
  const hash = createHash('sha256');
  for (const tool of ['tsup', 'typescript']) hash.update(`${tool}@${installedVersion(root, tool)}\0`);
  for (const file of sources.filter(shapesTarball)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
  }
  const cacheDir = join(tmpdir(), 'cos-package-cache');
  const key = join(cacheDir, hash.digest('hex').slice(0, 24));
  if (existsSync(`${key}.json`) && existsSync(`${key}.tgz`)) {
    const meta = JSON.parse(readFileSync(`${key}.json`, 'utf8')) as Omit<Packed, 'tarball' | 'cached'>;
    return { ...meta, tarball: `${key}.tgz`, cached: true };
  }
  const clean = join(work, 'clean');
  for (const file of sources) {
    mkdirSync(dirname(join(clean, file)), { recursive: true });
    copyFileSync(join(root, file), join(clean, file));
  }
  symlinkSync(join(root, 'node_modules'), join(clean, 'node_modules'), 'dir');
  const cleanHadDist = existsSync(join(clean, 'dist'));
  const packed = await run(npm, ['pack', '--json', '--pack-destination', work], {
    cwd: clean,
    env: npmEnv(),
    timeout: 240_000,
  });
  if (packed.code !== 0) throw new Error(`npm pack of a clean copy failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error(`npm pack printed no package: ${packed.stdout}`);
  const meta = { files: info.files.map((f) => f.path).sort(), cleanHadDist };
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(join(work, info.filename), `${key}.tgz`);
  writeFileSync(`${key}.json`, JSON.stringify(meta));
  return { ...meta, tarball: `${key}.tgz`, cached: false };
}

let work: string;
let consumer: string;
let packed: Packed;
let files: string[];
let installedBy: 'npm install' | 'links';
const sdk = consumerSdk();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cos-package-'));
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  packed = await packCleanCopy(work);
  files = packed.files;

  // A consumer with its own AWS SDK clients (and @types/node for its typecheck), then the package.
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      type: 'commonjs',
      dependencies: { ...sdk.versions, [pkg.name]: `file:${packed.tarball}` },
      devDependencies: { '@types/node': installedVersion(root, '@types/node') },
    }),
  );
  const installed = await run(npm, ['install', '--prefer-offline', '--no-package-lock'], {
    cwd: consumer,
    env: npmEnv(),
    timeout: 240_000,
  });
  if (installed.code === 0) {
    installedBy = 'npm install';
  } else if (
    /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH)|network/i.test(installed.stderr)
  ) {
    // No registry: unpack the tarball and link this repository's dependencies, peers and @types/node.
    const target = join(consumer, 'node_modules', pkg.name);
    mkdirSync(target, { recursive: true });
    const untar = await run('tar', ['-xzf', packed.tarball, '-C', target, '--strip-components=1'], {
      cwd: work,
    });
    if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
    for (const dep of [...Object.keys(pkg.dependencies), ...AWS_PEERS, '@types/node']) {
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
}, 480_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
}, 60_000);

/** A consumer's typed use of both entry points; `cjs` is compiled as CommonJS (require conditions). */
const TYPED_USE = (kind: 'esm' | 'cjs') => `import { ConnectClient } from '@aws-sdk/client-connect';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  buildRelayState,
  ConfigError,
  type ConnectSsoConfig,
  createContext,
  type OktaClientLike,
  type ProvisionResult,
  provisionConnectSso,
  type SsoContext,
  silentLogger,
  systemClock,
} from '${pkg.name}';
import { type Sandbox, startSandbox } from '${pkg.name}/sandbox';

export async function use${kind}(okta: OktaClientLike): Promise<string> {
  const sb: Sandbox = await startSandbox({ instanceCreationMs: 0 });
  const context: SsoContext = createContext({ region: sb.aws.region, endpoint: sb.aws.endpoint, okta: { client: okta } });
  // A context built by hand from the consumer's own SDK clients.
  const own: SsoContext = {
    region: 'us-east-1',
    iam: new IAMClient({ region: 'us-east-1' }),
    connect: new ConnectClient({ region: 'us-east-1' }),
    okta: async () => okta,
    logger: silentLogger,
    clock: systemClock,
    stack: 'consumer',
  };
  const config: ConnectSsoConfig = { region: 'us-east-1', instance: { alias: 'typed-cc' }, okta: { orgUrl: sb.okta.orgUrl }, apps: [{ kind: 'admin' }] };
  const result: ProvisionResult = await provisionConnectSso(config, { context: own });
  const labels: string[] = result.apps.map((a) => a.label);
  try {
    buildRelayState({ region: 'us-east-1', instanceId: 'x' });
  } catch (error) {
    if (error instanceof ConfigError) labels.push(error.field);
  }
  await sb.stop();
  return [context.region, ...labels].join(',');
}
`;

function tsconfig(files: string[]) {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
    files,
  };
}

/** This repository's TypeScript, on the consumer's project and its node_modules only. */
function tsc(): Promise<Run> {
  return run(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    {
      cwd: consumer,
      timeout: 120_000,
    },
  );
}

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
    aws: [...new Set(all.map((u) => /@aws-sdk[\\\\/](client-[a-z-]+)[\\\\/]/.exec(u)?.[1]).filter(Boolean))].sort(),
    sandbox: all.some((u) => /connect-okta-sso[\\\\/]dist[\\\\/]sandbox[\\\\/]/.test(u)),
  };
}`;

/**
 * What is loaded after each stage: the import, createContext, the first Okta use, a step's first AWS
 * call (createSamlInstance reads Connect only; the endpoint is a closed loopback port, so it fails at once).
 */
const COST = `const stages = { afterImport: loaded() };
const context = lib.createContext({
  region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1,
  credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'not-a-secret' },
  okta: { orgUrl: 'https://example.okta.com', token: 'not-a-token' },
});
stages.afterCreateContext = loaded();
await context.okta();
stages.afterOktaUse = loaded();
await lib.createSamlInstance(context, { alias: 'cost-cc', dryRun: true }).catch(() => undefined);
stages.afterConnectCall = loaded();`;

const EXPECTED_COST = {
  afterImport: { library: true, okta: false, sandbox: false, aws: [] },
  afterCreateContext: { library: true, okta: false, sandbox: false, aws: [] },
  // The detector sees each SDK once it is loaded: the checks above can fail.
  afterOktaUse: { library: true, okta: true, sandbox: false, aws: [] },
  afterConnectCall: { library: true, okta: true, sandbox: false, aws: ['client-connect'] },
};

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

  it('is packed from a clean copy of the sources: prepack builds dist/', () => {
    expect(pkg.scripts.prepack).toBe('node scripts/ensure-built.mjs');
    expect(packed.cleanHadDist).toBe(false);
    expect(files.filter((f) => f.startsWith('dist/')).length).toBeGreaterThan(8);
  });

  it(`installs into a consumer project that brings its own AWS SDK clients (${sdk.mode})`, () => {
    expect(existsSync(join(consumer, 'node_modules', pkg.name, 'dist', 'index.js'))).toBe(true);
    if (installedBy === 'links') {
      console.warn('package test: the registry was unreachable; dependencies linked');
      return;
    }
    const installed = join(consumer, 'node_modules', pkg.name);
    for (const name of AWS_PEERS) {
      // The consumer's copy, and only it: the package has no copy of its own.
      expect(existsSync(join(installed, 'node_modules', name))).toBe(false);
      const version = installedVersion(consumer, name);
      const wanted = sdk.versions[name] ?? '';
      if (/^\d/.test(wanted)) expect(version).toBe(wanted);
      // Within the tested peer range (^3.<lowest>.0).
      const low = (pkg.peerDependencies[name] ?? '').replace(/^\^/, '').split('.').map(Number);
      const got = version.split('.').map(Number);
      expect(got[0]).toBe(low[0]);
      expect((got[1] ?? 0) >= (low[1] ?? 0)).toBe(true);
      // Its engines accept this Node (npm picks such a version; see the README's "Compatibility").
      const engines = (
        JSON.parse(readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8')) as {
          engines?: { node?: string };
        }
      ).engines?.node;
      const floor = Number(/>=\s*(\d+)/.exec(engines ?? '>=0')?.[1]);
      expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(floor);
    }
    // The optional peer is not installed for the consumer who did not ask for it.
    expect(pkg.peerDependenciesMeta?.['@aws-sdk/client-secrets-manager']?.optional).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', '@aws-sdk', 'client-secrets-manager'))).toBe(false);
    console.info(
      `package test: consumer SDK (${sdk.mode}) ${AWS_PEERS.map((n) => `${n}@${installedVersion(consumer, n)}`).join(', ')} on Node ${process.versions.node}`,
    );
  });

  it('its type declarations name no Okta SDK module (a strict consumer would need node-fetch types)', () => {
    for (const file of files.filter((f) => /\.d\.c?ts$/.test(f))) {
      const dts = readFileSync(join(consumer, 'node_modules', pkg.name, file), 'utf8');
      expect(dts, file).not.toMatch(
        /from ['"]@okta\/okta-sdk-nodejs['"]|import\(['"]@okta\/okta-sdk-nodejs['"]\)/,
      );
      expect(dts, file).not.toMatch(/['"]node-fetch['"]/);
    }
  });

  it('typechecks in a strict consumer (strict, exactOptionalPropertyTypes, no skipLibCheck), ESM and CJS', async () => {
    writeFileSync(join(consumer, 'types-esm.mts'), TYPED_USE('esm'));
    writeFileSync(join(consumer, 'types-cjs.cts'), TYPED_USE('cjs'));
    // One deliberate error, so that the run shows the check sees a consumer's mistakes (it can fail).
    writeFileSync(
      join(consumer, 'types-wrong.mts'),
      `import { buildRelayState } from '${pkg.name}';\nbuildRelayState({ region: 'us-east-1', instanceId: 42 });\n`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify(tsconfig(['types-esm.mts', 'types-cjs.cts', 'types-wrong.mts'])),
    );
    const checked = await tsc();
    const errors = checked.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    // Only the deliberate one: nothing in the package's declarations, the SDKs' or the typed use.
    expect(errors).toEqual([expect.stringMatching(/^types-wrong\.mts\(2,\d+\): error TS2322: /)]);
    expect(checked.code).not.toBe(0);
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

  it('import loads neither the Okta SDK, nor any AWS SDK client, nor the sandbox (ESM); each loads on first use', async () => {
    writeFileSync(
      join(consumer, 'cost.mjs'),
      `import { register, createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
writeFileSync(process.env.LOAD_LOG, '');
register('./hooks.mjs', import.meta.url, { data: { log: process.env.LOAD_LOG } });
${LOADED}
const lib = await import('${pkg.name}');
${COST}
console.log(JSON.stringify(stages));`,
    );
    const result = await node(['cost.mjs'], { LOAD_LOG: join(work, 'esm-loads.log') });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(EXPECTED_COST);
  });

  it('require loads neither the Okta SDK, nor any AWS SDK client, nor the sandbox (CJS); each loads on first use', async () => {
    writeFileSync(
      join(consumer, 'cost.cjs'),
      `const { createRequire } = require('node:module');
const { readFileSync } = require('node:fs');
${LOADED}
(async () => {
const lib = require('${pkg.name}');
${COST}
console.log(JSON.stringify(stages));
})();`,
    );
    const result = await node(['--import', './register.mjs', 'cost.cjs'], {
      LOAD_LOG: join(work, 'cjs-loads.log'),
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(EXPECTED_COST);
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
