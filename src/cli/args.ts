/**
 * Command-line options from one spec: each command declares its options once, as an {@link OptionSpec}
 * (name, type, short alias, value placeholder, description, default), and both `node:util` parseArgs
 * ({@link parse}) and the help renderer (`./help.ts`) read that spec — so the help cannot list an option
 * the parser refuses, or miss one it takes. Every command also has {@link COMMON_OPTIONS}.
 *
 * Parsing gives readable errors (exit 2) and refuses any flag that would carry a secret: a secret on the
 * command line stays in the shell history and the process list.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** What `node:util` parseArgs needs of an option. */
export interface ParseOption {
  /** `string` takes a value (`--config FILE`), `boolean` does not (`--yes`). */
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`-c`). */
  readonly short?: string;
  /** The option may be repeated; its value is then the list of values. */
  readonly multiple?: boolean;
}

/** One option of a command: how it parses and how its help line reads. */
export interface OptionDef extends ParseOption {
  /** The value's placeholder in the help (`FILE`, `N`, `DURATION`); string options only. Default: `VALUE`. */
  readonly value?: string;
  /** The help text: what the option does (one sentence or two; wrapped by the renderer). */
  readonly description: string;
  /**
   * The value the command gets when the option is not given: applied by {@link parse} and shown in the
   * help as `Default: …`. For a default decided elsewhere (the library, the environment), use
   * {@link OptionDef.defaultText} instead.
   */
  readonly default?: string;
  /** Help only: what happens without the option, when {@link parse} does not supply a value. */
  readonly defaultText?: string;
  /**
   * Options never carry a secret (a token, a key, a password): a value on the command line stays in
   * the shell history and the process list. Secrets come from the environment, a file, or stdin.
   */
  readonly secret?: never;
}

/** A command's options by long name (without `--`). */
export type OptionSpec = Readonly<Record<string, OptionDef>>;

/** What {@link parse} accepts: an {@link OptionSpec}, or bare parse options (descriptions are for the help). */
export type ParseOptions = Readonly<Record<string, ParseOption & { readonly default?: string }>>;

/** Options every command accepts (the help renderer lists them last). */
export const COMMON_OPTIONS = {
  json: {
    type: 'boolean',
    description: 'Print one JSON document on stdout and nothing else (progress goes to stderr)',
  },
  debug: { type: 'boolean', description: 'More detail, and the cause chain of an error (secrets redacted)' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
  version: { type: 'boolean', short: 'v', description: 'Show the version' },
} as const satisfies OptionSpec;

/** Options of the commands that talk to AWS and Okta. */
export const CONNECTION_OPTIONS = {
  config: {
    type: 'string',
    short: 'c',
    value: 'FILE',
    description: 'The config file (YAML or JSON).',
    default: 'sso.yaml',
  },
  profile: {
    type: 'string',
    value: 'NAME',
    description: 'AWS profile.',
    defaultText: 'AWS_ACCESS_KEY_ID/… or the default credential chain',
  },
  'okta-token-stdin': {
    type: 'boolean',
    description: 'Read the Okta API token from stdin (typed without echo on a terminal)',
  },
} as const satisfies OptionSpec;

/** `--okta-token-stdin` of the commands that ask before they write (a piped token needs `--yes`). */
export const OKTA_TOKEN_STDIN_WITH_YES = {
  type: 'boolean',
  description:
    'Read the Okta API token from stdin (typed without echo on a terminal; piped tokens need --yes, since stdin is then not a terminal)',
} as const satisfies OptionDef;

/** The flags people try for secrets; each is refused with where the secret goes instead. */
export const SECRET_FLAGS: ReadonlySet<string> = new Set([
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

/** Parsed arguments. */
export interface Parsed {
  /** Option values by long name, defaults of the spec applied. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The options given on the command line (not filled in from a default). */
  given?: ReadonlySet<string>;
}

/**
 * Check a spec once, when a command is defined: no option may be named like a secret flag, and short
 * aliases must be single letters used once.
 * @throws {Error} a mistake in the CLI's own code, not the user's.
 */
export function checkSpec(name: string, options: ParseOptions): void {
  const shorts = new Map<string, string>();
  for (const [long, o] of Object.entries(options)) {
    if (SECRET_FLAGS.has(long)) throw new Error(`${name}: --${long} would take a secret on the command line`);
    if (o.short !== undefined) {
      if (!/^[A-Za-z]$/.test(o.short)) throw new Error(`${name}: -${o.short} is not a single letter`);
      const other = shorts.get(o.short);
      if (other !== undefined) throw new Error(`${name}: -${o.short} is both --${other} and --${long}`);
      shorts.set(o.short, long);
    }
    if (o.default !== undefined && o.type !== 'string')
      throw new Error(`${name}: --${long} is a flag; only string options have a default`);
  }
}

/**
 * Parse a command's arguments against its spec; the spec's defaults fill what was not given.
 * @throws {UsageError} an unknown option, a missing value, too many positionals, or a secret flag.
 */
export function parse(argv: readonly string[], options: ParseOptions, maxPositionals = 0): Parsed {
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
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [long, o] of Object.entries(options)) {
    config[long] = {
      type: o.type,
      ...(o.short !== undefined ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown)
      throw new UsageError(`unknown option ${unknown[1]}`, unknown[1], 'See --help for the options.');
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
  const values = { ...(parsed.values as Parsed['values']) };
  const given = new Set(Object.keys(values));
  for (const [long, o] of Object.entries(options)) {
    if (o.default !== undefined && values[long] === undefined)
      values[long] = o.multiple ? [o.default] : o.default;
  }
  return { values, positionals: parsed.positionals, given };
}

/** Whether the option was given on the command line (not filled in from its default). */
export function given(parsed: Parsed, name: string): boolean {
  return parsed.given ? parsed.given.has(name) : parsed.values[name] !== undefined;
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
