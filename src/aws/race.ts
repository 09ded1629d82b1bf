/**
 * Losing a create race: two runs of the same config read "missing" at the same moment and both create;
 * AWS refuses the second (`EntityAlreadyExists`, a duplicate instance alias). The loser must not fail
 * with a misleading message: it reads again, finds what the other run made, and the step's ordinary
 * ownership and drift checks decide (ours → adopt it as existing; someone else's → ConflictError).
 */
import type { ConflictError } from '../errors.js';

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

/**
 * Run a step; if its create lost a race ({@link CreateRaceError}), run it once more — its read now finds
 * the resource. A second lost race is reported as the carried ConflictError.
 */
export async function onceMoreIfRaced<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CreateRaceError)) throw error;
  }
  try {
    return await run();
  } catch (error) {
    throw error instanceof CreateRaceError ? error.conflict : error;
  }
}
