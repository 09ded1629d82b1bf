/**
 * destroySamlRole and destroySamlProvider against the sandbox with the real IAM client: policies
 * detached before the role goes, only this stack's role and provider, nothing written twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError } from '../../../src/core/errors.js';
import { ownershipTags } from '../../../src/providers/aws/tags.js';
import { destroySamlProvider, destroySamlRole } from '../../../src/resources/saml-provider-role/destroy.js';
import { samlTrustPolicy } from '../../../src/resources/saml-provider-role/ensure.js';
import { iamClient, sandboxContext, sandboxSuite, startTestSandbox } from '../../helpers.js';

const ACCOUNT = '123456789012';
const METADATA = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'okta-metadata.xml'), 'utf8');

const suite = sandboxSuite();
const { ctx, writeOps } = suite;
let iam: IAMClient;
beforeAll(() => {
  iam = iamClient(suite.sb);
});
const roles = () => suite.sb.state().iam.roles.map((r) => r.name);
const providers = () => suite.sb.state().iam.samlProviders.map((p) => p.name);

async function provider(name: string, stack?: string): Promise<string> {
  const out = await iam.send(
    new CreateSAMLProviderCommand({
      Name: name,
      SAMLMetadataDocument: METADATA,
      ...(stack ? { Tags: ownershipTags({ stack }) } : {}),
    }),
  );
  return out.SAMLProviderArn as string;
}

async function role(name: string, providerArn: string, stack?: string): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify(
        samlTrustPolicy(providerArn, ['https://signin.aws.amazon.com/saml']),
      ),
      ...(stack ? { Tags: ownershipTags({ stack }) } : {}),
    }),
  );
}

async function policy(name: string): Promise<string> {
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: name,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'connect:GetFederationToken', Resource: '*' }],
      }),
    }),
  );
  return Policy?.Arn as string;
}

describe('destroySamlRole', () => {
  it('detaches the policies, then deletes the role; a second call writes nothing', async () => {
    const providerArn = await provider('Okta_A', 'acme-cc');
    await role('Okta_Role_A', providerArn, 'acme-cc');
    const p1 = await policy('p_one');
    const p2 = await policy('p_two');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role_A', PolicyArn: p1 }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role_A', PolicyArn: p2 }));
    suite.sb.resetRequests();

    const planned = await destroySamlRole(ctx(), { roleName: 'Okta_Role_A', dryRun: true });
    expect(planned).toMatchObject({
      kind: 'iam-role',
      resource: 'iam role Okta_Role_A',
      id: `arn:aws:iam::${ACCOUNT}:role/Okta_Role_A`,
      action: 'delete',
      reason: 'detach p_one, then detach p_two, then delete the role',
      dryRun: true,
    });
    expect(writeOps()).toEqual([]);

    expect((await destroySamlRole(ctx(), { roleName: 'Okta_Role_A' })).action).toBe('delete');
    expect(writeOps()).toEqual(['DetachRolePolicy', 'DetachRolePolicy', 'DeleteRole']);
    expect(roles()).not.toContain('Okta_Role_A');
    // The policies are not the role's to delete.
    expect(suite.sb.state().iam.policies.map((p) => p.name)).toEqual(
      expect.arrayContaining(['p_one', 'p_two']),
    );

    suite.sb.resetRequests();
    expect(await destroySamlRole(ctx(), { roleName: 'Okta_Role_A' })).toMatchObject({ action: 'absent' });
    expect(writeOps()).toEqual([]);
  });

  it("never touches a same-named role that is not this stack's", async () => {
    const providerArn = await provider('Okta_B');
    await role('Okta_Role_B', providerArn);
    await role('Okta_Role_C', providerArn, 'other-stack');
    suite.sb.resetRequests();
    const foreign = await destroySamlRole(ctx(), { roleName: 'okta_role_b' });
    expect(foreign).toMatchObject({ action: 'foreign', resource: 'iam role okta_role_b' });
    expect(foreign.reason).toContain('was not created by connect-okta-sso');
    const other = await destroySamlRole(ctx(), { roleName: 'Okta_Role_C' });
    expect(other.reason).toContain("stack 'other-stack'");
    expect(writeOps()).toEqual([]);
    expect(roles()).toEqual(expect.arrayContaining(['Okta_Role_B', 'Okta_Role_C']));
  });

  it('explains a role still in use: a policy attached after the run looked (DeleteConflict)', async () => {
    let attach: (() => void) | undefined;
    const racy = await startTestSandbox({
      // DeleteRole waits a moment in the sandbox, so the attachment below lands first.
      latencyMs: { DeleteRole: 1000 },
      onRequest: (e) => {
        if (e.operation === 'DetachRolePolicy') attach?.();
      },
    });
    try {
      const racyIam = iamClient(racy);
      const c = sandboxContext(racy, { stack: 'acme-cc' });
      const { SAMLProviderArn } = await racyIam.send(
        new CreateSAMLProviderCommand({ Name: 'Okta_R', SAMLMetadataDocument: METADATA }),
      );
      await racyIam.send(
        new CreateRoleCommand({
          RoleName: 'Okta_Role_R',
          AssumeRolePolicyDocument: JSON.stringify(
            samlTrustPolicy(SAMLProviderArn as string, ['https://signin.aws.amazon.com/saml']),
          ),
          Tags: ownershipTags({ stack: 'acme-cc' }),
        }),
      );
      const mk = async (name: string) =>
        (
          await racyIam.send(
            new CreatePolicyCommand({
              PolicyName: name,
              PolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'connect:GetFederationToken', Resource: '*' }],
              }),
            }),
          )
        ).Policy?.Arn as string;
      const ours = await mk('p_ours');
      const late = await mk('p_late');
      await racyIam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role_R', PolicyArn: ours }));
      attach = () => {
        attach = undefined;
        void racyIam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role_R', PolicyArn: late }));
      };
      const error = await destroySamlRole(c, { roleName: 'Okta_Role_R' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).resource).toBe('iam role Okta_Role_R');
      expect((error as Error).message).toContain('the role is still in use (DeleteConflict');
      expect((error as Error).message).toContain(
        'aws iam list-attached-role-policies --role-name Okta_Role_R',
      );
      expect(racy.state().iam.roles.map((r) => r.name)).toContain('Okta_Role_R');

      // Run again: the late policy is detached too, and the role goes.
      expect((await destroySamlRole(c, { roleName: 'Okta_Role_R' })).action).toBe('delete');
      expect(racy.state().iam.roles.map((r) => r.name)).not.toContain('Okta_Role_R');
    } finally {
      await racy.stop();
    }
  });

  it('refuses a bad role name before any request', async () => {
    await expect(destroySamlRole(ctx(), { roleName: 'a role' })).rejects.toBeInstanceOf(ConfigError);
    expect(suite.sb.requests()).toEqual([]);
  });
});

describe('destroySamlProvider', () => {
  it("deletes this stack's provider (found ignoring case) and leaves others", async () => {
    await provider('Okta_D', 'acme-cc');
    await provider('Okta_E');
    suite.sb.resetRequests();
    expect(await destroySamlProvider(ctx(), { providerName: 'okta_d', dryRun: true })).toMatchObject({
      action: 'delete',
      id: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta_D`,
    });
    expect(writeOps()).toEqual([]);
    expect((await destroySamlProvider(ctx(), { providerName: 'Okta_D' })).action).toBe('delete');
    expect(writeOps()).toEqual(['DeleteSAMLProvider']);
    expect(providers()).not.toContain('Okta_D');

    suite.sb.resetRequests();
    expect((await destroySamlProvider(ctx(), { providerName: 'Okta_D' })).action).toBe('absent');
    expect((await destroySamlProvider(ctx(), { providerName: 'Okta_E' })).action).toBe('foreign');
    expect(writeOps()).toEqual([]);
    expect(providers()).toContain('Okta_E');
  });

  it('refuses a bad provider name before any request', async () => {
    await expect(destroySamlProvider(ctx(), { providerName: 'a b' })).rejects.toBeInstanceOf(ConfigError);
    expect(suite.sb.requests()).toEqual([]);
  });
});
