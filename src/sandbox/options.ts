/**
 * The sandbox's options: their defaults, and the check of what a caller gave (every problem at once).
 */
import type { FaultSpec, RequestLogEntry, SandboxOptions } from './types.js';

/** Options after defaults were applied. */
export interface ResolvedSandboxOptions {
  host: string;
  port: number;
  accountId: string;
  region: string;
  instanceCreationMs: number;
  latencyMs: number | Record<string, number>;
  seed: number;
  faults: FaultSpec[];
  rateLimits: 'off' | 'realistic';
  iamConsistencyMs: number;
  failInstanceAliases: string[];
  now: () => number;
  onRequest?: ((entry: RequestLogEntry) => void) | undefined;
}

const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  accountId: '123456789012',
  region: 'us-east-1',
  instanceCreationMs: 1500,
  latencyMs: 0,
  seed: 1,
  rateLimits: 'off',
  iamConsistencyMs: 0,
} as const;

/** The options with their defaults, checked: a `TypeError` lists every problem. */
export function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const resolved: ResolvedSandboxOptions = {
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? DEFAULTS.port,
    accountId: options.accountId ?? DEFAULTS.accountId,
    region: options.region ?? DEFAULTS.region,
    instanceCreationMs: options.instanceCreationMs ?? DEFAULTS.instanceCreationMs,
    latencyMs: options.latencyMs ?? DEFAULTS.latencyMs,
    seed: options.seed ?? DEFAULTS.seed,
    faults: [...(options.faults ?? [])],
    rateLimits: options.rateLimits ?? DEFAULTS.rateLimits,
    iamConsistencyMs: options.iamConsistencyMs ?? DEFAULTS.iamConsistencyMs,
    failInstanceAliases: [...(options.failInstanceAliases ?? [])],
    now: options.now ?? Date.now,
    onRequest: options.onRequest,
  };
  const problems: string[] = [];
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1)$/.test(resolved.host)) {
    problems.push(`host: the sandbox binds to loopback only, got '${resolved.host}'`);
  }
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) {
    problems.push(`port: expected an integer 0–65535, got ${String(options.port)}`);
  }
  if (!/^\d{12}$/.test(resolved.accountId))
    problems.push(`accountId: expected 12 digits, got '${resolved.accountId}'`);
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(resolved.region))
    problems.push(`region: not an AWS region: '${resolved.region}'`);
  if (!(resolved.instanceCreationMs >= 0)) problems.push('instanceCreationMs: expected a number ≥ 0');
  if (!(resolved.iamConsistencyMs >= 0)) problems.push('iamConsistencyMs: expected a number ≥ 0');
  if (!Number.isInteger(resolved.seed)) problems.push('seed: expected an integer');
  if (resolved.rateLimits !== 'off' && resolved.rateLimits !== 'realistic') {
    problems.push(`rateLimits: expected 'off' or 'realistic', got '${String(resolved.rateLimits)}'`);
  }
  resolved.faults.forEach((fault, i) => {
    if (!['iam', 'connect', 'okta', 'secretsmanager', 'sts'].includes(fault.service))
      problems.push(`faults[${i}].service: unknown service`);
    if (!['throttle', 'server-error', 'reset'].includes(fault.kind))
      problems.push(`faults[${i}].kind: unknown kind`);
    if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) {
      problems.push(`faults[${i}].probability: expected 0–1`);
    }
  });
  const hooks = options.eventHooks;
  if (hooks !== undefined) {
    if (hooks.timeoutMs !== undefined && !(hooks.timeoutMs > 0))
      problems.push('eventHooks.timeoutMs: expected a number > 0');
    if (
      hooks.duplicateProbability !== undefined &&
      !(hooks.duplicateProbability >= 0 && hooks.duplicateProbability <= 1)
    ) {
      problems.push('eventHooks.duplicateProbability: expected 0–1');
    }
    if (
      hooks.reorderWindow !== undefined &&
      !(Number.isInteger(hooks.reorderWindow) && hooks.reorderWindow >= 1)
    ) {
      problems.push('eventHooks.reorderWindow: expected an integer ≥ 1');
    }
  }
  if (problems.length > 0) throw new TypeError(`Invalid sandbox options:\n  ${problems.join('\n  ')}`);
  return resolved;
}
