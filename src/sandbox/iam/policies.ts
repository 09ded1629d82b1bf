/**
 * Managed policies: create, read, list, delete, what uses them, and tags. Their versions are in
 * ./policy-versions.ts, the lookups and the AWS managed policies in ./policy-lookup.ts (both re-exported).
 */
import type {
  CreatePolicyRequest,
  CreatePolicyResponse,
  DeletePolicyRequest,
  GetPolicyRequest,
  GetPolicyResponse,
  ListEntitiesForPolicyRequest,
  ListEntitiesForPolicyResponse,
  ListPoliciesRequest,
  ListPoliciesResponse,
  Policy,
} from '@aws-sdk/client-iam';
import {
  type Ctx,
  date,
  deleteConflict,
  entityAlreadyExists,
  entityArn,
  iamState,
  initialTags,
  page,
  pagingOutput,
  required,
  sameName,
  tagsOutput,
  underPath,
  uniqueId,
} from './common.js';
import { checkIdentityPolicy } from './documents.js';
import {
  allPolicies,
  attachmentCount,
  boundaryUsageCount,
  isAwsManaged,
  requireLocalPolicy,
  requirePolicy,
} from './policy-lookup.js';
import type { IamPolicyState } from './state.js';
import { tagOperations } from './tag-operations.js';

export {
  AWS_MANAGED_POLICIES,
  allPolicies,
  attachmentCount,
  boundaryUsageCount,
  defaultDocument,
  findPolicy,
  requireAttachablePolicy,
  requirePolicy,
} from './policy-lookup.js';
export {
  createPolicyVersion,
  deletePolicyVersion,
  getPolicyVersion,
  listPolicyVersions,
  MAX_POLICY_VERSIONS,
  setDefaultPolicyVersion,
} from './policy-versions.js';

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
  // The policy filters (`LocalManagedPolicy`, `AWSManagedPolicy`) keep users and roles alike.
  const listed = (kind: 'User' | 'Role'): boolean =>
    filter === undefined ||
    filter === kind ||
    filter === 'LocalManagedPolicy' ||
    filter === 'AWSManagedPolicy';
  type Entity = { kind: 'User' | 'Role'; name: string; id: string };
  const entities: Entity[] = [];
  for (const [kind, holders] of [
    ['User', state.users],
    ['Role', state.roles],
  ] as const) {
    if (!listed(kind)) continue;
    for (const h of holders) {
      if (uses(h) && underPath(h.path, input.PathPrefix)) entities.push({ kind, name: h.name, id: h.id });
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

const policyTags = tagOperations('Policy', 'PolicyArn', requirePolicy, requireLocalPolicy);
export const tagPolicy = policyTags.tag;
export const untagPolicy = policyTags.untag;
export const listPolicyTags = policyTags.list;
