/**
 * The built CLI's start-up: `--help` and `--version` load neither the library (and so the AWS SDK) nor
 * the Okta SDK nor the sandbox — each command loads what it needs when it runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const run = promisify(execFile);

/** A module hook (in Node's loader thread) appending every resolved URL to $TRACE_FILE. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.TRACE_FILE, result.url + '\\n');
  return result;
}`;
const REGISTER = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));`;

async function traced(args: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const trace = join(mkdtempSync(join(tmpdir(), 'cos-trace-')), 'trace.txt');
  const { stdout } = await run(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, cli, ...args],
    { cwd: root, env: { ...process.env, TRACE_FILE: trace } },
  );
  return { stdout, loaded: readFileSync(trace, 'utf8').trim().split('\n') };
}

describe('CLI start-up', () => {
  it('--help, a command --help and --version load nothing heavy', async () => {
    for (const args of [
      ['--help'],
      ['apply', '--help'],
      ['doctor', '--help'],
      ['--version'],
      ['init', '--help'],
    ]) {
      const { stdout, loaded } = await traced(args);
      expect(stdout.length).toBeGreaterThan(4);
      // The hook works: it saw the CLI itself.
      expect(loaded.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
      const heavy = loaded.filter((u) =>
        /@okta\/okta-sdk-nodejs|@aws-sdk\/|\/dist\/index\.js$|\/dist\/sandbox\/|\/dist\/demo\.js$/.test(u),
      );
      expect(heavy, `${args.join(' ')} loaded ${heavy.join(', ')}`).toEqual([]);
    }
  });

  it('a command that runs does load the library (the trace would see it)', async () => {
    const { loaded } = await traced([
      'init',
      '--json',
      '--region',
      'us-east-1',
      '--alias',
      'x',
      '--org-url',
      'https://x.okta.com',
      '--out',
      join(mkdtempSync(join(tmpdir(), 'cos-init-')), 'sso.yaml'),
    ]);
    expect(loaded.some((u) => u.endsWith('/dist/index.js'))).toBe(true);
    expect(loaded.some((u) => u.includes('@okta/okta-sdk-nodejs'))).toBe(false);
  });
});

describe('demo --json', () => {
  it('prints the narrated run as one JSON document', async () => {
    const { stdout } = await run(process.execPath, [cli, 'demo', '--json'], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const doc = JSON.parse(stdout) as { command: string; exitCode: number; transcript: string[] };
    expect(doc).toMatchObject({ command: 'demo', exitCode: 0 });
    expect(doc.transcript.some((l) => l.startsWith('   status: manual-action-required'))).toBe(true);
  });
});
