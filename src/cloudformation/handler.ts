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
 * the Connect instance only when this request created it. A plain-CloudFormation Create given up before
 * its end (its self re-invoke refused, or past its ServiceTimeout) cannot clean up in the time left: it
 * answers FAILED with the id a success would have answered, so that CloudFormation's rollback Delete
 * removes the partial work.
 */
import { createOrUpdate } from './create-update.js';
import { remove } from './delete.js';
import { checkEvent, freshState, maxDurationOf, unfinishedId } from './event.js';
import { failedCreateId } from './properties.js';
import { buildResponse, sendResponse, truncateBytes } from './response.js';
import { createRuntime, messageOf, type PassOutcome } from './runtime.js';
import { invokeOwnFunction } from './self-invoke.js';
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
  const rt = createRuntime(options);
  const { clock, logger, scrub } = rt;
  const invokeSelf =
    options.invokeSelf ??
    ((event: ContinuationEvent, lambda: LambdaContext) =>
      invokeOwnFunction(event, lambda, options.aws, rt.handlerRegion()));

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
          ? await remove(rt, event, lambda, state)
          : await createOrUpdate(rt, event, lambda, state, waitForInstance);
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

  const reasonFor = (text: string) => truncateBytes(scrub(text), 3000);

  const handler = async (event: ContinuationEvent, lambda: LambdaContext): Promise<void> => {
    checkEvent(event);
    const state = event[CONTINUATION_KEY] ?? freshState(clock.now());
    let outcome = await pass(event, lambda, state, true);
    if (outcome.kind === 'in-progress') {
      const elapsed = clock.now() - state.startedAt;
      if (elapsed > maxDurationOf(event, options.maxDurationMs)) {
        outcome = {
          kind: 'failed',
          physicalResourceId: unfinishedId(event),
          reason: `did not finish within ${Math.round(elapsed / 1000)} s (the resource's ServiceTimeout); the next update resumes where it stopped`,
        };
      } else {
        const continuation: ContinuationEvent = {
          ...event,
          [CONTINUATION_KEY]: { ...outcome.state, attempt: state.attempt + 1 },
        };
        try {
          await invokeSelf(continuation, lambda);
          logger.info(`continuing ${event.RequestType} of ${event.LogicalResourceId} in a new invocation`, {
            attempt: state.attempt + 1,
          });
          return;
        } catch (error) {
          outcome = {
            kind: 'failed',
            physicalResourceId: unfinishedId(event),
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
