/**
 * `validateConfig`: the whole configuration checked before any call, every problem reported at once with
 * its path (`users[3].login`), then every default applied.
 *
 * Two layers. The structure (types, unknown keys, lengths, patterns, ranges) is checked by interpreting
 * the exported JSON Schema, so editors and the library cannot disagree on it. The rules a JSON Schema
 * cannot state are checked here: the region's partition, the Okta org URL, credentials, duplicates
 * (kinds, labels, IAM names — case-insensitively, like IAM —, logins — case-insensitively, like Okta),
 * users naming an app that does not exist, and the consistency of group mapping.
 *
 * Pure: no I/O, no clock, no network. Secrets (the Okta token or private key) are never part of a
 * message and come out as {@link Secret}s.
 */
import { ConfigError } from '../core/errors.js';
import { checkRegion } from '../core/regions.js';
import { checkApps } from './check-apps.js';
import { checkOkta, separateSecrets } from './check-okta.js';
import { checkMappings, checkUsers } from './check-users.js';
import { DEFAULT_ROLE_MAPPING, NAME_DEFAULTS, type RoleMapping } from './defaults.js';
import { asString, type Issue, Issues, isObject, type Loose } from './issues.js';
import { checkAgainstSchema } from './json-schema.js';
import { resolveConfig } from './resolve.js';
import { connectSsoConfigSchema } from './schema.js';
import type { ConnectSsoConfig, ResolvedConfig } from './types.js';

export { renderGroupName, SAMPLE_ACCOUNT_ID } from './check-apps.js';

/** Options of {@link validateConfig} (and {@link loadConfig}). */
export interface ValidateConfigOptions {
  /** Where `OKTA_API_TOKEN` and `${NAME}` in `okta.token` / `okta.privateKey` are read. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Require Okta credentials (a token, from the config or the environment, or a private key). Default
   * `true`. Pass `false` when the caller brings its own Okta client; `okta.auth` is then `undefined`
   * when none is found.
   */
  requireOktaAuth?: boolean;
}

const TOP_LEVEL = Object.keys(connectSsoConfigSchema.properties as object);

/**
 * Issues in the order of the config's sections (`region` before `apps`, `users[2]` before `users[10]`),
 * whichever check found them; ties keep the order of discovery.
 */
function inFileOrder(issues: readonly Issue[]): Issue[] {
  const key = (field: string): [number, number] => {
    const m = /^([A-Za-z_$][\w$]*)(?:\[(\d+)\])?/.exec(field);
    const rank = m ? TOP_LEVEL.indexOf(m[1] as string) : -1;
    return [rank === -1 ? TOP_LEVEL.length : rank, m?.[2] === undefined ? -1 : Number(m[2])];
  };
  return issues
    .map((issue, order) => ({ issue, order, key: key(issue.field) }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.order - b.order)
    .map((entry) => entry.issue);
}

/**
 * Check a configuration (parsed from YAML or JSON, or built in code) and apply every default.
 *
 * Everything is checked before anything is returned, and every problem is reported in one
 * {@link ConfigError} (`issues` lists them, each with its path: `users[3].login`, `apps[1].kind`).
 * Makes no call and reads nothing but `options.env`.
 *
 * @throws {ConfigError} when anything is wrong.
 */
export function validateConfig(input: unknown, options: ValidateConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const { value, token, privateKey } = separateSecrets(input);
  const issues = new Issues(checkAgainstSchema(connectSsoConfigSchema, value));
  const raw: Loose = isObject(value) ? value : {};

  let partition: ResolvedConfig['partition'] | undefined;
  if (typeof raw.region === 'string' && !issues.has('region')) {
    const region = checkRegion(raw.region);
    if (region.ok) partition = region.partition;
    else issues.add('region', region.message);
  }

  const roleMapping: RoleMapping =
    raw.roleMapping === 'api-integration' || raw.roleMapping === 'group-mapping'
      ? raw.roleMapping
      : DEFAULT_ROLE_MAPPING;
  const okta = checkOkta(
    raw.okta,
    token,
    privateKey,
    roleMapping,
    env,
    options.requireOktaAuth ?? true,
    issues,
  );
  const appViews = checkApps(raw.apps, roleMapping, issues);
  checkUsers(raw.users, appViews, issues);
  checkMappings(raw.mappings, issues);

  if (isObject(raw.names)) {
    const federation = asString(raw.names.federationPolicy) ?? NAME_DEFAULTS.federationPolicy;
    const access = asString(raw.names.oktaAccessPolicy) ?? NAME_DEFAULTS.oktaAccessPolicy;
    if (federation.toLowerCase() === access.toLowerCase()) {
      const field =
        raw.names.oktaAccessPolicy !== undefined ? 'names.oktaAccessPolicy' : 'names.federationPolicy';
      issues.add(
        field,
        `'${field === 'names.oktaAccessPolicy' ? access : federation}' would name both policies (IAM policy names ignore case): give them different names`,
      );
    }
  }

  if (issues.list.length > 0 || !okta || !partition) {
    // `okta`/`partition` are missing only when an issue says why; the fallback keeps that a certainty.
    throw ConfigError.of(
      issues.list.length > 0 ? inFileOrder(issues.list) : [{ field: 'config', message: 'is invalid' }],
    );
  }

  return resolveConfig(value as ConnectSsoConfig, partition, okta, roleMapping);
}
