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
 */

import { X509Certificate } from 'node:crypto';
import { UpdateSAMLProviderCommand } from '@aws-sdk/client-iam';
import type { ConnectSsoConfig, ResolvedApp, ResolvedConfig } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError, ConnectSsoError, VerificationError } from '../../core/errors.js';
import { awsCall } from '../../providers/aws/call.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import { oktaRequest } from '../../providers/okta/transport.js';
import {
  appOwnership,
  findAppsByLabel,
  getOktaApp,
  type OktaAppJson,
  ownershipMarker,
  replaceOktaApp,
} from '../../resources/okta-app/ensure.js';
import type { OktaAppKeyJson } from '../../resources/okta-app/read.js';
import { findProvider } from '../../resources/saml-provider-role/read.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';
import {
  type AppKey,
  certificateOf,
  certificatesOf,
  describeKey,
  listKeys,
  mergeSigningCertificates,
  metadataFor,
  sameSet,
  short,
  toAppKey,
} from './keys.js';
import {
  type AppRotationResult,
  type RotateOptions,
  type RotationAppRef,
  type RotationCertificate,
  RotationInterruptedError,
  type RotationResult,
  type RotationStage,
} from './types.js';

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

// ---------------------------------------------------------------------------------------------------------
// Public types

// ---------------------------------------------------------------------------------------------------------
// Okta keys and metadata

// ---------------------------------------------------------------------------------------------------------
// Validation

interface Resolved {
  apps: ResolvedApp[];
  validityYears: number;
  verify: RotateOptions['verify'];
  ifExpiringWithinDays: number | undefined;
  ifOlderThanDays: number | undefined;
  propagationDelayMs: number;
}

function checkOptions(config: ResolvedConfig, options: RotateOptions): Resolved {
  const issues: { field: string; message: string }[] = [];
  const { validityYears = 10, propagationDelayMs = 10_000 } = options;
  if (!Number.isInteger(validityYears) || validityYears < 2 || validityYears > 10) {
    issues.push({
      field: 'validityYears',
      message: `must be a whole number of years from 2 to 10, got ${String(validityYears)}`,
    });
  }
  if (options.verify !== undefined && typeof options.verify !== 'function') {
    issues.push({ field: 'verify', message: 'must be a function (stage, app) => Promise<void>' });
  }
  for (const field of ['ifExpiringWithinDays', 'ifOlderThanDays'] as const) {
    const v = options[field];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      issues.push({ field, message: `must be a number of days ≥ 0, got ${String(v)}` });
    }
  }
  if (
    typeof propagationDelayMs !== 'number' ||
    !Number.isFinite(propagationDelayMs) ||
    propagationDelayMs < 0 ||
    propagationDelayMs > 600_000
  ) {
    issues.push({
      field: 'propagationDelayMs',
      message: `must be 0–600000 ms, got ${String(propagationDelayMs)}`,
    });
  }
  let apps = config.apps;
  if (options.app !== undefined) {
    apps = config.apps.filter((a) => a.kind === options.app);
    if (apps.length === 0) {
      issues.push({
        field: 'app',
        message: `the config has no app of kind '${String(options.app)}' (it has ${config.apps.map((a) => a.kind).join(', ')})`,
      });
    }
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  return {
    apps,
    validityYears,
    verify: options.verify,
    ifExpiringWithinDays: options.ifExpiringWithinDays,
    ifOlderThanDays: options.ifOlderThanDays,
    propagationDelayMs,
  };
}

// ---------------------------------------------------------------------------------------------------------
// One app

interface Provider {
  arn: string;
  name: string;
  metadataXml: string;
}

