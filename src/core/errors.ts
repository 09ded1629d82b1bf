/**
 * One error hierarchy for the whole library. Every error has a literal `code` to switch on and keeps
 * the underlying error as `cause`. No message, property or cause ever carries a secret.
 */

/** Base class: `code` tells the kinds apart without `instanceof` across package copies. */
export class ConnectSsoError extends Error {
  /** The class name, also across package copies: `'ConnectSsoError'`, `'ConfigError'`… */
  override name = 'ConnectSsoError';
  /**
   * What kind of error this is, stable across versions: `CONFIG_INVALID`, `RESOURCE_CONFLICT`,
   * `PROVIDER_ERROR`, `MANUAL_ACTION_REQUIRED`, `VERIFICATION_FAILED`, `TIMEOUT`, or a specific code of
   * an operation (e.g. `NOT_PROVISIONED`, `USERS_FAILED`, `SECRET_DELIVERY_FAILED`).
   */
  readonly code: string;

  /**
   * @param code - See {@link ConnectSsoError.code}.
   * @param message - One sentence for a person: what failed, the field or resource, and the fix.
   * @param options - `cause`: the underlying error, kept as `error.cause`.
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * How many problems a {@link ConfigError}'s message lists; the rest are counted ("… and 180 more") and
 * every one is in {@link ConfigError.issues}.
 */
export const CONFIG_ERROR_LISTED = 20;

/**
 * The message of several problems: a header, then one `  - line` per problem up to
 * {@link CONFIG_ERROR_LISTED}, then `  … and N more (error.issues lists all M)`. Only the lines shown are
 * rendered, so a config with 16,000 problems costs 20 lines, not 16,000.
 */
export function listProblems<T>(
  header: string,
  problems: readonly T[],
  line: (problem: T) => string,
): string {
  const shown = problems.slice(0, CONFIG_ERROR_LISTED).map((p) => `  - ${line(p)}`);
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`  … and ${rest} more (error.issues lists all ${problems.length})`);
  return `${header}\n${shown.join('\n')}`;
}

/** Invalid input or configuration; `field` names the offending path (`users[3].login`). */
export class ConfigError extends ConnectSsoError {
  /** `'ConfigError'` */
  override name = 'ConfigError';
  /** `'CONFIG_INVALID'` */
  declare readonly code: 'CONFIG_INVALID';
  /** The path of the offending input or config field: `region`, `users[3].login`, `apps[1].label`. */
  readonly field: string;
  /**
   * Every problem found (the first is `field`), each with its `field` path and a `message` that says
   * what is allowed. Always complete: the error's `message` lists at most the first 20 and counts the
   * rest (`… and 180 more`); this array holds them all, and the CLI's `--json` error document prints
   * them all.
   */
  readonly issues: readonly {
    /** The field's path. */
    field: string;
    /** What is wrong with it. */
    message: string;
  }[];

