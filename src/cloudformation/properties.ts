/**
 * The properties of a `Custom::ConnectOktaSso` resource, turned into a configuration.
 *
 * The properties *are* the configuration (`region`, `instance`, `okta`, `roleMapping`, `apps`, `users`,
 * `names`, `stack`, as in a config file), plus a few PascalCase properties of the resource itself
 * ({@link RESOURCE_PROPERTY_NAMES}). CloudFormation hands every scalar to the handler as a string
 * (`"true"`, `"3600"`): the booleans and integers of the config schema are turned back into what they
 * were. Three defaults differ from a config file, because a stack cannot click in the Okta console and
 * many stacks share one Okta org and one IAM namespace:
 *
 * - `roleMapping` defaults to `group-mapping` (no manual step);
 * - every IAM name and Okta label the config leaves out is made unique per instance by its alias
 *   (`Okta_Role_<alias>`, `Amazon Connect Administrator (<alias>)`, `okta_federation_policy_<alias>`), so
 *   that two setups in one account (a replacement, two regions) or one Okta org (a fleet) never collide;
 * - the Okta credentials never come from the properties (they would be in the template): they come from
 *   the Secrets Manager secret named by `OktaCredentialsSecret`.
 */
import type { ConnectSsoConfig, ResolvedConfig } from '../config/index.js';
import { connectSsoConfigSchema } from '../config/schema.js';
import { validateConfig } from '../config/validate.js';
import { ConfigError } from '../core/errors.js';
import { withInstanceScopedNames } from '../workflows/fleet/names.js';

/** The properties of the resource itself, not part of the configuration. */
export const RESOURCE_PROPERTY_NAMES = [
  'ServiceToken',
  'ServiceTimeout',
  'OktaCredentialsSecret',
  'AccessKeySecretName',
  'DeleteInstance',
] as const;

/** What the handler takes from a resource's properties. */
export interface ResourceSettings {
  /** Name or ARN of the Secrets Manager secret holding the Okta credentials. */
  oktaCredentialsSecret: string;
  /** api-integration mode: the Secrets Manager secret that receives the new IAM access key. */
  accessKeySecretName: string;
  /** Delete: whether the Connect instance goes too. */
  deleteInstance: boolean;
  /** CloudFormation's `ServiceTimeout` in seconds, when the template set one. */
  serviceTimeoutSeconds: number | undefined;
}

/** The properties, split into the config (CloudFormation strings coerced back) and the resource's own settings. */
export interface ParsedProperties {
  /** The configuration as written (defaults of the custom resource applied), without Okta secrets. */
  config: ConnectSsoConfig;
  /** The configuration resolved without Okta credentials (for names, ids and plans). */
  resolved: ResolvedConfig;
  /** The resource's own settings. */
  settings: ResourceSettings;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

type Schema = { readonly [keyword: string]: unknown };
const defs = (connectSsoConfigSchema.$defs ?? {}) as Record<string, Schema>;

function deref(schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) return defs[ref.slice('#/$defs/'.length)];
  return schema;
}

/**
 * CloudFormation passes every scalar property as a string: give booleans and integers back their type
 * where the config schema expects one. Anything else is left for the validator to judge.
 */
export function coerceToSchema(
  value: unknown,
  schemaIn: Schema | undefined = connectSsoConfigSchema,
): unknown {
  const schema = deref(schemaIn);
  if (!schema) return value;
  if (typeof value === 'string') {
    if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    if (schema.type === 'integer' && /^-?\d{1,15}$/.test(value)) return Number(value);
    return value;
  }
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return value.map((v) => coerceToSchema(v, items));
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const additional = isObject(schema.additionalProperties)
      ? (schema.additionalProperties as Schema)
      : undefined;
    const out: Loose = {};
    for (const [key, v] of Object.entries(value)) out[key] = coerceToSchema(v, properties[key] ?? additional);
    return out;
  }
  return value;
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new ConfigError(field, `must be true or false (got ${JSON.stringify(value)})`);
}

/**
 * The config of a resource from its config properties (the resource's own PascalCase properties left
 * out): CloudFormation's strings coerced back, the resource's defaults applied, validated without Okta
 * credentials. The CDK construct resolves its config with it at synth time, so that its IAM policy names
 * exactly what the handler will create.
 * @throws {ConfigError} naming the field path.
 */
