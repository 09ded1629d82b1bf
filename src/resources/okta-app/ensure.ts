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
import { ConfigError, ConflictError } from '../../core/errors.js';
import { actionFor, type StepOptions, type StepResultBase } from '../../core/step.js';
import { CONNECT_INSTANCE_ID } from '../../providers/aws/arn.js';
import { isOktaError, isTransientOktaError, oktaRequest } from '../../providers/okta/transport.js';
import { type IdpMetadata, parseIdpMetadata } from '../../saml/metadata.js';
import {
  AWS_APP_NAME,
  fetchAppMetadata,
  findAppsByLabel,
  getOktaApp,
  type JsonObject,
  type OktaAppJson,
} from './read.js';

export { AWS_APP_NAME, fetchAppMetadata, findAppsByLabel, getOktaApp, type OktaAppJson } from './read.js';

/** The `settings.app` keys Okta never returns (write-only) and that a replace must not send back as null. */
const WRITE_ONLY_APP_SETTINGS = ['secretKey', 'accessKey'] as const;

// ---------------------------------------------------------------------------------------------------------
// Public types

/** Okta's group mapping: the SAML Role attribute derived from Okta group names (design §5.4). */
export interface OktaGroupMapping {
  /**
   * Okta's group filter, a regular expression in Okta's dialect with named captures
   * (`aws_(?{{accountid}}\d+)_(?{{role}}[a-zA-Z0-9+=,.@\-_]+)`).
   */
  groupFilter: string;
  /**
   * The Role attribute value built from the captures
   * (`arn:aws:iam::${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::${accountid}:role/${role}`).
   */
  roleValuePattern: string;
  /** Join the roles of every matching group into one sign-in choice. Default false. */
  joinAllRoles?: boolean;
}

/** Input of {@link createOktaFederationApp}. */
export interface OktaFederationAppInput extends StepOptions {
  /**
   * The app's label, 1–100 characters; the natural key: the step manages the one `amazon_aws` app with
   * exactly this label (Okta labels are not unique, so two apps with it are a conflict).
   */
  label: string;
  /**
   * The Default Relay State: where Okta sends the browser after sign-in, the Connect federation URL
   * `https://<region>.console.aws.amazon.com/connect/federate/<instance-id>[?destination=…]`. Build it
   * with `buildRelayState`. It is also the app's Login URL.
   */
  relayState: string;
  /** The AWS console session duration Okta asks for, in seconds, 900–43200. Default 3600. */
  sessionDuration?: number;
  /** The app's "AWS Environment". Default `aws.amazon` (commercial AWS). */
  awsEnvironmentType?: string;
  /**
   * Derive the SAML roles from Okta group names instead of the roles Okta imports through the API
   * integration (design §5.4). Absent: group mapping is turned off.
   */
  groupMapping?: OktaGroupMapping;
  /**
   * Manage an existing app with this label that this stack did not create (its admin notes lack our
   * marker): the marker is added and the app is configured like ours. Default false (a `ConflictError`).
   */
  adopt?: boolean;
}

/** The app's IdP metadata: the parsed form plus the XML it came from (what IAM's SAML provider takes). */
export type FederationAppMetadata = IdpMetadata & {
  /** The metadata document as Okta served it. */
  xml: string;
};

/** What {@link createOktaFederationApp} did (or, with `dryRun`, would do). */
export interface OktaFederationAppResult extends StepResultBase {
  /** The Okta app id (`0oa…`); undefined on a dry run that would create the app. */
  appId: string | undefined;
  /** The app's label: the input's `label`. */
  label: string;
  /** The app's status after the step (a dry run reports the status the run would leave). */
  status: 'ACTIVE' | 'INACTIVE';
  /** The kid of the app's current signing key (`credentials.signing.kid`); undefined when not yet created. */
  signingKid: string | undefined;
  /** The IdP metadata XML for the current signing key; undefined when the app does not exist yet. */
  metadataXml: string | undefined;
  /** The parsed IdP metadata (with its XML); pass it to `linkIdentityProvider`. Undefined when not yet created. */
  metadata: FederationAppMetadata | undefined;
  /** The relay state the app is configured with. */
  relayState: string;
  /** The app's sign-in link (IdP-initiated flow): what users click; undefined when not yet created. */
  signInUrl: string | undefined;
  /** The app's `features` (`PUSH_NEW_USERS` appears once the API integration is enabled in the console). */
  features: string[];
}

// ---------------------------------------------------------------------------------------------------------
// The app as Okta's JSON (only what this library reads; everything else is carried through untouched)

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const show = (v: unknown): string =>
  v === undefined || v === null ? 'unset' : typeof v === 'string' ? `'${v}'` : String(v);

// ---------------------------------------------------------------------------------------------------------
// Ownership marker (the stack name in the app's admin notes)

const MARKER_PREFIX = 'managed-by connect-okta-sso stack ';

