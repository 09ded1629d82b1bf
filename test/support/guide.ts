/**
 * The shared fixture of the tests that start where the guide's steps 1–8 leave off: an ACTIVE SAML Connect
 * instance, an `amazon_aws` Okta app with the instance's relay state, the IAM SAML provider made from the
 * app's metadata, the role trusting it (the app's IdP ARN pointing at the provider) and, optionally, the API
 * integration enabled so that Okta imported the role. Built by hand with raw SDK calls and the sandbox's
 * admin-console back doors, not with the library, so that the library is tested against it.
 */
import { type ConnectClient, CreateInstanceCommand } from '@aws-sdk/client-connect';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand as CreateIamUserCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import type { ResolvedUser, ResolvedUserConnect } from '../../src/config/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { connectClient, iamClient, oktaClient } from '../helpers.js';
import { appMetadata, awsAppBody, type JsonObject, oktaJson, type RawApp } from './okta.js';

/** What to build: names of the instance, app, provider and role, and whether to enable the API integration. */
export interface GuideOptions {
  /** The Connect instance alias; also names the API user unless `apiUser` is given. */
  alias: string;
  /** The Okta app's label. */
  label: string;
  /** The SAML role; default `Okta_Role`. */
  roleName?: string;
  /** The IAM SAML provider; default `Okta_Connect_Admin`. */
  providerName?: string;
  /** Enable the app's API integration with a fresh IAM user's key, so that Okta imports the role. */
  integrate: boolean;
  /** The IAM user and policy the API integration's key belongs to; default `okta_cli_<alias>`. */
  apiUser?: { userName: string; policyName: string };
  /** Extra `settings.app` of the Okta app. */
  appSettings?: JsonObject;
  /** The SDK clients' `maxAttempts`; default 1 (request counts then match calls). */
  maxAttempts?: number;
}

/** What the guide's steps left, with the clients that built it. */
export interface Guide {
  instanceId: string;
  relayState: string;
  /** The Okta app as created (before its IdP ARN was written). */
  app: RawApp;
  appId: string;
  providerArn: string;
  roleName: string;
  /** The API integration's access key, when `integrate` was set. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The roles Okta imported when the API integration was enabled. */
  importedRoles?: string[];
  okta: OktaClient;
  connect: ConnectClient;
  iam: IAMClient;
}

/**
 * The trust policy the guide's role carries (IAM guide id_roles_create_for-idp_saml): AssumeRoleWithSAML
 * from the provider, for the global sign-in audience unless other audiences are given.
 */
export function guideTrustPolicy(
  providerArn: string,
  audience: string | string[] = 'https://signin.aws.amazon.com/saml',
): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': audience } },
      },
    ],
  });
}

/** Writes the IAM SAML provider's ARN into the app's AWS settings (the admin console's IdP ARN field). */
export async function linkApp(okta: OktaClient, app: RawApp, providerArn: string): Promise<void> {
  await oktaJson(okta, 'PUT', `/api/v1/apps/${app.id}`, {
    ...app,
    settings: { ...app.settings, app: { ...app.settings.app, identityProviderArn: providerArn } },
  });
}

/** Builds what the guide's steps 1–8 leave (see the module comment). */
export async function guideSetUp(sb: Sandbox, opts: GuideOptions): Promise<Guide> {
  const roleName = opts.roleName ?? 'Okta_Role';
  const clientOpts = { maxAttempts: opts.maxAttempts ?? 1 };
  const okta = oktaClient(sb);
  const connect = connectClient(sb, clientOpts);
  const iam = iamClient(sb, clientOpts);
  const instance = await connect.send(
    new CreateInstanceCommand({
      IdentityManagementType: 'SAML',
      InstanceAlias: opts.alias,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const instanceId = instance.Id as string;
  const relayState = `https://us-east-1.console.aws.amazon.com/connect/federate/${instanceId}`;
  const app = await oktaJson<RawApp>(
    okta,
    'POST',
    '/api/v1/apps',
    awsAppBody(opts.label, { relayState, ...(opts.appSettings ? { app: opts.appSettings } : {}) }),
  );
  const provider = await iam.send(
    new CreateSAMLProviderCommand({
      Name: opts.providerName ?? 'Okta_Connect_Admin',
      SAMLMetadataDocument: await appMetadata(okta, app),
    }),
  );
  const providerArn = provider.SAMLProviderArn as string;
  await iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: guideTrustPolicy(providerArn) }),
  );
  await linkApp(okta, app, providerArn);
  const guide: Guide = {
    instanceId,
    relayState,
    app,
    appId: app.id,
    providerArn,
    roleName,
    okta,
    connect,
    iam,
  };
  if (opts.integrate) {
    const { userName, policyName } = opts.apiUser ?? {
      userName: `okta_cli_${opts.alias}`,
      policyName: `okta_cli_policy_${opts.alias}`,
    };
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: policyName,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' },
          ],
        }),
      }),
    );
    await iam.send(new CreateIamUserCommand({ UserName: userName }));
    await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policy.Policy?.Arn }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
    guide.credentials = {
      accessKeyId: AccessKey?.AccessKeyId as string,
      secretAccessKey: AccessKey?.SecretAccessKey as string,
    };
    guide.importedRoles = (await sb.admin.enableApiIntegration(app.id, guide.credentials)).importedRoles;
  }
  return guide;
}

/**
 * A configured user of the guide's `admin` app as `validateConfig` resolves it: the default Connect
 * profiles (`Agent`, `Basic Routing Profile`, soft phone) unless `connect` says otherwise.
 */
export function resolvedUser(login: string, connect: Partial<ResolvedUserConnect> = {}): ResolvedUser {
  return {
    login,
    app: 'admin',
    connect: {
      securityProfiles: ['Agent'],
      routingProfile: 'Basic Routing Profile',
      firstName: undefined,
      lastName: undefined,
      phoneType: 'SOFT_PHONE',
      deskPhoneNumber: undefined,
      explicit: { securityProfiles: false, routingProfile: false },
      ...connect,
    },
  };
}