  /**
   * @param field - See {@link ConfigError.field}.
   * @param message - What is wrong and what is allowed; the error's message is `field: message`.
   * @param issues - Every problem, when several were found. Default: this one.
   * @param options - `cause`: the underlying error (a file system error when a config file cannot be
   *   read), kept as `error.cause`.
   */
  constructor(
    field: string,
    message: string,
    issues?: readonly { field: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super('CONFIG_INVALID', `${field}: ${message}`, options);
    this.field = field;
    this.issues = issues ?? [{ field, message }];
  }

  /**
   * One error for several problems. The message lists the first 20 and then `… and N more`;
   * {@link ConfigError.issues} keeps every one.
   */
  static of(issues: readonly { field: string; message: string }[]): ConfigError {
    const [first] = issues;
    if (!first) throw new TypeError('ConfigError.of needs at least one issue');
    const error = new ConfigError(first.field, first.message, issues);
    if (issues.length > 1) {
      error.message = listProblems(`${issues.length} problems:`, issues, (i) => `${i.field}: ${i.message}`);
    }
    return error;
  }
}

/** A resource with our name exists but is not ours, or cannot be made to match (identity type, …). */
export class ConflictError extends ConnectSsoError {
  /** `'ConflictError'` */
  override name = 'ConflictError';
  /** `'RESOURCE_CONFLICT'` */
  declare readonly code: 'RESOURCE_CONFLICT';
  /**
   * @param resource - The resource in conflict, readable: `iam policy okta_cli_policy`.
   * @param message - Whose it is and how to proceed (another name, or `adopt: true`).
   * @param options - `cause`: the underlying error.
   */
  constructor(
    /** The resource in conflict, readable: `iam policy okta_cli_policy`. */
    readonly resource: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('RESOURCE_CONFLICT', message, options);
  }
}

/** A call to AWS or Okta failed. Carries what identifies the call, never the request itself. */
export class ProviderError extends ConnectSsoError {
  /** `'ProviderError'` */
  override name = 'ProviderError';
  /** `'PROVIDER_ERROR'` */
  declare readonly code: 'PROVIDER_ERROR';
  /** The service called. */
  readonly service: 'iam' | 'connect' | 'okta' | 'secrets-manager';
  /** The operation, in the service's terms: `CreateRole`, `CreateInstance`, `AssignUserToApplication`. */
  readonly operation: string;
  /** The provider's error code (`NoSuchEntity`, `E0000007`). */
  readonly providerCode: string | undefined;
  /** The provider's request id (AWS `x-amzn-RequestId`, Okta `X-Okta-Request-Id`), for its support. */
  readonly requestId: string | undefined;
  /** The HTTP status of the response, when there was one. */
  readonly httpStatus: number | undefined;

  /**
   * @param details - The call (`service`, `operation`), the provider's `message`, `providerCode`,
   *   `requestId` and `httpStatus` when known, and the SDK's error as `cause`. Never the request.
   */
  constructor(details: {
    service: ProviderError['service'];
    operation: string;
    message: string;
    providerCode?: string | undefined;
    requestId?: string | undefined;
    httpStatus?: number | undefined;
    cause?: unknown;
  }) {
    super('PROVIDER_ERROR', `${details.service} ${details.operation} failed: ${details.message}`, {
      cause: details.cause,
    });
    this.service = details.service;
    this.operation = details.operation;
    this.providerCode = details.providerCode;
    this.requestId = details.requestId;
    this.httpStatus = details.httpStatus;
  }
}

/** A step only a person can do in a console; `actions` says exactly what to click and how to resume. */
export class ManualActionRequiredError extends ConnectSsoError {
  /** `'ManualActionRequiredError'` */
  override name = 'ManualActionRequiredError';
  /** `'MANUAL_ACTION_REQUIRED'` */
  declare readonly code: 'MANUAL_ACTION_REQUIRED';
  /**
   * @param message - What is waiting for a person, and why no API can do it.
   * @param actions - The clicks, in order, then how to resume.
   */
  constructor(
    message: string,
    /** The clicks, in order (console paths, values to enter), then how to resume. */
    readonly actions: readonly string[],
  ) {
    super('MANUAL_ACTION_REQUIRED', message);
  }
}

/** A check of the setup (doctor, SAML response verification) failed. */
export class VerificationError extends ConnectSsoError {
  /** `'VerificationError'` */
  override name = 'VerificationError';
  /** `'VERIFICATION_FAILED'` */
  declare readonly code: 'VERIFICATION_FAILED';
  /**
   * @param message - What did not hold, and how to fix it.
   * @param options - `cause`: the underlying error.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('VERIFICATION_FAILED', message, options);
  }
}

/** A wait ran out of time (an instance still being created, a manual step not yet done). */
export class TimeoutError extends ConnectSsoError {
  /** `'TimeoutError'` */
  override name = 'TimeoutError';
  /** `'TIMEOUT'` */
  declare readonly code: 'TIMEOUT';
  /**
   * @param message - What was awaited, for how long, and what to do (wait longer, or check a console).
   * @param options - `cause`: the last error seen while waiting, if any.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('TIMEOUT', message, options);
  }
}
