/** Structured logging: the interface steps log through, and the silent default. */

/** Structured logging; every method is optional to implement (use {@link silentLogger}). */
export interface Logger {
  /** Reads and other detail (`read iam policy okta_cli_policy`). */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** One line per write (`created iam policy okta_federation_policy`). */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something works but needs attention (a retry, a certificate close to expiry). */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure, before it is thrown or reported. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
