/**
 * Quick connects (transfer destinations): CreateQuickConnect, ListQuickConnects, DescribeQuickConnect,
 * DeleteQuickConnect.
 *
 * A USER quick connect names a user, which must exist when it is created; DeleteUser leaves it in place,
 * as AWS does ("call DeleteQuickConnect to delete any records related to the deleted users", DeleteUser
 * documentation), so a teardown has to delete it. The transfer flow (`ContactFlowId`) is stored but not
 * checked: the sandbox emulates no contact flows.
 */
import type { EmulatorContext } from '../emulator.js';
import {
  activeInstance,
  connectError,
  copyRecord,
  getOwn,
  invalidParameter,
  newNamedResource,
  notFound,
  pageOf,
  requireBelowQuota,
  timestamp,
} from './common.js';
import type { InstanceIdInput, ListInput } from './instances.js';
import { DEFAULT_PAGE_SIZE } from './profiles.js';
import type { ConnectInstanceState, ConnectQuickConnectState } from './state.js';

/** Quick connects per instance (Connect service quotas). */
export const MAX_QUICK_CONNECTS = 100;

interface QuickConnectConfigInput {
  QuickConnectType: 'USER' | 'QUEUE' | 'PHONE_NUMBER';
  UserConfig?: { UserId: string; ContactFlowId: string };
  QueueConfig?: { QueueId: string; ContactFlowId: string };
  PhoneConfig?: { PhoneNumber: string };
}

function quickConnectsOf(instance: ConnectInstanceState): Record<string, ConnectQuickConnectState> {
  instance.quickConnects ??= {};
  return instance.quickConnects;
}

function findQuickConnect(instance: ConnectInstanceState, id: string): ConnectQuickConnectState {
  const found = getOwn(quickConnectsOf(instance), id);
  if (!found) throw notFound(`Quick connect not found: ${id}`);
  return found;
}

/** The one config the type needs, checked against the instance. */
function destinationOf(
  instance: ConnectInstanceState,
  config: QuickConnectConfigInput,
): Pick<ConnectQuickConnectState, 'userId' | 'queueId' | 'contactFlowId' | 'phoneNumber'> {
  const type = config.QuickConnectType;
  const given = (['UserConfig', 'QueueConfig', 'PhoneConfig'] as const).filter((k) => config[k]);
  const needed = type === 'USER' ? 'UserConfig' : type === 'QUEUE' ? 'QueueConfig' : 'PhoneConfig';
  if (given.length !== 1 || given[0] !== needed) {
    throw invalidParameter(
      `A ${type} quick connect needs exactly its ${needed}; the request has ${given.join(', ') || 'none'}.`,
    );
  }
  if (config.UserConfig) {
    if (!getOwn(instance.users, config.UserConfig.UserId)) {
      throw notFound(`User not found: ${config.UserConfig.UserId}`);
    }
    return { userId: config.UserConfig.UserId, contactFlowId: config.UserConfig.ContactFlowId };
  }
  if (config.QueueConfig) {
    if (!getOwn(instance.queues, config.QueueConfig.QueueId)) {
      throw notFound(`Queue not found: ${config.QueueConfig.QueueId}`);
    }
    return { queueId: config.QueueConfig.QueueId, contactFlowId: config.QueueConfig.ContactFlowId };
  }
  return { phoneNumber: config.PhoneConfig?.PhoneNumber ?? '' };
}

export function createQuickConnect(
  ctx: EmulatorContext,
  input: InstanceIdInput & {
    Name: string;
    Description?: string;
    QuickConnectConfig: QuickConnectConfigInput;
    Tags?: Record<string, string>;
  },
): { QuickConnectARN: string; QuickConnectId: string } {
  const instance = activeInstance(ctx, input.InstanceId);
  const all = quickConnectsOf(instance);
  if (Object.values(all).some((q) => q.name === input.Name)) {
    throw connectError('DuplicateResourceException', `A quick connect named ${input.Name} already exists.`);
  }
  requireBelowQuota(Object.keys(all).length, MAX_QUICK_CONNECTS, 'quick connects');
  const destination = destinationOf(instance, input.QuickConnectConfig);
  const quickConnect: ConnectQuickConnectState = {
    ...newNamedResource(ctx, instance, 'transfer-destination', input.Name, input.Tags),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    type: input.QuickConnectConfig.QuickConnectType,
    ...destination,
  };
  all[quickConnect.id] = quickConnect;
  return { QuickConnectARN: quickConnect.arn, QuickConnectId: quickConnect.id };
}

export function listQuickConnects(
  ctx: EmulatorContext,
  input: InstanceIdInput & ListInput & { QuickConnectTypes?: string[] },
) {
  const instance = activeInstance(ctx, input.InstanceId);
  const all = quickConnectsOf(instance);
  const types = input.QuickConnectTypes;
  const ids = Object.keys(all).filter(
    (id) => !types || types.includes((all[id] as ConnectQuickConnectState).type),
  );
  const page = pageOf(
    ids,
    (id) => {
      const q = all[id] as ConnectQuickConnectState;
      return {
        Id: q.id,
        Arn: q.arn,
        Name: q.name,
        QuickConnectType: q.type,
        LastModifiedTime: timestamp(q.lastModifiedAt),
        LastModifiedRegion: q.lastModifiedRegion,
      };
    },
    {
      scope: `ListQuickConnects ${instance.id} ${[...(types ?? [])].sort().join(',')}`,
      nextToken: input.NextToken,
      maxResults: input.MaxResults ?? DEFAULT_PAGE_SIZE,
      badToken: () => invalidParameter('Invalid NextToken.'),
    },
  );
  return { QuickConnectSummaryList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function describeQuickConnect(
  ctx: EmulatorContext,
  input: InstanceIdInput & { QuickConnectId: string },
) {
  const instance = activeInstance(ctx, input.InstanceId);
  const q = findQuickConnect(instance, input.QuickConnectId);
  return {
    QuickConnect: {
      QuickConnectARN: q.arn,
      QuickConnectId: q.id,
      Name: q.name,
      Description: q.description,
      QuickConnectConfig: {
        QuickConnectType: q.type,
        ...(q.type === 'USER' ? { UserConfig: { UserId: q.userId, ContactFlowId: q.contactFlowId } } : {}),
        ...(q.type === 'QUEUE'
          ? { QueueConfig: { QueueId: q.queueId, ContactFlowId: q.contactFlowId } }
          : {}),
        ...(q.type === 'PHONE_NUMBER' ? { PhoneConfig: { PhoneNumber: q.phoneNumber } } : {}),
      },
      Tags: copyRecord(q.tags),
      LastModifiedTime: timestamp(q.lastModifiedAt),
      LastModifiedRegion: q.lastModifiedRegion,
    },
  };
}

export function deleteQuickConnect(
  ctx: EmulatorContext,
  input: InstanceIdInput & { QuickConnectId: string },
): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const q = findQuickConnect(instance, input.QuickConnectId);
  delete quickConnectsOf(instance)[q.id];
  return {};
}
