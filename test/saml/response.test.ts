/**
 * checkSamlResponse: what AWS sign-in checks, with hostile input (XXE, entity expansion, huge and deep
 * documents, XML signature wrapping) yielding failed checks. The floods that cost CPU are in
 * hostile.test.ts; the checks that read AWS are in test/workflows/verify-saml.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { ConfigError } from '../../src/core/errors.js';
import { parseIdpMetadata } from '../../src/saml/metadata.js';
import {
  checkSamlResponse,
  MAX_SAML_RESPONSE_LENGTH,
  parseRoleValue,
  type SamlVerification,
} from '../../src/saml/response.js';
import { EXC_C14N, encodeSamlResponse, RSA_SHA256, SHA256 } from '../../src/saml/sign.js';
import {
  ACCOUNT,
  assertionOf,
  CERT,
  check,
  ENTITY,
  failed,
  find,
  KEY,
  META,
  metadataXml,
  NOW,
  OTHER_CERT,
  OTHER_KEY,
  PROVIDER,
  ROLE,
  signed,
  USER,
  unsigned,
} from './support.js';

describe('checkSamlResponse: a valid response', () => {
  it('passes every check and reads the assertion (Okta shape, assertion signed)', () => {
    const xml = signed();
    const v = check(encodeSamlResponse(xml));
    expect(v.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => c.check)).toEqual([
      'xml',
      'signature',
      'issuer',
      'subject',
      'audience',
      'recipient',
      'time',
      'roles',
      'role-session-name',
      'session-duration',
    ]);
    expect(v.assertion).toEqual({
      issuer: ENTITY,
      nameId: USER,
      roleSessionName: USER,
      sessionDuration: 3600,
      roles: [{ roleArn: ROLE, providerArn: PROVIDER }],
      audiences: ['urn:amazon:webservices'],
      recipient: 'https://signin.aws.amazon.com/saml',
      notBefore: new Date(NOW - 300_000),
      notOnOrAfter: new Date(NOW + 300_000),
      attributes: {
        'https://aws.amazon.com/SAML/Attributes/Role': [`${PROVIDER},${ROLE}`],
        'https://aws.amazon.com/SAML/Attributes/RoleSessionName': [USER],
        'https://aws.amazon.com/SAML/Attributes/SessionDuration': ['3600'],
      },
    });
    expect(find(v, 'signature').message).toContain(
      parseIdpMetadata(META).signingCertificates[0]?.fingerprint256,
    );
  });

  it('accepts the response as XML, as base64 with line breaks, URL-encoded and as a SAMLResponse= form field', () => {
    const xml = signed();
    const b64 = encodeSamlResponse(xml);
    const wrapped = b64.replace(/(.{76})/g, '$1\r\n');
    for (const input of [
      xml,
      wrapped,
      encodeURIComponent(b64),
      `SAMLResponse=${encodeURIComponent(b64)}&RelayState=x`,
    ]) {
      expect(check(input).ok).toBe(true);
    }
  });

  it('accepts a response signed on the Response only, and one signed on both', () => {
    const responseOnly = check(signed({}, { signAssertion: false, signResponse: true }));
    expect(failed(responseOnly)).toEqual([]);
    expect(find(responseOnly, 'signature').message).toMatch(
      /^The response \(and the assertion in it\) is signed/,
    );
    expect(responseOnly.assertion?.roleSessionName).toBe(USER);
    const both = check(signed({}, { signResponse: true }));
    expect(failed(both)).toEqual([]);
    expect(find(both, 'signature').message).toMatch(/^The response and the assertion are signed/);
  });

  it('verifies an Okta-style signature with InclusiveNamespaces and a pretty-printed document', () => {
    const xml = unsigned().replace(/></g, '>\n  <');
    const sig = new SignedXml({
      privateKey: KEY,
      publicCert: new X509Certificate(Buffer.from(CERT, 'base64')).toString(),
      signatureAlgorithm: RSA_SHA256,
      canonicalizationAlgorithm: EXC_C14N,
    });
    sig.addReference({
      xpath: "/*/*[local-name(.)='Assertion']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
      digestAlgorithm: SHA256,
      inclusiveNamespacesPrefixList: ['xs'],
    });
    sig.computeSignature(xml, {
      prefix: 'ds',
      location: { reference: "/*/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    const out = sig.getSignedXml();
    expect(out).toContain('PrefixList="xs"');
    const v = check(out);
    expect(failed(v)).toEqual([]);
    expect(v.assertion?.roleSessionName).toBe(USER);
  });

  it('accepts metadata holding the old and the new certificate (rotation), and the parsed metadata', () => {
    const both = metadataXml([OTHER_CERT, CERT]);
    expect(check(signed(), { metadata: both }).ok).toBe(true);
    expect(check(signed(), { metadata: parseIdpMetadata(both) }).ok).toBe(true);
  });

  it('reads roles in either order and several roles', () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/path/Supervisor`;
    const v = check(signed({ roles: [`${ROLE},${PROVIDER}`, `${PROVIDER}, ${other}`] }));
    expect(failed(v)).toEqual([]);
    expect(v.assertion?.roles).toEqual([
      { roleArn: ROLE, providerArn: PROVIDER },
      { roleArn: other, providerArn: PROVIDER },
    ]);
  });

  it('omits SessionDuration without complaint (AWS defaults to one hour)', () => {
    const v = check(signed({ sessionDuration: undefined }));
    expect(v.ok).toBe(true);
    expect(find(v, 'session-duration').message).toContain('1 hour');
    expect(v.assertion?.sessionDuration).toBeUndefined();
  });
});

describe('checkSamlResponse: signatures', () => {
  it('fails a response changed after signing (tampered RoleSessionName)', () => {
    const xml = signed().replace(
      `>${USER}</saml2:AttributeValue>`,
      '>admin@example.com</saml2:AttributeValue>',
    );
    const v = check(xml);
    expect(v.ok).toBe(false);
    const sig = find(v, 'signature');
    expect(sig.status).toBe('fail');
    expect(sig.message).toMatch(/^Error: Response signature invalid: .*changed after it was signed/);
    expect(sig.fix).toContain('Capture the SAMLResponse again');
  });

  it('fails a forged signature value', () => {
    const xml = signed().replace(
      /<ds:SignatureValue>(.)/,
      (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`,
    );
    const sig = find(check(xml), 'signature');
    expect(sig.status).toBe('fail');
    expect(sig.message).toMatch(/does not verify with the certificate in the identity provider metadata/);
  });

  it('fails a response signed by a certificate the metadata lacks (the rotated Okta certificate), naming both', () => {
    const v = check(signed({}, { key: OTHER_KEY, cert: OTHER_CERT }));
    expect(v.ok).toBe(false);
    const sig = find(v, 'signature');
    expect(sig.status).toBe('fail');
    expect(sig.message).toMatch(
      /^Error: Response signature invalid: the Assertion is signed with the certificate SHA-256 /,
    );
    const other = parseIdpMetadata(metadataXml([OTHER_CERT])).signingCertificates[0]
      ?.fingerprint256 as string;
    const ours = parseIdpMetadata(META).signingCertificates[0]?.fingerprint256 as string;
    expect(sig.message).toContain(other);
    expect(sig.message).toContain(`it has SHA-256 ${ours}`);
    expect(sig.fix).toMatch(/signing certificate was rotated/);
    expect(sig.fix).toMatch(
      /Update the IAM identity provider's metadata from the Okta app .*run `doctor` \/ `linkIdentityProvider`/,
    );
    // The other checks are still reported (from the unverified assertion) so the user sees everything.
    expect(find(v, 'issuer').status).toBe('ok');
    expect(find(v, 'roles').status).toBe('ok');
  });

  it('does not trust the KeyInfo certificate even when the signature matches it', () => {
    // A self-consistent forgery: attacker key, attacker certificate in KeyInfo.
    const v = check(signed({ roleSessionName: 'admin' }, { key: OTHER_KEY, cert: OTHER_CERT }));
    expect(find(v, 'signature').status).toBe('fail');
    expect(v.ok).toBe(false);
  });

  it('fails an unsigned response', () => {
    const v = check(unsigned());
    expect(find(v, 'signature').message).toBe(
      'Error: Response signature invalid: neither the assertion nor the response is signed.',
    );
    expect(v.ok).toBe(false);
  });

  it('fails when the metadata is unusable, without throwing', () => {
    const v = check(signed(), { metadata: '<not-metadata/>' });
    expect(find(v, 'signature').status).toBe('fail');
    expect(find(v, 'signature').message).toContain('metadata is unusable');
    expect(find(v, 'issuer').status).toBe('skip');
  });

  it('reads values from the signed canonical XML: a comment inside a signed value does not truncate it', () => {
    // The 2018 SAML comment-injection attack: canonicalization drops comments, so the signature still
    // verifies; a reader that takes the first text node would see only "jdoe@example.com".
    const xml = signed({ roleSessionName: 'jdoe@example.com.evil.com' }).replace(
      '>jdoe@example.com.evil.com<',
      '>jdoe@example.com<!---->.evil.com<',
    );
    const v = check(xml);
    expect(find(v, 'signature').status).toBe('ok');
    expect(v.assertion?.roleSessionName).toBe('jdoe@example.com.evil.com');
  });

  it('fails a signature inside the assertion that references another element', () => {
    const xml = unsigned();
    const sig = new SignedXml({
      privateKey: KEY,
      publicCert: `-----BEGIN CERTIFICATE-----\n${CERT}\n-----END CERTIFICATE-----`,
      signatureAlgorithm: RSA_SHA256,
      canonicalizationAlgorithm: EXC_C14N,
    });
    // Signs the Response, but the signature is placed in the Assertion.
    sig.addReference({
      xpath: '/*',
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
      digestAlgorithm: SHA256,
    });
    sig.computeSignature(xml, {
      prefix: 'ds',
      location: { reference: "/*/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    const v = check(sig.getSignedXml());
    expect(find(v, 'signature').status).toBe('fail');
    expect(find(v, 'signature').message).toContain(
      "the Assertion signature references '#idResponse0001', not the Assertion it is in",
    );
  });
});

describe('checkSamlResponse: signature wrapping', () => {
  const evil = () =>
    assertionOf(unsigned({ assertionId: 'idEvil0001', roleSessionName: 'admin', nameId: 'admin' }));
  const expectWrappingFailure = (v: SamlVerification, detail: RegExp) => {
    expect(v.ok).toBe(false);
    const sig = find(v, 'signature');
    expect(sig.status).toBe('fail');
    expect(sig.message).toMatch(
      /^Error: Response signature invalid: the response is not shaped like a signed SAML response/,
    );
    expect(sig.message).toMatch(detail);
    // Nothing is read from either assertion.
    expect(v.assertion).toBeUndefined();
    expect(find(v, 'roles').status).toBe('skip');
  };

  it('XSW: an unsigned decoy assertion before the signed one', () => {
    const xml = signed();
    const out = xml.replace('<saml2:Assertion ', `${evil()}<saml2:Assertion `);
    expectWrappingFailure(check(out), /holds 2 assertions/);
  });

  it('XSW: an unsigned decoy assertion after the signed one', () => {
    const xml = signed();
    const out = xml.replace('</saml2:Assertion>', `</saml2:Assertion>${evil()}`);
    expectWrappingFailure(check(out), /holds 2 assertions/);
  });

  it('XSW: the signed assertion wrapped inside the decoy', () => {
    const xml = signed();
    const original = assertionOf(xml);
    const decoy = evil().replace('</saml2:Assertion>', `${original}</saml2:Assertion>`);
    expectWrappingFailure(check(xml.replace(original, decoy)), /holds 2 assertions/);
  });

  it('XSW: the signed assertion moved into Extensions, a decoy with the same ID in its place', () => {
    const xml = signed();
    const original = assertionOf(xml);
    const decoy = evil().replace('ID="idEvil0001"', 'ID="idAssertion0001"');
    const out = xml
      .replace(original, decoy)
      .replace(
        '<saml2p:Status',
        `<saml2p:Extensions xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">${original}</saml2p:Extensions><saml2p:Status`,
      );
    const v = check(out);
    expectWrappingFailure(v, /2 elements share the ID 'idAssertion0001'/);
    expect(find(v, 'signature').message).toContain('Response/Extensions/Assertion');
  });

  it("XSW: the signed assertion moved into the decoy signature's Object", () => {
    const xml = signed();
    const original = assertionOf(xml);
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original)?.[0] as string;
    const withObject = signature.replace(
      '</ds:Signature>',
      `<ds:Object>${original}</ds:Object></ds:Signature>`,
    );
    const decoy = evil()
      .replace('ID="idEvil0001"', 'ID="idAssertion0001"')
      .replace(/(<saml2:Issuer[^>]*>[^<]*<\/saml2:Issuer>)/, `$1${withObject}`);
    expectWrappingFailure(check(xml.replace(original, decoy)), /share the ID 'idAssertion0001'/);
  });

  it('XSW: a signed Response moved into a new Response that carries a decoy assertion', () => {
    const xml = signed({}, { signAssertion: false, signResponse: true });
    const out = `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="idEvilResponse" Version="2.0" IssueInstant="2026-06-01T12:00:00.000Z"><saml2p:Extensions>${xml}</saml2p:Extensions>${evil()}</saml2p:Response>`;
    expectWrappingFailure(
      check(out),
      /holds 2 assertions.*a signature sits at Response\/Extensions\/Response\/Signature/,
    );
  });

  it('XSW: a decoy in another namespace is still counted', () => {
    const xml = signed();
    const decoy = `<x:Assertion xmlns:x="urn:example:evil" ID="idX"><x:Issuer>${ENTITY}</x:Issuer></x:Assertion>`;
    expectWrappingFailure(
      check(xml.replace('</saml2:Assertion>', `</saml2:Assertion>${decoy}`)),
      /holds 2 assertions/,
    );
  });

  it('duplicate IDs anywhere fail, even with one assertion', () => {
    const xml = signed().replace('ID="idResponse0001"', 'ID="idAssertion0001"');
    expectWrappingFailure(
      check(xml),
      /2 elements share the ID 'idAssertion0001' \(Response, Response\/Assertion\)/,
    );
  });

  it('a signature where SAML puts none fails', () => {
    const xml = signed();
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0] as string;
    const out = xml.replace(
      '<saml2p:Status',
      `<saml2p:Extensions xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"><x:Thing xmlns:x="urn:x">${signature.replace('idAssertion0001', 'idOther')}</x:Thing></saml2p:Extensions><saml2p:Status`,
    );
    expectWrappingFailure(check(out), /a signature sits at Response\/Extensions\/Thing\/Signature/);
  });
});

