/**
 * What every pass of a custom resource request uses: the logger that scrubs every secret read so far,
 * the Okta credentials from Secrets Manager, the library's context for a config, and the invocation's
 * deadline (work cut at it is not a failure: the request continues).
 */
import { DEFAULT_OAUTH_SCOPES } from '../config/defaults.js';
import type { ResolvedConfig } from '../config/index.js';
import { type Clock, createContext, type Logger, type SsoContext, systemClock } from '../core/context.js';
import { type OktaCredentials, readOktaCredentials, secretValues } from './okta-credentials.js';
import type { ParsedProperties } from './properties.js';
import { type Scrubber, scrubberFor } from './response.js';
import type { ContinuationState, CustomResourceHandlerOptions, LambdaContext } from './types.js';

/** The outcome of one pass of a request. */
export type PassOutcome =
  | { kind: 'success'; physicalResourceId: string; data: Record<string, string>; reason: string }
  | { kind: 'failed'; physicalResourceId: string; reason: string }
  | { kind: 'in-progress'; physicalResourceId: string; state: ContinuationState };

/** Work run up to the invocation's deadline: its value, or `deadline: true` when the deadline cut it. */
export type DeadlineRun<T> = { value: T; deadline: boolean } | { value: undefined; deadline: true };

/** What the passes of a handler share (one per {@link createRuntime} call, i.e. per handler). */
export interface Runtime {
  readonly options: CustomResourceHandlerOptions;
  readonly clock: Clock;
  /** Logs with every secret read so far scrubbed from the message and the fields. */
  readonly logger: Logger;
  /** Scrubs every secret read so far. */
  readonly scrub: Scrubber;
  /** The handler's own region (Secrets Manager by name, Lambda), when known. */
  handlerRegion(): string | undefined;
  /** The time this invocation may still work, less the reserve to answer or re-invoke, in ms. */
  budgetOf(lambda: LambdaContext | undefined): number;
  /** The library's context for `config`, with these Okta credentials, aborted by `signal`. */
  contextFor(config: ResolvedConfig, credentials: OktaCredentials, signal: AbortSignal): SsoContext;
  /** Read the Okta credentials the properties name (and scrub them from now on). */
  credentialsFor(parsed: ParsedProperties): Promise<OktaCredentials>;
  /**
   * Run `work` with an abort signal that fires at the invocation's deadline (or when the options'
   * `signal`, standing for the process dying, aborts: then the whole invocation is abandoned).
   */
  withDeadline<T>(
    lambda: LambdaContext | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<DeadlineRun<T>>;
}

/** The reason an invocation's work was cut at its deadline (not a failure: the request goes on). */
class DeadlineReached extends Error {
  override name = 'DeadlineReached';
}

/** Without a Lambda context: what a 15-minute Lambda has at its start, less a minute. */
const DEFAULT_INVOCATION_MS = 14 * 60_000;
const DEFAULT_RESERVE_MS = 60_000;

/** JSON lines on stdout, as CloudWatch Logs reads them. */
const consoleLogger: Logger = {
  debug: () => {},
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.log(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.log(JSON.stringify({ level: 'error', message, ...fields })),
};

/** A logger whose every line, fields included, goes through the scrubber first. */
function scrubbingLogger(inner: Logger, scrub: Scrubber): Logger {
  const clean = (fields: Record<string, unknown> | undefined) =>
    fields === undefined ? undefined : (JSON.parse(scrub(JSON.stringify(fields))) as Record<string, unknown>);
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const f = clean(fields);
      if (f === undefined) inner[level](scrub(message));
      else inner[level](scrub(message), f);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/** An error's message (or the thrown value as text). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A run's failed resources as one reason: `resource: message; …`. */
export function errorsReason(errors: readonly { resource: string; error: Error }[]): string {
  return errors.map((e) => `${e.resource}: ${e.error.message}`).join('; ');
}

/** The shared machinery of one handler's passes. */
export function createRuntime(options: CustomResourceHandlerOptions): Runtime {
  const clock: Clock = options.clock ?? systemClock;
  const secrets = new Set<string>();
  let current: Scrubber = scrubberFor([]);
  const scrub: Scrubber = (text) => current(text);
  const logger = scrubbingLogger(options.logger ?? consoleLogger, scrub);
  const handlerRegion = () => options.aws?.region ?? process.env.AWS_REGION;

  function budgetOf(lambda: LambdaContext | undefined): number {
    const remaining = lambda ? lambda.getRemainingTimeInMillis() : DEFAULT_INVOCATION_MS;
    const reserve = Math.min(options.reserveMs ?? DEFAULT_RESERVE_MS, Math.floor(remaining / 4));
    return Math.max(0, remaining - reserve);
  }

  function contextFor(config: ResolvedConfig, credentials: OktaCredentials, signal: AbortSignal): SsoContext {
    const okta =
      'token' in credentials
        ? { orgUrl: config.okta.orgUrl, token: credentials.token }
        : {
            orgUrl: config.okta.orgUrl,
            clientId: credentials.clientId,
            privateKey: credentials.privateKey,
            keyId: credentials.keyId,
            scopes: credentials.scopes ?? [...DEFAULT_OAUTH_SCOPES[config.roleMapping]],
          };
    return createContext({
      region: config.region,
      stack: config.stack,
      okta,
      logger,
      clock,
      signal,
      ...(options.aws?.endpoint ? { endpoint: options.aws.endpoint } : {}),
      ...(options.aws?.credentials ? { credentials: options.aws.credentials } : {}),
      ...(options.aws?.maxAttempts ? { maxAttempts: options.aws.maxAttempts } : {}),
    });
  }

  async function credentialsFor(parsed: ParsedProperties): Promise<OktaCredentials> {
    const credentials = await readOktaCredentials(parsed.settings.oktaCredentialsSecret, {
      defaultRegion: handlerRegion() ?? parsed.resolved.region,
      endpoint: options.aws?.endpoint,
      credentials: options.aws?.credentials,
      maxAttempts: options.aws?.maxAttempts,
    });
    for (const s of secretValues(credentials)) secrets.add(s);
    current = scrubberFor([...secrets]);
    return credentials;
  }

  async function withDeadline<T>(
    lambda: LambdaContext | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<DeadlineRun<T>> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DeadlineReached('the invocation is near its end')),
      budgetOf(lambda),
    );
    const crash = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', crash, { once: true });
    try {
      const value = await work(controller.signal);
      if (options.signal?.aborted) throw options.signal.reason;
      return { value, deadline: controller.signal.reason instanceof DeadlineReached };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (controller.signal.reason instanceof DeadlineReached) return { value: undefined, deadline: true };
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', crash);
    }
  }

  return { options, clock, logger, scrub, handlerRegion, budgetOf, contextFor, credentialsFor, withDeadline };
}
