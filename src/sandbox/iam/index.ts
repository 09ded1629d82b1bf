/**
 * The emulated AWS IAM (awsQuery protocol: `POST /` with a form body `Action=…&Version=2010-05-08&…`,
 * XML responses, errors in `<ErrorResponse>`). Input parsing, model validation and XML come from the
 * Smithy-driven wire layer (../aws-model.ts); the handlers in this folder work on typed objects.
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
import {
  operationInfo,
  otherOperation,
  parseQueryInput,
  renderQueryError,
  serializeQueryOutput,
  validateInput,
} from '../aws-model.js';
import {
  type EmulatorContext,
  notImplemented,
  type ResolvedOperation,
  type SandboxRequest,
  type SandboxResponse,
  type ServiceEmulator,
  ServiceError,
} from '../emulator.js';
import type { PolicyDocument } from '../policy.js';
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

/** A handler takes the parsed, validated input of its operation (see ../aws-model.ts). */
type Handler = (ctx: Ctx, input: never) => object;

const HANDLERS: Readonly<Record<string, Handler>> = {
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

function xmlResponse(status: number, body: string, requestId: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** The request's parameters: the form body, plus the URL query (awsQuery accepts both). */
function queryParams(req: SandboxRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  const type = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && (type === '' || type.includes('x-www-form-urlencoded'))) {
    for (const [name, value] of new URLSearchParams(req.body.toString('utf8'))) params.append(name, value);
  }
  return params;
}

export function createIamEmulator(): ServiceEmulator {
  return {
    service: 'iam',

    resolve(req: SandboxRequest, ctx: EmulatorContext): ResolvedOperation {
      const params = queryParams(req);
      const action = params.get('Action');
      if (action === null || action === '') throw new ServiceError('MissingAction', 'Missing Action', 400);
      const version = params.get('Version') ?? API_VERSION;
      const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
      const info = operationInfo('iam', action);
      // An operation of IAM that the sandbox does not emulate is named; an unknown one is InvalidAction.
      if (version === API_VERSION && (!handler || !info) && otherOperation('iam', action)) {
        throw notImplemented('AWS IAM', action);
      }
      if (!handler || !info || version !== API_VERSION) {
        throw new ServiceError(
          'InvalidAction',
          `Could not find operation ${action} for version ${version}`,
          400,
        );
      }
      return {
        operation: action,
        write: info.write,
        action: info.action,
        run: () => {
          const input = parseQueryInput(action, params);
          validateInput('iam', action, input);
          const output = handler(ctx, input as never);
          const requestId = ctx.requestId();
          return xmlResponse(200, serializeQueryOutput(action, output, requestId), requestId);
        },
      };
    },

    renderError(err: ServiceError, ctx: EmulatorContext): SandboxResponse {
      const requestId = ctx.requestId();
      const fault = err.extra.fault ?? (err.status >= 500 ? 'server' : 'client');
      const response = xmlResponse(
        err.status,
        renderQueryError(err.code, err.message, fault, requestId),
        requestId,
      );
      Object.assign(response.headers, err.extra.headers ?? {});
      return response;
    },

    throttleError(): ServiceError {
      return new ServiceError('Throttling', 'Rate exceeded', 400);
    },

    internalError(): ServiceError {
      return new ServiceError(
        'ServiceFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
        { fault: 'server' },
      );
    },
  };
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
