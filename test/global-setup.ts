/**
 * Some tests drive the built CLI as a process (as users run it). Build `dist/` first when it is
 * missing or older than the sources, so that `npm test` works on a fresh clone as the README says — the
 * same check as `npm run demo` and `prepack` (scripts/ensure-built.mjs).
 */
import { ensureBuilt } from '../scripts/ensure-built.mjs';

export default function setup(): void {
  try {
    ensureBuilt({ quiet: true });
  } catch (error) {
    throw new Error(`npm run build failed; the CLI tests need dist/:\n${(error as Error).message}`);
  }
}
