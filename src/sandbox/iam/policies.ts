/**
 * Managed policies and their versions, and the few AWS managed policies the sandbox knows.
 */
import type {
  CreatePolicyRequest,
  CreatePolicyResponse,
  CreatePolicyVersionRequest,
  CreatePolicyVersionResponse,
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  GetPolicyRequest,
  GetPolicyResponse,
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  ListEntitiesForPolicyRequest,
  ListEntitiesForPolicyResponse,
  ListPoliciesRequest,
  ListPoliciesResponse,
  ListPolicyTagsRequest,
  ListPolicyTagsResponse,
  ListPolicyVersionsRequest,
  ListPolicyVersionsResponse,
  Policy,
  SetDefaultPolicyVersionRequest,
  TagPolicyRequest,
  UntagPolicyRequest,
} from '@aws-sdk/client-iam';
import { ServiceError } from '../emulator.js';
import type { PolicyDocument } from '../policy.js';
import { parsePolicyDocument } from '../policy.js';
import {
  type Ctx,
  date,
  deleteConflict,
  encodeDocument,
  entityAlreadyExists,
  entityArn,
  iamState,
  initialTags,
  invalidInput,
  limitExceeded,
  listTags,
  mergeTags,
  noSuchEntity,
  page,
  pagingOutput,
  removeTags,
  requireArn,
  required,
  sameName,
  tagsOutput,
  underPath,
  uniqueId,
} from './common.js';
import { checkIdentityPolicy } from './documents.js';
import type { IamPolicyState, IamPolicyVersionState, IamState } from './state.js';

export const MAX_POLICY_VERSIONS = 5;

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

