/**
 * `npm run demo`: start the sandbox and walk the guide "Configure Single Sign-On for Amazon Connect
 * Using Okta" against it with the real AWS and Okta SDK clients, printing each step.
 *
 * Until the library's step functions and `provisionConnectSso()` exist, this drives the raw SDK calls
 * that those functions will own; it shows what the sandbox emulates and that the real clients accept it.
 */
import {
  ConnectClient,
  CreateInstanceCommand,
  CreateUserCommand,
  DescribeInstanceCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand as CreateIamUserCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { startSandbox } from './sandbox/index.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const step = (n: number, title: string) => out(`\n${n}. ${title}`);
const done = (what: string) => out(`   ✔ ${what}`);

async function main(): Promise<void> {
  // The Okta SDK reads ~/.okta/okta.yaml and OKTA_CLIENT_* for options it is not given, and sends even
  // loopback calls through HTTPS_PROXY: keep the demo independent of the machine it runs on.
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[name];
  // The AWS SDK warns on Node 20 that its releases after January 2027 need Node 22; it is not about
  // this demo, and the README's "Supported Node versions" says so.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const sb = await startSandbox({ instanceCreationMs: 1500 });
  out(`Sandbox listening on ${sb.url} — AWS IAM, Amazon Connect and the Okta API, emulated offline.`);
  const aws = {
    endpoint: sb.aws.endpoint,
    region: sb.aws.region,
    credentials: sb.aws.credentials,
    maxAttempts: 3,
  };
  const iam = new IAMClient(aws);
  const connect = new ConnectClient(aws);
  const { Client } = await import('@okta/okta-sdk-nodejs');
  const okta = new Client({ orgUrl: sb.okta.orgUrl, token: sb.okta.token, cacheMiddleware: null });
  const oktaJson = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
    const res = await okta.http.http(`${okta.baseUrl}${path}`, {
      method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
  const tags = [
    { Key: 'managed-by', Value: 'connect-okta-sso' },
    { Key: 'connect-okta-sso:stack', Value: 'acme-cc' },
  ];

  try {
    step(1, 'Create an Amazon Connect instance with SAML 2.0 identity management');
    const { Id: instanceId = '', Arn: instanceArn = '' } = await connect.send(
      new CreateInstanceCommand({
        IdentityManagementType: 'SAML',
        InstanceAlias: 'acme-cc',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
        Tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
      }),
    );
    done(`instance ${instanceId} created (alias acme-cc)`);
    let status = 'CREATION_IN_PROGRESS';
    let polls = 0;
    while (status === 'CREATION_IN_PROGRESS') {
      await new Promise((r) => setTimeout(r, 300));
      polls++;
      const { Instance } = await connect.send(new DescribeInstanceCommand({ InstanceId: instanceId }));
      status = Instance?.InstanceStatus ?? 'UNKNOWN';
    }
    if (status !== 'ACTIVE') throw new Error(`instance ended in ${status}`);
    done(`instance ACTIVE after ${polls} DescribeInstance polls`);

    step(2, 'IAM policy that lets federated users get a Connect federation token');
    const federationPolicy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'okta_federation_policy',
        Tags: tags,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Statement1',
              Effect: 'Allow',
              Action: 'connect:GetFederationToken',
              Resource: [`${instanceArn}/user/\${aws:userid}`],
            },
          ],
        }),
      }),
    );
    done(`policy ${federationPolicy.Policy?.Arn}`);

    step(3, 'IAM policy that lets Okta list the roles');
    const oktaPolicy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'okta_cli_policy',
        Tags: tags,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' },
          ],
        }),
      }),
    );
    done(`policy ${oktaPolicy.Policy?.Arn}`);

    step(4, 'IAM user for Okta and its access key');
    await iam.send(new CreateIamUserCommand({ UserName: 'okta_cli_user', Tags: tags }));
    await iam.send(
      new AttachUserPolicyCommand({ UserName: 'okta_cli_user', PolicyArn: oktaPolicy.Policy?.Arn }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'okta_cli_user' }));
    const accessKey = {
      accessKeyId: AccessKey?.AccessKeyId ?? '',
      secretAccessKey: AccessKey?.SecretAccessKey ?? '',
    };
    done(`user okta_cli_user with key ${accessKey.accessKeyId} (secret kept in memory, never printed)`);

    step(5, 'Okta "AWS Account Federation" app with the Connect relay state');
    const relayState = `https://${sb.aws.region}.console.aws.amazon.com/connect/federate/${instanceId}`;
    interface OktaApp {
      id: string;
      label: string;
      settings: { app: Record<string, unknown>; signOn: { defaultRelayState?: string } };
      credentials: { signing: { kid: string } };
      features: string[];
    }
    const app = await oktaJson<OktaApp>('POST', '/api/v1/apps', {
      name: 'amazon_aws',
      label: 'Amazon Connect Administrator',
      signOnMode: 'SAML_2_0',
      settings: {
        app: { awsEnvironmentType: 'aws.amazon', loginURL: relayState, sessionDuration: 3600 },
        signOn: { defaultRelayState: relayState },
      },
    });
    done(`app ${app.id} "${app.label}", relay state ${app.settings.signOn.defaultRelayState}`);

    step(6, 'IAM SAML identity provider from the app metadata, and the role it may assume');
    const metadataResponse = await okta.http.http(
      `${okta.baseUrl}/api/v1/apps/${app.id}/sso/saml/metadata?kid=${app.credentials.signing.kid}`,
      { method: 'GET', headers: { Accept: 'application/xml' } },
    );
    const metadata = await metadataResponse.text();
    const provider = await iam.send(
      new CreateSAMLProviderCommand({
        Name: 'Okta_Connect_Admin',
        SAMLMetadataDocument: metadata,
        Tags: tags,
      }),
    );
    done(`SAML provider ${provider.SAMLProviderArn}`);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'Okta_Role',
        Tags: tags,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: provider.SAMLProviderArn },
              Action: 'sts:AssumeRoleWithSAML',
              Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
            },
          ],
        }),
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: 'Okta_Role', PolicyArn: federationPolicy.Policy?.Arn }),
    );
    done(`role ${role.Role?.Arn} trusts the provider, federation policy attached`);
    await oktaJson('PUT', `/api/v1/apps/${app.id}`, {
      ...app,
      settings: {
        ...app.settings,
        app: { ...app.settings.app, identityProviderArn: provider.SAMLProviderArn },
      },
    });
    done('provider ARN written back into the Okta app');

    step(7, 'Okta API Integration with the access key (an admin-console click; the sandbox back door)');
    const { importedRoles } = await sb.admin.enableApiIntegration(app.id, accessKey);
    const features = (await oktaJson<OktaApp>('GET', `/api/v1/apps/${app.id}`)).features;
    done(`Okta imported roles [${importedRoles.join(', ')}]; app features [${features.join(', ')}]`);

    step(8, 'Assign a user in Okta with the SAML role, and create the same username in Connect');
    const user = sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
    await okta.applicationApi.assignUserToApplication({
      appId: app.id,
      appUser: { id: user.id, scope: 'USER', profile: { role: 'Okta_Role', samlRoles: ['Okta_Role'] } },
    });
    const { SecurityProfileSummaryList = [] } = await connect.send(
      new ListSecurityProfilesCommand({ InstanceId: instanceId }),
    );
    const { RoutingProfileSummaryList = [] } = await connect.send(
      new ListRoutingProfilesCommand({ InstanceId: instanceId }),
    );
    const admin = SecurityProfileSummaryList.find((p) => p.Name === 'Admin');
    const routing = RoutingProfileSummaryList.find((p) => p.Name === 'Basic Routing Profile');
    const created = await connect.send(
      new CreateUserCommand({
        InstanceId: instanceId,
        Username: 'jane.doe@acme.com',
        IdentityInfo: { FirstName: 'Jane', LastName: 'Doe' },
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [admin?.Id ?? ''],
        RoutingProfileId: routing?.Id ?? '',
      }),
    );
    done(
      `Okta user ${user.profile.login} assigned with role Okta_Role; Connect user ${created.UserId} (Admin)`,
    );

    const log = sb.requests();
    const count = (service: string) => log.filter((r) => r.service === service).length;
    out(
      `\nDone: ${log.length} API calls (IAM ${count('iam')}, Connect ${count('connect')}, Okta ${count('okta')}), ` +
        `${log.filter((r) => r.write).length} writes, ${log.filter((r) => r.status >= 400).length} errors.`,
    );
    out('Next: the library composes these steps into provisionConnectSso(); see the README.');
  } finally {
    await sb.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
