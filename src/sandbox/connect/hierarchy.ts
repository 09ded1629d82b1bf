/**
 * The agent hierarchy: its structure (up to five named levels), its groups (each at the level below its
 * parent's) and users' membership: UpdateUserHierarchyStructure, DescribeUserHierarchyStructure,
 * CreateUserHierarchyGroup, ListUserHierarchyGroups, DescribeUserHierarchyGroup, UpdateUserHierarchy.
 *
 * As on AWS, a group needs its level to exist first (define the structure, then the groups), a level that
 * still has groups cannot be removed (ResourceInUseException), and sibling groups have distinct names.
 */
import type { EmulatorContext } from '../emulator.js';
import {
  activeInstance,
  connectError,
  copyRecord,
  getOwn,
  invalidParameter,
  invalidRequest,
  namedSummary,
  newNamedResource,
  notFound,
  pageOf,
  requestRegion,
  requireBelowQuota,
  timestamp,
} from './common.js';
import type { ListInput } from './instances.js';
import { DEFAULT_PAGE_SIZE } from './profiles.js';
import type {
  ConnectHierarchyGroupState,
  ConnectHierarchyLevelState,
  ConnectInstanceState,
  ConnectUserState,
} from './state.js';

/** `LevelOne` … `LevelFive`, the members of a hierarchy structure and path. */
export const LEVEL_KEYS = ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const;
type LevelKey = (typeof LEVEL_KEYS)[number];

/** Hierarchy groups per instance (Connect service quotas: "Agent hierarchy groups per instance"). */
export const MAX_HIERARCHY_GROUPS = 500;

function groupsOf(instance: ConnectInstanceState): Record<string, ConnectHierarchyGroupState> {
  instance.hierarchyGroups ??= {};
  return instance.hierarchyGroups;
}

function levelsOf(instance: ConnectInstanceState): ConnectHierarchyLevelState[] {
  instance.hierarchyLevels ??= [];
  return instance.hierarchyLevels;
}

function findGroup(instance: ConnectInstanceState, id: string): ConnectHierarchyGroupState {
  const group = getOwn(groupsOf(instance), id);
  if (!group) throw notFound(`Hierarchy group not found: ${id}`);
  return group;
}

/** The hierarchy group a user may be put in (CreateUser, UpdateUserHierarchy); ResourceNotFound else. */
export function requireHierarchyGroup(
  instance: ConnectInstanceState,
  id: string,
): ConnectHierarchyGroupState {
  return findGroup(instance, id);
}

// ---------------------------------------------------------------------------------------------------
// Structure

interface LevelInput {
  Name: string;
}

export function updateUserHierarchyStructure(
  ctx: EmulatorContext,
  input: { InstanceId: string; HierarchyStructure: Partial<Record<LevelKey, LevelInput>> },
): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const wanted = LEVEL_KEYS.map((key) => input.HierarchyStructure[key]);
  // Levels are contiguous from LevelOne: a level without the one above it cannot exist.
  const count = wanted.indexOf(undefined);
  const defined = count === -1 ? wanted.length : count;
  const gap = wanted.slice(defined).findIndex((level) => level !== undefined);
  if (gap !== -1) {
    throw invalidParameter(
      `The hierarchy structure defines ${LEVEL_KEYS[defined + gap]} without ${LEVEL_KEYS[defined]}: levels must be defined from LevelOne down.`,
    );
  }
  const levels = levelsOf(instance);
  const groups = Object.values(groupsOf(instance));
  const inUse = groups.find((g) => g.level > defined);
  if (inUse) {
    throw connectError(
      'ResourceInUseException',
      `${LEVEL_KEYS[inUse.level - 1]} still has hierarchy groups (${inUse.name}): delete them before removing the level.`,
    );
  }
  const now = ctx.now();
  const region = requestRegion(ctx);
  const next: ConnectHierarchyLevelState[] = [];
  for (let i = 0; i < defined; i++) {
    const name = (wanted[i] as LevelInput).Name;
    const existing = levels[i];
    if (existing) {
      if (existing.name !== name) {
        existing.name = name;
        existing.lastModifiedAt = now;
        existing.lastModifiedRegion = region;
      }
      next.push(existing);
    } else {
      const id = ctx.uuid();
      next.push({
        id,
        arn: `${instance.arn}/agent-group-level/${i + 1}`,
        name,
        lastModifiedAt: now,
        lastModifiedRegion: region,
      });
    }
  }
  instance.hierarchyLevels = next;
  return {};
}

export function describeUserHierarchyStructure(ctx: EmulatorContext, input: { InstanceId: string }) {
  const instance = activeInstance(ctx, input.InstanceId);
  const structure: Partial<Record<LevelKey, ReturnType<typeof namedSummary>>> = {};
  levelsOf(instance).forEach((level, i) => {
    structure[LEVEL_KEYS[i] as LevelKey] = namedSummary(level);
  });
  return { HierarchyStructure: structure };
}