async function findOwnProvider(ctx: SsoContext, name: string): Promise<Provider | undefined> {
  const provider = await findProvider(ctx, name);
  if (!provider) return undefined;
  const owner = ownershipOf(ctx, provider.tags);
  if (owner !== 'ours') {
    throw new ConflictError(
      `iam saml-provider ${name}`,
      `The IAM SAML provider '${name}' ${ownerDescription(ctx, owner, provider.tags)}: the rotation does not change it. Run apply with adopt: true first if it is this setup's.`,
    );
  }
  return { arn: provider.arn, name, metadataXml: provider.metadataXml };
}

async function findApp(ctx: SsoContext, app: ResolvedApp): Promise<OktaAppJson> {
  const found = await findAppsByLabel(ctx, app.label);
  if (found.length !== 1) {
    throw new ConnectSsoError(
      'NOT_PROVISIONED',
      found.length === 0
        ? `No Okta amazon_aws app is labelled "${app.label}": run provision first.`
        : `${found.length} Okta amazon_aws apps are labelled "${app.label}" (${found.map((a) => a.id).join(', ')}): rename or delete all but one.`,
    );
  }
  const okta = found[0] as OktaAppJson;
  const owner = appOwnership(ctx, okta);
  if (owner.owner !== 'ours') {
    throw new ConflictError(
      `okta app "${app.label}"`,
      `The Okta app "${app.label}" (${okta.id}) does not carry '${ownershipMarker(ctx.stack)}' in its admin notes: the rotation does not change it. Run provision with adopt: true first if it is this setup's.`,
    );
  }
  return okta;
}

async function setProviderMetadata(
  ctx: SsoContext,
  provider: Provider,
  xml: string,
  what: string,
): Promise<void> {
  await awsCall(ctx, 'iam', 'UpdateSAMLProvider', (o) =>
    ctx.iam.send(
      new UpdateSAMLProviderCommand({ SAMLProviderArn: provider.arn, SAMLMetadataDocument: xml }),
      o,
    ),
  );
  ctx.logger.info(`updated iam saml-provider ${provider.name} metadata: ${what}`, { arn: provider.arn });
}

async function switchKey(ctx: SsoContext, appId: string, kid: string): Promise<void> {
  // GET right before the full replace: every other field (settings.app, the relay state) is kept.
  const fresh = await getOktaApp(ctx, appId);
  fresh.credentials = { ...fresh.credentials, signing: { ...fresh.credentials?.signing, kid } };
  await replaceOktaApp(ctx, fresh);
  ctx.logger.info(`switched okta app ${fresh.label} (${appId}) to signing key ${kid}`, { appId, kid });
}

