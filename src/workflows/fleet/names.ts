/**
 * Names unique per Connect instance, for setups that share one AWS account or one Okta org: a fleet,
 * or the CloudFormation resource (whose replacement runs old and new side by side). Every IAM name and
 * Okta label the config leaves out gets the instance alias (globally unique) as a suffix.
 */
import { APP_DEFAULTS, type AppKind, NAME_DEFAULTS } from '../../config/defaults.js';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The config with every unset app label, provider and role name, and shared IAM name made unique by
 * the alias (`Okta_Role_<alias>`, `Amazon Connect Administrator (<alias>)`,
 * `okta_federation_policy_<alias>`), and `roleMapping` defaulting to `group-mapping` (Okta's advice for
 * several AWS accounts from one org). Names the config gives are kept. The input is not modified.
 */
export function withInstanceScopedNames<T>(config: T): T {
  if (!isObject(config)) return config;
  const instance = isObject(config.instance) ? config.instance : undefined;
  const alias = typeof instance?.alias === 'string' ? instance.alias : undefined;
  const out: Loose = { ...config };
  out.roleMapping ??= 'group-mapping';
  if (alias === undefined) return out as T;
  if (Array.isArray(config.apps)) {
    out.apps = config.apps.map((app) => {
      if (!isObject(app) || typeof app.kind !== 'string' || !(app.kind in APP_DEFAULTS)) return app;
      const defaults = APP_DEFAULTS[app.kind as AppKind];
      return {
        ...app,
        label: app.label ?? `${defaults.label} (${alias})`,
        providerName: app.providerName ?? `${defaults.providerName}_${alias}`,
        roleName: app.roleName ?? `${defaults.roleName}_${alias}`,
      };
    });
  }
  const names = isObject(config.names) ? config.names : {};
  out.names = {
    ...names,
    federationPolicy: names.federationPolicy ?? `${NAME_DEFAULTS.federationPolicy}_${alias}`,
    oktaAccessPolicy: names.oktaAccessPolicy ?? `${NAME_DEFAULTS.oktaAccessPolicy}_${alias}`,
    oktaApiUser: names.oktaApiUser ?? `${NAME_DEFAULTS.oktaApiUser}_${alias}`,
  };
  return out as T;
}
