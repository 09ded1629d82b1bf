/**
 * Exit codes, and errors as a user reads them: one sentence saying what is wrong, the field or resource
 * it is about, and the fix. `--debug` adds the cause chain (messages only, redacted like all output).
 *
 * Errors are told apart by their `code` (and the provider's code), never by `instanceof`: the CLI loads
 * the library at run time and must not hold a second copy of its classes.
 */
import { errorSummary } from './output.js';

/** Exit codes shared by every command. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Failed (a provider error, a failed step, a failed verification, cancelled). */
  failure: 1,
  /** Invalid input or configuration (bad flag, invalid config, missing credentials). */
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

type Props = {
  code?: unknown;
  name?: unknown;
  field?: unknown;
  resource?: unknown;
  issues?: unknown;
  actions?: unknown;
  service?: unknown;
  operation?: unknown;
  providerCode?: unknown;
  httpStatus?: unknown;
  cause?: unknown;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The chain `error`, `error.cause`, … (at most 10 deep). */
export function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === 'object' ? (current as Props).cause : undefined;
  }
  return chain;
}

const NETWORK =
  /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/;

function networkCode(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const code = str((e as Props | null)?.code);
    if (code && NETWORK.test(code)) return code;
  }
  return undefined;
}

/** The fix for a provider error, from its service and code. */
function providerFix(service: string, code: string | undefined, status: number | undefined): string {
  if (service === 'okta') {
    if (code === 'E0000011' || status === 401)
      return 'The Okta credentials were refused: check OKTA_API_TOKEN (Okta Admin → Security → API → Tokens) or the OAuth service app of OKTA_CLIENT_ID and its key, and that they belong to the org in okta.orgUrl.';
    if (code === 'E0000006' || status === 403)
      return 'The Okta credentials lack a permission: use a token of an admin who may manage apps, users and groups, or grant the OAuth service app the scopes in OKTA_SCOPES (okta.apps.manage, okta.users.read, okta.groups.manage).';
    if (code === 'E0000047' || status === 429)
      return 'Okta rate limit: wait a minute and run the command again; it resumes where it stopped.';
    return 'Run the command again (runs are idempotent and resume where they stopped); add --debug to see the cause chain.';
  }
  if (code === 'CredentialsProviderError')
    return 'No AWS credentials were found: pass --profile NAME, or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
  if (code && /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedException)$/.test(code))
    return `The AWS identity may not call ${service}:${'$OPERATION'}: grant it that permission, or use another --profile.`;
  if (
    code &&
    /^(InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|ExpiredTokenException|UnrecognizedClientException|InvalidSignatureException)$/.test(
      code,
    )
  )
    return 'The AWS credentials were refused: check --profile / AWS_PROFILE or AWS_ACCESS_KEY_ID, and refresh expired session credentials (aws sso login).';
  if (code && /Throttl|TooManyRequests|LimitExceeded/.test(code))
    return 'An AWS limit was reached: wait a little and run the command again; it resumes where it stopped.';
  return 'Run the command again (runs are idempotent and resume where they stopped); add --debug to see the cause chain.';
}

/**
 * Explain an error: exit code, message, field/resource and fix. `configPath` names the config file in
 * fixes about its fields.
 */
export function explain(error: unknown, configPath?: string): Explained {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Props & { message?: unknown };
  const message = str(e.message) ?? String(error);
  const code = str(e.code) ?? str(e.name) ?? 'ERROR';
  const field = str(e.field);
  const resource = str(e.resource);
  const where = configPath ?? 'the config file';
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
      const missing = isFile && causes(error).some((c) => str((c as Props | null)?.code) === 'ENOENT');
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
    case 'RESOURCE_CONFLICT':
      return {
        exitCode: EXIT.failure,
        code,
        message,
        ...(resource ? { resource } : {}),
        fix: 'If the resource is yours, pass --adopt to take it over (it is then tagged with this stack); otherwise give it another name in the config, or use another stack.',
      };
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
    case 'TIMEOUT':
    case 'BackoffTimeoutError':
      return {
        exitCode: EXIT.failure,
        code,
        message,
        ...(resource ? { resource } : {}),
        fix: 'Run the command again: it resumes and waits again (nothing is duplicated).',
      };
    case 'ROTATION_INTERRUPTED':
      return {
        exitCode: EXIT.failure,
        code,
        message,
        fix: 'Sign-in still works (Okta signs only with a certificate IAM trusts): run rotate-cert again to finish the rotation.',
      };
    case 'NOT_PROVISIONED':
      return {
        exitCode: EXIT.failure,
        code,
        message,
        ...(resource ? { resource } : {}),
        fix: 'Run connect-okta-sso apply first: there is nothing to rotate yet.',
      };
    case 'VERIFICATION_FAILED':
      return { exitCode: EXIT.failure, code, message, fix: 'See the failed checks above and their fixes.' };
    case 'SECRET_DELIVERY_FAILED':
      return {
        exitCode: EXIT.failure,
        code,
        message,
        fix: 'Run apply again with --rotate-access-key and a --secret-out FILE that does not exist yet (or --secret-to-secrets-manager NAME): it makes a new key and retires the unsaved one.',
      };
    case 'PROVIDER_ERROR': {
      const service = str(e.service) ?? 'aws';
      const providerCode = str(e.providerCode);
      const network = networkCode(error);
      const exitCode = providerCode === 'CredentialsProviderError' ? EXIT.usage : EXIT.failure;
      const oauth = service === 'okta' && /oauth2\/v1\/token/.test(message);
      const fix = oauth
        ? 'The OAuth sign-in to Okta failed: check OKTA_CLIENT_ID, that its service app holds the public key of OKTA_PRIVATE_KEY_FILE (and OKTA_KEY_ID, if set), and that the scopes in OKTA_SCOPES are granted to it.'
        : network
          ? `Could not reach ${service === 'okta' ? 'the Okta org' : 'AWS'} (${network}): check the network, proxy settings, okta.orgUrl and AWS_ENDPOINT_URL.`
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
      const network = networkCode(error);
      return {
        exitCode: EXIT.failure,
        code,
        message,
        ...(resource ? { resource } : {}),
        ...(field ? { field } : {}),
        fix: network
          ? `Could not connect (${network}): check the network, proxy settings, okta.orgUrl and AWS_ENDPOINT_URL.`
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
