/**
 * The config's `mappings`, applied to one Okta user: the first rule whose conditions hold gives the
 * Connect profiles, a user's own `connect` block overrides it field by field, and what neither gives is
 * the default. Pure: the Okta groups and profile are read by the caller. Each profile remembers where
 * it came from (`mappings[1]`, `users.list[0].connect`, `default`), for the plan.
 */
import { DEFAULT_ROUTING_PROFILE, DEFAULT_SECURITY_PROFILES } from '../../config/defaults.js';
import type { ResolvedMapping, ResolvedUser } from '../../config/types.js';

/** What the rules look at: the user's Okta groups (names, lower-cased) and profile. */
export interface MappingSubject {
  /** Names of the groups the user is a member of, lower-cased (Okta compares them ignoring case). */
  groups: ReadonlySet<string>;
  /** The Okta profile (`department`, `costCenter`…). */
  profile: Readonly<Record<string, unknown>>;
}

/** Where a profile of a user came from: a rule (`mappings[1]`), the user's block, or `default`. */
export type ProfileSource = string;

/** The Connect profiles a user should have, by name, and where each came from. */
export interface TargetProfiles {
  /** Security profile names. */
  securityProfiles: string[];
  /** Routing profile name. */
  routingProfile: string;
  /** Hierarchy group path; `undefined`: none. */
  hierarchyGroup: string | undefined;
  /** The first rule that held (`mappings[1]`), if any. */
  rule: string | undefined;
  /** Where each profile came from. */
  sources: {
    /** Source of `securityProfiles`. */
    securityProfiles: ProfileSource;
    /** Source of `routingProfile`. */
    routingProfile: ProfileSource;
    /** Source of `hierarchyGroup`. */
    hierarchyGroup: ProfileSource;
  };
  /** Whether the rule or the user's block named each (not the default): what a user we did not create gets. */
  named: {
    /** `securityProfiles` came from a rule or the user's block. */
    securityProfiles: boolean;
    /** `routingProfile` came from a rule or the user's block. */
    routingProfile: boolean;
    /** `hierarchyGroup` came from a rule or the user's block. */
    hierarchyGroup: boolean;
  };
}

function valueMatches(actual: unknown, wanted: string | number | boolean): boolean {
  if (Array.isArray(actual)) return actual.some((item) => valueMatches(item, wanted));
  if (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') {
    // YAML reads `costCenter: 42` as a number; Okta may hold "42": the same value to a person.
    return String(actual) === String(wanted);
  }
  return false;
}

/** Whether every condition of the rule holds for the user. */
export function ruleMatches(rule: ResolvedMapping, subject: MappingSubject): boolean {
  const { group, attribute } = rule.when;
  if (group !== undefined && !subject.groups.has(group.toLowerCase())) return false;
  if (attribute !== undefined) {
    for (const [name, wanted] of Object.entries(attribute)) {
      if (!valueMatches(subject.profile[name], wanted)) return false;
    }
  }
  return true;
}

/** A user's own `connect` block and its path (`users.list[2].connect`). */
export interface UserOverride {
  /** The listed user. */
  user: ResolvedUser;
  /** The path of its `connect` block, for the plan. */
  field: string;
}

/**
 * The profiles of one user: the user's own block field by field, else the first rule that holds, else
 * the defaults (`Agent`, `Basic Routing Profile`, no hierarchy group).
 */
export function targetProfiles(
  rules: readonly ResolvedMapping[],
  subject: MappingSubject,
  override?: UserOverride,
): TargetProfiles {
  const rule = rules.find((r) => ruleMatches(r, subject));
  const own = override?.user.connect;
  const explicit = own?.explicit;
  const pick = <T>(
    mine: T | undefined,
    mineGiven: boolean | undefined,
    fromRule: T | undefined,
    fallback: T,
  ): { value: T; source: string; named: boolean } => {
    if (mineGiven && mine !== undefined && override)
      return { value: mine, source: override.field, named: true };
    if (rule && fromRule !== undefined) return { value: fromRule, source: rule.field, named: true };
    return { value: fallback, source: 'default', named: false };
  };
  const security = pick(own?.securityProfiles, explicit?.securityProfiles, rule?.connect.securityProfiles, [
    ...DEFAULT_SECURITY_PROFILES,
  ]);
  const routing = pick(
    own?.routingProfile,
    explicit?.routingProfile,
    rule?.connect.routingProfile,
    DEFAULT_ROUTING_PROFILE,
  );
  const hierarchy = pick<string | undefined>(
    own?.hierarchyGroup,
    explicit?.hierarchyGroup,
    rule?.connect.hierarchyGroup,
    undefined,
  );
  return {
    securityProfiles: [...security.value],
    routingProfile: routing.value,
    hierarchyGroup: hierarchy.value,
    rule: rule?.field,
    sources: {
      securityProfiles: security.source,
      routingProfile: routing.source,
      hierarchyGroup: hierarchy.source,
    },
    named: {
      securityProfiles: security.named,
      routingProfile: routing.named,
      hierarchyGroup: hierarchy.named,
    },
  };
}
