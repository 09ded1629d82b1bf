/**
 * IAM roles: trust policy, session duration, managed policies and tags.
 */
import type {
  CreateRoleRequest,
  CreateRoleResponse,
  DeleteRoleRequest,
  GetRoleRequest,
  GetRoleResponse,
  ListRolesRequest,
  ListRolesResponse,
  Role,
  UpdateAssumeRolePolicyRequest,
  UpdateRoleRequest,
  UpdateRoleResponse,
} from '@aws-sdk/client-iam';
import { attachmentOperations, boundaryArn, boundaryOutput } from './attachments.js';
import {
  type Ctx,
  date,
  deleteConflict,
  encodeDocument,
  entityAlreadyExists,
  entityArn,
  findRole,
  iamState,
  initialTags,
  page,
  pagingOutput,
  required,
  requireRole,
  tagsOutput,
  underPath,
  uniqueId,
} from './common.js';
import { checkTrustPolicy } from './documents.js';
import type { IamRoleState } from './state.js';
import { tagOperations } from './tag-operations.js';

export const DEFAULT_MAX_SESSION_DURATION = 3600;

/**
 * A role as each operation returns it: `CreateRole` without `MaxSessionDuration` and `RoleLastUsed`,
 * `ListRoles` without tags, boundary and last use, `GetRole` with everything.
 */
function roleOutput(role: IamRoleState, detail: 'create' | 'get' | 'list'): Role {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: date(role.createdAt),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    ...(detail !== 'create' ? { MaxSessionDuration: role.maxSessionDuration } : {}),
    ...(detail !== 'list' ? boundaryOutput(role.permissionsBoundary) : {}),
    ...(detail !== 'list' ? tagsOutput(role.tags) : {}),
    ...(detail === 'get'
      ? {
          RoleLastUsed: role.lastUsed
            ? { LastUsedDate: date(role.lastUsed.at), Region: role.lastUsed.region }
            : {},
        }
      : {}),
  };
}

export function createRole(ctx: Ctx, input: CreateRoleRequest): CreateRoleResponse {
  const state = iamState(ctx);
  const name = required(input.RoleName, 'RoleName');
  const trust = required(input.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument');
  const path = input.Path ?? '/';
  if (findRole(state, name)) throw entityAlreadyExists(`Role with name ${name} already exists.`);
  checkTrustPolicy(ctx, trust);
  const boundary = boundaryArn(ctx, input.PermissionsBoundary);
  const tags = initialTags('Role', input.Tags);
  const role: IamRoleState = {
    id: uniqueId(ctx, 'AROA'),
    name,
    path,
    arn: entityArn(ctx, 'role', path, name),
    createdAt: ctx.now(),
    assumeRolePolicyDocument: trust,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    ...boundary,
    tags,
    attachedPolicies: [],
  };
  state.roles.push(role);
  return { Role: roleOutput(role, 'create') };
}

export function getRole(ctx: Ctx, input: GetRoleRequest): GetRoleResponse {
  return { Role: roleOutput(requireRole(ctx, required(input.RoleName, 'RoleName')), 'get') };
}

export function listRoles(ctx: Ctx, input: ListRolesRequest): ListRolesResponse {
  const roles = iamState(ctx).roles.filter((r) => underPath(r.path, input.PathPrefix));
  const p = page(roles, (r) => r.name, input);
  return { Roles: p.items.map((r) => roleOutput(r, 'list')), ...pagingOutput(p) };
}

export function updateRole(ctx: Ctx, input: UpdateRoleRequest): UpdateRoleResponse {
  const role = requireRole(ctx, required(input.RoleName, 'RoleName'));
  if (input.Description !== undefined) role.description = input.Description;
  if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = input.MaxSessionDuration;
  return {};
}

export function updateAssumeRolePolicy(
  ctx: Ctx,
  input: UpdateAssumeRolePolicyRequest,
): Record<string, never> {
  const role = requireRole(ctx, required(input.RoleName, 'RoleName'));
  const trust = required(input.PolicyDocument, 'PolicyDocument');
  checkTrustPolicy(ctx, trust);
  role.assumeRolePolicyDocument = trust;
  return {};
}

export function deleteRole(ctx: Ctx, input: DeleteRoleRequest): Record<string, never> {
  const state = iamState(ctx);
  const role = requireRole(ctx, required(input.RoleName, 'RoleName'));
  if (role.attachedPolicies.length > 0)
    throw deleteConflict('Cannot delete entity, must detach all policies first.');
  state.roles = state.roles.filter((r) => r !== role);
  return {};
}

const roleAttachments = attachmentOperations('Role', 'RoleName', requireRole);
export const attachRolePolicy = roleAttachments.attach;
export const detachRolePolicy = roleAttachments.detach;
export const listAttachedRolePolicies = roleAttachments.listAttached;
export const listRolePolicies = roleAttachments.listInline;

const roleTags = tagOperations('Role', 'RoleName', requireRole);
export const tagRole = roleTags.tag;
export const untagRole = roleTags.untag;
export const listRoleTags = roleTags.list;
