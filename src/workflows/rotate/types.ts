/** rotateSigningCertificate's options, stages and result types. */
import type { AppKind } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import { ConnectSsoError } from '../../core/errors.js';

/**
 * The stages of a rotation, in order; `verify` is called after each:
 * - `generate`: Okta has a new signing key for the app (not yet signing);
 * - `trust-both`: the IAM SAML provider trusts both the current and the new certificate;
 * - `switch`: the app signs with the new key (the confirmation stage: a failing `verify` switches back);
 * - `remove-old`: the provider trusts the new certificate only.
 */
export type RotationStage = 'generate' | 'trust-both' | 'switch' | 'remove-old';

/** The order of the stages. */
export const ROTATION_STAGES: readonly RotationStage[] = ['generate', 'trust-both', 'switch', 'remove-old'];

/** Which app a stage or an error is about. */
export interface RotationAppRef {
  /** The app's kind in the config. */
  kind: AppKind;
  /** The app's label in Okta. */
  label: string;
  /** The Okta app id. */
  appId: string;
}

/** Options of {@link rotateSigningCertificate}. */
export interface RotateOptions {
  /**
   * The clients. Default: built from the config (`createContext` with its region and Okta token). Its
   * `stack` is replaced by the config's (the app and the provider must carry that stack's ownership).
   */
  context?: SsoContext;
  /** Rotate only this app. Default: every app of the config, one after the other. */
  app?: AppKind;
  /** Validity of the new certificate in years, 2–10 (Okta's range). Default 10 (Okta's default). */
  validityYears?: number;
  /**
   * Proves that sign-in works; called after each stage with the stage just finished and the app (tests
   * pass a function that runs a simulated sign-in and throws if it fails). A failure after `switch`
   * switches the app back to its previous key (still trusted) and after `remove-old` puts the previous
   * certificate back, then throws a `VerificationError`; after the other stages it only throws. A re-run
   * resumes from there. Default: no check (the live state is read back instead).
   */
  verify?: (stage: RotationStage, app: RotationAppRef) => Promise<void>;
  /**
   * Only start a rotation when the app's certificate expires within this many days (a rotation already
   * in progress is always finished, and a certificate IAM does not trust is always replaced). With
   * `ifOlderThanDays`, either condition starts one. Default: always rotate.
   */
  ifExpiringWithinDays?: number;
  /** Only start a rotation when the app's current key is older than this many days (see `ifExpiringWithinDays`). */
  ifOlderThanDays?: number;
  /**
   * How long to wait after IAM was told to trust the new certificate before Okta switches to it (IAM is
   * eventually consistent). 0–600 000 ms; default 10 000.
   */
  propagationDelayMs?: number;
}

/** A signing certificate of the app. */
export interface RotationCertificate {
  /** The Okta key id; undefined for a certificate IAM trusted that is not (or no longer) a key of the app. */
  kid: string | undefined;
  /** SHA-256 fingerprint, colon-separated hex. */
  fingerprint256: string;
  /** When the certificate expires. */
  notAfter: Date;
}

/** The rotation of one app. */
export interface AppRotationResult extends RotationAppRef {
  /** The IAM SAML provider's ARN. */
  providerArn: string;
  /**
   * `rotated`: this run started and finished a rotation; `resumed`: it finished one an earlier run had
   * started; `not-needed`: the `if…` conditions did not call for one (nothing written).
   */
  outcome: 'rotated' | 'resumed' | 'not-needed';
  /** The certificate replaced; undefined when `not-needed`. */
  previous: RotationCertificate | undefined;
  /** The certificate Okta signs with (and IAM trusts) after the run. */
  current: RotationCertificate;
  /** Each stage and whether this run did it or found it done; empty when `not-needed`. */
  stages: {
    /** The stage. */
    stage: RotationStage;
    /** `done` by this run, or `already-done` by an earlier (interrupted) one. */
    action: 'done' | 'already-done';
  }[];
  /** What was changed, in words. */
  changes: string[];
}

/** What {@link rotateSigningCertificate} did. */
export interface RotationResult {
  /** One entry per app rotated, in the config's order. */
  apps: AppRotationResult[];
}

/**
 * A rotation stopped before it finished (a provider error, a missing resource). The setup still signs
 * in — Okta signs only with a certificate IAM trusts — and running `rotateSigningCertificate` again
 * resumes at `stage`.
 */
export class RotationInterruptedError extends ConnectSsoError {
  override name = 'RotationInterruptedError';
  declare readonly code: 'ROTATION_INTERRUPTED';
  constructor(
    /** The app whose rotation stopped. */
    readonly app: RotationAppRef,
    /** The stage that did not finish. */
    readonly stage: RotationStage,
    /** The stages finished (by this run or an earlier one). */
    readonly completed: readonly RotationStage[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ROTATION_INTERRUPTED', message, options);
  }
}
