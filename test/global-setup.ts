/**
 * Some tests drive the built CLI as a process (as users run it). Build `dist/` first when it is
 * missing or older than the sources, so that `npm test` works on a fresh clone as the README says.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export default function setup(): void {
  const built = join(root, 'dist', 'cli', 'main.js');
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(root, 'tsup.config.ts')),
    newestMtime(join(root, 'package.json')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js')], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (error) {
    const output = (error as { stdout?: Buffer; stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`npm run build failed; the CLI tests need dist/:\n${output}`);
  }
}
