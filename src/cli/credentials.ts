/**
 * The config file and the credentials a command runs with. Credentials come only from the environment,
 * AWS profiles, or stdin — never from a flag:
 *
 * - AWS: `--profile NAME` (the AWS SDK's default chain for that profile); otherwise `AWS_ACCESS_KEY_ID`
 *   / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` when set; otherwise the default chain (`AWS_PROFILE`,
 *   SSO, instance roles…). `AWS_ENDPOINT_URL` points the clients elsewhere (the sandbox).
 * - Okta, first found wins: `--okta-token-stdin` (a token piped, or typed without echo on a TTY); a
 *   token or key the config file names (`okta.token: ${VAR}`); OAuth 2.0 with a private key
 *   (`OKTA_CLIENT_ID` + `OKTA_PRIVATE_KEY_FILE`, optional `OKTA_SCOPES`, `OKTA_KEY_ID`) — what Okta
 *   recommends; `OKTA_API_TOKEN`.
 * - `OKTA_ORG_URL`, when set, must name the config's `okta.orgUrl`: credentials meant for one org are
 *   never sent to another.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Logger, ResolvedConfig, SsoContext } from '../index.js';
import type { CommandRun } from './command.js';
import { UsageError } from './errors.js';
import { type Library, loadLibrary } from './lib.js';
import type { Output } from './output.js';
import { commandLogger } from './progress.js';
import { readSecret } from './prompt.js';

/** Okta credentials as `createContext` takes them. */
export type OktaAuth =
  | { kind: 'token'; token: string; source: string }
  | {
      kind: 'private-key';
      clientId: string;
      privateKey: string;
      keyId: string | undefined;
      scopes: string[];
      source: string;
    };

export interface LoadedConfig {
  /** The path as the user gave it (messages), and absolute. */
  path: string;
  absolutePath: string;
  config: ResolvedConfig;
}

/** The OAuth scopes the library needs, by role mapping (the library's defaults). */
const DEFAULT_SCOPES: Record<ResolvedConfig['roleMapping'], string[]> = {
  'api-integration': ['okta.apps.manage', 'okta.users.read'],
  'group-mapping': ['okta.apps.manage', 'okta.users.read', 'okta.groups.manage'],
};

/** Resolve a user-given path against the command's working directory. */
export function resolvePath(out: Output, path: string): string {
  return isAbsolute(path) ? path : resolve(out.io.cwd, path);
}

/**
 * Read and validate the config file (YAML or JSON) with the command's environment. Okta credentials
 * are not required here: {@link oktaAuth} decides them.
 * @throws ConfigError (exit 2) for every problem, with `file:line:col`.
 */
export async function loadCliConfig(out: Output, path: string): Promise<LoadedConfig> {
  const lib = await loadLibrary();
  const absolutePath = resolvePath(out, path);
  let config: ResolvedConfig;
  try {
    config = await lib.loadConfig(absolutePath, { env: out.io.env, requireOktaAuth: false });
  } catch (error) {
    // Messages name the file as the user wrote it.
    const e = error as {
      code?: unknown;
      message: string;
      field?: string;
      issues?: { field: string; message: string }[];
    };
    if (e.code === 'CONFIG_INVALID' && absolutePath !== path) {
      const local = (text: string) => text.split(absolutePath).join(path);
      e.message = local(e.message);
      if (typeof e.field === 'string') Object.defineProperty(e, 'field', { value: local(e.field) });
      if (Array.isArray(e.issues))
        Object.defineProperty(e, 'issues', {
          value: e.issues.map((i) => ({ field: local(i.field), message: local(i.message) })),
        });
    }
    throw error;
  }
  const auth = config.okta.auth;
  if (auth?.type === 'token') out.redactor.add(auth.token.reveal());
  if (auth?.type === 'private-key') out.redactor.add(auth.privateKey.reveal());
  checkOrgUrl(out, config, path);
  return { path, absolutePath, config };
}

/**
 * {@link loadCliConfig} for a command run: the run then knows the config path and the config, so its
 * error fixes can name the file, the region and the Okta org.
 */
export async function loadRunConfig(run: CommandRun, path: string): Promise<LoadedConfig> {
  run.configPath = path;
  const loaded = await loadCliConfig(run.out, path);
  run.config = loaded.config;
  return loaded;
}

function checkOrgUrl(out: Output, config: ResolvedConfig, path: string): void {
  const fromEnv = out.io.env.OKTA_ORG_URL?.trim();
  if (!fromEnv) return;
  let origin: string;
  try {
    origin = new URL(fromEnv).origin;
  } catch {
    throw new UsageError(
      `OKTA_ORG_URL '${fromEnv}' is not a URL`,
      'OKTA_ORG_URL',
      'Set it to the org URL, e.g. https://acme.okta.com, or unset it.',
    );
  }
  if (origin !== config.okta.orgUrl) {
    throw new UsageError(
      `OKTA_ORG_URL is ${origin} but okta.orgUrl in ${path} is ${config.okta.orgUrl}: the Okta credentials in the environment may belong to the other org, so they are not sent`,
      'okta.orgUrl',
      `Make them name the same org, or unset OKTA_ORG_URL.`,
    );
  }
}

