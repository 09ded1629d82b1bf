/**
 * `doctor`: read the live setup and check every link between Okta, IAM and Connect that a sign-in
 * crosses, and say for each what is wrong and exactly how to fix it.
 *
 * The checks themselves live with their resources (`src/resources/<resource>/check.ts`); this module
 * only runs them in order, once for the setup and once per app, and sums the findings up.
 *
 * Read-only: it makes only `Get…`, `List…`, `Describe…` calls (Okta: GETs). A resource that is missing
 * gets one `fail` finding ("run apply"); the checks that need it are then not reported.
 */
import type { ConnectSsoConfig, ResolvedConfig } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { checkApiIntegration } from '../../resources/api-integration/check.js';
import type { AppRun, DoctorFinding, DoctorStatus, Run } from '../../resources/check-run.js';
import { checkInstance } from '../../resources/connect-instance/check.js';
import { checkFederationPolicy, checkOktaAccessPolicy } from '../../resources/iam-policies/check.js';
import { checkOktaApiUser } from '../../resources/okta-api-user/check.js';
import { checkIdentityProviderArn, checkOktaApp, checkRelayState } from '../../resources/okta-app/check.js';
import { checkGroupMapping } from '../../resources/okta-groups/check.js';
import { checkProviderAndCertificate, checkRole } from '../../resources/saml-provider-role/check.js';
import { checkUsers } from '../../resources/users/check.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';

export type { DoctorFinding, DoctorStatus } from '../../resources/check-run.js';

// ---------------------------------------------------------------------------------------------------------
// Public types

/** Options of {@link doctor}. */
export interface DoctorOptions {
  /**
   * The clients to read with. Default: built from the config (`createContext` with its region and Okta
   * token). Its `stack` is replaced by the config's (ownership is judged against the config's stack).
   */
  context?: SsoContext;
  /** "Now", for certificate expiry. Default: the context clock's now. */
  now?: Date;
  /** A signing certificate expiring within this many days is a `warn`. Default 30. */
  expiryWarningDays?: number;
}

/** What {@link doctor} found. */
export interface DoctorReport {
  /** No finding is `fail` (warnings allowed). */
  ok: boolean;
  /** Every finding, in check order: instance, policies, then each app (app, provider, role, users). */
  findings: DoctorFinding[];
  /** How many findings of each status. */
  summary: Record<DoctorStatus, number>;
}

// ---------------------------------------------------------------------------------------------------------
// The order of the checks

type SetupCheck = (run: Run) => Promise<void> | void;
type AppCheck = (run: Run, app: AppRun) => Promise<void> | void;

/** The checks of the whole setup, in order (each learns what later ones need: the instance, the account). */
function setupChecks(config: ResolvedConfig): SetupCheck[] {
  const apiIntegration = config.roleMapping === 'api-integration';
  return [
    checkInstance,
    checkFederationPolicy,
    ...(apiIntegration ? [checkOktaAccessPolicy, checkOktaApiUser] : []),
  ];
}

/** The checks of one app, in the order a sign-in crosses them. */
function appChecks(config: ResolvedConfig): AppCheck[] {
  return [
    checkOktaApp,
    checkProviderAndCertificate,
    checkRole,
    checkIdentityProviderArn,
    checkRelayState,
    config.roleMapping === 'api-integration' ? checkApiIntegration : checkGroupMapping,
    checkUsers,
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

function checkOptions(options: DoctorOptions): void {
  const issues: { field: string; message: string }[] = [];
  if (options.now !== undefined && !(options.now instanceof Date && Number.isFinite(options.now.getTime()))) {
    issues.push({ field: 'now', message: 'must be a valid Date' });
  }
  const days = options.expiryWarningDays;
  if (days !== undefined && !(typeof days === 'number' && Number.isFinite(days) && days >= 0)) {
    issues.push({ field: 'expiryWarningDays', message: 'must be a number of days ≥ 0' });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}

/**
 * Check every link of a setup against the live AWS and Okta state and say, for each, `ok`, `warn` or
 * `fail` with exactly what to do. Read-only.
 *
 * Checks (ids): `instance.exists|active|identity|ownership`; `federation-policy.exists|resource|ownership`;
 * api-integration: `okta-access-policy.ownership`, `okta-api-user.ownership`; per app: `app.exists|ownership|active`,
 * `provider.exists|ownership|certificate`, `certificate.expiry`, `role.exists|ownership|trust-provider|trust-action|trust-audience|federation-policy`,
 * `app.identity-provider-arn`, `app.relay-state`, api-integration: `app.api-integration`, `app.role-imported`;
 * group-mapping: `group.exists|assigned|role`; per user: `user.assigned`, `user.okta-status` (only when the Okta user is not ACTIVE), `user.connect`.
 *
 * @throws {ConfigError} an invalid config or option (before any call). Provider errors do not throw:
 *   they become `fail` findings of the check that needed the read.
 */
export async function doctor(
  config: ConnectSsoConfig | ResolvedConfig,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  checkOptions(options);
  const resolved = resolveConfigInput(config, options.context !== undefined);
  const ctx = contextForConfig(resolved, options.context);
  const run: Run = {
    ctx,
    config: resolved,
    now: options.now ?? new Date(ctx.clock.now()),
    warnDays: options.expiryWarningDays ?? 30,
    findings: [],
    instance: undefined,
    accountId: ctx.accountId,
    federationPolicyArn: undefined,
    providers: undefined,
    connectUsers: undefined,
  };

  for (const check of setupChecks(resolved)) await check(run);
  for (const app of resolved.apps) {
    const a: AppRun = {
      app,
      appRes: `okta app "${app.label}"`,
      okta: undefined,
      providerArn: undefined,
      expectedProviderArn: undefined,
      role: undefined,
      expectedRoleArn: undefined,
      group: undefined,
    };
    for (const check of appChecks(resolved)) await check(run, a);
  }

  const summary: Record<DoctorStatus, number> = { ok: 0, warn: 0, fail: 0 };
  for (const f of run.findings) summary[f.status]++;
  for (const f of run.findings) {
    if (f.status !== 'ok') ctx.logger.info(`doctor ${f.status}: ${f.check} ${f.resource}: ${f.message}`);
  }
  return { ok: summary.fail === 0, findings: run.findings, summary };
}
