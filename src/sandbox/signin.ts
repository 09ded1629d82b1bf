/**
 * The sign-in simulation: the IdP-initiated SAML flow from an Okta `amazon_aws` app through AWS sign-in
 * (`https://signin.aws.amazon.com/saml`) to the Amazon Connect federation, checked link by link.
 *
 * 1. Okta (./okta/saml.ts) issues the signed SAML response the app sends for a user.
 * 2. AWS sign-in picks the Role pair, finds the SAML provider it names, verifies the response against
 *    THAT provider's stored metadata (the library's `checkSamlResponse`: signature, issuer, audience,
 *    recipient, validity window, attributes), and assumes the role if its trust policy lets the provider
 *    federate with `sts:AssumeRoleWithSAML` (`SAML:aud` = the recipient).
 * 3. The console's Connect federate endpoint (the relay state) calls `connect:GetFederationToken` as
 *    the assumed-role session: the role's policies must allow it on
 *    `<instance-arn>/user/<role-id>:<RoleSessionName>` (`aws:userid` = `<role-id>:<RoleSessionName>`), the
 *    instance must exist and be ACTIVE, and a Connect user must be named exactly the RoleSessionName.
 *
 * Every failure carries the stage, the message a real user sees on the page, and a `detail` for the
 * developer naming the broken link. The two halves are also served over HTTP (see
 * {@link resolveSignInRoute}): Okta's SSO URL answers an auto-post form, and `POST /saml` plays AWS
 * sign-in and answers a redirect to the relay state or the error page.
 */
import { CONNECT_REGIONS } from '../core/regions.js';
import {
  AWS_AUDIENCE_MISSING,
  AWS_INVALID_SAML_RESPONSE,
  AWS_ISSUER_NOT_PRESENT,
  AWS_NOT_AUTHORIZED,
  AWS_PROVIDER_MISSING,
  AWS_ROLE_SESSION_NAME_INVALID,
  AWS_ROLE_SESSION_NAME_REQUIRED,
  AWS_SIGNATURE_INVALID,
  checkSamlResponse,
  parseRoleValue,
  type SamlCheck,
} from '../saml/response.js';
import {
  AWS_ROLE_ATTRIBUTE,
  AWS_SAML_AUDIENCE,
  AWS_SIGNIN_SAML_URL,
  SAML_ASSERTION_NS,
} from '../saml/sign.js';
import { attr, children, parseXmlStrict, textOf, walk } from '../saml/xmldsig.js';
import { federationTokenFor, findInstance } from './connect/index.js';
import type { ConnectInstanceState } from './connect/state.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse } from './emulator.js';
import { findRoleByArn, findSamlProviderByArn, rolePolicyDocuments } from './iam/index.js';
import {
  AWS_GOV_AUDIENCE,
  AWS_GOV_SIGNIN_URL,
  findAppByExternalKey,
  findSamlApp,
  issueSamlResponse,
} from './okta/saml.js';
import { evaluatePolicies, type PolicyDocument, parsePolicyDocument } from './policy.js';

// ---------------------------------------------------------------------------------------------------------
// Public shapes

/** The stage of the flow where a sign-in failed. */
export type SignInStage = 'okta' | 'signature' | 'saml' | 'trust' | 'policy' | 'connect';

/** Input of `sb.login`. */
export interface SignInInput {
  /** The Okta app: its id (`0oa…`) or its exact label. */
  app: string;
  /** The Okta user's login (case-insensitive, as Okta's sign-in page). */
  login: string;
  /** The relay state Okta posts; default the app's `settings.signOn.defaultRelayState`. */
  relayState?: string;
  /**
   * When AWS sign-in receives the response, epoch ms (default the sandbox clock). Okta issues the
   * response at the sandbox clock, so a later `at` ages it (past its `NotOnOrAfter` it has expired).
   */
  at?: number;
  /**
   * The role to choose on AWS's role picker when Okta sends several: a role ARN or name. Default the
   * first Role value.
   */
  role?: string;
}

