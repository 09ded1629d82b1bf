/**
 * linkIdentityProvider against the sandbox with the real IAM and Okta SDKs: the SAML provider, the role
 * and its trust, the policies, and the provider ARN written back into the Okta app.
 */

import { inspect } from 'node:util';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, SsoContext } from '../../../src/core/context.js';
import { ConfigError, ConflictError, ProviderError } from '../../../src/core/errors.js';
import { decodePolicyDocument, samePolicy } from '../../../src/providers/aws/policy-document.js';
import { ownershipTags } from '../../../src/providers/aws/tags.js';
import {
  createOktaFederationApp,
  type OktaFederationAppResult,
} from '../../../src/resources/okta-app/ensure.js';
import { buildRelayState } from '../../../src/resources/okta-app/relay-state.js';
import {
  type LinkIdentityProviderInput,
  linkIdentityProvider,
  samlTrustPolicy,
} from '../../../src/resources/saml-provider-role/ensure.js';
import type { Sandbox, SandboxOptions } from '../../../src/sandbox/index.js';
import { iamClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { type JsonObject, oktaJson } from '../../support/okta.js';

const ACCOUNT = '123456789012';
const RELAY = buildRelayState({ region: 'us-east-1', instanceId: '8f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e' });
const GLOBAL_AUD = 'https://signin.aws.amazon.com/saml';
const providerArnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:saml-provider/${name}`;

async function createPolicy(iam: IAMClient, name: string, action: string): Promise<string> {
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: name,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
      }),
    }),
  );
  return Policy?.Arn as string;
}

async function attachedTo(iam: IAMClient, roleName: string): Promise<string[]> {
  const { AttachedPolicies } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (AttachedPolicies ?? []).map((p) => p.PolicyArn as string).sort();
}

const writeOps = (sb: Sandbox) => writes(sb).map((w) => `${w.service} ${w.operation}`);

/** A sandbox with an Okta app and the two policies of the guide; names unique per call. */
interface World {
  sb: Sandbox;
  ctx: SsoContext;
  iam: IAMClient;
  federationPolicy: string;
  oktaAccessPolicy: string;
}

let world: World;
let n = 0;

async function startWorld(options: SandboxOptions = {}, clock?: Clock): Promise<World> {
  const sb = await startTestSandbox(options);
  const ctx = sandboxContext(sb, clock ? { clock } : {});
  const iam = iamClient(sb);
  return {
    sb,
    ctx,
    iam,
    federationPolicy: await createPolicy(iam, 'okta_federation_policy', 'connect:GetFederationToken'),
    oktaAccessPolicy: await createPolicy(iam, 'okta_cli_policy', 'iam:ListRoles'),
  };
}

/** A fresh app plus unique provider and role names for one test. */
async function fixture(w: World = world) {
  const i = ++n;
  const app = await createOktaFederationApp(w.ctx, { label: `Connect link ${i}`, relayState: RELAY });
  const input: LinkIdentityProviderInput = {
    appId: app.appId as string,
    metadata: app.metadata as NonNullable<OktaFederationAppResult['metadata']>,
    providerName: `Okta_Connect_${i}`,
    roleName: `Okta_Role_${i}`,
    policyArns: [w.federationPolicy],
  };
  w.sb.resetRequests();
  return { app, input, providerName: `Okta_Connect_${i}`, roleName: `Okta_Role_${i}` };
}

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.sb.stop();
});
beforeEach(() => {
  world.sb.resetRequests();
});

describe('linkIdentityProvider', () => {
  it('creates the provider and the role, attaches the policy, and writes the ARN into the app', async () => {
    const { sb, iam } = world;
    const { app, input, providerName, roleName } = await fixture();
    const result = await linkIdentityProvider(world.ctx, input);

    expect(result).toMatchObject({
      action: 'created',
      dryRun: false,
      providerArn: providerArnOf(providerName),
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
      roleName,
      appId: app.appId,
      otherAttachedPolicyArns: [],
    });
    expect(result.roleId).toMatch(/^AROA/);
    expect(writeOps(sb)).toEqual([
      'iam CreateSAMLProvider',
      'iam CreateRole',
      'iam AttachRolePolicy',
      'okta ReplaceApplication',
    ]);

    const provider = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: result.providerArn }));
    expect(provider.SAMLMetadataDocument).toBe(app.metadataXml);
    expect(provider.Tags).toEqual(expect.arrayContaining(ownershipTags(world.ctx)));
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(role?.Tags).toEqual(expect.arrayContaining(ownershipTags(world.ctx)));
    expect(role?.MaxSessionDuration).toBe(3600);
    const trust = decodePolicyDocument(role?.AssumeRolePolicyDocument ?? '') as {
      Statement: JsonObject[];
    };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: providerArnOf(providerName) },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': GLOBAL_AUD } },
      },
    ]);
    expect(await attachedTo(iam, roleName)).toEqual([world.federationPolicy]);

    // The app keeps settings.app and the relay state through the PUT (read back raw).
    const raw = await oktaJson(sb, 'GET', `/api/v1/apps/${app.appId}`);
    expect(raw.settings.app).toMatchObject({
      identityProviderArn: providerArnOf(providerName),
      loginURL: RELAY,
      awsEnvironmentType: 'aws.amazon',
      sessionDuration: 3600,
    });
    expect(raw.settings.signOn.defaultRelayState).toBe(RELAY);
  });

  it('makes zero writes, in IAM and in Okta, on a second run with the same input', async () => {
    const { input } = await fixture();
    const first = await linkIdentityProvider(world.ctx, input);
    world.sb.resetRequests();
    const second = await linkIdentityProvider(world.ctx, input);
    expect(second).toEqual({ ...first, action: 'unchanged', changes: [] });
    expect(writes(world.sb)).toEqual([]);
    // …and createOktaFederationApp leaves the linked app alone (identityProviderArn is not its business).
    const app = await createOktaFederationApp(world.ctx, {
      label: `Connect link ${n}`,
      relayState: RELAY,
    });
    expect(app.action).toBe('unchanged');
    expect(writes(world.sb)).toEqual([]);
  });

  it("keeps the app's identityProviderArn when createOktaFederationApp repairs the relay state", async () => {
    const { app, input, providerName } = await fixture();
    await linkIdentityProvider(world.ctx, input);
    const raw = await oktaJson(world.sb, 'GET', `/api/v1/apps/${app.appId}`);
    raw.settings.signOn.defaultRelayState = `${RELAY}?destination=%2Fccp-v2`;
    await oktaJson(world.sb, 'PUT', `/api/v1/apps/${app.appId}`, raw);

    const repaired = await createOktaFederationApp(world.ctx, { label: app.label, relayState: RELAY });
    expect(repaired.action).toBe('updated');
    const after = await oktaJson(world.sb, 'GET', `/api/v1/apps/${app.appId}`);
    expect(after.settings.signOn.defaultRelayState).toBe(RELAY);
    expect(after.settings.app.identityProviderArn).toBe(providerArnOf(providerName));
    world.sb.resetRequests();
    expect((await linkIdentityProvider(world.ctx, input)).action).toBe('unchanged');
    expect(writes(world.sb)).toEqual([]);
  });

  it('repairs a trust policy changed by hand', async () => {
    const { input, roleName, providerName } = await fixture();
    await linkIdentityProvider(world.ctx, input);
    await world.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: roleName,
        PolicyDocument: JSON.stringify(
          samlTrustPolicy(providerArnOf(providerName), ['https://eu-west-1.signin.aws.amazon.com/saml']),
        ),
      }),
    );
    world.sb.resetRequests();
    const result = await linkIdentityProvider(world.ctx, input);
    expect(result.action).toBe('updated');
    expect(result.changes).toEqual([expect.stringMatching(/^role trust policy: replaced/)]);
    expect(writeOps(world.sb)).toEqual(['iam UpdateAssumeRolePolicy']);
    const { Role: role } = await world.iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(
      samePolicy(role?.AssumeRolePolicyDocument, samlTrustPolicy(providerArnOf(providerName), [GLOBAL_AUD])),
    ).toBe(true);
  });

  it('follows a signing key rotation: the provider gets the new certificate, then nothing changes', async () => {
    const { app, input, providerName } = await fixture();
    await linkIdentityProvider(world.ctx, input);
    const { kid } = world.sb.admin.rotateSigningKey(app.appId as string);

    const rotated = await createOktaFederationApp(world.ctx, { label: app.label, relayState: RELAY });
    expect(rotated.signingKid).toBe(kid);
    expect(rotated.metadataXml).not.toBe(app.metadataXml);
    const newCert = rotated.metadata?.signingCertificates[0]?.base64;
    expect(newCert).not.toBe(app.metadata?.signingCertificates[0]?.base64);

    world.sb.resetRequests();
    const result = await linkIdentityProvider(world.ctx, {
      ...input,
      metadata: rotated.metadataXml as string,
    });
    expect(result.action).toBe('updated');
    expect(result.changes).toEqual([expect.stringMatching(/^saml provider metadata: signing certificate/)]);
    expect(writeOps(world.sb)).toEqual(['iam UpdateSAMLProvider']);
    const provider = await world.iam.send(
      new GetSAMLProviderCommand({ SAMLProviderArn: providerArnOf(providerName) }),
    );
    expect(provider.SAMLMetadataDocument?.replace(/\s/g, '')).toContain(newCert);

    world.sb.resetRequests();
    const again = await linkIdentityProvider(world.ctx, {
      ...input,
      metadata: rotated.metadataXml as string,
    });
    expect(again.action).toBe('unchanged');
    expect(writes(world.sb)).toEqual([]);
  });

  it('compares certificates, not XML text: reformatted metadata with the same certificate is unchanged', async () => {
    const { app, input } = await fixture();
    await linkIdentityProvider(world.ctx, input);
    const reformatted = (app.metadataXml as string).replace(/></g, '>\n  <');
    world.sb.resetRequests();
    const result = await linkIdentityProvider(world.ctx, { ...input, metadata: reformatted });
    expect(result.action).toBe('unchanged');
    expect(writes(world.sb)).toEqual([]);
  });

  it('regional sign-in: SAML:aud lists the regional endpoint too', async () => {
    const { input, roleName, providerName } = await fixture();
    await linkIdentityProvider(world.ctx, { ...input, regionalSignIn: true });
    const { Role: role } = await world.iam.send(new GetRoleCommand({ RoleName: roleName }));
    const trust = decodePolicyDocument(role?.AssumeRolePolicyDocument ?? '') as {
      Statement: { Condition: { StringEquals: JsonObject } }[];
    };
    expect(trust.Statement[0]?.Condition.StringEquals['SAML:aud']).toEqual([
      GLOBAL_AUD,
      'https://us-east-1.signin.aws.amazon.com/saml',
    ]);
    // Switching back to global only is drift.
    const back = await linkIdentityProvider(world.ctx, input);
    expect(back.changes).toEqual([expect.stringMatching(/^role trust policy/)]);
    expect(
      samePolicy(
        (await world.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.AssumeRolePolicyDocument,
        samlTrustPolicy(providerArnOf(providerName), [GLOBAL_AUD]),
      ),
    ).toBe(true);
  });

  it("raises the role's MaxSessionDuration to the session duration, never lowers it", async () => {
    const { input, roleName } = await fixture();
    await linkIdentityProvider(world.ctx, { ...input, sessionDuration: 7200 });
    const max = async () =>
      (await world.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.MaxSessionDuration;
    expect(await max()).toBe(7200);
    const longer = await linkIdentityProvider(world.ctx, { ...input, sessionDuration: 14_400 });
    expect(longer.changes).toEqual(['role max session duration: 7200 → 14400']);
    expect(await max()).toBe(14_400);
    world.sb.resetRequests();
    expect((await linkIdentityProvider(world.ctx, { ...input, sessionDuration: 3600 })).action).toBe(
      'unchanged',
    );
    expect(await max()).toBe(14_400);
  });

  it('attachOktaAccessPolicyToRole: attaches the guide policy, detaches it again when false, leaves others', async () => {
    const { input, roleName } = await fixture();
    const both = {
      ...input,
      oktaAccessPolicyArn: world.oktaAccessPolicy,
      attachOktaAccessPolicyToRole: true,
    };
    await linkIdentityProvider(world.ctx, both);
    expect(await attachedTo(world.iam, roleName)).toEqual(
      [world.federationPolicy, world.oktaAccessPolicy].sort(),
    );
    // Someone attaches a policy of their own: reported, never detached.
    const theirs = await createPolicy(world.iam, `theirs_${n}`, 'sts:GetCallerIdentity');
    await world.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: theirs }));

    world.sb.resetRequests();
    const leastPrivilege = await linkIdentityProvider(world.ctx, {
      ...input,
      oktaAccessPolicyArn: world.oktaAccessPolicy,
    });
    expect(leastPrivilege.changes).toEqual([
      `role policy: detach ${world.oktaAccessPolicy} (attachOktaAccessPolicyToRole is false: least privilege)`,
    ]);
    expect(leastPrivilege.otherAttachedPolicyArns).toEqual([theirs]);
    expect(writeOps(world.sb)).toEqual(['iam DetachRolePolicy']);
    expect(await attachedTo(world.iam, roleName)).toEqual([world.federationPolicy, theirs].sort());

    world.sb.resetRequests();
    const again = await linkIdentityProvider(world.ctx, {
      ...input,
      oktaAccessPolicyArn: world.oktaAccessPolicy,
    });
    expect(again.action).toBe('unchanged');
    expect(writes(world.sb)).toEqual([]);
  });

  describe('conflicts', () => {
    it('a role with the name but not our tags: ConflictError before any write; adopt tags and converges it', async () => {
      const { input, roleName, providerName } = await fixture();
      await world.iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          }),
        }),
      );
      world.sb.resetRequests();
      const error = await linkIdentityProvider(world.ctx, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/not created by connect-okta-sso.*adopt: true/s);
      expect(writes(world.sb)).toEqual([]);

      const adopted = await linkIdentityProvider(world.ctx, { ...input, adopt: true });
      expect(adopted.action).toBe('created'); // the provider is new
      expect(adopted.changes).toEqual(
        expect.arrayContaining([
          `role: ownership tags added (adopted '${roleName}')`,
          expect.stringMatching(/^role trust policy: replaced/),
        ]),
      );
      const { Role: role } = await world.iam.send(new GetRoleCommand({ RoleName: roleName }));
      expect(role?.Tags).toEqual(expect.arrayContaining(ownershipTags(world.ctx)));
      expect(
        samePolicy(
          role?.AssumeRolePolicyDocument,
          samlTrustPolicy(providerArnOf(providerName), [GLOBAL_AUD]),
        ),
      ).toBe(true);
      world.sb.resetRequests();
      expect((await linkIdentityProvider(world.ctx, input)).action).toBe('unchanged');
      expect(writes(world.sb)).toEqual([]);
    });

    it("a provider with the name but not our tags (or another stack's): ConflictError; adopt tags it", async () => {
      const { app, input, providerName } = await fixture();
      await world.iam.send(
        new CreateSAMLProviderCommand({
          Name: providerName,
          SAMLMetadataDocument: app.metadataXml,
          Tags: [{ Key: 'owner', Value: 'identity-team' }],
        }),
      );
      world.sb.resetRequests();
      await expect(linkIdentityProvider(world.ctx, input)).rejects.toBeInstanceOf(ConflictError);
      const otherStack = sandboxContext(world.sb, { stack: 'prod' });
      await expect(linkIdentityProvider(otherStack, input)).rejects.toThrow(
        /not created by connect-okta-sso/,
      );
      expect(writes(world.sb)).toEqual([]);

      const adopted = await linkIdentityProvider(world.ctx, { ...input, adopt: true });
      expect(adopted.changes[0]).toBe(`saml provider: ownership tags added (adopted '${providerName}')`);
      const provider = await world.iam.send(
        new GetSAMLProviderCommand({ SAMLProviderArn: providerArnOf(providerName) }),
      );
      expect(provider.Tags).toEqual(
        expect.arrayContaining([{ Key: 'owner', Value: 'identity-team' }, ...ownershipTags(world.ctx)]),
      );
      // Now it is test-stack's: stack 'prod' is told whose it is.
      await expect(linkIdentityProvider(otherStack, input)).rejects.toThrow(
        /belongs to connect-okta-sso stack 'test-stack'/,
      );
    });
  });

  describe('invalid input makes zero requests', () => {
    const cases: [
      string,
      (i: LinkIdentityProviderInput) => Partial<LinkIdentityProviderInput>,
      string,
      RegExp,
    ][] = [
      [
        'metadata that is too short',
        () => ({ metadata: '<md:EntityDescriptor/>' }),
        'metadata',
        /at least 1000/,
      ],
      [
        'metadata with a DOCTYPE',
        (i) => ({ metadata: `<!DOCTYPE x [<!ENTITY a "b">]>${(i.metadata as { xml: string }).xml}` }),
        'metadata',
        /DOCTYPE/,
      ],
      [
        'metadata of the wrong type',
        () => ({ metadata: 42 as unknown as string }),
        'metadata',
        /metadata XML/,
      ],
      ['no policy', () => ({ policyArns: [] }), 'policyArns', /at least one/],
      [
        'a policy name instead of an ARN',
        () => ({ policyArns: ['okta_federation_policy'] }),
        'policyArns[0]',
        /policy ARN/,
      ],
      [
        'the guide policy requested without its ARN',
        () => ({ attachOktaAccessPolicyToRole: true }),
        'oktaAccessPolicyArn',
        /required when attachOktaAccessPolicyToRole/,
      ],
      ['a role name with a space', () => ({ roleName: 'Okta Role' }), 'roleName', /1–64/],
      ['a provider name with a slash', () => ({ providerName: 'Okta/Connect' }), 'providerName', /1–128/],
      ['a session over 12 h', () => ({ sessionDuration: 50_000 }), 'sessionDuration', /900 to 43200/],
      ['an app id with a path', () => ({ appId: '../users' }), 'appId', /Okta app id/],
    ];
    let input: LinkIdentityProviderInput;
    beforeAll(async () => {
      ({ input } = await fixture());
    });
    it.each(cases)('%s', async (_what, patch, field, message) => {
      world.sb.resetRequests();
      const error = await linkIdentityProvider(world.ctx, { ...input, ...patch(input) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as ConfigError).message).toMatch(message);
      expect(world.sb.requests()).toEqual([]);
    });
  });

  describe('dryRun', () => {
    it('reports the creation and writes nothing', async () => {
      const { input, providerName, roleName } = await fixture();
      const result = await linkIdentityProvider(world.ctx, { ...input, dryRun: true });
      expect(result).toMatchObject({
        action: 'created',
        dryRun: true,
        providerArn: undefined,
        roleArn: undefined,
        roleId: undefined,
      });
      expect(result.changes).toEqual([
        expect.stringMatching(new RegExp(`^saml provider: create '${providerName}'`)),
        `role: create '${roleName}' trusting saml provider '${providerName}'`,
        `role policy: attach ${world.federationPolicy}`,
        expect.stringMatching(/^okta app identityProviderArn: unset → /),
      ]);
      expect(writes(world.sb)).toEqual([]);
    });

    it('reports drift and leaves it', async () => {
      const { app, input, roleName } = await fixture();
      await linkIdentityProvider(world.ctx, input);
      world.sb.admin.rotateSigningKey(app.appId as string);
      const rotated = await createOktaFederationApp(world.ctx, { label: app.label, relayState: RELAY });
      world.sb.resetRequests();
      const result = await linkIdentityProvider(world.ctx, {
        ...input,
        metadata: rotated.metadata as { xml: string },
        sessionDuration: 7200,
        dryRun: true,
      });
      expect(result.action).toBe('updated');
      expect(result.changes).toEqual([
        expect.stringMatching(/^saml provider metadata/),
        'role max session duration: 3600 → 7200',
      ]);
      expect(result.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/${roleName}`);
      expect(writes(world.sb)).toEqual([]);
    });
  });

  it('an unknown app is a ProviderError from Okta before any IAM call', async () => {
    const { input } = await fixture();
    const error = await linkIdentityProvider(world.ctx, { ...input, appId: '0oa0000000000000none' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ service: 'okta', providerCode: 'E0000007', httpStatus: 404 });
    expect(world.sb.requests().map((r) => r.service)).toEqual(['okta']);
  });

  describe('IAM eventual consistency', () => {
    it('retries CreateRole while the new provider is not yet a valid principal (real time)', async () => {
      const w = await startWorld({ iamConsistencyMs: 300 });
      try {
        const { input, roleName } = await fixture(w);
        const result = await linkIdentityProvider(w.ctx, input);
        expect(result.action).toBe('created');
        const creates = w.sb.requests().filter((r) => r.operation === 'CreateRole');
        expect(creates.length).toBeGreaterThanOrEqual(2);
        expect(creates[0]).toMatchObject({ status: 400, errorCode: 'MalformedPolicyDocument' });
        expect(creates.at(-1)?.status).toBe(200);
        expect(await attachedTo(w.iam, roleName)).toEqual([w.federationPolicy]);
      } finally {
        await w.sb.stop();
      }
    });

    it('waits out a long propagation on an injected clock, and gives up at the bound', async () => {
      let t = Date.now();
      const clock: Clock = {
        now: () => t,
        sleep: async (ms) => {
          t += ms;
        },
      };
      const w = await startWorld({ iamConsistencyMs: 60_000, now: () => t }, clock);
      try {
        const patient = await fixture(w);
        const start = t;
        const result = await linkIdentityProvider(w.ctx, patient.input);
        expect(result.action).toBe('created');
        expect(t - start).toBeGreaterThanOrEqual(60_000);
        expect(t - start).toBeLessThan(120_000);

        const hasty = await fixture(w);
        const error = await linkIdentityProvider(w.ctx, {
          ...hasty.input,
          iamConsistencyTimeoutMs: 5_000,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({
          service: 'iam',
          operation: 'CreateRole',
          providerCode: 'MalformedPolicyDocument',
        });
        expect((error as Error).message).toMatch(/after 5000 ms.*Invalid principal/s);
        // Neither the secret key nor the request signature travels with the error.
        for (const text of [JSON.stringify(error), inspect(error, { depth: 20 })]) {
          expect(text).not.toContain(w.sb.aws.credentials.secretAccessKey);
          expect(text).not.toContain(w.sb.okta.token);
          expect(text).not.toMatch(/Signature=[0-9a-f]{64}/);
        }
        // The provider exists; a later run finishes the job.
        t += 60_000;
        const later = await linkIdentityProvider(w.ctx, hasty.input);
        expect(later.action).toBe('created');
        expect(later.changes[0]).toBe(
          `role: create '${hasty.roleName}' trusting saml provider '${hasty.providerName}'`,
        );
      } finally {
        await w.sb.stop();
      }
    });
  });
});
