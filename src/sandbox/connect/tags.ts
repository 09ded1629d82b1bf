/**
 * TagResource, UntagResource and ListTagsForResource for the Connect resources the sandbox keeps:
 * instances, users (`…/agent/<id>`), security profiles, routing profiles, queues, hierarchy groups
 * (`…/agent-group/<id>`) and quick connects (`…/transfer-destination/<id>`). The members are
 * lower-case (`resourceArn`, `tags`, `tagKeys`) in this API.
 */
import type { EmulatorContext } from '../emulator.js';
import {
  copyRecord,
  deleteOwn,
  findInstance,
  getOwn,
  invalidParameter,
  notFound,
  requestRegion,
  setOwn,
} from './common.js';

/** Tags per resource (the TagMap length limit). */
export const MAX_TAGS = 50;

const CONNECT_ARN =
  /^arn:aws[\w-]*:connect:([a-z0-9-]+):(\d{12}):instance\/([^/]+)(?:\/(agent|security-profile|routing-profile|queue|agent-group|transfer-destination)\/([^/]+))?$/;

/** The tags record of the resource an ARN names. */
function taggedResource(ctx: EmulatorContext, arn: string): Record<string, string> {
  const match = CONNECT_ARN.exec(arn);
  if (!match) throw invalidParameter(`The resource ARN ${arn} is not valid.`);
  const [, region, account, instanceId = '', kind, id = ''] = match;
  if (account !== ctx.accountId || region !== requestRegion(ctx))
    throw notFound(`Resource not found: ${arn}`);
  let instance: ReturnType<typeof findInstance>;
  try {
    instance = findInstance(ctx, instanceId);
  } catch {
    throw notFound(`Resource not found: ${arn}`);
  }
  const byKind: Record<string, Record<string, { tags: Record<string, string> }> | undefined> = {
    agent: instance.users,
    'security-profile': instance.securityProfiles,
    'routing-profile': instance.routingProfiles,
    queue: instance.queues,
    'agent-group': instance.hierarchyGroups ?? {},
    'transfer-destination': instance.quickConnects ?? {},
  };
  const records = kind === undefined ? undefined : byKind[kind];
  if (records === undefined) return instance.tags;
  const resource = getOwn<{ tags: Record<string, string> }>(records, id);
  if (!resource) throw notFound(`Resource not found: ${arn}`);
  return resource.tags;
}

export function tagResource(
  ctx: EmulatorContext,
  input: { resourceArn: string; tags: Record<string, string> },
): Record<string, never> {
  const tags = taggedResource(ctx, input.resourceArn);
  const merged = copyRecord(tags);
  for (const [key, value] of Object.entries(input.tags)) setOwn(merged, key, value);
  if (Object.keys(merged).length > MAX_TAGS) {
    throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags.`);
  }
  for (const [key, value] of Object.entries(input.tags)) setOwn(tags, key, value);
  return {};
}

export function untagResource(
  ctx: EmulatorContext,
  input: { resourceArn: string; tagKeys: string[] },
): Record<string, never> {
  const tags = taggedResource(ctx, input.resourceArn);
  for (const key of input.tagKeys) deleteOwn(tags, key);
  return {};
}

export function listTagsForResource(ctx: EmulatorContext, input: { resourceArn: string }) {
  return { tags: copyRecord(taggedResource(ctx, input.resourceArn)) };
}
