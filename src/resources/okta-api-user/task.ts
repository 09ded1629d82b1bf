/** api-integration mode: the IAM user whose access key Okta uses, in the provisioning graph. */
import type { ResolvedConfig } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import type { PolicyOut } from '../iam-policies/task.js';
import type { SecretSink } from '../plan.js';
import { defineTask, fromStep, type TaskRef } from '../task.js';
import { createOktaApiUser } from './ensure.js';
import { markAccessKeyDelivered } from './keys.js';
import { deliverSecret, describeSink, sinkHolds } from './secret-sink.js';
import type { NewAccessKey } from './types.js';

/** The API user task's output: the access key id Okta is to be given, once there is one. */
export interface OktaApiUserOut {
  accessKeyId: string | undefined;
}

/** Create the user, attach its policy, make (or keep) its access key and deliver a new key's secret. */
export function oktaApiUserTask(config: ResolvedConfig, accessPolicy: TaskRef<PolicyOut>) {
  const userName = config.names.oktaApiUser;
  return defineTask<OktaApiUserOut, { accessPolicy: PolicyOut }>({
    id: 'okta-api-user',
    kind: 'iam-user',
    resource: `iam user ${userName}`,
    needs: { accessPolicy },
    async run({ accessPolicy: { policyArn } }, { ctx, options, dryRun, report }) {
      if (!policyArn) {
        return {
          action: 'create',
          reason: 'with an access key for Okta, after its policy',
          out: { accessKeyId: undefined },
          createsAccessKey: true,
        };
      }
      const sink = options.secretSink;
      // Every key's delivery is recorded, so that a key whose secret a crash lost is recognised (and
      // replaced) instead of being kept as "the" key no one can use. The secret is in the report from
      // the moment the key exists, so a run aborted afterwards still hands it on (see below).
      let created: NewAccessKey | undefined;
      const onCreated = (key: NewAccessKey) => {
        created = key;
        report.accessKey = {
          accessKeyId: key.accessKeyId,
          ...(sink.kind === 'return' ? { secretAccessKey: key.secretAccessKey } : {}),
          deliveredTo: describeSink(sink),
          createdByThisRun: true,
        };
        if (sink.kind === 'return') report.pendingDelivery = { userName, accessKeyId: key.accessKeyId };
      };
      let r: Awaited<ReturnType<typeof createOktaApiUser>>;
      try {
        r = await createOktaApiUser(ctx, {
          userName,
          policyArn,
          accessKey: options.accessKey,
          adopt: options.adopt,
          dryRun,
          delivery: { mark: 'by-caller', wasDelivered: (id) => sinkHolds(sink, id), onCreated },
        });
        const made = r.accessKey?.secretAvailable ? r.accessKey : undefined;
        if (made && sink.kind !== 'return') {
          await deliverSecret(ctx, sink, made);
          await markAccessKeyDelivered(ctx, userName, made.accessKeyId);
        }
        // The key reported at creation was deleted again (a concurrent run's key won): nothing to deliver.
        if (!made) report.pendingDelivery = undefined;
      } catch (error) {
        // Aborted (or failed) after the key was made: its secret exists only in this process. Put it where
        // it belongs anyway, so that the next run finds it delivered instead of asking for a rotation.
        if (created && sink.kind !== 'return') await finishKeyDelivery(ctx, userName, sink, created);
        throw error;
      }
      const key = r.accessKey;
      const discarded = r.discardedKeys.length > 0 ? { discardedKeys: r.discardedKeys } : {};
      if (key?.secretAvailable) {
        report.accessKey = {
          accessKeyId: key.accessKeyId,
          ...(sink.kind === 'return' ? { secretAccessKey: key.secretAccessKey } : {}),
          deliveredTo: describeSink(sink),
          createdByThisRun: true,
          ...discarded,
        };
      } else if (key) {
        report.accessKey = {
          accessKeyId: key.accessKeyId,
          deliveredTo: r.concurrentKey
            ? 'the destination of the concurrent run of this config that created it'
            : 'the destination of the earlier run that created it (run with accessKey: "rotate" if the secret was lost)',
          createdByThisRun: false,
          ...discarded,
        };
      }
      report.apiUser = { userName: r.userName, userArn: r.userArn };
      const result = {
        ...fromStep<OktaApiUserOut>(r, { accessKeyId: key?.accessKeyId }),
        createsAccessKey: r.createsAccessKey,
      };
      if (!key && r.pendingKeys.length > 0) {
        // A key exists whose secret was never delivered, too recent to be sure its run is over.
        return {
          ...result,
          action: 'manual',
          reason: 'an access key whose secret was never delivered',
          manual: pendingKeySteps(r.userName, r.pendingKeys, ctx.clock.now()),
        };
      }
      return result;
    },
  });
}

function pendingKeySteps(
  userName: string,
  keys: readonly { accessKeyId: string; createdAt: Date | undefined }[],
  now: number,
): string[] {
  return keys.map((k) => {
    const minutes = Math.max(0, Math.round((now - (k.createdAt?.getTime() ?? now)) / 60_000));
    return (
      `Access key ${k.accessKeyId} of iam user ${userName} was created ${minutes} min ago, but its secret was ` +
      'never delivered: the run that created it stopped first (or is still running). If no other run is in ' +
      `progress, run again with accessKey: 'rotate' to replace it now; a run 15 min after its creation replaces it by itself.`
    );
  });
}

/**
 * Finish a new key's delivery with writes that survive an abort: put the secret in its sink (not for the
 * `return` sink) and record the delivery as the key's tag. Called when a run is aborted or fails after the
 * key was made (this process holds the secret's only copy), and at the end of every run for a key made
 * for the `return` sink (the result that carries the secret is on its way to the caller: only the
 * delivery is recorded). Bounded writes with their own deadline (the run's signal may be spent); a
 * failure is logged, and the next run then treats the key as never delivered.
 */
export async function finishKeyDelivery(
  ctx: SsoContext,
  userName: string,
  sink: SecretSink,
  key: NewAccessKey | { accessKeyId: string; secretAccessKey?: undefined },
): Promise<void> {
  const durable: SsoContext = { ...ctx, signal: AbortSignal.timeout(30_000) };
  try {
    if (sink.kind !== 'return' && key.secretAccessKey) await deliverSecret(durable, sink, key);
    await markAccessKeyDelivered(durable, userName, key.accessKeyId);
  } catch (error) {
    ctx.logger.warn(
      `could not finish delivering access key ${key.accessKeyId} of iam user ${userName}: ${
        error instanceof Error ? error.message : String(error)
      }; the next run replaces the key`,
    );
  }
}
