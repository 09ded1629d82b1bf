/**
 * `sb.login`: the whole IdP-initiated flow — Okta issues the response for the user and app, AWS sign-in
 * and Connect take it.
 */
import type { EmulatorContext } from '../emulator.js';
import { defaultRelayStateOf, findSamlApp, issueSamlResponse } from '../okta/saml.js';
import type { OktaApp } from '../okta/state.js';
import { awsSamlSignIn } from './aws.js';
import { parseFederateUrl } from './federate.js';
import type { SignInInput, SignInResult } from './types.js';

/** The app kinds of the library's config, with their default labels and where their relay state leads. */
const KINDS: Readonly<Record<string, { label: string; destination: (d: string | undefined) => boolean }>> = {
  admin: { label: 'Amazon Connect Administrator', destination: (d) => d === undefined },
  ccp: { label: 'Amazon Connect CCP', destination: (d) => d !== undefined && /ccp-v2/.test(d) },
  'agent-workspace': {
    label: 'Amazon Connect Agent Workspace',
    destination: (d) => d !== undefined && /agent-app-v2/.test(d),
  },
};

/**
 * The app `sb.login({ app })` means: an id or exact label as given; else, for a kind (`admin`, `ccp`,
 * `agent-workspace`), the one `amazon_aws` app with that kind's default label, or else the one whose
 * relay state leads where that kind does; else `app` itself (Okta then says it knows no such app).
 * @throws {TypeError} when a kind matches several apps.
 */
export function resolveApp(ctx: EmulatorContext, app: string): string {
  const state = ctx.state.okta;
  if (findSamlApp(state, app)) return app;
  const kind = Object.hasOwn(KINDS, app) ? KINDS[app] : undefined;
  if (!kind) return app;
  const apps = Object.values(state.apps).filter((a) => a.name === 'amazon_aws');
  const byLabel = apps.filter((a) => a.label === kind.label);
  const byRelay = apps.filter((a) => {
    const relay = defaultRelayStateOf(a);
    const federate = relay === undefined ? undefined : parseFederateUrl(relay);
    return federate !== undefined && kind.destination(federate.destination);
  });
  const candidates: OktaApp[] = byLabel.length > 0 ? byLabel : byRelay;
  if (candidates.length > 1) {
    throw new TypeError(
      `sb.login: app '${app}' matches ${candidates.length} Okta apps (${candidates.map((a) => `'${a.label}' ${a.id}`).join(', ')}): pass the label or id`,
    );
  }
  return candidates[0]?.id ?? app;
}

/** The whole IdP-initiated flow: Okta issues the response, AWS sign-in and Connect take it. */
export async function signIn(ctx: EmulatorContext, input: SignInInput): Promise<SignInResult> {
  const problems: string[] = [];
  if (typeof input?.app !== 'string' || input.app === '') {
    problems.push("app: the Okta app id or label, or its kind ('admin', 'ccp', 'agent-workspace')");
  }
  if (typeof input?.login !== 'string' || input.login === '') problems.push("login: the Okta user's login");
  if (input?.at !== undefined && !Number.isFinite(input.at)) problems.push('at: epoch milliseconds');
  if (input?.relayState !== undefined && typeof input.relayState !== 'string')
    problems.push('relayState: a URL');
  if (input?.role !== undefined && typeof input.role !== 'string') problems.push('role: a role name or ARN');
  if (problems.length > 0) throw new TypeError(`sb.login: expected ${problems.join('; ')}`);
  const issued = await issueSamlResponse(ctx, {
    app: resolveApp(ctx, input.app),
    login: input.login,
    relayState: input.relayState,
  });
  if (!issued.ok) return { ok: false, stage: 'okta', message: issued.message, detail: issued.detail };
  return awsSamlSignIn(ctx, {
    samlResponse: issued.samlResponse,
    relayState: issued.relayState,
    at: input.at,
    role: input.role,
  });
}
