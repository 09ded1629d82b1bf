/** The managed policies in the provisioning graph. */
import type { ResolvedConfig } from '../../config/index.js';
import type { InstanceOut } from '../connect-instance/task.js';
import { defineTask, fromStep, type TaskRef } from '../task.js';
import { createFederationPolicy, createOktaAccessPolicy } from './ensure.js';

/** A policy task's output: its ARN, undefined until it exists. */
export interface PolicyOut {
  policyArn: string | undefined;
}

/** The federation policy (`connect:GetFederationToken` on the instance's users): needs the instance ARN. */
export function federationPolicyTask(config: ResolvedConfig, instance: TaskRef<InstanceOut>) {
  const policyName = config.names.federationPolicy;
  return defineTask<PolicyOut, { instance: InstanceOut }>({
    id: 'federation-policy',
    kind: 'iam-policy',
    resource: `iam policy ${policyName}`,
    needs: { instance },
    async run({ instance: { instanceArn } }, { ctx, options, dryRun }) {
      if (!instanceArn) {
        return { action: 'create', reason: 'after the instance is created', out: { policyArn: undefined } };
      }
      const r = await createFederationPolicy(ctx, { instanceArn, policyName, adopt: options.adopt, dryRun });
      return fromStep(r, { policyArn: r.policyArn });
    },
  });
}

/** api-integration mode: the policy of the IAM user whose key Okta uses (`iam:ListRoles`…). */
export function oktaAccessPolicyTask(config: ResolvedConfig) {
  const policyName = config.names.oktaAccessPolicy;
  return defineTask<PolicyOut>({
    id: 'okta-access-policy',
    kind: 'iam-policy',
    resource: `iam policy ${policyName}`,
    needs: {},
    async run(_input, { ctx, options, dryRun }) {
      const r = await createOktaAccessPolicy(ctx, { policyName, adopt: options.adopt, dryRun });
      return fromStep(r, { policyArn: r.policyArn });
    },
  });
}
