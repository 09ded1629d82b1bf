/** The options of a rotation, checked before any call. */
import type { ResolvedApp, ResolvedConfig } from '../../config/index.js';
import { ConfigError } from '../../core/errors.js';
import type { RotateOptions } from './types.js';

/** The options with their defaults, and the apps to rotate. */
export interface CheckedRotateOptions {
  apps: ResolvedApp[];
  validityYears: number;
  verify: RotateOptions['verify'];
  ifExpiringWithinDays: number | undefined;
  ifOlderThanDays: number | undefined;
  propagationDelayMs: number;
}

/** @throws {ConfigError} every invalid option, with its field. */
export function checkOptions(config: ResolvedConfig, options: RotateOptions): CheckedRotateOptions {
  const issues: { field: string; message: string }[] = [];
  const { validityYears = 10, propagationDelayMs = 10_000 } = options;
  if (!Number.isInteger(validityYears) || validityYears < 2 || validityYears > 10) {
    issues.push({
      field: 'validityYears',
      message: `must be a whole number of years from 2 to 10, got ${String(validityYears)}`,
    });
  }
  if (options.verify !== undefined && typeof options.verify !== 'function') {
    issues.push({ field: 'verify', message: 'must be a function (stage, app) => Promise<void>' });
  }
  for (const field of ['ifExpiringWithinDays', 'ifOlderThanDays'] as const) {
    const v = options[field];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      issues.push({ field, message: `must be a number of days ≥ 0, got ${String(v)}` });
    }
  }
  if (
    typeof propagationDelayMs !== 'number' ||
    !Number.isFinite(propagationDelayMs) ||
    propagationDelayMs < 0 ||
    propagationDelayMs > 600_000
  ) {
    issues.push({
      field: 'propagationDelayMs',
      message: `must be 0–600000 ms, got ${String(propagationDelayMs)}`,
    });
  }
  let apps = config.apps;
  if (options.app !== undefined) {
    apps = config.apps.filter((a) => a.kind === options.app);
    if (apps.length === 0) {
      issues.push({
        field: 'app',
        message: `the config has no app of kind '${String(options.app)}' (it has ${config.apps.map((a) => a.kind).join(', ')})`,
      });
    }
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  return {
    apps,
    validityYears,
    verify: options.verify,
    ifExpiringWithinDays: options.ifExpiringWithinDays,
    ifOlderThanDays: options.ifOlderThanDays,
    propagationDelayMs,
  };
}