describe('checkSamlResponse: conditions', () => {
  it('fails an expired response, and tolerates the clock skew', () => {
    const xml = signed();
    const expired = check(xml, { now: NOW + 601_000 });
    expect(failed(expired)).toEqual(['time']);
    expect(find(expired, 'time').message).toMatch(
      /^Your request included an invalid SAML response\. To logout, click here\. The assertion is expired at 2026-06-01T12:05:00\.000Z \(Conditions NotOnOrAfter\)/,
    );
    expect(find(expired, 'time').fix).toMatch(/sign in again from Okta/);
    expect(check(xml, { now: NOW + 500_000 }).ok).toBe(true);
    expect(failed(check(xml, { now: NOW + 301_000, clockSkewSeconds: 0 }))).toEqual(['time']);
  });

  it('fails a response that is not valid yet', () => {
    const v = check(signed(), { now: new Date(NOW - 300_000 - 301_000) });
    expect(failed(v)).toEqual(['time']);
    expect(find(v, 'time').message).toContain(
      'not valid before 2026-06-01T11:55:00.000Z (Conditions NotBefore)',
    );
    expect(find(v, 'time').fix).toMatch(/clock/);
  });

  it('fails a subject confirmation that expired before the conditions', () => {
    const v = check(signed({ subjectNotOnOrAfter: NOW - 400_000 }));
    expect(find(v, 'time').message).toContain('(SubjectConfirmationData NotOnOrAfter)');
  });

  it('fails the wrong audience with AWS wording', () => {
    const v = check(signed({ audiences: ['https://example.com/sp'] }));
    expect(failed(v)).toEqual(['audience']);
    expect(find(v, 'audience').message).toBe(
      "Response does not contain the required audience. AWS needs 'urn:amazon:webservices'; the audiences are 'https://example.com/sp'.",
    );
    expect(find(v, 'audience').fix).toContain(
      "audience (SP entity ID) of the Okta app to 'urn:amazon:webservices'",
    );
    const gov = check(signed({ audiences: ['urn:amazon:webservices:govcloud'] }));
    expect(find(gov, 'audience').fix).toMatch(/AWS environment type/);
    expect(
      check(signed({ audiences: ['urn:amazon:webservices:govcloud'] }), {
        audience: 'urn:amazon:webservices:govcloud',
      }).ok,
    ).toBe(true);
  });

  it('fails the wrong recipient, accepts a regional one only when listed', () => {
    const wrong = check(signed({ recipient: 'https://example.com/acs' }));
    expect(failed(wrong)).toEqual(['recipient']);
    expect(find(wrong, 'recipient').message).toContain(
      "The Recipient is 'https://example.com/acs'; accepted: https://signin.aws.amazon.com/saml",
    );
    const regional = 'https://eu-west-2.signin.aws.amazon.com/saml';
    const notListed = check(signed({ recipient: regional }));
    expect(failed(notListed)).toEqual(['recipient']);
    expect(find(notListed, 'recipient').fix).toContain('regional sign-in endpoint');
    const listed = check(signed({ recipient: regional }), {
      recipients: ['https://signin.aws.amazon.com/saml', regional],
    });
    expect(listed.ok).toBe(true);
    expect(listed.assertion?.recipient).toBe(regional);
  });

  it('fails a signed Response whose Destination is not the sign-in endpoint, naming the expected one', () => {
    const evil = 'https://evil.example.com/saml';
    const v = check(signed({ destination: evil }, { signResponse: true }));
    expect(v.ok).toBe(false);
    expect(failed(v)).toEqual(['recipient']);
    const c = find(v, 'recipient');
    expect(c.message).toContain(`The signed Response's Destination is '${evil}'`);
    expect(c.message).toContain("expected 'https://signin.aws.amazon.com/saml'");
    expect(c.fix).toContain('https://signin.aws.amazon.com/saml');
    // Signed on the Response only, the same.
    expect(
      failed(check(signed({ destination: evil }, { signAssertion: false, signResponse: true }))),
    ).toEqual(['recipient']);
  });

  it('accepts a signed Response for a regional endpoint only when recipients lists it', () => {
    const regional = 'https://eu-west-2.signin.aws.amazon.com/saml';
    const response = signed({ destination: regional }, { signResponse: true });
    const notListed = check(response);
    expect(failed(notListed)).toEqual(['recipient']);
    expect(find(notListed, 'recipient').fix).toContain('regional sign-in endpoint');
    const listed = check(response, { recipients: ['https://signin.aws.amazon.com/saml', regional] });
    expect(listed.ok).toBe(true);
    expect(find(listed, 'recipient').status).toBe('ok');
  });

  it("only warns about an unsigned Response's Destination (it is not authenticated)", () => {
    const v = check(signed({ destination: 'https://evil.example.com/saml' }));
    expect(v.ok).toBe(true);
    expect(find(v, 'recipient').status).toBe('warn');
    expect(find(v, 'recipient').message).toContain('the Response is not signed');
  });

  it('fails a missing Recipient or NotOnOrAfter on the subject confirmation', () => {
    expect(
      find(check(signed({ recipient: null, destination: 'https://signin.aws.amazon.com/saml' })), 'recipient')
        .message,
    ).toContain('Recipient is missing');
    expect(find(check(signed({ subjectNotOnOrAfter: null })), 'recipient').message).toContain(
      'NotOnOrAfter is missing',
    );
  });

  it('fails the wrong issuer', () => {
    const v = check(signed({ issuer: 'http://www.okta.com/exkSOMEOTHERAPP' }));
    expect(failed(v)).toEqual(['issuer']);
    expect(find(v, 'issuer').message).toBe(
      `Failed to assume role: Issuer not present in specified provider: the assertion's Issuer is 'http://www.okta.com/exkSOMEOTHERAPP', the metadata's entityID is '${ENTITY}'.`,
    );
    expect(find(v, 'issuer').fix).toContain("Update the IAM identity provider's metadata");
  });

  it('fails a missing NameID', () => {
    const v = check(signed({ nameId: undefined }));
    expect(failed(v)).toEqual(['subject']);
    expect(find(v, 'subject').message).toMatch(/^Not authorized to perform sts:AssumeRoleWithSAML/);
  });

  it('fails an IdP failure status', () => {
    const xml = signed().replace('status:Success', 'status:Responder');
    expect(find(check(xml), 'xml').message).toContain(
      "status 'urn:oasis:names:tc:SAML:2.0:status:Responder'",
    );
  });
});

