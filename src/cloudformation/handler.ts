/**
 * `createCustomResourceHandler`: the Lambda behind a `Custom::ConnectOktaSso` resource.
 *
 * One pass of a request is the library's own idempotent run — `provisionConnectSso` for Create and
 * Update, the teardown for Delete — bounded by the invocation's deadline. A pass that runs out of time
 * (a new Connect instance takes minutes to become ACTIVE) is not an error: the request continues,
 * either in a new invocation of the same function (plain CloudFormation: the handler re-invokes itself
 * asynchronously and answers nothing until the request is done) or in the CDK Provider framework's next
 * `isComplete` poll. Every pass re-reads what exists, so a pass cut short, a crashed invocation and
 * Lambda's own retry all converge.
 *
 * A Create that fails gets no Delete from the Provider framework (and a plain custom resource gets one
 * only for the id it answered), so the handler removes its own partial work before it answers FAILED —
 * the Connect instance only when this request created it.
 */
import { DEFAULT_OAUTH_SCOPES } from '../config/defaults.js';
import type { ResolvedConfig } from '../config/index.js';
import { type Clock, createContext, type Logger, type SsoContext, systemClock } from '../core/context.js';
import { ConfigError, TimeoutError } from '../core/errors.js';
import { provisionConnectSso } from '../workflows/provision/provision.js';
import type { ProvisionEvent, ProvisionResult } from '../workflows/provision/types.js';
import { type OktaCredentials, readOktaCredentials, secretValues } from './okta-credentials.js';
import { attributesOf } from './outputs.js';
import {
  failedCreateId,
  type ParsedProperties,
  parsePhysicalId,
  parseProperties,
  physicalIdOf,
} from './properties.js';
import { buildResponse, type Scrubber, scrubberFor, sendResponse, truncateBytes } from './response.js';
import { teardown } from './teardown.js';
import {
  CONTINUATION_KEY,
  type ContinuationEvent,
  type ContinuationState,
  type CustomResourceEvent,
  type CustomResourceHandler,
  type CustomResourceHandlerOptions,
  type IsCompleteRequest,
  type LambdaContext,
} from './types.js';

/** The outcome of one pass of a request. */
type PassOutcome =
  | { kind: 'success'; physicalResourceId: string; data: Record<string, string>; reason: string }
  | { kind: 'failed'; physicalResourceId: string; reason: string }
  | { kind: 'in-progress'; physicalResourceId: string; state: ContinuationState };

/** The reason an invocation's work was cut at its deadline (not a failure: the request goes on). */
class DeadlineReached extends Error {
  override name = 'DeadlineReached';
}

/** Without a Lambda context: what a 15-minute Lambda has at its start, less a minute. */
const DEFAULT_INVOCATION_MS = 14 * 60_000;
const DEFAULT_RESERVE_MS = 60_000;
const CLOUDFORMATION_TIMEOUT_MS = 3_600_000;
const TIMEOUT_MARGIN_MS = 5 * 60_000;

