/**
 * Agent hierarchy groups by path (`Floor1/TeamA`): the config names a group by the names of its levels
 * from the top, Connect by id. `ListUserHierarchyGroups` (1,000 a page) gives every group's id and name;
 * only the groups whose name is the last level of a wanted path are read whole
 * (`DescribeUserHierarchyGroup`, which holds the path), so resolving a few paths costs a few reads.
 */
import { DescribeUserHierarchyGroupCommand, ListUserHierarchyGroupsCommand } from '@aws-sdk/client-connect';
import type { SsoContext } from '../../core/context.js';
import { awsCall, nextToken } from '../../providers/aws/call.js';
import type { ConnectPace } from './connect-directory.js';

/** A hierarchy group: its id and the names of its levels from the top (the last is its own name). */
export interface HierarchyGroupPath {
  /** The group id. */
  id: string;
  /** The names from the top level down to the group. */
  levels: string[];
}

/** The levels of a path (`Floor1/TeamA` → `['Floor1', 'TeamA']`). */
export function hierarchyLevels(path: string): string[] {
  return path.split('/').map((level) => level.trim());
}

/**
 * Resolve hierarchy paths to group ids. Returns, for each path, the group id or `undefined` when the
 * instance has no such group (or `ambiguous` ids when several groups have that path).
 */
export async function resolveHierarchyPaths(
  ctx: SsoContext,
  instanceId: string,
  paths: readonly string[],
  pace: ConnectPace,
): Promise<{
  resolved: Map<string, string>;
  missing: string[];
  /** Every group the list showed, by id → name (to describe a user's current group). */
  names: Map<string, string>;
}> {
  const resolved = new Map<string, string>();
  const missing: string[] = [];
  const names = new Map<string, string>();
  if (paths.length === 0) return { resolved, missing, names };
  let token: string | undefined;
  do {
    const page = await pace('ListUserHierarchyGroups', () =>
      awsCall(ctx, 'connect', 'ListUserHierarchyGroups', (o) =>
        ctx.connect.send(
          new ListUserHierarchyGroupsCommand({
            InstanceId: instanceId,
            MaxResults: 1000,
            ...(token ? { NextToken: token } : {}),
          }),
          o,
        ),
      ),
    );
    for (const g of page.UserHierarchyGroupSummaryList ?? [])
      if (g.Id && g.Name !== undefined) names.set(g.Id, g.Name);
    token = nextToken(page);
  } while (token);

  const described = new Map<string, HierarchyGroupPath>();
  const describe = async (id: string): Promise<HierarchyGroupPath | undefined> => {
    const known = described.get(id);
    if (known) return known;
    const { HierarchyGroup } = await pace('DescribeUserHierarchyGroup', () =>
      awsCall(ctx, 'connect', 'DescribeUserHierarchyGroup', (o) =>
        ctx.connect.send(
          new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: id }),
          o,
        ),
      ),
    );
    if (!HierarchyGroup?.Id) return undefined;
    const path = HierarchyGroup.HierarchyPath;
    const levels = [path?.LevelOne, path?.LevelTwo, path?.LevelThree, path?.LevelFour, path?.LevelFive]
      .map((level) => level?.Name)
      .filter((name): name is string => typeof name === 'string');
    const group = { id: HierarchyGroup.Id, levels: levels.length > 0 ? levels : [HierarchyGroup.Name ?? ''] };
    described.set(id, group);
    return group;
  };

  for (const path of new Set(paths)) {
    const wanted = hierarchyLevels(path);
    const last = wanted[wanted.length - 1];
    const candidates = [...names].filter(([, name]) => name === last).map(([id]) => id);
    let match: string | undefined;
    for (const id of candidates) {
      const group = await describe(id);
      if (group && group.levels.length === wanted.length && group.levels.every((l, i) => l === wanted[i])) {
        match = group.id;
        break;
      }
    }
    if (match) resolved.set(path, match);
    else missing.push(path);
  }
  return { resolved, missing, names };
}