/** A successful sign-in: the Connect user the session federates to, and where the browser lands. */
export interface SignInSuccess {
  /** Always `true`: tells a success from a {@link SignInFailure}. */
  ok: true;
  /** The Connect user the session federates to. */
  connectUser: {
    /** The Connect user id. */
    id: string;
    /** The Connect username: exactly the RoleSessionName. */
    username: string;
  };
  /** The relay state AWS sign-in redirected to (a Connect federate URL). */
  relayState: string;
  /** The relay state's `destination` (`/ccp-v2`…), undefined for the admin website. */
  destination: string | undefined;
  /** What `connect:GetFederationToken` returned for the session. */
  federation: {
    /** The Connect sign-in URL handed to the browser (`https://<alias>.my.connect.aws/auth/sign-in`). */
    signInUrl: string;
  };
  /** The ARN of the role assumed. */
  roleArn: string;
  /** The session name: the SAML `RoleSessionName` attribute (the Okta app username). */
  roleSessionName: string;
}

/** A failed sign-in. */
export interface SignInFailure {
  /** Always `false`: tells a failure from a {@link SignInSuccess}. */
  ok: false;
  /**
   * Where the flow broke:
   * - `okta`: Okta would not issue a response (unknown app or user, user not assigned…);
   * - `signature`: the response does not verify against the IAM provider's metadata;
   * - `saml`: another check of the response failed, or the SAML provider it names does not exist;
   * - `trust`: the role is missing, or its trust policy refuses the provider;
   * - `policy`: the role may not call `connect:GetFederationToken`;
   * - `connect`: the relay state is not a Connect federate URL, or the instance or the Connect user is
   *   missing.
   */
  stage: SignInStage;
  /** What the user sees on the page (Okta's, AWS sign-in's or Connect's). */
  message: string;
  /** For the developer: which link broke and what to change. */
  detail: string;
}

/** What `sb.login` resolves to: check `ok` to tell which. */
export type SignInResult = SignInSuccess | SignInFailure;

// ---------------------------------------------------------------------------------------------------------
// The messages users see (research/aws.md §1.8 and §4). AWS sign-in's come from the library's SAML checks,
// so that the sandbox and `verifySamlResponse` word them alike.

const MESSAGES = {
  signature: AWS_SIGNATURE_INVALID,
  noProvider: AWS_PROVIDER_MISSING,
  notAuthorized: AWS_NOT_AUTHORIZED,
  invalid: AWS_INVALID_SAML_RESPONSE,
  sessionNameMissing: AWS_ROLE_SESSION_NAME_REQUIRED,
  sessionNameInvalid: AWS_ROLE_SESSION_NAME_INVALID,
  /** The console's page when the role may not call `connect:GetFederationToken` (troubleshoot-saml). */
  accessDenied: 'Access denied, Please contact your AWS account administrator for assistance.',
  /** Connect's page when no user is named exactly the RoleSessionName (troubleshoot-saml). */
  notOnboarded:
    'Access Denied. Your account has been authenticated, but has not been onboarded to this application.',
  /** Not an error page: AWS sign-in succeeded, and the browser went to the console, not to Connect. */
  consoleInstead: 'You are signed in to the AWS Management Console, not to Amazon Connect.',
  /** GetFederationToken's answer for an instance that does not exist (or is not ACTIVE). */
  noInstance: 'Instance not found',
} as const;

/** AWS's wordings a failed check's message may start with, longest first. */
const AWS_WORDINGS = [
  AWS_SIGNATURE_INVALID,
  AWS_ISSUER_NOT_PRESENT,
  AWS_AUDIENCE_MISSING,
  AWS_ROLE_SESSION_NAME_REQUIRED,
  AWS_ROLE_SESSION_NAME_INVALID,
  AWS_NOT_AUTHORIZED,
  AWS_PROVIDER_MISSING,
  AWS_INVALID_SAML_RESPONSE,
].sort((a, b) => b.length - a.length);

function failure(stage: SignInStage, message: string, detail: string): SignInFailure {
  return { ok: false, stage, message, detail };
}

// ---------------------------------------------------------------------------------------------------------
// Relay state

