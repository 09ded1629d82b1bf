/**
 * Security profiles and routing profiles: the defaults every ACTIVE instance has, listed by
 * ListSecurityProfiles and ListRoutingProfiles.
 */
import type { EmulatorContext } from '../emulator.js';
import { activeInstance, invalidParameter, pageOf, timestamp } from './common.js';
import type { InstanceIdInput, ListInput } from './instances.js';
import type { ConnectNamedResource } from './state.js';

/** The page size of the list operations when MaxResults is absent. */
export const DEFAULT_PAGE_SIZE = 100;

function summary(resource: ConnectNamedResource) {
  return {
    Id: resource.id,
    Arn: resource.arn,
    Name: resource.name,
    LastModifiedTime: timestamp(resource.lastModifiedAt),
    LastModifiedRegion: resource.lastModifiedRegion,
  };
}

function listNamed(
  ctx: EmulatorContext,
  input: InstanceIdInput & ListInput,
  operation: string,
  pick: (instance: ReturnType<typeof activeInstance>) => Record<string, ConnectNamedResource>,
) {
  const instance = activeInstance(ctx, input.InstanceId);
  const records = pick(instance);
  return pageOf(Object.keys(records), (id) => summary(records[id] as ConnectNamedResource), {
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
