/**
 * Access keys of IAM users: at most two per user; the secret is shown once, at creation.
 */
import type {
  AccessKeyMetadata,
  CreateAccessKeyRequest,
  CreateAccessKeyResponse,
  DeleteAccessKeyRequest,
  GetAccessKeyLastUsedRequest,
  GetAccessKeyLastUsedResponse,
  ListAccessKeysRequest,
  ListAccessKeysResponse,
  UpdateAccessKeyRequest,
} from '@aws-sdk/client-iam';
import { ServiceError } from '../emulator.js';
import {
  type Ctx,
  date,
  iamState,
  invalidInput,
  limitExceeded,
  noSuchEntity,
  page,
  pagingOutput,
  required,
  requireUser,
  sameName,
} from './common.js';
import type { IamAccessKeyState, IamState, IamUserState } from './state.js';

export const MAX_ACCESS_KEYS_PER_USER = 2;
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The user whose keys a request is about: `UserName`, else the calling IAM user. */
function keyOwner(ctx: Ctx, userName: string | undefined): IamUserState {
  if (userName !== undefined) return requireUser(ctx, userName);
  if (ctx.caller?.kind === 'user') return requireUser(ctx, ctx.caller.userName);
  // The sandbox's own key stands for the root user, whose keys the sandbox does not manage.
  throw invalidInput('Must specify userName when calling with non-User credentials');
}

function keyOf(ctx: Ctx, user: IamUserState, accessKeyId: string): IamAccessKeyState {
  const key = iamState(ctx).accessKeys.find(
    (k) => k.accessKeyId === accessKeyId && sameName(k.userName, user.name),
  );
  if (!key) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
}

function metadata(key: IamAccessKeyState): AccessKeyMetadata {
  return {
    UserName: key.userName,
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    CreateDate: date(key.createdAt),
  };
}

export function createAccessKey(ctx: Ctx, input: CreateAccessKeyRequest): CreateAccessKeyResponse {
  const state = iamState(ctx);
  const user = keyOwner(ctx, input.UserName);
  if (state.accessKeys.filter((k) => k.userName === user.name).length >= MAX_ACCESS_KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`);
  }
  const key: IamAccessKeyState = {
    accessKeyId: `AKIA${ctx.randomId(16)}`,
    secretAccessKey: ctx.randomId(40, SECRET_ALPHABET),
    userName: user.name,
    status: 'Active',
    createdAt: ctx.now(),
  };
  state.accessKeys.push(key);
  return {
    AccessKey: {
      UserName: key.userName,
      AccessKeyId: key.accessKeyId,
      Status: key.status,
      SecretAccessKey: key.secretAccessKey,
      CreateDate: date(key.createdAt),
    },
  };
}

export function listAccessKeys(ctx: Ctx, input: ListAccessKeysRequest): ListAccessKeysResponse {
  const user = keyOwner(ctx, input.UserName);
  const keys = iamState(ctx).accessKeys.filter((k) => k.userName === user.name);
  const p = page(keys, (k) => k.accessKeyId, input);
  return { AccessKeyMetadata: p.items.map(metadata), ...pagingOutput(p) };
}

export function updateAccessKey(ctx: Ctx, input: UpdateAccessKeyRequest): Record<string, never> {
  const user = keyOwner(ctx, input.UserName);
  const key = keyOf(ctx, user, required(input.AccessKeyId, 'AccessKeyId'));
  key.status = required(input.Status, 'Status') === 'Inactive' ? 'Inactive' : 'Active';
  return {};
}

export function deleteAccessKey(ctx: Ctx, input: DeleteAccessKeyRequest): Record<string, never> {
  const state = iamState(ctx);
  const user = keyOwner(ctx, input.UserName);
  const key = keyOf(ctx, user, required(input.AccessKeyId, 'AccessKeyId'));
  state.accessKeys = state.accessKeys.filter((k) => k !== key);
  return {};
}

export function getAccessKeyLastUsed(
  ctx: Ctx,
  input: GetAccessKeyLastUsedRequest,
): GetAccessKeyLastUsedResponse {
  const id = required(input.AccessKeyId, 'AccessKeyId');
  const key = iamState(ctx).accessKeys.find((k) => k.accessKeyId === id);
  if (!key) {
    // The model lists no error: AWS answers as for a key of another account.
    const caller =
      ctx.caller?.kind === 'user'
        ? `arn:aws:iam::${ctx.accountId}:user/${ctx.caller.userName}`
        : `arn:aws:iam::${ctx.accountId}:root`;
    throw new ServiceError(
      'AccessDenied',
      `User: ${caller} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`,
      403,
    );
  }
  const used = key.lastUsed;
  return {
    UserName: key.userName,
    AccessKeyLastUsed: used
      ? { LastUsedDate: date(used.at), ServiceName: used.serviceName, Region: used.region }
      : { ServiceName: 'N/A', Region: 'N/A' },
  };
}

// ---------------------------------------------------------------------------------------------------------
// For the server

/** What the server needs to verify a SigV4 signature made with an issued key. */
export interface AccessKeyRecord {
  userName: string;
  userId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
}

/**
 * The access key `accessKeyId` as issued by `CreateAccessKey`, with its user; undefined for an unknown
 * (or deleted) key. The server rejects an `Inactive` key as AWS does (`InvalidClientTokenId`).
 */
export function findAccessKey(state: IamState, accessKeyId: string): AccessKeyRecord | undefined {
  const key = state.accessKeys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return undefined;
  const user = state.users.find((u) => u.name === key.userName);
  if (!user) return undefined;
  return { userName: user.name, userId: user.id, secretAccessKey: key.secretAccessKey, status: key.status };
}

/** Record that a key signed a request (what `GetAccessKeyLastUsed` reports). */
export function recordAccessKeyUse(
  state: IamState,
  accessKeyId: string,
  use: { at: number; serviceName: string; region: string },
): void {
  const key = state.accessKeys.find((k) => k.accessKeyId === accessKeyId);
  if (key) key.lastUsed = { ...use };
}
