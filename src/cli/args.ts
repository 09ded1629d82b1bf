/**
 * Command-line parsing for every command: `node:util` parseArgs with the options every command has
 * (`--json`, `--debug`, `--help`), readable errors (exit 2), and a refusal of any flag that would carry
 * a secret — a secret on the command line stays in the shell history and the process list.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Options of the commands that talk to AWS and Okta. */
export const CONNECTION_OPTIONS = {
  config: { type: 'string', short: 'c' },
  profile: { type: 'string' },
  'okta-token-stdin': { type: 'boolean' },
} as const satisfies OptionSpec;

/** The flags people try for secrets; each is refused with where the secret goes instead. */
const SECRET_FLAGS = new Set([
  'token',
  'api-token',
  'okta-token',
  'okta-api-token',
  'secret',
  'secret-key',
  'secret-access-key',
  'aws-secret-access-key',
  'access-key',
  'aws-access-key-id',
  'session-token',
  'aws-session-token',
  'private-key',
  'okta-private-key',
  'client-secret',
  'password',
]);

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parse a command's arguments.
 * @throws {UsageError} an unknown option, a missing value, too many positionals, or a secret flag.
 */
export function parse(argv: readonly string[], options: OptionSpec, maxPositionals = 0): Parsed {
  for (const arg of argv) {
    if (arg === '--') break;
    const name = /^--?([A-Za-z][\w-]*)(=|$)/.exec(arg)?.[1]?.toLowerCase();
    if (name && SECRET_FLAGS.has(name) && !(name in options)) {
      throw new UsageError(
        `--${name}: secrets are never taken as command-line flags (they would stay in the shell history and the process list)`,
        `--${name}`,
        'Put Okta credentials in the environment (OKTA_API_TOKEN, or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE) or pipe a token with --okta-token-stdin; AWS credentials come from --profile, AWS_PROFILE or the default credential chain.',
      );
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`unknown option ${unknown[1]}`, unknown[1]);
    const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
    if (missing) throw new UsageError(`${missing[2]} needs a value`, missing[2]);
    const boolValue = /Option '(-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
    if (boolValue) throw new UsageError(`${boolValue[2]} does not take a value`, boolValue[2]);
    throw new UsageError(message.split('. ')[0] ?? message);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `unexpected argument '${parsed.positionals[maxPositionals]}'`,
      undefined,
      'Options take the form --name value; see --help.',
    );
  }
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}

/** A string option's value, or undefined. */
export function stringOption(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean option. */
export function flag(values: Parsed['values'], name: string): boolean {
  return values[name] === true;
}

/** An integer option in a range. @throws {UsageError} */
export function intOption(
  values: Parsed['values'],
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${value}'`, `--${name}`);
  return n;
}

/** A duration: `90` or `90s`, `30m`, `2h`, `500ms`. Returns milliseconds. @throws {UsageError} */
export function durationOption(values: Parsed['values'], name: string, maxMs: number): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const ms = m ? Math.round(Number(m[1]) * unit[(m[2] ?? 's') as keyof typeof unit]) : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0 || ms > maxMs) {
    throw new UsageError(
      `--${name} must be a duration such as 90s, 30m or 2h (at most ${maxMs / 3_600_000} h), got '${value}'`,
      `--${name}`,
    );
  }
  return ms;
}
