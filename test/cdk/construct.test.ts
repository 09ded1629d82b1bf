/**
 * The ConnectOktaSso construct, offline with aws-cdk-lib/assertions: the resource and its properties,
 * the handler's runtime and bundled code, the least-privilege policy (actions, resource scoping, the
 * attach conditions), the secret references, and the attributes.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { ConnectOktaSso } from '../../src/cdk/index.js';
import type { ConnectSsoConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/core/errors.js';

const config: ConnectSsoConfig = {
  region: 'us-east-1',
  instance: { alias: 'acme-cc' },
  okta: { orgUrl: 'https://acme.okta.com' },
  apps: [{ kind: 'admin' }, { kind: 'ccp' }],
  users: [{ login: 'jane.doe@acme.com', app: 'admin', connect: { securityProfiles: ['Admin'] } }],
};

function synth(extra: Partial<ConstructorParameters<typeof ConnectOktaSso>[2]> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Sso', { env: { account: '123456789012', region: 'us-east-1' } });
  const secret = secretsmanager.Secret.fromSecretCompleteArn(
    stack,
    'Okta',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:connect-okta-sso/okta-AbCdEf',
  );
  const sso = new ConnectOktaSso(stack, 'Connect', { config, oktaCredentials: secret, ...extra });
  return { stack, sso, template: Template.fromStack(stack) };
}

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function statements(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('ConnectOktaSso construct', () => {
  it('creates the custom resource with the config as its properties and the secret by ARN', () => {
    const { template } = synth();
    template.resourceCountIs('Custom::ConnectOktaSso', 1);
    template.hasResourceProperties('Custom::ConnectOktaSso', {
      ServiceToken: Match.anyValue(),
      region: 'us-east-1',
      instance: { alias: 'acme-cc' },
      okta: { orgUrl: 'https://acme.okta.com' },
      roleMapping: 'group-mapping',
      apps: [
        Match.objectLike({
          kind: 'admin',
          roleName: 'Okta_Role_acme-cc',
          label: 'Amazon Connect Administrator (acme-cc)',
        }),
        Match.objectLike({ kind: 'ccp', roleName: 'Okta_CCP_Role_acme-cc' }),
      ],
      OktaCredentialsSecret:
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:connect-okta-sso/okta-AbCdEf',
      DeleteInstance: false,
    });
    // No Okta secret anywhere in the template.
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"token"|privateKey/);
  });

  it('runs the bundled handler on Node.js 20 behind the Provider framework', () => {
    const { template } = synth();
    const functions = template.findResources('AWS::Lambda::Function');
    const ours = Object.values(functions)
      .map((f) => (f as { Properties: { Handler: string; Runtime: string; Timeout?: number } }).Properties)
      .filter((p) => p.Handler.startsWith('index.'));
    expect(ours.map((p) => p.Handler).sort()).toEqual(['index.isComplete', 'index.onEvent']);
    for (const p of ours) {
      expect(p.Runtime).toBe('nodejs20.x');
      expect(p.Timeout).toBe(14 * 60);
    }
    // The Provider framework's own functions and state machine (isComplete polling).
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  it('grants least privilege: named IAM resources, no * except where AWS offers no resource level', () => {
    const { template } = synth();
    const all = statements(template);
    const star = all.filter((s) => resources(s).includes('*'));
    const starActions = star.flatMap(actions).sort();
    // Only list actions and CreateInstance's Directory Service calls may have "*".
    for (const a of starActions) {
      expect(a).toMatch(
        /^(connect:ListInstances|iam:ListPolicies|iam:ListSAMLProviders|connect:CreateInstance|ds:[A-Za-z]+|xray:.*)$/,
      );
    }
    const byAction = (action: string) => all.filter((s) => actions(s).includes(action));
    const resourceText = (action: string) => JSON.stringify(byAction(action).flatMap(resources));
    expect(resourceText('iam:CreateRole')).toContain('role/Okta_Role_acme-cc');
    expect(resourceText('iam:CreateRole')).toContain('role/Okta_CCP_Role_acme-cc');
    expect(resourceText('iam:CreateRole')).not.toContain('role/*');
    expect(resourceText('iam:CreateSAMLProvider')).toContain('saml-provider/Okta_Connect_Admin_acme-cc');
    expect(resourceText('iam:CreatePolicy')).toContain('policy/okta_federation_policy_acme-cc');
    expect(resourceText('connect:CreateUser')).toContain(':connect:us-east-1:');
    // AttachRolePolicy only for the federation policy: no privilege escalation.
    const attach = byAction('iam:AttachRolePolicy');
    expect(attach).toHaveLength(1);
    expect(JSON.stringify(attach[0]?.Condition)).toContain('policy/okta_federation_policy_acme-cc');
    // Group mapping: no IAM user, no access key permissions.
    expect(byAction('iam:CreateAccessKey')).toEqual([]);
    expect(byAction('iam:CreateUser')).toEqual([]);
    // The Okta secret: readable, by its ARN, nothing else of Secrets Manager.
    const read = byAction('secretsmanager:GetSecretValue');
    expect(read.length).toBeGreaterThan(0);
    expect(JSON.stringify(read.flatMap(resources))).toContain('secret:connect-okta-sso/okta-AbCdEf');
    expect(byAction('secretsmanager:CreateSecret')).toEqual([]);
  });

  it('api-integration adds the API user, its keys and the access key secret, each scoped', () => {
    const { template } = synth({
      config: { ...config, roleMapping: 'api-integration' },
      accessKeySecretName: 'sso/okta-key',
    } as never);
    const all = statements(template);
    const byAction = (action: string) => all.filter((s) => actions(s).includes(action));
    expect(JSON.stringify(byAction('iam:CreateAccessKey').flatMap(resources))).toContain(
      'user/okta_cli_user_acme-cc',
    );
    expect(JSON.stringify(byAction('iam:AttachUserPolicy')[0]?.Condition)).toContain(
      'policy/okta_cli_policy_acme-cc',
    );
    expect(JSON.stringify(byAction('secretsmanager:CreateSecret').flatMap(resources))).toContain(
      'secret:sso/okta-key-??????',
    );
    template.hasResourceProperties('Custom::ConnectOktaSso', {
      roleMapping: 'api-integration',
      AccessKeySecretName: 'sso/okta-key',
    });
  });

  it('exposes the outputs as attributes', () => {
    const { stack, sso } = synth();
    const resolve = (v: string) => JSON.stringify(stack.resolve(v));
    expect(resolve(sso.instanceId)).toContain('"InstanceId"');
    expect(resolve(sso.instanceArn)).toContain('"InstanceArn"');
    expect(resolve(sso.app('admin').signInUrl)).toContain('"AdminSignInUrl"');
    expect(resolve(sso.app('ccp').roleArn)).toContain('"CcpRoleArn"');
    expect(resolve(sso.app('ccp').relayState)).toContain('"CcpRelayState"');
    expect(() => sso.app('agent-workspace')).toThrow(/no 'agent-workspace' app/);
  });

  it('refuses an invalid config or an Okta token at synth', () => {
    expect(() => synth({ config: { ...config, apps: [{ kind: 'admn' }] } as never })).toThrow(ConfigError);
    expect(() =>
      synth({ config: { ...config, okta: { orgUrl: 'https://acme.okta.com', token: 'x'.repeat(40) } } }),
    ).toThrow(/config\.okta\.token/);
  });
});
