/**
 * `rotateSigningCertificate`: replace the signing key of each Okta AWS app without a moment in which
 * AWS refuses its SAML responses.
 *
 * ```
 *  (a) generate   Okta: a new key for the app (not yet used to sign)
 *  (b) trust-both IAM: the SAML provider's metadata holds the current AND the new certificate
 *  (c) switch     Okta: the app signs with the new key (IAM already trusts it)
 *  (d) confirm    options.verify — a sign-in works with the new key (else: switched back, see below)
 *  (e) remove-old IAM: the provider's metadata holds the new certificate only
 * ```
 *
 * Every stage decides from the live state whether it is already done, so a run interrupted anywhere
 * (a crash, an abort, a provider error) and run again finishes the rotation — without generating a
 * second key — and sign-in works at every point in between: Okta only ever signs with a key IAM trusts.
 *
 * The stages of one app are `rotate-app.ts`; the live reads and writes besides the keys (`keys.ts`) are
 * `live.ts`; the options are checked in `options.ts`.
 */

import type { ConnectSsoConfig, ResolvedConfig } from '../../config/index.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';
import { checkOptions } from './options.js';
import { rotateApp } from './rotate-app.js';
import type { AppRotationResult, RotateOptions, RotationResult } from './types.js';

export { mergeSigningCertificates } from './keys.js';
export {
  type AppRotationResult,
  ROTATION_STAGES,
  type RotateOptions,
  type RotationAppRef,
  type RotationCertificate,
  RotationInterruptedError,
  type RotationResult,
  type RotationStage,
} from './types.js';

/**
 * Rotate the SAML signing certificate of the config's Okta apps (or of `options.app`) with zero
 * downtime: generate a new key, make IAM trust both certificates, switch the app to the new key,
 * confirm with `options.verify`, and make IAM trust only the new one. Apps are rotated one after the
 * other.
 *
 * Idempotent and resumable: every stage reads the live state (Okta's keys and the app's current key,
 * the provider's certificates) to decide whether it is already done; a run interrupted anywhere and run
 * again finishes the rotation without generating another key. A key of the app generated after the
 * current one and not yet signing is taken as such an interrupted rotation's key. A run on a setup with
 * no rotation in progress starts a new one — pass `ifExpiringWithinDays` / `ifOlderThanDays` to make
 * repeated runs (a cron job) rotate only when due.
 *
 * @throws {ConfigError} invalid options or config (before any call).
 * @throws {ConflictError} the app or the provider is not this stack's.
 * @throws {ConnectSsoError} `NOT_PROVISIONED`: the app or the provider does not exist.
 * @throws {RotationInterruptedError} a stage failed (a provider error): sign-in still works; run again.
 * @throws {VerificationError} `verify` failed (after undoing a switch or a removal, see `verify`).
 */
export async function rotateSigningCertificate(
  config: ConnectSsoConfig | ResolvedConfig,
  options: RotateOptions = {},
): Promise<RotationResult> {
  const resolved = resolveConfigInput(config, options.context !== undefined);
  const opts = checkOptions(resolved, options);
  const ctx = contextForConfig(resolved, options.context);
  const apps: AppRotationResult[] = [];
  for (const app of opts.apps) apps.push(await rotateApp(ctx, app, opts));
  return { apps };
}
