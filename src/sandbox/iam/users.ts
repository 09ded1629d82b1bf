/**
 * IAM users, their managed policies and tags.
 */
import type {
  CreateUserRequest,
  CreateUserResponse,
  DeleteUserRequest,
  GetUserRequest,
  GetUserResponse,
  ListUsersRequest,
  ListUsersResponse,
  User,
} from '@aws-sdk/client-iam';
import { attachmentOperations, boundaryArn, boundaryOutput } from './attachments.js';
import {
  type Ctx,
  date,
  deleteConflict,
  entityAlreadyExists,
  entityArn,
  findUser,
  iamState,
  initialTags,
  page,
  pagingOutput,
  required,
  requireUser,
  tagsOutput,
  underPath,
  uniqueId,
} from './common.js';
import type { IamUserState } from './state.js';
import { tagOperations } from './tag-operations.js';

/** The root user has no creation time the sandbox knows; AWS shows the account's. */
const ROOT_CREATE_DATE = Date.UTC(2020, 0, 1);

function userOutput(user: IamUserState, detail: 'full' | 'list'): User {
  return {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: user.arn,
    CreateDate: date(user.createdAt),
    ...(detail === 'full' ? boundaryOutput(user.permissionsBoundary) : {}),
    ...(detail === 'full' ? tagsOutput(user.tags) : {}),
  };
}

export function createUser(ctx: Ctx, input: CreateUserRequest): CreateUserResponse {
  const state = iamState(ctx);
  const name = required(input.UserName, 'UserName');
  const path = input.Path ?? '/';
  if (findUser(state, name)) throw entityAlreadyExists(`User with name ${name} already exists.`);
  const boundary = boundaryArn(ctx, input.PermissionsBoundary);
  const tags = initialTags('User', input.Tags);
  const user: IamUserState = {
    id: uniqueId(ctx, 'AIDA'),
    name,
    path,
    arn: entityArn(ctx, 'user', path, name),
    createdAt: ctx.now(),
    ...boundary,
    tags,
    attachedPolicies: [],
  };
  state.users.push(user);
  return { User: userOutput(user, 'full') };
}

/** `GetUser` without `UserName` answers for the caller (the root user for the sandbox's own key). */
export function getUser(ctx: Ctx, input: GetUserRequest): GetUserResponse {
  if (input.UserName !== undefined) return { User: userOutput(requireUser(ctx, input.UserName), 'full') };
  const caller = ctx.caller;
  if (caller?.kind === 'user') return { User: userOutput(requireUser(ctx, caller.userName), 'full') };
  return {
    User: {
      Path: undefined,
      UserName: undefined,
      UserId: ctx.accountId,
      Arn: `arn:aws:iam::${ctx.accountId}:root`,
      CreateDate: date(ROOT_CREATE_DATE),
    },
  };
}

export function listUsers(ctx: Ctx, input: ListUsersRequest): ListUsersResponse {
  const users = iamState(ctx).users.filter((u) => underPath(u.path, input.PathPrefix));
  const p = page(users, (u) => u.name, input);
  return { Users: p.items.map((u) => userOutput(u, 'list')), ...pagingOutput(p) };
}

export function deleteUser(ctx: Ctx, input: DeleteUserRequest): Record<string, never> {
  const state = iamState(ctx);
  const user = requireUser(ctx, required(input.UserName, 'UserName'));
  if (user.attachedPolicies.length > 0)
    throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (state.accessKeys.some((k) => k.userName === user.name)) {
    throw deleteConflict('Cannot delete entity, must delete access keys first.');
  }
  state.users = state.users.filter((u) => u !== user);
  return {};
}

const userAttachments = attachmentOperations('User', 'UserName', requireUser);
export const attachUserPolicy = userAttachments.attach;
export const detachUserPolicy = userAttachments.detach;
export const listAttachedUserPolicies = userAttachments.listAttached;
export const listUserPolicies = userAttachments.listInline;

const userTags = tagOperations('User', 'UserName', requireUser);
export const tagUser = userTags.tag;
export const untagUser = userTags.untag;
export const listUserTags = userTags.list;
