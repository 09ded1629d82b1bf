/**
 * Types of the plan and of a provisioning run.
 */

import type { AppKind } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import type { Secret } from '../../core/secret.js';

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
  /** The kind of resource the step manages. */
  kind: ResourceKind;
  /** What the run will do (plan) or did (result) to the resource. */
  action: PlanAction;
  /** Why: the step's changes, the missing dependency, the click that is needed. */
  reason: string;
  /** The `id`s of the items that must finish first; empty for the first steps. */
  dependsOn: string[];
}

/** A plan: what a run would do, without doing it. */
export interface ConnectSsoPlan {
  /** The config's stack name: it tags and names every resource the runs create. */
  stack: string;
  /** One item per step, in step order (dependencies before dependents). */
  items: PlanItem[];
  /** Counts by action. */
  summary: Record<PlanAction, number>;
}

/** Where the Okta access key's secret goes when a run creates one (it is never logged or printed). */
export type SecretSink =
  /** In the result, as a {@link Secret} (the default). */
  | {
      /** Return the secret in `result.accessKey.secretAccessKey`. */
      kind: 'return';
    }
  /** A new file (mode 0600) in the CSV layout of the AWS console's download. Refuses to overwrite. */
  | {
      /** Write a CSV file. */
      kind: 'file';
      /** The file to create; it must not exist yet (the run fails rather than overwrite it). */
      path: string;
    }
  /** An AWS Secrets Manager secret (JSON `{accessKeyId, secretAccessKey}`); needs `@aws-sdk/client-secrets-manager`. */
  | {
      /** Store in a new AWS Secrets Manager secret (same region and credentials as the IAM client). */
      kind: 'secrets-manager';
      /** Name of the secret to create: 1–512 of `A-Z a-z 0-9 / _ + = . @ -`; it must not exist yet. */
      name: string;
      /**
       * KMS key (id, ARN or alias) to encrypt the secret with. Default: the account's
       * `aws/secretsmanager` key.
       */
      kmsKeyId?: string;
    };

/** Progress of a run, for a CLI to draw. Never carries a secret. */
export type ProvisionEvent =
  /** A step began. */
  | {
      /** Event discriminator. */
      type: 'step-started';
      /** The step's id, as in {@link PlanItem.id}. */
      id: string;
      /** Readable resource name, as in {@link PlanItem.resource}. */
      resource: string;
    }
  /** A step ended, done or stopped at a manual action (then a `manual-action` event follows). */
  | {
      /** Event discriminator. */
      type: 'step-finished';
      /** The step's id, as in {@link PlanItem.id}. */
      id: string;
      /** Readable resource name, as in {@link PlanItem.resource}. */
      resource: string;
      /** What the step did (or, in a dry run, would do). */
      action: PlanAction;
      /** The step's reason line, if it has one (zero or one entry). */
      changes: string[];
      /** How long the step took, in milliseconds. */
      ms: number;
    }
  /** A step threw; its dependents are skipped, independent steps go on. */
  | {
      /** Event discriminator. */
      type: 'step-failed';
      /** The step's id, as in {@link PlanItem.id}. */
      id: string;
      /** Readable resource name, as in {@link PlanItem.resource}. */
      resource: string;
      /** What the step threw (a non-Error is wrapped in one). */
      error: Error;
    }
  /** A step needs a person to act in a console; its dependents are skipped until the next run. */
  | {
      /** Event discriminator. */
      type: 'manual-action';
      /** The step's id, as in {@link PlanItem.id}. */
      id: string;
      /** Readable resource name, as in {@link PlanItem.resource}. */
      resource: string;
      /** The instructions for the person, one per line, in order. */
      actions: string[];
    }
  /**
   * Counts of the run's steps after each change; while a user-assignment step runs, also counts of
   * its users (then `running` is 0).
   */
  | {
      /** Event discriminator. */
      type: 'progress';
      /** Steps (or users) finished, skipped included. */
      done: number;
      /** All steps (or all users of the step). */
      total: number;
      /** Steps running now. */
      running: number;
    };

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
   * console (and the instance is ACTIVE), up to `timeoutMs`.
   */
  wait?: {
    /** How long to poll in all, in milliseconds; past it the step fails with a timeout. */
    timeoutMs: number;
    /** First delay between two polls, in milliseconds (it grows up to 30 s). Default 5000. */
    pollIntervalMs?: number;
  };
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
  /** Which app of the config: `admin`, `ccp` or `agent-workspace`. */
  kind: AppKind;
  /** The Okta app's label (its name in the Okta dashboard). */
  label: string;
  /** The Okta app id; undefined until the app exists (e.g. the instance is not created yet, or a dry run). */
  appId: string | undefined;
  /** The Default Relay State the app sends users to. */
  relayState: string | undefined;
  /** The Okta sign-in link (IdP-initiated) to give to users. */
  signInUrl: string | undefined;
  /** ARN of the IAM SAML identity provider made from the app's metadata; undefined until it exists. */
  providerArn: string | undefined;
  /** ARN of the IAM role the app's users assume; undefined until it exists. */
  roleArn: string | undefined;
  /** api-integration mode: whether Okta's API integration is enabled; group-mapping: always 'not-needed'. */
  apiIntegration: 'enabled' | 'pending' | 'not-needed';
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
  accessKey:
    | {
        /** The access key id (not secret). */
        accessKeyId: string;
        /** The secret, only when this run created the key and the sink is `return`. */
        secretAccessKey?: Secret;
        /**
         * Where the secret is, in words: the result, a file path, a Secrets Manager secret, or an
         * earlier run.
         */
        deliveredTo: string;
        /** Whether this run created the key (otherwise an earlier or concurrent run did). */
        createdByThisRun: boolean;
        /**
         * Keys this run deleted because their secret was never delivered (a run stopped between
         * `CreateAccessKey` and saving the secret): no one could have used them. The key above replaces them.
         */
        discardedKeys?: string[];
      }
    | undefined;
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
