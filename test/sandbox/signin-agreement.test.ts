/**
 * The sandbox's AWS sign-in is its own implementation of AWS's checks (src/sandbox/signin), not the
 * library's `checkSamlResponse` (src/saml/response.ts). This runs one set of hostile and broken responses
 * through both — and through the sandbox's STS `AssumeRoleWithSAML`, which shares the sign-in's checks —
 * and shows that they agree on accept / reject.
 *
 * Where they differ, by design, the case says so:
 * - `library: 'warn:recipient'`: a wrong Destination on a Response that is not itself signed (Okta signs
 *   the assertion only). The library fails a signed Response's wrong Destination (SAML bindings §3.5.5.2)
 *   and only warns on an unsigned one, whose Destination nothing authenticates; the sandbox refuses both,
 *   as SAML core §3.2.2 says a present Destination must match where the message arrived. The assertion
 *   accepts a library failure too, so it holds if the library becomes as strict.
 * - `library: 'no-context'`: the check needs IAM (does the provider exist?), which `checkSamlResponse`
 *   has no access to by design; `verifySamlResponse` with a context is the one that looks.
 * - A sign-in can also fail after the SAML checks (the Connect user): `signIn` names that stage while the
 *   SAML-level verdict (library, STS) is an accept.
 */
import { AssumeRoleWithSAMLCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSamlResponse } from '../../src/saml/response.js';
import type { SamlResponseInput } from '../../src/saml/sign.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox } from '../helpers.js';
import {
  ACCOUNT,
  CERT,
  encode,
  type Federation,
  METADATA,
  NOW,
  OTHER_CERT,
  OTHER_KEY,
  PROVIDER,
  postToSignIn,
  REGIONAL_SIGNIN,
  ROLE,
  SIGNIN,
  setUpFederation,
  signedResponse,
  USER,
  unsignedResponse,
} from './saml-fixtures.js';

/** A user whose Okta username contains another user's name (the comment-injection target). */
const ADMIN = 'admin@acme.com';
const EVIL = `${ADMIN}.evil.example`;

interface Case {
  name: string;
  /** The response XML as posted. */
  xml: () => string;
  /** Sign-in's verdict: `ok`, or the stage that fails. */
  signIn: 'ok' | 'signature' | 'saml' | 'trust' | 'connect';
  /** The library's verdict when it differs by design (see the file comment). */
  library?: `warn:${string}` | 'no-context';
  /** The RoleArn / PrincipalArn to pass to STS (default: the fixture pair). */
  pair?: { roleArn: string; providerArn: string };
  /** What the verified session must say, when it is accepted. */
  session?: { roleSessionName?: string; nameId?: string };
}

/** Insert `<!---->` into the text of the first element whose text is `full`, after `prefix`. */
function injectComment(xml: string, full: string, prefix: string): string {
  const at = xml.indexOf(`>${full}<`);
  if (at < 0) throw new Error(`no element with the text ${full}`);
  return `${xml.slice(0, at + 1 + prefix.length)}<!---->${xml.slice(at + 1 + prefix.length)}`;
}

/** Move the signed assertion into the Response's Extensions and put an unsigned one in its place. */
function wrapped(): string {
  const xml = signedResponse();
  const start = xml.indexOf('<saml2:Assertion ');
  const end = xml.indexOf('</saml2:Assertion>') + '</saml2:Assertion>'.length;
  const signed = xml.slice(start, end);
  const evil = unsignedResponse({ roleSessionName: ADMIN, nameId: ADMIN });
  const evilAssertion = evil.slice(
    evil.indexOf('<saml2:Assertion '),
    evil.indexOf('</saml2:Assertion>') + '</saml2:Assertion>'.length,
  );
  return `${xml.slice(0, start)}<saml2p:Extensions>${signed}</saml2p:Extensions>${evilAssertion}${xml.slice(end)}`;
}

/** A second, unsigned assertion before the signed one (the reader that takes the first is fooled). */
function prepended(): string {
  const xml = signedResponse();
  const evil = unsignedResponse({ roleSessionName: ADMIN, assertionId: 'idEvil0001' });
  const evilAssertion = evil.slice(
    evil.indexOf('<saml2:Assertion '),
    evil.indexOf('</saml2:Assertion>') + '</saml2:Assertion>'.length,
  );
  const start = xml.indexOf('<saml2:Assertion ');
  return `${xml.slice(0, start)}${evilAssertion}${xml.slice(start)}`;
}

const over = (input: Partial<SamlResponseInput>) => () => signedResponse(input);