/** The line this library writes into `settings.notes.admin` of the apps it manages. */
export function ownershipMarker(stack: string): string {
  return `${MARKER_PREFIX}${stack}`;
}

/** The stacks named by markers in an app's admin notes. */
function markedStacks(notes: unknown): string[] {
  if (typeof notes !== 'string') return [];
  const stacks: string[] = [];
  for (const m of notes.matchAll(/(?:^|\s)managed-by connect-okta-sso stack (\S+)/g)) {
    if (m[1]) stacks.push(m[1]);
  }
  return stacks;
}

/** Whose an app is: ours, another stack's (named), or nobody's we know. */
export function appOwnership(
  ctx: Pick<SsoContext, 'stack'>,
  app: OktaAppJson,
): { owner: 'ours' } | { owner: 'other-stack'; stacks: string[] } | { owner: 'foreign' } {
  const stacks = markedStacks(app.settings?.notes?.admin);
  if (stacks.includes(ctx.stack)) return { owner: 'ours' };
  return stacks.length > 0 ? { owner: 'other-stack', stacks } : { owner: 'foreign' };
}

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

const ARN_IN_TEXT = /arn:aws[a-z-]*:connect:[a-z0-9-]*:\d{12}:instance\/([^/?&#\s]+)/;

/** Check a relay state URL; returns a message, or undefined when it is good. */
export function relayStateProblem(relayState: unknown): string | undefined {
  if (typeof relayState !== 'string' || relayState.length === 0) {
    return 'the relay state URL is required (build it with buildRelayState)';
  }
  let decoded = relayState;
  try {
    decoded = decodeURIComponent(relayState);
  } catch {
    // Keep the raw text; the URL check below reports it.
  }
  const arn = ARN_IN_TEXT.exec(decoded);
  if (arn) {
    return (
      `contains the Connect instance ARN; the relay state needs the instance id ('${arn[1]}'). ` +
      'Build it with buildRelayState({ region, instanceId })'
    );
  }
  let url: URL;
  try {
    url = new URL(relayState);
  } catch {
    return `'${relayState}' is not a URL; build it with buildRelayState({ region, instanceId })`;
  }
  if (url.protocol !== 'https:') return `must be an https URL, got '${url.protocol}'`;
  const m = /^\/connect\/federate\/([^/]+)$/.exec(url.pathname);
  if (!m) {
    return `the path must be /connect/federate/<instance-id>, got '${url.pathname}'; build it with buildRelayState`;
  }
  if (!CONNECT_INSTANCE_ID.test(m[1] ?? '')) {
    return `'${m[1]}' in the path is not a Connect instance id (a lower-case UUID); build it with buildRelayState`;
  }
  if (relayState.length > 1024) return 'is longer than 1024 characters';
  return undefined;
}

/** Check a session duration (AWS accepts 900–43200 s). */
export function sessionDurationProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 900 || value > 43_200) {
    return `must be a whole number of seconds from 900 to 43200, got ${show(value)}`;
  }
  return undefined;
}

interface ResolvedAppInput {
  label: string;
  relayState: string;
  sessionDuration: number;
  awsEnvironmentType: string;
  groupMapping: Required<OktaGroupMapping> | undefined;
  adopt: boolean;
  dryRun: boolean;
}

