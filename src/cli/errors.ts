/**
 * Exit codes, and errors as a user reads them: one sentence saying what is wrong, the field or resource
 * it is about, and the fix. `--debug` adds the cause chain (messages only, redacted like all output).
 *
 * Errors are told apart by their `code` (and the provider's code), never by `instanceof`: the CLI loads
 * the library at run time and must not hold a second copy of its classes.
 */
import { causes, type ErrorProps, isCredentialError, networkFailure, str } from './error-causes.js';
import { type ExplainContext, networkFix, providerFix, sideOf } from './error-fixes.js';
import { errorSummary } from './output.js';

export { causes, isCredentialError } from './error-causes.js';
export type { ExplainContext } from './error-fixes.js';

/** Exit codes shared by every command. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Failed (a provider error, a failed step, a failed verification, cancelled). */
  failure: 1,
  /**
   * Invalid input or configuration (bad flag, invalid config), or AWS or Okta credentials missing or
   * refused (no credentials found, a token or key the service does not accept, expired credentials).
   * A permission the credentials lack is a failure (1): the credentials were accepted.
   */
  usage: 2,
  /** A person must do something in a console first (the Okta API integration); run again after. */
  manual: 3,
  /** `doctor` found failures. */
  doctorFailures: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake on the command line or in the environment: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'USAGE';
  constructor(
    message: string,
    /** The flag, environment variable or file at fault. */
    readonly field?: string,
    /** What to do instead. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** An error as the CLI shows it. */
export interface Explained {
  exitCode: ExitCode;
  code: string;
  message: string;
  field?: string;
  resource?: string;
  fix: string;
  /** ConfigError with several problems: each with its path. */
  issues?: { field: string; message: string }[];
  /** Manual actions: the clicks to do. */
  actions?: string[];
}
/**
 * Explain an error: exit code, message, field/resource and fix. `where` (or just the config path) names
 * the config file in fixes about its fields, and the endpoints in fixes about a connection.
 */
export function explain(error: unknown, where?: string | ExplainContext): Explained {
  const context: ExplainContext = typeof where === 'string' ? { configPath: where } : (where ?? {});
  const x = explainOne(error, context);
  if (x.exitCode === EXIT.usage || x.code === 'PROVIDER_ERROR' || !isCredentialError(error)) return x;
  // A step's error caused by refused credentials (a rotation interrupted, users failed): the
  // credentials are what to fix first, and the exit code is theirs.
  const provider = causes(error).find((c) => str((c as ErrorProps | null)?.code) === 'PROVIDER_ERROR');
  const first = explainOne(provider, context).fix;
  return { ...x, exitCode: EXIT.usage, fix: `${first} ${x.fix}` };
}

/** The codes whose fix is always the same: exit code, fix, and whether the resource is shown. */
const FIXED: ReadonlyMap<string, { exitCode: ExitCode; fix: string; showsResource: boolean }> = (() => {
  const timeout = {
    exitCode: EXIT.failure,
    showsResource: true,
    fix: 'Run the command again: it resumes and waits again (nothing is duplicated).',
  };
  return new Map([
    [
      'RESOURCE_CONFLICT',
      {
        exitCode: EXIT.failure,
        showsResource: true,
        fix: 'If the resource is yours, pass --adopt to take it over (it is then tagged with this stack); otherwise give it another name in the config, or use another stack.',
      },
    ],
    ['TIMEOUT', timeout],
    ['BackoffTimeoutError', timeout],
    [
      'ROTATION_INTERRUPTED',
      {
        exitCode: EXIT.failure,
        showsResource: false,
        fix: 'Sign-in still works (Okta signs only with a certificate IAM trusts): run rotate-cert again to finish the rotation.',
      },
    ],
    [
      'NOT_PROVISIONED',
      {
        exitCode: EXIT.failure,
        showsResource: true,
        fix: 'Run connect-okta-sso apply first: there is nothing to rotate yet.',
      },
    ],
    [
      'VERIFICATION_FAILED',
      { exitCode: EXIT.failure, showsResource: false, fix: 'See the failed checks above and their fixes.' },
    ],
    [
      'SECRET_DELIVERY_FAILED',
      {
        exitCode: EXIT.failure,
        showsResource: false,
        fix: 'Run apply again with --rotate-access-key and a --secret-out FILE that does not exist yet (or --secret-to-secrets-manager NAME): it makes a new key and retires the unsaved one.',
      },
    ],
  ]);
})();

function explainOne(error: unknown, context: ExplainContext): Explained {
  const configPath = context.configPath;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorProps & { message?: unknown };
  const message = str(e.message) ?? String(error);
  const code = str(e.code) ?? str(e.name) ?? 'ERROR';
  const field = str(e.field);
  const resource = str(e.resource);
  const where = configPath ?? 'the config file';
  const fixed = FIXED.get(code);
  if (fixed) {
    const shown = fixed.showsResource && resource ? { resource } : {};
    return { exitCode: fixed.exitCode, code, message, ...shown, fix: fixed.fix };
  }
  switch (code) {
    case 'USAGE':
      return {
        exitCode: EXIT.usage,
        code,
        message,
        ...(field ? { field } : {}),
        fix: str((error as UsageError).fix) ?? 'See --help for the options.',
      };
    case 'CONFIG_INVALID': {
      const issues = Array.isArray(e.issues)
        ? (e.issues as { field: string; message: string }[]).map((i) => ({
            field: i.field,
            message: i.message,
          }))
        : undefined;
      const credential = field && /^okta\.(token|privateKey|clientId)$/.test(field);
      const isFile = field !== undefined && /\.(ya?ml|json)$/i.test(field);
      // loadConfig keeps the file system's error as the cause: ENOENT is a missing file, not a bad one.
      const missing = isFile && causes(error).some((c) => str((c as ErrorProps | null)?.code) === 'ENOENT');
      const positioned = isFile && /:\d+:\d+: /.test(message);
      // The message lists the first problems only ("… and N more"); the JSON document has them all.
      const more =
        issues && /\n {2}… and \d+ more/.test(message) ? ` --json lists all ${issues.length} problems.` : '';
      return {
        exitCode: EXIT.usage,
        code,
        message,
        ...(field ? { field } : {}),
        ...(issues && issues.length > 1 ? { issues } : {}),
        fix: credential
          ? 'Set OKTA_API_TOKEN in the environment, or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE (OAuth), or pipe a token with --okta-token-stdin. Never put a secret on the command line.'
          : missing
            ? `Create it with connect-okta-sso init --out ${field} (a commented starter config), or pass --config with the path of an existing file.`
            : isFile
              ? `Correct ${field}${positioned ? ' at the position shown' : ''} (connect-okta-sso init writes a valid starter file).${more}`
              : `Correct ${field ?? 'the setting'} in ${where}; the configuration reference lists every field and its default.${more}`,
      };
    }
    case 'MANUAL_ACTION_REQUIRED': {
      const actions = Array.isArray(e.actions) ? (e.actions as string[]).slice() : [];
      return {
        exitCode: EXIT.manual,
        code,
        message,
        ...(actions.length > 0 ? { actions } : {}),
        fix: 'Do the steps listed in the admin console, then run the command again: it resumes from there.',
      };
    }
    case 'USERS_FAILED': {
      // Each failed user's reason is in the message; a user unknown to Okta is a config problem.
      const cause = (error as { cause?: unknown }).cause;
      const configProblem = (cause as { code?: unknown } | undefined)?.code === 'CONFIG_INVALID';
      return {
        exitCode: EXIT.failure,
        code,
        message,
        ...(resource ? { resource } : {}),
        fix: configProblem
          ? 'Correct or remove the users named above in the config (users[].login must be an Okta login; create the person in Okta first), then run apply again: the other users are done.'
          : "See each user's reason above; fix it and run apply again: users already done are not touched again.",
      };
    }
    case 'PROVIDER_ERROR': {
      const service = str(e.service) ?? 'aws';
      const providerCode = str(e.providerCode);
      const network = networkFailure(error);
      const exitCode = isCredentialError(error) ? EXIT.usage : EXIT.failure;
      const oauth = service === 'okta' && /oauth2\/v1\/token/.test(message);
      const fix = network
        ? networkFix(service === 'okta' ? 'okta' : 'aws', network, context, service)
        : oauth
          ? 'The OAuth sign-in to Okta failed: check OKTA_CLIENT_ID, that its service app holds the public key of OKTA_PRIVATE_KEY_FILE (and OKTA_KEY_ID, if set), and that the scopes in OKTA_SCOPES are granted to it.'
          : providerFix(
              service,
              providerCode,
              typeof e.httpStatus === 'number' ? e.httpStatus : undefined,
            ).replace('$OPERATION', str(e.operation) ?? '*');
      return { exitCode, code, message, ...(resource ? { resource } : {}), fix };
    }
    default: {
      if (code === 'AbortError' || (error as { name?: unknown })?.name === 'AbortError')
        return {
          exitCode: EXIT.failure,
          code: 'ABORTED',
          message: 'interrupted',
          fix: 'Run the command again: it resumes where it stopped.',
        };
      const network = networkFailure(error);
      return {
        exitCode: isCredentialError(error) ? EXIT.usage : EXIT.failure,
        code,
        message,
        ...(resource ? { resource } : {}),
        ...(field ? { field } : {}),
        fix: network
          ? networkFix(sideOf(network.address, context), network, context)
          : 'Run the command again with --debug to see the cause chain; if it persists, report it with that output.',
      };
    }
  }
}

/** The cause chain as lines (`--debug`): name, code and message of each error, no objects dumped. */
export function causeLines(error: unknown): string[] {
  return causes(error).map((e, i) => {
    if (!(e instanceof Error)) return `${i === 0 ? '' : 'caused by: '}${String(e)}`;
    const s = errorSummary(e);
    const tags = ['code', 'providerCode', 'service', 'operation', 'requestId']
      .filter((k) => typeof s[k] === 'string')
      .map((k) => `${k}=${String(s[k])}`)
      .join(' ');
    return `${i === 0 ? '' : 'caused by: '}${e.name}: ${e.message}${tags ? ` [${tags}]` : ''}`;
  });
}

/** The cause chain for JSON (`--debug`). */
export function causeSummaries(error: unknown): Record<string, unknown>[] {
  return causes(error)
    .slice(1)
    .map((e) => (e instanceof Error ? errorSummary(e) : { message: String(e) }));
}

/** The human rendering: `error: <sentence>` then `field:`/`resource:` and `fix:` lines. */
export function formatExplained(x: Explained, prefix: string): string[] {
  const lines = [`${prefix}: ${x.message}`];
  if (x.field) lines.push(`  field: ${x.field}`);
  if (x.resource) lines.push(`  resource: ${x.resource}`);
  if (x.actions) for (const [i, a] of x.actions.entries()) lines.push(`  ${i + 1}. ${a}`);
  lines.push(`  fix: ${x.fix}`);
  return lines;
}

/**
 * The exit code of a run that ended with these step errors: credentials missing or refused win (the
 * other failures usually follow from them), then all-invalid-input is 2, anything else 1.
 */
export function exitCodeForErrors(
  errors: readonly { error: unknown }[],
  where?: string | ExplainContext,
): ExitCode {
  if (errors.length === 0) return EXIT.ok;
  if (errors.some((e) => isCredentialError(e.error))) return EXIT.usage;
  const codes = errors.map((e) => explain(e.error, where).exitCode);
  return codes.every((c) => c === EXIT.usage) ? EXIT.usage : EXIT.failure;
}
