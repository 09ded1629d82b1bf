/**
 * The IdP-initiated SAML sign-in of an `amazon_aws` app, as Okta performs it when a user clicks the app's
 * tile: the SAML response the app posts to AWS sign-in, signed with the app's current key.
 *
 * What the response carries (the OIN "AWS Account Federation" app):
 * - `Issuer` = the app's IdP entity ID (`http://www.okta.com/<externalKeyId>`, as in its metadata);
 * - `NameID` = the app username (`credentials.userName`), bearer subject confirmation with
 *   `Recipient` = `https://signin.aws.amazon.com/saml` and `NotOnOrAfter`;
 * - `Conditions` with the audience `urn:amazon:webservices` and a validity window (the app's
 *   `samlAssertionLifetimeSeconds`, default 300 s, either side of now);
 * - attributes `Role` (one value per role), `RoleSessionName` (= the app username) and `SessionDuration`
 *   (`settings.app.sessionDuration`).
 *
 * The Role values come from the app user's `samlRoles` (API-integration mode: role names Okta imported,
 * written `arn:aws:iam::<account>:role/<name>,<identityProviderArn>`), or, with
 * `settings.app.useGroupMapping`, from the user's groups that match `groupFilter`, each turned into a
 * value by `roleValuePattern` (with `joinAllRoles`, the assigned `samlRoles` are added to them).
 */
import {
  AWS_SAML_AUDIENCE,
  AWS_SIGNIN_SAML_URL,
  buildSamlResponseXml,
  encodeSamlResponse,
  signSamlResponse,
} from '../../saml/sign.js';
import { effectiveAppUsers } from './app-users.js';
import { InvalidGroupFilter, roleValueForGroup } from './group-mapping.js';
import { appSigningKey } from './keys.js';
import { idpEntityId } from './metadata.js';
import type { Json, JsonObject, OktaApp, OktaAppUser, OktaState, OktaUser } from './state.js';
import { usersWithLogin } from './user-index.js';
import { type Ctx, getObject, isObject, okta } from './util.js';

/** What AWS sign-in shows for a response it rejects without saying more (its own wording). */
const AWS_INVALID_SAML_RESPONSE = 'Your request included an invalid SAML response. To logout, click here.';

/** GovCloud's (`awsEnvironmentType` naming GovCloud). */
export const AWS_GOV_SIGNIN_URL = 'https://signin.amazonaws-us-gov.com/saml';
export const AWS_GOV_AUDIENCE = 'urn:amazon:webservices:govcloud';

/** What Okta put in a SAML response (also what tests and the sign-in's error details refer to). */
export interface OktaSamlClaims {
  issuer: string;
  /** The app username. */
  nameId: string;
  recipient: string;
  audience: string;
  /** Role attribute values, as sent (`<role-arn>,<provider-arn>` or as `roleValuePattern` writes them). */
  roles: string[];
  roleSessionName: string;
  sessionDuration: number;
  /** Epoch ms. */
  issuedAt: number;
  notOnOrAfter: number;
}

/** The outcome of {@link issueSamlResponse}. */
export type OktaSamlResult =
  | {
      ok: true;
      app: OktaApp;
      user: OktaUser;
      claims: OktaSamlClaims;
      /** The signed response XML. */
      xml: string;
      /** Base64 of the XML: the `SAMLResponse` form field. */
      samlResponse: string;
      /** The `RelayState` form field: the argument, else the app's `defaultRelayState`. */
      relayState: string | undefined;
      /** Where the browser posts the form (the app's ACS URL). */
      acsUrl: string;
      /** The signing key used. */
      kid: string;
    }
  | { ok: false; stage: 'okta'; message: string; detail: string };

type OktaFailure = Extract<OktaSamlResult, { ok: false }>;

const fail = (message: string, detail: string): OktaFailure => ({
  ok: false,
  stage: 'okta',
  message,
  detail,
});

/** What Okta's sign-in page says for an unknown, suspended or not yet activated user. */
export const OKTA_UNABLE_TO_SIGN_IN = 'Unable to sign in';

/** Okta's error page for a user the app is not assigned to. */
export function notAssignedMessage(app: OktaApp): string {
  return `403 App Not Assigned: Sorry, you can't access ${app.label} because you are not assigned this app in Okta. If you're wondering why this is happening, please contact your administrator.`;
}

/** Okta's page for an app sign-in link that leads nowhere (unknown or inactive app). */
export const OKTA_PAGE_NOT_FOUND = '404 Page Not Found: The page you are looking for cannot be found.';

// ---------------------------------------------------------------------------------------------------------
// Lookups

