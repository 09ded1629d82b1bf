/** What a teardown's IAM detach and delete calls share. */
import { isAwsError } from '../providers/aws/call.js';

/**
 * A detach or delete of something already gone (an interrupted run's answer was lost) is done: use as
 * `.catch(alreadyGone)`; any other error is thrown on.
 */
export function alreadyGone(error: unknown): void {
  if (!isAwsError(error, 'NoSuchEntity')) throw error;
}
