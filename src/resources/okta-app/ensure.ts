/**
 * Guide step 5: the Okta "AWS Account Federation" app (OIN `amazon_aws`, SAML 2.0) whose Default Relay
 * State sends users to the Connect instance.
 *
 * Every call goes through the SDK's raw transport ({@link oktaRequest}): the SDK's typed application API
 * silently drops `settings.app` both ways, and Okta does not persist `settings.signOn.defaultRelayState`
 * when a create or replace carries no `settings.app` (design §5.1). So every write here sends the whole
 * app, `settings.app` and `defaultRelayState` together.
 */

import type { SsoContext } from '../../core/context.js';
import { ConflictError } from '../../core/errors.js';
import { actionFor } from '../../core/step.js';
import { isOktaError, isTransientOktaError, oktaRequest } from '../../providers/okta/transport.js';
import { parseIdpMetadata } from '../../saml/metadata.js';
import {
  clone,
  createBody,
  isObject,
  type ResolvedAppInput,
  reconcile,
  validate,
  WRITE_ONLY_APP_SETTINGS,
} from './desired.js';
import { setAppLifecycle } from './lifecycle.js';
import { appOwnership } from './ownership.js';
import {
  AWS_APP_NAME,
  fetchAppMetadata,
  findAppsByLabel,
  getOktaApp,
  type JsonObject,
  type OktaAppJson,
} from './read.js';
import type { FederationAppMetadata, OktaFederationAppInput, OktaFederationAppResult } from './types.js';

export { relayStateProblem, sessionDurationProblem } from './desired.js';
export { appOwnership, ownershipMarker } from './ownership.js';
export { AWS_APP_NAME, fetchAppMetadata, findAppsByLabel, getOktaApp, type OktaAppJson } from './read.js';
export type {
  FederationAppMetadata,
  OktaFederationAppInput,
  OktaFederationAppResult,
  OktaGroupMapping,
} from './types.js';

// ---------------------------------------------------------------------------------------------------------
// Public types

// ---------------------------------------------------------------------------------------------------------
// The app as Okta's JSON (only what this library reads; everything else is carried through untouched)

// ---------------------------------------------------------------------------------------------------------
// Ownership marker (the stack name in the app's admin notes)

// ---------------------------------------------------------------------------------------------------------
// Raw app calls shared with linkIdentityProvider

/**
 * The body of a full-replace PUT: the fetched app with every field kept, except the links (read-only)
 * and the write-only `settings.app` keys Okta reads back as null (sending null could clear them).
 */
export function replaceBody(app: OktaAppJson): JsonObject {
  const body: JsonObject = clone(app);
  delete body._links;
  delete body._embedded;
  const settings = body.settings;
  if (isObject(settings) && isObject(settings.app)) {
    const appSettings = settings.app;
    for (const key of WRITE_ONLY_APP_SETTINGS) if (appSettings[key] === null) delete appSettings[key];
  }
  return body;
}

/**
 * Full-replace PUT of an app fetched raw and modified. Refuses (a programming error) a body without
 * `settings.app`: Okta would drop the Default Relay State.
 */
export async function replaceOktaApp(ctx: SsoContext, app: OktaAppJson): Promise<OktaAppJson> {
  if (!isObject(app.settings?.app)) {
    throw new TypeError(
      'replaceOktaApp: the app must carry settings.app (Okta drops defaultRelayState without it)',
    );
  }
  const { data } = await oktaRequest<OktaAppJson>(ctx, 'ReplaceApplication', {
    method: 'PUT',
    path: `/api/v1/apps/${encodeURIComponent(app.id)}`,
    body: replaceBody(app),
  });
  return data;
}

// ---------------------------------------------------------------------------------------------------------
// Validation

// ---------------------------------------------------------------------------------------------------------
// Desired state

// ---------------------------------------------------------------------------------------------------------
// Discovery

/** The app's login link: `_links.appLinks[name=login]`, else the usual `/home/amazon_aws/<id>/272`. */
async function signInUrlOf(ctx: SsoContext, app: OktaAppJson): Promise<string> {
  const link = app._links?.appLinks?.find((l) => l.name === 'login')?.href;
  if (typeof link === 'string' && link.length > 0) return link;
  const client = await ctx.okta();
  return `${client.baseUrl}/home/${AWS_APP_NAME}/${app.id}/272`;
}

// ---------------------------------------------------------------------------------------------------------
// The step

