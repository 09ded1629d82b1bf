/**
 * rotateSigningCertificate against the sandbox with the real SDKs: a full rotation, an interruption
 * after every write (a crash: the request served, its response lost) and a provider error mid-way,
 * each followed by a re-run that finishes; sign-in must keep working at every point.
 *
 * One provision (beforeAll) is saved as a sandbox state file; each test starts from a copy of it.
 */

import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UntagSAMLProviderCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/index.js';
import type { SsoContext } from '../../../src/core/context.js';
import { ConfigError, ConflictError, VerificationError } from '../../../src/core/errors.js';
import { parseIdpMetadata } from '../../../src/saml/metadata.js';
import type { FaultSpec, RequestLogEntry, Sandbox } from '../../../src/sandbox/index.js';
import { doctor } from '../../../src/workflows/doctor/doctor.js';
import { provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import {
  mergeSigningCertificates,
  RotationInterruptedError,
  type RotationStage,
  rotateSigningCertificate,
} from '../../../src/workflows/rotate/rotate.js';
import { iamClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { addPeople, config as sharedConfig } from '../../support/config.js';

const ADMIN = 'Amazon Connect Administrator';
const CCP = 'Amazon Connect CCP';
const LOGINS: Record<string, string> = { [ADMIN]: 'jane.doe@acme.com', [CCP]: 'agent1@acme.com' };

function config(sb: Sandbox): ConnectSsoConfig {
  return sharedConfig(sb, { roleMapping: 'group-mapping' });
}

let fixture: string;
beforeAll(async () => {
  fixture = join(mkdtempSync(join(tmpdir(), 'cos-rotate-')), 'state.json');
  const sb = await startTestSandbox({ instanceCreationMs: 0, stateFile: fixture });
  try {
    addPeople(sb, 2);
    const result = await provisionConnectSso(config(sb), { context: sandboxContext(sb, { maxAttempts: 3 }) });
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('complete');
  } finally {
    await sb.stop();
  }
});

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

/** A sandbox from a copy of the provisioned state; `onRequest` lets a test stand for a crash. */
async function start(
  options: { faults?: FaultSpec[]; onRequest?: (entry: RequestLogEntry) => void; now?: () => number } = {},
): Promise<Sandbox> {
  const copy = join(mkdtempSync(join(tmpdir(), 'cos-rotate-')), 'state.json');
  copyFileSync(fixture, copy);
  sb = await startTestSandbox({ instanceCreationMs: 0, stateFile: copy, ...options });
  return sb;
}

function appOf(s: Sandbox, label: string) {
  const app = Object.values(s.state().okta.apps).find((a) => a.label === label);
  if (!app) throw new Error(`no app ${label}`);
  return app;
}

/** The certificates (base64) the app's IAM provider trusts. */
function trustedBy(s: Sandbox, label: string): string[] {
  const name = label === ADMIN ? 'Okta_Connect_Admin' : 'Okta_Connect_CCP';
  const provider = s.state().iam.samlProviders.find((p) => p.name === name);
  return provider ? parseIdpMetadata(provider.metadata).signingCertificates.map((c) => c.base64) : [];
}

function signingCertificate(s: Sandbox, label: string): string {
  const app = appOf(s, label);
  return s.state().okta.keys[app.signingKid]?.certificate ?? '';
}

function keyCount(s: Sandbox, label: string): number {
  const app = appOf(s, label);
  return Object.values(s.state().okta.keys).filter((k) => k.appId === app.id).length;
}

/**
 * Sign-in works for the app: Okta signs with a certificate its IAM provider trusts, and the simulated
 * IdP-initiated sign-in (Okta's signed SAML response through AWS sign-in to the Connect user) succeeds.
 */
async function expectSignIn(s: Sandbox, label: string): Promise<void> {
  expect(trustedBy(s, label)).toContain(signingCertificate(s, label));
  const result = await s.login({ app: label, login: LOGINS[label] ?? '' });
  expect(result, `sign-in to ${label}`).toMatchObject({ ok: true });
}

describe('rotateSigningCertificate', () => {
  it('rotates every app with sign-in working after each stage, and finishes clean', async () => {
    const s = await start();
    const before = { admin: signingCertificate(s, ADMIN), ccp: signingCertificate(s, CCP) };
    const seen: string[] = [];
    const result = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      propagationDelayMs: 0,
      verify: async (stage, app) => {
        seen.push(`${app.kind}:${stage}`);
        await expectSignIn(s, app.label);
        if (stage === 'trust-both') expect(trustedBy(s, app.label)).toHaveLength(2);
      },
    });
    expect(seen).toEqual([
      'admin:generate',
      'admin:trust-both',
      'admin:switch',
      'admin:remove-old',
      'ccp:generate',
      'ccp:trust-both',
      'ccp:switch',
      'ccp:remove-old',
    ]);
    expect(result.apps.map((a) => a.outcome)).toEqual(['rotated', 'rotated']);
    for (const app of result.apps) {
      expect(app.stages).toEqual([
        { stage: 'generate', action: 'done' },
        { stage: 'trust-both', action: 'done' },
        { stage: 'switch', action: 'done' },
        { stage: 'remove-old', action: 'done' },
      ]);
      expect(app.current.kid).not.toBe(app.previous?.kid);
      expect(app.current.notAfter.getTime() - Date.now()).toBeGreaterThan(9.9 * 365 * 86_400_000);
      expect(app.changes).toHaveLength(4);
    }
    for (const [label, old] of [
      [ADMIN, before.admin],
      [CCP, before.ccp],
    ] as const) {
      const now = signingCertificate(s, label);
      expect(now).not.toBe(old);
      expect(trustedBy(s, label)).toEqual([now]);
      expect(appOf(s, label).settings).toMatchObject({ signOn: { defaultRelayState: expect.any(String) } });
      await expectSignIn(s, label);
    }
    // The doctor agrees, and a rotation that is not due writes nothing.
    const report = await doctor(config(s), { context: sandboxContext(s) });
    expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    s.resetRequests();
    const again = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      ifOlderThanDays: 1,
    });
    expect(again.apps.map((a) => a.outcome)).toEqual(['not-needed', 'not-needed']);
    expect(writes(s)).toEqual([]);
  });

  it('rotates one app when asked; honours ifExpiringWithinDays', async () => {
    const s = await start();
    const admin = signingCertificate(s, ADMIN);
    const notDue = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'ccp',
      ifExpiringWithinDays: 30,
    });
    expect(notDue.apps.map((a) => [a.kind, a.outcome])).toEqual([['ccp', 'not-needed']]);
    const due = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'ccp',
      ifExpiringWithinDays: 11 * 365,
      propagationDelayMs: 0,
    });
    expect(due.apps.map((a) => [a.kind, a.outcome])).toEqual([['ccp', 'rotated']]);
    expect(signingCertificate(s, ADMIN)).toBe(admin);
    expect(keyCount(s, ADMIN)).toBe(1);
    expect(keyCount(s, CCP)).toBe(2);
  });

  // A crash right after each write reached the sandbox: the request is served, its answer lost.
  const WRITES = [
    { after: 'GenerateApplicationKey', nth: 1, resumeFrom: 'trust-both' },
    { after: 'UpdateSAMLProvider', nth: 1, resumeFrom: 'switch' },
    { after: 'ReplaceApplication', nth: 1, resumeFrom: 'remove-old' },
    { after: 'UpdateSAMLProvider', nth: 2, resumeFrom: undefined },
  ] as const;
  for (const point of WRITES) {
    it(`interrupted right after ${point.after} #${point.nth}: sign-in works, a re-run finishes without a second key`, async () => {
      const controller = new AbortController();
      let seen = 0;
      const s = await start({
        onRequest: (entry) => {
          if (entry.operation === point.after && entry.write && ++seen === point.nth)
            controller.abort(new Error('crash'));
        },
      });
      const original = signingCertificate(s, ADMIN);
      const ctx: SsoContext = sandboxContext(s, { signal: controller.signal });
      const error = await rotateSigningCertificate(config(s), {
        context: ctx,
        app: 'admin',
        propagationDelayMs: 0,
      }).catch((e: unknown) => e);
      if (point.resumeFrom !== undefined) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toBe('crash');
      }
      await expectSignIn(s, ADMIN);
      expect(keyCount(s, ADMIN)).toBe(2);

      const resumed = await rotateSigningCertificate(config(s), {
        context: sandboxContext(s),
        app: 'admin',
        propagationDelayMs: 0,
        ifOlderThanDays: 1,
        verify: async (_stage, app) => expectSignIn(s, app.label),
      });
      const [app] = resumed.apps;
      if (point.resumeFrom === undefined) {
        expect(app?.outcome).toBe('not-needed');
      } else {
        expect(app?.outcome).toBe('resumed');
        const done = app?.stages.filter((x) => x.action === 'done').map((x) => x.stage);
        const order: RotationStage[] = ['generate', 'trust-both', 'switch', 'remove-old'];
        expect(done).toEqual(order.slice(order.indexOf(point.resumeFrom)));
      }
      expect(keyCount(s, ADMIN)).toBe(2);
      const now = signingCertificate(s, ADMIN);
      expect(now).not.toBe(original);
      expect(trustedBy(s, ADMIN)).toEqual([now]);
      await expectSignIn(s, ADMIN);
    });
  }

  it('a provider error mid-way is a RotationInterruptedError; the doctor sees the half-done rotation; a re-run finishes', async () => {
    // The second UpdateSAMLProvider (removing the old certificate) fails once; the context makes one attempt.
    const s = await start({
      faults: [{ service: 'iam', operation: 'UpdateSAMLProvider', kind: 'server-error', after: 1, times: 1 }],
    });
    const error = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'ccp',
      propagationDelayMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RotationInterruptedError);
    expect(error).toMatchObject({ stage: 'remove-old', completed: ['generate', 'trust-both', 'switch'] });
    expect((error as Error).message).toMatch(/run rotateSigningCertificate again/);
    await expectSignIn(s, CCP);

    const report = await doctor(config(s), { context: sandboxContext(s) });
    expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([
      expect.objectContaining({
        check: 'provider.certificate',
        status: 'warn',
        fix: expect.stringContaining('rotateSigningCertificate'),
      }),
    ]);

    const resumed = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'ccp',
      propagationDelayMs: 0,
    });
    expect(resumed.apps[0]).toMatchObject({ outcome: 'resumed' });
    expect(resumed.apps[0]?.stages).toEqual([
      { stage: 'generate', action: 'already-done' },
      { stage: 'trust-both', action: 'already-done' },
      { stage: 'switch', action: 'already-done' },
      { stage: 'remove-old', action: 'done' },
    ]);
    expect(keyCount(s, CCP)).toBe(2);
    expect(trustedBy(s, CCP)).toEqual([signingCertificate(s, CCP)]);
    await expectSignIn(s, CCP);
  });

  it('a failed check after the switch switches back to the previous key; a re-run finishes', async () => {
    const s = await start();
    const original = signingCertificate(s, ADMIN);
    const error = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'admin',
      propagationDelayMs: 0,
      verify: async (stage) => {
        if (stage === 'switch') throw new Error('sign-in refused');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as Error).message).toMatch(/switched back to its previous key/);
    expect(signingCertificate(s, ADMIN)).toBe(original);
    expect(trustedBy(s, ADMIN)).toHaveLength(2);
    await expectSignIn(s, ADMIN);

    const resumed = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'admin',
      propagationDelayMs: 0,
    });
    expect(resumed.apps[0]?.outcome).toBe('resumed');
    expect(signingCertificate(s, ADMIN)).not.toBe(original);
    expect(trustedBy(s, ADMIN)).toEqual([signingCertificate(s, ADMIN)]);
    expect(keyCount(s, ADMIN)).toBe(2);
  });

  it('a failed check after removing the old certificate puts it back; a re-run removes it again', async () => {
    const s = await start();
    const error = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'admin',
      propagationDelayMs: 0,
      verify: async (stage) => {
        if (stage === 'remove-old') throw new Error('sign-in refused');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as Error).message).toMatch(/previous certificate was put back/);
    expect(trustedBy(s, ADMIN)).toHaveLength(2);
    await expectSignIn(s, ADMIN);

    const resumed = await rotateSigningCertificate(config(s), { context: sandboxContext(s), app: 'admin' });
    expect(resumed.apps[0]?.stages.map((x) => `${x.stage}:${x.action}`)).toEqual([
      'generate:already-done',
      'trust-both:already-done',
      'switch:already-done',
      'remove-old:done',
    ]);
    expect(trustedBy(s, ADMIN)).toEqual([signingCertificate(s, ADMIN)]);
    await expectSignIn(s, ADMIN);
  });

  it('waits for IAM to propagate the new certificate before switching (on the context clock)', async () => {
    const s = await start();
    const slept: number[] = [];
    const clock = { now: () => Date.now(), sleep: async (ms: number) => void slept.push(ms) };
    await rotateSigningCertificate(config(s), { context: sandboxContext(s, { clock }), app: 'ccp' });
    // Only the propagation wait: a short wait may come first when the fixture's key is under 2 s old.
    expect(slept.filter((ms) => ms > 2_000)).toEqual([10_000]);
  });

  it('a rotation in the same second the key was made waits that second out, so a re-run can resume it', async () => {
    // Okta's `created` has whole seconds. Sandbox time stands still except when the rotation sleeps.
    let t = 0;
    const controller = new AbortController();
    const s = await start({
      now: () => t,
      onRequest: (entry) => {
        if (entry.operation === 'GenerateApplicationKey' && entry.write) controller.abort(new Error('crash'));
      },
    });
    t = s.state().okta.keys[appOf(s, ADMIN).signingKid]?.created ?? 0;
    expect(t).toBeGreaterThan(0);
    const slept: number[] = [];
    const clock = {
      now: () => t,
      sleep: async (ms: number) => {
        slept.push(ms);
        t += ms;
      },
    };
    const error = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s, { clock, signal: controller.signal }),
      app: 'admin',
      propagationDelayMs: 0,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('crash');
    // Until two seconds after the key's creation as Okta shows it (whole seconds): over one second from `t`.
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(1_000);
    expect(keyCount(s, ADMIN)).toBe(2);

    const resumed = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s, { clock }),
      app: 'admin',
      propagationDelayMs: 0,
      ifOlderThanDays: 1,
    });
    expect(resumed.apps[0]?.outcome).toBe('resumed');
    expect(resumed.apps[0]?.stages.map((x) => [x.stage, x.action])).toEqual([
      ['generate', 'already-done'],
      ['trust-both', 'done'],
      ['switch', 'done'],
      ['remove-old', 'done'],
    ]);
    expect(keyCount(s, ADMIN)).toBe(2);
    expect(trustedBy(s, ADMIN)).toEqual([signingCertificate(s, ADMIN)]);
    await expectSignIn(s, ADMIN);
  });

  it('repairs a key rotated in Okta behind IAM’s back (sign-in broken) as part of the rotation', async () => {
    const s = await start();
    s.admin.rotateSigningKey(appOf(s, CCP).id);
    expect(trustedBy(s, CCP)).not.toContain(signingCertificate(s, CCP));
    const stages: string[] = [];
    const result = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'ccp',
      propagationDelayMs: 0,
      ifOlderThanDays: 365,
      verify: async (stage, app) => {
        stages.push(stage);
        await expectSignIn(s, app.label);
      },
    });
    expect(result.apps[0]?.outcome).toBe('rotated');
    expect(stages).toEqual(['trust-both', 'switch', 'remove-old']);
    expect(trustedBy(s, CCP)).toEqual([signingCertificate(s, CCP)]);
  });

  it('refuses invalid options and a provider that is not this stack’s before any write', async () => {
    const s = await start();
    s.resetRequests();
    for (const options of [
      { validityYears: 1 },
      { app: 'agent-workspace' as const },
      { propagationDelayMs: -1 },
    ]) {
      const error = await rotateSigningCertificate(config(s), {
        context: sandboxContext(s),
        ...options,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
    }
    expect(s.requests()).toEqual([]);

    await iamClient(s).send(
      new UntagSAMLProviderCommand({
        SAMLProviderArn: 'arn:aws:iam::123456789012:saml-provider/Okta_Connect_Admin',
        TagKeys: ['managed-by'],
      }),
    );
    s.resetRequests();
    const error = await rotateSigningCertificate(config(s), {
      context: sandboxContext(s),
      app: 'admin',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(writes(s)).toEqual([]);
  });
});

describe('mergeSigningCertificates', () => {
  it('puts the signing certificates of several metadata documents into one', async () => {
    const s = await start();
    const ctx = sandboxContext(s);
    const { id } = appOf(s, ADMIN);
    const { kid } = s.admin.rotateSigningKey(id);
    const old = Object.values(s.state().okta.keys).find((k) => k.appId === id && k.kid !== kid);
    const fetch = async (k: string) => {
      const client = await ctx.okta();
      const response = await client.http.http(
        `${s.okta.orgUrl}/api/v1/apps/${id}/sso/saml/metadata?kid=${k}`,
        {
          headers: { Accept: 'application/xml' },
        },
      );
      return response.text();
    };
    const [a, b] = await Promise.all([fetch(old?.kid ?? ''), fetch(kid)]);
    const merged = parseIdpMetadata(mergeSigningCertificates(a, [b]));
    expect(merged.signingCertificates.map((c) => c.base64)).toEqual([
      parseIdpMetadata(a).signingCertificates[0]?.base64,
      parseIdpMetadata(b).signingCertificates[0]?.base64,
    ]);
    expect(merged.entityId).toBe(parseIdpMetadata(a).entityId);
  });
});
