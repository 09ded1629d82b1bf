/**
 * Guide step 1: an Amazon Connect instance whose identity management is SAML 2.0.
 *
 * The instance is found by its alias (its natural key: globally unique, never changeable). Its identity
 * management type can never change either, so an instance with the alias but another type is a
 * {@link ConflictError}, never something to "repair". `CreateInstance` answers at once with the id and
 * ARN while the instance is still `CREATION_IN_PROGRESS` (about a minute); with `wait` the step polls
 * `DescribeInstance` with back-off until it is `ACTIVE`, and surfaces `CREATION_FAILED` with AWS's
 * reason.
 */
import {
  CreateInstanceCommand,
  DescribeInstanceCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from '@aws-sdk/client-connect';
import type { SsoContext } from '../../core/context.js';
import { ConflictError, ProviderError, TimeoutError } from '../../core/errors.js';
import { BackoffTimeoutError, pollUntil } from '../../core/retry.js';
import { awsCall, isAwsError } from '../../providers/aws/call.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { notOursError, ownerDescription, ownershipOf, ownershipTagMap } from '../../providers/aws/tags.js';
import {
  type ConnectInstanceStatus,
  type InstanceWaitOptions,
  type SamlInstanceInput,
  type SamlInstanceResult,
  validate,
} from './input.js';
import { findInstanceByAlias, statusReason } from './read.js';

export {
  type ConnectInstanceStatus,
  INSTANCE_ALIAS_PATTERN,
  type InstanceWaitOptions,
  type SamlInstanceInput,
  type SamlInstanceResult,
} from './input.js';

export { findInstanceByAlias } from './read.js';

const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
// Fitted to how creation completes: CreateInstance answers at once and the instance is ACTIVE a minute or
// two later (or seconds, when a run adopts one nearly done). Polls start fast and grow by 10 % up to 5 s:
// the poll that sees ACTIVE comes within about a tenth of the wait after it, in about 30 polls for two
// minutes (well under DescribeInstance's rate limit).
const DEFAULT_POLL_INTERVAL_MS = 500;
const MAX_POLL_INTERVAL_MS = 5_000;

function onOff(value: boolean): string {
  return value ? 'enabled' : 'disabled';
}

/**
 * Poll `DescribeInstance` until the instance leaves CREATION_IN_PROGRESS.
 * @throws {ProviderError} when it ends in CREATION_FAILED (with AWS's reason).
 * @throws {TimeoutError} when it is still being created after the timeout.
 */
export async function waitUntilActive(
  ctx: SsoContext,
  instance: { id: string; alias: string },
  options: InstanceWaitOptions,
): Promise<{ status: ConnectInstanceStatus; accessUrl: string | undefined }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const initialDelayMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  try {
    return await pollUntil(
      async () => {
        const { Instance } = await awsCall(ctx, 'connect', 'DescribeInstance', (o) =>
          ctx.connect.send(new DescribeInstanceCommand({ InstanceId: instance.id }), o),
        );
        const status = Instance?.InstanceStatus;
        if (status === 'CREATION_FAILED') {
          throw new ProviderError({
            service: 'connect',
            operation: 'CreateInstance',
            message: `the creation of instance '${instance.alias}' (${instance.id}) failed: ${
              Instance?.StatusReason?.Message ?? 'AWS gave no reason'
            }. AWS keeps a failed instance listed for 24 hours; delete it (DeleteInstance) and run again, or use another alias.`,
            providerCode: 'CREATION_FAILED',
          });
        }
        if (status === 'ACTIVE') return { status, accessUrl: Instance?.InstanceAccessUrl };
        return undefined;
      },
      {
        timeoutMs,
        initialDelayMs,
        maxDelayMs: Math.max(initialDelayMs, MAX_POLL_INTERVAL_MS),
        clock: ctx.clock,
        signal: ctx.signal,
      },
    );
  } catch (error) {
    if (error instanceof BackoffTimeoutError) {
      throw new TimeoutError(
        `instance '${instance.alias}' (${instance.id}) is still CREATION_IN_PROGRESS after ${Math.round(
          timeoutMs / 1000,
        )} s; run again later (the step finds it by its alias) or wait longer (wait.timeoutMs)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Create (or find) the Connect instance with SAML 2.0 identity management — guide step 1.
 *
 * Reads: `ListInstances` (every page until the alias is found), `ListTagsForResource` of an existing
 * instance (ownership), `DescribeInstance` while waiting or for a failed instance's reason. Writes:
 * `CreateInstance` (with the ownership tags), `TagResource` (your missing tags, or adoption).
 *
 * @throws {ConfigError} invalid input (no request is made).
 * @throws {ConflictError} the alias belongs to a non-SAML instance (identity type can never change), to a
 *   SAML instance that is not ours (unless `adopt`), to an instance whose creation failed, or (at create
 *   time) to an instance in another region or account.
 * @throws {ProviderError} an AWS error, or `CREATION_FAILED` while waiting (with AWS's reason).
 * @throws {TimeoutError} still being created when `wait.timeoutMs` ran out.
 */
export async function createSamlInstance(
  ctx: SsoContext,
  input: SamlInstanceInput,
): Promise<SamlInstanceResult> {
  validate(input);
  // Two runs at once: the one whose CreateInstance is refused for the alias reads again and finds the
  // other's instance (ours by its tags), instead of blaming another account.
  return onceMoreIfRaced(() => ensureSamlInstance(ctx, input));
}

async function ensureSamlInstance(ctx: SsoContext, input: SamlInstanceInput): Promise<SamlInstanceResult> {
  const { alias, tags = {}, adopt = false } = input;
  const dryRun = input.dryRun ?? false;
  const waitOptions: InstanceWaitOptions | undefined =
    input.wait === true ? {} : input.wait === false || input.wait === undefined ? undefined : input.wait;
  const resource = `connect instance ${alias}`;

  const existing = await findInstanceByAlias(ctx, alias);

  if (!existing) {
    const inbound = input.inboundCalls ?? true;
    const outbound = input.outboundCalls ?? true;
    const changes = [
      `create SAML instance '${alias}' (inbound calls ${onOff(inbound)}, outbound calls ${onOff(outbound)})`,
    ];
    if (dryRun) {
      return {
        action: 'created',
        resource,
        changes,
        dryRun,
        instanceId: undefined,
        instanceArn: undefined,
        alias,
        status: undefined,
        accessUrl: undefined,
      };
    }
    let created: { Id?: string | undefined; Arn?: string | undefined };
    try {
      created = await awsCall(ctx, 'connect', 'CreateInstance', (o) =>
        ctx.connect.send(
          new CreateInstanceCommand({
            IdentityManagementType: 'SAML',
            InstanceAlias: alias,
            InboundCallsEnabled: inbound,
            OutboundCallsEnabled: outbound,
            Tags: ownershipTagMap(ctx, tags),
          }),
          o,
        ),
      );
    } catch (error) {
      if (
        isAwsError(error, 'InvalidRequestException', 'DuplicateResourceException') &&
        error instanceof Error &&
        /alias/i.test(error.message)
      ) {
        throw new CreateRaceError(
          new ConflictError(
            resource,
            `the alias '${alias}' is already used by an instance that is not in region ${ctx.region} of this account (aliases are unique across all AWS accounts and regions): choose another alias`,
            { cause: error },
          ),
        );
      }
      throw error;
    }
    const instanceId = created.Id;
    const instanceArn = created.Arn;
    if (!instanceId || !instanceArn) {
      throw new ProviderError({
        service: 'connect',
        operation: 'CreateInstance',
        message: 'the response has no instance Id or Arn',
      });
    }
    ctx.logger.info(`created connect instance ${alias}`, { instanceId, instanceArn });
    let status: ConnectInstanceStatus = 'CREATION_IN_PROGRESS';
    let accessUrl: string | undefined;
    if (waitOptions)
      ({ status, accessUrl } = await waitUntilActive(ctx, { id: instanceId, alias }, waitOptions));
    return {
      action: 'created',
      resource,
      changes,
      dryRun,
      instanceId,
      instanceArn,
      alias,
      status,
      accessUrl,
    };
  }

  const instanceId = existing.Id ?? '';
  const instanceArn = existing.Arn ?? '';
  const actualAlias = existing.InstanceAlias ?? alias;
  if (existing.IdentityManagementType !== 'SAML') {
    throw new ConflictError(
      resource,
      `instance '${actualAlias}' (${instanceId}) exists with identity management ${String(
        existing.IdentityManagementType,
      )}, not SAML. The identity management type of a Connect instance can never change: choose another alias for the SAML instance (or delete that instance, if nothing depends on it, and run again).`,
    );
  }
  if (existing.InstanceStatus === 'CREATION_FAILED') {
    const reason = await statusReason(ctx, instanceId);
    throw new ConflictError(
      resource,
      `instance '${actualAlias}' (${instanceId}) failed to be created${
        reason ? `: ${reason}` : ''
      }. AWS keeps a failed instance listed (holding its alias) for 24 hours: delete it (aws connect delete-instance --instance-id ${instanceId}) and run again, or use another alias.`,
    );
  }

  const changes: string[] = [];
  const { tags: current = {} } = await awsCall(ctx, 'connect', 'ListTagsForResource', (o) =>
    ctx.connect.send(new ListTagsForResourceCommand({ resourceArn: instanceArn }), o),
  );
  const owner = ownershipOf(ctx, current);
  const toTag: Record<string, string> = {};
  if (owner !== 'ours') {
    if (!adopt) {
      throw notOursError(
        ctx,
        resource,
        `SAML instance '${actualAlias}' (${instanceId})`,
        owner,
        current,
        'use another alias',
      );
    }
    Object.assign(toTag, ownershipTagMap(ctx));
    changes.push(
      `adopt: tag as managed by stack '${ctx.stack}' (it ${ownerDescription(ctx, owner, current)})`,
    );
  }
  for (const [key, value] of Object.entries(tags)) {
    if (current[key] === value) continue;
    toTag[key] = value;
    changes.push(
      current[key] === undefined
        ? `tag ${key}: add '${value}'`
        : `tag ${key}: '${current[key]}' → '${value}'`,
    );
  }
  if (Object.keys(toTag).length > 0 && !dryRun) {
    await awsCall(ctx, 'connect', 'TagResource', (o) =>
      ctx.connect.send(new TagResourceCommand({ resourceArn: instanceArn, tags: toTag }), o),
    );
    ctx.logger.info(`tagged connect instance ${actualAlias}`, { instanceId, keys: Object.keys(toTag) });
  }

  const unchangeable: string[] = [];
  for (const [field, label, actual] of [
    ['inboundCalls', 'inbound calls', existing.InboundCallsEnabled],
    ['outboundCalls', 'outbound calls', existing.OutboundCallsEnabled],
  ] as const) {
    const wanted = input[field];
    if (wanted === undefined || actual === undefined || wanted === actual) continue;
    unchangeable.push(
      `${label}: ${onOff(actual)}, wanted ${onOff(wanted)} — not changed by this step (use the Connect console's Telephony settings or UpdateInstanceAttribute ${
        field === 'inboundCalls' ? 'INBOUND_CALLS' : 'OUTBOUND_CALLS'
      })`,
    );
  }

  let status = existing.InstanceStatus as ConnectInstanceStatus | undefined;
  let accessUrl = existing.InstanceAccessUrl;
  if (waitOptions && !dryRun && status === 'CREATION_IN_PROGRESS') {
    const done = await waitUntilActive(ctx, { id: instanceId, alias: actualAlias }, waitOptions);
    status = done.status;
    accessUrl = done.accessUrl ?? accessUrl;
  }
  return {
    action: unchangeable.length > 0 ? 'conflict' : changes.length > 0 ? 'updated' : 'unchanged',
    resource,
    changes: [...changes, ...unchangeable],
    dryRun,
    instanceId,
    instanceArn,
    alias: actualAlias,
    status,
    accessUrl,
  };
}
