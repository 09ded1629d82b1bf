/**
 * A checked configuration with every default applied: what {@link validateConfig} returns once no issue
 * is left. Runs only on input that passed every check, so references (a user's app) are known to resolve.
 */
import { findApp } from './check-apps.js';
import {
  APP_DEFAULTS,
  DEFAULT_GROUP_NAME,
  DEFAULT_NO_ACCESS_SECURITY_PROFILE,
  DEFAULT_OFFBOARD,
  DEFAULT_PHONE_TYPE,
  DEFAULT_RENAMES,
  DEFAULT_ROUTING_PROFILE,
  DEFAULT_SECURITY_PROFILES,
  DEFAULT_SESSION_DURATION,
  defaultGroupFilter,
  NAME_DEFAULTS,
  type RoleMapping,
} from './defaults.js';
import type {
  AppConfig,
  ConnectSsoConfig,
  MappingConfig,
  ResolvedApp,
  ResolvedConfig,
  ResolvedMapping,
  ResolvedOkta,
  ResolvedUser,
  ResolvedUsersFromOkta,
  UserConfig,
  UsersFromOktaConfig,
} from './types.js';

function resolveApp(app: AppConfig, roleMapping: RoleMapping): ResolvedApp {
  const defaults = APP_DEFAULTS[app.kind];
  const roleName = app.roleName ?? defaults.roleName;
  const grouped = roleMapping === 'group-mapping';
  return {
    kind: app.kind,
    label: app.label ?? defaults.label,
    providerName: app.providerName ?? defaults.providerName,
    roleName,
    sessionDuration: app.sessionDuration ?? DEFAULT_SESSION_DURATION,
    destination: app.destination ?? defaults.destination,
    newDomain: app.newDomain ?? false,
    groupFilter: grouped ? (app.groupFilter ?? defaultGroupFilter(roleName)) : undefined,
    groupName: grouped ? (app.groupName ?? DEFAULT_GROUP_NAME) : undefined,
  };
}

function resolveUser(user: UserConfig, apps: readonly ResolvedApp[], field: string): ResolvedUser {
  const connect = user.connect ?? {};
  const app = findApp(apps, user.app) as ResolvedApp;
  return {
    login: user.login,
    app: app.kind,
    field,
    connect: {
      securityProfiles: (connect.securityProfiles ?? DEFAULT_SECURITY_PROFILES).slice(),
      routingProfile: connect.routingProfile ?? DEFAULT_ROUTING_PROFILE,
      firstName: connect.firstName,
      lastName: connect.lastName,
      phoneType: connect.phoneType ?? DEFAULT_PHONE_TYPE,
      deskPhoneNumber: connect.deskPhoneNumber,
      hierarchyGroup: connect.hierarchyGroup,
      explicit: {
        securityProfiles: connect.securityProfiles !== undefined,
        routingProfile: connect.routingProfile !== undefined,
        hierarchyGroup: connect.hierarchyGroup !== undefined,
      },
    },
  };
}

function resolveFromOkta(
  fromOkta: UsersFromOktaConfig | undefined,
  apps: readonly ResolvedApp[],
): ResolvedUsersFromOkta | undefined {
  if (!fromOkta) return undefined;
  const kinds = (fromOkta.apps ?? []).map((ref) => (findApp(apps, ref) as ResolvedApp).kind);
  return { groups: [...(fromOkta.groups ?? [])], apps: [...new Set(kinds)] };
}

function resolveMapping(rule: MappingConfig, index: number): ResolvedMapping {
  const { when, connect } = rule;
  return {
    field: `mappings[${index}]`,
    when: {
      group: when.group,
      attribute: when.attribute === undefined ? undefined : { ...when.attribute },
    },
    connect: {
      securityProfiles: connect.securityProfiles?.slice(),
      routingProfile: connect.routingProfile,
      hierarchyGroup: connect.hierarchyGroup,
    },
  };
}

/** The configuration with every default applied, given what the checks found (partition, Okta, mapping). */
export function resolveConfig(
  config: ConnectSsoConfig,
  partition: ResolvedConfig['partition'],
  okta: ResolvedOkta,
  roleMapping: RoleMapping,
): ResolvedConfig {
  const apps = config.apps.map((app) => resolveApp(app, roleMapping));
  const names = config.names ?? {};
  const listed = Array.isArray(config.users) ? config.users : (config.users?.list ?? []);
  const listedPrefix = Array.isArray(config.users) || config.users === undefined ? 'users' : 'users.list';
  return {
    stack: config.stack ?? config.instance.alias,
    region: config.region,
    partition,
    instance: {
      alias: config.instance.alias,
      inboundCalls: config.instance.inboundCalls ?? true,
      outboundCalls: config.instance.outboundCalls ?? true,
      tags: { ...(config.instance.tags ?? {}) },
    },
    okta: { orgUrl: okta.orgUrl, auth: okta.auth },
    roleMapping,
    apps,
    users: listed.map((user, i) => resolveUser(user, apps, `${listedPrefix}[${i}]`)),
    usersFromOkta: resolveFromOkta(Array.isArray(config.users) ? undefined : config.users?.fromOkta, apps),
    mappings: (config.mappings ?? []).map(resolveMapping),
    sync: {
      offboard: config.sync?.offboard ?? DEFAULT_OFFBOARD,
      renames: config.sync?.renames ?? DEFAULT_RENAMES,
      noAccessSecurityProfile: config.sync?.noAccessSecurityProfile ?? DEFAULT_NO_ACCESS_SECURITY_PROFILE,
    },
    names: {
      federationPolicy: names.federationPolicy ?? NAME_DEFAULTS.federationPolicy,
      oktaAccessPolicy: names.oktaAccessPolicy ?? NAME_DEFAULTS.oktaAccessPolicy,
      oktaApiUser: names.oktaApiUser ?? NAME_DEFAULTS.oktaApiUser,
    },
  };
}