/**
 * Create or converge the Okta `amazon_aws` (AWS Account Federation) app for a Connect instance.
 *
 * Finds the one `amazon_aws` app labelled exactly `label`; creates it inactive with its whole
 * configuration (`settings.app` and `settings.signOn.defaultRelayState` in the same request) and
 * activates it; or repairs drift (relay state, login URL, session duration, environment, group mapping)
 * by a full-replace PUT of the fetched app that keeps every other field — the `identityProviderArn`
 * written by `linkIdentityProvider` included — and activates an inactive app. Then reads the IdP
 * metadata of the current signing key.
 *
 * A second run with the same input makes no write (one list, one metadata read).
 *
 * @throws {ConfigError} for invalid input, before any request: a relay state that is not
 *   `https://…/connect/federate/<instance-id>` (an instance ARN in it is named as such), a label of
 *   more than 100 characters, a session duration outside 900–43200.
 * @throws {ConflictError} when two `amazon_aws` apps carry the label (both ids listed), or when the app
 *   with the label was not made by this stack (no `managed-by connect-okta-sso stack <stack>` in its
 *   admin notes) and `adopt` is not set.
 * @throws {ProviderError} for Okta errors.
 */
export async function createOktaFederationApp(
  ctx: SsoContext,
  input: OktaFederationAppInput,
): Promise<OktaFederationAppResult> {
  const desired = validate(input);
  const resource = `okta app ${AWS_APP_NAME} '${desired.label}'`;

  const matches = await findAppsByLabel(ctx, desired.label);
  if (matches.length > 1) {
    throw new ConflictError(
      resource,
      `${matches.length} Okta ${AWS_APP_NAME} apps are labelled '${desired.label}' (${matches
        .map((a) => `${a.id} ${a.status}`)
        .join(', ')}); labels are the key of this step. Rename or delete all but one, then run again.`,
    );
  }
  const existing = matches[0];

  let adopting = false;
  if (existing) {
    const ownership = appOwnership(ctx, existing);
    if (ownership.owner !== 'ours') {
      if (!desired.adopt) {
        const whose =
          ownership.owner === 'other-stack'
            ? `it belongs to stack ${ownership.stacks.map((s) => `'${s}'`).join(', ')}`
            : 'it was not created by connect-okta-sso (its admin notes carry no ownership marker)';
        throw new ConflictError(
          resource,
          `The Okta app '${desired.label}' (${existing.id}) exists but ${whose}, not stack '${ctx.stack}'. ` +
            'Choose another label, or pass adopt: true to manage this app (its configuration will be changed).',
        );
      }
      adopting = true;
    }
  }

  let app: OktaAppJson | undefined = existing;
  let changes: string[];
  // Another run of the same config may create the app between our list and our create (createApp).
  const made = !existing && !desired.dryRun ? await createApp(ctx, desired, resource) : undefined;
  if (!existing && (!made || made.created)) {
    changes = [`create ${AWS_APP_NAME} app '${desired.label}' (SAML 2.0) and activate it`];
    if (made) {
      await setAppLifecycle(ctx, made.app, 'activate');
      app = { ...made.app, status: 'ACTIVE' };
    }
  } else {
    const found = (existing ?? made?.app) as OktaAppJson;
    let current: OktaAppJson = found;
    changes = reconcile(ctx, found, desired, adopting).changes;
    if (!desired.dryRun && changes.length > 0) {
      // Full replace of the freshest copy, so that fields changed since the list are kept.
      const fresh = await getOktaApp(ctx, found.id);
      const next = reconcile(ctx, fresh, desired, adopting && appOwnership(ctx, fresh).owner !== 'ours');
      changes = next.changes;
      current = fresh;
      if (next.changes.length > 0) {
        current = await replaceOktaApp(ctx, next.app);
        ctx.logger.info(`updated okta app ${AWS_APP_NAME} '${desired.label}' (${found.id})`, {
          appId: found.id,
          changes: next.changes,
        });
      }
    }
    if (current.status !== 'ACTIVE') {
      changes.push(`status: ${current.status} → ACTIVE`);
      if (!desired.dryRun) {
        await setAppLifecycle(ctx, current, 'activate');
        current = { ...current, status: 'ACTIVE' };
      }
    }
    app = current;
  }

  let metadataXml: string | undefined;
  let metadata: FederationAppMetadata | undefined;
  let signInUrl: string | undefined;
  if (app) {
    metadataXml = await fetchAppMetadata(ctx, app);
    metadata = { ...parseIdpMetadata(metadataXml, 'metadata'), xml: metadataXml };
    signInUrl = await signInUrlOf(ctx, app);
  }
  return {
    action: actionFor(existing !== undefined || made?.created === false, changes),
    resource,
    changes,
    dryRun: desired.dryRun,
    appId: app?.id,
    label: desired.label,
    status: 'ACTIVE',
    signingKid: app?.credentials?.signing?.kid,
    metadataXml,
    metadata,
    relayState: desired.relayState,
    signInUrl,
    features: [...(app?.features ?? [])],
  };
}

