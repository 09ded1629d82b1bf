/**
 * The least-privilege IAM policy of the custom resource's handler, derived from the calls its steps make
 * (provisioning, and the teardown on Delete) and from the config's names: every IAM resource is named
 * by its ARN, `AttachRolePolicy`/`AttachUserPolicy` may attach only this setup's own policies, and `*`
 * is used only for actions AWS offers no resource-level permission for (`List*`, `connect:CreateInstance`
 * and the Directory Service actions it needs). Pure: no `aws-cdk-lib` here.
 */
import type { ResolvedConfig } from '../config/index.js';

/** One statement of an IAM policy. */
export interface HandlerPolicyStatement {
  /** A statement id, for reading the policy. */
  Sid: string;
  /** Always `Allow`. */
  Effect: 'Allow';
  /** The actions. */
  Action: string[];
  /** The resources (ARNs, or `*` where the actions have no resource-level permission). */
  Resource: string[];
  /** Conditions, where they narrow the statement. */
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Where the policy applies. Values may be CloudFormation tokens (`${AWS::AccountId}`) or CDK tokens. */
export interface PolicyScope {
  /** The AWS partition (`aws`, `aws-us-gov`). */
  partition: string;
  /** The 12-digit account. */
  account: string;
}

/**
 * The statements the handler needs for a config. The Okta credentials secret (`GetSecretValue`) is left
 * to the caller (the construct grants it on the secret it is given).
 */
export function handlerPolicyStatements(
  config: ResolvedConfig,
  scope: PolicyScope,
  options: { accessKeySecretName?: string } = {},
): HandlerPolicyStatement[] {
  const { partition, account } = scope;
  const region = config.region;
  const iam = (type: string, name: string) => `arn:${partition}:iam::${account}:${type}/${name}`;
  const connect = (suffix: string) => `arn:${partition}:connect:${region}:${account}:instance${suffix}`;
  const apiIntegration = config.roleMapping === 'api-integration';
  // Both managed policies and the API user, whatever the role mapping: the teardown looks for each (a
  // setup switched from api-integration to group mapping still has them) and must be allowed to.
  const policyArns = [config.names.federationPolicy, config.names.oktaAccessPolicy].map((p) =>
    iam('policy', p),
  );
  const user = iam('user', config.names.oktaApiUser);
  const statements: HandlerPolicyStatement[] = [
    {
      Sid: 'ListWithoutResourceLevelPermissions',
      Effect: 'Allow',
      Action: ['connect:ListInstances', 'iam:ListPolicies', 'iam:ListSAMLProviders'],
      Resource: ['*'],
    },
    {
      // CreateInstance has no resource before it exists; it sets up the instance's directory and
      // service-linked role with these (AWS's documented permissions for CreateInstance/DeleteInstance).
      Sid: 'CreateAndDeleteTheConnectInstance',
      Effect: 'Allow',
      Action: [
        'connect:CreateInstance',
        'ds:CheckAlias',
        'ds:CreateAlias',
        'ds:CreateIdentityPoolDirectory',
        'ds:DeleteDirectory',
        'ds:DescribeDirectories',
        'ds:AuthorizeApplication',
        'ds:UnauthorizeApplication',
      ],
      Resource: ['*'],
    },
    {
      Sid: 'ConnectServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      Resource: [`arn:${partition}:iam::${account}:role/aws-service-role/connect.amazonaws.com/*`],
      Condition: { StringLike: { 'iam:AWSServiceName': 'connect.amazonaws.com' } },
    },
    {
      Sid: 'TheConnectInstanceAndItsUsers',
      Effect: 'Allow',
      Action: [
        'connect:DescribeInstance',
        'connect:DeleteInstance',
        'connect:ListTagsForResource',
        'connect:TagResource',
        'connect:SearchUsers',
        'connect:DescribeUser',
        'connect:CreateUser',
        'connect:DeleteUser',
        'connect:UpdateUserSecurityProfiles',
        'connect:UpdateUserRoutingProfile',
        'connect:UpdateUserIdentityInfo',
        'connect:UpdateUserHierarchy',
        'connect:ListUsers',
        'connect:ListSecurityProfiles',
        'connect:ListRoutingProfiles',
        'connect:ListUserHierarchyGroups',
        'connect:DescribeUserHierarchyGroup',
        // The teardown deletes the quick connects that name a user before the user (DeleteUser leaves them).
        'connect:ListQuickConnects',
        'connect:DescribeQuickConnect',
        'connect:DeleteQuickConnect',
        // …and the no-access security profile a sync's strip made, once no user has it.
        'connect:DescribeSecurityProfile',
        'connect:DeleteSecurityProfile',
      ],
      Resource: [
        connect('/*'),
        connect('/*/agent/*'),
        connect('/*/security-profile/*'),
        connect('/*/routing-profile/*'),
        connect('/*/agent-group/*'),
        connect('/*/transfer-destination/*'),
      ],
    },
    {
      Sid: 'ThisSetupsPolicies',
      Effect: 'Allow',
      Action: [
        'iam:CreatePolicy',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:TagPolicy',
        'iam:DeletePolicy',
        'iam:ListEntitiesForPolicy',
      ],
      Resource: policyArns,
    },
    {
      Sid: 'ThisSetupsSamlProviders',
      Effect: 'Allow',
      Action: [
        'iam:CreateSAMLProvider',
        'iam:GetSAMLProvider',
        'iam:UpdateSAMLProvider',
        'iam:TagSAMLProvider',
        'iam:DeleteSAMLProvider',
      ],
      Resource: config.apps.map((a) => iam('saml-provider', a.providerName)),
    },
    {
      Sid: 'ThisSetupsRoles',
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:GetRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:DeleteRole',
      ],
      Resource: config.apps.map((a) => iam('role', a.roleName)),
    },
    {
      // Only this setup's federation policy may be attached to its roles: no escalation to any other.
      Sid: 'AttachOnlyTheFederationPolicy',
      Effect: 'Allow',
      Action: ['iam:AttachRolePolicy'],
      Resource: config.apps.map((a) => iam('role', a.roleName)),
      Condition: { ArnEquals: { 'iam:PolicyARN': [iam('policy', config.names.federationPolicy)] } },
    },
    {
      Sid: 'TheOktaApiUserTeardown',
      Effect: 'Allow',
      Action: [
        'iam:GetUser',
        'iam:ListAccessKeys',
        'iam:DeleteAccessKey',
        'iam:ListAttachedUserPolicies',
        'iam:DetachUserPolicy',
        'iam:ListUserPolicies',
        'iam:DeleteUserPolicy',
        'iam:DeleteUser',
      ],
      Resource: [user],
    },
  ];
  if (apiIntegration) {
    statements.push(
      {
        Sid: 'TheOktaApiUserAndItsKeys',
        Effect: 'Allow',
        Action: [
          'iam:CreateUser',
          'iam:TagUser',
          'iam:UntagUser',
          'iam:CreateAccessKey',
          'iam:UpdateAccessKey',
          'iam:GetAccessKeyLastUsed',
        ],
        Resource: [user],
      },
      {
        Sid: 'AttachOnlyTheOktaAccessPolicy',
        Effect: 'Allow',
        Action: ['iam:AttachUserPolicy'],
        Resource: [user],
        Condition: { ArnEquals: { 'iam:PolicyARN': [iam('policy', config.names.oktaAccessPolicy)] } },
      },
    );
    if (options.accessKeySecretName) {
      statements.push({
        Sid: 'TheAccessKeySecret',
        Effect: 'Allow',
        Action: [
          'secretsmanager:CreateSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:TagResource',
          'secretsmanager:DeleteSecret',
        ],
        // Secrets Manager appends six random characters to a secret's ARN.
        Resource: [
          `arn:${partition}:secretsmanager:${region}:${account}:secret:${options.accessKeySecretName}-??????`,
        ],
      });
    }
  }
  return statements;
}
