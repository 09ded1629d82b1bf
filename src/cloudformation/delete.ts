/**
 * One pass of a Delete: the physical id decides what goes (the old setup of a replacement, whatever the
 * properties say now); the teardown removes what the setup's stack owns, the Connect instance only with
 * `DeleteInstance: true`. An id this handler did not make (a failed Create's) has nothing to delete.
 */
import type { OktaCredentials } from './okta-credentials.js';
import { failedCreateId, type ParsedProperties, parsePhysicalId, parseProperties } from './properties.js';
import { errorsReason, messageOf, type PassOutcome, type Runtime } from './runtime.js';
import { teardown } from './teardown.js';
import type { ContinuationState, CustomResourceEvent, LambdaContext } from './types.js';

/** One pass of a Delete. */
export async function remove(
  rt: Runtime,
  event: CustomResourceEvent,
  lambda: LambdaContext | undefined,
  state: ContinuationState,
): Promise<PassOutcome> {
  const id = event.PhysicalResourceId ?? '';
  const named = parsePhysicalId(id);
  if (!named) {
    rt.logger.info(`nothing to delete for ${id || '(no id)'}`);
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
    credentials = await rt.credentialsFor(parsed);
  } catch (error) {
    return { kind: 'failed', physicalResourceId: id, reason: messageOf(error) };
  }
  try {
    const run = await rt.withDeadline(lambda, (signal) =>
      teardown(parsed.resolved, {
        context: rt.contextFor(parsed.resolved, credentials, signal),
        deleteInstance: parsed.settings.deleteInstance,
        signal,
      }),
    );
    if (run.deadline || run.value === undefined)
      return { kind: 'in-progress', physicalResourceId: id, state };
    if (run.value.status !== 'complete') {
      return { kind: 'failed', physicalResourceId: id, reason: errorsReason(run.value.errors) };
    }
  } catch (error) {
    return { kind: 'failed', physicalResourceId: id, reason: messageOf(error) };
  }
  return { kind: 'success', physicalResourceId: id, data: {}, reason: `deleted ${id}` };
}