describe('checkSamlResponse: AWS attributes', () => {
  it('fails a missing Role attribute with the message AWS shows', () => {
    const v = check(signed({ roles: [] }));
    expect(failed(v)).toEqual(['roles']);
    expect(find(v, 'roles').message).toBe(
      'Your request included an invalid SAML response. To logout, click here. The attribute https://aws.amazon.com/SAML/Attributes/Role is missing.',
    );
    expect(find(v, 'roles').fix).toContain('Give the user a role in the Okta app');
  });

  it('points out a Role attribute whose name differs only in case', () => {
    const v = check(
      signed({
        roles: [],
        attributes: { 'https://aws.amazon.com/SAML/Attributes/role': [`${ROLE},${PROVIDER}`] },
      }),
    );
    expect(find(v, 'roles').message).toContain(
      "'https://aws.amazon.com/SAML/Attributes/role' is there: the name is case-sensitive",
    );
  });

  it('fails malformed Role values, saying which part is wrong', () => {
    const cases: [string, RegExp][] = [
      [ROLE, /has 1 comma-separated part/],
      [`${ROLE},${PROVIDER},x`, /has 3 comma-separated parts/],
      [`${ROLE},arn:aws:iam::${ACCOUNT}:role/Other`, /both parts are role ARNs/],
      [`${PROVIDER},Okta_Role`, /'Okta_Role' is neither a role ARN/],
      [`arn:aws:iam::12345:role/R,${PROVIDER}`, /is neither a role ARN/],
    ];
    for (const [value, problem] of cases) {
      const v = check(signed({ roles: [value] }));
      expect(failed(v)).toEqual(['roles']);
      expect(find(v, 'roles').message).toMatch(problem);
    }
  });

  it('parses role values in either order', () => {
    expect(parseRoleValue(`${ROLE},${PROVIDER}`)).toEqual({ ok: true, roleArn: ROLE, providerArn: PROVIDER });
    expect(parseRoleValue(`${PROVIDER},${ROLE}`)).toEqual({ ok: true, roleArn: ROLE, providerArn: PROVIDER });
    expect(
      parseRoleValue(`arn:aws-us-gov:iam::${ACCOUNT}:saml-provider/P,arn:aws-us-gov:iam::${ACCOUNT}:role/R`)
        .ok,
    ).toBe(true);
  });

  it('fails a role and provider in different accounts, naming both accounts (AWS sign-in refuses the pair)', () => {
    const other = 'arn:aws:iam::999999999999:role/R';
    const v = check(signed({ roles: [`${other},${PROVIDER}`] }));
    expect(v.ok).toBe(false);
    expect(failed(v)).toEqual(['roles']);
    const c = find(v, 'roles');
    expect(c.message).toMatch(/^Not authorized to perform sts:AssumeRoleWithSAML: /);
    expect(c.message).toContain(
      `${other} (account 999999999999) is paired with ${PROVIDER} (account ${ACCOUNT})`,
    );
    expect(c.fix).toContain("Name the provider of the role's account");
    // One cross-account pair among good ones still fails: that role cannot be chosen at sign-in.
    const mixed = check(
      signed({ roles: [{ roleArn: ROLE, providerArn: PROVIDER }, `${other},${PROVIDER}`] }),
    );
    expect(failed(mixed)).toEqual(['roles']);
    // Another partition is another account too.
    const gov = check(signed({ roles: [`arn:aws-us-gov:iam::${ACCOUNT}:role/R,${PROVIDER}`] }));
    expect(failed(gov)).toEqual(['roles']);
  });

  it('fails a missing or invalid RoleSessionName with the messages AWS shows', () => {
    const missing = check(signed({ roleSessionName: undefined }));
    expect(failed(missing)).toEqual(['role-session-name']);
    expect(find(missing, 'role-session-name').message).toMatch(
      /^RoleSessionName is required in AuthnResponse/,
    );
    const cases: [string, string][] = [
      ['John Doe', 'contains a space'],
      ['j', 'is 1 characters long'],
      ['a'.repeat(65), 'is 65 characters long'],
      ['jdoe#1', "contains '#'"],
      ['jöe', "contains 'ö'"],
    ];
    for (const [name, why] of cases) {
      const v = check(signed({ roleSessionName: name }));
      expect(failed(v)).toEqual(['role-session-name']);
      const c = find(v, 'role-session-name');
      expect(c.message).toMatch(
        /^RoleSessionName in AuthnResponse must match \[a-zA-Z_0-9\+=,\.@-\]\{2,64\}/,
      );
      expect(c.message).toContain(why);
      expect(c.fix).toContain('Okta app username');
    }
    expect(check(signed({ roleSessionName: 'a'.repeat(64) })).ok).toBe(true);
    expect(check(signed({ roleSessionName: 'ab' })).ok).toBe(true);
  });

  it('fails a RoleSessionName with two values', () => {
    const v = check(
      signed({
        roleSessionName: undefined,
        attributes: { 'https://aws.amazon.com/SAML/Attributes/RoleSessionName': ['a1', 'b2'] },
      }),
    );
    expect(find(v, 'role-session-name').message).toContain('has 2 values');
  });

  it('fails a SessionDuration out of 900–43200', () => {
    for (const value of [899, 43201, '3600.5', 'one hour', -1]) {
      const v = check(signed({ sessionDuration: value }));
      expect(failed(v)).toEqual(['session-duration']);
      expect(find(v, 'session-duration').message).toContain('from 900 to 43200');
    }
    expect(check(signed({ sessionDuration: 900 })).ok).toBe(true);
    expect(check(signed({ sessionDuration: 43200 })).ok).toBe(true);
  });
});