function readKeyFile(out: Output, file: string): string {
  let text: string;
  try {
    text = readFileSync(resolvePath(out, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `OKTA_PRIVATE_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      'OKTA_PRIVATE_KEY_FILE',
      'Point OKTA_PRIVATE_KEY_FILE at the PEM or JWK private key of the Okta API service app.',
    );
  }
  out.redactor.add(text);
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' });
    else createPrivateKey(trimmed);
  } catch {
    throw new UsageError(
      `OKTA_PRIVATE_KEY_FILE: ${file} does not hold a private key (PEM "-----BEGIN PRIVATE KEY-----" or a JWK)`,
      'OKTA_PRIVATE_KEY_FILE',
      'Use the private key you registered with the Okta API service app (Okta Admin → Applications → the service app → General → Public keys).',
    );
  }
  return text.trim();
}

/**
 * Decide the Okta credentials (see the module comment for the order).
 * @throws {UsageError} none found, or OAuth half configured.
 */
export async function oktaAuth(
  out: Output,
  loaded: LoadedConfig,
  options: { tokenFromStdin: boolean },
): Promise<OktaAuth> {
  const { config } = loaded;
  const env = out.io.env;
  if (options.tokenFromStdin) {
    const token = await readSecret(out, 'Okta API token');
    if (token === '')
      throw new UsageError(
        '--okta-token-stdin: no token on stdin',
        '--okta-token-stdin',
        'Pipe the token: printf %s "$TOKEN" | connect-okta-sso …',
      );
    out.redactor.add(token);
    return { kind: 'token', token, source: 'stdin' };
  }
  const configured = config.okta.auth;
  // A token or key the config names explicitly (okta.token: ${VAR}) wins over the general variables.
  const explicit =
    configured && !(configured.source.kind === 'env' && configured.source.name === 'OKTA_API_TOKEN');
  if (configured && explicit) {
    const source = configured.source.kind === 'env' ? `$${configured.source.name}` : loaded.path;
    return configured.type === 'token'
      ? { kind: 'token', token: configured.token.reveal(), source }
      : {
          kind: 'private-key',
          clientId: configured.clientId,
          privateKey: configured.privateKey.reveal(),
          keyId: configured.keyId,
          scopes: configured.scopes,
          source,
        };
  }
  const clientId = env.OKTA_CLIENT_ID?.trim();
  const keyFile = env.OKTA_PRIVATE_KEY_FILE?.trim();
  if (clientId || keyFile) {
    if (!clientId || !keyFile) {
      const missing = clientId ? 'OKTA_PRIVATE_KEY_FILE' : 'OKTA_CLIENT_ID';
      throw new UsageError(
        `OAuth needs both OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE; ${missing} is not set`,
        missing,
        `Set ${missing} too, or unset the other to use OKTA_API_TOKEN.`,
      );
    }
    const scopes = env.OKTA_SCOPES?.split(/[\s,]+/).filter((s) => s !== '');
    return {
      kind: 'private-key',
      clientId,
      privateKey: readKeyFile(out, keyFile),
      keyId: env.OKTA_KEY_ID?.trim() || undefined,
      scopes: scopes && scopes.length > 0 ? scopes : DEFAULT_SCOPES[config.roleMapping],
      source: 'OKTA_CLIENT_ID/OKTA_PRIVATE_KEY_FILE',
    };
  }
  if (configured?.type === 'token')
    return { kind: 'token', token: configured.token.reveal(), source: '$OKTA_API_TOKEN' };
  throw new UsageError(
    'no Okta credentials: OKTA_API_TOKEN is not set, and neither is OAuth (OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE)',
    'OKTA_API_TOKEN',
    'Export OKTA_API_TOKEN (Okta Admin → Security → API → Tokens), or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE for an OAuth service app (recommended by Okta), or pipe a token with --okta-token-stdin.',
  );
}

export interface ContextOptions {
  /** `--profile`: an AWS shared-config profile. */
  profile?: string | undefined;
  okta?: OktaAuth | undefined;
  logger: Logger;
}

/** The clients a command runs with: see the module comment for where credentials come from. */
export async function buildContext(
  out: Output,
  config: ResolvedConfig,
  options: ContextOptions,
): Promise<SsoContext> {
  const lib = await loadLibrary();
  const env = out.io.env;
  const endpoint = env.AWS_ENDPOINT_URL?.trim() || undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  const fromEnv = !options.profile && accessKeyId && secretAccessKey;
  const okta = options.okta;
  return lib.createContext({
    region: config.region,
    stack: config.stack,
    logger: options.logger,
    ...(out.io.signal ? { signal: out.io.signal } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(fromEnv
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
    ...(okta
      ? {
          okta:
            okta.kind === 'token'
              ? { orgUrl: config.okta.orgUrl, token: new lib.Secret(okta.token) }
              : {
                  orgUrl: config.okta.orgUrl,
                  clientId: okta.clientId,
                  privateKey: new lib.Secret(okta.privateKey),
                  keyId: okta.keyId,
                  scopes: okta.scopes,
                },
        }
      : {}),
  });
}

/** What a command that calls AWS and Okta runs with, once its config is loaded. */
export interface Connection {
  context: SsoContext;
  lib: Library;
}

/**
 * Find the Okta credentials ({@link oktaAuth}), build the clients' context ({@link buildContext}) and
 * load the library: what every command that calls AWS and Okta does after loading its config. The
 * context logs with `logger`, by default the command's ({@link commandLogger}).
 */
export async function connect(
  run: CommandRun,
  loaded: LoadedConfig,
  options: { profile: string | undefined; tokenFromStdin: boolean; logger?: Logger },
): Promise<Connection> {
  const okta = await oktaAuth(run.out, loaded, { tokenFromStdin: options.tokenFromStdin });
  const context = await buildContext(run.out, loaded.config, {
    profile: options.profile,
    okta,
    logger: options.logger ?? commandLogger(run.out, run.debug),
  });
  return { context, lib: await loadLibrary() };
}