// ---------------------------------------------------------------------------------------------------
// Groups

export function createUserHierarchyGroup(
  ctx: EmulatorContext,
  input: { InstanceId: string; Name: string; ParentGroupId?: string; Tags?: Record<string, string> },
): { HierarchyGroupId: string; HierarchyGroupArn: string } {
  const instance = activeInstance(ctx, input.InstanceId);
  const groups = groupsOf(instance);
  const parent = input.ParentGroupId === undefined ? undefined : findGroup(instance, input.ParentGroupId);
  const level = parent ? parent.level + 1 : 1;
  const levels = levelsOf(instance);
  if (level > levels.length) {
    throw invalidRequest(
      levels.length === 0
        ? 'The instance has no agent hierarchy structure: define its levels (UpdateUserHierarchyStructure) before creating groups.'
        : `The agent hierarchy has ${levels.length} level${levels.length === 1 ? '' : 's'}: a group under '${parent?.name}' would be at level ${level}.`,
    );
  }
  if (input.Name.trim() === '') throw invalidParameter('The hierarchy group name must not be blank.');
  const sibling = Object.values(groups).find(
    (g) => g.parentId === input.ParentGroupId && g.name === input.Name,
  );
  if (sibling) {
    throw connectError(
      'DuplicateResourceException',
      `A hierarchy group named ${input.Name} already exists at this level${parent ? ` under ${parent.name}` : ''}.`,
    );
  }
  requireBelowQuota(Object.keys(groups).length, MAX_HIERARCHY_GROUPS, 'hierarchy groups');
  const group: ConnectHierarchyGroupState = {
    ...newNamedResource(ctx, instance, 'agent-group', input.Name, input.Tags),
    level,
    ...(parent ? { parentId: parent.id } : {}),
  };
  groups[group.id] = group;
  return { HierarchyGroupId: group.id, HierarchyGroupArn: group.arn };
}

export function listUserHierarchyGroups(ctx: EmulatorContext, input: { InstanceId: string } & ListInput) {
  const instance = activeInstance(ctx, input.InstanceId);
  const groups = groupsOf(instance);
  const page = pageOf(Object.keys(groups), (id) => namedSummary(groups[id] as ConnectHierarchyGroupState), {
    scope: `ListUserHierarchyGroups ${instance.id}`,
    nextToken: input.NextToken,
    maxResults: input.MaxResults ?? DEFAULT_PAGE_SIZE,
    badToken: () => invalidParameter('Invalid NextToken.'),
  });
  return {
    UserHierarchyGroupSummaryList: page.items,
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export function describeUserHierarchyGroup(
  ctx: EmulatorContext,
  input: { InstanceId: string; HierarchyGroupId: string },
) {
  const instance = activeInstance(ctx, input.InstanceId);
  const group = findGroup(instance, input.HierarchyGroupId);
  const levels = levelsOf(instance);
  // The path from the top of the hierarchy down to the group itself.
  const chain: ConnectHierarchyGroupState[] = [];
  for (let g: ConnectHierarchyGroupState | undefined = group; g; ) {
    chain.unshift(g);
    g = g.parentId === undefined ? undefined : getOwn(groupsOf(instance), g.parentId);
  }
  const path: Partial<Record<LevelKey, ReturnType<typeof namedSummary>>> = {};
  chain.forEach((g, i) => {
    path[LEVEL_KEYS[i] as LevelKey] = namedSummary(g);
  });
  return {
    HierarchyGroup: {
      Id: group.id,
      Arn: group.arn,
      Name: group.name,
      LevelId: levels[group.level - 1]?.id ?? String(group.level),
      HierarchyPath: path,
      Tags: copyRecord(group.tags),
      LastModifiedTime: timestamp(group.lastModifiedAt),
      LastModifiedRegion: group.lastModifiedRegion,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Users

export function updateUserHierarchy(
  ctx: EmulatorContext,
  input: { InstanceId: string; UserId: string; HierarchyGroupId?: string },
): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const user = getOwn<ConnectUserState>(instance.users, input.UserId);
  if (!user) throw notFound(`User not found: ${input.UserId}`);
  if (input.HierarchyGroupId === undefined || input.HierarchyGroupId === '') {
    // Without a group the user leaves the hierarchy.
    delete user.hierarchyGroupId;
  } else {
    user.hierarchyGroupId = findGroup(instance, input.HierarchyGroupId).id;
  }
  user.lastModifiedAt = ctx.now();
  user.lastModifiedRegion = requestRegion(ctx);
  return {};
}
