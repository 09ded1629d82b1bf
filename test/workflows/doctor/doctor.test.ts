/**
 * doctor against the sandbox with the real SDKs: a clean setup is all ok with zero writes; each test
 * breaks exactly one link (raw SDK calls or the sandbox's back doors) and finds that check failing.
 *
 * One provision per mode (beforeAll) is saved as a sandbox state file; every test starts a sandbox from
 * a copy of it, so the tests are independent and fast.
 */

import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateInstanceCommand,
  CreateUserCommand,
  DeleteInstanceCommand,
  DeleteUserCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import {
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteSAMLProviderCommand,
  DetachRolePolicyCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagSAMLProviderCommand,
  UntagUserCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectSsoConfig } from '../../../src/config/index.js';
import type { SsoContext } from '../../../src/core/context.js';
import { ConfigError } from '../../../src/core/errors.js';
import { oktaRequest } from '../../../src/providers/okta/transport.js';
import { getOktaApp, type OktaAppJson, replaceOktaApp } from '../../../src/resources/okta-app/ensure.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type DoctorFinding, type DoctorReport, doctor } from '../../../src/workflows/doctor/doctor.js';
import { provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import { connectClient, iamClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { addPeople, config } from '../../support/config.js';

const ACCOUNT = '123456789012';
const FEDERATION_POLICY = `arn:aws:iam::${ACCOUNT}:policy/okta_federation_policy`;
const ADMIN_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta_Connect_Admin`;
const CCP_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta_Connect_CCP`;
const ADMIN = 'Amazon Connect Administrator';
const CCP = 'Amazon Connect CCP';

type Mode = 'api-integration' | 'group-mapping';
interface Fixture {
  file: string;
  secret: string;
  accessKeyId: string;
}

/** Provision a complete setup once and keep the sandbox's state file. */
async function provisioned(mode: Mode): Promise<Fixture> {
  const file = join(mkdtempSync(join(tmpdir(), 'cos-doctor-')), 'state.json');
  const sb = await startTestSandbox({ instanceCreationMs: 0, stateFile: file });
  try {
    addPeople(sb, 2);
    const ctx = sandboxContext(sb, { maxAttempts: 3 });
    const cfg = config(sb, { roleMapping: mode });
    const first = await provisionConnectSso(cfg, { context: ctx });
    expect(first.errors).toEqual([]);
    const secret = first.accessKey?.secretAccessKey?.reveal() ?? '';
    const accessKeyId = first.accessKey?.accessKeyId ?? '';
    if (mode === 'api-integration') {
      for (const app of first.apps) {
        await sb.admin.enableApiIntegration(app.appId ?? '', { accessKeyId, secretAccessKey: secret });
      }
      expect((await provisionConnectSso(cfg, { context: ctx })).status).toBe('complete');
    } else {
      expect(first.status).toBe('complete');
    }
    return { file, secret, accessKeyId };
  } finally {
    await sb.stop();
  }
}

/** The findings of a check, optionally only those whose resource mentions `resource`. */
function findings(report: DoctorReport, check: string, resource?: string): DoctorFinding[] {
  return report.findings.filter(
    (f) => f.check === check && (resource === undefined || f.resource.includes(resource)),
  );
}

function only(report: DoctorReport, check: string, resource?: string): DoctorFinding {
  const found = findings(report, check, resource);
  expect(found, `${check} ${resource ?? ''}`).toHaveLength(1);
  return found[0] as DoctorFinding;
}

/** The checks that are not ok, as `status check resource`. */
const problems = (report: DoctorReport) =>
  report.findings.filter((f) => f.status !== 'ok').map((f) => `${f.status} ${f.check} ${f.resource}`);

/** The simulated sign-in agrees with the doctor: it fails at `stage` (or succeeds when undefined). */
async function expectLogin(sb: Sandbox, app: string, login: string, stage?: string): Promise<void> {
  const result = await sb.login({ app, login });
  expect(result).toMatchObject(stage === undefined ? { ok: true } : { ok: false, stage });
}

function setup(mode: Mode) {
  const t = {
    fixture: undefined as unknown as Fixture,
    sb: undefined as unknown as Sandbox,
    ctx: undefined as unknown as SsoContext,
  };
  beforeAll(async () => {
    t.fixture = await provisioned(mode);
  });
  afterEach(async () => {
    await t.sb?.stop();
  });
  const start = async (): Promise<Sandbox> => {
    const copy = join(mkdtempSync(join(tmpdir(), 'cos-doctor-')), 'state.json');
    copyFileSync(t.fixture.file, copy);
    t.sb = await startTestSandbox({ instanceCreationMs: 0, stateFile: copy });
    t.ctx = sandboxContext(t.sb);
    return t.sb;
  };
  /** Run the doctor and prove it wrote nothing. */
  const examine = async (options: { now?: Date; extra?: Partial<ConnectSsoConfig> } = {}) => {
    t.sb.resetRequests();
    const report = await doctor(config(t.sb, { roleMapping: mode, ...options.extra }), {
      context: t.ctx,
      ...(options.now ? { now: options.now } : {}),
    });
    expect(writes(t.sb)).toEqual([]);
    return report;
  };
  const appId = (label: string) => {
    const app = Object.values(t.sb.state().okta.apps).find((a) => a.label === label);
    if (!app) throw new Error(`no app ${label}`);
    return app.id;
  };
  const userId = (login: string) => {
    const user = Object.values(t.sb.state().okta.users).find((u) => u.profile.login === login);
    if (!user) throw new Error(`no user ${login}`);
    return user.id;
  };
  const instance = () => {
    const found = Object.values(t.sb.state().connect.instances)[0];
    if (!found) throw new Error('no instance');
    return found;
  };
  /** Change the Okta app by a full replace (what an admin's edit in the console amounts to). */
  const editApp = async (label: string, edit: (app: OktaAppJson) => void) => {
    const app = await getOktaApp(t.ctx, appId(label));
    edit(app);
    await replaceOktaApp(t.ctx, app);
  };
  return { t, start, examine, appId, userId, instance, editApp };
}

describe('doctor (api-integration)', () => {
  const { t, start, examine, appId, userId, instance, editApp } = setup('api-integration');

  it('finds a clean setup all ok, with zero writes', async () => {
    await start();
    const report = await examine();
    expect(problems(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.summary.fail + report.summary.warn).toBe(0);
    // Users come from list calls: no per-user read when every user is where it should be.
    const operations = t.sb.requests().map((r) => `${r.service}:${r.operation}`);
    expect(operations).not.toContain('okta:GetUser');
    expect(operations).not.toContain('okta:GetApplicationUser');
    expect(operations).not.toContain('connect:DescribeUser');
    expect(operations.filter((o) => o === 'okta:ListApplicationUsers')).toHaveLength(2);
    expect(operations.filter((o) => o === 'connect:ListUsers')).toHaveLength(1);
    await expectLogin(t.sb, ADMIN, 'jane.doe@acme.com');
    await expectLogin(t.sb, CCP, 'agent1@acme.com');
    const checks = new Set(report.findings.map((f) => f.check));
    for (const check of [
      'instance.exists',
      'instance.active',
      'instance.identity',
      'instance.ownership',
      'federation-policy.exists',
      'federation-policy.resource',
      'federation-policy.ownership',
      'okta-access-policy.ownership',
      'okta-api-user.ownership',
      'app.exists',
      'app.ownership',
      'app.active',
      'provider.exists',
      'provider.ownership',
      'provider.certificate',
      'certificate.expiry',
      'role.exists',
      'role.ownership',
      'role.trust-provider',
      'role.trust-action',
      'role.trust-audience',
      'role.federation-policy',
      'app.identity-provider-arn',
      'app.relay-state',
      'app.api-integration',
      'app.role-imported',
      'user.assigned',
      'user.connect',
    ]) {
      expect(checks.has(check), check).toBe(true);
    }
    // One finding per app for per-app checks, one per user for user checks.
    expect(findings(report, 'role.trust-provider')).toHaveLength(2);
    expect(findings(report, 'user.connect')).toHaveLength(2);
  });

  it('rejects an invalid config before any call', async () => {
    await start();
    t.sb.resetRequests();
    const error = await doctor(config(t.sb, { users: [{ login: 'x@acme.com', app: 'nope' }] }), {
      context: t.ctx,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(t.sb.requests()).toEqual([]);
  });

  // ---- the instance

  it('instance.exists: a deleted instance fails, and the checks that need it are not reported', async () => {
    await start();
    await connectClient(t.sb).send(new DeleteInstanceCommand({ InstanceId: instance().id }));
    const report = await examine();
    expect(only(report, 'instance.exists')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/provision/),
    });
    expect(findings(report, 'app.relay-state')).toEqual([]);
    expect(findings(report, 'user.connect')).toEqual([]);
    expect(report.ok).toBe(false);
  });

  it('instance.ownership: an instance without our tags is reported', async () => {
    await start();
    await connectClient(t.sb).send(
      new UntagResourceCommand({
        resourceArn: instance().arn,
        tagKeys: ['managed-by', 'connect-okta-sso:stack'],
      }),
    );
    const report = await examine();
    expect(only(report, 'instance.ownership')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/not created by connect-okta-sso/),
      fix: expect.stringMatching(/adopt: true/),
    });
    expect(problems(report)).toEqual(['warn instance.ownership connect instance acme-cc']);
    expect(report.ok).toBe(true);
  });

  // ---- the federation policy

  it('federation-policy.resource: another instance ARN, a missing /user/${aws:userid}, a wildcard', async () => {
    await start();
    const iam = iamClient(t.sb);
    const other = `arn:aws:connect:us-east-1:${ACCOUNT}:instance/11111111-2222-3333-4444-555555555555`;
    const setResource = (resource: string) =>
      iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: FEDERATION_POLICY,
          SetAsDefault: true,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'connect:GetFederationToken', Resource: resource }],
          }),
        }),
      );
    await setResource(`${other}/user/\${aws:userid}`);
    let report = await examine();
    expect(only(report, 'federation-policy.resource')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('names instance 11111111-2222-3333-4444-555555555555'),
    });
    expect(problems(report)).toEqual(['fail federation-policy.resource iam policy okta_federation_policy']);

    await setResource(instance().arn);
    report = await examine();
    expect(only(report, 'federation-policy.resource')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining("not its users as '/user/${aws:userid}'"),
    });

    await setResource(`${instance().arn}/user/*`);
    report = await examine();
    expect(only(report, 'federation-policy.resource').status).toBe('warn');
  });

  it('federation-policy.exists: a deleted policy fails', async () => {
    await start();
    const iam = iamClient(t.sb);
    for (const role of ['Okta_Role', 'Okta_CCP_Role']) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: FEDERATION_POLICY }));
    }
    await iam.send(new DeletePolicyCommand({ PolicyArn: FEDERATION_POLICY }));
    const report = await examine();
    expect(only(report, 'federation-policy.exists').status).toBe('fail');
  });

  it('federation-policy.ownership, okta-access-policy.ownership, okta-api-user.ownership', async () => {
    await start();
    const iam = iamClient(t.sb);
    await iam.send(new UntagPolicyCommand({ PolicyArn: FEDERATION_POLICY, TagKeys: ['managed-by'] }));
    await iam.send(
      new TagPolicyCommand({
        PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/okta_cli_policy`,
        Tags: [{ Key: 'connect-okta-sso:stack', Value: 'other-cc' }],
      }),
    );
    await iam.send(new UntagUserCommand({ UserName: 'okta_cli_user', TagKeys: ['managed-by'] }));
    const report = await examine();
    expect(problems(report).sort()).toEqual([
      'warn federation-policy.ownership iam policy okta_federation_policy',
      'warn okta-access-policy.ownership iam policy okta_cli_policy',
      'warn okta-api-user.ownership iam user okta_cli_user',
    ]);
    expect(only(report, 'okta-access-policy.ownership').message).toMatch(/stack 'other-cc', not 'acme-cc'/);
  });

  // ---- the Okta app

  it('app.exists: a renamed app is missing; two apps with the label are ambiguous', async () => {
    await start();
    await editApp(CCP, (app) => {
      app.label = 'Renamed CCP';
    });
    let report = await examine();
    expect(only(report, 'app.exists', CCP).status).toBe('fail');
    expect(only(report, 'app.exists', ADMIN).status).toBe('ok');

    await editApp('Renamed CCP', (app) => {
      app.label = ADMIN;
    });
    report = await examine();
    expect(only(report, 'app.exists', ADMIN)).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('2 amazon_aws apps are labelled'),
    });
  });

  it('app.ownership: an app without our marker is reported', async () => {
    await start();
    await editApp(ADMIN, (app) => {
      app.settings = { ...app.settings, notes: { admin: 'made by hand', enduser: null } };
    });
    const report = await examine();
    expect(problems(report)).toEqual([`warn app.ownership okta app "${ADMIN}"`]);
  });

  it('app.active: a deactivated app fails', async () => {
    await start();
    await oktaRequest(t.ctx, 'DeactivateApplication', {
      method: 'POST',
      path: `/api/v1/apps/${appId(CCP)}/lifecycle/deactivate`,
    });
    const report = await examine();
    expect(only(report, 'app.active', CCP)).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/Activate/),
    });
    expect(problems(report)).toEqual([`fail app.active okta app "${CCP}"`]);
  });

  it('app.identity-provider-arn: the app names another provider', async () => {
    await start();
    await editApp(ADMIN, (app) => {
      app.settings = { ...app.settings, app: { ...app.settings?.app, identityProviderArn: CCP_PROVIDER } };
    });
    const report = await examine();
    expect(only(report, 'app.identity-provider-arn', ADMIN)).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(ADMIN_PROVIDER),
    });
    expect(problems(report)).toEqual([`fail app.identity-provider-arn okta app "${ADMIN}"`]);
  });

  it('app.relay-state: the instance ARN instead of its id; another region', async () => {
    await start();
    const setRelay = (relay: string) =>
      editApp(CCP, (app) => {
        app.settings = { ...app.settings, signOn: { ...app.settings?.signOn, defaultRelayState: relay } };
      });
    await setRelay(
      `https://us-east-1.console.aws.amazon.com/connect/federate/${encodeURIComponent(instance().arn)}?destination=%2Fccp-v2`,
    );
    let report = await examine();
    expect(only(report, 'app.relay-state', CCP)).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('contains the Connect instance ARN'),
    });
    expect(problems(report)).toEqual([`fail app.relay-state okta app "${CCP}"`]);

    await setRelay(
      `https://eu-west-2.console.aws.amazon.com/connect/federate/${instance().id}?destination=%2Fccp-v2`,
    );
    report = await examine();
    expect(only(report, 'app.relay-state', CCP).message).toContain(
      'names region eu-west-2; the instance is in us-east-1',
    );

    await setRelay(`https://us-east-1.console.aws.amazon.com/connect/federate/${instance().id}`);
    report = await examine();
    expect(only(report, 'app.relay-state', CCP).message).toContain(
      "destination is (unset), expected '/ccp-v2'",
    );
  });

  it('app.api-integration: "Create Users" not enabled', async () => {
    await start();
    await t.sb.admin.enableApiIntegration(
      appId(ADMIN),
      { accessKeyId: t.fixture.accessKeyId, secretAccessKey: t.fixture.secret },
      { createUsers: false },
    );
    const report = await examine();
    expect(only(report, 'app.api-integration', ADMIN)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Provisioning → Configure API Integration'),
    });
    expect(problems(report)).toEqual([`fail app.api-integration okta app "${ADMIN}"`]);
  });

  it('app.role-imported: Okta imported no role', async () => {
    await start();
    await t.sb.admin.enableApiIntegration(
      appId(ADMIN),
      { accessKeyId: t.fixture.accessKeyId, secretAccessKey: t.fixture.secret },
      { updateUserAttributes: false },
    );
    const report = await examine();
    expect(only(report, 'app.role-imported', ADMIN)).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('imported: none'),
      fix: expect.stringContaining('Refresh Application Data'),
    });
    expect(problems(report)).toEqual([`fail app.role-imported okta app "${ADMIN}"`]);
  });

  // ---- the SAML provider and its certificate

  it('provider.exists: a deleted provider fails', async () => {
    await start();
    await iamClient(t.sb).send(new DeleteSAMLProviderCommand({ SAMLProviderArn: CCP_PROVIDER }));
    const report = await examine();
    expect(only(report, 'provider.exists', 'Okta_Connect_CCP').status).toBe('fail');
    expect(problems(report)).toEqual(['fail provider.exists iam saml-provider Okta_Connect_CCP']);
  });

  it('provider.ownership: a provider without our tags is reported', async () => {
    await start();
    await iamClient(t.sb).send(
      new UntagSAMLProviderCommand({ SAMLProviderArn: ADMIN_PROVIDER, TagKeys: ['managed-by'] }),
    );
    const report = await examine();
    expect(problems(report)).toEqual(['warn provider.ownership iam saml-provider Okta_Connect_Admin']);
  });

  it('provider.certificate: a key rotated in Okta is the classic "Response signature invalid"', async () => {
    await start();
    t.sb.admin.rotateSigningKey(appId(ADMIN));
    const report = await examine();
    const finding = only(report, 'provider.certificate', 'Okta_Connect_Admin');
    expect(finding).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('Response signature invalid'),
      fix: expect.stringContaining('rotateSigningCertificate'),
    });
    expect(finding.message).toContain('an earlier key of the app');
    expect(problems(report)).toEqual(['fail provider.certificate iam saml-provider Okta_Connect_Admin']);
    await expectLogin(t.sb, ADMIN, 'jane.doe@acme.com', 'signature');
  });

  it('certificate.expiry: warns within 30 days, fails once expired', async () => {
    await start();
    const { data: keys } = await oktaRequest<{ kid: string; x5c: string[] }[]>(t.ctx, 'ListApplicationKeys', {
      method: 'GET',
      path: `/api/v1/apps/${appId(CCP)}/credentials/keys`,
    });
    const notAfter = new Date(new X509Certificate(Buffer.from(keys[0]?.x5c[0] ?? '', 'base64')).validTo);
    let report = await examine({ now: new Date(notAfter.getTime() - 10 * 86_400_000) });
    expect(only(report, 'certificate.expiry', CCP)).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('expires in 10 day(s)'),
      fix: expect.stringContaining('rotateSigningCertificate'),
    });
    report = await examine({ now: new Date(notAfter.getTime() + 86_400_000) });
    expect(only(report, 'certificate.expiry', CCP).status).toBe('fail');
    expect(report.ok).toBe(false);
  });

  // ---- the role

  it('role.exists: a deleted role fails', async () => {
    await start();
    const iam = iamClient(t.sb);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Okta_CCP_Role', PolicyArn: FEDERATION_POLICY }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'Okta_CCP_Role' }));
    const report = await examine();
    expect(only(report, 'role.exists', 'Okta_CCP_Role').status).toBe('fail');
  });

  it('role.ownership: a role without our tags is reported', async () => {
    await start();
    await iamClient(t.sb).send(new UntagRoleCommand({ RoleName: 'Okta_Role', TagKeys: ['managed-by'] }));
    const report = await examine();
    expect(problems(report)).toEqual(['warn role.ownership iam role Okta_Role']);
  });

  const trust = (principal: string, action: string, condition?: Record<string, unknown>) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: principal },
          Action: action,
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    });
  const AUD = { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } };

  it('role.trust-provider: the trust names another provider', async () => {
    await start();
    await iamClient(t.sb).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust(CCP_PROVIDER, 'sts:AssumeRoleWithSAML', AUD),
      }),
    );
    const report = await examine();
    expect(only(report, 'role.trust-provider', 'Okta_Role')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`it trusts ${CCP_PROVIDER}`),
    });
    expect(problems(report)).toEqual(['fail role.trust-provider iam role Okta_Role']);
    await expectLogin(t.sb, ADMIN, 'jane.doe@acme.com', 'trust');
  });

  it('role.trust-action: the trust allows another action', async () => {
    await start();
    await iamClient(t.sb).send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust(ADMIN_PROVIDER, 'sts:AssumeRoleWithWebIdentity', AUD),
      }),
    );
    const report = await examine();
    expect(only(report, 'role.trust-action', 'Okta_Role')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('sts:AssumeRoleWithWebIdentity'),
    });
    expect(problems(report)).toEqual(['fail role.trust-action iam role Okta_Role']);
  });

  it('role.trust-audience: a regional-only audience fails; no condition warns', async () => {
    await start();
    const iam = iamClient(t.sb);
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust(ADMIN_PROVIDER, 'sts:AssumeRoleWithSAML', {
          StringEquals: { 'SAML:aud': 'https://us-east-1.signin.aws.amazon.com/saml' },
        }),
      }),
    );
    let report = await examine();
    expect(only(report, 'role.trust-audience', 'Okta_Role')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining("'https://us-east-1.signin.aws.amazon.com/saml'"),
    });
    expect(problems(report)).toEqual(['fail role.trust-audience iam role Okta_Role']);

    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Okta_Role',
        PolicyDocument: trust(ADMIN_PROVIDER, 'sts:AssumeRoleWithSAML'),
      }),
    );
    report = await examine();
    expect(only(report, 'role.trust-audience', 'Okta_Role').status).toBe('warn');
  });

  it('role.federation-policy: the policy detached from the role', async () => {
    await start();
    await iamClient(t.sb).send(
      new DetachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: FEDERATION_POLICY }),
    );
    const report = await examine();
    expect(only(report, 'role.federation-policy', 'Okta_Role')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Attach policies'),
    });
    expect(problems(report)).toEqual(['fail role.federation-policy iam role Okta_Role']);
    await expectLogin(t.sb, ADMIN, 'jane.doe@acme.com', 'policy');
  });

  // ---- users

  it('user.assigned: unassigned, assigned without the role, no such Okta user', async () => {
    await start();
    await oktaRequest(t.ctx, 'UnassignUserFromApplication', {
      method: 'DELETE',
      path: `/api/v1/apps/${appId(CCP)}/users/${userId('agent1@acme.com')}`,
    });
    let report = await examine();
    expect(only(report, 'user.assigned', 'agent1@acme.com')).toMatchObject({
      status: 'fail',
      message: `is not assigned to the app "${CCP}"`,
    });
    expect(problems(report)).toEqual([`fail user.assigned user agent1@acme.com ("${CCP}")`]);

    await oktaRequest(t.ctx, 'UpdateApplicationUser', {
      method: 'POST',
      path: `/api/v1/apps/${appId(ADMIN)}/users/${userId('jane.doe@acme.com')}`,
      body: { profile: { role: null, samlRoles: [] } },
    });
    report = await examine();
    expect(only(report, 'user.assigned', 'jane.doe@acme.com').message).toContain(
      'without the role Okta_Role',
    );

    report = await examine({
      extra: { users: [{ login: 'ghost@acme.com', app: 'admin' }] },
    });
    expect(only(report, 'user.assigned', 'ghost@acme.com').message).toBe(
      "no Okta user with login 'ghost@acme.com'",
    );
  });

  it('user.okta-status: a suspended user fails, a PROVISIONED one (activation pending) warns', async () => {
    await start();
    let report = await examine();
    expect(report.findings.filter((f) => f.check === 'user.okta-status')).toEqual([]);
    t.sb.admin.suspendOktaUser('agent1@acme.com');
    report = await examine();
    expect(only(report, 'user.okta-status', 'agent1@acme.com')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('SUSPENDED'),
      fix: expect.stringContaining('Unsuspend'),
    });
    // Created through the API without a password: PROVISIONED until the user finishes the activation.
    await oktaRequest(t.ctx, 'CreateUser', {
      method: 'POST',
      path: '/api/v1/users',
      query: { activate: 'true' },
      body: {
        profile: {
          login: 'pending@acme.com',
          email: 'pending@acme.com',
          firstName: 'Pat',
          lastName: 'Ending',
        },
      },
    });
    report = await examine({ extra: { users: [{ login: 'pending@acme.com', app: 'admin' }] } });
    expect(only(report, 'user.okta-status', 'pending@acme.com')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('PROVISIONED'),
      fix: expect.stringContaining('Activation'),
    });
  });

  it('user.connect: a missing Connect user; one whose username differs only in case', async () => {
    await start();
    const connect = connectClient(t.sb);
    const users = Object.values(t.sb.state().connect.instances)[0]?.users ?? {};
    const agent = Object.values(users).find((u) => u.username === 'agent1@acme.com');
    if (!agent) throw new Error('no Connect user agent1@acme.com');
    await connect.send(new DeleteUserCommand({ InstanceId: instance().id, UserId: agent.id }));
    let report = await examine();
    expect(only(report, 'user.connect', 'agent1@acme.com')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining("no Connect user named 'agent1@acme.com'"),
    });
    expect(problems(report)).toEqual([`fail user.connect user agent1@acme.com ("${CCP}")`]);
    await expectLogin(t.sb, CCP, 'agent1@acme.com', 'connect');

    await connect.send(
      new CreateUserCommand({
        InstanceId: instance().id,
        Username: 'Agent1@acme.com',
        IdentityInfo: { FirstName: 'Agent', LastName: 'One' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: agent.securityProfileIds,
        RoutingProfileId: agent.routingProfileId,
      }),
    );
    report = await examine();
    const finding = only(report, 'user.connect', 'agent1@acme.com');
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain("'Agent1@acme.com'");
    expect(finding.message).toContain("'agent1@acme.com'");
  });
});

