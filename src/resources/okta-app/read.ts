/** The one place that finds and reads an Okta amazon_aws app: by label, by id, its metadata and its signing keys. */
import type { SsoContext } from '../../core/context.js';
import { oktaPages, oktaRequest } from '../../providers/okta/transport.js';

/** GET an app, raw (keeps `settings.app`). */
export async function getOktaApp(ctx: SsoContext, appId: string): Promise<OktaAppJson> {
  const { data } = await oktaRequest<OktaAppJson>(ctx, 'GetApplication', {
    method: 'GET',
    path: `/api/v1/apps/${encodeURIComponent(appId)}`,
  });
  return data;
}

/** The IdP metadata of the app's current signing key, raw (Okta answers `application/xml;charset=ISO-8859-1`). */
export async function fetchAppMetadata(ctx: SsoContext, app: OktaAppJson): Promise<string> {
  const kid = app.credentials?.signing?.kid;
  const { data } = await oktaRequest<string>(ctx, 'PreviewSAMLmetadataForApplication', {
    method: 'GET',
    path: `/api/v1/apps/${encodeURIComponent(app.id)}/sso/saml/metadata`,
    ...(kid ? { query: { kid } } : {}),
    accept: 'application/xml',
  });
  return data;
}

/** Every `amazon_aws` app whose label is exactly `label` (Okta's `q` is a case-insensitive prefix match). */
export async function findAppsByLabel(ctx: SsoContext, label: string): Promise<OktaAppJson[]> {
  const found: OktaAppJson[] = [];
  for await (const page of oktaPages<OktaAppJson>(ctx, 'ListApplications', '/api/v1/apps', {
    q: label,
    limit: LIST_PAGE_SIZE,
  })) {
    for (const app of page) if (app.name === AWS_APP_NAME && app.label === label) found.push(app);
  }
  return found;
}

/** The OIN key of Okta's "AWS Account Federation" app. */
export const AWS_APP_NAME = 'amazon_aws';

export const LIST_PAGE_SIZE = 200;

/** An Okta app as the raw API returns it. Unknown fields are kept and sent back on replace. */
export interface OktaAppJson extends JsonObject {
  id: string;
  name: string;
  label: string;
  status: string;
  signOnMode?: string;
  features?: string[];
  credentials?: JsonObject & { signing?: JsonObject & { kid?: string } };
  settings?: JsonObject & {
    app?: JsonObject;
    signOn?: JsonObject;
    notes?: JsonObject & { admin?: string | null; enduser?: string | null };
  };
  _links?: JsonObject & { appLinks?: { name?: string; href?: string }[] };
}

export type JsonObject = Record<string, unknown>;

/** A signing key of an app as `GET /api/v1/apps/{id}/credentials/keys` lists it (a JWK). */
export interface OktaAppKeyJson {
  kid: string;
  created?: string;
  expiresAt?: string;
  x5c?: string[];
}

/** The app's signing keys (current and earlier), raw. The one read of `/credentials/keys`. */
export async function listAppKeys(ctx: SsoContext, appId: string): Promise<OktaAppKeyJson[]> {
  const { data } = await oktaRequest<OktaAppKeyJson[]>(ctx, 'ListApplicationKeys', {
    method: 'GET',
    path: `/api/v1/apps/${encodeURIComponent(appId)}/credentials/keys`,
  });
  return Array.isArray(data) ? data : [];
}
