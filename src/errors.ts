/**
 * One error hierarchy for the whole library. Every error has a literal `code` to switch on and keeps
 * the underlying error as `cause`. No message, property or cause ever carries a secret.
 */

/** Base class: `code` tells the kinds apart without `instanceof` across package copies. */
export class ConnectSsoError extends Error {
  override name = 'ConnectSsoError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Invalid input or configuration; `field` names the offending path (`users[3].login`). */
export class ConfigError extends ConnectSsoError {
  override name = 'ConfigError';
  declare readonly code: 'CONFIG_INVALID';
  readonly field: string;
  /** Every problem found, when several were (the first is `field`). */
  readonly issues: readonly { field: string; message: string }[];

  constructor(field: string, message: string, issues?: readonly { field: string; message: string }[]) {
    super('CONFIG_INVALID', `${field}: ${message}`);
    this.field = field;
    this.issues = issues ?? [{ field, message }];
  }

  /** One error for several problems: the message lists them all. */
  static of(issues: readonly { field: string; message: string }[]): ConfigError {
    const [first] = issues;
    if (!first) throw new TypeError('ConfigError.of needs at least one issue');
    const error = new ConfigError(first.field, first.message, issues);
    if (issues.length > 1) {
      error.message = `${issues.length} problems:\n${issues.map((i) => `  - ${i.field}: ${i.message}`).join('\n')}`;
    }
    return error;
  }
}

/** A resource with our name exists but is not ours, or cannot be made to match (identity type, …). */
export class ConflictError extends ConnectSsoError {
  override name = 'ConflictError';
  declare readonly code: 'RESOURCE_CONFLICT';
  constructor(
    readonly resource: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('RESOURCE_CONFLICT', message, options);
  }
}

/** A call to AWS or Okta failed. Carries what identifies the call, never the request itself. */
export class ProviderError extends ConnectSsoError {
  override name = 'ProviderError';
  declare readonly code: 'PROVIDER_ERROR';
  readonly service: 'iam' | 'connect' | 'okta' | 'secrets-manager';
  readonly operation: string;
  /** The provider's error code (`NoSuchEntity`, `E0000007`). */
  readonly providerCode: string | undefined;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;

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
  override name = 'ManualActionRequiredError';
  declare readonly code: 'MANUAL_ACTION_REQUIRED';
  constructor(
    message: string,
    readonly actions: readonly string[],
  ) {
    super('MANUAL_ACTION_REQUIRED', message);
  }
}

/** A check of the setup (doctor, SAML response verification) failed. */
export class VerificationError extends ConnectSsoError {
  override name = 'VerificationError';
  declare readonly code: 'VERIFICATION_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super('VERIFICATION_FAILED', message, options);
  }
}

/** A wait ran out of time (an instance still being created, a manual step not yet done). */
export class TimeoutError extends ConnectSsoError {
  override name = 'TimeoutError';
  declare readonly code: 'TIMEOUT';
  constructor(message: string, options?: { cause?: unknown }) {
    super('TIMEOUT', message, options);
  }
}
