/**
 * What the SAML tests share: the fixture keys (test/fixtures/saml-idp.key.pem + .cert.b64, the "Okta
 * app" key with an Okta-shaped self-signed certificate valid 2025–2035, and saml-other.*, another org's
 * key: the rotated-certificate case), Okta-shaped metadata and responses, and the check helpers.
 */
import { readFileSync } from 'node:fs';
import { checkSamlResponse, type SamlVerification } from '../../src/saml/response.js';
import { buildSamlResponseXml, type SamlResponseInput, signSamlResponse } from '../../src/saml/sign.js';

export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
export const KEY = fixture('saml-idp.key.pem');
export const CERT = fixture('saml-idp.cert.b64').trim();
export const OTHER_KEY = fixture('saml-other.key.pem');
export const OTHER_CERT = fixture('saml-other.cert.b64').trim();

export const ENTITY = 'http://www.okta.com/exk1fixture0000000007';
export const ACCOUNT = '123456789012';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/Okta_Role`;
export const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta_Connect`;
export const NOW = Date.parse('2026-06-01T12:00:00.000Z');
export const USER = 'jdoe@example.com';

/** IdP metadata shaped like Okta's, with these signing certificates. */
export function metadataXml(certs: string[], entityId = ENTITY): string {
  const keys = certs
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor entityID="${entityId}" xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://dev-1.okta.com/app/amazon_aws/exk1fixture0000000007/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
}
export const META = metadataXml([CERT]);

export function unsigned(over: Partial<SamlResponseInput> = {}): string {
  return buildSamlResponseXml({
    issuer: ENTITY,
    nameId: USER,
    now: NOW,
    roles: [{ roleArn: ROLE, providerArn: PROVIDER }],
    roleSessionName: USER,
    sessionDuration: 3600,
    responseId: 'idResponse0001',
    assertionId: 'idAssertion0001',
    ...over,
  });
}

export function signed(
  over: Partial<SamlResponseInput> = {},
  opts: { signAssertion?: boolean; signResponse?: boolean; key?: string; cert?: string } = {},
): string {
  return signSamlResponse(unsigned(over), {
    privateKeyPem: opts.key ?? KEY,
    certificateBase64: opts.cert ?? CERT,
    ...(opts.signAssertion !== undefined ? { signAssertion: opts.signAssertion } : {}),
    ...(opts.signResponse !== undefined ? { signResponse: opts.signResponse } : {}),
  });
}

export type CheckOptions = Partial<Parameters<typeof checkSamlResponse>[1]>;
export const check = (response: string, opts: CheckOptions = {}): SamlVerification =>
  checkSamlResponse(response, { metadata: META, now: NOW, ...opts });
export const find = (v: SamlVerification, name: string) => {
  const c = v.checks.find((x) => x.check === name);
  if (!c) throw new Error(`no check ${name} in ${JSON.stringify(v.checks)}`);
  return c;
};
export const failed = (v: SamlVerification) =>
  v.checks.filter((c) => c.status === 'fail').map((c) => c.check);

/** The `<saml2:Assertion …>…</saml2:Assertion>` substring of a response. */
export function assertionOf(xml: string): string {
  const start = xml.indexOf('<saml2:Assertion ');
  const end = xml.indexOf('</saml2:Assertion>') + '</saml2:Assertion>'.length;
  return xml.slice(start, end);
}
