/**
 * Teardown of guide step 5: the Okta `amazon_aws` app. Okta deletes only an INACTIVE app (`E0000056`
 * "Delete application forbidden" otherwise), so an active one is deactivated first. Its user and group
 * assignments belong to it and go with it.
 *
 * The app is this stack's when its admin notes carry the stack's marker
 * (`managed-by connect-okta-sso stack <stack>`, written when the app was created or adopted); an app
 * with the label but without the marker is someone else's and is never deactivated.
 */
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { isOktaError, oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import { setAppLifecycle } from './lifecycle.js';
import { appOwnership } from './ownership.js';
import { AWS_APP_NAME, findAppsByLabel, type OktaAppJson } from './read.js';

/** Input of {@link destroyOktaFederationApp}. */
export interface DestroyOktaAppInput extends DestroyStepOptions {
  /** The app's label, exactly as in `createOktaFederationApp`. */
  label: string;
}

/** Okta's largest pages: 500 app users, 200 group assignments. */
const PAGE = { users: 500, groups: 200 } as const;

// read: how many users and groups are assigned to an app (they go with it).
async function assignmentCounts(ctx: SsoContext, appId: string): Promise<{ users: number; groups: number }> {
  const count = async (what: 'users' | 'groups', operation: string): Promise<number> => {
    let n = 0;
    for await (const page of oktaPages<unknown>(
      ctx,
      operation,
      `/api/v1/apps/${encodeURIComponent(appId)}/${what}`,
      { limit: PAGE[what] },
    )) {
      n += page.length;
    }
    return n;
  };
  return {
    users: await count('users', 'ListApplicationUsers'),
    groups: await count('groups', 'ListApplicationGroupAssignments'),
  };
}

const notFound = (error: unknown): boolean => isOktaError(error, 'E0000007') || isOktaError(error, 404);

async function deleteApp(ctx: SsoContext, app: OktaAppJson): Promise<void> {
  await oktaRequest<unknown>(ctx, 'DeleteApplication', {
    method: 'DELETE',
    path: `/api/v1/apps/${encodeURIComponent(app.id)}`,
  });
  ctx.logger.info(`deleted okta app ${AWS_APP_NAME} '${app.label}' (${app.id})`, { appId: app.id });
}

/**
 * Deactivate and delete this stack's `amazon_aws` app(s) labelled `label`; its user and group
 * assignments go with it. Returns one record per app with the label (normally one): `delete` for this
 * stack's, `foreign` for another's (never touched), or a single `absent` record.
 *
 * Reads: `ListApplications` (`q` = the label), `ListApplicationUsers` and
 * `ListApplicationGroupAssignments` (to say what goes with it). Writes: `DeactivateApplication` (when
 * ACTIVE), `DeleteApplication`.
 *
 * @throws {ConfigError} an empty label, before any call.
 * @throws {ConflictError} Okta still refuses the delete as `E0000056` after a second deactivation (the app
 *   keeps being re-activated): the message says where to deactivate it by hand.
 * @throws {ProviderError} any other Okta error.
 */
export async function destroyOktaFederationApp(
  ctx: SsoContext,
  input: DestroyOktaAppInput,
): Promise<DestroyRecord[]> {
  const { label } = input;
  if (typeof label !== 'string' || label.trim() === '' || label.length > 100) {
    throw new ConfigError('label', 'expected the app label, 1–100 characters');
  }
  const dryRun = input.dryRun === true;
  const resource = `okta app "${label}"`;
  const apps = await findAppsByLabel(ctx, label);
  if (apps.length === 0)
    return [destroyRecord('okta-app', resource, undefined, 'absent', 'no such app', dryRun)];

  const records: DestroyRecord[] = [];
  for (const app of apps) {
    const name = apps.length > 1 ? `${resource} (${app.id})` : resource;
    const ownership = appOwnership(ctx, app);
    if (ownership.owner !== 'ours') {
      const whose =
        ownership.owner === 'other-stack'
          ? `it belongs to connect-okta-sso stack ${ownership.stacks.map((s) => `'${s}'`).join(', ')}, not '${ctx.stack}'`
          : 'it was not created by connect-okta-sso (its admin notes carry no ownership marker)';
      records.push(destroyRecord('okta-app', name, app.id, 'foreign', whose, dryRun));
      continue;
    }
    const counts = await assignmentCounts(ctx, app.id);
    const withIt = [
      ...(counts.users > 0 ? [`${counts.users} user assignment(s)`] : []),
      ...(counts.groups > 0 ? [`${counts.groups} group assignment(s)`] : []),
    ];
    const reason =
      `${app.status === 'ACTIVE' ? 'deactivate, then delete' : 'delete (already inactive)'}` +
      (withIt.length > 0 ? `; its ${withIt.join(' and ')} go with it` : '');
    if (!dryRun) {
      if (app.status === 'ACTIVE') await setAppLifecycle(ctx, app, 'deactivate');
      try {
        await deleteApp(ctx, app);
      } catch (error) {
        if (notFound(error)) {
          // Deleted by an earlier run whose answer was lost.
        } else if (isOktaError(error, 'E0000056')) {
          // Active again (re-activated since we looked, or we read it before a reactivation): once more.
          await setAppLifecycle(ctx, app, 'deactivate');
          await deleteApp(ctx, app).catch((again: unknown) => {
            if (notFound(again)) return;
            if (!isOktaError(again, 'E0000056')) throw again;
            throw new ConflictError(
              name,
              `Okta refuses to delete ${name} (${app.id}): E0000056 "Delete application forbidden" — the app ` +
                'must be INACTIVE first, and it was re-activated right after this run deactivated it. Stop ' +
                'whatever activates it, deactivate it in the Okta admin console (Applications → the app → ' +
                'Active ▾ → Deactivate), then run the teardown again.',
              { cause: again },
            );
          });
        } else {
          throw error;
        }
      }
    }
    records.push(destroyRecord('okta-app', name, app.id, 'delete', reason, dryRun));
  }
  return records;
}
