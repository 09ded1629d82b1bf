/**
 * Security profiles, routing profiles and queues: the defaults every ACTIVE instance has (Admin, Agent,
 * CallCenterManager, QualityAnalyst; Basic Routing Profile; BasicQueue), ListSecurityProfiles,
 * ListRoutingProfiles, CreateRoutingProfile, DescribeRoutingProfile and ListQueues.
 *
 * The sandbox keeps standard queues only: the per-user AGENT queues Connect also creates are not emulated.
 */
import type { EmulatorContext } from '../emulator.js';
import {
  activeInstance,
  connectError,
  copyRecord,
  getOwn,
  invalidParameter,
  namedSummary,
  newNamedResource,
  notFound,
  pageOf,
  requireBelowQuota,
  timestamp,
} from './common.js';
import type { InstanceIdInput, ListInput } from './instances.js';
import type { ConnectInstanceState, ConnectNamedResource, ConnectRoutingProfileState } from './state.js';

/** The page size of the list operations when MaxResults is absent. */
export const DEFAULT_PAGE_SIZE = 100;

/** Routing profiles per instance (Connect service quotas). */
export const MAX_ROUTING_PROFILES = 100;

function listNamed(
  ctx: EmulatorContext,
  input: InstanceIdInput & ListInput,
  operation: string,
  pick: (instance: ConnectInstanceState) => Record<string, ConnectNamedResource>,
) {
  const instance = activeInstance(ctx, input.InstanceId);
  const records = pick(instance);
  return pageOf(Object.keys(records), (id) => namedSummary(records[id] as ConnectNamedResource), {
    scope: `${operation} ${instance.id}`,
    nextToken: input.NextToken,
    maxResults: input.MaxResults ?? DEFAULT_PAGE_SIZE,
    badToken: () => invalidParameter('Invalid NextToken.'),
  });
}

export function listSecurityProfiles(ctx: EmulatorContext, input: InstanceIdInput & ListInput) {
  const page = listNamed(ctx, input, 'ListSecurityProfiles', (instance) => instance.securityProfiles);
  return { SecurityProfileSummaryList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function listRoutingProfiles(ctx: EmulatorContext, input: InstanceIdInput & ListInput) {
  const page = listNamed(ctx, input, 'ListRoutingProfiles', (instance) => instance.routingProfiles);
  return { RoutingProfileSummaryList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export function listQueues(
  ctx: EmulatorContext,
  input: InstanceIdInput & ListInput & { QueueTypes?: string[] },
) {
  // Only STANDARD queues exist in the sandbox: asking for AGENT queues alone lists nothing.
  const agentOnly = input.QueueTypes !== undefined && !input.QueueTypes.includes('STANDARD');
  const page = listNamed(ctx, input, `ListQueues ${agentOnly ? 'AGENT' : 'STANDARD'}`, (instance) =>
    agentOnly ? {} : instance.queues,
  );
  return {
    QueueSummaryList: page.items.map((q) => ({ ...q, QueueType: 'STANDARD' })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// CreateRoutingProfile, DescribeRoutingProfile

interface MediaConcurrencyInput {
  Channel: string;
  Concurrency: number;
}

interface QueueConfigInput {
  QueueReference: { QueueId: string; Channel: string };
  Priority: number;
  Delay: number;
}

export interface CreateRoutingProfileInput {
  InstanceId: string;
  Name: string;
  Description: string;
  DefaultOutboundQueueId: string;
  QueueConfigs?: QueueConfigInput[];
  MediaConcurrencies: MediaConcurrencyInput[];
  Tags?: Record<string, string>;
  AgentAvailabilityTimer?: string;
}

function requireQueue(instance: ConnectInstanceState, id: string): void {
  if (!getOwn(instance.queues, id)) throw notFound(`Queue not found: ${id}`);
}

export function createRoutingProfile(
  ctx: EmulatorContext,
  input: CreateRoutingProfileInput,
): { RoutingProfileArn: string; RoutingProfileId: string } {
  const instance = activeInstance(ctx, input.InstanceId);
  const profiles = Object.values(instance.routingProfiles);
  if (profiles.some((p) => p.name === input.Name)) {
    throw connectError('DuplicateResourceException', `A routing profile named ${input.Name} already exists.`);
  }
  requireBelowQuota(profiles.length, MAX_ROUTING_PROFILES, 'routing profiles');
  requireQueue(instance, input.DefaultOutboundQueueId);
  for (const config of input.QueueConfigs ?? []) requireQueue(instance, config.QueueReference.QueueId);
  const channels = input.MediaConcurrencies.map((m) => m.Channel);
  const repeated = channels.find((c, i) => channels.indexOf(c) !== i);
  if (repeated !== undefined) {
    throw invalidParameter(`MediaConcurrencies lists the channel ${repeated} more than once.`);
  }
  const voice = input.MediaConcurrencies.find((m) => m.Channel === 'VOICE');
  if (voice && voice.Concurrency !== 1) {
    throw invalidParameter('The concurrency of the VOICE channel must be 1.');
  }
  const profile: ConnectRoutingProfileState = {
    ...newNamedResource(ctx, instance, 'routing-profile', input.Name, input.Tags),
    description: input.Description,
    defaultOutboundQueueId: input.DefaultOutboundQueueId,
    mediaConcurrencies: input.MediaConcurrencies.map((m) => ({
      channel: m.Channel,
      concurrency: m.Concurrency,
    })),
    queueConfigs: (input.QueueConfigs ?? []).map((q) => ({
      queueId: q.QueueReference.QueueId,
      channel: q.QueueReference.Channel,
      priority: q.Priority,
      delay: q.Delay,
    })),
    ...(input.AgentAvailabilityTimer !== undefined
      ? { agentAvailabilityTimer: input.AgentAvailabilityTimer }
      : {}),
  };
  instance.routingProfiles[profile.id] = profile;
  return { RoutingProfileArn: profile.arn, RoutingProfileId: profile.id };
}

export function describeRoutingProfile(
  ctx: EmulatorContext,
  input: InstanceIdInput & { RoutingProfileId: string },
) {
  const instance = activeInstance(ctx, input.InstanceId);
  const profile = getOwn(instance.routingProfiles, input.RoutingProfileId);
  if (!profile) throw notFound(`Routing profile not found: ${input.RoutingProfileId}`);
  const queueIds = [...new Set((profile.queueConfigs ?? []).map((q) => q.queueId))];
  return {
    RoutingProfile: {
      InstanceId: instance.id,
      Name: profile.name,
      RoutingProfileArn: profile.arn,
      RoutingProfileId: profile.id,
      Description: profile.description,
      MediaConcurrencies: (profile.mediaConcurrencies ?? []).map((m) => ({
        Channel: m.channel,
        Concurrency: m.concurrency,
      })),
      DefaultOutboundQueueId: profile.defaultOutboundQueueId,
      Tags: copyRecord(profile.tags),
      NumberOfAssociatedQueues: queueIds.length,
      NumberOfAssociatedUsers: Object.values(instance.users).filter((u) => u.routingProfileId === profile.id)
        .length,
      AgentAvailabilityTimer: profile.agentAvailabilityTimer,
      LastModifiedTime: timestamp(profile.lastModifiedAt),
      LastModifiedRegion: profile.lastModifiedRegion,
      IsDefault: profile.isDefault === true,
      AssociatedQueueIds: queueIds,
    },
  };
}