/** How often a create is tried when runs keep colliding or the answer keeps getting lost. */
const CREATE_ATTEMPTS = 3;

/** A short random pause, so that two colliding runs do not collide again. */
async function jitter(ctx: SsoContext, attempt: number): Promise<void> {
  await ctx.clock.sleep(Math.round((50 + Math.random() * 200) * attempt), ctx.signal);
}

/**
 * Create the app (inactive) so that two runs of one config never end with two apps, though Okta labels
 * are not unique and Okta has no conditional create:
 *
 * - After the create, list the label again. If another app of this stack appeared meanwhile, another
 *   run is creating it too: delete ours (still inactive, never used), then use theirs — or, when both
 *   runs saw each other and both stepped back, try again after a random pause. A run keeps its app only
 *   if its list after the create shows no other; of two runs, the later creator always sees the earlier
 *   one's app, so at most one keeps its app.
 * - When the create's answer is lost (a 5xx or a reset connection), list the label: the app is there
 *   (use it) or not (create again). The POST is never repeated blindly.
 *
 * Returns the app and whether this run created it (`false`: another run's, to converge like an existing
 * app).
 */
async function createApp(
  ctx: SsoContext,
  desired: ResolvedAppInput,
  resource: string,
): Promise<{ app: OktaAppJson; created: boolean }> {
  const ours = async () =>
    (await findAppsByLabel(ctx, desired.label)).filter((a) => appOwnership(ctx, a).owner === 'ours');
  for (let attempt = 1; ; attempt++) {
    let mine: OktaAppJson | undefined;
    try {
      mine = (
        await oktaRequest<OktaAppJson>(ctx, 'CreateApplication', {
          method: 'POST',
          path: '/api/v1/apps',
          query: { activate: false },
          body: createBody(ctx, desired),
        })
      ).data;
      ctx.logger.info(`created okta app ${AWS_APP_NAME} '${desired.label}' (${mine.id})`, { appId: mine.id });
    } catch (error) {
      if (!isTransientOktaError(error) || attempt >= CREATE_ATTEMPTS) throw error;
      ctx.logger.debug(
        'okta CreateApplication: the answer was lost; looking for the app before trying again',
      );
    }
    let found = await ours();
    if (mine) {
      const id = mine.id;
      const others = found.filter((a) => a.id !== id);
      if (others.length === 0) return { app: mine, created: true };
      // Another run created one too: step back (ours is inactive and unused).
      await oktaRequest<unknown>(ctx, 'DeleteApplication', {
        method: 'DELETE',
        path: `/api/v1/apps/${encodeURIComponent(id)}`,
      }).catch((error: unknown) => {
        if (!(isOktaError(error, 'E0000007') || isOktaError(error, 404))) throw error;
      });
      ctx.logger.info(
        `deleted okta app ${AWS_APP_NAME} '${desired.label}' (${id}): another run created ${others
          .map((a) => a.id)
          .join(', ')} at the same time`,
        { appId: id },
      );
      await jitter(ctx, attempt);
      found = await ours();
    }
    // Several: another run has not stepped back yet; give it a moment.
    for (let wait = 1; found.length > 1 && wait <= CREATE_ATTEMPTS; wait++) {
      await jitter(ctx, wait);
      found = await ours();
    }
    if (found.length === 1 && found[0]) return { app: found[0], created: false };
    if (found.length > 1 || attempt >= CREATE_ATTEMPTS) {
      throw new ConflictError(
        resource,
        found.length === 0
          ? `another run of stack '${ctx.stack}' kept creating the Okta app '${desired.label}' at the same time as this one; run again`
          : `${found.length} Okta ${AWS_APP_NAME} apps labelled '${desired.label}' appeared while this run created one (${found
              .map((a) => `${a.id} ${a.status}`)
              .join(
                ', ',
              )}): another run of stack '${ctx.stack}' is creating it too. Run again when it is done.`,
      );
    }
    // None: the create did not happen (or both runs stepped back): create again.
  }
}
