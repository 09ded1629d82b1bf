/**
 * Rotating the SAML signing certificate of the Okta apps with no moment in which sign-in breaks.
 *
 * Okta signs each app's SAML responses with a key whose certificate the IAM identity provider trusts.
 * `rotateSigningCertificate` generates a new key, makes IAM trust both certificates, switches the app to
 * the new key, confirms that sign-in works (the `verify` callback), and only then makes IAM drop the old
 * certificate. Interrupted anywhere, a re-run finishes the job; with `ifExpiringWithinDays` it is safe to
 * run from a daily job. Guide: docs/guides/rotating-the-certificate.md.
 *
 *   npm run example -- rotate-certificate        # against a sandbox it starts itself
 */
import { doctor, type RotationStage, rotateSigningCertificate } from 'connect-okta-sso';
import { openTarget, say } from './_target.js';

const target = await openTarget();
try {
  const { config, context, sandbox } = target;
  say('\n0. The existing setup:');
  await target.prepareExistingSetup(config);

  const certificates = async (): Promise<void> => {
    const report = await doctor(config, { context });
    for (const finding of report.findings.filter((f) => f.check === 'provider.certificate')) {
      say(`   ${finding.status.padEnd(4)} ${finding.resource}: ${finding.message}`);
    }
  };
  say('\n1. The certificates IAM trusts now (doctor):');
  await certificates();

  // In the sandbox, every stage is checked with a simulated sign-in of a user of the app: the SAML
  // response Okta signs must be accepted by AWS sign-in and reach Connect. For real, check it your way
  // (or leave `verify` out: the live state is read back after each stage).
  const signInAs = new Map((config.users ?? []).map((user) => [user.app, user.login]));
  const verify = sandbox
    ? async (stage: RotationStage, app: { kind: string; label: string; appId: string }): Promise<void> => {
        const login = signInAs.get(app.kind) ?? signInAs.get(app.label);
        if (!login) return;
        const signIn = await sandbox.login({ app: app.appId, login });
        if (!signIn.ok) throw new Error(`sign-in failed after ${stage}: ${signIn.message}`);
        say(`   ${app.label}: after ${stage}, ${login} still signs in`);
      }
    : undefined;

  say('\n2. Rotate, one app after the other:');
  const result = await rotateSigningCertificate(config, {
    context,
    ...(verify ? { verify } : {}),
    ...(sandbox ? { propagationDelayMs: 0 } : {}),
  });
  for (const app of result.apps) {
    say(`   ${app.label}: ${app.outcome}`);
    say(`     before  ${app.previous?.fingerprint256.slice(0, 23)}…  (kid ${app.previous?.kid})`);
    say(
      `     after   ${app.current.fingerprint256.slice(0, 23)}…  (kid ${app.current.kid}), valid until ${app.current.notAfter.toISOString().slice(0, 10)}`,
    );
  }

  say('\n3. The daily job: rotate only certificates expiring within 30 days — nothing to do now');
  const scheduled = await rotateSigningCertificate(config, {
    context,
    ifExpiringWithinDays: 30,
    ...(sandbox ? { propagationDelayMs: 0 } : {}),
  });
  for (const app of scheduled.apps) say(`   ${app.label}: ${app.outcome}`);

  say('\n4. The certificates IAM trusts after the rotation (doctor):');
  await certificates();
} finally {
  await target.close();
}
