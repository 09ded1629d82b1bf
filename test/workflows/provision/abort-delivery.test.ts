/**
 * Issue 12 item 4: a run aborted (its signal) after an IAM write has answered — in particular right after
 * CreateAccessKey — must not leave a key that the next run believes delivered while no one has its secret.
 * For every IAM write position and each sink, the aborted run's secret reaches its sink (the `return`
 * sink: the aborted run's result, which still comes back), and the next runs finish with no manual step
 * other than the API-integration click, never holding more than one live key.
 *
 * The abort fires inside the real IAM client, right after the SDK has the response (a middleware), as a
 * caller's AbortController would between two calls.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/index.js';
import type { SsoContext } from '../../../src/core/context.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import type { ProvisionResult, SecretSink } from '../../../src/workflows/provision/types.js';
import { sandboxContext, startTestSandbox } from '../../helpers.js';

const config = (sb: Sandbox): ConnectSsoConfig => ({
  stack: 'acme-cc',
  region: 'us-east-1',
  instance: { alias: 'acme-cc' },
  okta: { orgUrl: sb.okta.orgUrl },
  apps: [{ kind: 'admin' }],
  users: [{ login: 'jane.doe@acme.com', app: 'admin' }],
});

async function sandbox(): Promise<Sandbox> {
  const sb = await startTestSandbox();
  sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
  return sb;
}

/** Abort `controller` right after the `n`-th IAM write (any operation but reads) has answered. */
function abortAfterIamWrite(ctx: SsoContext, n: number, controller: AbortController): void {
  let writes = 0;
  (ctx.iam as IAMClient).middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const op = String(context.commandName ?? '').replace(/Command$/, '');
      if (!/^(Get|List|Describe)/.test(op) && ++writes === n) controller.abort(new Error(`stop after ${op}`));
      return result;
    },
    { step: 'initialize', name: 'abortAfterWrite' },
  );
}

/** The IAM writes of an uninterrupted first run, in order. */
async function iamWrites(sink: SecretSink): Promise<string[]> {
  const sb = await sandbox();
  try {
    await provisionConnectSso(config(sb), {
      context: sandboxContext(sb, { stack: 'acme-cc' }),
      secretSink: sink,
    });
    return sb
      .requests()
      .filter((r) => r.service === 'iam' && r.write)
      .map((r) => r.operation);
  } finally {
    await sb.stop();
  }
}

async function secretOf(sb: Sandbox, sink: SecretSink, result: ProvisionResult): Promise<string> {
  if (sink.kind === 'return') return result.accessKey?.secretAccessKey?.reveal() ?? '';
  if (sink.kind === 'file') return readFileSync(sink.path, 'utf8').trim().split('\n')[1]?.split(',')[1] ?? '';
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const sm = new SecretsManagerClient({ ...sb.aws, maxAttempts: 1 });
  const stored = await sm.send(new GetSecretValueCommand({ SecretId: sink.name }));
  return (JSON.parse(stored.SecretString ?? '{}') as { secretAccessKey?: string }).secretAccessKey ?? '';
}

const liveKeys = (sb: Sandbox) => sb.state().iam.accessKeys.filter((k) => k.status === 'Active').length;

describe.each(['return', 'file', 'secrets-manager'] as const)(
  'a run aborted after an IAM write (%s sink)',
  (kind) => {
    it('hands the secret on; the next runs need only the console click, with one live key', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'abort-delivery-'));
      const sinkFor = (i: number): SecretSink =>
        kind === 'return'
          ? { kind }
          : kind === 'file'
            ? { kind, path: join(dir, `k${i}.csv`) }
            : { kind, name: `connect/okta-key-${i}` };
      const positions = await iamWrites(sinkFor(0));
      expect(positions).toContain('CreateAccessKey');
      const failures: string[] = [];
      for (let n = 1; n <= positions.length; n++) {
        const at = `after IAM write #${n} (${positions[n - 1]})`;
        const sb = await sandbox();
        const sink = sinkFor(n);
        try {
          const controller = new AbortController();
          const ctx = sandboxContext(sb, {
            stack: 'acme-cc',
            signal: controller.signal,
          });
          abortAfterIamWrite(ctx, n, controller);
          const aborted = await provisionConnectSso(config(sb), {
            context: ctx,
            signal: controller.signal,
            secretSink: sink,
          });
          expect(controller.signal.aborted, at).toBe(true);
          expect(liveKeys(sb), at).toBeLessThanOrEqual(1);

          // The next run, then the console click with whatever secret the sink holds, then one more run.
          let result = await provisionConnectSso(config(sb), {
            context: sandboxContext(sb, { stack: 'acme-cc' }),
            secretSink: sink,
          });
          const manual = result.manualActions.map((m) => m.id);
          if (manual.some((id) => !id.startsWith('integration:'))) {
            failures.push(`${at}: the next run asks for ${manual.join(', ')}`);
            continue;
          }
          expect(liveKeys(sb), at).toBe(1);
          const holder = result.accessKey?.createdByThisRun ? result : aborted;
          const secret = await secretOf(sb, sink, holder);
          expect(secret, at).toHaveLength(40);
          for (const app of result.apps) {
            await sb.admin.enableApiIntegration(app.appId ?? '', {
              accessKeyId: result.accessKey?.accessKeyId ?? '',
              secretAccessKey: secret,
            });
          }
          result = await provisionConnectSso(config(sb), {
            context: sandboxContext(sb, { stack: 'acme-cc' }),
            secretSink: sink,
          });
          if (result.status !== 'complete')
            failures.push(`${at}: the run after the click ends ${result.status}`);
          expect(liveKeys(sb), at).toBe(1);
        } catch (error) {
          failures.push(`${at}: ${(error as Error).message}`);
        } finally {
          await sb.stop();
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);
  },
);