const CASES: Case[] = [
  { name: 'valid, as Okta sends it', xml: over({}), signIn: 'ok', session: { roleSessionName: USER } },
  {
    name: 'valid, response and assertion signed',
    xml: () => signedResponse({}, { signResponse: true }),
    signIn: 'ok',
  },
  {
    name: 'valid, for the regional sign-in endpoint',
    xml: over({ recipient: REGIONAL_SIGNIN }),
    signIn: 'ok',
  },
  {
    name: 'signed with a certificate the provider does not hold',
    xml: () => signedResponse({}, { key: OTHER_KEY, cert: OTHER_CERT }),
    signIn: 'signature',
  },
  {
    name: 'signed with the right key but carrying another certificate in KeyInfo',
    xml: () => signedResponse({}, { cert: OTHER_CERT }),
    signIn: 'ok',
  },
  { name: 'unsigned', xml: () => signedResponse({}, { signAssertion: false }), signIn: 'signature' },
  {
    name: 'wrapped: the signed assertion moved into Extensions, a forged one in its place',
    xml: wrapped,
    signIn: 'signature',
  },
  { name: 'wrapped: a forged assertion before the signed one', xml: prepended, signIn: 'signature' },
  {
    name: 'changed after signing (another RoleSessionName)',
    xml: () =>
      signedResponse().replace(`>${USER}</saml2:AttributeValue>`, `>${ADMIN}</saml2:AttributeValue>`),
    signIn: 'signature',
  },
  { name: 'expired an hour ago', xml: over({ now: NOW - 3600 * 1000 }), signIn: 'saml' },
  { name: 'issued an hour from now', xml: over({ now: NOW + 3600 * 1000 }), signIn: 'saml' },
  {
    name: 'no NotOnOrAfter on the bearer confirmation',
    xml: over({ subjectNotOnOrAfter: null }),
    signIn: 'saml',
  },
  { name: 'another audience', xml: over({ audiences: ['https://sp.example.com'] }), signIn: 'saml' },
  {
    name: 'another recipient',
    xml: over({ recipient: 'https://evil.example/saml', destination: 'https://evil.example/saml' }),
    signIn: 'saml',
  },
  {
    name: 'the right recipient, another Destination, the Response unsigned',
    xml: over({ destination: 'https://evil.example/saml' }),
    signIn: 'saml',
    library: 'warn:recipient',
  },
  {
    name: 'the right recipient, another Destination, the Response signed',
    xml: () => signedResponse({ destination: 'https://evil.example/saml' }, { signResponse: true }),
    signIn: 'saml',
  },
  { name: 'another issuer', xml: over({ issuer: 'http://www.okta.com/exkSomeoneElse' }), signIn: 'saml' },
  {
    name: 'role and provider of two accounts',
    xml: over({ roles: [{ roleArn: 'arn:aws:iam::999999999999:role/Okta_Role', providerArn: PROVIDER }] }),
    signIn: 'saml',
    pair: { roleArn: 'arn:aws:iam::999999999999:role/Okta_Role', providerArn: PROVIDER },
  },
  {
    name: 'role and provider of another account',
    xml: over({
      roles: [
        {
          roleArn: 'arn:aws:iam::999999999999:role/Okta_Role',
          providerArn: 'arn:aws:iam::999999999999:saml-provider/Okta_Connect',
        },
      ],
    }),
    signIn: 'saml',
    library: 'no-context',
    pair: {
      roleArn: 'arn:aws:iam::999999999999:role/Okta_Role',
      providerArn: 'arn:aws:iam::999999999999:saml-provider/Okta_Connect',
    },
  },
  { name: 'a Role value that is not a pair', xml: over({ roles: [ROLE] }), signIn: 'saml' },
  { name: 'no Role attribute', xml: over({ roles: [] }), signIn: 'saml' },
  { name: 'a RoleSessionName with a space', xml: over({ roleSessionName: 'Jane Doe' }), signIn: 'saml' },
  { name: 'a RoleSessionName of one character', xml: over({ roleSessionName: 'j' }), signIn: 'saml' },
  { name: 'no RoleSessionName', xml: over({ roleSessionName: undefined as never }), signIn: 'saml' },
  { name: 'SessionDuration 60', xml: over({ sessionDuration: 60 }), signIn: 'saml' },
  {
    name: 'a comment injected into the NameID (signature still valid)',
    xml: () => injectComment(signedResponse({ nameId: EVIL }), EVIL, ADMIN),
    signIn: 'ok',
    session: { nameId: EVIL },
  },
  {
    name: 'a comment injected into the RoleSessionName (signature still valid)',
    xml: () => injectComment(signedResponse({ roleSessionName: EVIL }), EVIL, ADMIN),
    // The whole text counts: the session is EVIL's, who is no Connect user; ADMIN is never signed in.
    signIn: 'connect',
    session: { roleSessionName: EVIL },
  },
  {
    name: 'a DOCTYPE with an external entity',
    xml: () =>
      signedResponse().replace(
        '<saml2p:Response',
        '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><saml2p:Response',
      ),
    signIn: 'saml',
  },
  {
    name: 'signed by an attacker, flooded with namespace declarations',
    xml: () => {
      const flood = Array.from({ length: 300 }, (_, i) => ` xmlns:n${i}="urn:flood:${i}"`).join('');
      return signedResponse({}, { key: OTHER_KEY, cert: OTHER_CERT }).replace(
        '<saml2p:Response ',
        `<saml2p:Response${flood} `,
      );
    },
    signIn: 'saml',
  },
];