/** JSON lines on stdout, as CloudWatch Logs reads them. */
const consoleLogger: Logger = {
  debug: () => {},
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.log(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.log(JSON.stringify({ level: 'error', message, ...fields })),
};

/** A logger whose every line, fields included, goes through the scrubber first. */
function scrubbingLogger(inner: Logger, scrub: () => Scrubber): Logger {
  const clean = (fields: Record<string, unknown> | undefined) =>
    fields === undefined
      ? undefined
      : (JSON.parse(scrub()(JSON.stringify(fields))) as Record<string, unknown>);
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const f = clean(fields);
      if (f === undefined) inner[level](scrub()(message));
      else inner[level](scrub()(message), f);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function resultReason(result: ProvisionResult): string {
  return result.errors.map((e) => `${e.resource}: ${e.error.message}`).join('; ');
}

function freshState(now: number): ContinuationState {
  return { startedAt: now, attempt: 0, createdInstance: false };
}

function checkEvent(event: unknown): asserts event is CustomResourceEvent {
  const e = event as Partial<CustomResourceEvent> | undefined;
  const missing = ['RequestType', 'ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'].filter(
    (k) => typeof (e as Record<string, unknown> | undefined)?.[k] !== 'string',
  );
  if (missing.length > 0 || !['Create', 'Update', 'Delete'].includes(e?.RequestType ?? '')) {
    throw new TypeError(
      `not a CloudFormation custom resource request (missing or invalid: ${missing.join(', ') || 'RequestType'})`,
    );
  }
}

/**
 * Build the Lambda handler of `Custom::ConnectOktaSso` resources.
 *
 * - **Create / Update** run `provisionConnectSso` with the resource's properties as the config
 *   (validated first: a bad property fails the request with its field path and nothing written).
 *   `roleMapping` defaults to `group-mapping`; with `api-integration` the request succeeds at the manual
 *   checkpoint with the console instructions in the `ManualActions` attribute, and the next update
 *   finishes. The physical id is `connect-okta-sso:<region>:<alias>`: an update that changes the alias
 *   (or the region) returns a new id, and CloudFormation then deletes the old setup.
 * - **Delete** removes what the setup's stack owns; the Connect instance only with `DeleteInstance: true`.
 * - The Okta credentials come from the Secrets Manager secret `OktaCredentialsSecret`; a new Okta access
 *   key (api-integration) goes to the secret `AccessKeySecretName`. No secret is ever in `Data`, the
 *   reason or the logs.
 *
 * The result is the plain CloudFormation handler (it PUTs the response to `ResponseURL` itself and
 * re-invokes its own function to continue a long request); its `onEvent` and `isComplete` are the CDK
 * Provider framework's handlers.
 */
export function createCustomResourceHandler(
  options: CustomResourceHandlerOptions = {},
): CustomResourceHandler {
  const clock: Clock = options.clock ?? systemClock;
  const secrets = new Set<string>();
  let scrub: Scrubber = scrubberFor([]);
  const remember = (credentials: OktaCredentials) => {
    for (const s of secretValues(credentials)) secrets.add(s);
    scrub = scrubberFor([...secrets]);
  };
  const logger = scrubbingLogger(options.logger ?? consoleLogger, () => scrub);
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
    remember(credentials);
    return credentials;
  }

  /** Provisioning events as log lines (never a secret: the library's events carry none). */
  function logEvent(event: ProvisionEvent): void {
    if (event.type === 'step-finished' && event.action !== 'unchanged') {
      logger.info(`${event.action} ${event.resource}`, { step: event.id, changes: event.changes });
    } else if (event.type === 'step-failed') {
      logger.error(`failed ${event.resource}: ${event.error.message}`, { step: event.id });
    } else if (event.type === 'manual-action') {
      logger.warn(`manual action needed for ${event.resource}`, { step: event.id });
    }
  }

  /**
   * Run `work` with an abort signal that fires at the invocation's deadline (or when the caller's
   * `signal`, standing for the process dying, aborts: then the whole invocation is abandoned).
   */
  async function withDeadline<T>(
    lambda: LambdaContext | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<{ value: T; deadline: boolean } | { value: undefined; deadline: true }> {
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

  /** Remove a failed Create's partial work; `in-progress` when the invocation ends first. */
  async function cleanUp(
    event: CustomResourceEvent,
    lambda: LambdaContext | undefined,
    state: ContinuationState,
    parsed: ParsedProperties,
    credentials: OktaCredentials,
    failure: string,
    failedId: string,
  ): Promise<PassOutcome> {
    const cleanup = { reason: failure };
    logger.warn(`cleaning up the partial work of the failed ${event.RequestType.toLowerCase()}`, {
      deleteInstance: state.createdInstance,
    });
    let outcome: Awaited<ReturnType<typeof teardown>> | undefined;
    try {
      const run = await withDeadline(lambda, (signal) =>
        teardown(parsed.resolved, {
          context: contextFor(parsed.resolved, credentials, signal),
          deleteInstance: state.createdInstance,
          signal,
        }),
      );
      if (run.deadline || run.value === undefined) {
        return { kind: 'in-progress', physicalResourceId: failedId, state: { ...state, cleanup } };
      }
      outcome = run.value;
    } catch (error) {
      return {
        kind: 'failed',
        physicalResourceId: failedId,
        reason: `${failure} (and its clean-up failed: ${messageOf(error)})`,
      };
    }
    if (outcome.status !== 'complete') {
      const why = outcome.errors.map((e) => `${e.resource}: ${e.error.message}`).join('; ');
      return {
        kind: 'failed',
        physicalResourceId: failedId,
        reason: `${failure} (clean-up incomplete: ${why})`,
      };
    }
    return {
      kind: 'failed',
      physicalResourceId: failedId,
      reason: `${failure} (its partial work was removed)`,
    };
  }

  async function createOrUpdate(
    event: CustomResourceEvent,
    lambda: LambdaContext | undefined,
    state: ContinuationState,
    waitForInstance: boolean,
  ): Promise<PassOutcome> {
    const originalId = state.originalPhysicalResourceId ?? event.PhysicalResourceId;
    const failedId =
      event.RequestType === 'Create'
        ? failedCreateId(event.RequestId)
        : (originalId ?? failedCreateId(event.RequestId));
    let parsed: ParsedProperties;
    try {
      parsed = parseProperties(event.ResourceProperties);
    } catch (error) {
      return { kind: 'failed', physicalResourceId: failedId, reason: messageOf(error) };
    }
    const config = parsed.resolved;
    const physicalResourceId = physicalIdOf(config);
    const replacing = event.RequestType === 'Create' || physicalResourceId !== originalId;
    if (event.RequestType === 'Update' && replacing) {
      const old = parsePhysicalId(originalId);
      if (old && old.alias.toLowerCase() === config.instance.alias.toLowerCase()) {
        return {
          kind: 'failed',
          physicalResourceId: failedId,
          reason:
            `region: a Connect instance alias is unique across every region, so '${config.instance.alias}' cannot be created in ${config.region} while it exists in ${old.region}. ` +
            'Give instance.alias a new value with the new region (CloudFormation then deletes the old setup), or delete the resource and create it again.',
        };
      }
    }
    if (event.RequestType === 'Update' && event.OldResourceProperties) {
      let oldStack: string | undefined;
      try {
        oldStack = parseProperties(event.OldResourceProperties).resolved.stack;
      } catch {
        oldStack = undefined;
      }
      if (replacing && oldStack === config.stack) {
        return {
          kind: 'failed',
          physicalResourceId: failedId,
          reason: `stack: a replacement (a new alias or region) needs a stack name of its own, because CloudFormation then deletes the old setup by its stack '${oldStack}': leave stack out (it defaults to the alias) or give it a new value`,
        };
      }
      if (!replacing && oldStack !== undefined && oldStack !== config.stack) {
        return {
          kind: 'failed',
          physicalResourceId: failedId,
          reason: `stack: cannot change from '${oldStack}' to '${config.stack}': it is the ownership tag of every resource of this setup (change instance.alias to make a new setup instead)`,
        };
      }
    }
    let credentials: OktaCredentials;
    try {
      credentials = await credentialsFor(parsed);
    } catch (error) {
      return { kind: 'failed', physicalResourceId: failedId, reason: messageOf(error) };
    }
    const next: ContinuationState = {
      ...state,
      ...(originalId !== undefined ? { originalPhysicalResourceId: originalId } : {}),
    };
    if (next.cleanup) {
      return cleanUp(event, lambda, next, parsed, credentials, next.cleanup.reason, failedId);
    }
    const apiIntegration = config.roleMapping === 'api-integration';
    const budget = budgetOf(lambda);
    let result: ProvisionResult | undefined;
    try {
      const run = await withDeadline(lambda, (signal) =>
        provisionConnectSso(config, {
          context: contextFor(config, credentials, signal),
          signal,
          concurrency: options.concurrency ?? 4,
          instanceTimeoutMs: waitForInstance ? Math.max(1, budget) : 1,
          onEvent: logEvent,
          ...(apiIntegration
            ? { secretSink: { kind: 'secrets-manager' as const, name: parsed.settings.accessKeySecretName } }
            : {}),
        }),
      );
      result = run.value;
      if (result?.steps.some((s) => s.id === 'instance' && s.action === 'create'))
        next.createdInstance = true;
      if (run.deadline) return { kind: 'in-progress', physicalResourceId, state: next };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof ConfigError)
        return { kind: 'failed', physicalResourceId: failedId, reason: messageOf(error) };
      const reason = messageOf(error);
      return replacing
        ? cleanUp(event, lambda, next, parsed, credentials, reason, failedId)
        : { kind: 'failed', physicalResourceId: failedId, reason };
    }
    if (result === undefined) return { kind: 'in-progress', physicalResourceId, state: next };
    if (result.status === 'failed') {
      const stillCreating = result.errors.every(
        (e) => e.id === 'instance-active' && e.error instanceof TimeoutError,
      );
      if (stillCreating) {
        logger.info(`connect instance ${config.instance.alias} is still being created; continuing later`);
        return { kind: 'in-progress', physicalResourceId, state: next };
      }
      const reason = resultReason(result);
      return replacing
        ? cleanUp(event, lambda, next, parsed, credentials, reason, failedId)
        : { kind: 'failed', physicalResourceId: failedId, reason };
    }
    const data = attributesOf(
      result,
      apiIntegration ? { accessKeySecretName: parsed.settings.accessKeySecretName } : {},
    );
    const reason =
      result.status === 'manual-action-required'
        ? 'Manual action required in the Okta admin console (attribute ManualActions); update the stack afterwards to finish'
        : `${event.RequestType === 'Create' ? 'created' : 'updated'} ${physicalResourceId}`;
    return { kind: 'success', physicalResourceId, data, reason };
  }

  async function remove(
    event: CustomResourceEvent,
    lambda: LambdaContext | undefined,
    state: ContinuationState,
  ): Promise<PassOutcome> {
    const id = event.PhysicalResourceId ?? '';
    const named = parsePhysicalId(id);
    if (!named) {
      logger.info(`nothing to delete for ${id || '(no id)'}`);
      return {
        kind: 'success',
        physicalResourceId: id || failedCreateId(event.RequestId),
        data: {},
        reason: 'nothing to delete',
      };
    }
    let parsed: ParsedProperties;
    try {
      // The id decides what is deleted: the old setup of a replacement, whatever its properties say now.
      const props = { ...event.ResourceProperties };
      const instance = (
        typeof props.instance === 'object' && props.instance !== null ? props.instance : {}
      ) as Record<string, unknown>;
      props.instance = { ...instance, alias: named.alias };
      props.region = named.region;
      parsed = parseProperties(props);
    } catch (error) {
      return { kind: 'failed', physicalResourceId: id, reason: messageOf(error) };
    }
    let credentials: OktaCredentials;
    try {
      credentials = await credentialsFor(parsed);
    } catch (error) {
      return { kind: 'failed', physicalResourceId: id, reason: messageOf(error) };
    }
    try {
      const run = await withDeadline(lambda, (signal) =>
        teardown(parsed.resolved, {
          context: contextFor(parsed.resolved, credentials, signal),
          deleteInstance: parsed.settings.deleteInstance,
          signal,
        }),
      );
      if (run.deadline || run.value === undefined)
        return { kind: 'in-progress', physicalResourceId: id, state };
      if (run.value.status !== 'complete') {
        return {
          kind: 'failed',
          physicalResourceId: id,
          reason: run.value.errors.map((e) => `${e.resource}: ${e.error.message}`).join('; '),
        };
      }
    } catch (error) {
      return { kind: 'failed', physicalResourceId: id, reason: messageOf(error) };
    }
    return { kind: 'success', physicalResourceId: id, data: {}, reason: `deleted ${id}` };
  }

  async function pass(
    event: CustomResourceEvent,
    lambda: LambdaContext | undefined,
    state: ContinuationState,
    waitForInstance: boolean,
  ): Promise<PassOutcome> {
    logger.info(`${event.RequestType} ${event.LogicalResourceId}`, {
      requestId: event.RequestId,
      physicalResourceId: event.PhysicalResourceId,
      attempt: state.attempt,
    });
    try {
      const outcome =
        event.RequestType === 'Delete'
          ? await remove(event, lambda, state)
          : await createOrUpdate(event, lambda, state, waitForInstance);
      // The process "died" (a test's crash): answer nothing, as a killed Lambda would.
      if (options.signal?.aborted) throw options.signal.reason;
      return outcome;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return {
        kind: 'failed',
        physicalResourceId: event.PhysicalResourceId ?? failedCreateId(event.RequestId),
        reason: messageOf(error),
      };
    }
  }

  async function invokeSelfDefault(event: ContinuationEvent, lambda: LambdaContext): Promise<void> {
    const arn = lambda.invokedFunctionArn;
    if (!arn) throw new Error('the Lambda context has no invokedFunctionArn to re-invoke');
    const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
    const region = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):/.exec(arn)?.[1] ?? handlerRegion();
    const client = new LambdaClient({
      ...(region ? { region } : {}),
      ...(options.aws?.lambdaEndpoint ? { endpoint: options.aws.lambdaEndpoint } : {}),
      ...(options.aws?.credentials ? { credentials: options.aws.credentials } : {}),
    });
    try {
      await client.send(
        new InvokeCommand({
          FunctionName: arn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
      );
    } finally {
      client.destroy();
    }
  }

  function maxDurationOf(event: CustomResourceEvent): number {
    if (options.maxDurationMs !== undefined) return options.maxDurationMs;
    const seconds = Number(event.ResourceProperties?.ServiceTimeout);
    const timeout = Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : CLOUDFORMATION_TIMEOUT_MS;
    return Math.max(timeout / 2, timeout - TIMEOUT_MARGIN_MS);
  }

  const reasonFor = (text: string) => truncateBytes(scrub(text), 3000);

  const handler = async (event: ContinuationEvent, lambda: LambdaContext): Promise<void> => {
    checkEvent(event);
    const state = event[CONTINUATION_KEY] ?? freshState(clock.now());
    let outcome = await pass(event, lambda, state, true);
    if (outcome.kind === 'in-progress') {
      const elapsed = clock.now() - state.startedAt;
      if (elapsed > maxDurationOf(event)) {
        outcome = {
          kind: 'failed',
          physicalResourceId: event.PhysicalResourceId ?? failedCreateId(event.RequestId),
          reason: `did not finish within ${Math.round(elapsed / 1000)} s (the resource's ServiceTimeout); the next update resumes where it stopped`,
        };
      } else {
        const continuation: ContinuationEvent = {
          ...event,
          [CONTINUATION_KEY]: { ...outcome.state, attempt: state.attempt + 1 },
        };
        try {
          await (options.invokeSelf ?? invokeSelfDefault)(continuation, lambda);
          logger.info(`continuing ${event.RequestType} of ${event.LogicalResourceId} in a new invocation`, {
            attempt: state.attempt + 1,
          });
          return;
        } catch (error) {
          outcome = {
            kind: 'failed',
            physicalResourceId: event.PhysicalResourceId ?? failedCreateId(event.RequestId),
            reason: `could not continue the request in a new invocation (lambda:InvokeFunction on the function itself): ${messageOf(error)}`,
          };
        }
      }
    }
    const response = buildResponse(
      event,
      {
        status: outcome.kind === 'success' ? 'SUCCESS' : 'FAILED',
        reason: outcome.reason,
        physicalResourceId: outcome.physicalResourceId,
        data: outcome.kind === 'success' ? outcome.data : undefined,
      },
      { scrub, logStreamName: lambda?.logStreamName },
    );
    if (response.Status === 'FAILED') logger.error(`FAILED: ${outcome.reason}`);
    await sendResponse(event.ResponseURL, response, {
      attempts: options.responseAttempts ?? 6,
      clock,
      logger,
    });
  };

  const onEvent: CustomResourceHandler['onEvent'] = async (event, lambda) => {
    checkEvent({ ...event, ResponseURL: typeof event.ResponseURL === 'string' ? event.ResponseURL : '' });
    const state = freshState(clock.now());
    const outcome = await pass(event, lambda, state, false);
    if (outcome.kind === 'failed') throw new Error(reasonFor(outcome.reason));
    if (outcome.kind === 'success') {
      return {
        PhysicalResourceId: outcome.physicalResourceId,
        [CONTINUATION_KEY]: {
          ...state,
          done: { physicalResourceId: outcome.physicalResourceId, data: outcome.data },
        },
      };
    }
    return { PhysicalResourceId: outcome.physicalResourceId, [CONTINUATION_KEY]: outcome.state };
  };

  const isComplete: CustomResourceHandler['isComplete'] = async (event: IsCompleteRequest, lambda) => {
    checkEvent({ ...event, ResponseURL: typeof event.ResponseURL === 'string' ? event.ResponseURL : '' });
    const carried = event[CONTINUATION_KEY];
    const state = carried ? { ...carried, attempt: carried.attempt + 1 } : freshState(clock.now());
    if (state.done) {
      return {
        IsComplete: true,
        PhysicalResourceId: state.done.physicalResourceId,
        Data: scrubData(state.done.data),
      };
    }
    // The framework puts onEvent's PhysicalResourceId into the event: the request's own is in the state.
    const original: CustomResourceEvent =
      state.originalPhysicalResourceId !== undefined
        ? { ...event, PhysicalResourceId: state.originalPhysicalResourceId }
        : event.RequestType === 'Create'
          ? (({ PhysicalResourceId: _, ...rest }) => rest)(event)
          : event;
    const outcome = await pass(original, lambda, state, false);
    if (outcome.kind === 'failed') throw new Error(reasonFor(outcome.reason));
    if (outcome.kind === 'in-progress') return { IsComplete: false };
    return {
      IsComplete: true,
      PhysicalResourceId: outcome.physicalResourceId,
      Data: scrubData(outcome.data),
    };
  };

  function scrubData(data: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) out[k] = scrub(v);
    return out;
  }

  return Object.assign(handler, { onEvent, isComplete });
}
