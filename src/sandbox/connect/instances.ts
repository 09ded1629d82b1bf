/**
 * Connect instances: CreateInstance, DescribeInstance, ListInstances, DeleteInstance.
 *
 * An instance lives in the region of the request that created it (the SigV4 scope region); its alias is
 * unique across every region. It is CREATION_IN_PROGRESS for the sandbox's `instanceCreationMs`, then
 * ACTIVE (or CREATION_FAILED for an alias listed in `failInstanceAliases`).
 */
import type { EmulatorContext } from '../emulator.js';
import {
  connectError,
  copyRecord,
  findInstance,
  getOwn,
  instanceIdOf,
  invalidRequest,
  notFound,
  pageOf,
  refreshInstance,
  removeInstance,
  requestRegion,
  setOwn,
  timestamp,
} from './common.js';
import type { ConnectIdentityManagementType, ConnectInstanceState } from './state.js';

/** "100 instances can be created or deleted in 30 days" (Connect service quotas). */
export const INSTANCE_CHANGES_PER_30_DAYS = 100;
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

export interface CreateInstanceInput {
  ClientToken?: string;
  IdentityManagementType: ConnectIdentityManagementType;
  InstanceAlias?: string;
  DirectoryId?: string;
  InboundCallsEnabled: boolean;
  OutboundCallsEnabled: boolean;
  Tags?: Record<string, string>;
}

export interface InstanceIdInput {
  InstanceId: string;
}

export interface DeleteInstanceInput extends InstanceIdInput {
  ClientToken?: string;
}

export interface ListInput {
  NextToken?: string;
  MaxResults?: number;
}

const SERVICE_ROLE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function createInstance(
  ctx: EmulatorContext,
  input: CreateInstanceInput,
): { Id: string; Arn: string } {
  const state = ctx.state.connect;
  const region = requestRegion(ctx);
  const tokenKey = input.ClientToken ? `${region} ${input.ClientToken}` : undefined;
  if (tokenKey !== undefined) {
    const earlier = getOwn(state.instances, getOwn(state.createTokens, tokenKey) ?? '');
    if (earlier && refreshInstance(ctx, earlier)) return { Id: earlier.id, Arn: earlier.arn };
  }

  const type = input.IdentityManagementType;
  if (type === 'EXISTING_DIRECTORY') {
    if (input.DirectoryId === undefined) {
      throw invalidRequest(
        'Invalid Input. DirectoryId is required for the identity management type EXISTING_DIRECTORY.',
      );
    }
    // The sandbox emulates no AWS Directory Service: no directory exists in its account.
    throw notFound(`Directory ${input.DirectoryId} was not found in this account and Region.`);
  }
  if (input.DirectoryId !== undefined) {
    throw invalidRequest(
      `Invalid Input. DirectoryId can only be used with the identity management type EXISTING_DIRECTORY.`,
    );
  }
  const alias = input.InstanceAlias;
  if (alias === undefined) {
    throw invalidRequest(
      `Invalid Input. InstanceAlias is required for the identity management type ${type}.`,
    );
  }
  const aliasKey = alias.toLowerCase();
  const holder = getOwn(state.instances, getOwn(state.aliases, aliasKey) ?? '');
  if (holder && refreshInstance(ctx, holder))
    throw invalidRequest('Invalid Input. Instance alias is already used.');

  const now = ctx.now();
  state.instanceChanges = state.instanceChanges.filter((at) => now - at < THIRTY_DAYS_MS);
  if (state.instanceChanges.length >= INSTANCE_CHANGES_PER_30_DAYS) {
    throw connectError(
      'ServiceQuotaExceededException',
      'Your account has been flagged for an excessive number of creation and deletion attempts. You must wait 30 days before you can create a new instance.',
    );
  }

  const id = ctx.uuid();
  const instance: ConnectInstanceState = {
    id,
    arn: `arn:aws:connect:${region}:${ctx.accountId}:instance/${id}`,
    region,
    alias,
    identityManagementType: type,
    inboundCallsEnabled: input.InboundCallsEnabled,
    outboundCallsEnabled: input.OutboundCallsEnabled,
    createdAt: now,
    readyAt: now + Math.max(0, ctx.instanceCreationMs),
    willFail: ctx.failInstanceAliases.some((failing) => failing.toLowerCase() === aliasKey),
    status: 'CREATION_IN_PROGRESS',
    serviceRole: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_${ctx.randomId(20, SERVICE_ROLE_ALPHABET)}`,
    tags: copyRecord(input.Tags ?? {}),
    securityProfiles: {},
    routingProfiles: {},
    queues: {},
    users: {},
    usernames: {},
  };
  state.instances[id] = instance;
  setOwn(state.aliases, aliasKey, id);
  if (tokenKey !== undefined) setOwn(state.createTokens, tokenKey, id);
  state.instanceChanges.push(now);
  refreshInstance(ctx, instance);
  return { Id: instance.id, Arn: instance.arn };
}

function instanceSummary(instance: ConnectInstanceState) {
  return {
    Id: instance.id,
    Arn: instance.arn,
    IdentityManagementType: instance.identityManagementType,
    ...(instance.alias !== undefined ? { InstanceAlias: instance.alias } : {}),
    CreatedTime: timestamp(instance.createdAt),
    ServiceRole: instance.serviceRole,
    InstanceStatus: instance.status,
    InboundCallsEnabled: instance.inboundCallsEnabled,
    OutboundCallsEnabled: instance.outboundCallsEnabled,
    ...(instance.alias !== undefined
      ? { InstanceAccessUrl: `https://${instance.alias}.my.connect.aws` }
      : {}),
  };
}

export function describeInstance(ctx: EmulatorContext, input: InstanceIdInput) {
  const instance = findInstance(ctx, input.InstanceId);
  return {
    Instance: {
      ...instanceSummary(instance),
      ...(instance.statusReason !== undefined ? { StatusReason: { Message: instance.statusReason } } : {}),
      ...(Object.keys(instance.tags).length > 0 ? { Tags: copyRecord(instance.tags) } : {}),
    },
  };
}

export function listInstances(ctx: EmulatorContext, input: ListInput) {
  const region = requestRegion(ctx);
  const keys: string[] = [];
  for (const instance of Object.values(ctx.state.connect.instances)) {
    if (instance.region === region && refreshInstance(ctx, instance)) keys.push(instance.id);
  }
  const page = pageOf(
    keys,
    (id) => instanceSummary(ctx.state.connect.instances[id] as ConnectInstanceState),
    {
      scope: `ListInstances ${region}`,
      nextToken: input.NextToken,
      maxResults: input.MaxResults ?? 10,
      badToken: () => invalidRequest('Invalid NextToken.'),
    },
  );
  return { InstanceSummaryList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function deleteInstance(ctx: EmulatorContext, input: DeleteInstanceInput): Record<string, never> {
  const state = ctx.state.connect;
  const tokenKey = input.ClientToken ? `${requestRegion(ctx)} ${input.ClientToken}` : undefined;
  // A retry of a DeleteInstance that succeeded succeeds again.
  if (tokenKey !== undefined && getOwn(state.deleteTokens, tokenKey) === instanceIdOf(input.InstanceId))
    return {};
  const instance = findInstance(ctx, input.InstanceId);
  removeInstance(ctx, instance);
  state.instanceChanges.push(ctx.now());
  if (tokenKey !== undefined) setOwn(state.deleteTokens, tokenKey, instance.id);
  return {};
}
