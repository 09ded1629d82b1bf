/**
 * One pass of a Create or an Update: the properties validated (nothing written on a bad one), an
 * Update's replacement checked, then `provisionConnectSso` up to the invocation's deadline. A Create
 * (or a replacement) that fails removes its own partial work before it answers FAILED — the Connect
 * instance only when this request created it.
 */
import type { ResolvedConfig } from '../config/index.js';
import { ConfigError, TimeoutError } from '../core/errors.js';
import { provisionConnectSso } from '../workflows/provision/provision.js';
import type { ProvisionEvent, ProvisionResult } from '../workflows/provision/types.js';
import type { OktaCredentials } from './okta-credentials.js';
import { attributesOf } from './outputs.js';
import {
  failedCreateId,
  type ParsedProperties,
  parsePhysicalId,
  parseProperties,
  physicalIdOf,
} from './properties.js';
import { errorsReason, messageOf, type PassOutcome, type Runtime } from './runtime.js';
import { teardown } from './teardown.js';
import type { ContinuationState, CustomResourceEvent, LambdaContext } from './types.js';

/** Provisioning events as log lines (never a secret: the library's events carry none). */
function logEvent(rt: Runtime, event: ProvisionEvent): void {
  if (event.type === 'step-finished' && event.action !== 'unchanged') {
    rt.logger.info(`${event.action} ${event.resource}`, { step: event.id, changes: event.changes });
  } else if (event.type === 'step-failed') {
    rt.logger.error(`failed ${event.resource}: ${event.error.message}`, { step: event.id });
  } else if (event.type === 'manual-action') {
    rt.logger.warn(`manual action needed for ${event.resource}`, { step: event.id });
  }
}

/**
 * Why an Update cannot go ahead before anything is written, or undefined: a replacement in another
 * region under the same alias (aliases are global), a replacement that keeps the old stack name (the
 * old setup's Delete would remove the new one), or a stack name changed in place (the ownership tag).
 */
function updateProblem(
  event: CustomResourceEvent,
  config: ResolvedConfig,
  originalId: string | undefined,
  replacing: boolean,
): string | undefined {
  if (event.RequestType !== 'Update') return undefined;
  if (replacing) {
    const old = parsePhysicalId(originalId);
    if (old && old.alias.toLowerCase() === config.instance.alias.toLowerCase()) {
      return (
        `region: a Connect instance alias is unique across every region, so '${config.instance.alias}' cannot be created in ${config.region} while it exists in ${old.region}. ` +
        'Give instance.alias a new value with the new region (CloudFormation then deletes the old setup), or delete the resource and create it again.'
      );
    }
  }
  if (!event.OldResourceProperties) return undefined;
  let oldStack: string | undefined;
  try {
    oldStack = parseProperties(event.OldResourceProperties).resolved.stack;
  } catch {
    oldStack = undefined;
  }
  if (replacing && oldStack === config.stack) {
    return `stack: a replacement (a new alias or region) needs a stack name of its own, because CloudFormation then deletes the old setup by its stack '${oldStack}': leave stack out (it defaults to the alias) or give it a new value`;
  }
  if (!replacing && oldStack !== undefined && oldStack !== config.stack) {
    return `stack: cannot change from '${oldStack}' to '${config.stack}': it is the ownership tag of every resource of this setup (change instance.alias to make a new setup instead)`;
  }
  return undefined;
}

/** Remove a failed Create's partial work; `in-progress` when the invocation ends first. */
async function cleanUp(
  rt: Runtime,
  event: CustomResourceEvent,
  lambda: LambdaContext | undefined,
  state: ContinuationState,
  parsed: ParsedProperties,
  credentials: OktaCredentials,
  failure: string,
  failedId: string,
): Promise<PassOutcome> {
  const cleanup = { reason: failure };
  rt.logger.warn(`cleaning up the partial work of the failed ${event.RequestType.toLowerCase()}`, {
    deleteInstance: state.createdInstance,
  });
  let outcome: Awaited<ReturnType<typeof teardown>> | undefined;
  try {
    const run = await rt.withDeadline(lambda, (signal) =>
      teardown(parsed.resolved, {
        context: rt.contextFor(parsed.resolved, credentials, signal),
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
    return {
      kind: 'failed',
      physicalResourceId: failedId,
      reason: `${failure} (clean-up incomplete: ${errorsReason(outcome.errors)})`,
    };
  }
  return {
    kind: 'failed',
    physicalResourceId: failedId,
    reason: `${failure} (its partial work was removed)`,
  };
}

/** One pass of a Create or an Update (`waitForInstance`: wait for the instance within this invocation). */
export async function createOrUpdate(
  rt: Runtime,
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
  const problem = updateProblem(event, config, originalId, replacing);
  if (problem !== undefined) return { kind: 'failed', physicalResourceId: failedId, reason: problem };
  let credentials: OktaCredentials;
  try {
    credentials = await rt.credentialsFor(parsed);
  } catch (error) {
    return { kind: 'failed', physicalResourceId: failedId, reason: messageOf(error) };
  }
  const next: ContinuationState = {
    ...state,
    ...(originalId !== undefined ? { originalPhysicalResourceId: originalId } : {}),
  };
  if (next.cleanup) {
    return cleanUp(rt, event, lambda, next, parsed, credentials, next.cleanup.reason, failedId);
  }
  const failWith = (reason: string) =>
    replacing
      ? cleanUp(rt, event, lambda, next, parsed, credentials, reason, failedId)
      : ({ kind: 'failed', physicalResourceId: failedId, reason } as const);
  const apiIntegration = config.roleMapping === 'api-integration';
  const budget = rt.budgetOf(lambda);
  let result: ProvisionResult | undefined;
  try {
    const run = await rt.withDeadline(lambda, (signal) =>
      provisionConnectSso(config, {
        context: rt.contextFor(config, credentials, signal),
        signal,
        concurrency: rt.options.concurrency ?? 4,
        instanceTimeoutMs: waitForInstance ? Math.max(1, budget) : 1,
        onEvent: (e) => logEvent(rt, e),
        ...(apiIntegration
          ? { secretSink: { kind: 'secrets-manager' as const, name: parsed.settings.accessKeySecretName } }
          : {}),
      }),
    );
    result = run.value;
    if (result?.steps.some((s) => s.id === 'instance' && s.action === 'create')) next.createdInstance = true;
    if (run.deadline) return { kind: 'in-progress', physicalResourceId, state: next };
  } catch (error) {
    if (rt.options.signal?.aborted) throw error;
    if (error instanceof ConfigError)
      return { kind: 'failed', physicalResourceId: failedId, reason: messageOf(error) };
    return failWith(messageOf(error));
  }
  if (result === undefined) return { kind: 'in-progress', physicalResourceId, state: next };
  if (result.status === 'failed') {
    const stillCreating = result.errors.every(
      (e) => e.id === 'instance-active' && e.error instanceof TimeoutError,
    );
    if (stillCreating) {
      rt.logger.info(`connect instance ${config.instance.alias} is still being created; continuing later`);
      return { kind: 'in-progress', physicalResourceId, state: next };
    }
    return failWith(errorsReason(result.errors));
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
