/**
 * IAM's deletes as a teardown meets them, with the real @aws-sdk/client-iam: what is still attached or
 * still has keys or versions is a DeleteConflict (409), and once it is gone the delete goes through, in
 * the reverse order of creation (keys, then the user; detach, then the role; versions, then the policy).
 */

import { readFileSync } from 'node:fs';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteSAMLProviderCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  GetUserCommand,
  type IAMClient,
  ListSAMLProvidersCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { iamClient, sdkFailure, startTestSandbox } from '../helpers.js';
import { guideTrustPolicy } from '../support/guide.js';

const ACCOUNT = '123456789012';
const CERT = readFileSync(new URL('../fixtures/saml-idp.cert.b64', import.meta.url), 'utf8').trim();
const METADATA = `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor entityID="http://www.okta.com/exk1deletes000000007" xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://dev-1.okta.com/app/amazon_aws/exk1deletes000000007/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>`;

const policy = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('IAM deletes', () => {
  let sb: Sandbox;
  let iam: IAMClient;
  beforeAll(async () => {
    sb = await startTestSandbox();
    iam = iamClient(sb);
  });
  afterAll(() => sb.stop());

  it('tears a federation setup down in dependency order, refusing each step taken too early', async () => {
    const provider = await iam.send(
      new CreateSAMLProviderCommand({ Name: 'Okta_Connect_Admin', SAMLMetadataDocument: METADATA }),
    );
    const providerArn = provider.SAMLProviderArn ?? '';
    const trust = guideTrustPolicy(providerArn);
    await iam.send(new CreateRoleCommand({ RoleName: 'Okta_Role', AssumeRolePolicyDocument: trust }));
    const federation = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'okta_federation_policy',
        PolicyDocument: policy('connect:GetFederationToken'),
      }),
    );
    const federationArn = federation.Policy?.Arn ?? '';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: federationArn }));
    const access = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'okta_access_policy', PolicyDocument: policy('iam:ListRoles') }),
    );
    const accessArn = access.Policy?.Arn ?? '';
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: accessArn,
        PolicyDocument: policy('iam:List*'),
        SetAsDefault: true,
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: 'okta_cli_user' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'okta_cli_user', PolicyArn: accessArn }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'okta_cli_user' }));

    const conflict = (message: string) => ({ name: 'DeleteConflictException', status: 409, message });

    // The role: its policies first.
    expect(await sdkFailure(iam.send(new DeleteRoleCommand({ RoleName: 'Okta_Role' })))).toEqual(
      conflict('Cannot delete entity, must detach all policies first.'),
    );
    // A policy still attached to the role cannot go either.
    expect(await sdkFailure(iam.send(new DeletePolicyCommand({ PolicyArn: federationArn })))).toEqual(
      conflict('Cannot delete a policy attached to entities.'),
    );
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: federationArn }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'Okta_Role' }));
    expect(await sdkFailure(iam.send(new GetRoleCommand({ RoleName: 'Okta_Role' })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
    });
    await iam.send(new DeletePolicyCommand({ PolicyArn: federationArn }));

    // The user: its policies, then its keys.
    expect(await sdkFailure(iam.send(new DeleteUserCommand({ UserName: 'okta_cli_user' })))).toEqual(
      conflict('Cannot delete entity, must detach all policies first.'),
    );
    await iam.send(new DetachUserPolicyCommand({ UserName: 'okta_cli_user', PolicyArn: accessArn }));
    expect(await sdkFailure(iam.send(new DeleteUserCommand({ UserName: 'okta_cli_user' })))).toEqual(
      conflict('Cannot delete entity, must delete access keys first.'),
    );
    await iam.send(
      new DeleteAccessKeyCommand({ UserName: 'okta_cli_user', AccessKeyId: key.AccessKey?.AccessKeyId }),
    );
    await iam.send(new DeleteUserCommand({ UserName: 'okta_cli_user' }));
    expect(await sdkFailure(iam.send(new GetUserCommand({ UserName: 'okta_cli_user' })))).toMatchObject({
      name: 'NoSuchEntityException',
    });

    // The policy: detached now, but it still has a version besides the default.
    const versions = await sdkFailure(iam.send(new DeletePolicyCommand({ PolicyArn: accessArn })));
    expect(versions.name).toBe('DeleteConflictException');
    expect(versions.message).toMatch(/^This policy has more than one version\./);
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: accessArn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: accessArn }));
    expect(await sdkFailure(iam.send(new GetPolicyCommand({ PolicyArn: accessArn })))).toMatchObject({
      name: 'NoSuchEntityException',
    });

    // The SAML provider goes last; deleting it twice is NoSuchEntity.
    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: providerArn }));
    expect(await sdkFailure(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `Manifest not found for arn ${providerArn}`,
    });
    expect(
      await sdkFailure(iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: providerArn }))),
    ).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList).toEqual([]);
    expect(providerArn).toBe(`arn:aws:iam::${ACCOUNT}:saml-provider/Okta_Connect_Admin`);
  });

  it('deletes a SAML provider a role still trusts: IAM does not track trust policies', async () => {
    const provider = await iam.send(
      new CreateSAMLProviderCommand({ Name: 'Okta_Connect_CCP', SAMLMetadataDocument: METADATA }),
    );
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: provider.SAMLProviderArn },
          Action: 'sts:AssumeRoleWithSAML',
        },
      ],
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'Okta_CCP_Role', AssumeRolePolicyDocument: trust }));
    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: provider.SAMLProviderArn }));
    const role = await iam.send(new GetRoleCommand({ RoleName: 'Okta_CCP_Role' }));
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toContain(
      provider.SAMLProviderArn ?? 'x',
    );
  });
});
