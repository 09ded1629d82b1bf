/**
 * scripts/ensure-built.mjs: `npm run demo`, `npm run example`, `prepack` and the test setup build dist/
 * only when it is missing or older than its inputs, and say so in one line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, INPUTS, OUTPUTS, staleReason } from '../../scripts/ensure-built.mjs';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'scripts', 'ensure-built.mjs');

/** A project whose dist/ was built at `builtAt` from inputs last changed at `changedAt` (seconds). */
function project(changedAt: number, builtAt: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-ensure-built-'));
  const files = ['src/index.ts', 'src/cli/main.ts', 'tsup.config.ts', 'tsconfig.json', 'package.json'];
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), '{}');
    utimesSync(join(dir, file), changedAt, changedAt);
  }
  for (const d of ['src/cli', 'src']) utimesSync(join(dir, d), changedAt, changedAt);
  for (const file of OUTPUTS) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), '');
    utimesSync(join(dir, file), builtAt, builtAt);
  }
  return dir;
}

describe('ensure-built', () => {
  it('finds dist/ fresh when every output is newer than every input', () => {
    expect(staleReason(project(1_000, 2_000))).toBeUndefined();
  });

  it('finds dist/ stale when a source changed after the build, or an output is missing', () => {
    expect(staleReason(project(3_000, 2_000))).toBe('src changed since the last build');
    const dir = project(1_000, 2_000);
    utimesSync(join(dir, 'src', 'cli', 'main.ts'), 3_000, 3_000);
    expect(staleReason(dir)).toBe('src changed since the last build');
    const config = project(1_000, 2_000);
    utimesSync(join(config, 'tsup.config.ts'), 3_000, 3_000);
    expect(staleReason(config)).toBe('tsup.config.ts changed since the last build');
    const missing = project(1_000, 2_000);
    execFileSync('rm', [join(missing, 'dist', 'cli', 'main.js')]);
    expect(staleReason(missing)).toBe('dist/cli/main.js is missing');
    expect(INPUTS).toEqual(['src', 'tsup.config.ts', 'tsconfig.json', 'package.json']);
  });

  it('does nothing, silently, when dist/ is fresh', () => {
    const lines: string[] = [];
    const result = ensureBuilt({ root: project(1_000, 2_000), log: (l) => lines.push(l) });
    expect(result.built).toBe(false);
    expect(lines).toEqual([]);
    // As a command: no output at all.
    const out = execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toBe('');
  });

  it('a stale dist/ whose build fails: one line, then the build output in the error', () => {
    const lines: string[] = [];
    // A project without tsup: the build cannot run.
    expect(() => ensureBuilt({ root: project(3_000, 2_000), log: (l) => lines.push(l) })).toThrow(
      /the build of dist\/ failed/,
    );
    expect(lines).toEqual(['connect-okta-sso: building dist/ (src changed since the last build)…']);
  });

  it('is what demo, example, bench and prepack run instead of a full build', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prepack).toBe('node scripts/ensure-built.mjs');
    for (const name of ['demo', 'example', 'bench']) {
      expect(scripts[name]).toMatch(/^node scripts\/ensure-built\.mjs && /);
      expect(scripts[name]).not.toMatch(/npm run build/);
    }
  });
});