describe('doctor (group-mapping)', () => {
  const { t, start, examine, appId, userId, editApp } = setup('group-mapping');
  const groupId = (name: string) => {
    const group = Object.values(t.sb.state().okta.groups).find((g) => g.profile.name === name);
    if (!group) throw new Error(`no group ${name}`);
    return group.id;
  };
  const CCP_GROUP = `aws_${ACCOUNT}_Okta_CCP_Role`;

  it('finds a clean setup all ok, with zero writes', async () => {
    await start();
    const report = await examine();
    expect(problems(report)).toEqual([]);
    for (const check of ['group.exists', 'group.assigned', 'group.role']) {
      expect(findings(report, check), check).toHaveLength(2);
    }
    expect(findings(report, 'app.api-integration')).toEqual([]);
    await expectLogin(t.sb, CCP, 'agent1@acme.com');
    expect(findings(report, 'okta-api-user.ownership')).toEqual([]);
  });

  it('group.exists: a deleted group fails', async () => {
    await start();
    await oktaRequest(t.ctx, 'DeleteGroup', {
      method: 'DELETE',
      path: `/api/v1/groups/${groupId(CCP_GROUP)}`,
    });
    const report = await examine();
    expect(only(report, 'group.exists', CCP_GROUP).status).toBe('fail');
  });

  it('group.assigned: the group no longer assigned to the app', async () => {
    await start();
    await oktaRequest(t.ctx, 'UnassignApplicationFromGroup', {
      method: 'DELETE',
      path: `/api/v1/apps/${appId(CCP)}/groups/${groupId(CCP_GROUP)}`,
    });
    const report = await examine();
    expect(only(report, 'group.assigned', CCP_GROUP)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Assign to Groups'),
    });
  });

  it('group.role: a filter that misses the group; a pattern giving another role; mapping off', async () => {
    await start();
    const setApp = (settings: Record<string, unknown>) =>
      editApp(CCP, (app) => {
        app.settings = { ...app.settings, app: { ...app.settings?.app, ...settings } };
      });
    await setApp({ groupFilter: '^aws_(?{{accountid}}\\d{12})_(?{{role}}Okta_Role)$' });
    let report = await examine();
    expect(only(report, 'group.role', CCP_GROUP)).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('does not match the group name'),
    });
    expect(problems(report)).toEqual([`fail group.role okta group '${CCP_GROUP}'`]);

    await setApp({
      groupFilter: '^aws_(?{{accountid}}\\d{12})_(?{{role}}Okta_CCP_Role)$',
      roleValuePattern: `arn:aws:iam::\${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::\${accountid}:role/\${role}`,
    });
    report = await examine();
    expect(only(report, 'group.role', CCP_GROUP).message).toContain(`instead of ${CCP_PROVIDER}`);

    await setApp({ useGroupMapping: false });
    report = await examine();
    expect(only(report, 'group.role', CCP_GROUP).message).toContain('"Use Group Mapping" is off');
  });

  it('user.assigned: a user taken out of the group', async () => {
    await start();
    await oktaRequest(t.ctx, 'UnassignUserFromGroup', {
      method: 'DELETE',
      path: `/api/v1/groups/${groupId(CCP_GROUP)}/users/${userId('agent1@acme.com')}`,
    });
    const report = await examine();
    expect(only(report, 'user.assigned', 'agent1@acme.com')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`not a member of the app's group '${CCP_GROUP}'`),
    });
  });
});

