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
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError, ProviderError, TimeoutError } from '../../core/errors.js';
import { BackoffTimeoutError, pollUntil } from '../../core/retry.js';
import type { StepOptions, StepResultBase, WaitOptions } from '../../core/step.js';
import { isAwsError } from '../../providers/aws/call.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { send } from '../../providers/aws/send.js';
import {
  MANAGED_BY_KEY,
  notOursError,
  ownerDescription,
  ownershipOf,
  ownershipTagMap,
  STACK_KEY,
} from '../../providers/aws/tags.js';
import { findInstanceByAlias, statusReason } from './read.js';

export { findInstanceByAlias } from './read.js';

/** The status of a Connect instance, as `DescribeInstance` and `ListInstances` report it. */
export type ConnectInstanceStatus = 'CREATION_IN_PROGRESS' | 'ACTIVE' | 'CREATION_FAILED';

/** How long and how often {@link createSamlInstance} polls until the instance is ACTIVE. */
export interface InstanceWaitOptions extends WaitOptions {
  /** Give up after this long, ms. Default 300 000 (5 minutes; creation usually takes about one). */
  timeoutMs?: number;
  /** First delay between two `DescribeInstance` polls, ms; later delays back off up to 15 s. Default 2 000. */
  pollIntervalMs?: number;
}

export interface SamlInstanceInput extends StepOptions {
  /**
   * The instance alias: 1–45 letters, digits and inner hyphens, not starting with `d-`. It is globally
   * unique (it names `https://<alias>.my.connect.aws`) and can never change.
   */
  alias: string;
  /**
   * Inbound calls. Default `true` when the instance is created. On an existing instance it is compared
   * only when given, and a difference is reported (not changed: see {@link SamlInstanceResult.action}).
   */
  inboundCalls?: boolean;
  /** Outbound calls; same rules as `inboundCalls`. Default `true` when the instance is created. */
  outboundCalls?: boolean;
  /**
   * Your own tags, added to the ownership tags (`managed-by`, `connect-okta-sso:stack`, which win on a
   * clash). Missing or different values are written to an existing instance; other tags are left alone.
   */
  tags?: Record<string, string>;
  /**
   * Wait until the instance is ACTIVE (polling `DescribeInstance` with back-off). `true` uses the default
   * timeout (5 minutes). Default `false`: return as soon as the instance exists. Ignored with `dryRun`.
   */
  wait?: boolean | InstanceWaitOptions;
  /**
   * Take over an existing SAML instance with this alias that does not carry our ownership tags (created
   * by hand or by another stack): tag it as ours and manage it. Default `false`: such an instance is a
   * {@link ConflictError}.
   */
  adopt?: boolean;
}

export interface SamlInstanceResult extends StepResultBase {
  /**
   * `created`, `updated` (tags written, or adopted), `unchanged`, or `conflict`: the instance exists and
   * is usable but differs in a way this step does not change (inbound/outbound calls: change them in the
   * Connect console or with `UpdateInstanceAttribute`); `changes` says what.
   */
  action: StepResultBase['action'];
  /** The instance id (a UUID); `undefined` only in a dry run that would create the instance. */
  instanceId: string | undefined;
  /** The instance ARN; `undefined` only in a dry run that would create the instance. */
  instanceArn: string | undefined;
  /** The alias as AWS spells it. */
  alias: string;
  /** The instance status when the step returned (`ACTIVE` after a successful `wait`). */
  status: ConnectInstanceStatus | undefined;
  /** `https://<alias>.my.connect.aws`, when AWS reports it. */
  accessUrl: string | undefined;
}

/** The alias rule of the Connect API (`InstanceAlias`: 1–45 characters, this pattern). */
export const INSTANCE_ALIAS_PATTERN = /^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$/;

const DEFAULT_WAIT_TIMEOUT_MS = 300_000;
const DEFAULT_POLL_INTERVAL_MS = 2_000;
const MAX_POLL_INTERVAL_MS = 15_000;
/** Connect allows 50 tags per resource; two are ours. */
const MAX_USER_TAGS = 48;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

type Issue = { field: string; message: string };

function validate(input: SamlInstanceInput): void {
  const issues: Issue[] = [];
  const { alias } = input;
  if (typeof alias !== 'string' || alias.length === 0) {
    issues.push({ field: 'alias', message: 'the instance alias is required' });
  } else if (alias.length > 45) {
    issues.push({ field: 'alias', message: `must be at most 45 characters (got ${alias.length})` });
  } else if (!INSTANCE_ALIAS_PATTERN.test(alias)) {
    issues.push({
      field: 'alias',
      message: `'${alias}' is not a valid alias: use letters, digits and hyphens between them, not starting with 'd-'`,
    });
  }
  for (const field of ['inboundCalls', 'outboundCalls', 'adopt', 'dryRun'] as const) {
    const value = input[field];
    if (value !== undefined && typeof value !== 'boolean') {
      issues.push({ field, message: `must be true or false (got ${JSON.stringify(value)})` });
    }
  }
  const { wait } = input;
  if (wait !== undefined && typeof wait !== 'boolean') {
    if (typeof wait !== 'object' || wait === null) {
      issues.push({ field: 'wait', message: 'must be a boolean or { timeoutMs?, pollIntervalMs? }' });
    } else {
      for (const key of ['timeoutMs', 'pollIntervalMs'] as const) {
        const value = wait[key];
        if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
          issues.push({
            field: `wait.${key}`,
            message: `must be a positive number of ms (got ${String(value)})`,
          });
        }
      }
    }
  }
  if (input.tags !== undefined) {
    if (typeof input.tags !== 'object' || input.tags === null || Array.isArray(input.tags)) {
      issues.push({ field: 'tags', message: 'must be an object of tag key → value' });
    } else {
      const entries = Object.entries(input.tags);
      if (entries.length > MAX_USER_TAGS) {
        issues.push({
          field: 'tags',
          message: `at most ${MAX_USER_TAGS} tags (Connect allows 50, 2 are ours)`,
        });
      }
      for (const [key, value] of entries) {
        if (key === MANAGED_BY_KEY || key === STACK_KEY) {
          issues.push({ field: `tags.${key}`, message: 'is an ownership tag the library sets itself' });
        } else if (!TAG_KEY.test(key)) {
          issues.push({
            field: `tags.${key}`,
            message: 'a tag key is 1–128 letters, digits, spaces or _.:/=+-@ and does not start with aws:',
          });
        } else if (typeof value !== 'string' || !TAG_VALUE.test(value)) {
          issues.push({
            field: `tags.${key}`,
            message: 'a tag value is a string of up to 256 letters, digits, spaces or _.:/=+-@',
          });
        }
      }
    }
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}

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
        const { Instance } = await send(ctx, 'connect', 'DescribeInstance', { InstanceId: instance.id });
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
      created = await send(ctx, 'connect', 'CreateInstance', {
        IdentityManagementType: 'SAML',
        InstanceAlias: alias,
        InboundCallsEnabled: inbound,
        OutboundCallsEnabled: outbound,
        Tags: ownershipTagMap(ctx, tags),
      });
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
  const { tags: current = {} } = await send(ctx, 'connect', 'ListTagsForResource', {
    resourceArn: instanceArn,
  });
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
    await send(ctx, 'connect', 'TagResource', { resourceArn: instanceArn, tags: toTag });
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
