/**
 * Types of the plan and of a provisioning run.
 */

import type { AppKind } from '../config/index.js';
import type { SsoContext } from '../context.js';
import type { Secret } from '../secret.js';

/** What the run will do (or did) to a resource. */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'manual' | 'blocked';

/** The kinds of resource a run manages. */
export type ResourceKind =
  | 'connect-instance'
  | 'iam-policy'
  | 'iam-user'
  | 'okta-app'
  | 'iam-identity-provider'
  | 'okta-api-integration'
  | 'okta-group'
  | 'user-assignment';

/** One line of the plan. */
export interface PlanItem {
  /** The task that owns the resource, e.g. `app:admin`; other items name it in `dependsOn`. */
  id: string;
  /** Readable resource name: `okta app "Amazon Connect Administrator"`. */
  resource: string;
  kind: ResourceKind;
  action: PlanAction;
  /** Why: the step's changes, the missing dependency, the click that is needed. */
  reason: string;
  dependsOn: string[];
}

/** A plan: what a run would do, without doing it. */
export interface ConnectSsoPlan {
  stack: string;
  items: PlanItem[];
  /** Counts by action. */
  summary: Record<PlanAction, number>;
}

/** Where the Okta access key's secret goes when a run creates one (it is never logged or printed). */
export type SecretSink =
  /** In the result, as a {@link Secret} (the default). */
  | { kind: 'return' }
  /** A new file (mode 0600) in the CSV layout of the AWS console's download. Refuses to overwrite. */
  | { kind: 'file'; path: string }
  /** An AWS Secrets Manager secret (JSON `{accessKeyId, secretAccessKey}`); needs `@aws-sdk/client-secrets-manager`. */
  | { kind: 'secrets-manager'; name: string; kmsKeyId?: string };

/** Progress of a run, for a CLI to draw. Never carries a secret. */
export type ProvisionEvent =
  | { type: 'step-started'; id: string; resource: string }
  | { type: 'step-finished'; id: string; resource: string; action: PlanAction; changes: string[]; ms: number }
  | { type: 'step-failed'; id: string; resource: string; error: Error }
  | { type: 'manual-action'; id: string; resource: string; actions: string[] }
  | { type: 'progress'; done: number; total: number; running: number };

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
  onEvent?: (event: ProvisionEvent) => void;
  signal?: AbortSignal;
  /** Where a newly created Okta access key's secret goes. Default `{ kind: 'return' }`. */
  secretSink?: SecretSink;
  /**
   * Instead of stopping at the manual checkpoint, poll until the API integration is enabled in the Okta
   * console (and the instance is ACTIVE), up to `timeoutMs`.
   */
  wait?: { timeoutMs: number; pollIntervalMs?: number };
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

/** One app after the run. */
export interface ProvisionedApp {
  kind: AppKind;
  label: string;
  appId: string | undefined;
  /** The Default Relay State the app sends users to. */
  relayState: string | undefined;
  /** The Okta sign-in link (IdP-initiated) to give to users. */
  signInUrl: string | undefined;
  providerArn: string | undefined;
  roleArn: string | undefined;
  /** api-integration mode: whether Okta's API integration is enabled; group-mapping: always 'not-needed'. */
  apiIntegration: 'enabled' | 'pending' | 'not-needed';
}

/** The outcome of one step of the run. */
export interface StepRecord {
  id: string;
  resource: string;
  action: PlanAction | 'failed' | 'skipped';
  changes: string[];
  ms?: number;
  error?: Error;
}

/** The result of {@link provisionConnectSso}. Contains no raw secret. */
export interface ProvisionResult {
  status: 'complete' | 'manual-action-required' | 'failed';
  stack: string;
  instance: {
    alias: string;
    instanceId: string | undefined;
    instanceArn: string | undefined;
    status: string | undefined;
  };
  policies: { federationPolicyArn: string | undefined; oktaAccessPolicyArn: string | undefined };
  apiUser: { userName: string; userArn: string | undefined } | undefined;
  /**
   * The Okta access key: its secret only when this run created it and the sink is `return`. Undefined
   * when there is none yet, or when a key whose secret was never delivered is too recent to replace
   * (a manual action then says so).
   */
  accessKey:
    | {
        accessKeyId: string;
        secretAccessKey?: Secret;
        deliveredTo: string;
        createdByThisRun: boolean;
        /**
         * Keys this run deleted because their secret was never delivered (a run stopped between
         * `CreateAccessKey` and saving the secret): no one could have used them. The key above replaces them.
         */
        discardedKeys?: string[];
      }
    | undefined;
  apps: ProvisionedApp[];
  users: { created: number; updated: number; unchanged: number; failed: number; pending: number };
  /** What a person must do in a console before the next run can finish, per app. */
  manualActions: { id: string; resource: string; actions: string[] }[];
  steps: StepRecord[];
  errors: { id: string; resource: string; error: Error }[];
  /** API calls the run made. */
  requests: { reads: number; writes: number };
}
