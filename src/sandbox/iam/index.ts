/**
 * The emulated AWS IAM (awsQuery protocol: `POST /` with a form body `Action=…&Version=2010-05-08&…`,
 * XML responses, errors in `<ErrorResponse>`). Routing, input parsing, model validation and XML come from
 * the awsQuery emulator (../query-service.ts) over the Smithy-driven wire layer (../aws-model.ts); the
 * handlers in this folder work on typed objects.
 *
 * Besides {@link createIamEmulator}, this module exports what the server and the other services need:
 * - {@link findAccessKey}: the user and secret of an access key `CreateAccessKey` issued (SigV4 check);
 * - {@link recordAccessKeyUse}: note a key's last use (`GetAccessKeyLastUsed`);
 * - {@link userPolicyDocuments} / {@link rolePolicyDocuments}: the default-version documents of the managed
 *   policies attached to a user or role (permission checks, SAML sign-in simulation);
 * - {@link findSamlProviderByArn}, {@link findRoleByArn}: lookups for the SAML sign-in simulation;
 * - {@link parseSamlMetadata}: IAM's reading of SAML IdP metadata.
 * The Okta side imports roles by calling `ListRoles` over HTTP with the real SDK, so it needs nothing here.
 */
import { type ServiceEmulator, ServiceError } from '../emulator.js';
import type { PolicyDocument } from '../policy.js';
import { createQueryEmulator, type QueryHandler } from '../query-service.js';
import {
  createAccessKey,
  deleteAccessKey,
  getAccessKeyLastUsed,
  listAccessKeys,
  updateAccessKey,
} from './access-keys.js';
import { type Ctx, findRole, findUser, page, pagingOutput } from './common.js';
import {
  createPolicy,
  createPolicyVersion,
  defaultDocument,
  deletePolicy,
  deletePolicyVersion,
  findPolicy,
  getPolicy,
  getPolicyVersion,
  listEntitiesForPolicy,
  listPolicies,
  listPolicyTags,
  listPolicyVersions,
  setDefaultPolicyVersion,
  tagPolicy,
  untagPolicy,
} from './policies.js';
import {
  attachRolePolicy,
  createRole,
  deleteRole,
  detachRolePolicy,
  getRole,
  listAttachedRolePolicies,
  listRolePolicies,
  listRoles,
  listRoleTags,
  tagRole,
  untagRole,
  updateAssumeRolePolicy,
  updateRole,
} from './roles.js';
import {
  createSAMLProvider,
  deleteSAMLProvider,
  getSAMLProvider,
  listSAMLProviders,
  listSAMLProviderTags,
  tagSAMLProvider,
  untagSAMLProvider,
  updateSAMLProvider,
} from './saml-providers.js';
import type { IamRoleState, IamSamlProviderState, IamState } from './state.js';
import {
  attachUserPolicy,
  createUser,
  deleteUser,
  detachUserPolicy,
  getUser,
  listAttachedUserPolicies,
  listUserPolicies,
  listUsers,
  listUserTags,
  tagUser,
  untagUser,
} from './users.js';

export type { AccessKeyRecord } from './access-keys.js';
export { findAccessKey, recordAccessKeyUse } from './access-keys.js';
export { parseSamlMetadata, type SamlMetadata } from './metadata.js';
export { AWS_MANAGED_POLICIES } from './policies.js';

const API_VERSION = '2010-05-08';

/** `ListAccountAliases`: the alias the state holds, if any (an account has at most one). */
function listAccountAliases(
  ctx: Ctx,
  input: { Marker?: string; MaxItems?: number },
): { AccountAliases: string[]; IsTruncated: boolean; Marker?: string } {
  const p = page(ctx.state.iam.accountAliases, (a) => a, input);
  return { AccountAliases: p.items, ...pagingOutput(p) };
}

