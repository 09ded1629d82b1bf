/**
 * SearchUsers: criteria (string, hierarchy and list conditions, And/Or) and filters (tags, user
 * attributes), paged with a token bound to the search. A search for one exact username uses the
 * instance's username index instead of scanning.
 */
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../emulator.js';
import { activeInstance, copyRecord, getOwn, invalidParameter, pageOf } from './common.js';
import { DEFAULT_PAGE_SIZE } from './profiles.js';
import type { ConnectInstanceState, ConnectUserState } from './state.js';
import { identityInfoOut, phoneConfigOut } from './users.js';

export interface StringConditionInput {
  FieldName?: string;
  Value?: string;
  ComparisonType?: string;
}

export interface HierarchyGroupConditionInput {
  Value?: string;
  HierarchyGroupMatchType?: string;
}

export interface UserSearchCriteriaInput {
  OrConditions?: UserSearchCriteriaInput[];
  AndConditions?: UserSearchCriteriaInput[];
  StringCondition?: StringConditionInput;
  ListCondition?: unknown;
  HierarchyGroupCondition?: HierarchyGroupConditionInput;
}

export interface TagConditionInput {
  TagKey?: string;
  TagValue?: string;
}

export interface AttributeAndConditionInput {
  TagConditions?: TagConditionInput[];
  HierarchyGroupCondition?: HierarchyGroupConditionInput;
}

export interface UserSearchFilterInput {
  TagFilter?: {
    OrConditions?: TagConditionInput[][];
    AndConditions?: TagConditionInput[];
    TagCondition?: TagConditionInput;
  };
  UserAttributeFilter?: {
    OrConditions?: AttributeAndConditionInput[];
    AndCondition?: AttributeAndConditionInput;
    TagCondition?: TagConditionInput;
    HierarchyGroupCondition?: HierarchyGroupConditionInput;
  };
}

export interface SearchUsersInput {
  InstanceId: string;
  NextToken?: string;
  MaxResults?: number;
  SearchFilter?: UserSearchFilterInput;
  SearchCriteria?: UserSearchCriteriaInput;
}

// ---------------------------------------------------------------------------------------------------
// SearchUsers

const STRING_FIELDS = [
  'username',
  'firstname',
  'lastname',
  'routingprofileid',
  'securityprofileid',
  'resourceid',
];

function fieldValues(user: ConnectUserState, field: string): string[] {
  switch (field) {
    case 'username':
      return [user.username];
    case 'firstname':
      return user.identityInfo.firstName !== undefined ? [user.identityInfo.firstName] : [];
    case 'lastname':
      return user.identityInfo.lastName !== undefined ? [user.identityInfo.lastName] : [];
    case 'routingprofileid':
      return [user.routingProfileId];
    case 'securityprofileid':
      return user.securityProfileIds;
    default:
      return [user.id];
  }
}

/** Validated StringCondition: field name lower-cased. */
function stringCondition(condition: StringConditionInput): { field: string; value: string; type: string } {
  const field = condition.FieldName?.toLowerCase();
  if (field === undefined || !STRING_FIELDS.includes(field)) {
    throw invalidParameter(
      `The FieldName ${condition.FieldName ?? '(missing)'} is not supported. Supported values: Username, FirstName, LastName, RoutingProfileId, SecurityProfileId, ResourceId.`,
    );
  }
  if (condition.Value === undefined) throw invalidParameter('The StringCondition has no Value.');
  if (condition.ComparisonType === undefined)
    throw invalidParameter('The StringCondition has no ComparisonType.');
  return { field, value: condition.Value, type: condition.ComparisonType };
}

function stringMatches(actual: string, expected: string, type: string): boolean {
  // EXACT is case-sensitive (usernames are); CONTAINS and STARTS_WITH are search-engine style, case-insensitive.
  if (type === 'EXACT') return actual === expected;
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  return type === 'CONTAINS' ? a.includes(e) : a.startsWith(e);
}

/**
 * `EXACT`: the user is in that group; `WITH_CHILD_GROUPS`: in it or in a group below it (`Value` is the
 * group id).
 */
function hierarchyMatches(
  instance: ConnectInstanceState,
  user: ConnectUserState,
  condition: HierarchyGroupConditionInput,
): boolean {
  if (condition.Value === undefined || user.hierarchyGroupId === undefined) return false;
  if (user.hierarchyGroupId === condition.Value) return true;
  if (condition.HierarchyGroupMatchType !== 'WITH_CHILD_GROUPS') return false;
  const groups = instance.hierarchyGroups ?? {};
  let group = getOwn(groups, user.hierarchyGroupId);
  while (group?.parentId !== undefined) {
    if (group.parentId === condition.Value) return true;
    group = getOwn(groups, group.parentId);
  }
  return false;
}

function tagMatches(user: ConnectUserState, condition: TagConditionInput): boolean {
  if (condition.TagKey === undefined) return false;
  const value = getOwn(user.tags, condition.TagKey);
  return value !== undefined && (condition.TagValue === undefined || value === condition.TagValue);
}

