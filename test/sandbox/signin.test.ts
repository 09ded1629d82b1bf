/**
 * The sandbox's sign-in simulation (`sb.login` and the HTTP endpoints) over a setup the library
 * provisioned: success for each app, then each link of the chain broken on its own, with the stage and
 * the message a real user would see.
 *
 * The setup is provisioned once into a state file; each test starts its own sandbox from a copy.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand, DeleteUserCommand, ListUsersCommand } from '@aws-sdk/client-connect';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  DetachRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { provisionConnectSso } from '../../src/workflows/provision/provision.js';
import type { ProvisionResult } from '../../src/workflows/provision/types.js';
import { connectClient, iamClient, oktaClient, sandboxContext, startTestSandbox } from '../helpers.js';
import { addPeople, config } from '../support/config.js';

const ACCOUNT = '123456789012';
const ADMIN_LABEL = 'Amazon Connect Administrator';
const CCP_LABEL = 'Amazon Connect CCP';

function createUsers(sb: Sandbox): void {
  addPeople(sb, 2);
  sb.admin.createOktaUser({ login: 'outsider@acme.com', firstName: 'Out', lastName: 'Sider' });
}

interface Provisioned {
  file: string;
  result: ProvisionResult;
}

/** Provision the whole setup (both role-mapping modes) into a state file. */
async function provisionTo(mode: 'api-integration' | 'group-mapping'): Promise<Provisioned> {
  const file = join(mkdtempSync(join(tmpdir(), 'cos-signin-')), 'state.json');
  const sb = await startTestSandbox({ stateFile: file });
  try {
    createUsers(sb);
    const ctx = sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' });
    const cfg = config(sb, mode === 'group-mapping' ? { roleMapping: 'group-mapping' } : {});
    let result = await provisionConnectSso(cfg, { context: ctx });
    if (mode === 'api-integration') {
      const key = result.accessKey;
      const secret = key?.secretAccessKey?.reveal() ?? '';
      for (const app of result.apps) {
        await sb.admin.enableApiIntegration(app.appId ?? '', {
          accessKeyId: key?.accessKeyId ?? '',
          secretAccessKey: secret,
        });
      }
      result = await provisionConnectSso(cfg, { context: ctx });
    }
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('complete');
    return { file, result };
  } finally {
    await sb.stop();
  }
}

/** A sandbox of its own, started from a copy of the provisioned state. */
async function fromState(setup: Provisioned, options: { now?: () => number } = {}): Promise<Sandbox> {
  const file = join(mkdtempSync(join(tmpdir(), 'cos-signin-')), 'state.json');
  copyFileSync(setup.file, file);
  return startSandbox({ port: 0, instanceCreationMs: 0, stateFile: file, ...options });
}

function app(setup: Provisioned, kind: 'admin' | 'ccp') {
  const found = setup.result.apps.find((a) => a.kind === kind);
  if (!found?.appId) throw new Error(`no ${kind} app`);
  return found as typeof found & { appId: string };
}

const instanceId = (setup: Provisioned): string => setup.result.instance.instanceId ?? '';

/** One provisioned api-integration setup for the suites below (each test copies it). */
let apiSetup: Promise<Provisioned> | undefined;
const apiIntegrationSetup = (): Promise<Provisioned> => {
  apiSetup ??= provisionTo('api-integration');
  return apiSetup;
};

