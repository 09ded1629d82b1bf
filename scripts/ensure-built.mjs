#!/usr/bin/env node
/**
 * Build `dist/` only when it is missing or older than what it is built from (src/, tsup.config.ts,
 * tsconfig.json, package.json), and quietly: one line while it builds, tsup's own output only when the
 * build fails. Used by `npm run demo`, `npm run example`, `prepack` (so `npm pack` of a clean clone ships
 * dist/) and test/global-setup.ts (the CLI tests drive the built CLI).
 *
 * Two processes that need a build at once (a test run and `npm run demo`) build once: the second waits
 * for the first (a lock directory beside dist/) and then finds dist/ fresh.
 *
 * `node scripts/ensure-built.mjs [--quiet]` — exit code 0 when dist/ is fresh (built or not), 1 when the
 * build failed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const defaultRoot = join(import.meta.dirname, '..');

/** What `npm run build` writes; dist/ is fresh when every one is newer than every input. */
export const OUTPUTS = [
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/sandbox/index.js',
  'dist/sandbox/index.cjs',
  'dist/sandbox/index.d.ts',
  'dist/sandbox/index.d.cts',
  'dist/cloudformation/index.js',
  'dist/cloudformation/index.cjs',
  'dist/cloudformation/index.d.ts',
  'dist/cloudformation/index.d.cts',
  'dist/cdk/index.js',
  'dist/cdk/index.cjs',
  'dist/cdk/index.d.ts',
  'dist/cdk/index.d.cts',
  'dist/cli/main.js',
  'dist/demo.js',
  'dist/lambda/handler/index.mjs',
];

/** What the build reads: a change to any of them makes dist/ stale. */
export const INPUTS = ['src', 'tsup.config.ts', 'tsconfig.json', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why dist/ under `root` needs a build (`undefined` when it is fresh). */
export function staleReason(root = defaultRoot) {
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const output of OUTPUTS) {
    const path = join(root, output);
    if (!existsSync(path)) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, statSync(path).mtimeMs);
  }
  for (const input of INPUTS) {
    if (newestMtime(join(root, input)) > oldestOutput) return `${input} changed since the last build`;
  }
  return undefined;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Hold `lock` (a directory: creating it is atomic) while `fn` runs; a lock older than 5 minutes is stale. */
function withLock(lock, fn) {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Gone meanwhile: try again.
      }
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Build dist/ if it is stale. Returns whether it built. Prints one line to stderr when it builds
 * (unless `quiet`); throws with tsup's output when the build fails.
 * @param {{ root?: string, quiet?: boolean, log?: (line: string) => void }} [options]
 * @returns {{ built: boolean, reason?: string, ms: number }}
 */
export function ensureBuilt(options = {}) {
  const root = options.root ?? defaultRoot;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  if (staleReason(root) === undefined) return { built: false, ms: Date.now() - started };
  return withLock(join(root, '.dist-build.lock'), () => {
    // Another process may have built it while this one waited.
    const reason = staleReason(root);
    if (reason === undefined) return { built: false, ms: Date.now() - started };
    if (!options.quiet) log(`connect-okta-sso: building dist/ (${reason})…`);
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js')], {
        cwd: root,
        stdio: 'pipe',
      });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
      throw new Error(`the build of dist/ failed (npm run build shows why):\n${output}`);
    }
    return { built: true, reason, ms: Date.now() - started };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureBuilt({ quiet: process.argv.includes('--quiet') });
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
