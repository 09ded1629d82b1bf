/**
 * Finding managed policies (the account's and the few AWS managed ones the sandbox knows), what uses
 * them, and their default documents.
 */
import { ServiceError } from '../emulator.js';
import type { PolicyDocument } from '../policy.js';
import { parsePolicyDocument } from '../policy.js';
import { type Ctx, iamState, invalidInput, noSuchEntity, requireArn } from './common.js';
import type { IamPolicyState, IamPolicyVersionState, IamState } from './state.js';

// ---------------------------------------------------------------------------------------------------------
// AWS managed policies: a small, fixed subset (read-only; attachable)

const AWS_POLICY_TIME = Date.UTC(2015, 1, 6, 18, 39, 46);

function awsManaged(name: string, id: string, description: string, statement: object): IamPolicyState {
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  return {
    id,
    name,
    path: '/',
    arn: `arn:aws:iam::aws:policy/${name}`,
    description,
    createdAt: AWS_POLICY_TIME,
    updatedAt: AWS_POLICY_TIME,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document, createdAt: AWS_POLICY_TIME }],
    nextVersion: 2,
    tags: [],
  };
}

/** The AWS managed policies the sandbox offers (`Scope=AWS`): attachable, never changed. */
export const AWS_MANAGED_POLICIES: readonly IamPolicyState[] = [
  awsManaged(
    'AdministratorAccess',
    'ANPAIWMBCKSKIEE64ZLYK',
    'Provides full access to AWS services and resources.',
    {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
    },
  ),
  awsManaged(
    'IAMFullAccess',
    'ANPAI7XKCFMBPM3QQRRVQ',
    'Provides full access to IAM via the AWS Management Console.',
    {
      Effect: 'Allow',
      Action: ['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization'],
      Resource: '*',
    },
  ),
  awsManaged(
    'IAMReadOnlyAccess',
    'ANPAJKSO7NDY4T57MWDSQ',
    'Provides read only access to IAM via the AWS Management Console.',
    {
      Effect: 'Allow',
      Action: [
        'iam:GenerateCredentialReport',
        'iam:GenerateServiceLastAccessedDetails',
        'iam:Get*',
        'iam:List*',
        'iam:SimulateCustomPolicy',
        'iam:SimulatePrincipalPolicy',
      ],
      Resource: '*',
    },
  ),
];

export function isAwsManaged(policy: IamPolicyState): boolean {
  return policy.arn.startsWith('arn:aws:iam::aws:');
}

// ---------------------------------------------------------------------------------------------------------
// Lookups and derived counts

export function allPolicies(state: IamState): IamPolicyState[] {
  return [...AWS_MANAGED_POLICIES, ...state.policies];
}

/** The policy an ARN names (ARNs compare without case, as names do), or undefined. */
export function findPolicy(state: IamState, arn: string): IamPolicyState | undefined {
  const wanted = arn.toLowerCase();
  return allPolicies(state).find((p) => p.arn.toLowerCase() === wanted);
}

/** Check the shape of a policy ARN given as input. */
function checkPolicyArn(arn: string): void {
  const parsed = requireArn(arn);
  if (parsed.service !== 'iam' || !parsed.resource.startsWith('policy/'))
    throw invalidInput(`ARN ${arn} is not valid.`);
}

/** The policy an input ARN names, or NoSuchEntity `Policy <arn> was not found.` */
export function requirePolicy(ctx: Ctx, arn: string): IamPolicyState {
  checkPolicyArn(arn);
  const policy = findPolicy(iamState(ctx), arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  return policy;
}

/** The policy an attach (or permissions boundary) names: `… does not exist or is not attachable.` */
export function requireAttachablePolicy(ctx: Ctx, arn: string): IamPolicyState {
  checkPolicyArn(arn);
  const policy = findPolicy(iamState(ctx), arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

/** A local policy an input ARN names, for operations that change it. */
export function requireLocalPolicy(ctx: Ctx, arn: string, operation: string): IamPolicyState {
  const policy = requirePolicy(ctx, arn);
  if (isAwsManaged(policy)) {
    throw new ServiceError(
      'AccessDenied',
      `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: iam:${operation} on resource: policy ${policy.arn}`,
      403,
    );
  }
  return policy;
}

export function attachmentCount(state: IamState, policyArn: string): number {
  const holders = [...state.users, ...state.roles];
  return holders.filter((h) => h.attachedPolicies.includes(policyArn)).length;
}

export function boundaryUsageCount(state: IamState, policyArn: string): number {
  const holders = [...state.users, ...state.roles];
  return holders.filter((h) => h.permissionsBoundary === policyArn).length;
}

export function defaultVersion(policy: IamPolicyState): IamPolicyVersionState {
  const version = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
  // A policy always has its default version; fall back to the newest one for a hand-edited state file.
  return version ?? (policy.versions[policy.versions.length - 1] as IamPolicyVersionState);
}

/** The parsed default-version document of a managed policy (for permission checks). */
export function defaultDocument(policy: IamPolicyState): PolicyDocument | undefined {
  const parsed = parsePolicyDocument(defaultVersion(policy).document, 'identity');
  return parsed.ok ? parsed.document : undefined;
}
