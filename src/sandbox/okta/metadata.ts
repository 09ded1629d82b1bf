/**
 * The IdP metadata of a SAML app, byte for byte in the shape real Okta sends (recorded traffic): one line
 * of XML, the certificate base64 wrapped at 76 characters, `Content-Type: application/xml;charset=ISO-8859-1`.
 */
import type { OktaApp } from './state.js';

export const METADATA_CONTENT_TYPE = 'application/xml;charset=ISO-8859-1';

function wrap76(base64: string): string {
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 76) lines.push(base64.slice(i, i + 76));
  return lines.join('\n');
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** The `entityID` (SAML Issuer) of the app's IdP. */
export function idpEntityId(app: OktaApp): string {
  return `http://www.okta.com/${app.externalKeyId}`;
}

/** Where a service provider sends AuthnRequests (and where Okta's IdP-initiated flow starts). */
export function ssoUrl(origin: string, app: OktaApp): string {
  return `${origin}/app/${app.name}/${app.externalKeyId}/sso/saml`;
}

export function buildIdpMetadata(origin: string, app: OktaApp, certificateBase64: string): string {
  const location = escapeAttr(ssoUrl(origin, app));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<md:EntityDescriptor entityID="${escapeAttr(idpEntityId(app))}" xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` +
    '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>' +
    `<ds:X509Certificate>${wrap76(certificateBase64)}</ds:X509Certificate>` +
    '</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' +
    '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>' +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${location}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${location}"/>` +
    '</md:IDPSSODescriptor></md:EntityDescriptor>'
  );
}

/** Whether an `Accept` header admits XML (absent → yes). */
export function acceptsXml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((part) => (part.split(';')[0] ?? '').trim().toLowerCase())
    .some((type) => ['*/*', 'application/*', 'text/*', 'application/xml', 'text/xml'].includes(type));
}
