/** createSamlInstance's input and result types, and the validation of its input (before any call). */
import { ConfigError, ConflictError } from '../../core/errors.js';
import type { StepOptions, StepResultBase, WaitOptions } from '../../core/step.js';
import { MANAGED_BY_KEY, STACK_KEY } from '../../providers/aws/tags.js';

/** The status of a Connect instance, as `DescribeInstance` and `ListInstances` report it. */
export type ConnectInstanceStatus = 'CREATION_IN_PROGRESS' | 'ACTIVE' | 'CREATION_FAILED';

/** How long and how often {@link createSamlInstance} polls until the instance is ACTIVE. */
export interface InstanceWaitOptions extends WaitOptions {
  /** Give up after this long, ms. Default 300 000 (5 minutes; creation usually takes about one). */
  timeoutMs?: number;
  /** First delay between two `DescribeInstance` polls, ms; later delays grow by 10 % up to 5 s. Default 500. */
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

/** Connect allows 50 tags per resource; two are ours. */
export const MAX_USER_TAGS = 48;

export const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

export type Issue = { field: string; message: string };

export function validate(input: SamlInstanceInput): void {
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