async function rotateApp(ctx: SsoContext, app: ResolvedApp, opts: Resolved): Promise<AppRotationResult> {
  // ---- read
  const okta = await findApp(ctx, app);
  const ref: RotationAppRef = { kind: app.kind, label: app.label, appId: okta.id };
  const provider = await findOwnProvider(ctx, app.providerName);
  if (!provider) {
    throw new ConnectSsoError(
      'NOT_PROVISIONED',
      `No IAM SAML provider named '${app.providerName}' for "${app.label}": run provision first.`,
    );
  }
  const keys = await listKeys(ctx, okta.id);
  const currentKid = okta.credentials?.signing?.kid;
  const current = keys.find((k) => k.kid === currentKid);
  if (!current) {
    throw new ConnectSsoError(
      'UNEXPECTED_STATE',
      `The Okta app "${app.label}" signs with key ${currentKid ?? '(none)'}, which its key list does not show: nothing was changed.`,
    );
  }
  let trusted = certificatesOf(provider.metadataXml);
  const now = ctx.clock.now();

  // ---- where are we? (every stage is decided from the live state)
  const pending = keys
    .filter((k) => k.kid !== current.kid && k.created > current.created && k.notAfter.getTime() > now)
    .sort((a, b) => b.created - a.created)[0];
  const stale = trusted.filter((c) => c !== current.base64);
  const trustsCurrent = trusted.includes(current.base64);
  let outcome: AppRotationResult['outcome'];
  let previous: RotationCertificate;
  let target: AppKey;
  let previousKey: AppKey | undefined;
  const changes: string[] = [];
  const stages: AppRotationResult['stages'] = [];

  if (pending) {
    // (a) done by an earlier run: the newest key, generated after the current one and not yet signing.
    outcome = 'resumed';
    target = pending;
    previousKey = current;
    previous = certificateOf(current);
  } else if (trustsCurrent && stale.length > 0) {
    // (c) done by an earlier run: Okta signs with the new key, IAM still trusts the old one too.
    outcome = 'resumed';
    target = current;
    previousKey = keys.find((k) => k.base64 === stale[0]);
    const parsed = new X509Certificate(Buffer.from(stale[0] as string, 'base64'));
    previous = {
      kid: previousKey?.kid,
      fingerprint256: parsed.fingerprint256,
      notAfter: new Date(parsed.validTo),
    };
  } else {
    const days = (ms: number) => ms / 86_400_000;
    const conditional = opts.ifExpiringWithinDays !== undefined || opts.ifOlderThanDays !== undefined;
    const due =
      !conditional ||
      !trustsCurrent ||
      (opts.ifExpiringWithinDays !== undefined &&
        days(current.notAfter.getTime() - now) <= opts.ifExpiringWithinDays) ||
      (opts.ifOlderThanDays !== undefined && days(now - current.created) >= opts.ifOlderThanDays);
    if (!due) {
      return {
        ...ref,
        providerArn: provider.arn,
        outcome: 'not-needed',
        previous: undefined,
        current: certificateOf(current),
        stages: [],
        changes: [],
      };
    }
    outcome = 'rotated';
    previousKey = current;
    previous = certificateOf(current);
    target = current; // replaced just below
  }

  /** The certificate Okta signs with, as this run knows it. */
  const signing = { base64: current.base64 };
  const completed: RotationStage[] = [];
  const stage = async (name: RotationStage, body: () => Promise<'done' | 'already-done'>) => {
    let action: 'done' | 'already-done';
    try {
      action = await body();
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      throw new RotationInterruptedError(
        ref,
        name,
        [...completed],
        `The certificate rotation of "${app.label}" stopped at stage '${name}': ${error instanceof Error ? error.message : String(error)}. ` +
          (trusted.includes(signing.base64)
            ? 'Sign-in still works (Okta signs with a certificate IAM trusts); '
            : 'Sign-in fails as it did before the rotation (IAM does not trust the certificate Okta signs with); ') +
          'run rotateSigningCertificate again to resume.',
        { cause: error },
      );
    }
    stages.push({ stage: name, action });
    completed.push(name);
  };
  const verify = async (name: RotationStage, undo?: () => Promise<string>) => {
    if (!opts.verify) return;
    try {
      await opts.verify(name, ref);
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      let undone = '';
      if (undo) {
        try {
          undone = ` ${await undo()}`;
        } catch (undoError) {
          if (ctx.signal?.aborted) throw ctx.signal.reason;
          undone = ` Undoing it failed too (${undoError instanceof Error ? undoError.message : String(undoError)}).`;
        }
      }
      throw new VerificationError(
        `Sign-in check failed after stage '${name}' of the certificate rotation of "${app.label}": ` +
          `${error instanceof Error ? error.message : String(error)}.${undone} Run rotateSigningCertificate again to resume.`,
        { cause: error },
      );
    }
  };

  // ---- (a) generate
  await stage('generate', async () => {
    if (outcome !== 'rotated') return 'already-done';
    const { data } = await oktaRequest<OktaAppKeyJson>(ctx, 'GenerateApplicationKey', {
      method: 'POST',
      path: `/api/v1/apps/${encodeURIComponent(okta.id)}/credentials/keys/generate`,
      query: { validityYears: opts.validityYears },
    });
    const generated = toAppKey(data);
    if (!generated) throw new Error(`Okta generated a key without a certificate (kid ${data.kid})`);
    target = generated;
    changes.push(`okta: generated signing key ${describeKey(generated)} for "${app.label}"`);
    ctx.logger.info(`generated okta signing key ${generated.kid} for app ${app.label} (${okta.id})`, {
      appId: okta.id,
      kid: generated.kid,
    });
    return 'done';
  });
  if (trustsCurrent) await verify('generate');
  else {
    // Sign-in is broken already (IAM does not trust the key Okta signs with): trust-both repairs it.
    ctx.logger.warn(
      `iam saml-provider ${provider.name} does not trust the certificate "${app.label}" signs with: sign-in fails until the next stage`,
    );
  }

  // ---- (b) trust both certificates
  let wroteTrust = false;
  const fallback = previousKey;
  await stage('trust-both', async () => {
    if (target.kid === currentKid) return 'already-done'; // switched already: IAM trusted both before
    const want = [current.base64, target.base64];
    if (sameSet(trusted, want)) return 'already-done';
    const [oldXml, newXml] = await Promise.all([
      metadataFor(ctx, okta.id, current.kid),
      metadataFor(ctx, okta.id, target.kid),
    ]);
    await setProviderMetadata(
      ctx,
      provider,
      mergeSigningCertificates(oldXml, [newXml]),
      `trusts ${short(current.fingerprint256)} and ${short(target.fingerprint256)}`,
    );
    trusted = want;
    wroteTrust = true;
    changes.push(
      `iam: saml-provider ${provider.name} trusts the current certificate ${describeKey(current)} and the new ${describeKey(target)}`,
    );
    return 'done';
  });
  await verify('trust-both');
  if (wroteTrust && opts.propagationDelayMs > 0) {
    ctx.logger.debug(`waiting ${opts.propagationDelayMs} ms for IAM to propagate the new certificate`);
    await ctx.clock.sleep(opts.propagationDelayMs, ctx.signal);
  }

  // ---- (c) switch, (d) confirm
  await stage('switch', async () => {
    const live = await getOktaApp(ctx, okta.id);
    if (live.credentials?.signing?.kid === target.kid) {
      signing.base64 = target.base64;
      return 'already-done';
    }
    await switchKey(ctx, okta.id, target.kid);
    signing.base64 = target.base64;
    changes.push(`okta: "${app.label}" signs with ${describeKey(target)} (was ${describeKey(previous)})`);
    return 'done';
  });
  await verify(
    'switch',
    fallback && fallback.kid !== target.kid
      ? async () => {
          await switchKey(ctx, okta.id, fallback.kid);
          signing.base64 = fallback.base64;
          return `The app was switched back to its previous key ${describeKey(fallback)} (still trusted by IAM).`;
        }
      : undefined,
  );

  // ---- (e) remove the old certificate
  await stage('remove-old', async () => {
    if (sameSet(trusted, [target.base64])) return 'already-done';
    const xml = await metadataFor(ctx, okta.id, target.kid);
    await setProviderMetadata(ctx, provider, xml, `trusts ${short(target.fingerprint256)} only`);
    changes.push(`iam: saml-provider ${provider.name} trusts only ${describeKey(target)}`);
    return 'done';
  });
  const before = trusted;
  trusted = [target.base64];
  await verify(
    'remove-old',
    before.length > 1
      ? async () => {
          const xmls = await Promise.all(
            keys
              .filter((k) => before.includes(k.base64) && k.kid !== target.kid)
              .map((k) => metadataFor(ctx, okta.id, k.kid)),
          );
          const targetXml = await metadataFor(ctx, okta.id, target.kid);
          await setProviderMetadata(
            ctx,
            provider,
            mergeSigningCertificates(targetXml, xmls),
            'previous certificate trusted again',
          );
          trusted = before;
          return 'The previous certificate was put back into the IAM provider.';
        }
      : undefined,
  );

  return {
    ...ref,
    providerArn: provider.arn,
    outcome,
    previous,
    current: certificateOf(target),
    stages,
    changes,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

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