/** A Connect federate URL, read: `https://<region>.console.aws.amazon.com/connect/federate/<id>?destination=…`. */
export interface FederateUrl {
  partition: 'aws' | 'aws-us-gov';
  region: string;
  instanceId: string;
  destination: string | undefined;
}

/**
 * Read a relay state as the AWS console does: the Connect federate endpoint on a console host
 * (`<region>.console.aws.amazon.com`, `console.aws.amazon.com` = us-east-1, GovCloud's
 * `console.amazonaws-us-gov.com`). Undefined for anything else.
 */
export function parseFederateUrl(relayState: string): FederateUrl | undefined {
  let url: URL;
  try {
    url = new URL(relayState);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const host = url.hostname.toLowerCase();
  const commercial = /^(?:([a-z]{2}-[a-z]+-\d)\.)?console\.aws\.amazon\.com$/.exec(host);
  const gov = /^(?:(us-gov-[a-z]+-\d)\.)?console\.amazonaws-us-gov\.com$/.exec(host);
  let partition: FederateUrl['partition'];
  let region: string;
  if (commercial) {
    partition = 'aws';
    region = commercial[1] ?? 'us-east-1';
  } else if (gov) {
    partition = 'aws-us-gov';
    region = gov[1] ?? 'us-gov-west-1';
  } else {
    return undefined;
  }
  const path = /^\/connect\/federate\/([^/]+)\/?$/.exec(url.pathname);
  const instanceId = path?.[1];
  if (!instanceId) return undefined;
  // `destination=%2Fccp-v2%26new_domain=true` (a documented form) decodes to `/ccp-v2&new_domain=true`.
  const raw = url.searchParams.get('destination');
  const destination = raw === null || raw === '' ? undefined : (raw.split('&')[0] ?? raw);
  return { partition, region, instanceId: decodeURIComponent(instanceId), destination };
}

// ---------------------------------------------------------------------------------------------------------
// AWS sign-in

/** The longest `SAMLAssertion` STS takes (AssumeRoleWithSAML: 4–100,000 characters of base64). */
const MAX_SAML_RESPONSE = 100_000;

interface RolePair {
  roleArn: string;
  providerArn: string;
}

/**
 * The Role values of a response, read BEFORE verification: only to choose which provider's metadata to
 * verify with (as AWS does). Everything acted upon afterwards comes from the verified assertion.
 */
function peekRoleValues(xml: string): string[] {
  const parsed = parseXmlStrict(xml);
  if (!parsed.ok) return [];
  const values: string[] = [];
  for (const { element } of walk(parsed.root)) {
    if (element.namespaceURI !== SAML_ASSERTION_NS || element.localName !== 'Attribute') continue;
    if (attr(element, 'Name') !== AWS_ROLE_ATTRIBUTE) continue;
    for (const value of children(element, SAML_ASSERTION_NS, 'AttributeValue'))
      values.push(textOf(value).trim());
  }
  return values;
}

function chooseRole(pairs: RolePair[], wanted: string | undefined): RolePair | undefined {
  if (wanted === undefined) return pairs[0];
  return pairs.find(
    (p) => p.roleArn === wanted || p.roleArn.endsWith(`:role/${wanted}`) || p.roleArn.endsWith(`/${wanted}`),
  );
}

function decodeSamlResponse(samlResponse: string): string | undefined {
  const compact = samlResponse.replace(/\s+/g, '');
  if (compact.length < 4 || compact.length > MAX_SAML_RESPONSE) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** The stage, the AWS wording and the detail of a failed check of `checkSamlResponse`. */
function samlCheckFailure(check: SamlCheck, providerName: string): SignInFailure {
  const wording = AWS_WORDINGS.find((w) => check.message.startsWith(w)) ?? MESSAGES.invalid;
  const detail = `${check.check}: ${check.message}${check.fix ? ` Fix: ${check.fix}` : ''}`;
  if (check.check === 'signature') {
    return failure(
      'signature',
      MESSAGES.signature,
      `${detail} (Checked against the metadata of the IAM SAML provider '${providerName}'.)`,
    );
  }
  return failure('saml', wording, detail);
}

/**
 * What AWS sign-in accepts as `Recipient` (and so as `SAML:aud`): the global and `static` endpoints,
 * GovCloud's, and the regional endpoints of the sandbox's region and of every Connect region.
 */
function awsRecipients(ctx: EmulatorContext): string[] {
  const regions = [...new Set([ctx.region, ...CONNECT_REGIONS])];
  return [
    AWS_SIGNIN_SAML_URL,
    'https://signin.aws.amazon.com/static/saml',
    ...regions.map((r) => `https://${r}.signin.aws.amazon.com/saml`),
    AWS_GOV_SIGNIN_URL,
  ];
}

/** A context whose "request region" is the relay state's (Connect instances are regional). */
function inRegion(ctx: EmulatorContext, region: string): EmulatorContext {
  return { ...ctx, signedRegion: region };
}

/**
 * AWS sign-in and the Connect federation for a posted `SAMLResponse` and `RelayState`. `at` is when
 * AWS receives it (default the sandbox clock); `role` chooses among several Role values.
 */
export function awsSamlSignIn(
  ctx: EmulatorContext,
  input: {
    samlResponse: string;
    relayState: string | undefined;
    at?: number | undefined;
    role?: string | undefined;
  },
): SignInResult {
  const now = input.at ?? ctx.now();
  const xml = decodeSamlResponse(input.samlResponse);
  if (xml === undefined) {
    return failure(
      'saml',
      MESSAGES.invalid,
      'the SAMLResponse form field is not base64 (or is longer than 100,000 characters)',
    );
  }

  // Role picker: the pairs as sent, the chosen one, its provider.
  const values = peekRoleValues(xml);
  const pairs = values.flatMap((v): RolePair[] => {
    const parsed = parseRoleValue(v);
    return parsed.ok ? [{ roleArn: parsed.roleArn, providerArn: parsed.providerArn }] : [];
  });
  if (values.length === 0) {
    return failure('saml', MESSAGES.invalid, `the response has no ${AWS_ROLE_ATTRIBUTE} attribute value`);
  }
  if (pairs.length === 0) {
    return failure(
      'saml',
      MESSAGES.invalid,
      `no Role value is a pair of a role ARN and a SAML provider ARN: ${values.map((v) => `'${v}'`).join(', ')}`,
    );
  }
  const chosen = chooseRole(pairs, input.role);
  if (!chosen) {
    return failure(
      'saml',
      MESSAGES.invalid,
      `none of the Role values names the role '${input.role}': ${values.join('; ')}`,
    );
  }
  const iam = ctx.state.iam;
  const provider = findSamlProviderByArn(iam, ctx.accountId, chosen.providerArn);
  if (!provider) {
    return failure(
      'saml',
      MESSAGES.noProvider,
      `the Role value names the SAML provider ${chosen.providerArn}, which does not exist in IAM (account ${ctx.accountId}): check the app's identityProviderArn`,
    );
  }

  // The response, checked against that provider's metadata.
  const report = checkSamlResponse(input.samlResponse, {
    metadata: provider.metadata,
    now,
    recipients: awsRecipients(ctx),
    audience: chosen.providerArn.startsWith('arn:aws-us-gov:') ? AWS_GOV_AUDIENCE : AWS_SAML_AUDIENCE,
  });
  // A bad signature is what AWS reports first: nothing else of an unverified response is trusted.
  const failed = report.checks.filter((c) => c.status === 'fail');
  const first = failed.find((c) => c.check === 'signature') ?? failed[0];
  if (first) return samlCheckFailure(first, provider.name);
  const assertion = report.assertion;
  if (!report.ok || !assertion) return failure('saml', MESSAGES.invalid, 'the response could not be read');
  const verifiedPair = assertion.roles.find(
    (r) => r.roleArn === chosen.roleArn && r.providerArn === chosen.providerArn,
  );
  if (!verifiedPair) {
    return failure('saml', MESSAGES.invalid, 'the chosen Role value is not in the signed assertion');
  }
  const sessionName = assertion.roleSessionName;
  if (sessionName === undefined) {
    return failure('saml', MESSAGES.sessionNameMissing, 'the assertion has no RoleSessionName attribute');
  }
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    return failure(
      'saml',
      MESSAGES.sessionNameInvalid,
      `RoleSessionName '${sessionName}' is not 2–64 of [a-zA-Z_0-9+=,.@-]`,
    );
  }

  // sts:AssumeRoleWithSAML: the role, its trust policy.
  const role = findRoleByArn(iam, ctx.accountId, verifiedPair.roleArn);
  if (!role) {
    return failure('trust', MESSAGES.notAuthorized, `the role ${verifiedPair.roleArn} does not exist in IAM`);
  }
  const trust = parseTrust(role.assumeRolePolicyDocument);
  const recipient = assertion.recipient ?? AWS_SIGNIN_SAML_URL;
  const trustDecision = trust
    ? evaluatePolicies([trust], {
        action: 'sts:AssumeRoleWithSAML',
        resource: role.arn,
        principal: { federated: provider.arn },
        context: {
          'SAML:aud': recipient,
          'SAML:iss': assertion.issuer,
          'SAML:sub': assertion.nameId ?? '',
          'aws:PrincipalAccount': ctx.accountId,
        },
      }).decision
    : 'ImplicitDeny';
  if (trustDecision !== 'Allow') {
    return failure(
      'trust',
      MESSAGES.notAuthorized,
      `the trust policy of role ${role.name} does not allow sts:AssumeRoleWithSAML for the federated principal ${provider.arn} with SAML:aud = ${recipient}` +
        (trustDecision === 'ExplicitDeny' ? ' (an explicit Deny)' : ''),
    );
  }
  role.lastUsed = { at: now, region: ctx.region };

  // The Connect federate endpoint: the relay state, connect:GetFederationToken, the instance, the user.
  const relayState = input.relayState;
  const federate = relayState === undefined ? undefined : parseFederateUrl(relayState);
  if (!relayState || !federate) {
    return failure(
      'connect',
      MESSAGES.consoleInstead,
      relayState
        ? `the relay state '${relayState}' is not a Connect federate URL (https://<region>.console.aws.amazon.com/connect/federate/<instance-id>): the browser lands on the AWS console, not in Connect`
        : 'there is no relay state (neither the app’s defaultRelayState nor one given): the browser lands on the AWS console, not in Connect',
    );
  }
  const userId = `${role.id}:${sessionName}`;
  const instanceArn = `arn:${federate.partition}:connect:${federate.region}:${ctx.accountId}:instance/${federate.instanceId}`;
  const resource = `${instanceArn}/user/${userId}`;
  const policyDecision = evaluatePolicies(rolePolicyDocuments(iam, role.name), {
    action: 'connect:GetFederationToken',
    resource,
    context: {
      'aws:userid': userId,
      'aws:PrincipalAccount': ctx.accountId,
      'aws:PrincipalArn': role.arn,
      'connect:InstanceId': federate.instanceId,
    },
  }).decision;
  if (policyDecision !== 'Allow') {
    return failure(
      'policy',
      MESSAGES.accessDenied,
      `the policies attached to role ${role.name} do not allow connect:GetFederationToken on ${resource}` +
        (policyDecision === 'ExplicitDeny'
          ? ' (an explicit Deny)'
          : ': attach a policy allowing it on <instance-arn>/user/${aws:userid} for this instance'),
    );
  }
  const regional = inRegion(ctx, federate.region);
  let instance: ConnectInstanceState;
  try {
    instance = findInstance(regional, federate.instanceId);
  } catch {
    return failure(
      'connect',
      MESSAGES.noInstance,
      `the relay state names the Connect instance ${federate.instanceId} in ${federate.region}, which does not exist`,
    );
  }
  if (instance.status !== 'ACTIVE') {
    return failure(
      'connect',
      `Instance ${instance.id} is not active: its status is ${instance.status}`,
      `the Connect instance ${instance.id} is ${instance.status}`,
    );
  }
  const exact = Object.hasOwn(instance.usernames, sessionName);
  if (!exact) {
    const lower = sessionName.toLowerCase();
    const near = Object.keys(instance.usernames).find((u) => u.toLowerCase() === lower);
    const note = near
      ? ` (The Connect user '${near}' differs from the RoleSessionName '${sessionName}' only in case: Connect usernames are case-sensitive.)`
      : '';
    return failure(
      'connect',
      `${MESSAGES.notOnboarded}${note}`,
      near
        ? `no Connect user of instance ${instance.id} is named exactly '${sessionName}'; '${near}' differs only in case: rename the Connect user (or the Okta app username) so that they match exactly`
        : `no Connect user of instance ${instance.id} is named '${sessionName}' (the RoleSessionName, i.e. the Okta app username): create it`,
    );
  }
  const token = federationTokenFor(regional, instance, sessionName);
  return {
    ok: true,
    connectUser: { id: token.UserId, username: sessionName },
    relayState,
    destination: federate.destination,
    federation: { signInUrl: token.SignInUrl },
    roleArn: role.arn,
    roleSessionName: sessionName,
  };
}

/** A role's trust policy (stored as sent; URL-encoded text is read too). */
function parseTrust(document: string): PolicyDocument | undefined {
  let text = document;
  if (!text.trimStart().startsWith('{')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  const parsed = parsePolicyDocument(text, 'trust', { maxLength: Number.MAX_SAFE_INTEGER });
  return parsed.ok ? parsed.document : undefined;
}

/** The whole IdP-initiated flow: Okta issues the response, AWS sign-in and Connect take it. */
export async function signIn(ctx: EmulatorContext, input: SignInInput): Promise<SignInResult> {
  const problems: string[] = [];
  if (typeof input?.app !== 'string' || input.app === '') problems.push('app: the Okta app id or label');
  if (typeof input?.login !== 'string' || input.login === '') problems.push("login: the Okta user's login");
  if (input?.at !== undefined && !Number.isFinite(input.at)) problems.push('at: epoch milliseconds');
  if (input?.relayState !== undefined && typeof input.relayState !== 'string')
    problems.push('relayState: a URL');
  if (input?.role !== undefined && typeof input.role !== 'string') problems.push('role: a role name or ARN');
  if (problems.length > 0) throw new TypeError(`sb.login: expected ${problems.join('; ')}`);
  const issued = await issueSamlResponse(ctx, {
    app: input.app,
    login: input.login,
    relayState: input.relayState,
  });
  if (!issued.ok) return failure('okta', issued.message, issued.detail);
  return awsSamlSignIn(ctx, {
    samlResponse: issued.samlResponse,
    relayState: issued.relayState,
    at: input.at,
    role: input.role,
  });
}

// ---------------------------------------------------------------------------------------------------------
// HTTP: Okta's SSO URL and app link, AWS sign-in's POST endpoint

/** A sign-in request the server recognised. */
export interface SignInRoute {
  /** For the request log (`okta` `SamlSso`), or undefined when the request is not logged (AWS sign-in). */
  log: { service: 'okta'; operation: string } | undefined;
  run(ctx: EmulatorContext): Promise<SandboxResponse>;
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function html(
  status: number,
  title: string,
  body: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/html;charset=utf-8', 'Cache-Control': 'no-cache, no-store', ...headers },
    body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
  };
}

function errorPage(result: SignInFailure): SandboxResponse {
  const status = result.stage === 'okta' ? (result.message.startsWith('404') ? 404 : 403) : 403;
  return html(
    status,
    result.stage === 'okta' ? 'Okta' : 'Amazon Web Services Sign-In',
    `<h1>${escapeHtml(result.message)}</h1><p id="stage">${escapeHtml(result.stage)}</p><p id="detail">${escapeHtml(result.detail)}</p>`,
    { 'X-Sandbox-Signin-Stage': result.stage },
  );
}

/** The auto-post form Okta answers the SSO URL with: the browser posts SAMLResponse and RelayState. */
function postForm(action: string, samlResponse: string, relayState: string | undefined): SandboxResponse {
  const relay =
    relayState === undefined
      ? ''
      : `<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}"/>`;
  return html(
    200,
    'Signing in…',
    `<form id="appForm" name="appForm" method="POST" action="${escapeHtml(action)}">` +
      `<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}"/>${relay}` +
      '<noscript><button type="submit">Continue</button></noscript></form>' +
      '<script>document.getElementById("appForm").submit();</script>',
  );
}

async function oktaSso(
  ctx: EmulatorContext,
  req: SandboxRequest,
  app: { byExternalKey: string } | { byId: string },
): Promise<SandboxResponse> {
  const state = ctx.state.okta;
  const found =
    'byExternalKey' in app ? findAppByExternalKey(state, app.byExternalKey) : findSamlApp(state, app.byId);
  const login = req.query.get('login') ?? req.query.get('username');
  if (!login) {
    return html(
      401,
      'Okta',
      '<h1>Sign In</h1><p>The sandbox has no sign-in page: add <code>?login=&lt;Okta login&gt;</code> to the URL.</p>',
    );
  }
  const relayParam = req.query.get('RelayState');
  const issued = await issueSamlResponse(ctx, {
    app: found?.id ?? ('byId' in app ? app.byId : app.byExternalKey),
    login,
    relayState: relayParam ?? undefined,
  });
  if (!issued.ok) return errorPage(failure('okta', issued.message, issued.detail));
  // The browser posts to AWS sign-in; in the sandbox that is this server's /saml.
  return postForm(`${ctx.origin}/saml`, issued.samlResponse, issued.relayState);
}

function awsSignInPost(ctx: EmulatorContext, req: SandboxRequest): SandboxResponse {
  const type = req.headers['content-type'] ?? '';
  const form = /x-www-form-urlencoded/i.test(type)
    ? new URLSearchParams(req.body.toString('utf8'))
    : undefined;
  const samlResponse = form?.get('SAMLResponse') ?? undefined;
  if (!samlResponse) {
    return errorPage(
      failure('saml', MESSAGES.invalid, 'expected a form-encoded POST with a SAMLResponse field'),
    );
  }
  const relayState = form?.get('RelayState') ?? undefined;
  const result = awsSamlSignIn(ctx, { samlResponse, relayState, role: form?.get('roleIndex') ?? undefined });
  if (!result.ok) return errorPage(result);
  return {
    status: 302,
    headers: {
      Location: result.relayState,
      'Content-Type': 'text/plain;charset=utf-8',
      'X-Sandbox-Connect-User': result.connectUser.username,
      'X-Sandbox-Connect-Sign-In-Url': result.federation.signInUrl,
    },
    body: '',
  };
}

/**
 * The sign-in routes, for requests without an AWS signature:
 * - `GET /app/amazon_aws/<externalKeyId>/sso/saml?login=…[&RelayState=…]` (the app's SSO URL, as in its
 *   metadata) and `GET /home/amazon_aws/<appId>/272?login=…` (the app's sign-in link): Okta's auto-post
 *   form with `SAMLResponse` and `RelayState` to `<origin>/saml`, or Okta's error page;
 * - `POST /saml` (form-encoded `SAMLResponse`, `RelayState`, optional `roleIndex` = a role ARN): AWS
 *   sign-in and the Connect federation; 302 to the relay state, or the error page (status 403, header
 *   `X-Sandbox-Signin-Stage`).
 */
export function resolveSignInRoute(req: SandboxRequest): SignInRoute | undefined {
  const method = req.method.toUpperCase();
  const sso = /^\/app\/amazon_aws\/([^/]+)\/sso\/saml\/?$/.exec(req.path);
  if (sso && (method === 'GET' || method === 'POST')) {
    const key = safeDecode(sso[1] ?? '');
    return {
      log: { service: 'okta', operation: 'SamlSso' },
      run: (ctx) => oktaSso(ctx, req, { byExternalKey: key }),
    };
  }
  const link = /^\/home\/amazon_aws\/([^/]+)\/\d+\/?$/.exec(req.path);
  if (link && method === 'GET') {
    const id = safeDecode(link[1] ?? '');
    return { log: { service: 'okta', operation: 'SamlSso' }, run: (ctx) => oktaSso(ctx, req, { byId: id }) };
  }
  if ((req.path === '/saml' || req.path === '/static/saml') && method === 'POST') {
    return { log: undefined, run: async (ctx) => awsSignInPost(ctx, req) };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
