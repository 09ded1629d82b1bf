/** The app's lifecycle calls, used by ensure (a new or inactive app) and destroy (before the delete). */
import type { SsoContext } from '../../core/context.js';
import { oktaRequest } from '../../providers/okta/transport.js';
import { AWS_APP_NAME, type OktaAppJson } from './read.js';

/**
 * `POST /apps/{id}/lifecycle/activate` or `…/deactivate`. Either one on an app already in that state
 * changes nothing: safe to repeat after a lost answer.
 */
export async function setAppLifecycle(
  ctx: SsoContext,
  app: OktaAppJson,
  to: 'activate' | 'deactivate',
): Promise<void> {
  await oktaRequest<unknown>(ctx, to === 'activate' ? 'ActivateApplication' : 'DeactivateApplication', {
    method: 'POST',
    path: `/api/v1/apps/${encodeURIComponent(app.id)}/lifecycle/${to}`,
    retry: true,
  });
  ctx.logger.info(`${to}d okta app ${AWS_APP_NAME} '${app.label}' (${app.id})`, { appId: app.id });
}