describe('sb.login (api-integration setup)', () => {
  let setup: Provisioned;
  let sb: Sandbox | undefined;
  beforeAll(async () => {
    setup = await apiIntegrationSetup();
  });
  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
  });

  it('signs each user in to its app: the Connect user, the relay state and the destination', async () => {
    sb = await fromState(setup);
    const admin = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' });
    expect(admin).toMatchObject({
      ok: true,
      connectUser: { username: 'jane.doe@acme.com' },
      relayState: `https://us-east-1.console.aws.amazon.com/connect/federate/${instanceId(setup)}`,
      destination: undefined,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Okta_Role`,
      roleSessionName: 'jane.doe@acme.com',
      federation: { signInUrl: 'https://acme-cc.my.connect.aws/auth/sign-in' },
    });
    if (!admin.ok) throw new Error(admin.message);
    const users = await connectClient(sb).send(new ListUsersCommand({ InstanceId: instanceId(setup) }));
    expect(users.UserSummaryList?.find((u) => u.Username === 'jane.doe@acme.com')?.Id).toBe(
      admin.connectUser.id,
    );

    // By app id too; the CCP app's relay state carries the softphone destination.
    const ccp = await sb.login({ app: app(setup, 'ccp').appId, login: 'AGENT1@acme.com' });
    expect(ccp).toMatchObject({
      ok: true,
      connectUser: { username: 'agent1@acme.com' },
      destination: '/ccp-v2',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Okta_CCP_Role`,
    });
    expect(ccp.ok && ccp.relayState).toBe(app(setup, 'ccp').relayState);

    // A relay state given explicitly wins over the app's.
    const workspace = await sb.login({
      app: CCP_LABEL,
      login: 'agent1@acme.com',
      relayState: `https://us-east-1.console.aws.amazon.com/connect/federate/${instanceId(setup)}?destination=%2Fagent-app-v2`,
    });
    expect(workspace).toMatchObject({ ok: true, destination: '/agent-app-v2' });

    // The role records its use, as IAM's RoleLastUsed shows.
    expect(sb.state().iam.roles.find((r) => r.name === 'Okta_Role')?.lastUsed).toBeDefined();
  });

  it('takes the app kind for its label: admin, ccp; an ambiguous kind asks for the label or id', async () => {
    sb = await fromState(setup);
    expect(await sb.login({ app: 'admin', login: 'jane.doe@acme.com' })).toMatchObject({
      ok: true,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Okta_Role`,
      destination: undefined,
    });
    expect(await sb.login({ app: 'ccp', login: 'agent1@acme.com' })).toMatchObject({
      ok: true,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Okta_CCP_Role`,
      destination: '/ccp-v2',
    });
    // No app of that kind: Okta says it knows no such app.
    const none = await sb.login({ app: 'agent-workspace', login: 'agent1@acme.com' });
    expect(none).toMatchObject({ ok: false, stage: 'okta' });
    expect(!none.ok && none.detail).toContain("'agent-workspace'");

    // A second app with the CCP label makes 'ccp' ambiguous; its label and id still work.
    const res = await fetch(`${sb.url}/api/v1/apps`, {
      method: 'POST',
      headers: {
        authorization: `SSWS ${sb.okta.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        name: 'amazon_aws',
        label: CCP_LABEL,
        signOnMode: 'SAML_2_0',
        settings: {
          app: { awsEnvironmentType: 'aws.amazon', identityProviderArn: '', sessionDuration: 3600 },
          signOn: { defaultRelayState: app(setup, 'ccp').relayState },
        },
      }),
    });
    expect(res.status).toBe(200);
    const twin = (await res.json()) as { id: string };
    await expect(sb.login({ app: 'ccp', login: 'agent1@acme.com' })).rejects.toThrow(
      new RegExp(
        `app 'ccp' matches 2 Okta apps \\('${CCP_LABEL}' ${app(setup, 'ccp').appId}, '${CCP_LABEL}' ${twin.id}\\): pass the label or id`,
      ),
    );
    expect(await sb.login({ app: app(setup, 'ccp').appId, login: 'agent1@acme.com' })).toMatchObject({
      ok: true,
    });
  });

  it('okta: a user the app is not assigned to, an unknown user, an unknown app', async () => {
    sb = await fromState(setup);
    const outsider = await sb.login({ app: ADMIN_LABEL, login: 'outsider@acme.com' });
    expect(outsider).toMatchObject({ ok: false, stage: 'okta' });
    expect(!outsider.ok && outsider.message).toBe(
      `403 App Not Assigned: Sorry, you can't access ${ADMIN_LABEL} because you are not assigned this app in Okta. If you're wondering why this is happening, please contact your administrator.`,
    );
    // The admin user is assigned to the admin app only.
    expect(await sb.login({ app: CCP_LABEL, login: 'jane.doe@acme.com' })).toMatchObject({
      ok: false,
      stage: 'okta',
    });
    expect(await sb.login({ app: ADMIN_LABEL, login: 'nobody@acme.com' })).toMatchObject({
      ok: false,
      stage: 'okta',
      message: 'Unable to sign in',
    });
    expect(await sb.login({ app: 'No such app', login: 'jane.doe@acme.com' })).toMatchObject({
      ok: false,
      stage: 'okta',
    });
    // AWS's role picker: a role Okta did not send cannot be chosen.
    const picked = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com', role: 'Okta_CCP_Role' });
    expect(picked).toMatchObject({ ok: false, stage: 'saml' });
    expect(await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com', role: 'Okta_Role' })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  it('okta: an assigned user without a SAML role gets AWS’s invalid-response page', async () => {
    sb = await fromState(setup);
    const okta = oktaClient(sb);
    const appId = app(setup, 'admin').appId;
    const user = sb.state().okta.users;
    const jane = Object.values(user).find((u) => u.profile.login === 'jane.doe@acme.com');
    await okta.applicationApi.updateApplicationUser({
      appId,
      userId: jane?.id ?? '',
      appUser: { profile: { role: null, samlRoles: [] } },
    });
    const result = await sb.login({ app: appId, login: 'jane.doe@acme.com' });
    expect(result).toMatchObject({
      ok: false,
      stage: 'okta',
      message: 'Your request included an invalid SAML response. To logout, click here.',
    });
    expect(!result.ok && result.detail).toContain('samlRoles');
  });

  it('signature: the Okta key rotated without updating IAM is "Response signature invalid"', async () => {
    sb = await fromState(setup);
    sb.admin.rotateSigningKey(app(setup, 'admin').appId);
    const result = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' });
    expect(result).toMatchObject({
      ok: false,
      stage: 'signature',
      message: 'Error: Response signature invalid',
    });
    expect(!result.ok && result.detail).toContain('Okta_Connect_Admin');
    // The other app still signs with its own key, which IAM knows.
    expect(await sb.login({ app: CCP_LABEL, login: 'agent1@acme.com' })).toMatchObject({ ok: true });

    // Once IAM holds the app's new metadata, sign-in works again.
    const appId = app(setup, 'admin').appId;
    const metadata = await fetch(`${sb.url}/api/v1/apps/${appId}/sso/saml/metadata`, {
      headers: { authorization: `SSWS ${sb.okta.token}`, accept: 'application/xml' },
    });
    await iamClient(sb).send(
      new UpdateSAMLProviderCommand({
        SAMLProviderArn: app(setup, 'admin').providerArn ?? '',
        SAMLMetadataDocument: await metadata.text(),
      }),
    );
    expect(await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' })).toMatchObject({ ok: true });
  });

  it('saml: a response received after it expired', async () => {
    let now = Date.now();
    sb = await fromState(setup, { now: () => now });
    const late = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com', at: now + 60 * 60 * 1000 });
    expect(late).toMatchObject({
      ok: false,
      stage: 'saml',
      message: 'Your request included an invalid SAML response. To logout, click here.',
    });
    expect(!late.ok && late.detail).toMatch(/^time: .*expired/);
    now += 60_000;
    expect(await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' })).toMatchObject({ ok: true });
  });

  it('trust: a trust policy naming another provider, or another SAML:aud', async () => {
    sb = await fromState(setup);
    const iam = iamClient(sb);
    const trust = (provider: string, aud: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/${provider}` },
            Action: 'sts:AssumeRoleWithSAML',
            Condition: { StringEquals: { 'SAML:aud': aud } },
          },
        ],
      });
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust('Okta_Connect_CCP', 'https://signin.aws.amazon.com/saml'),
      }),
    );
    const otherProvider = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' });
    expect(otherProvider).toMatchObject({
      ok: false,
      stage: 'trust',
      message: 'Not authorized to perform sts:AssumeRoleWithSAML',
    });

    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust('Okta_Connect_Admin', 'https://eu-west-1.signin.aws.amazon.com/saml'),
      }),
    );
    const otherAudience = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' });
    expect(otherAudience).toMatchObject({ ok: false, stage: 'trust' });
    expect(!otherAudience.ok && otherAudience.detail).toContain(
      'SAML:aud = https://signin.aws.amazon.com/saml',
    );

    // Put back as the library wrote it: sign-in works again.
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust('Okta_Connect_Admin', 'https://signin.aws.amazon.com/saml'),
      }),
    );
    expect(await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' })).toMatchObject({ ok: true });
  });

  it('policy: the federation policy detached, or allowing another instance only', async () => {
    sb = await fromState(setup);
    const iam = iamClient(sb);
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/okta_federation_policy`;
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: policyArn }));
    const detached = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' });
    expect(detached).toMatchObject({
      ok: false,
      stage: 'policy',
      message: 'Access denied, Please contact your AWS account administrator for assistance.',
    });
    expect(!detached.ok && detached.detail).toContain(`instance/${instanceId(setup)}/user/AROA`);

    // A relay state for another instance: the policy names this one only.
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: policyArn }));
    const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const elsewhere = await sb.login({
      app: ADMIN_LABEL,
      login: 'jane.doe@acme.com',
      relayState: `https://us-east-1.console.aws.amazon.com/connect/federate/${other}`,
    });
    expect(elsewhere).toMatchObject({ ok: false, stage: 'policy' });
    expect(await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' })).toMatchObject({ ok: true });
  });

  it('connect: the Connect user missing, or named with another case', async () => {
    sb = await fromState(setup);
    const connect = connectClient(sb);
    const id = instanceId(setup);
    const users = await connect.send(new ListUsersCommand({ InstanceId: id }));
    const agent = users.UserSummaryList?.find((u) => u.Username === 'agent1@acme.com');
    await connect.send(new DeleteUserCommand({ InstanceId: id, UserId: agent?.Id ?? '' }));
    const missing = await sb.login({ app: CCP_LABEL, login: 'agent1@acme.com' });
    const notOnboarded =
      'Access Denied. Your account has been authenticated, but has not been onboarded to this application.';
    expect(missing).toMatchObject({ ok: false, stage: 'connect', message: notOnboarded });

    const sb0 = sb;
    const profiles = sb0.state().connect.instances[id];
    const agentProfile = Object.values(profiles?.securityProfiles ?? {}).find((p) => p.name === 'Agent');
    const routing = Object.values(profiles?.routingProfiles ?? {})[0];
    await connect.send(
      new CreateUserCommand({
        InstanceId: id,
        Username: 'Agent1@acme.com',
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [agentProfile?.id ?? ''],
        RoutingProfileId: routing?.id ?? '',
        IdentityInfo: { FirstName: 'Agent', LastName: 'One' },
      }),
    );
    const caseOnly = await sb.login({ app: CCP_LABEL, login: 'agent1@acme.com' });
    expect(caseOnly).toMatchObject({ ok: false, stage: 'connect' });
    expect(!caseOnly.ok && caseOnly.message).toContain(notOnboarded);
    expect(!caseOnly.ok && caseOnly.message).toContain(
      "'Agent1@acme.com' differs from the RoleSessionName 'agent1@acme.com' only in case",
    );
  });

  it('connect: a relay state that is not a Connect federate URL, or names an unknown instance', async () => {
    sb = await fromState(setup);
    const console = await sb.login({
      app: ADMIN_LABEL,
      login: 'jane.doe@acme.com',
      relayState: 'https://console.aws.amazon.com/ec2/home',
    });
    expect(console).toMatchObject({
      ok: false,
      stage: 'connect',
      message: 'You are signed in to the AWS Management Console, not to Amazon Connect.',
    });
    // The library's policy names its instance only, so an unknown instance is refused by the policy
    // first; with a broad policy, Connect is the one to refuse it.
    const iam = iamClient(sb);
    const broad = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'broad_federation',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'connect:GetFederationToken', Resource: '*' }],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: broad.Policy?.Arn ?? '' }),
    );
    const unknown = await sb.login({
      app: ADMIN_LABEL,
      login: 'jane.doe@acme.com',
      relayState:
        'https://us-east-1.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    });
    expect(unknown).toMatchObject({ ok: false, stage: 'connect', message: 'Instance not found' });
  });
});