describe('checkSamlResponse: hostile and broken input', () => {
  const refused = (input: string, pattern: RegExp) => {
    const v = check(input);
    expect(v.ok).toBe(false);
    expect(find(v, 'xml').status).toBe('fail');
    expect(find(v, 'xml').message).toMatch(pattern);
    expect(v.assertion).toBeUndefined();
    expect(v.checks.filter((c) => c.check !== 'xml').every((c) => c.status === 'skip')).toBe(true);
  };

  it('refuses XXE without parsing it', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${signed().replace(`>${USER}<`, '>&x;<')}`;
    refused(xxe, /declares a DOCTYPE or entities.*refused without being parsed/);
    refused(encodeSamlResponse(xxe), /DOCTYPE/);
    expect(find(check(xxe), 'xml').message).not.toContain('root:');
  });

  it('refuses entity expansion (billion laughs)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`;
    refused(encodeSamlResponse(lol), /DOCTYPE or entities/);
  });

  it('refuses undefined entity references as not well-formed', () => {
    refused(signed().replace(`>${USER}<`, '>&x;<'), /not well-formed/);
  });

  it('refuses huge input before decoding it', () => {
    const huge = 'A'.repeat(MAX_SAML_RESPONSE_LENGTH + 4);
    refused(huge, /this check refuses more than 262144 \(256 KiB\)/);
    expect(MAX_SAML_RESPONSE_LENGTH).toBe(256 * 1024);
  });

  it('refuses absurdly deep nesting', () => {
    const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
    refused(deep, /nests elements more than 64 deep/);
    // As deep as the size limit allows: deep enough to overflow a recursive parser's stack.
    const deeper = `${'<a>'.repeat(37_000)}${'</a>'.repeat(37_000)}`;
    expect(deeper.length).toBeLessThan(MAX_SAML_RESPONSE_LENGTH);
    refused(deeper, /nests elements|not well-formed/);
  });

  it('refuses garbage, non-XML base64, a non-Response and a non-string', () => {
    refused('', /neither XML nor base64/);
    refused('!!!not base64!!!', /neither XML nor base64/);
    refused(Buffer.from('hello world').toString('base64'), /not XML/);
    refused(Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'), /not UTF-8/);
    refused('<unclosed>', /not well-formed/);
    refused(
      '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
      /not a SAML 2.0 Response/,
    );
    refused(42 as unknown as string, /must be a string/);
  });

  it('never throws for mangled responses, and passes only when the signed content is intact', () => {
    // A deterministic PRNG: each run mutates the same way.
    let seed = 0x2545f491;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const xml = signed({}, { signResponse: random(2) === 0 });
    const pieces = [
      '<',
      '>',
      '"',
      '&',
      '/',
      'ID="idAssertion0001"',
      '<!---->',
      '</saml2:Assertion>',
      'x',
      ' ',
    ];
    let passed = 0;
    for (let i = 0; i < 150; i++) {
      const at = random(xml.length);
      const cut = random(4);
      const mangled = xml.slice(0, at) + (pieces[random(pieces.length)] as string) + xml.slice(at + cut);
      const input = random(2) === 0 ? mangled : encodeSamlResponse(mangled);
      let v: SamlVerification | undefined;
      expect(() => {
        v = check(input);
      }).not.toThrow();
      if (v?.ok) {
        passed++;
        expect(v.assertion?.roleSessionName).toBe(USER);
        expect(v.assertion?.roles).toEqual([{ roleArn: ROLE, providerArn: PROVIDER }]);
      }
    }
    // Some mutations touch only unsigned parts (KeyInfo, comments, the Status): those still pass.
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(150);
  });

  it('throws ConfigError only for invalid options', () => {
    expect(() => check(signed(), { now: Number.NaN })).toThrow(ConfigError);
    expect(() => check(signed(), { clockSkewSeconds: -1 })).toThrow(/clockSkewSeconds/);
    expect(() => checkSamlResponse(signed(), {} as Parameters<typeof checkSamlResponse>[1])).toThrow(
      /metadata/,
    );
  });

  it('refuses an encrypted assertion it cannot read', () => {
    const xml = `<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" ID="idR" Version="2.0"><saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/></saml2p:Response>`;
    refused(xml, /encrypted/);
  });
});

// ---------------------------------------------------------------------------------------------------------
