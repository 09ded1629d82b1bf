/** Okta signing keys and IdP metadata as the rotation reads and merges them. */
import { X509Certificate } from 'node:crypto';
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { oktaRequest } from '../../providers/okta/transport.js';
import { listAppKeys, type OktaAppKeyJson } from '../../resources/okta-app/read.js';
import { parseIdpMetadata } from '../../saml/metadata.js';
import type { RotationCertificate } from './types.js';

export interface AppKey {
  kid: string;
  created: number;
  base64: string;
  fingerprint256: string;
  notAfter: Date;
}

export function toAppKey(json: OktaAppKeyJson): AppKey | undefined {
  const base64 = json.x5c?.[0]?.replace(/\s+/g, '');
  if (!base64) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
  const created = json.created ? Date.parse(json.created) : Number.NaN;
  return {
    kid: json.kid,
    created: Number.isFinite(created) ? created : new Date(cert.validFrom).getTime(),
    base64,
    fingerprint256: cert.fingerprint256,
    notAfter: new Date(cert.validTo),
  };
}

export async function listKeys(ctx: SsoContext, appId: string): Promise<AppKey[]> {
  return (await listAppKeys(ctx, appId)).map(toAppKey).filter((k): k is AppKey => k !== undefined);
}

/** The app's IdP metadata for one of its keys (`…/sso/saml/metadata?kid=`). */
export async function metadataFor(ctx: SsoContext, appId: string, kid: string): Promise<string> {
  const { data } = await oktaRequest<string>(ctx, 'PreviewSAMLmetadataForApplication', {
    method: 'GET',
    path: `/api/v1/apps/${encodeURIComponent(appId)}/sso/saml/metadata`,
    query: { kid },
    accept: 'application/xml',
  });
  return data;
}

export const KEY_DESCRIPTOR = /<((?:[\w.-]+:)?)KeyDescriptor\b[^>]*>[\s\S]*?<\/\1KeyDescriptor>/g;

/**
 * One metadata document trusting the signing certificates of several: `base` with the signing
 * `KeyDescriptor`s of `others` added after its own. Okta serves every key's metadata from one template
 * (same entity id, same namespace declarations), so the descriptors move between them unchanged; the
 * result is parsed again to prove it holds every certificate.
 */
export function mergeSigningCertificates(base: string, others: readonly string[]): string {
  const descriptors = (xml: string) =>
    [...xml.matchAll(KEY_DESCRIPTOR)].filter((m) => !/^<[^>]*\buse\s*=\s*["']encryption["']/.test(m[0]));
  const own = descriptors(base);
  const last = own[own.length - 1];
  if (!last || last.index === undefined) {
    throw new ConfigError(
      'metadata',
      'the app metadata has no KeyDescriptor to add the new certificate next to',
    );
  }
  const at = last.index + last[0].length;
  const added = others.flatMap((xml) => descriptors(xml).map((m) => m[0]));
  const merged = base.slice(0, at) + added.join('') + base.slice(at);
  const want = new Set(
    [base, ...others].flatMap((xml) =>
      parseIdpMetadata(xml, 'metadata').signingCertificates.map((c) => c.base64),
    ),
  );
  const got = new Set(parseIdpMetadata(merged, 'merged metadata').signingCertificates.map((c) => c.base64));
  if (got.size !== want.size || [...want].some((c) => !got.has(c))) {
    throw new ConfigError(
      'metadata',
      'merging the signing certificates of the app metadata lost a certificate',
    );
  }
  return merged;
}

/** The certificates (base64 DER) of stored metadata; empty when it no longer parses. */
export function certificatesOf(xml: string): string[] {
  try {
    return parseIdpMetadata(xml, 'provider metadata').signingCertificates.map((c) => c.base64);
  } catch {
    return [];
  }
}

export const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

export const short = (fingerprint: string) => fingerprint.replace(/:/g, '').slice(0, 8).toLowerCase();

export const describeKey = (k: { kid?: string | undefined; fingerprint256: string }) =>
  `${short(k.fingerprint256)}${k.kid ? ` (kid ${k.kid})` : ''}`;

export function certificateOf(key: AppKey): RotationCertificate {
  return { kid: key.kid, fingerprint256: key.fingerprint256, notAfter: key.notAfter };
}