describe('sb.login app kinds without the default labels', () => {
  it('falls back to the one app whose relay state leads where the kind does', async () => {
    const sb = await startTestSandbox();
    try {
      const post = (label: string, relayState: string) =>
        fetch(`${sb.url}/api/v1/apps`, {
          method: 'POST',
          headers: {
            authorization: `SSWS ${sb.okta.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({
            name: 'amazon_aws',
            label,
            signOnMode: 'SAML_2_0',
            settings: {
              app: { awsEnvironmentType: 'aws.amazon', identityProviderArn: '', sessionDuration: 3600 },
              signOn: { defaultRelayState: relayState },
            },
          }),
        });
      const federate =
        'https://us-east-1.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
      await post('Softphone', `${federate}?destination=%2Fccp-v2`);
      await post('Supervisors', federate);
      // The app is found (Okta then refuses the unknown user, not the app).
      const ccp = await sb.login({ app: 'ccp', login: 'nobody@acme.com' });
      expect(ccp).toMatchObject({ ok: false, stage: 'okta', message: 'Unable to sign in' });
      const admin = await sb.login({ app: 'admin', login: 'nobody@acme.com' });
      expect(admin).toMatchObject({ ok: false, stage: 'okta', message: 'Unable to sign in' });
      const workspace = await sb.login({ app: 'agent-workspace', login: 'nobody@acme.com' });
      expect(!workspace.ok && workspace.detail).toBe("no Okta app has the id or label 'agent-workspace'");
    } finally {
      await sb.stop();
    }
  });
});

describe('sign-in over HTTP', () => {
  let setup: Provisioned;
  let sb: Sandbox | undefined;
  beforeAll(async () => {
    setup = await apiIntegrationSetup();
  });
  afterEach(async () => {
    await sb?.stop();
    sb = undefined;
  });

  function formFields(html: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"\/>/g)) {
      out[m[1] ?? ''] = (m[2] ?? '')
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
    }
    return out;
  }

  it('the SSO URL answers an auto-post form; POST /saml redirects to the relay state', async () => {
    sb = await fromState(setup);
    const appId = app(setup, 'ccp').appId;
    const externalKey = sb.state().okta.apps[appId]?.externalKeyId ?? '';
    sb.resetRequests();
    const sso = await fetch(`${sb.url}/app/amazon_aws/${externalKey}/sso/saml?login=agent1%40acme.com`);
    expect(sso.status).toBe(200);
    const page = await sso.text();
    expect(page).toContain(`action="${sb.url}/saml"`);
    const fields = formFields(page);
    expect(Buffer.from(fields.SAMLResponse ?? '', 'base64').toString('utf8')).toContain(
      `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/${externalKey}</saml2:Issuer>`,
    );
    expect(fields.RelayState).toBe(app(setup, 'ccp').relayState);
    expect(sb.requests()).toMatchObject([
      { service: 'okta', operation: 'SamlSso', status: 200, write: false },
    ]);

    const post = await fetch(`${sb.url}/saml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    expect(post.status).toBe(302);
    expect(post.headers.get('location')).toBe(app(setup, 'ccp').relayState);
    expect(post.headers.get('x-sandbox-connect-user')).toBe('agent1@acme.com');

    // The app's sign-in link works the same way.
    const link = await fetch(`${sb.url}/home/amazon_aws/${appId}/272?login=agent1%40acme.com`);
    expect(formFields(await link.text()).SAMLResponse).toBeTruthy();
  });

  it('error pages: Okta’s for an unassigned user, AWS’s for a tampered response', async () => {
    sb = await fromState(setup);
    const appId = app(setup, 'admin').appId;
    const denied = await fetch(`${sb.url}/home/amazon_aws/${appId}/272?login=outsider%40acme.com`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-sandbox-signin-stage')).toBe('okta');
    expect(await denied.text()).toContain('because you are not assigned this app in Okta');

    const ok = await fetch(`${sb.url}/home/amazon_aws/${appId}/272?login=jane.doe%40acme.com`);
    const fields = formFields(await ok.text());
    const xml = Buffer.from(fields.SAMLResponse ?? '', 'base64').toString('utf8');
    const tampered = xml.replace(
      'jane.doe@acme.com</saml2:AttributeValue>',
      'agent1@acme.com</saml2:AttributeValue>',
    );
    expect(tampered).not.toBe(xml);
    const post = await fetch(`${sb.url}/saml`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        SAMLResponse: Buffer.from(tampered, 'utf8').toString('base64'),
        RelayState: fields.RelayState ?? '',
      }).toString(),
      redirect: 'manual',
    });
    expect(post.status).toBe(403);
    expect(post.headers.get('x-sandbox-signin-stage')).toBe('signature');
    expect(await post.text()).toContain('Error: Response signature invalid');

    // Garbage never crashes the endpoint.
    for (const body of ['SAMLResponse=%%%', 'SAMLResponse=PD94bWw%2B', 'nothing=1']) {
      const res = await fetch(`${sb.url}/saml`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Your request included an invalid SAML response');
    }
  });
});

describe('sb.login (group-mapping setup)', () => {
  it('signs in with the Role the user’s group maps to; leaving the group leaves no role', async () => {
    const setup = await provisionTo('group-mapping');
    const sb = await fromState(setup);
    try {
      const admin = await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' });
      expect(admin).toMatchObject({
        ok: true,
        connectUser: { username: 'jane.doe@acme.com' },
        roleArn: `arn:aws:iam::${ACCOUNT}:role/Okta_Role`,
        destination: undefined,
      });
      expect(await sb.login({ app: CCP_LABEL, login: 'agent1@acme.com' })).toMatchObject({
        ok: true,
        destination: '/ccp-v2',
      });

      // Without its group the user has no role (and, here, no assignment either: the group gave both).
      const state = sb.state().okta;
      const group = Object.values(state.groups).find((g) => g.profile.name === `aws_${ACCOUNT}_Okta_Role`);
      const jane = Object.values(state.users).find((u) => u.profile.login === 'jane.doe@acme.com');
      await oktaClient(sb).groupApi.unassignUserFromGroup({
        groupId: group?.id ?? '',
        userId: jane?.id ?? '',
      });
      expect(await sb.login({ app: ADMIN_LABEL, login: 'jane.doe@acme.com' })).toMatchObject({
        ok: false,
        stage: 'okta',
      });
    } finally {
      await sb.stop();
    }
  });
});
