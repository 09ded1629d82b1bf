/**
 * The vocabulary a provisioning run and its resources share: plan items, progress events, where a new
 * secret goes, and what a run reports of each app and of the Okta access key. Resources' `task.ts`
 * produce these; `workflows/provision` assembles them into plans and results.
 */
import type { AppKind } from '../config/index.js';
import type { Secret } from '../core/secret.js';

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
  /**
   * The Okta API user's item only: whether the run creates an access key (a new secret to hand to a
   * person: a CLI asks where to save it before it applies). Absent on every other item.
   */
  createsAccessKey?: boolean;
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
   * A user-assignment step's progress: users handled so far of the step's `total`. Carries the step's id,
   * so that several apps' users can be told apart.
   */
  | {
      /** Event discriminator. */
      type: 'users-progress';
      /** The step's id, as in {@link PlanItem.id} (`users:<app kind>`). */
      id: string;
      /** Users handled so far. */
      done: number;
      /** The step's users. */
      total: number;
    }
  /**
   * A step waits for a person to act in a console (the run was given `wait`): the instructions, before
   * the wait starts. If the wait runs out, the step ends with a `manual-action` event as without `wait`.
   */
  | {
      /** Event discriminator. */
      type: 'waiting-for-manual-action';
      /** The step's id, as in {@link PlanItem.id}. */
      id: string;
      /** Readable resource name, as in {@link PlanItem.resource}. */
      resource: string;
      /** The instructions for the person, one per line, in order. */
      actions: string[];
      /** How long the run waits at most, in milliseconds. */
      timeoutMs: number;
    }
  /** Counts of the run's steps after each change (users' counts are `users-progress` events). */
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

/** The Okta access key a run ended with: its secret only when this run created it and the sink is `return`. */
export interface AccessKeyOutcome {
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
