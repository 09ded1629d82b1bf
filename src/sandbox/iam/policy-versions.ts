/**
 * The versions of a managed policy: at most five, one of them the default.
 */
import type {
  CreatePolicyVersionRequest,
  CreatePolicyVersionResponse,
  DeletePolicyVersionRequest,
  GetPolicyVersionRequest,
  GetPolicyVersionResponse,
  ListPolicyVersionsRequest,
  ListPolicyVersionsResponse,
  SetDefaultPolicyVersionRequest,
} from '@aws-sdk/client-iam';
import {
  type Ctx,
  date,
  deleteConflict,
  encodeDocument,
  limitExceeded,
  noSuchEntity,
  page,
  pagingOutput,
  required,
} from './common.js';
import { checkIdentityPolicy } from './documents.js';
import { requireLocalPolicy, requirePolicy } from './policy-lookup.js';
import type { IamPolicyState, IamPolicyVersionState } from './state.js';

export const MAX_POLICY_VERSIONS = 5;

function versionOf(policy: IamPolicyState, versionId: string): IamPolicyVersionState {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version) {
    throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
  }
  return version;
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
