/** One app's IAM SAML provider and role in the provisioning graph (`link:<kind>`). */
import type { ResolvedApp } from '../../config/index.js';
import type { PolicyOut } from '../iam-policies/task.js';
import type { OktaAppOut } from '../okta-app/task.js';
import { appTaskId, defineTask, fromStep, type TaskRef } from '../task.js';
import { linkIdentityProvider } from './ensure.js';

/** The link task's output: the provider and role ARNs, undefined until they exist. */
export interface LinkOut {
  providerArn: string | undefined;
  roleArn: string | undefined;
}

/** The provider from the app's metadata, the role trusting it with the federation policy, the ARN written back. */
export function samlProviderRoleTask(
  app: ResolvedApp,
  oktaApp: TaskRef<OktaAppOut>,
  policy: TaskRef<PolicyOut>,
) {
  return defineTask<LinkOut, { app: OktaAppOut; policy: PolicyOut }>({
    id: appTaskId.link(app),
    kind: 'iam-identity-provider',
    resource: `iam saml-provider ${app.providerName} + role ${app.roleName}`,
    needs: { app: oktaApp, policy },
    async run({ app: { appId, metadata }, policy: { policyArn } }, { ctx, options, dryRun, report }) {
      if (!appId || !metadata || !policyArn) {
        return {
          action: 'create',
          reason: 'from the app metadata, after the app and the federation policy',
          out: { providerArn: undefined, roleArn: undefined },
        };
      }
      const r = await linkIdentityProvider(ctx, {
        appId,
        metadata,
        providerName: app.providerName,
        roleName: app.roleName,
        policyArns: [policyArn],
        sessionDuration: app.sessionDuration,
        adopt: options.adopt,
        dryRun,
      });
      const appReport = report.app(app);
      appReport.providerArn = r.providerArn;
      appReport.roleArn = r.roleArn;
      return fromStep(r, { providerArn: r.providerArn, roleArn: r.roleArn });
    },
  });
}
