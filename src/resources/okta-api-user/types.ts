/** createOktaApiUser's input and result types, and how a key's delivery is recorded. */
import { ConflictError } from '../../core/errors.js';
import type { Secret } from '../../core/secret.js';
import type { StepOptions, StepResultBase } from '../../core/step.js';
import type { AccessKeySummary } from './read.js';

/**
 * What to do about the user's access key:
 * - `if-missing`: create one only when the user has no active key. A user that already has one keeps
 *   it, and the result says its secret is not available (IAM never shows it again).
 * - `rotate`: create a new key, then deactivate and delete the old one.
 * - `never`: make no access-key call at all (e.g. with Okta group mapping, which needs no key).
 */
export type AccessKeyPolicy = 'if-missing' | 'rotate' | 'never';

/** Input of {@link createOktaApiUser}. */
export interface OktaApiUserInput extends StepOptions {
  /** Default `okta_cli_user` (the guide's name). */
  userName?: string;
  /** The policy to attach: `createOktaAccessPolicy`'s `policyArn`. Left attached if already. */
  policyArn: string;
  /** Default `if-missing`. See {@link AccessKeyPolicy}. */
  accessKey?: AccessKeyPolicy;
  /**
   * Take over a user with this name that exists without our ownership tags: tag it as ours and manage
   * it. Default `false`: such a user is a {@link ConflictError}.
   */
  adopt?: boolean;
  /**
   * Track whether each key's secret reached its owner, so that a key whose secret was lost before
   * delivery (the run that created it stopped first) is recognised and replaced instead of being kept
   * forever as "the" key. Default: not tracked — every active key counts as delivered.
   */
  delivery?: AccessKeyDelivery;
}

/** The user tag that records a key's delivery: `connect-okta-sso:key-delivered:<AccessKeyId>` = ISO time. */
export const KEY_DELIVERED_TAG_PREFIX = 'connect-okta-sso:key-delivered:';

/**
 * How {@link createOktaApiUser} tells a delivered key from one whose secret nobody has.
 *
 * IAM shows a secret once, in the `CreateAccessKey` answer. If the run stops between that answer and the
 * secret reaching its destination (or the answer itself is lost), the key exists but no one can ever
 * use it. A delivered key is recorded by a user tag (`connect-okta-sso:key-delivered:<AccessKeyId>`); an
 * active key without it is *undelivered* unless `wasDelivered` finds its secret or IAM says it has been
 * used (then someone has it, and the tag is added). An undelivered key is:
 * - deleted (and, with `if-missing`, replaced) when it is older than `graceMs` or when `rotate` is asked:
 *   no one can have its secret;
 * - otherwise left alone and reported in `pendingKeys`: another run may be delivering it right now.
 *   No key is created while one is pending.
 */
export interface AccessKeyDelivery {
  /**
   * `on-create`: this call returns the secret, so a new key is recorded as delivered as soon as it
   * exists. `by-caller`: the caller stores the secret first (a file, a secret store), then calls
   * {@link markAccessKeyDelivered}.
   */
  mark: 'on-create' | 'by-caller';
  /** Whether the secret of this untagged key is where it was to be delivered (e.g. a file written just before a crash). */
  wasDelivered?: (accessKeyId: string) => Promise<boolean>;
  /** How long an undelivered key may belong to a run still in progress. Default 15 minutes. */
  graceMs?: number;
  /**
   * Called (synchronously) the moment `CreateAccessKey` answers, before any further call, so that a step
   * aborted afterwards still leaves the secret with its caller, who can deliver it. If the step then
   * finds a concurrent run's key and deletes its own, the result's `accessKey` is not this key: deliver
   * only the result's key when the step returns.
   */
  onCreated?: (key: NewAccessKey) => void;
}

/** A key created by this call: the only time its secret is available. */
export interface NewAccessKey {
  /** Always `true`: tells a new key (with its secret) from an {@link ExistingAccessKey}. */
  secretAvailable: true;
  /** The access key id, e.g. `AKIA…` (not secret). */
  accessKeyId: string;
  /** The secret access key. Prints `[redacted]`; `.reveal()` returns it. Store it now: IAM will not show it again. */
  secretAccessKey: Secret;
  /** When IAM created the key (the time of this call if IAM's answer has no `CreateDate`). */
  createdAt: Date;
  /** Always `Active`: a new key is active. */
  status: 'Active';
}

/** A key that existed before this call: its secret cannot be had from IAM any more. */
export interface ExistingAccessKey {
  /** Always `false`: IAM shows a secret only once, when the key is created. */
  secretAvailable: false;
  /** The access key id, e.g. `AKIA…` (not secret). */
  accessKeyId: string;
  /** IAM's key status: only an `Active` key can sign requests. */
  status: 'Active' | 'Inactive';
  /** When IAM created the key; undefined if IAM's answer has no `CreateDate`. */
  createdAt: Date | undefined;
}

/** The result of {@link createOktaApiUser}. */
export interface OktaApiUserResult extends StepResultBase {
  /** The IAM user name (the input's, default `okta_cli_user`). */
  userName: string;
  /** Undefined on a `dryRun` that would create the user. */
  userArn: string | undefined;
  /** The policy attached to the user: the input's `policyArn`. */
  policyArn: string;
  /**
   * The key Okta should use: the one created by this call (with its secret), else the newest active key
   * (without: `secretAvailable: false`). Undefined with `accessKey: 'never'`, when the user has no
   * active key, and on a `dryRun` that would create one.
   */
  accessKey: NewAccessKey | ExistingAccessKey | undefined;
  /**
   * The user's keys after the step (on a `dryRun`: the existing keys that would remain). Undefined with
   * `accessKey: 'never'`, which lists no keys.
   */
  keys: AccessKeySummary[] | undefined;
  /**
   * Problems that did not stop the step: when cleaning up an old key fails after a new key was made,
   * the new key (and its secret) is still returned, and the leftover key is reported here.
   */
  warnings: string[];
  /**
   * With `delivery`: the keys deleted because their secret was never delivered and they were never
   * used (see {@link AccessKeyDelivery}). Empty otherwise.
   */
  discardedKeys: string[];
  /**
   * With `delivery`: active keys whose secret was not (yet) delivered, too recent to tell whether the run
   * that made them is still going. Nothing was done to them, and no key was created; `accessKey` is then
   * undefined. Run again later, or with `accessKey: 'rotate'` to replace them now.
   */
  pendingKeys: AccessKeySummary[];
  /**
   * Another run created a key for this user at the same moment and this call stepped back (deleted its
   * own): `accessKey` is the other run's key, whose secret went where that run delivers it.
   */
  concurrentKey: boolean;
  /**
   * Whether the step creates (with `dryRun`: would create) an access key — a new secret to deliver. True
   * also when the key replaces an earlier one (`rotate`, or a key whose secret was never delivered).
   */
  createsAccessKey: boolean;
}
