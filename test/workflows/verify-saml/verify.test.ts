/**
 * verifySamlResponse: the pure checks plus what a context reads — IAM providers and roles and the
 * Connect user named by RoleSessionName — against the sandbox; and trustProblem, the trust-policy reading.
 */
import {
  CreateInstanceCommand,
  CreateUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { CreateRoleCommand, CreateSAMLProviderCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { encodeSamlResponse, type SamlResponseInput } from '../../../src/saml/sign.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { trustProblem } from '../../../src/workflows/verify-saml/trust.js';
import { verifySamlResponse } from '../../../src/workflows/verify-saml/verify.js';
import { connectClient, iamClient, sandboxContext, startTestSandbox } from '../../helpers.js';
import {
  ACCOUNT,
  failed,
  find,
  META,
  metadataXml,
  NOW,
  OTHER_CERT,
  PROVIDER,
  signed,
  USER,
} from '../../saml/support.js';

/** The trust policy the AWS guide writes for a SAML provider, with the statement's members overridden. */
const trustPolicy = (provider: string, over: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: provider },
      Action: 'sts:AssumeRoleWithSAML',
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      ...over,
    },
  ],
});

describe('trustProblem', () => {
  const trust = (over: Record<string, unknown> = {}) => trustPolicy(PROVIDER, over);
  it('accepts the trust the guide writes and explains the others', () => {
    expect(trustProblem(trust(), PROVIDER, 'https://signin.aws.amazon.com/saml')).toBeUndefined();
    expect(trustProblem(trust(), `${PROVIDER}x`, undefined)).toMatch(/does not allow .*Principal\.Federated/);
    expect(trustProblem(trust({ Action: 'sts:AssumeRole' }), PROVIDER, undefined)).toMatch(/does not allow/);
    expect(trustProblem(trust(), PROVIDER, 'https://eu-west-2.signin.aws.amazon.com/saml')).toMatch(
      /SAML:aud/,
    );
    expect(trustProblem(trust({ Effect: 'Deny' }), PROVIDER, undefined)).toMatch(/denies/);
    expect(trustProblem(undefined, PROVIDER, undefined)).toMatch(/does not allow/);
  });
});

