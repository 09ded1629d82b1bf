import type { Role } from '@aws-sdk/client-iam';
import type { ResolvedApp, ResolvedConfig } from '../config/index.js';
import type { SsoContext } from '../core/context.js';
import { parseArn } from '../providers/aws/arn.js';
import { ownerDescription, ownershipOf } from '../providers/aws/tags.js';
import { isOktaError } from '../providers/okta/transport.js';
import type { OktaAppJson } from './okta-app/ensure.js';
import type { ConnectUserIndex } from './users/connect-user.js';

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** The outcome of one check of one resource. */
export interface DoctorFinding {
  /**
   * The check's stable id, e.g. `instance.active`, `provider.certificate`, `user.connect`. The same
   * check of several resources (one per app, one per user) has one id; `resource` tells them apart.
   */
  check: string;
  /** The resource checked, e.g. `iam role Okta_Role`, `okta app "Amazon Connect CCP"`, `user jane@acme.com`. */
  resource: string;
  /** `ok`: the link holds; `warn`: it holds but will not for long (or is unusual); `fail`: sign-in breaks here. */
  status: DoctorStatus;
  /** What was found, with the values involved. */
  message: string;
  /** For `warn` and `fail`: exactly what to do (a console path, or "run apply" / "run rotate-cert"). */
  fix?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Fix texts

export const RUN_PROVISION = 'Run apply (`connect-okta-sso apply`, or provisionConnectSso) with this config';
export const RUN_ROTATE =
  'Run rotate-cert (`connect-okta-sso rotate-cert`, or rotateSigningCertificate) with this config';
export const OKTA_APPS = 'In the Okta admin console, Applications → Applications';

export const appPath = (label: string) => `${OKTA_APPS} → "${label}"`;

// ---------------------------------------------------------------------------------------------------------
// Small helpers

export type JsonObject = Record<string, unknown>;
export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
export const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');
export const quote = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '(unset)' : `'${String(v)}'`;
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
export const isNotFound = (error: unknown): boolean =>
  isOktaError(error, 'E0000007') || isOktaError(error, 404);

/** IAM's `*` / `?` wildcards (as in `Action` and `Resource`), case-sensitive unless told otherwise. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** Whether an `Action` list allows `action` (actions compare without case). */
export function actionsCover(actions: unknown, action: string): boolean {
  return strings(actions).some((a) => globMatches(a, action, true));
}

/** A short name for a certificate: the first 8 hex digits of its SHA-256 fingerprint, and its expiry. */
export function certName(cert: { fingerprint256: string; notAfter: Date }): string {
  return `${cert.fingerprint256.replace(/:/g, '').slice(0, 8).toLowerCase()} (expires ${cert.notAfter.toISOString().slice(0, 10)})`;
}

// ---------------------------------------------------------------------------------------------------------
// The run

export interface Run {
  ctx: SsoContext;
  config: ResolvedConfig;
  now: Date;
  warnDays: number;
  findings: DoctorFinding[];
  instance: { id: string; arn: string; status: string } | undefined;
  accountId: string | undefined;
  federationPolicyArn: string | undefined;
  /** SAML providers by lower-cased name (IAM names ignore case). */
  providers: Map<string, string> | undefined;
  connectUsers: ConnectUserIndex | undefined;
  /** Okta users who are not ACTIVE (cannot sign in), by id; read once, when the first app's users are checked. */
  inactiveOktaUsers?: Map<string, { login: string; status: string }>;
}

export function add(
  run: Run,
  check: string,
  resource: string,
  status: DoctorStatus,
  message: string,
  fix?: string,
): void {
  run.findings.push({
    check,
    resource,
    status,
    message,
    ...(fix !== undefined && status !== 'ok' ? { fix } : {}),
  });
}

/**
 * Run a group of reads and checks; a read that fails (access denied, throttled…) becomes one `fail`
 * finding of `check` instead of ending the doctor. An abort ends it.
 */
export async function guard(
  run: Run,
  check: string,
  resource: string,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (run.ctx.signal?.aborted) throw run.ctx.signal.reason;
    add(
      run,
      check,
      resource,
      'fail',
      `could not check: ${errorMessage(error)}`,
      'Check that the credentials can read this resource (the doctor needs the IAM, Connect and Okta read permissions apply uses), then run doctor again.',
    );
  }
}

export function expectedArn(run: Run, service: 'iam', resource: string): string | undefined {
  return run.accountId ? `arn:${run.config.partition}:${service}::${run.accountId}:${resource}` : undefined;
}

export function learnAccount(run: Run, arn: string | undefined): void {
  const account = arn ? parseArn(arn)?.accountId : undefined;
  if (account && !run.accountId) run.accountId = account;
}

export function ownershipFinding(
  run: Run,
  check: string,
  resource: string,
  tags: Parameters<typeof ownershipOf>[1],
  subject: string,
  nameField: string,
): void {
  const owner = ownershipOf(run.ctx, tags);
  if (owner === 'ours') {
    add(run, check, resource, 'ok', `tagged as stack '${run.ctx.stack}'`);
    return;
  }
  add(
    run,
    check,
    resource,
    'warn',
    `${subject} ${ownerDescription(run.ctx, owner, tags)}: apply refuses to change it`,
    `If it is this setup's, run apply with adopt: true (it adds the ownership tags); otherwise choose another ${nameField} in the config.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// The instance

/** The Okta group of an app in group-mapping mode. */
export interface GroupInfo {
  id: string;
  name: string;
}

/** What the checks of one app learn, for the checks after them. */
export interface AppRun {
  app: ResolvedApp;
  appRes: string;
  okta: OktaAppJson | undefined;
  providerArn: string | undefined;
  /** The provider's ARN, or the one IAM would give it. */
  expectedProviderArn: string | undefined;
  role: Role | undefined;
  expectedRoleArn: string | undefined;
  /** group-mapping mode: the app's group, once found. */
  group: GroupInfo | undefined;
}