const HANDLERS: Readonly<Record<string, QueryHandler>> = {
  // Policies and versions
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  ListPolicies: listPolicies,
  DeletePolicy: deletePolicy,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  ListEntitiesForPolicy: listEntitiesForPolicy,
  TagPolicy: tagPolicy,
  UntagPolicy: untagPolicy,
  ListPolicyTags: listPolicyTags,
  // Users
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  DeleteUser: deleteUser,
  AttachUserPolicy: attachUserPolicy,
  DetachUserPolicy: detachUserPolicy,
  ListAttachedUserPolicies: listAttachedUserPolicies,
  ListUserPolicies: listUserPolicies,
  TagUser: tagUser,
  UntagUser: untagUser,
  ListUserTags: listUserTags,
  // Access keys
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
  // SAML providers
  CreateSAMLProvider: createSAMLProvider,
  GetSAMLProvider: getSAMLProvider,
  UpdateSAMLProvider: updateSAMLProvider,
  ListSAMLProviders: listSAMLProviders,
  DeleteSAMLProvider: deleteSAMLProvider,
  TagSAMLProvider: tagSAMLProvider,
  UntagSAMLProvider: untagSAMLProvider,
  ListSAMLProviderTags: listSAMLProviderTags,
  // Roles
  CreateRole: createRole,
  GetRole: getRole,
  UpdateRole: updateRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  ListRoles: listRoles,
  DeleteRole: deleteRole,
  AttachRolePolicy: attachRolePolicy,
  DetachRolePolicy: detachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
  ListRolePolicies: listRolePolicies,
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
  // Account
  ListAccountAliases: listAccountAliases,
};

/** The operations the sandbox IAM answers. */
export const IAM_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

export function createIamEmulator(): ServiceEmulator {
  return createQueryEmulator({
    service: 'iam',
    title: 'AWS IAM',
    apiVersion: API_VERSION,
    handlers: HANDLERS,
    authorize: true,
    error: (code, message, status) => new ServiceError(code, message, status),
    throttleError: () => new ServiceError('Throttling', 'Rate exceeded', 400),
    internalError: () =>
      new ServiceError(
        'ServiceFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
        { fault: 'server' },
      ),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Helpers for the server and the other services

function attachedDocuments(state: IamState, arns: readonly string[]): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  for (const arn of arns) {
    const policy = findPolicy(state, arn);
    const document = policy ? defaultDocument(policy) : undefined;
    if (document) documents.push(document);
  }
  return documents;
}

/**
 * The documents (default versions) of the managed policies attached to an IAM user, for the server's
 * permission check of requests signed with that user's key. Empty for an unknown user.
 */
export function userPolicyDocuments(state: IamState, userName: string): PolicyDocument[] {
  const user = findUser(state, userName);
  return user ? attachedDocuments(state, user.attachedPolicies) : [];
}

/** The documents (default versions) of the managed policies attached to a role. Empty for an unknown role. */
export function rolePolicyDocuments(state: IamState, roleName: string): PolicyDocument[] {
  const role = findRole(state, roleName);
  return role ? attachedDocuments(state, role.attachedPolicies) : [];
}

/** The role an ARN (`arn:aws:iam::<acct>:role/<path/>name`) names in this account, or undefined. */
export function findRoleByArn(state: IamState, accountId: string, arn: string): IamRoleState | undefined {
  const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!match || match[1] !== accountId || match[2] === undefined) return undefined;
  const role = findRole(state, match[2]);
  return role && role.arn.toLowerCase() === arn.toLowerCase() ? role : undefined;
}

/**
 * The SAML provider an ARN names in this account, or undefined. With `visibleAt` (epoch ms) and
 * `consistencyMs`, a provider created less than `consistencyMs` before is not visible yet.
 */
export function findSamlProviderByArn(
  state: IamState,
  accountId: string,
  arn: string,
  visibility?: { visibleAt: number; consistencyMs: number },
): IamSamlProviderState | undefined {
  const prefix = `arn:aws:iam::${accountId}:saml-provider/`;
  if (!arn.startsWith(prefix)) return undefined;
  const name = arn.slice(prefix.length).toLowerCase();
  const provider = state.samlProviders.find((p) => p.name.toLowerCase() === name);
  if (!provider || !visibility) return provider;
  return visibility.visibleAt - provider.createdAt >= visibility.consistencyMs ? provider : undefined;
}
