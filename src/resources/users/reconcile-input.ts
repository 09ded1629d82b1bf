/** The checks of `reconcileUsers`' input: every problem at once, before any request. */
import { ConfigError } from '../../core/errors.js';
import { assignmentTargetIssues, connectInputIssues, loginIssues } from './assignment-input.js';
import type { ReconcileUsersInput } from './reconcile-types.js';

type Issue = { field: string; message: string };

/** @throws {ConfigError} every problem of the input, each with its field. */
export function validateReconcileInput(input: ReconcileUsersInput): void {
  if (typeof input !== 'object' || input === null) throw new ConfigError('input', 'expected an object');
  const issues: Issue[] = [...assignmentTargetIssues(input)];
  if (typeof input.dryRun !== 'boolean') issues.push({ field: 'dryRun', message: 'must be true or false' });
  const { concurrency } = input;
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)
  ) {
    issues.push({
      field: 'concurrency',
      message: `must be a whole number from 1 to 64 (got ${String(concurrency)})`,
    });
  }
  if (input.onProgress !== undefined && typeof input.onProgress !== 'function') {
    issues.push({ field: 'onProgress', message: 'must be a function' });
  }
  const { group } = input;
  if (group !== undefined) {
    if (typeof group !== 'object' || group === null || typeof group.name !== 'string' || group.name === '') {
      issues.push({ field: 'group', message: 'expected { id, name } of the Okta group' });
    } else if (
      group.id === undefined ? input.dryRun !== true : typeof group.id !== 'string' || group.id === ''
    ) {
      issues.push({
        field: 'group.id',
        message:
          'the group id is required (only a dry run may leave it out, when the group does not exist yet)',
      });
    }
  }
  if (!Array.isArray(input.users)) {
    issues.push({ field: 'users', message: 'must be a list of users' });
  } else {
    const seen = new Map<string, number>();
    input.users.forEach((user, i) => {
      const at = `users[${i}]`;
      if (typeof user !== 'object' || user === null) {
        issues.push({ field: at, message: 'expected { login, connect }' });
        return;
      }
      issues.push(...loginIssues(`${at}.login`, user.login));
      issues.push(...connectInputIssues(`${at}.connect`, user.connect));
      if (typeof user.login === 'string') {
        const key = user.login.toLowerCase();
        const before = seen.get(key);
        if (before !== undefined) {
          issues.push({
            field: `${at}.login`,
            message: `'${user.login}' is also users[${before}] (Okta logins are case-insensitive)`,
          });
        } else seen.set(key, i);
      }
    });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}