/** An app by id, else by exact label (the oldest of several with that label). */
export function findSamlApp(state: OktaState, appIdOrLabel: string): OktaApp | undefined {
  if (Object.hasOwn(state.apps, appIdOrLabel)) return state.apps[appIdOrLabel];
  return Object.values(state.apps)
    .filter((app) => app.label === appIdOrLabel)
    .sort((a, b) => a.created - b.created)[0];
}

/** An app by its IdP key (`exk…`), as the SSO URL names it. */
export function findAppByExternalKey(state: OktaState, externalKeyId: string): OktaApp | undefined {
  return Object.values(state.apps).find((app) => app.externalKeyId === externalKeyId);
}

/** A user by login (case-insensitive, as Okta's sign-in compares usernames) or id. */
export function findUserByLogin(state: OktaState, login: string): OktaUser | undefined {
  if (Object.hasOwn(state.users, login)) return state.users[login];
  return usersWithLogin(state, login)[0];
}

function settingsApp(app: OktaApp): JsonObject {
  return getObject(app.settings, 'app') ?? {};
}

function signOn(app: OktaApp): JsonObject {
  return getObject(app.settings, 'signOn') ?? {};
}

function nonEmptyString(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** `settings.app.identityProviderArn` (the first ARN, when several are listed). */
export function identityProviderArnOf(app: OktaApp): string | undefined {
  const value = nonEmptyString(settingsApp(app).identityProviderArn);
  return value
    ?.split(',')
    .map((arn) => arn.trim())
    .find((arn) => arn.startsWith('arn:'));
}

/** The `defaultRelayState` of the app's sign-on settings, when set. */
export function defaultRelayStateOf(app: OktaApp): string | undefined {
  return nonEmptyString(signOn(app).defaultRelayState);
}

// ---------------------------------------------------------------------------------------------------------
// The Role attribute

/**
 * Role values from `samlRoles` names: `arn:<partition>:iam::<account>:role/<name>,<identityProviderArn>`.
 * A name written `<account> -- <name>` (multi-account imports) names its account; `[alias] -- <name>` the
 * provider's.
 */
function rolesFromNames(names: readonly string[], providerArn: string): string[] {
  const match = /^arn:([^:]+):iam::(\d{12}):saml-provider\//.exec(providerArn);
  const partition = match?.[1] ?? 'aws';
  const providerAccount = match?.[2] ?? '';
  return names.map((entry) => {
    const split = /^(.*?)\s+--\s+(.+)$/.exec(entry);
    const prefix = split?.[1]?.trim();
    const name = split?.[2]?.trim() ?? entry;
    const account = prefix && /^\d{12}$/.test(prefix) ? prefix : providerAccount;
    return `arn:${partition}:iam::${account}:role/${name},${providerArn}`;
  });
}

function stringList(value: Json | undefined): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function groupsOf(state: OktaState, userId: string): string[] {
  return Object.values(state.groups)
    .filter((group) => group.members.includes(userId))
    .map((group) => (typeof group.profile.name === 'string' ? group.profile.name : ''))
    .filter((name) => name !== '')
    .sort();
}

/** The Role attribute values Okta sends for this app user, or a failure explaining why there are none. */
function roleValues(state: OktaState, app: OktaApp, appUser: OktaAppUser): string[] | OktaFailure {
  const settings = settingsApp(app);
  const names = stringList(isObject(appUser.profile) ? appUser.profile.samlRoles : undefined);
  const providerArn = identityProviderArnOf(app);
  const assigned = providerArn ? rolesFromNames(names, providerArn) : [];
  if (settings.useGroupMapping === true) {
    const groupFilter = nonEmptyString(settings.groupFilter);
    const roleValuePattern = nonEmptyString(settings.roleValuePattern);
    const values: string[] = [];
    if (groupFilter && roleValuePattern) {
      for (const name of groupsOf(state, appUser.userId)) {
        let mapped: string | undefined;
        try {
          mapped = roleValueForGroup(name, { groupFilter, roleValuePattern });
        } catch (error) {
          if (!(error instanceof InvalidGroupFilter)) throw error;
          return fail(
            AWS_INVALID_SAML_RESPONSE,
            `the app's group filter '${groupFilter}' is not a valid regular expression: Okta maps no group to a role`,
          );
        }
        if (mapped && !values.includes(mapped)) values.push(mapped);
      }
    }
    if (settings.joinAllRoles === true) for (const v of assigned) if (!values.includes(v)) values.push(v);
    if (values.length === 0) {
      return fail(
        AWS_INVALID_SAML_RESPONSE,
        `the app uses group mapping, and none of the user's groups (${groupsOf(state, appUser.userId).join(', ') || 'none'}) ` +
          `matches its group filter '${String(settings.groupFilter)}': Okta sends no Role attribute, and AWS sign-in rejects the response`,
      );
    }
    return values;
  }
  if (names.length === 0) {
    return fail(
      AWS_INVALID_SAML_RESPONSE,
      `the app user '${appUser.userName}' has no SAML role (profile.samlRoles is empty): Okta sends no Role attribute, and AWS sign-in rejects the response`,
    );
  }
  if (!providerArn) {
    return fail(
      AWS_INVALID_SAML_RESPONSE,
      `the app's settings.app.identityProviderArn is not set: Okta cannot write the provider half of the Role attribute`,
    );
  }
  return assigned;
}

// ---------------------------------------------------------------------------------------------------------
// The response

function numberSetting(value: Json | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function isGovCloud(app: OktaApp): boolean {
  const env = settingsApp(app).awsEnvironmentType;
  return typeof env === 'string' && /gov/i.test(env);
}

/**
 * Okta's side of the IdP-initiated sign-in: checks the app (exists, ACTIVE, `amazon_aws`) and the user
 * (exists, ACTIVE, assigned directly or through a group), builds the response the app sends and signs it
 * with the app's current signing key. `at` (epoch ms) is when Okta issues it (default the sandbox clock).
 */
export async function issueSamlResponse(
  ctx: Ctx,
  input: { app: string; login: string; relayState?: string | undefined; at?: number | undefined },
): Promise<OktaSamlResult> {
  const state = okta(ctx);
  const app = findSamlApp(state, input.app);
  if (!app) return fail(OKTA_PAGE_NOT_FOUND, `no Okta app has the id or label '${input.app}'`);
  if (app.status !== 'ACTIVE') {
    return fail(OKTA_PAGE_NOT_FOUND, `the Okta app '${app.label}' (${app.id}) is ${app.status}: activate it`);
  }
  if (app.name !== 'amazon_aws' || app.signOnMode !== 'SAML_2_0') {
    return fail(
      OKTA_PAGE_NOT_FOUND,
      `the Okta app '${app.label}' is '${app.name}' (${app.signOnMode}), not an amazon_aws SAML app`,
    );
  }
  const user = findUserByLogin(state, input.login);
  if (!user) return fail(OKTA_UNABLE_TO_SIGN_IN, `no Okta user has the login '${input.login}'`);
  if (user.status !== 'ACTIVE') {
    return fail(OKTA_UNABLE_TO_SIGN_IN, `the Okta user '${input.login}' is ${user.status}, not ACTIVE`);
  }
  const appUser = effectiveAppUsers(state, app).find((u) => u.userId === user.id);
  if (!appUser) {
    return fail(
      notAssignedMessage(app),
      `the Okta user '${input.login}' is assigned to the app '${app.label}' neither directly nor through a group`,
    );
  }
  const roles = roleValues(state, app, appUser);
  if (!Array.isArray(roles)) return roles;

  const issuedAt = input.at ?? ctx.now();
  const settings = settingsApp(app);
  const sign = signOn(app);
  const gov = isGovCloud(app);
  const recipient =
    nonEmptyString(sign.recipientOverride) ?? (gov ? AWS_GOV_SIGNIN_URL : AWS_SIGNIN_SAML_URL);
  const audience = nonEmptyString(sign.audienceOverride) ?? (gov ? AWS_GOV_AUDIENCE : AWS_SAML_AUDIENCE);
  const destination = nonEmptyString(sign.destinationOverride) ?? recipient;
  const acsUrl = nonEmptyString(sign.ssoAcsUrlOverride) ?? recipient;
  const lifetimeSeconds = numberSetting(sign.samlAssertionLifetimeSeconds, 300);
  const sessionDuration = numberSetting(settings.sessionDuration, 3600);
  const claims: OktaSamlClaims = {
    issuer: idpEntityId(app),
    nameId: appUser.userName,
    recipient,
    audience,
    roles,
    roleSessionName: appUser.userName,
    sessionDuration,
    issuedAt,
    notOnOrAfter: issuedAt + lifetimeSeconds * 1000,
  };
  const key = await appSigningKey(ctx, app.id);
  const digits = '0123456789';
  const unsigned = buildSamlResponseXml({
    issuer: claims.issuer,
    nameId: claims.nameId,
    now: issuedAt,
    lifetimeSeconds,
    recipient,
    destination,
    audiences: [audience],
    roles,
    roleSessionName: claims.roleSessionName,
    sessionDuration,
    responseId: `id${ctx.randomId(20, digits)}`,
    assertionId: `id${ctx.randomId(20, digits)}`,
  });
  const xml = signSamlResponse(unsigned, {
    privateKeyPem: key.privateKeyPem,
    certificateBase64: key.certificate,
  });
  return {
    ok: true,
    app,
    user,
    claims,
    xml,
    samlResponse: encodeSamlResponse(xml),
    relayState: input.relayState ?? defaultRelayStateOf(app),
    acsUrl,
    kid: key.kid,
  };
}
