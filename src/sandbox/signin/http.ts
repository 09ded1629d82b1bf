/**
 * The sign-in simulation over HTTP, for requests without an AWS signature: Okta's SSO URL and app link
 * answer the auto-post form a browser submits, and `POST /saml` plays AWS sign-in, answering a redirect to
 * the relay state or the error page.
 */
import type { EmulatorContext, SandboxRequest, SandboxResponse } from '../emulator.js';
import { escapeMarkup } from '../markup.js';
import { findAppByExternalKey, findSamlApp, issueSamlResponse } from '../okta/saml.js';
import { awsSamlSignIn } from './aws.js';
import { INVALID_SAML_RESPONSE } from './messages.js';
import type { SignInFailure } from './types.js';

/** A sign-in request the server recognised. */
export interface SignInRoute {
  /** For the request log (`okta` `SamlSso`), or undefined when the request is not logged (AWS sign-in). */
  log: { service: 'okta'; operation: string } | undefined;
  run(ctx: EmulatorContext): Promise<SandboxResponse>;
}

const escapeHtml = (value: string): string => escapeMarkup(value, '&#39;');

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
  if (!issued.ok)
    return errorPage({ ok: false, stage: 'okta', message: issued.message, detail: issued.detail });
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
    return errorPage({
      ok: false,
      stage: 'saml',
      message: INVALID_SAML_RESPONSE,
      detail: 'expected a form-encoded POST with a SAMLResponse field',
    });
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
