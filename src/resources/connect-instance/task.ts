/** The Connect instance in the provisioning graph: `instance` (find or create) and `instance-active` (wait). */
import type { ResolvedConfig } from '../../config/index.js';
import { defineTask, fromStep } from '../task.js';
import { createSamlInstance, waitUntilActive } from './ensure.js';

/** What the instance task leaves for the others; undefined members: the instance does not exist yet. */
export interface InstanceOut {
  instanceId: string | undefined;
  instanceArn: string | undefined;
  status: string | undefined;
}

/** Find or create the SAML instance. Needs nothing: it is the root of the graph. */
export function instanceTask(config: ResolvedConfig) {
  const alias = config.instance.alias;
  return defineTask<InstanceOut>({
    id: 'instance',
    kind: 'connect-instance',
    resource: `connect instance ${alias}`,
    needs: {},
    async run(_input, { ctx, options, dryRun }) {
      const r = await createSamlInstance(ctx, {
        alias,
        inboundCalls: config.instance.inboundCalls,
        outboundCalls: config.instance.outboundCalls,
        tags: config.instance.tags,
        adopt: options.adopt,
        dryRun,
      });
      return fromStep(r, { instanceId: r.instanceId, instanceArn: r.instanceArn, status: r.status });
    },
  });
}

/** Wait until the instance is ACTIVE (only the users need it). */
export function instanceActiveTask(config: ResolvedConfig, instance: ReturnType<typeof instanceTask>) {
  const alias = config.instance.alias;
  return defineTask<{ active: boolean }, { instance: InstanceOut }>({
    id: 'instance-active',
    kind: 'connect-instance',
    resource: `connect instance ${alias} (ACTIVE)`,
    needs: { instance: instance.ref },
    async run({ instance: { instanceId, status } }, { ctx, options, dryRun }) {
      if (status === 'ACTIVE') return { action: 'unchanged', reason: 'ACTIVE', out: { active: true } };
      if (dryRun || !instanceId) {
        return {
          action: 'create',
          reason: 'wait until the new instance is ACTIVE (usually one to two minutes)',
          out: { active: false },
        };
      }
      const waited = await waitUntilActive(
        ctx,
        { id: instanceId, alias },
        { timeoutMs: options.instanceTimeoutMs },
      );
      return {
        action: 'unchanged',
        reason: `became ${waited.status}`,
        out: { active: waited.status === 'ACTIVE' },
      };
    },
  });
}
