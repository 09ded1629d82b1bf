/**
 * The security and routing profiles of a Connect instance, listed once and resolved by name: what the
 * Connect user of guide step 9 is given. Names are case-sensitive; an unknown one is the user's error,
 * with the available names in the message.
 */
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send } from '../../providers/aws/send.js';

/** A profile of the instance, by id and name. */
export interface NamedProfile {
  id: string;
  name: string;
}

/** Security and routing profiles resolved from names, plus every name of the instance (to describe drift). */
export interface ResolvedConnectProfiles {
  securityProfiles: NamedProfile[];
  routingProfile: NamedProfile;
  /** Name of every security profile of the instance, by id. */
  securityProfileNames: ReadonlyMap<string, string>;
  /** Name of every routing profile of the instance, by id. */
  routingProfileNames: ReadonlyMap<string, string>;
}

/** Every `{Id, Name}` of a paged Connect list. */
async function listAllNamed(
  ctx: SsoContext,
  instanceId: string,
  kind: 'security' | 'routing',
): Promise<NamedProfile[]> {
  const out: NamedProfile[] = [];
  let nextToken: string | undefined;
  do {
    const page = nextToken ? { NextToken: nextToken } : {};
    let items: { Id?: string | undefined; Name?: string | undefined }[];
    try {
      const input = { InstanceId: instanceId, MaxResults: 1000, ...page };
      if (kind === 'security') {
        const res = await send(ctx, 'connect', 'ListSecurityProfiles', input);
        items = res.SecurityProfileSummaryList ?? [];
        nextToken = res.NextToken;
      } else {
        const res = await send(ctx, 'connect', 'ListRoutingProfiles', input);
        items = res.RoutingProfileSummaryList ?? [];
        nextToken = res.NextToken;
      }
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException') && !nextToken) {
        throw new ConfigError(
          'instanceId',
          `no ACTIVE Connect instance '${instanceId}' in region ${ctx.region} (${
            error instanceof Error ? error.message : String(error)
          }); create it with createSamlInstance({ wait: true }) first`,
        );
      }
      throw error;
    }
    for (const item of items)
      if (item.Id && item.Name !== undefined) out.push({ id: item.Id, name: item.Name });
  } while (nextToken);
  return out;
}

function unknownName(field: string, kind: string, name: string, available: readonly NamedProfile[]) {
  const names = available.map((p) => p.name);
  const near = names.find((n) => n.toLowerCase() === name.toLowerCase());
  return {
    field,
    message: `no ${kind} named '${name}' in the instance${near ? ` (did you mean '${near}'? names are case-sensitive)` : ''}; available: ${names.join(', ')}`,
  };
}

/** Every security and routing profile of an instance, by id and name. */
export interface ConnectProfileLists {
  security: NamedProfile[];
  routing: NamedProfile[];
}

/**
 * List every security and routing profile of the instance (`ListSecurityProfiles`, `ListRoutingProfiles`,
 * every page), to resolve names with {@link resolveProfileNames} without reading them again.
 *
 * @throws {ConfigError} no such ACTIVE instance (field `instanceId`).
 */
export async function listConnectProfiles(ctx: SsoContext, instanceId: string): Promise<ConnectProfileLists> {
  const security = await listAllNamed(ctx, instanceId, 'security');
  const routing = await listAllNamed(ctx, instanceId, 'routing');
  return { security, routing };
}

/**
 * Resolve profile names against lists read once with {@link listConnectProfiles}; no request.
 *
 * @param fieldPrefix the input path the names came from, for error messages (`connect`).
 * @throws {ConfigError} an unknown name (the message lists the available names).
 */
export function resolveProfileNames(
  lists: ConnectProfileLists,
  names: { securityProfiles: readonly string[]; routingProfile: string },
  fieldPrefix = 'connect',
): ResolvedConnectProfiles {
  const { security, routing } = lists;
  const issues: { field: string; message: string }[] = [];
  const securityProfiles: NamedProfile[] = [];
  names.securityProfiles.forEach((name, i) => {
    const found = security.find((p) => p.name === name);
    if (found) securityProfiles.push(found);
    else
      issues.push(unknownName(`${fieldPrefix}.securityProfiles[${i}]`, 'security profile', name, security));
  });
  const routingProfile = routing.find((p) => p.name === names.routingProfile);
  if (!routingProfile) {
    issues.push(
      unknownName(`${fieldPrefix}.routingProfile`, 'routing profile', names.routingProfile, routing),
    );
  }
  if (issues.length > 0 || !routingProfile) throw ConfigError.of(issues);
  return {
    securityProfiles,
    routingProfile,
    securityProfileNames: new Map(security.map((p) => [p.id, p.name])),
    routingProfileNames: new Map(routing.map((p) => [p.id, p.name])),
  };
}

/**
 * Resolve security and routing profiles by name (`ListSecurityProfiles`, `ListRoutingProfiles`, every page).
 * Every instance has `Admin`, `Agent`, `CallCenterManager`, `QualityAnalyst` and `Basic Routing Profile`;
 * custom profiles are found by their exact name.
 *
 * @param fieldPrefix the input path the names came from, for error messages (`connect`).
 * @throws {ConfigError} an unknown name (the message lists the available names), or no such ACTIVE instance.
 */
export async function resolveConnectProfiles(
  ctx: SsoContext,
  instanceId: string,
  names: { securityProfiles: readonly string[]; routingProfile: string },
  fieldPrefix = 'connect',
): Promise<ResolvedConnectProfiles> {
  return resolveProfileNames(await listConnectProfiles(ctx, instanceId), names, fieldPrefix);
}
