/**
 * What an app's body holds and becomes (./apps.ts): the OIN catalog the sandbox knows (`amazon_aws`), the
 * defaults of `accessibility`, `visibility` and `credentials.userNameTemplate`, the validation of a
 * create or full replace, and the `settings` it stores (research/okta.md §1.1–1.6).
 */
import { blankField, notAllowedValue, validationFailed } from './errors.js';
import type { Json, JsonObject } from './state.js';
import { clone, getObject, isObject, mergeDefaults } from './util.js';

// ---------------------------------------------------------------------------------------------------------
// The OIN catalog the sandbox knows

/** What the sandbox knows of one OIN catalog app. */
export interface OinApp {
  signOnModes: readonly string[];
  /** `settings.app` of a new instance; the keys given on create/replace are laid over these. */
  settingsApp: JsonObject;
  /** Keys of `settings.app` that are write-only (always read back as null). */
  writeOnly: readonly string[];
  /** The number at the end of the app's login link (`/home/<name>/<id>/<n>`). */
  appLinkNumber: number;
}

const OIN: Readonly<Record<string, OinApp>> = {
  amazon_aws: {
    signOnModes: ['SAML_2_0'],
    settingsApp: {
      awsEnvironmentType: 'aws.amazon',
      appFilter: 'okta',
      groupFilter: 'aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)',
      joinAllRoles: false,
      loginURL: 'https://console.aws.amazon.com/ec2/home',
      roleValuePattern: 'arn:aws:iam::${accountid}:saml-provider/OKTA,arn:aws:iam::${accountid}:role/${role}',
      sessionDuration: 3600,
      useGroupMapping: false,
      identityProviderArn: null,
      webSSOAllowedClient: null,
      secretKey: null,
    },
    writeOnly: ['secretKey', 'accessKey'],
    appLinkNumber: 272,
  },
};

/** The writable part of `settings.signOn` of an OIN SAML app (`OINSaml20ApplicationSettingsSignOn`). */
const SIGN_ON_DEFAULTS: JsonObject = {
  defaultRelayState: null,
  ssoAcsUrlOverride: null,
  audienceOverride: null,
  recipientOverride: null,
  destinationOverride: null,
  attributeStatements: [],
};
const SIGN_ON_WRITABLE = new Set([...Object.keys(SIGN_ON_DEFAULTS), 'samlAssertionLifetimeSeconds']);

/** `accessibility` of an app, under what the body gives. */
export const ACCESSIBILITY_DEFAULTS: JsonObject = {
  selfService: false,
  errorRedirectUrl: null,
  loginRedirectUrl: null,
};
/** `visibility` of an app, under what the body gives. */
export const VISIBILITY_DEFAULTS: JsonObject = {
  autoLaunch: false,
  autoSubmitToolbar: false,
  hide: { iOS: false, web: false },
  appLinks: { login: true },
};
/** `credentials.userNameTemplate` of an app, under what the body gives. */
export const USER_NAME_TEMPLATE_DEFAULTS: JsonObject = { template: '${source.login}', type: 'BUILT_IN' };

/** The catalog entry of an OIN app name, if the sandbox emulates it. */
export function oinApp(name: string): OinApp | undefined {
  return Object.hasOwn(OIN, name) ? OIN[name] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Validation and settings

/** A create or replace body once checked. */
export interface AppInput {
  label: string;
  signOnMode: string;
  oin: OinApp;
  body: JsonObject;
}

/** Check a create or replace body (`name`: the body's on create, the app's on replace). @throws 400 E0000001 */
export function validateAppBody(body: JsonObject, name: Json | undefined): AppInput {
  const label = body.label;
  if (typeof label !== 'string' || label.trim() === '') throw blankField('label');
  if (typeof name !== 'string' || name === '') {
    throw validationFailed(
      'name',
      'name: The sandbox emulates only the OIN app amazon_aws; send name "amazon_aws".',
    );
  }
  const oin = oinApp(name);
  if (!oin) throw notAllowedValue('name', name);
  const signOnMode = body.signOnMode;
  if (typeof signOnMode !== 'string' || signOnMode === '') throw blankField('signOnMode');
  if (!oin.signOnModes.includes(signOnMode)) throw notAllowedValue('signOnMode', signOnMode);
  const settings = body.settings;
  if (settings !== undefined && settings !== null && !isObject(settings)) {
    throw validationFailed('settings', 'settings: The field must be an object');
  }
  return { label, signOnMode, oin, body };
}

function sanitizeSettingsApp(oin: OinApp, given: JsonObject): JsonObject {
  const out = mergeDefaults(oin.settingsApp, given);
  for (const key of oin.writeOnly) if (key in out) out[key] = null;
  return out;
}

/**
 * `settings` after a create (`previous` undefined) or a full replace. Without `settings.app` in the
 * request the app keeps (or gets default) app settings, and `defaultRelayState` is not persisted.
 */
export function buildSettings(
  oin: OinApp,
  given: JsonObject | undefined,
  previous: JsonObject | undefined,
): JsonObject {
  const givenApp = given ? getObject(given, 'app') : undefined;
  const previousApp = previous ? getObject(previous, 'app') : undefined;
  const app = givenApp
    ? sanitizeSettingsApp(oin, givenApp)
    : previousApp
      ? clone(previousApp)
      : clone(oin.settingsApp);

  const signOn = clone(SIGN_ON_DEFAULTS);
  const givenSignOn = given ? getObject(given, 'signOn') : undefined;
  if (givenSignOn) {
    for (const [key, value] of Object.entries(givenSignOn))
      if (SIGN_ON_WRITABLE.has(key)) signOn[key] = clone(value);
  }
  if (!givenApp) signOn.defaultRelayState = null;

  const notes = mergeDefaults({ admin: null, enduser: null }, given ? getObject(given, 'notes') : undefined);
  const implicitAssignment = given?.implicitAssignment === true;
  return {
    app,
    notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } },
    manualProvisioning: false,
    implicitAssignment,
    notes,
    signOn,
  };
}