function validate(input: OktaFederationAppInput): ResolvedAppInput {
  if (!isObject(input)) throw new ConfigError('input', 'expected an object');
  const issues: { field: string; message: string }[] = [];
  const issue = (field: string, message: string | undefined) => {
    if (message) issues.push({ field, message });
  };
  const { label, relayState, sessionDuration = 3600, awsEnvironmentType = 'aws.amazon' } = input;
  if (typeof label !== 'string' || label.trim().length === 0) issue('label', 'a non-empty label is required');
  else if (label.length > 100) issue('label', `must be at most 100 characters, got ${label.length}`);
  else if (label !== label.trim()) issue('label', 'must not start or end with white space');
  issue('relayState', relayStateProblem(relayState));
  issue('sessionDuration', sessionDurationProblem(sessionDuration));
  if (typeof awsEnvironmentType !== 'string' || !/^[a-z][a-z0-9.-]{0,63}$/.test(awsEnvironmentType)) {
    issue(
      'awsEnvironmentType',
      `expected an Okta AWS environment such as 'aws.amazon', got ${show(awsEnvironmentType)}`,
    );
  }
  let groupMapping: Required<OktaGroupMapping> | undefined;
  if (input.groupMapping !== undefined) {
    const g = input.groupMapping;
    if (!isObject(g)) issue('groupMapping', 'expected { groupFilter, roleValuePattern, joinAllRoles? }');
    else {
      const text = (field: keyof OktaGroupMapping, value: unknown) => {
        if (typeof value !== 'string' || value.trim().length === 0)
          issue(`groupMapping.${field}`, 'is required');
        else if (value.length > 1024) issue(`groupMapping.${field}`, 'must be at most 1024 characters');
      };
      text('groupFilter', g.groupFilter);
      text('roleValuePattern', g.roleValuePattern);
      if (g.joinAllRoles !== undefined && typeof g.joinAllRoles !== 'boolean') {
        issue('groupMapping.joinAllRoles', 'must be a boolean');
      }
      groupMapping = {
        groupFilter: g.groupFilter,
        roleValuePattern: g.roleValuePattern,
        joinAllRoles: g.joinAllRoles ?? false,
      };
    }
  }
  for (const flag of ['adopt', 'dryRun'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') issue(flag, 'must be a boolean');
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  return {
    label,
    relayState,
    sessionDuration,
    awsEnvironmentType,
    groupMapping,
    adopt: input.adopt ?? false,
    dryRun: input.dryRun ?? false,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Desired state

/** The `settings.app` keys this step manages, for the given input. */
function desiredAppSettings(input: ResolvedAppInput): JsonObject {
  return {
    awsEnvironmentType: input.awsEnvironmentType,
    loginURL: input.relayState,
    sessionDuration: input.sessionDuration,
    ...(input.groupMapping
      ? {
          useGroupMapping: true,
          groupFilter: input.groupMapping.groupFilter,
          roleValuePattern: input.groupMapping.roleValuePattern,
          joinAllRoles: input.groupMapping.joinAllRoles,
        }
      : { useGroupMapping: false }),
  };
}

const SETTING_LABELS: Record<string, string> = {
  awsEnvironmentType: 'AWS environment type',
  loginURL: 'login URL',
  sessionDuration: 'session duration',
  useGroupMapping: 'use group mapping',
  groupFilter: 'group filter',
  roleValuePattern: 'role value pattern',
  joinAllRoles: 'join all roles',
};

/**
 * The app as it should be: `current` with the managed fields set. Returns the new app and the changes
 * (empty when nothing differs). Every other field — `identityProviderArn` included — is kept.
 */
function reconcile(
  ctx: Pick<SsoContext, 'stack'>,
  current: OktaAppJson,
  input: ResolvedAppInput,
  adopting: boolean,
): { app: OktaAppJson; changes: string[] } {
  const app = clone(current);
  const changes: string[] = [];
  const settings = isObject(app.settings) ? app.settings : {};
  app.settings = settings;
  const appSettings = isObject(settings.app) ? settings.app : {};
  settings.app = appSettings;
  const signOn = isObject(settings.signOn) ? settings.signOn : {};
  settings.signOn = signOn;

  if (app.signOnMode !== 'SAML_2_0') {
    changes.push(`sign-on mode: ${show(app.signOnMode)} → 'SAML_2_0'`);
    app.signOnMode = 'SAML_2_0';
  }
  if (signOn.defaultRelayState !== input.relayState) {
    changes.push(`relay state: ${show(signOn.defaultRelayState)} → '${input.relayState}'`);
    signOn.defaultRelayState = input.relayState;
  }
  for (const [key, value] of Object.entries(desiredAppSettings(input))) {
    if (appSettings[key] !== value) {
      changes.push(`${SETTING_LABELS[key] ?? key}: ${show(appSettings[key])} → ${show(value)}`);
      appSettings[key] = value;
    }
  }
  if (adopting) {
    const notes = isObject(settings.notes) ? settings.notes : {};
    settings.notes = notes;
    const admin = typeof notes.admin === 'string' && notes.admin.length > 0 ? notes.admin : undefined;
    notes.admin = admin ? `${admin}\n${ownershipMarker(ctx.stack)}` : ownershipMarker(ctx.stack);
    changes.push(`admin notes: ownership marker '${ownershipMarker(ctx.stack)}' added (adopted)`);
  }
  return { app, changes };
}

/** The body of the create call: everything the step manages, `settings.app` and the relay state together. */
function createBody(ctx: Pick<SsoContext, 'stack'>, input: ResolvedAppInput): JsonObject {
  return {
    name: AWS_APP_NAME,
    label: input.label,
    signOnMode: 'SAML_2_0',
    settings: {
      app: desiredAppSettings(input),
      signOn: { defaultRelayState: input.relayState },
      notes: { admin: ownershipMarker(ctx.stack), enduser: null },
    },
  };
}

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
      await activate(ctx, made.app);
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
        await activate(ctx, current);
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

async function activate(ctx: SsoContext, app: OktaAppJson): Promise<void> {
  await oktaRequest<unknown>(ctx, 'ActivateApplication', {
    method: 'POST',
    path: `/api/v1/apps/${encodeURIComponent(app.id)}/lifecycle/activate`,
    // Activating an active app changes nothing: safe to repeat after a lost answer.
    retry: true,
  });
  ctx.logger.info(`activated okta app ${AWS_APP_NAME} '${app.label}' (${app.id})`, { appId: app.id });
}
