/**
 * What the SAML tests share: the fixture keys (test/fixtures/saml-idp.key.pem + .cert.b64, the "Okta
 * app" key with an Okta-shaped self-signed certificate valid 2025–2035, and saml-other.*, another org's
 * key: the rotated-certificate case), Okta-shaped metadata and responses, and the check helpers.
 */
import { readFileSync } from 'node:fs';
import { checkSamlResponse, type SamlVerification } from '../../src/saml/response.js';
import { METADATA as META, NOW, signedResponse, unsignedResponse } from '../sandbox/saml-fixtures.js';

// One set of fixture keys, metadata and Okta-shaped responses, shared with the sandbox's sign-in tests.
export {
  ACCOUNT,
  CERT,
  ENTITY,
  KEY,
  METADATA as META,
  metadataXml,
  NOW,
  OTHER_CERT,
  OTHER_KEY,
  PROVIDER,
  ROLE,
  USER,
} from '../sandbox/saml-fixtures.js';

export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

/** The unsigned response XML, Okta's shape (see `unsignedResponse`). */
export const unsigned = unsignedResponse;
/** The signed response XML (see `signedResponse`). */
export const signed = signedResponse;

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
