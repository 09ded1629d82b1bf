/**
 * Moving from a setup made by hand in the AWS and Okta consoles (following the AWS guide, with its
 * names) to one managed in code.
 *
 * The library finds resources by name but manages only those carrying its ownership mark (AWS tags, a
 * line in the Okta app's admin notes). Resources with its names that it did not create are conflicts:
 * the plan reports them as blocked and nothing is touched. `adopt: true` takes them over — it adds the
 * ownership mark and repairs whatever differs from the config — instead of creating duplicates.
 * Guide: docs/guides/moving-from-a-console-setup.md.
 *
 *   npm run example -- adopt-console-setup    # against a sandbox, where it first builds the "console" setup
 */
import { ConnectClient, CreateInstanceCommand, DescribeInstanceCommand } from '@aws-sdk/client-connect';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import {
  buildRelayState,
  federationPolicyDocument,
  oktaAccessPolicyDocument,
  planConnectSso,
  provisionConnectSso,
  renderPlan,
  samlAudiences,
  samlTrustPolicy,
} from 'connect-okta-sso';
import type { Sandbox } from 'connect-okta-sso/sandbox';
import { openTarget, say } from './_target.js';

/**
 * What an administrator did by hand, following the AWS guide: the SAML instance, the two policies, the
 * IAM user Okta uses and its key, the Okta app, its identity provider and role, and the API integration.
 * Plain SDK calls and Okta API requests here — clicks in real life. No ownership mark anywhere.
 */
async function buildConsoleSetup(sb: Sandbox, alias: string): Promise<void> {
  const aws = { endpoint: sb.aws.endpoint, region: sb.aws.region, credentials: sb.aws.credentials };
  const iam = new IAMClient(aws);
  const connect = new ConnectClient(aws);
  const okta = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${sb.okta.orgUrl}${path}`, {
      method,
      headers: {
        authorization: `SSWS ${sb.okta.token}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Okta ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  };

  const instance = await connect.send(
    new CreateInstanceCommand({
      IdentityManagementType: 'SAML',
      InstanceAlias: alias,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const instanceArn = instance.Arn ?? '';
  // The console shows a new instance only once it is ACTIVE; the guide's next steps start from there.
  for (let polls = 0; ; polls++) {
    const { Instance } = await connect.send(new DescribeInstanceCommand({ InstanceId: instance.Id }));
    if (Instance?.InstanceStatus === 'ACTIVE') break;
    if (polls >= 600) throw new Error(`instance ${alias} is not ACTIVE after a minute`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const federation = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'okta_federation_policy',
      PolicyDocument: JSON.stringify(federationPolicyDocument(instanceArn)),
    }),
  );
  const cliPolicy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'okta_cli_policy',
      PolicyDocument: JSON.stringify(oktaAccessPolicyDocument()),
    }),
  );
  await iam.send(new CreateUserCommand({ UserName: 'okta_cli_user' }));
  await iam.send(
    new AttachUserPolicyCommand({ UserName: 'okta_cli_user', PolicyArn: cliPolicy.Policy?.Arn ?? '' }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'okta_cli_user' }));

  const relayState = buildRelayState({
    region: sb.aws.region,
    instanceId: instance.Id ?? '',
    destination: 'admin',
  });
  const app = await okta('POST', '/api/v1/apps', {
    name: 'amazon_aws',
    label: 'Amazon Connect Administrator',
    signOnMode: 'SAML_2_0',
    settings: {
      app: {
        awsEnvironmentType: 'aws.amazon',
        loginURL: relayState,
        sessionDuration: 3600,
        useGroupMapping: false,
      },
      signOn: { defaultRelayState: relayState },
    },
  });
  const appId = String(app.id);
  const metadata = await fetch(`${sb.okta.orgUrl}/api/v1/apps/${appId}/sso/saml/metadata`, {
    headers: { authorization: `SSWS ${sb.okta.token}`, accept: 'application/xml' },
  }).then((r) => r.text());
  const provider = await iam.send(
    new CreateSAMLProviderCommand({ Name: 'Okta_Connect_Admin', SAMLMetadataDocument: metadata }),
  );
  const providerArn = provider.SAMLProviderArn ?? '';
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'Okta_Role',
      AssumeRolePolicyDocument: JSON.stringify(
        samlTrustPolicy(providerArn, samlAudiences(sb.aws.region, false)),
      ),
    }),
  );
  await iam.send(
    new AttachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: federation.Policy?.Arn ?? '' }),
  );
  // Back in the Okta app's Sign On settings: the Identity Provider ARN (Okta imports only the roles
  // that trust it). An app update replaces the whole app: read, change, write back.
  const current = await okta('GET', `/api/v1/apps/${appId}`);
  const settings = current.settings as { app: Record<string, unknown> };
  settings.app.identityProviderArn = providerArn;
  await okta('PUT', `/api/v1/apps/${appId}`, current);
  await sb.admin.enableApiIntegration(appId, {
    accessKeyId: key.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
  });
  say(
    `   (sandbox) made by hand: instance ${alias}, okta_federation_policy, okta_cli_policy, okta_cli_user and`,
  );
  say(
    '   its key, the Okta app "Amazon Connect Administrator" with its API integration, Okta_Connect_Admin, Okta_Role',
  );
}

const target = await openTarget();
try {
  const { context, sandbox } = target;
  // The setup as the console made it: the admin website and its administrator.
  const config = {
    ...target.config,
    apps: target.config.apps.filter((app) => app.kind === 'admin'),
    users: (target.config.users ?? []).filter((user) => user.app === 'admin'),
  };
  if (sandbox) {
    say('\n0. The console-made setup:');
    await buildConsoleSetup(sandbox, config.instance.alias);
  }

  say('\n1. The plan without adopt: what exists under our names but is not ours is blocked');
  const blocked = await planConnectSso(config, { context });
  say(renderPlan(blocked));

  say('\n2. The plan with adopt: true: the same resources, taken over and repaired, none created twice');
  say(renderPlan(await planConnectSso(config, { context, adopt: true })));

  say('\n3. Apply with adopt: true');
  const result = await provisionConnectSso(config, { context, adopt: true });
  say(`   status: ${result.status}`);
  for (const step of result.steps) {
    if (step.action !== 'unchanged') say(`   ${step.action.padEnd(7)} ${step.resource}`);
  }
  for (const { resource, error } of result.errors) say(`   ${resource}: ${error.message}`);
  if (result.status !== 'complete') throw new Error(`the adoption did not complete: ${result.status}`);

  say('\n4. From now on the setup is ours: a plain run (no adopt) has nothing to do');
  const again = await provisionConnectSso(config, { context });
  say(`   status: ${again.status}, ${again.requests.writes} writes`);
} finally {
  await target.close();
}