function isAwsManaged(policy: IamPolicyState): boolean {
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
function requireLocalPolicy(ctx: Ctx, arn: string, operation: string): IamPolicyState {
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

function defaultVersion(policy: IamPolicyState): IamPolicyVersionState {
  const version = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
  // A policy always has its default version; fall back to the newest one for a hand-edited state file.
  return version ?? (policy.versions[policy.versions.length - 1] as IamPolicyVersionState);
}

/** The parsed default-version document of a managed policy (for permission checks). */
export function defaultDocument(policy: IamPolicyState): PolicyDocument | undefined {
  const parsed = parsePolicyDocument(defaultVersion(policy).document, 'identity');
  return parsed.ok ? parsed.document : undefined;
}

function versionOf(policy: IamPolicyState, versionId: string): IamPolicyVersionState {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version) {
    throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
  }
  return version;
}

function policyOutput(
  ctx: Ctx,
  policy: IamPolicyState,
  detail: 'full' | 'list',
): Policy & { CreateDate: Date; UpdateDate: Date } {
  const state = iamState(ctx);
  return {
    PolicyName: policy.name,
    PolicyId: policy.id,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount(state, policy.arn),
    PermissionsBoundaryUsageCount: boundaryUsageCount(state, policy.arn),
    IsAttachable: true,
    ...(detail === 'full' && policy.description !== undefined ? { Description: policy.description } : {}),
    CreateDate: date(policy.createdAt),
    UpdateDate: date(policy.updatedAt),
    ...(detail === 'full' ? tagsOutput(policy.tags) : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Operations

export function createPolicy(ctx: Ctx, input: CreatePolicyRequest): CreatePolicyResponse {
  const state = iamState(ctx);
  const name = required(input.PolicyName, 'PolicyName');
  const text = required(input.PolicyDocument, 'PolicyDocument');
  const path = input.Path ?? '/';
  if (state.policies.some((p) => sameName(p.name, name))) {
    throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  checkIdentityPolicy(text);
  const tags = initialTags('Policy', input.Tags);
  const now = ctx.now();
  const policy: IamPolicyState = {
    id: uniqueId(ctx, 'ANPA'),
    name,
    path,
    arn: entityArn(ctx, 'policy', path, name),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    createdAt: now,
    updatedAt: now,
    defaultVersionId: 'v1',
    versions: [{ versionId: 'v1', document: text, createdAt: now }],
    nextVersion: 2,
    tags,
  };
  state.policies.push(policy);
  return { Policy: policyOutput(ctx, policy, 'full') };
}

export function getPolicy(ctx: Ctx, input: GetPolicyRequest): GetPolicyResponse {
  return { Policy: policyOutput(ctx, requirePolicy(ctx, required(input.PolicyArn, 'PolicyArn')), 'full') };
}

export function listPolicies(ctx: Ctx, input: ListPoliciesRequest): ListPoliciesResponse {
  const state = iamState(ctx);
  const scope = input.Scope ?? 'All';
  const candidates = allPolicies(state).filter((p) => {
    if (scope === 'AWS' && !isAwsManaged(p)) return false;
    if (scope === 'Local' && isAwsManaged(p)) return false;
    if (!underPath(p.path, input.PathPrefix)) return false;
    if (
      input.OnlyAttached === true &&
      attachmentCount(state, p.arn) + boundaryUsageCount(state, p.arn) === 0
    ) {
      return false;
    }
    if (input.PolicyUsageFilter === 'PermissionsBoundary' && boundaryUsageCount(state, p.arn) === 0)
      return false;
    if (input.PolicyUsageFilter === 'PermissionsPolicy' && input.OnlyAttached === true) {
      return attachmentCount(state, p.arn) > 0;
    }
    return true;
  });
  const p = page(candidates, (x) => `${x.name}\u0000${x.arn}`, input);
  return { Policies: p.items.map((x) => policyOutput(ctx, x, 'list')), ...pagingOutput(p) };
}

export function deletePolicy(ctx: Ctx, input: DeletePolicyRequest): Record<string, never> {
  const state = iamState(ctx);
  const policy = requireLocalPolicy(ctx, required(input.PolicyArn, 'PolicyArn'), 'DeletePolicy');
  if (attachmentCount(state, policy.arn) > 0 || boundaryUsageCount(state, policy.arn) > 0) {
    throw deleteConflict('Cannot delete a policy attached to entities.');
  }
  if (policy.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  state.policies = state.policies.filter((p) => p !== policy);
  return {};
}

export function createPolicyVersion(
  ctx: Ctx,
  input: CreatePolicyVersionRequest,
): CreatePolicyVersionResponse {
  const policy = requireLocalPolicy(ctx, required(input.PolicyArn, 'PolicyArn'), 'CreatePolicyVersion');
  const text = required(input.PolicyDocument, 'PolicyDocument');
  checkIdentityPolicy(text);
  if (policy.versions.length >= MAX_POLICY_VERSIONS) {
    throw limitExceeded(
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    );
  }
  const now = ctx.now();
  const version: IamPolicyVersionState = {
    versionId: `v${policy.nextVersion}`,
    document: text,
    createdAt: now,
  };
  policy.nextVersion++;
  policy.versions.push(version);
  policy.updatedAt = now;
  if (input.SetAsDefault === true) policy.defaultVersionId = version.versionId;
  return {
    PolicyVersion: {
      VersionId: version.versionId,
      IsDefaultVersion: policy.defaultVersionId === version.versionId,
      CreateDate: date(version.createdAt),
    },
  };
}

export function getPolicyVersion(ctx: Ctx, input: GetPolicyVersionRequest): GetPolicyVersionResponse {
  const policy = requirePolicy(ctx, required(input.PolicyArn, 'PolicyArn'));
  const version = versionOf(policy, required(input.VersionId, 'VersionId'));
  return {
    PolicyVersion: {
      Document: encodeDocument(version.document),
      VersionId: version.versionId,
      IsDefaultVersion: policy.defaultVersionId === version.versionId,
      CreateDate: date(version.createdAt),
    },
  };
}

export function listPolicyVersions(ctx: Ctx, input: ListPolicyVersionsRequest): ListPolicyVersionsResponse {
  const policy = requirePolicy(ctx, required(input.PolicyArn, 'PolicyArn'));
  // Newest first, as AWS lists them.
  const p = page(policy.versions, (v) => String(1e9 - Number(v.versionId.slice(1))).padStart(10, '0'), input);
  return {
    Versions: p.items.map((v) => ({
      VersionId: v.versionId,
      IsDefaultVersion: v.versionId === policy.defaultVersionId,
      CreateDate: date(v.createdAt),
    })),
    ...pagingOutput(p),
  };
}

export function deletePolicyVersion(ctx: Ctx, input: DeletePolicyVersionRequest): Record<string, never> {
  const policy = requireLocalPolicy(ctx, required(input.PolicyArn, 'PolicyArn'), 'DeletePolicyVersion');
  const version = versionOf(policy, required(input.VersionId, 'VersionId'));
  if (version.versionId === policy.defaultVersionId) {
    throw deleteConflict('Cannot delete the default version of a policy.');
  }
  policy.versions = policy.versions.filter((v) => v !== version);
  return {};
}

export function setDefaultPolicyVersion(
  ctx: Ctx,
  input: SetDefaultPolicyVersionRequest,
): Record<string, never> {
  const policy = requireLocalPolicy(ctx, required(input.PolicyArn, 'PolicyArn'), 'SetDefaultPolicyVersion');
  const version = versionOf(policy, required(input.VersionId, 'VersionId'));
  policy.defaultVersionId = version.versionId;
  return {};
}

export function listEntitiesForPolicy(
  ctx: Ctx,
  input: ListEntitiesForPolicyRequest,
): ListEntitiesForPolicyResponse {
  const state = iamState(ctx);
  const policy = requirePolicy(ctx, required(input.PolicyArn, 'PolicyArn'));
  const uses = (holder: { attachedPolicies: string[]; permissionsBoundary?: string }): boolean => {
    const attached = holder.attachedPolicies.includes(policy.arn);
    const boundary = holder.permissionsBoundary === policy.arn;
    if (input.PolicyUsageFilter === 'PermissionsPolicy') return attached;
    if (input.PolicyUsageFilter === 'PermissionsBoundary') return boundary;
    return attached || boundary;
  };
  const filter = input.EntityFilter;
  type Entity = { kind: 'User' | 'Role'; name: string; id: string };
  const entities: Entity[] = [];
  if (
    filter === undefined ||
    filter === 'User' ||
    filter === 'LocalManagedPolicy' ||
    filter === 'AWSManagedPolicy'
  ) {
    for (const u of state.users) {
      if (uses(u) && underPath(u.path, input.PathPrefix))
        entities.push({ kind: 'User', name: u.name, id: u.id });
    }
  }
  if (
    filter === undefined ||
    filter === 'Role' ||
    filter === 'LocalManagedPolicy' ||
    filter === 'AWSManagedPolicy'
  ) {
    for (const r of state.roles) {
      if (uses(r) && underPath(r.path, input.PathPrefix))
        entities.push({ kind: 'Role', name: r.name, id: r.id });
    }
  }
  const p = page(entities, (e) => `${e.kind}\u0000${e.name}`, input);
  return {
    PolicyGroups: [],
    PolicyUsers: p.items.filter((e) => e.kind === 'User').map((e) => ({ UserName: e.name, UserId: e.id })),
    PolicyRoles: p.items.filter((e) => e.kind === 'Role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
    ...pagingOutput(p),
  };
}

export function tagPolicy(ctx: Ctx, input: TagPolicyRequest): Record<string, never> {
  const policy = requireLocalPolicy(ctx, required(input.PolicyArn, 'PolicyArn'), 'TagPolicy');
  policy.tags = mergeTags('Policy', policy.tags, input.Tags);
  return {};
}

export function untagPolicy(ctx: Ctx, input: UntagPolicyRequest): Record<string, never> {
  const policy = requireLocalPolicy(ctx, required(input.PolicyArn, 'PolicyArn'), 'UntagPolicy');
  policy.tags = removeTags(policy.tags, input.TagKeys);
  return {};
}

export function listPolicyTags(ctx: Ctx, input: ListPolicyTagsRequest): ListPolicyTagsResponse {
  const policy = requirePolicy(ctx, required(input.PolicyArn, 'PolicyArn'));
  return listTags(policy.tags, input);
}
