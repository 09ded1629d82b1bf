/**
 * Where a standalone sandbox is (its URL and admin token, from `--url`, `--env-file` and the
 * environment) and a small client of its loopback admin API (src/sandbox/admin-api.ts).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';

/** Where the sandbox is and the token its admin API wants. */
export interface AdminTarget {
  /** The sandbox URL, `http://127.0.0.1:PORT`. */
  url: string;
  /** The admin token (`CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN`). */
  token: string;
}

export const URL_ENV = 'CONNECT_OKTA_SSO_SANDBOX_URL';
export const TOKEN_ENV = 'CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN';

/** `KEY=value` lines (what `connect-okta-sso sandbox` prints), comments and blank lines skipped. */
export function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1]) out[m[1]] = (m[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/**
 * The admin target from `--url`, `--env-file` and the environment (the file wins over the environment,
 * `--url` over both).
 * @throws {UsageError} no URL or token, or an unreadable env file.
 */
export function resolveAdminTarget(
  env: Record<string, string | undefined>,
  options: { url?: string | undefined; envFile?: string | undefined; readFile?: (path: string) => string },
): AdminTarget {
  let fromFile: Record<string, string> = {};
  if (options.envFile !== undefined) {
    let text: string;
    try {
      text = (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(options.envFile);
    } catch (error) {
      throw new UsageError(
        `--env-file: cannot read ${options.envFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        '--env-file',
        'Name the file you saved the output of `connect-okta-sso sandbox` to (connect-okta-sso sandbox > sandbox.env).',
      );
    }
    fromFile = parseEnvLines(text);
  }
  const where = options.envFile ? `${options.envFile} or the environment` : 'the environment';
  const url = (options.url ?? fromFile[URL_ENV] ?? env[URL_ENV])?.trim();
  if (!url) {
    throw new UsageError(
      `no sandbox URL: ${URL_ENV} is not set in ${where}`,
      URL_ENV,
      'Start the sandbox in another terminal (connect-okta-sso sandbox > sandbox.env), then load its lines (set -a; . ./sandbox.env; set +a) or pass --env-file sandbox.env.',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `${options.url ? '--url' : URL_ENV}: '${url}' is not a URL`,
      options.url ? '--url' : URL_ENV,
    );
  }
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(parsed.hostname) || parsed.protocol !== 'http:') {
    throw new UsageError(
      `${options.url ? '--url' : URL_ENV}: the sandbox listens on loopback only (http://127.0.0.1:PORT), not ${url}`,
      options.url ? '--url' : URL_ENV,
    );
  }
  const token = (fromFile[TOKEN_ENV] ?? env[TOKEN_ENV])?.trim();
  if (!token) {
    throw new UsageError(
      `no admin token: ${TOKEN_ENV} is not set in ${where}`,
      TOKEN_ENV,
      'Use the lines `connect-okta-sso sandbox` printed (set -a; . ./sandbox.env; set +a), or --env-file sandbox.env.',
    );
  }
  return { url: parsed.origin, token };
}

/** An answer of the admin API other than 2xx. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    readonly status: number,
    readonly apiCode: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The sandbox could not be reached. */
export class SandboxUnreachableError extends Error {
  override readonly name = 'SandboxUnreachableError';
}

/** A small client of the sandbox's admin API. */
export class SandboxAdminClient {
  constructor(
    readonly target: AdminTarget,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** One call; resolves to the JSON answer. @throws {AdminApiError} @throws {SandboxUnreachableError} */
  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.target.url}/__sandbox${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.target.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new SandboxUnreachableError(`cannot reach the sandbox at ${this.target.url} (${code})`, {
        cause: error,
      });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new SandboxUnreachableError(
        `${this.target.url} answered ${res.status} with something other than the sandbox admin API's JSON`,
      );
    }
    if (!res.ok) {
      const e = (parsed as { error?: { code?: string; message?: string; field?: string } } | undefined)
        ?.error;
      throw new AdminApiError(
        res.status,
        e?.code ?? `HTTP_${res.status}`,
        e?.message ?? `HTTP ${res.status}`,
        e?.field,
      );
    }
    return parsed as T;
  }
}
