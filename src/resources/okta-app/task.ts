/** One Okta federation app in the provisioning graph (`app:<kind>`). */
import type { ResolvedApp, ResolvedConfig } from '../../config/index.js';
import type { InstanceOut } from '../connect-instance/task.js';
import { groupMappingFor } from '../okta-groups/ensure.js';
import { appTaskId, defineTask, fromStep, type TaskRef } from '../task.js';
import { createOktaFederationApp, type FederationAppMetadata } from './ensure.js';
import { buildRelayState } from './relay-state.js';

/** The app task's output: undefined members until the app exists. */
export interface OktaAppOut {
  appId: string | undefined;
  metadata: FederationAppMetadata | undefined;
  features: string[] | undefined;
}

/** Find or create the app with its relay state: needs only the instance id (CreateInstance returns it at once). */
export function oktaAppTask(config: ResolvedConfig, app: ResolvedApp, instance: TaskRef<InstanceOut>) {
  return defineTask<OktaAppOut, { instance: InstanceOut }>({
    id: appTaskId.app(app),
    kind: 'okta-app',
    resource: `okta app "${app.label}"`,
    needs: { instance },
    async run({ instance: { instanceId } }, { ctx, options, dryRun, report }) {
      if (!instanceId) {
        return {
          action: 'create',
          reason: 'amazon_aws SAML app, after the instance is created',
          out: { appId: undefined, metadata: undefined, features: undefined },
        };
      }
      const relayState = buildRelayState({
        region: config.region,
        instanceId,
        destination: app.destination ?? 'admin',
        newDomain: app.newDomain,
      });
      const appReport = report.app(app);
      appReport.relayState = relayState;
      const r = await createOktaFederationApp(ctx, {
        label: app.label,
        relayState,
        sessionDuration: app.sessionDuration,
        ...(app.groupFilter
          ? {
              groupMapping: groupMappingFor({
                groupFilter: app.groupFilter,
                providerName: app.providerName,
                partition: config.partition,
              }),
            }
          : {}),
        adopt: options.adopt,
        dryRun,
      });
      appReport.appId = r.appId;
      appReport.signInUrl = r.signInUrl;
      return fromStep(r, { appId: r.appId, metadata: r.metadata, features: r.features });
    },
  });
}