describe('doctor (instance state)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    await sb?.stop();
  });
  const cfg = (alias: string): ConnectSsoConfig => ({
    stack: alias,
    region: 'us-east-1',
    instance: { alias },
    okta: { orgUrl: sb.okta.orgUrl },
    apps: [{ kind: 'admin' }],
  });
  const create = (alias: string, type: 'SAML' | 'CONNECT_MANAGED' = 'SAML') =>
    connectClient(sb).send(
      new CreateInstanceCommand({
        InstanceAlias: alias,
        IdentityManagementType: type,
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );

  it('instance.active: warns while being created, fails with the reason once creation failed', async () => {
    sb = await startTestSandbox({ instanceCreationMs: 60_000, failInstanceAliases: ['broken-cc'] });
    await create('slow-cc');
    let report = await doctor(cfg('slow-cc'), { context: sandboxContext(sb) });
    expect(only(report, 'instance.active')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('CREATION_IN_PROGRESS'),
    });
    expect(only(report, 'instance.identity').status).toBe('ok');
    expect(only(report, 'app.exists').status).toBe('fail');

    await sb.stop();
    sb = await startTestSandbox({ instanceCreationMs: 0, failInstanceAliases: ['broken-cc'] });
    await create('broken-cc');
    report = await doctor(cfg('broken-cc'), { context: sandboxContext(sb) });
    expect(only(report, 'instance.active')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/CREATION_FAILED/),
    });
  });

  it('instance.identity: an instance that is not SAML fails', async () => {
    sb = await startTestSandbox({ instanceCreationMs: 0 });
    await create('managed-cc', 'CONNECT_MANAGED');
    const report = await doctor(cfg('managed-cc'), { context: sandboxContext(sb) });
    expect(only(report, 'instance.identity')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('CONNECT_MANAGED'),
      fix: expect.stringContaining('can never change'),
    });
  });
});
