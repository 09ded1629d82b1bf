import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseIdpMetadata } from '../../src/saml/metadata.js';

/** Real Okta IdP metadata, recorded (test/fixtures/okta-metadata.xml). */
const okta = readFileSync(new URL('../fixtures/okta-metadata.xml', import.meta.url), 'utf8');

function error(xml: string): ConfigError {
  try {
    parseIdpMetadata(xml, 'apps[0].metadata');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseIdpMetadata', () => {
  it('reads real Okta metadata', () => {
    const m = parseIdpMetadata(okta);
    expect(m.entityId).toMatch(/^http:\/\/www\.okta\.com\/\w+$/);
    expect(m.ssoEndpoints.map((e) => e.binding)).toEqual([
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
    ]);
    expect(m.signingCertificates).toHaveLength(1);
    const [cert] = m.signingCertificates;
    expect(cert?.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(cert?.notAfter.getTime()).toBeGreaterThan(cert?.notBefore.getTime() ?? Number.POSITIVE_INFINITY);
    expect(cert?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(m.nameIdFormats.length).toBeGreaterThan(0);
  });

  const pad = (xml: string) => `${xml}<!--${'x'.repeat(1200)}-->`;

  it.each([
    ['too short', '<md:EntityDescriptor/>', /at least 1000/],
    [
      'a DOCTYPE (XXE)',
      pad(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`),
      /DOCTYPE or entities/,
    ],
    [
      'entity expansion',
      pad(`<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><x>&lol2;</x>`),
      /DOCTYPE or entities/,
    ],
    ['not XML', pad('this is { not xml'), /well-formed XML|not SAML metadata/],
    [
      'unclosed tags',
      pad('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><a>'),
      /well-formed XML/,
    ],
    ['another XML document', pad('<html><body>login page</body></html>'), /not SAML metadata/],
    [
      'an SP instead of an IdP',
      pad(
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>',
      ),
      /no md:IDPSSODescriptor/,
    ],
    [
      'no signing certificate',
      pad(okta.replace(/<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/, '')),
      /no signing certificate/,
    ],
    [
      'a broken certificate',
      pad(
        okta.replace(
          /<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/,
          '<ds:X509Certificate>bm90IGEgY2VydA==</ds:X509Certificate>',
        ),
      ),
      /not a valid X\.509 certificate/,
    ],
  ])('refuses %s with a ConfigError naming the field', (_name, xml, message) => {
    const e = error(xml);
    expect(e.field).toBe('apps[0].metadata');
    expect(e.message).toMatch(message);
  });

  it('refuses a document over IAM’s 10,000,000 characters without parsing it', () => {
    expect(error(`${okta}${' '.repeat(10_000_001)}`).message).toMatch(/at most 10000000/);
  });

  it('refuses a non-string', () => {
    expect(error(42 as unknown as string).message).toMatch(/as a string/);
  });
});