function criteriaMatch(
  instance: ConnectInstanceState,
  user: ConnectUserState,
  criteria: UserSearchCriteriaInput,
): boolean {
  if (criteria.StringCondition) {
    const { field, value, type } = stringCondition(criteria.StringCondition);
    if (!fieldValues(user, field).some((actual) => stringMatches(actual, value, type))) return false;
  }
  if (criteria.HierarchyGroupCondition && !hierarchyMatches(instance, user, criteria.HierarchyGroupCondition))
    return false;
  // Users have no proficiencies in the sandbox: a list condition matches nobody.
  if (criteria.ListCondition !== undefined) return false;
  if (criteria.AndConditions && !criteria.AndConditions.every((c) => criteriaMatch(instance, user, c)))
    return false;
  if (
    criteria.OrConditions &&
    criteria.OrConditions.length > 0 &&
    !criteria.OrConditions.some((c) => criteriaMatch(instance, user, c))
  ) {
    return false;
  }
  return true;
}

function attributeAndMatch(
  instance: ConnectInstanceState,
  user: ConnectUserState,
  condition: AttributeAndConditionInput,
): boolean {
  return (
    (condition.TagConditions ?? []).every((c) => tagMatches(user, c)) &&
    (condition.HierarchyGroupCondition === undefined ||
      hierarchyMatches(instance, user, condition.HierarchyGroupCondition))
  );
}

function filterMatch(
  instance: ConnectInstanceState,
  user: ConnectUserState,
  filter: UserSearchFilterInput,
): boolean {
  const tags = filter.TagFilter;
  if (tags) {
    if (tags.TagCondition && !tagMatches(user, tags.TagCondition)) return false;
    if (tags.AndConditions && !tags.AndConditions.every((c) => tagMatches(user, c))) return false;
    if (tags.OrConditions && tags.OrConditions.length > 0) {
      if (!tags.OrConditions.some((all) => all.every((c) => tagMatches(user, c)))) return false;
    }
  }
  const attributes = filter.UserAttributeFilter;
  if (attributes) {
    if (attributes.TagCondition && !tagMatches(user, attributes.TagCondition)) return false;
    if (
      attributes.HierarchyGroupCondition &&
      !hierarchyMatches(instance, user, attributes.HierarchyGroupCondition)
    )
      return false;
    if (attributes.AndCondition && !attributeAndMatch(instance, user, attributes.AndCondition)) return false;
    if (attributes.OrConditions && attributes.OrConditions.length > 0) {
      if (!attributes.OrConditions.some((c) => attributeAndMatch(instance, user, c))) return false;
    }
  }
  return true;
}

/**
 * The one username a criteria tree requires exactly (a `Username` EXACT condition at its root or in its
 * AndConditions), so the search can use the username index instead of scanning.
 */
function requiredExactUsername(criteria: UserSearchCriteriaInput | undefined): string | undefined {
  if (!criteria) return undefined;
  const own = criteria.StringCondition;
  if (
    own?.FieldName?.toLowerCase() === 'username' &&
    own.ComparisonType === 'EXACT' &&
    own.Value !== undefined
  ) {
    return own.Value;
  }
  for (const sub of criteria.AndConditions ?? []) {
    const found = requiredExactUsername(sub);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function searchUsers(ctx: EmulatorContext, input: SearchUsersInput) {
  const instance = activeInstance(ctx, input.InstanceId);
  const criteria = input.SearchCriteria ?? {};
  const filter = input.SearchFilter ?? {};
  validateCriteria(criteria);
  const exact = requiredExactUsername(criteria);
  let candidates: string[];
  if (exact !== undefined) {
    const id = getOwn(instance.usernames, exact);
    candidates = id !== undefined ? [id] : [];
  } else {
    candidates = Object.keys(instance.users);
  }
  const matched = candidates.filter((id) => {
    const user = instance.users[id] as ConnectUserState;
    return criteriaMatch(instance, user, criteria) && filterMatch(instance, user, filter);
  });
  const page = pageOf(
    matched,
    (id) => {
      const user = instance.users[id] as ConnectUserState;
      return {
        Arn: user.arn,
        ...(user.directoryUserId !== undefined ? { DirectoryUserId: user.directoryUserId } : {}),
        ...(user.hierarchyGroupId !== undefined ? { HierarchyGroupId: user.hierarchyGroupId } : {}),
        Id: user.id,
        IdentityInfo: identityInfoOut(user.identityInfo, true),
        // "AfterContactWorkTimeLimit is returned in milliseconds" by SearchUsers.
        PhoneConfig: phoneConfigOut(user, 'milliseconds'),
        RoutingProfileId: user.routingProfileId,
        SecurityProfileIds: [...user.securityProfileIds],
        Tags: copyRecord(user.tags),
        Username: user.username,
      };
    },
    {
      // A token resumes the same search only.
      scope: `SearchUsers ${instance.id} ${createHash('sha256')
        .update(JSON.stringify([criteria, filter]))
        .digest('base64url')}`,
      nextToken: input.NextToken,
      maxResults: input.MaxResults ?? DEFAULT_PAGE_SIZE,
      badToken: () => invalidParameter('Invalid NextToken.'),
    },
  );
  return {
    Users: page.items,
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    ApproximateTotalCount: matched.length,
  };
}

function validateCriteria(criteria: UserSearchCriteriaInput): void {
  if (criteria.StringCondition) stringCondition(criteria.StringCondition);
  for (const sub of [...(criteria.AndConditions ?? []), ...(criteria.OrConditions ?? [])])
    validateCriteria(sub);
}
