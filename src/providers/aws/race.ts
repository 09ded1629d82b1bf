/**
 * Losing a create race: two runs of the same config read "missing" at the same moment and both create;
 * AWS refuses the second (`EntityAlreadyExists`, a duplicate instance alias). The loser must not fail
 * with a misleading message: it reads again, finds what the other run made, and the step's ordinary
 * ownership and drift checks decide (ours → adopt it as existing; someone else's → ConflictError).
 */
import type { ConflictError } from '../../core/errors.js';

/**
 * Thrown inside a step when a create was refused because the resource appeared after the step's read.
 * Carries the error to report if a second read still cannot see it (another path, another account, or
 * a read that lags).
 */
export class CreateRaceError extends Error {
  override name = 'CreateRaceError';
  constructor(readonly conflict: ConflictError) {
    super(conflict.message, { cause: conflict });
  }
}

/** A step creates at most a few resources; each may lose its own race once. */
const MAX_RUNS = 4;

/**
 * Run a step; each time one of its creates loses a race ({@link CreateRaceError}), run it again — its
 * read now finds what the other run made, and it goes on from there (a step that creates two resources
 * may lose both races). A race still lost on the last run is reported as the carried ConflictError.
 */
export async function onceMoreIfRaced<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof CreateRaceError)) throw error;
      if (attempt >= MAX_RUNS) throw error.conflict;
    }
  }
}
