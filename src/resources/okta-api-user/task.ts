/** api-integration mode: the IAM user whose access key Okta uses, in the provisioning graph. */
import type { ResolvedConfig } from '../../config/index.js';
import type { PolicyOut } from '../iam-policies/task.js';
import { defineTask, fromStep, type TaskRef } from '../task.js';
import { createOktaApiUser } from './ensure.js';
import { markAccessKeyDelivered } from './keys.js';
import { deliverSecret, describeSink, sinkHolds } from './secret-sink.js';

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
      // replaced) instead of being kept as "the" key no one can use.
      const r = await createOktaApiUser(ctx, {
        userName,
        policyArn,
        accessKey: options.accessKey,
        adopt: options.adopt,
        dryRun,
        delivery: {
          mark: sink.kind === 'return' ? 'on-create' : 'by-caller',
          wasDelivered: (accessKeyId) => sinkHolds(sink, accessKeyId),
        },
      });
      const key = r.accessKey;
      const discarded = r.discardedKeys.length > 0 ? { discardedKeys: r.discardedKeys } : {};
      if (key?.secretAvailable) {
        await deliverSecret(ctx, sink, key);
        if (sink.kind !== 'return') await markAccessKeyDelivered(ctx, r.userName, key.accessKeyId);
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
