/**
 * The rotation of one app, stage by stage (generate, trust-both, switch, remove-old), each decided from
 * the live state so that a run interrupted anywhere and run again finishes it: see `rotate.ts`.
 */
import { X509Certificate } from 'node:crypto';
import type { ResolvedApp } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import { ConnectSsoError, VerificationError } from '../../core/errors.js';
import { oktaRequest } from '../../providers/okta/transport.js';
import { getOktaApp } from '../../resources/okta-app/ensure.js';
import type { OktaAppKeyJson } from '../../resources/okta-app/read.js';
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
import { findApp, findOwnProvider, setProviderMetadata, switchKey } from './live.js';
import type { CheckedRotateOptions } from './options.js';
import {
  type AppRotationResult,
  type RotationAppRef,
  type RotationCertificate,
  RotationInterruptedError,
  type RotationStage,
} from './types.js';

/**
 * How long after the current key's creation a new key may be generated. Okta's `created` has whole
 * seconds; two seconds leave room for a small clock difference between this machine and Okta.
 */
const KEY_ORDER_GAP_MS = 2_000;

/** Rotate one app's signing certificate, or say it is not due. */
export async function rotateApp(
  ctx: SsoContext,
  app: ResolvedApp,
  opts: CheckedRotateOptions,
): Promise<AppRotationResult> {
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
    // A re-run tells the new key from the old one only by `created`, which Okta gives to the second:
    // a key generated in the same second as the current one (a rotation right after provisioning)
    // could not be resumed. Wait that second out first.
    const wait = Math.min(KEY_ORDER_GAP_MS, current.created + KEY_ORDER_GAP_MS - ctx.clock.now());
    if (wait > 0) await ctx.clock.sleep(wait, ctx.signal);
    const { data } = await oktaRequest<OktaAppKeyJson>(ctx, 'GenerateApplicationKey', {
      method: 'POST',
      path: `/api/v1/apps/${encodeURIComponent(okta.id)}/credentials/keys/generate`,
      query: { validityYears: opts.validityYears },
    });
    const generated = toAppKey(data);
    if (!generated) throw new Error(`Okta generated a key without a certificate (kid ${data.kid})`);
    if (generated.created <= current.created) {
      ctx.logger.warn(
        `okta signing key ${generated.kid} has the same creation time as ${current.kid}: if this rotation stops before the switch, a re-run cannot tell them apart (check the clocks)`,
        { appId: okta.id, kid: generated.kid },
      );
    }
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
