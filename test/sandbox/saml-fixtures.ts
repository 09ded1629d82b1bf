/**
 * A SAML federation set up directly in a sandbox (no Okta app): an IAM SAML provider from fixture
 * metadata, a role trusting it, the federation policy, a Connect instance and its users — and responses
 * signed with the fixture key, shaped as Okta sends them, to post to the sandbox's AWS sign-in and STS.
 *
 * Keys: test/fixtures/saml-idp.key.pem + .cert.b64 (the IdP's), saml-other.* (someone else's).
 */
import { readFileSync } from 'node:fs';
import {
  CreateInstanceCommand,
  CreateUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import {
  buildSamlResponseXml,
  encodeSamlResponse,
  type SamlResponseInput,
  signSamlResponse,
} from '../../src/saml/sign.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { connectClient, iamClient } from '../helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
export const KEY = fixture('saml-idp.key.pem');
export const CERT = fixture('saml-idp.cert.b64').trim();
export const OTHER_KEY = fixture('saml-other.key.pem');
export const OTHER_CERT = fixture('saml-other.cert.b64').trim();

export const ACCOUNT = '123456789012';
export const ENTITY = 'http://www.okta.com/exk1fixture0000000007';
export const PROVIDER_NAME = 'Okta_Connect';
export const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/${PROVIDER_NAME}`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/Okta_Role`;
export const USER = 'jdoe@example.com';
/** The sandbox clock of these tests: inside the fixture certificate's validity (2025–2035). */
export const NOW = Date.parse('2026-06-01T12:00:00.000Z');
export const SIGNIN = 'https://signin.aws.amazon.com/saml';
export const REGIONAL_SIGNIN = 'https://eu-west-1.signin.aws.amazon.com/saml';

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
export const METADATA = metadataXml([CERT]);

/** The unsigned response XML, Okta's shape, for USER with ROLE via PROVIDER, issued at NOW. */
export function unsignedResponse(over: Partial<SamlResponseInput> = {}): string {
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

/** The signed response XML (the assertion signed, as Okta does, unless told otherwise). */
export function signedResponse(
  over: Partial<SamlResponseInput> = {},
  opts: { signAssertion?: boolean; signResponse?: boolean; key?: string; cert?: string } = {},
): string {
  return signSamlResponse(unsignedResponse(over), {
    privateKeyPem: opts.key ?? KEY,
    certificateBase64: opts.cert ?? CERT,
    ...(opts.signAssertion !== undefined ? { signAssertion: opts.signAssertion } : {}),
    ...(opts.signResponse !== undefined ? { signResponse: opts.signResponse } : {}),
  });
}

export const encode = encodeSamlResponse;

export interface Federation {
  instanceId: string;
  relayState: string;
  /** Connect user ids by username. */
  users: Record<string, string>;
}

/**
 * The AWS side of an Okta federation, made with the real SDK clients: the provider (METADATA), the role
 * (trusting it for both sign-in endpoints of these tests), the federation policy, an ACTIVE SAML
 * instance and a Connect user per username.
 */
export async function setUpFederation(sb: Sandbox, usernames: string[] = [USER]): Promise<Federation> {
  const iam = iamClient(sb);
  await iam.send(new CreateSAMLProviderCommand({ Name: PROVIDER_NAME, SAMLMetadataDocument: METADATA }));
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': [SIGNIN, REGIONAL_SIGNIN] } },
      },
    ],
  };
  await iam.send(
    new CreateRoleCommand({ RoleName: 'Okta_Role', AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  const connect = connectClient(sb);
  const instance = await connect.send(
    new CreateInstanceCommand({
      IdentityManagementType: 'SAML',
      InstanceAlias: 'fixture-cc',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const instanceId = instance.Id ?? '';
  const policy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'okta_federation_policy',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'connect:GetFederationToken',
            Resource: `${instance.Arn}/user/\${aws:userid}`,
          },
        ],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: policy.Policy?.Arn }));
  const security = await connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
  const routing = await connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId }));
  const users: Record<string, string> = {};
  for (const username of usernames) {
    const created = await connect.send(
      new CreateUserCommand({
        InstanceId: instanceId,
        Username: username,
        IdentityInfo: { FirstName: 'J', LastName: 'Doe' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [security.SecurityProfileSummaryList?.[0]?.Id ?? ''],
        RoutingProfileId: routing.RoutingProfileSummaryList?.[0]?.Id ?? '',
      }),
    );
    users[username] = created.UserId ?? '';
  }
  return {
    instanceId,
    relayState: `https://us-east-1.console.aws.amazon.com/connect/federate/${instanceId}`,
    users,
  };
}

/** POST a SAMLResponse to the sandbox's AWS sign-in: `ok` with the Connect user, or the failed stage. */
export async function postToSignIn(
  sb: Sandbox,
  samlResponse: string,
  relayState: string,
): Promise<{ ok: true; connectUser: string } | { ok: false; stage: string; page: string }> {
  const res = await fetch(`${sb.url}/saml`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
    redirect: 'manual',
  });
  const page = await res.text();
  if (res.status === 302) return { ok: true, connectUser: res.headers.get('x-sandbox-connect-user') ?? '' };
  return { ok: false, stage: res.headers.get('x-sandbox-signin-stage') ?? `status ${res.status}`, page };
}