describe('the sandbox sign-in and the library agree on hostile responses', () => {
  let sb: Sandbox;
  let federation: Federation;
  beforeAll(async () => {
    sb = await startTestSandbox({ now: () => NOW });
    federation = await setUpFederation(sb, [USER, ADMIN]);
  });
  afterAll(() => sb.stop());

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const xml = c.xml();
    const samlResponse = encode(xml);

    // 1. The sandbox's AWS sign-in, over HTTP as a browser posts it.
    const signIn = await postToSignIn(sb, samlResponse, federation.relayState);
    expect(signIn.ok ? 'ok' : signIn.stage).toBe(c.signIn);
    if (signIn.ok) expect(signIn.connectUser).toBe(c.session?.roleSessionName ?? USER);

    // 2. The library's pure check, told the same endpoints and clock.
    const library = checkSamlResponse(samlResponse, {
      metadata: METADATA,
      now: NOW,
      recipients: [SIGNIN, REGIONAL_SIGNIN],
    });
    const samlAccepted = c.signIn === 'ok' || c.signIn === 'connect' || c.signIn === 'trust';
    if (c.library === undefined) {
      expect(library.ok).toBe(samlAccepted);
    } else if (c.library === 'no-context') {
      expect(library.ok).toBe(true);
    } else {
      // A warning on that check (or a failure, should the library become as strict): never a silent pass.
      const check = c.library.slice('warn:'.length);
      const warned = library.checks.some((k) => k.check === check && k.status === 'warn');
      expect(library.ok === false || warned).toBe(true);
    }
    if (samlAccepted && library.ok) {
      if (c.session?.roleSessionName)
        expect(library.assertion?.roleSessionName).toBe(c.session.roleSessionName);
      if (c.session?.nameId) expect(library.assertion?.nameId).toBe(c.session.nameId);
    }

    // 3. The sandbox's STS, which runs the sign-in's checks for the API.
    const pair = c.pair ?? { roleArn: ROLE, providerArn: PROVIDER };
    const sts = new STSClient({ endpoint: sb.aws.endpoint, region: sb.aws.region, maxAttempts: 1 });
    let assumed: { ok: true; arn: string; subject: string } | { ok: false; code: string };
    try {
      const out = await sts.send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: pair.roleArn,
          PrincipalArn: pair.providerArn,
          SAMLAssertion: samlResponse,
        }),
      );
      assumed = { ok: true, arn: out.AssumedRoleUser?.Arn ?? '', subject: out.Subject ?? '' };
    } catch (error) {
      assumed = { ok: false, code: (error as Error).name };
    }
    expect(assumed.ok).toBe(samlAccepted);
    if (assumed.ok) {
      const session = c.session?.roleSessionName ?? USER;
      expect(assumed.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Okta_Role/${session}`);
      expect(assumed.subject).toBe(c.session?.nameId ?? USER);
    }
  });

  it('keeps the set honest: it has accepted, refused and by-design cases, and the fixture key is the one IAM holds', () => {
    expect(CASES.filter((c) => c.signIn === 'ok').length).toBeGreaterThanOrEqual(4);
    expect(CASES.filter((c) => c.signIn === 'signature').length).toBeGreaterThanOrEqual(5);
    expect(CASES.filter((c) => c.library !== undefined).map((c) => c.library)).toEqual([
      'warn:recipient',
      'no-context',
    ]);
    expect(sb.state().iam.samlProviders[0]?.signingCertificates).toEqual([CERT]);
  });
});
