/**
 * api-integration mode: the Okta "API Integration" of one app (`integration:<kind>`). No public API can
 * enable it (design §5.3): the task detects it (the app's `features` gain `PUSH_NEW_USERS`) and otherwise
 * ends as a manual action with the exact clicks — or, with `wait`, polls until a person has done them.
 */
import type { ResolvedApp } from '../../config/index.js';
import { BackoffTimeoutError, pollUntil } from '../../core/retry.js';
import { waitOptions } from '../../core/step.js';
import type { OktaApiUserOut } from '../okta-api-user/task.js';
import { getOktaApp } from '../okta-app/read.js';
import type { OktaAppOut } from '../okta-app/task.js';
import type { LinkOut } from '../saml-provider-role/task.js';
import { appTaskId, defineTask, type TaskEnv, type TaskRef } from '../task.js';

/** The app feature that shows the API integration's "Create Users" is on. */
export const PUSH_NEW_USERS = 'PUSH_NEW_USERS';

/** How long `wait: true` waits at the checkpoint, and the first poll delay. */
export const MANUAL_WAIT_DEFAULTS = { timeoutMs: 30 * 60_000, pollIntervalMs: 5_000 } as const;

/** The integration task's output. */
export interface ApiIntegrationOut {
  enabled: boolean;
}

/** Detect, or wait for, the API integration of `app`. */
export function apiIntegrationTask(
  app: ResolvedApp,
  needs: { app: TaskRef<OktaAppOut>; link: TaskRef<LinkOut>; apiUser: TaskRef<OktaApiUserOut> },
) {
  const resource = `okta api integration of "${app.label}"`;
  const id = appTaskId.integration(app);
  return defineTask<ApiIntegrationOut, { app: OktaAppOut; link: LinkOut; apiUser: OktaApiUserOut }>({
    id,
    kind: 'okta-api-integration',
    resource,
    needs,
    after: [needs.link, needs.apiUser],
    async run({ app: { appId }, apiUser: { accessKeyId } }, env: TaskEnv) {
      const { ctx, options, dryRun, report } = env;
      const enabled = async () => {
        if (!appId) return false;
        const current = await getOktaApp(ctx, appId);
        return Array.isArray(current.features) && current.features.includes(PUSH_NEW_USERS);
      };
      if (await enabled()) {
        report.app(app).apiIntegration = 'enabled';
        return { action: 'unchanged', reason: 'enabled', out: { enabled: true } };
      }
      const actions = manualSteps(app, appId, accessKeyId, report.accessKey?.deliveredTo);
      const manual = {
        action: 'manual' as const,
        reason: 'the Okta admin console has no API for this step',
        out: { enabled: false },
        manual: actions,
      };
      const wait = waitOptions(options.wait, MANUAL_WAIT_DEFAULTS);
      if (dryRun || !appId || !wait) return manual;
      options.emit({ type: 'waiting-for-manual-action', id, resource, actions, timeoutMs: wait.timeoutMs });
      ctx.logger.info(
        `waiting for the API integration of "${app.label}" to be enabled in the Okta admin console`,
      );
      try {
        await pollUntil(async () => ((await enabled()) ? true : undefined), {
          timeoutMs: wait.timeoutMs,
          initialDelayMs: wait.pollIntervalMs,
          maxDelayMs: 30_000,
          clock: ctx.clock,
          signal: ctx.signal,
        });
      } catch (error) {
        // The wait ran out: still a manual action, as without `wait`.
        if (error instanceof BackoffTimeoutError) return manual;
        throw error;
      }
      report.app(app).apiIntegration = 'enabled';
      return { action: 'unchanged', reason: 'enabled while waiting', out: { enabled: true } };
    },
  });
}

function manualSteps(
  app: ResolvedApp,
  appId: string | undefined,
  accessKeyId: string | undefined,
  deliveredTo: string | undefined,
): string[] {
  return [
    `In the Okta admin console open Applications → Applications → "${app.label}"${appId ? ` (${appId})` : ''} → Provisioning → Configure API Integration, and tick "Enable API integration".`,
    `Access Key: ${accessKeyId ?? '(the access key of the Okta API user)'}; Secret Key: the secret delivered to ${deliveredTo ?? 'the run that created the key'}. Click "Test API Credentials", then Save.`,
    'Still under Provisioning → To App → Edit: enable "Create Users" and "Update User Attributes", then Save.',
    'Run again (or pass wait: { timeoutMs }): the run resumes from here and assigns the users.',
  ];
}