describe('verifySamlResponse with a sandbox context', () => {
  let sb: Sandbox;
  let instanceId: string;
  let providerArn: string;
  let roleArn: string;
  let otherProviderArn: string;

  const trustFor = (provider: string) => JSON.stringify(trustPolicy(provider));

  beforeAll(async () => {
    sb = await startTestSandbox();
    const iam = iamClient(sb);
    const connect = connectClient(sb);
    providerArn = (
      await iam.send(new CreateSAMLProviderCommand({ Name: 'Okta_Connect', SAMLMetadataDocument: META }))
    ).SAMLProviderArn as string;
    otherProviderArn = (
      await iam.send(
        new CreateSAMLProviderCommand({ Name: 'Okta_Old', SAMLMetadataDocument: metadataXml([OTHER_CERT]) }),
      )
    ).SAMLProviderArn as string;
    roleArn = (
      await iam.send(
        new CreateRoleCommand({ RoleName: 'Okta_Role', AssumeRolePolicyDocument: trustFor(providerArn) }),
      )
    ).Role?.Arn as string;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Trusts_Other',
        AssumeRolePolicyDocument: trustFor(otherProviderArn),
      }),
    );
    const instance = await connect.send(
      new CreateInstanceCommand({
        IdentityManagementType: 'SAML',
        InstanceAlias: 'saml-verify',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    instanceId = instance.Id as string;
    const security = await connect.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
    const routing = await connect.send(new ListRoutingProfilesCommand({ InstanceId: instanceId }));
    for (const username of [USER, 'Jane.Doe@example.com']) {
      await connect.send(
        new CreateUserCommand({
          InstanceId: instanceId,
          Username: username,
          IdentityInfo: { FirstName: 'T', LastName: 'User' },
          PhoneConfig: { PhoneType: 'SOFT_PHONE' },
          SecurityProfileIds: [security.SecurityProfileSummaryList?.[0]?.Id as string],
          RoutingProfileId: routing.RoutingProfileSummaryList?.[0]?.Id as string,
        }),
      );
    }
  });
  afterAll(async () => {
    await sb?.stop();
  });

  const response = (over: Partial<SamlResponseInput> = {}) =>
    encodeSamlResponse(signed({ roles: [{ roleArn, providerArn }], ...over }));

  it('passes with the metadata read from the provider the Role attribute names, role trust and the Connect user', async () => {
    const ctx = sandboxContext(sb);
    const v = await verifySamlResponse(response(), { context: ctx, instanceId, now: NOW });
    expect(v.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => c.check).slice(-3)).toEqual([
      'identity-provider',
      'role-trust',
      'connect-user',
    ]);
    expect(find(v, 'connect-user').message).toBe(`Connect user '${USER}' exists.`);
  });

  it('reads the metadata of a given providerArn', async () => {
    const ctx = sandboxContext(sb);
    const ok = await verifySamlResponse(response(), { context: ctx, providerArn, now: NOW });
    expect(ok.ok).toBe(true);
    // Checked against the old provider's metadata: the rotated-certificate failure.
    const old = await verifySamlResponse(response(), {
      context: ctx,
      providerArn: otherProviderArn,
      now: NOW,
    });
    expect(find(old, 'signature').message).toMatch(
      /^Error: Response signature invalid: the Assertion is signed with the certificate/,
    );
  });

  it('works without a context when given the metadata, and refuses to guess with neither', async () => {
    expect((await verifySamlResponse(response(), { metadata: META, now: NOW })).ok).toBe(true);
    await expect(verifySamlResponse(response(), {})).rejects.toBeInstanceOf(ConfigError);
  });

  it('fails a provider that does not exist with AWS wording', async () => {
    const ctx = sandboxContext(sb);
    const missing = `arn:aws:iam::${ACCOUNT}:saml-provider/Nope`;
    const byRole = await verifySamlResponse(response({ roles: [{ roleArn, providerArn: missing }] }), {
      context: ctx,
      now: NOW,
    });
    expect(byRole.ok).toBe(false);
    expect(find(byRole, 'signature').message).toMatch(
      /^Specified provider doesn't exist\. The IAM identity provider .*Nope does not exist/,
    );
    const withMetadata = await verifySamlResponse(response({ roles: [{ roleArn, providerArn: missing }] }), {
      context: ctx,
      metadata: META,
      now: NOW,
    });
    expect(failed(withMetadata)).toEqual(['identity-provider', 'role-trust']);
    expect(find(withMetadata, 'identity-provider').message).toContain("Specified provider doesn't exist.");
  });

  it("fails a role that does not exist or does not trust the response's provider", async () => {
    const ctx = sandboxContext(sb);
    const noRole = await verifySamlResponse(
      response({ roles: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/Okta_Rol`, providerArn }] }),
      { context: ctx, now: NOW },
    );
    expect(failed(noRole)).toEqual(['role-trust']);
    expect(find(noRole, 'role-trust').message).toBe(
      `Not authorized to perform sts:AssumeRoleWithSAML: the role arn:aws:iam::${ACCOUNT}:role/Okta_Rol does not exist.`,
    );
    const untrusted = await verifySamlResponse(
      response({ roles: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/Trusts_Other`, providerArn }] }),
      { context: ctx, now: NOW },
    );
    expect(failed(untrusted)).toEqual(['role-trust']);
    expect(find(untrusted, 'role-trust').message).toContain(
      `does not allow ${providerArn} to call sts:AssumeRoleWithSAML`,
    );
  });

  it('fails a second role pair whose provider does not verify the response', async () => {
    const ctx = sandboxContext(sb);
    const v = await verifySamlResponse(
      response({
        roles: [
          { roleArn, providerArn },
          { roleArn: `arn:aws:iam::${ACCOUNT}:role/Trusts_Other`, providerArn: otherProviderArn },
        ],
      }),
      { context: ctx, providerArn, now: NOW },
    );
    expect(failed(v)).toEqual(['identity-provider']);
    expect(find(v, 'identity-provider').message).toContain(
      `${otherProviderArn}: Error: Response signature invalid`,
    );
  });

  it('fails a Connect username that differs only in case, showing both spellings', async () => {
    const ctx = sandboxContext(sb);
    const v = await verifySamlResponse(response({ roleSessionName: 'jane.doe@example.com' }), {
      context: ctx,
      instanceId,
      now: NOW,
    });
    expect(failed(v)).toEqual(['connect-user']);
    const c = find(v, 'connect-user');
    expect(c.message).toContain("No Connect user is named 'jane.doe@example.com'");
    expect(c.message).toContain("'Jane.Doe@example.com' differs only in case");
    expect(c.fix).toContain("to 'Jane.Doe@example.com'");
    const none = await verifySamlResponse(response({ roleSessionName: 'nobody@example.com' }), {
      context: ctx,
      instanceId,
      now: NOW,
    });
    expect(find(none, 'connect-user').message).toMatch(/No Connect user is named 'nobody@example.com'/);
  });

  it('reports hostile input as failed checks without any call', async () => {
    const ctx = sandboxContext(sb);
    sb.resetRequests();
    const v = await verifySamlResponse(
      encodeSamlResponse('<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:1/">]><x>&e;</x>'),
      {
        context: ctx,
        instanceId,
        now: NOW,
      },
    );
    expect(v.ok).toBe(false);
    expect(find(v, 'xml').status).toBe('fail');
    expect(sb.requests()).toEqual([]);
  });
});
