/**
 * A custom resource request as the handler takes it: the event checked, a new request's state, and how
 * long a plain-CloudFormation request may take over all its invocations.
 */
import { failedCreateId, parseProperties, physicalIdOf } from './properties.js';
import type { ContinuationState, CustomResourceEvent } from './types.js';

const CLOUDFORMATION_TIMEOUT_MS = 3_600_000;
const TIMEOUT_MARGIN_MS = 5 * 60_000;

/** @throws {TypeError} not a CloudFormation custom resource request (a field missing, a bad RequestType). */
export function checkEvent(event: unknown): asserts event is CustomResourceEvent {
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

/** The state of a request's first pass. */
export function freshState(now: number): ContinuationState {
  return { startedAt: now, attempt: 0, createdInstance: false };
}

/**
 * How long a request may take over all its invocations, in ms: `maxDurationMs`, else the resource's
 * `ServiceTimeout` (else CloudFormation's 3600 s) less 5 minutes (at least half of it).
 */
export function maxDurationOf(event: CustomResourceEvent, maxDurationMs: number | undefined): number {
  if (maxDurationMs !== undefined) return maxDurationMs;
  const seconds = Number(event.ResourceProperties?.ServiceTimeout);
  const timeout = Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : CLOUDFORMATION_TIMEOUT_MS;
  return Math.max(timeout / 2, timeout - TIMEOUT_MARGIN_MS);
}

/**
 * The physical id to answer for a plain-CloudFormation request given up before its end (the self
 * re-invoke failed, or the request outlived its ServiceTimeout): an Update's or a Delete's own id; for a
 * Create, the id a success would have answered. CloudFormation rolls a failed Create back with a Delete
 * of the id the FAILED response named, so that Delete then finds the partial work and removes it (the
 * Connect instance only with `DeleteInstance: true`). Properties that do not parse wrote nothing: their
 * Create keeps the placeholder id, whose Delete does nothing.
 */
export function unfinishedId(event: CustomResourceEvent): string {
  if (event.RequestType === 'Create') {
    try {
      return physicalIdOf(parseProperties(event.ResourceProperties).resolved);
    } catch {
      return failedCreateId(event.RequestId);
    }
  }
  return event.PhysicalResourceId ?? failedCreateId(event.RequestId);
}
