/**
 * The configuration of a whole setup: types, the JSON Schema, validation and file loading.
 */
export type { AppKind, RoleMapping } from './defaults.js';
export { APP_DEFAULTS, defaultGroupFilter, NAME_DEFAULTS } from './defaults.js';
export { type LoadConfigOptions, loadConfig, parseConfigText } from './load.js';
export { connectSsoConfigSchema } from './schema.js';
export type {
  AppConfig,
  ConnectSsoConfig,
  InstanceConfig,
  MappingConditionConfig,
  MappingConfig,
  MappingConnectConfig,
  NamesConfig,
  OffboardPolicy,
  OktaConfig,
  RenamePolicy,
  ResolvedApp,
  ResolvedConfig,
  ResolvedInstance,
  ResolvedMapping,
  ResolvedNames,
  ResolvedOkta,
  ResolvedOktaAuth,
  ResolvedSync,
  ResolvedUser,
  ResolvedUserConnect,
  ResolvedUsersFromOkta,
  SyncConfig,
  UserConfig,
  UserConnectConfig,
  UsersConfig,
  UsersFromOktaConfig,
} from './types.js';
export { renderGroupName, type ValidateConfigOptions, validateConfig } from './validate.js';
