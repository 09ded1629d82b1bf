/**
 * The emulated Amazon Connect (restJson1). Routing, input binding, model validation and output
 * serialization come from the Smithy-driven wire layer (../aws-model.ts); this module maps each operation
 * to its handler and renders errors as Connect does: status of the error shape, `x-amzn-errortype: <Code>`,
 * body `{"Message": "…"}`, and `x-amzn-requestid` on every response.
 */
import {
  matchRestOperation,
  operationInfo,
  parseRestInput,
  serializeRestOutput,
  unemulatedRestOperation,
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
import { connectError } from './common.js';
import { getFederationToken } from './federation.js';
import {
  createUserHierarchyGroup,
  describeUserHierarchyGroup,
  describeUserHierarchyStructure,
  listUserHierarchyGroups,
  updateUserHierarchy,
  updateUserHierarchyStructure,
} from './hierarchy.js';
import { createInstance, deleteInstance, describeInstance, listInstances } from './instances.js';
import {
  createRoutingProfile,
  describeRoutingProfile,
  listQueues,
  listRoutingProfiles,
  listSecurityProfiles,
} from './profiles.js';
import {
  createQuickConnect,
  deleteQuickConnect,
  describeQuickConnect,
  listQuickConnects,
} from './quick-connects.js';
import { searchUsers } from './search-users.js';
import {
  createSecurityProfile,
  deleteSecurityProfile,
  describeSecurityProfile,
} from './security-profiles.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import {
  createUser,
  deleteUser,
  describeUser,
  listUsers,
  updateUserIdentityInfo,
  updateUserRoutingProfile,
  updateUserSecurityProfiles,
} from './users.js';

export { findInstance } from './common.js';
export { federationTokenFor } from './federation.js';

type Handler = (ctx: EmulatorContext, input: Record<string, unknown>) => object;

/** A handler typed by its input; the input was validated against the model before it runs. */
function op<I>(fn: (ctx: EmulatorContext, input: I) => object): Handler {
  return (ctx, input) => fn(ctx, input as unknown as I);
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  CreateInstance: op(createInstance),
  DescribeInstance: op(describeInstance),
  ListInstances: op(listInstances),
  DeleteInstance: op(deleteInstance),
  CreateUser: op(createUser),
  DescribeUser: op(describeUser),
  ListUsers: op(listUsers),
  SearchUsers: op(searchUsers),
  DeleteUser: op(deleteUser),
  UpdateUserSecurityProfiles: op(updateUserSecurityProfiles),
  UpdateUserIdentityInfo: op(updateUserIdentityInfo),
  UpdateUserRoutingProfile: op(updateUserRoutingProfile),
  UpdateUserHierarchy: op(updateUserHierarchy),
  UpdateUserHierarchyStructure: op(updateUserHierarchyStructure),
  DescribeUserHierarchyStructure: op(describeUserHierarchyStructure),
  CreateUserHierarchyGroup: op(createUserHierarchyGroup),
  ListUserHierarchyGroups: op(listUserHierarchyGroups),
  DescribeUserHierarchyGroup: op(describeUserHierarchyGroup),
  ListSecurityProfiles: op(listSecurityProfiles),
  CreateSecurityProfile: op(createSecurityProfile),
  DescribeSecurityProfile: op(describeSecurityProfile),
  DeleteSecurityProfile: op(deleteSecurityProfile),
  ListRoutingProfiles: op(listRoutingProfiles),
  CreateRoutingProfile: op(createRoutingProfile),
  DescribeRoutingProfile: op(describeRoutingProfile),
  ListQueues: op(listQueues),
  CreateQuickConnect: op(createQuickConnect),
  ListQuickConnects: op(listQuickConnects),
  DescribeQuickConnect: op(describeQuickConnect),
  DeleteQuickConnect: op(deleteQuickConnect),
  TagResource: op(tagResource),
  UntagResource: op(untagResource),
  ListTagsForResource: op(listTagsForResource),
  GetFederationToken: op(getFederationToken),
};

/**
 * `GetFederationToken`'s resource for the permission check: `<instance-arn>/user/<aws:userid>` of the
 * caller's session, as the federation policy (`…/user/${aws:userid}`) names it.
 */
function federationResource(
  ctx: EmulatorContext,
  operation: string,
  labels: Readonly<Record<string, string>>,
): string | undefined {
  const caller = ctx.caller;
  if (operation !== 'GetFederationToken' || caller?.kind !== 'assumed-role') return undefined;
  const region = ctx.signedRegion ?? ctx.region;
  const instance = labels.InstanceId ?? '';
  const id = /:instance\/([^/]+)$/.exec(instance)?.[1] ?? instance;
  return `arn:aws:connect:${region}:${ctx.accountId}:instance/${id}/user/${caller.roleId}:${caller.roleSessionName}`;
}

function respond(ctx: EmulatorContext, operation: string, output: object): SandboxResponse {
  const out = serializeRestOutput(operation, output);
  return {
    status: out.status,
    headers: { ...out.headers, 'x-amzn-requestid': ctx.requestId() },
    body: out.body,
  };
}

export function createConnectEmulator(): ServiceEmulator {
  return {
    service: 'connect',

    resolve(req: SandboxRequest, ctx: EmulatorContext): ResolvedOperation {
      const match = matchRestOperation(req.method, req.path, req.query);
      const handler = match ? HANDLERS[match.operation] : undefined;
      const info = match ? operationInfo('connect', match.operation) : undefined;
      if (!match || !handler || !info) {
        // An operation of the Connect API that the sandbox does not emulate, named; any other path is
        // unknown to Connect itself.
        const other = unemulatedRestOperation(req.method, req.path, req.query);
        if (other !== undefined) throw notImplemented('Amazon Connect', other);
        throw new ServiceError(
          'UnknownOperationException',
          `The sandbox emulates no Amazon Connect operation at ${req.method} ${req.path}.`,
          404,
        );
      }
      const operation = match.operation;
      const resource = federationResource(ctx, operation, match.labels);
      return {
        operation,
        write: info.write,
        action: info.action,
        ...(resource ? { resource } : {}),
        run() {
          const input = parseRestInput(operation, match.labels, req.query, req.body, req.headers);
          validateInput('connect', operation, input);
          return respond(ctx, operation, handler(ctx, input));
        },
      };
    },

    renderError(err: ServiceError, ctx: EmulatorContext): SandboxResponse {
      return {
        status: err.status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': err.code,
          'x-amzn-requestid': ctx.requestId(),
          ...err.extra.headers,
        },
        body: JSON.stringify({ Message: err.message }),
      };
    },

    throttleError(): ServiceError {
      return connectError('ThrottlingException', 'Rate exceeded');
    },

    internalError(): ServiceError {
      return connectError(
        'InternalServiceException',
        'Request processing failed because of an error or failure with the service.',
      );
    },
  };
}
