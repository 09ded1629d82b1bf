/**
 * Reading a fleet: a directory of config files (one target per file), or one YAML/JSON file with
 * `targets:` (and optional `defaults:` merged into every target).
 *
 * ```yaml
 * defaults:                      # every target starts from these (top-level keys; a target's own win)
 *   okta: { orgUrl: https://acme.okta.com }
 *   apps: [{ kind: admin }, { kind: ccp }]
 * targets:
 *   - name: prod-us              # the row's name (default: the alias)
 *     account: "111111111111"    # optional: shown, and checked against the account reached
 *     profile: prod              # optional: the AWS profile of that account (CLI)
 *     region: us-east-1
 *     instance: { alias: acme-prod-us }
 * ```
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ConnectSsoConfig } from '../../config/index.js';
import { ConfigError } from '../../core/errors.js';
import type { FleetTarget } from './fleet.js';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const CONFIG_FILE = /\.(ya?ml|json)$/i;

async function readDocument(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  const json = extname(path).toLowerCase() === '.json';
  // yaml is loaded when a YAML file is read, not when the library is imported (~25 ms).
  const yaml = json ? undefined : await import('yaml');
  try {
    return yaml ? yaml.parse(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      path,
      `is not valid ${extname(path).slice(1).toUpperCase()}: ${(error as Error).message}`,
    );
  }
}

/** A target from one entry: its fleet keys (`name`, `account`, `profile`) taken out of the config. */
function targetOf(
  entry: unknown,
  field: string,
  defaults: Loose,
  fallbackName: string | undefined,
): FleetTarget {
  if (!isObject(entry))
    throw new ConfigError(field, 'must be an object (a config, plus name/account/profile)');
  const { name, account, profile, ...config } = { ...defaults, ...entry };
  for (const [key, value] of Object.entries({ name, account, profile })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new ConfigError(
        `${field}.${key}`,
        `must be a string${key === 'account' ? ' (quote the 12 digits)' : ''}`,
      );
    }
  }
  const alias =
    isObject(config.instance) && typeof config.instance.alias === 'string'
      ? config.instance.alias
      : undefined;
  return {
    name: (name as string | undefined) ?? fallbackName ?? alias ?? field,
    config: config as unknown as ConnectSsoConfig,
    ...(account !== undefined ? { account: account as string } : {}),
    ...(profile !== undefined ? { profile: profile as string } : {}),
  };
}

/**
 * Read a fleet from a directory of configs (every `*.yaml`, `*.yml`, `*.json`, in name order; a file's
 * name is its target's name) or from a YAML/JSON file with `targets:`.
 * @throws {ConfigError} an unreadable or malformed file, no targets.
 */
export async function loadFleet(path: string): Promise<FleetTarget[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new ConfigError(path, 'no such file or directory');
  }
  if (info.isDirectory()) {
    const files = (await readdir(path)).filter((f) => CONFIG_FILE.test(f)).sort();
    if (files.length === 0) throw new ConfigError(path, 'the directory holds no .yaml, .yml or .json config');
    const targets: FleetTarget[] = [];
    for (const file of files) {
      targets.push(targetOf(await readDocument(join(path, file)), file, {}, basename(file, extname(file))));
    }
    return targets;
  }
  const doc = await readDocument(path);
  if (!isObject(doc) || !Array.isArray(doc.targets)) {
    throw new ConfigError('targets', `${path} must have a targets: list (or pass a directory of configs)`);
  }
  if (doc.defaults !== undefined && !isObject(doc.defaults))
    throw new ConfigError('defaults', 'must be an object');
  const defaults = (doc.defaults ?? {}) as Loose;
  if (doc.targets.length === 0) throw new ConfigError('targets', 'is empty');
  return doc.targets.map((entry, i) => targetOf(entry, `targets[${i}]`, defaults, undefined));
}
