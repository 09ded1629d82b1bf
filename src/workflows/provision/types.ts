/**
 * Types of the plan and of a provisioning run.
 */

import type { SsoContext } from '../../core/context.js';
import type { WaitOptions } from '../../core/step.js';
import type {
  AccessKeyOutcome,
  PlanAction,
  PlanItem,
  ProvisionEvent,
  ProvisionedApp,
  SecretSink,
} from '../../resources/plan.js';

export type {
  AccessKeyOutcome,
  PlanAction,
  PlanItem,
  ProvisionEvent,
  ProvisionedApp,
  ResourceKind,
  SecretSink,
} from '../../resources/plan.js';

/** A plan: what a run would do, without doing it. */
export interface ConnectSsoPlan {
  /** The config's stack name: it tags and names every resource the runs create. */
  stack: string;
  /** One item per step, in step order (dependencies before dependents). */
  items: PlanItem[];
  /** Counts by action. */
  summary: Record<PlanAction, number>;
}

/** Options of {@link provisionConnectSso} (and, without `dryRun`, of {@link planConnectSso}). */
export interface ProvisionOptions {
  /**
   * The clients to use. Default: built from the config (`region`, `okta.orgUrl` and its token or key) with
   * the AWS default credential chain. The context's `stack` is replaced by the config's.
   */
  context?: SsoContext;
  /** Plan only: read everything, write nothing. */
  dryRun?: boolean;
  /** How many steps run at once. Default 4. */
  concurrency?: number;
  /** Called synchronously with each progress event of the run. Default: none. */
  onEvent?: (event: ProvisionEvent) => void;
  /**
   * Aborts the run: calls in flight are cancelled and steps not yet started are skipped (`the run was
   * aborted`). Default: the context's signal, if any.
   */
  signal?: AbortSignal;
  /** Where a newly created Okta access key's secret goes. Default `{ kind: 'return' }`. */
  secretSink?: SecretSink;
  /**
   * Instead of stopping at the manual checkpoint, poll until the API integration is enabled in the Okta
   * console (and the instance is ACTIVE). `true`: up to 30 minutes, first poll after 5 s. Past the
   * timeout the step ends as without `wait`: a manual action (`status: 'manual-action-required'`).
   * A `waiting-for-manual-action` event with the instructions is sent before the wait starts.
   */
  wait?: boolean | WaitOptions;
  /**
   * `if-missing` (default): create the Okta access key only when the API user has no active key.
   * `rotate`: make a new key and retire the old one — the only way to recover a secret lost after it
   * was delivered.
   *
   * A key whose secret was never delivered (the run that created it stopped between `CreateAccessKey`
   * and the sink) is told apart by a delivery tag on the IAM user: no one can use it, so it is deleted
   * and replaced — by `rotate` at once, or by any run once it is 15 minutes old (younger, another run
   * may still be delivering it: the run stops with a manual action saying so). The result's
   * `accessKey.discardedKeys` names such keys.
   */
  accessKey?: 'if-missing' | 'rotate';
  /** Take over resources with our names that this stack did not create (tag them as ours). Default false. */
  adopt?: boolean;
  /** How long to wait for a new Connect instance to become ACTIVE before users are created. Default 5 min. */
  instanceTimeoutMs?: number;
}

/** The outcome of one step of the run. */
export interface StepRecord {
  /** The step's id, as in {@link PlanItem.id}. */
  id: string;
  /** Readable resource name, as in {@link PlanItem.resource}. */
  resource: string;
  /**
   * What the step did; `failed` when it threw, `skipped` when it did not run (a dependency failed or
   * waits for a manual action, or the run was aborted).
   */
  action: PlanAction | 'failed' | 'skipped';
  /** The step's reason line (zero or one entry); for a skipped step, why it was skipped. */
  changes: string[];
  /** How long the step took, in milliseconds; undefined for a skipped step. */
  ms?: number;
  /** What the step threw; only when `action` is `failed`. */
  error?: Error;
}

/** The result of {@link provisionConnectSso}. Contains no raw secret. */
export interface ProvisionResult {
  /**
   * `failed` when any step failed (see `errors`), else `manual-action-required` when a step waits for
   * a person (see `manualActions`), else `complete`.
   */
  status: 'complete' | 'manual-action-required' | 'failed';
  /** The config's stack name. */
  stack: string;
  /** The Amazon Connect instance. */
  instance: {
    /** The instance alias from the config. */
    alias: string;
    /** The instance id; undefined when it does not exist (a dry run before creation, or its step failed). */
    instanceId: string | undefined;
    /** The instance ARN; undefined when `instanceId` is. */
    instanceArn: string | undefined;
    /** The Connect instance status (`ACTIVE`, `CREATION_IN_PROGRESS`, …); undefined when unknown. */
    status: string | undefined;
  };
  /** The IAM managed policies; an ARN is undefined until the policy exists. */
  policies: {
    /** ARN of the policy the SAML roles grant (`connect:GetFederationToken` on the instance). */
    federationPolicyArn: string | undefined;
    /** ARN of the policy of the Okta API user; undefined also in group-mapping mode, which has none. */
    oktaAccessPolicyArn: string | undefined;
  };
  /**
   * The IAM user whose access key Okta uses (api-integration mode); undefined in group-mapping mode, or
   * when its step did not get that far (e.g. a dry run before its policy exists).
   */
  apiUser:
    | {
        /** The IAM user name. */
        userName: string;
        /** The IAM user ARN; undefined in a dry run before it exists. */
        userArn: string | undefined;
      }
    | undefined;
  /**
   * The Okta access key: its secret only when this run created it and the sink is `return`. Undefined
   * when there is none yet, or when a key whose secret was never delivered is too recent to replace
   * (a manual action then says so).
   */
  accessKey: AccessKeyOutcome | undefined;
  /** Every app of the config, in config order, with what exists of it after the run. */
  apps: ProvisionedApp[];
  /** Counts of the config's users, over all apps (in a dry run, what would be done). */
  users: {
    /** Users created in Connect (and assigned in Okta). */
    created: number;
    /** Users whose Connect or Okta settings were changed. */
    updated: number;
    /** Users already as configured. */
    unchanged: number;
    /** Users that could not be reconciled (outside a dry run their step fails too). */
    failed: number;
    /** Users not handled yet: waiting for the instance to be ACTIVE, the app, or a manual action. */
    pending: number;
  };
  /** What a person must do in a console before the next run can finish, per app. */
  manualActions: {
    /** The step's id, as in {@link PlanItem.id}. */
    id: string;
    /** Readable resource name, as in {@link PlanItem.resource}. */
    resource: string;
    /** The instructions for the person, one per line, in order. */
    actions: string[];
  }[];
  /** Every step of the run, in step order, including skipped ones. */
  steps: StepRecord[];
  /** The steps that failed; empty unless `status` is `failed`. */
  errors: {
    /** The step's id, as in {@link PlanItem.id}. */
    id: string;
    /** Readable resource name, as in {@link PlanItem.resource}. */
    resource: string;
    /** What the step threw. */
    error: Error;
  }[];
  /** API calls the run made. */
  requests: {
    /** Read-only calls (`Get…`, `List…`, `Describe…`, `Search…`, `Preview…`). */
    reads: number;
    /** Every other call. */
    writes: number;
  };
}