export function resolveResourceConfig(properties: Record<string, unknown>): {
  config: ConnectSsoConfig;
  resolved: ResolvedConfig;
} {
  const config = withInstanceScopedNames(coerceToSchema(properties) as Loose) as unknown as ConnectSsoConfig;
  // No environment: a Lambda's OKTA_API_TOKEN or ${NAME} references never stand in for the secret.
  const resolved = validateConfig(config, { requireOktaAuth: false, env: {} });
  return { config, resolved };
}

/**
 * Read a resource's properties: the config (validated, without Okta credentials) and the resource's
 * own settings. Pure: no call is made.
 * @throws {ConfigError} naming the property path (`apps[0].kind`, `OktaCredentialsSecret`).
 */
export function parseProperties(properties: unknown): ParsedProperties {
  if (!isObject(properties)) throw new ConfigError('ResourceProperties', 'must be an object');
  const rest: Loose = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!(RESOURCE_PROPERTY_NAMES as readonly string[]).includes(key)) rest[key] = value;
  }
  const secret = properties.OktaCredentialsSecret;
  if (typeof secret !== 'string' || !/^[\w/+=.@:-]{1,2048}$/.test(secret)) {
    throw new ConfigError(
      'OktaCredentialsSecret',
      'is required: the name or ARN of the Secrets Manager secret with the Okta API token ({"token": "…"}) or OAuth key ({"clientId", "privateKey"})',
    );
  }
  const okta = isObject(rest.okta) ? rest.okta : undefined;
  for (const field of ['token', 'privateKey'] as const) {
    if (okta?.[field] !== undefined) {
      throw new ConfigError(
        `okta.${field}`,
        'must not be a property (it would be readable in the template and the stack events): put it in the secret named by OktaCredentialsSecret',
      );
    }
  }
  const { config, resolved } = resolveResourceConfig(rest);
  const accessKeySecretName =
    properties.AccessKeySecretName ?? `connect-okta-sso/${resolved.instance.alias}/okta-access-key`;
  if (typeof accessKeySecretName !== 'string' || !/^[\w/+=.@-]{1,512}$/.test(accessKeySecretName)) {
    throw new ConfigError(
      'AccessKeySecretName',
      'a Secrets Manager secret name: 1–512 of A-Z a-z 0-9 / _ + = . @ -',
    );
  }
  const timeout = properties.ServiceTimeout;
  let serviceTimeoutSeconds: number | undefined;
  if (timeout !== undefined) {
    serviceTimeoutSeconds = Number(timeout);
    if (
      !Number.isInteger(serviceTimeoutSeconds) ||
      serviceTimeoutSeconds < 1 ||
      serviceTimeoutSeconds > 3600
    ) {
      throw new ConfigError('ServiceTimeout', 'must be 1–3600 seconds');
    }
  }
  return {
    config,
    resolved,
    settings: {
      oktaCredentialsSecret: secret,
      accessKeySecretName,
      deleteInstance: flag(properties.DeleteInstance, 'DeleteInstance'),
      serviceTimeoutSeconds,
    },
  };
}

const ID_PREFIX = 'connect-okta-sso';

/**
 * The physical id of a setup: its region and instance alias. It stays the same across updates that
 * keep both, and changes — a replacement, after which CloudFormation deletes the old id — when either
 * changes (a new instance).
 */
export function physicalIdOf(config: { region: string; instance: { alias: string } }): string {
  return `${ID_PREFIX}:${config.region}:${config.instance.alias}`;
}

/** The region and alias a physical id names; undefined for an id that is not a setup's (a failed Create's). */
export function parsePhysicalId(id: string | undefined): { region: string; alias: string } | undefined {
  const m =
    id === undefined
      ? null
      : /^connect-okta-sso:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):([\da-zA-Z-]{1,45})$/.exec(id);
  return m ? { region: m[1] as string, alias: m[2] as string } : undefined;
}

/**
 * The physical id answered for a Create that failed before anything of it stands: a Delete of it
 * (CloudFormation sends one when it rolls back a plain custom resource) has nothing to do.
 */
export function failedCreateId(requestId: string): string {
  return `${ID_PREFIX}:failed-create:${requestId.replace(/[^\w-]/g, '').slice(0, 64)}`;
}
