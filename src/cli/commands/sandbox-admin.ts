/**
 * `connect-okta-sso sandbox admin <subcommand>`: what the AWS and Okta admin consoles (and the people in
 * the directory) do, for a standalone sandbox, over its loopback admin API (src/sandbox/admin-api.ts).
 *
 * The sandbox's URL and admin token come from the lines `connect-okta-sso sandbox` prints
 * (`CONNECT_OKTA_SSO_SANDBOX_URL`, `CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN`): from the environment, or
 * read from the file they were saved to (`--env-file`); `--url` overrides the URL. The admin token is
 * never taken as a flag (it is a credential, even if a sandbox-only one) and never printed.
 *
 * What each subcommand does is a function of its own (`addUser`, `enableApiIntegrations`, `signIn`,
 * `readState`…) over a {@link SandboxAdminClient}; the command definitions only parse and print.
 */
import { readFileSync } from 'node:fs';
import { flag, type OptionSpec, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { type CommandRun, defineCommand } from '../command.js';
import { resolvePath } from '../credentials.js';
import {
  causeSummaries,
  EXIT,
  type ExitCode,
  type Explained,
  formatExplained,
  UsageError,
} from '../errors.js';
import { type CommandSpec, commonOptions, exitCodeText, HELP_WIDTH, optionLines, wrap } from '../help.js';
import type { Io } from '../output.js';
import { versionText } from '../version.js';

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

// ---------------------------------------------------------------------------------------------------------
// What each subcommand does

/** An Okta user as the admin API returns it. */
export interface AdminUser {
  id: string;
  status: string;
  profile: { login: string; firstName?: string; lastName?: string; email?: string };
}

/** The user statuses `add-user` offers. */
export const USER_STATUSES = ['ACTIVE', 'PROVISIONED', 'STAGED'] as const;

/** Add an Okta user (as the admin console's "Add person", activated with a password unless `status` says). */
export async function addUser(
  client: SandboxAdminClient,
  input: {
    login: string;
    firstName?: string | undefined;
    lastName?: string | undefined;
    email?: string | undefined;
    status?: (typeof USER_STATUSES)[number] | undefined;
    groups?: string[] | undefined;
  },
): Promise<AdminUser> {
  const body = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
  return (await client.call<{ user: AdminUser }>('POST', '/okta/users', body)).user;
}

/** The person finishes their activation (sets a password): PROVISIONED or STAGED → ACTIVE. */
export async function activateUser(client: SandboxAdminClient, login: string): Promise<AdminUser> {
  return (
    await client.call<{ user: AdminUser }>(
      'POST',
      `/okta/users/${encodeURIComponent(login)}/lifecycle/complete-activation`,
    )
  ).user;
}

/** An access key as the AWS console's `.csv` download (and `apply`'s secret file) holds it. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Read `Access key ID,Secret access key` + one row (the AWS console's layout, which `apply` writes).
 * @throws {UsageError} naming the file
 */
export function parseAccessKeyCsv(text: string, file: string): AccessKey {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = (lines[0] ?? '').split(',').map((c) => c.trim().toLowerCase());
  const idAt = header.indexOf('access key id');
  const secretAt = header.indexOf('secret access key');
  const row = (lines[1] ?? '').split(',').map((c) => c.trim());
  const accessKeyId = row[idAt] ?? '';
  const secretAccessKey = row[secretAt] ?? '';
  if (idAt < 0 || secretAt < 0 || !/^AKIA[A-Z0-9]{16}$/.test(accessKeyId) || secretAccessKey === '') {
    throw new UsageError(
      `--access-key-file: ${file} does not hold an access key in the AWS console's layout (a header "Access key ID,Secret access key" and one row)`,
      '--access-key-file',
      'Name the file apply wrote the new key to (okta_cli_user_accessKeys.csv beside the config, or its --secret-out FILE).',
    );
  }
  return { accessKeyId, secretAccessKey };
}

/** What the sandbox's state says of an Okta app (a slice of `sb.state()`). */
interface StateApp {
  id: string;
  name: string;
  label: string;
  status: string;
  features: string[];
  apiIntegration: unknown;
  importedRoles: string[];
}

/** The sandbox state, secrets redacted (`sb.state()`). */
export async function readState(client: SandboxAdminClient): Promise<Record<string, unknown>> {
  return (await client.call<{ state: Record<string, unknown> }>('GET', '/state')).state;
}

/**
 * The console's "API Integration" for each named app (an id or label), or for every `amazon_aws` app
 * whose integration is not enabled yet when none is named.
 */
export async function enableApiIntegrations(
  client: SandboxAdminClient,
  input: { apps: string[]; key: AccessKey; createUsers?: boolean; updateUserAttributes?: boolean },
): Promise<{ app: { id: string; label: string }; importedRoles: string[] }[]> {
  let apps = input.apps;
  if (apps.length === 0) {
    const state = await readState(client);
    const all = Object.values((state.okta as { apps?: Record<string, StateApp> })?.apps ?? {});
    apps = all.filter((a) => a.name === 'amazon_aws' && a.apiIntegration === null).map((a) => a.id);
    if (apps.length === 0) {
      throw new UsageError(
        all.length === 0
          ? 'the sandbox has no Okta app yet: run apply first (it creates the apps, then stops at this step)'
          : 'every amazon_aws app already has its API integration: name one with --app to enable it again',
        '--app',
      );
    }
  }
  const results: { app: { id: string; label: string }; importedRoles: string[] }[] = [];
  for (const app of apps) {
    results.push(
      await client.call('POST', `/okta/apps/${encodeURIComponent(app)}/api-integration`, {
        accessKeyId: input.key.accessKeyId,
        secretAccessKey: input.key.secretAccessKey,
        ...(input.createUsers !== undefined ? { createUsers: input.createUsers } : {}),
        ...(input.updateUserAttributes !== undefined
          ? { updateUserAttributes: input.updateUserAttributes }
          : {}),
      }),
    );
  }
  return results;
}

/** A simulated sign-in's outcome (the sandbox's `SignInResult`). */
export type AdminSignIn =
  | {
      ok: true;
      connectUser: { id: string; username: string };
      relayState: string;
      destination: string | undefined;
      federation: { signInUrl: string };
      roleArn: string;
      roleSessionName: string;
    }
  | { ok: false; stage: string; message: string; detail: string };

/** Simulate the user's sign-in through the app (its id or label; default the one app they have). */
export async function signIn(
  client: SandboxAdminClient,
  input: { login: string; app?: string | undefined; relayState?: string | undefined },
): Promise<AdminSignIn> {
  const body = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  return (await client.call<{ result: AdminSignIn }>('POST', '/login', body)).result;
}

// ---------------------------------------------------------------------------------------------------------
// The commands: parse, call, print

/** Where the sandbox is: the options every subcommand has. */
const TARGET_OPTIONS = {
  'env-file': {
    type: 'string',
    value: 'FILE',
    description:
      'Read CONNECT_OKTA_SSO_SANDBOX_URL and CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN from FILE (the saved output of connect-okta-sso sandbox).',
    defaultText: 'the environment',
  },
  url: {
    type: 'string',
    value: 'URL',
    description: 'The sandbox URL (http://127.0.0.1:PORT).',
    defaultText: 'CONNECT_OKTA_SSO_SANDBOX_URL',
  },
} as const satisfies OptionSpec;

/** What the common options say in every subcommand's help. */
const ADMIN_COMMON = {
  json: 'Print one JSON document',
  debug: 'Show the cause chain of an error',
} as const;

/** The exit codes of every subcommand. */
const ADMIN_EXIT_CODES = {
  0: 'done',
  1: 'failed (the sandbox unreachable, the sign-in refused, the key could not read the IAM roles)',
  2: 'invalid input (a flag, an unknown user or app, a missing or wrong admin token)',
} as const;

const WHERE_NOTE =
  'Where the sandbox is: the lines connect-okta-sso sandbox printed, from the environment or --env-file. The admin token is never a flag.';

/** A subcommand's own part of its spec; {@link adminCommand} adds where the sandbox is. */
type AdminSpec = Pick<CommandSpec, 'usage' | 'description' | 'options'> & { summary: string };

/** The admin API's errors and the sandbox being unreachable, as the CLI explains errors. */
function explainAdmin(error: unknown): Explained | undefined {
  if (error instanceof SandboxUnreachableError) {
    return {
      exitCode: EXIT.failure,
      code: 'SANDBOX_UNREACHABLE',
      message: error.message,
      fix: 'Is connect-okta-sso sandbox running (in another terminal)? Check CONNECT_OKTA_SSO_SANDBOX_URL or --url against the URL it printed.',
    };
  }
  if (!(error instanceof AdminApiError)) return undefined;
  if (error.status === 401) {
    return {
      exitCode: EXIT.usage,
      code: 'SANDBOX_ADMIN_UNAUTHORIZED',
      message: error.message,
      field: TOKEN_ENV,
      fix: 'Use the CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN line this sandbox printed (each sandbox has its own; a state file keeps it across restarts).',
    };
  }
  if (error.status === 422) {
    return {
      exitCode: EXIT.failure,
      code: error.apiCode,
      message: error.message,
      fix: 'Okta reads the IAM roles with this key, as "Test API Credentials" does: use the key apply made for okta_cli_user (it may call iam:ListRoles and iam:ListAccountAliases).',
    };
  }
  if (error.status >= 400 && error.status < 500) {
    return {
      exitCode: EXIT.usage,
      code: error.apiCode,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      fix: 'Correct it and run the command again; connect-okta-sso sandbox admin state shows the users and apps.',
    };
  }
  return {
    exitCode: EXIT.failure,
    code: error.apiCode,
    message: error.message,
    fix: 'Run the command again; if it persists, start the sandbox with CONNECT_OKTA_SSO_SANDBOX_DEBUG=1 and look at its stderr.',
  };
}

function report(run: CommandRun, name: string, x: Explained, error: unknown): ExitCode {
  if (run.json) {
    run.out.json({
      command: name,
      exitCode: x.exitCode,
      error: {
        code: x.code,
        message: x.message,
        ...(x.field ? { field: x.field } : {}),
        fix: x.fix,
        ...(run.debug ? { causes: causeSummaries(error) } : {}),
      },
    });
  } else {
    for (const line of formatExplained(x, `connect-okta-sso ${name}: error`)) run.out.err(line);
  }
  return x.exitCode;
}

/** A subcommand from its spec, and a body that gets a client already pointed at the sandbox. */
function adminCommand(
  sub: string,
  own: AdminSpec,
  body: (run: CommandRun, client: SandboxAdminClient) => Promise<number>,
): Command {
  const name = `sandbox admin ${sub}`;
  const spec: CommandSpec = {
    name,
    summary: own.summary,
    usage: own.usage,
    description: own.description,
    options: { ...own.options, ...TARGET_OPTIONS },
    common: ADMIN_COMMON,
    notes: [WHERE_NOTE],
    exitCodes: ADMIN_EXIT_CODES,
  };
  return defineCommand(spec, async (run) => {
    const v = run.parsed.values;
    const envFile = stringOption(v, 'env-file');
    const target = resolveAdminTarget(run.out.io.env, {
      url: stringOption(v, 'url'),
      envFile: envFile === undefined ? undefined : resolvePath(run.out, envFile),
    });
    run.out.redactor.add(target.token);
    try {
      return await body(run, new SandboxAdminClient(target));
    } catch (error) {
      const x = explainAdmin(error);
      if (!x) throw error;
      return report(run, name, x, error);
    }
  });
}

function required(run: CommandRun, name: string): string {
  const value = stringOption(run.parsed.values, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`, `--${name}`);
  return value;
}

function multi(run: CommandRun, name: string): string[] {
  const v = run.parsed.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

const addUserCommand = adminCommand(
  'add-user',
  {
    summary: 'Add an Okta user (the directory; apply never creates Okta users)',
    usage: ['add-user --login EMAIL [options]'],
    description: [
      'Add a person to the sandbox\'s Okta directory, as the admin console\'s "Add person" with a password set: the user is ACTIVE and can sign in once apply assigned them. (A user created through the Okta API with activate=true and no password is PROVISIONED — "pending user action" — and cannot sign in until they finish the activation link: --status provisioned makes one; activate-user finishes it.)',
    ],
    options: {
      login: {
        type: 'string',
        value: 'EMAIL',
        description: 'The Okta login (email-shaped, unique). Required',
      },
      'first-name': {
        type: 'string',
        value: 'N',
        description: 'First name.',
        defaultText: "the login's part before @",
      },
      'last-name': { type: 'string', value: 'N', description: 'Last name.', defaultText: 'User' },
      email: { type: 'string', value: 'EMAIL', description: 'Primary email.', defaultText: 'the login' },
      status: {
        type: 'string',
        value: 'S',
        description: 'active, provisioned or staged.',
        defaultText: 'active',
      },
      group: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        description: 'Add the user to this existing Okta group (repeatable)',
      },
    },
  },
  async (run, client) => {
    const v = run.parsed.values;
    const statusText = stringOption(v, 'status');
    const status = statusText?.toUpperCase();
    if (status !== undefined && !(USER_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be active, provisioned or staged, got '${statusText}'`, '--status');
    }
    const user = await addUser(client, {
      login: required(run, 'login'),
      firstName: stringOption(v, 'first-name'),
      lastName: stringOption(v, 'last-name'),
      email: stringOption(v, 'email'),
      status: status as (typeof USER_STATUSES)[number] | undefined,
      groups: multi(run, 'group'),
    });
    if (run.json) run.out.json({ command: 'sandbox admin add-user', exitCode: EXIT.ok, user });
    else {
      run.out.print(`Added Okta user ${user.profile.login} (${user.id}), ${user.status}.`);
      if (user.status !== 'ACTIVE') {
        run.out.print(
          `They cannot sign in until they finish activation: connect-okta-sso sandbox admin activate-user --login ${user.profile.login}`,
        );
      }
    }
    return EXIT.ok;
  },
);

const activateUserCommand = adminCommand(
  'activate-user',
  {
    summary: 'The person finishes their activation: a PROVISIONED user becomes ACTIVE',
    usage: ['activate-user --login EMAIL'],
    description: [
      'The person follows their activation link and sets a password: a PROVISIONED (or STAGED) Okta user becomes ACTIVE and can sign in.',
    ],
    options: {
      login: { type: 'string', value: 'EMAIL', description: 'The Okta login (or user id). Required' },
    },
  },
  async (run, client) => {
    const user = await activateUser(client, required(run, 'login'));
    if (run.json) run.out.json({ command: 'sandbox admin activate-user', exitCode: EXIT.ok, user });
    else run.out.print(`Okta user ${user.profile.login} is ${user.status}.`);
    return EXIT.ok;
  },
);

const enableApiIntegrationCommand = adminCommand(
  'enable-api-integration',
  {
    summary: "The Okta app's Provisioning → API Integration with the access key apply made",
    usage: ['enable-api-integration [--app ID|LABEL]... [options]'],
    description: [
      'The manual step apply stops at (exit 3): in each Okta "AWS Account Federation" app, Provisioning → Configure API Integration with the access key apply made for okta_cli_user, Test API Credentials, Save; then To App → Create Users and Update User Attributes. Okta reads the IAM roles with the key (a key without iam:ListRoles fails as it would for real) and imports those that trust the app\'s identity provider. Run apply again afterwards.',
    ],
    options: {
      app: {
        type: 'string',
        multiple: true,
        value: 'ID|LABEL',
        description: 'The app (its id or label, e.g. "Amazon Connect Administrator"); repeatable.',
        defaultText: 'every amazon_aws app whose API integration is not enabled yet',
      },
      'access-key-file': {
        type: 'string',
        value: 'FILE',
        description: "The access key in the AWS console's CSV layout, as apply wrote it.",
        default: 'okta_cli_user_accessKeys.csv',
      },
      'no-create-users': {
        type: 'boolean',
        description: 'Leave "Create Users" off (apply keeps waiting for it)',
      },
    },
  },
  async (run, client) => {
    const file = stringOption(run.parsed.values, 'access-key-file') ?? 'okta_cli_user_accessKeys.csv';
    let text: string;
    try {
      text = readFileSync(resolvePath(run.out, file), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--access-key-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        '--access-key-file',
        'Run it where apply wrote okta_cli_user_accessKeys.csv (beside the config), or name the file apply wrote the key to.',
      );
    }
    const key = parseAccessKeyCsv(text, file);
    run.out.redactor.add(key.secretAccessKey);
    const results = await enableApiIntegrations(client, {
      apps: multi(run, 'app'),
      key,
      ...(flag(run.parsed.values, 'no-create-users') ? { createUsers: false } : {}),
    });
    if (run.json) {
      run.out.json({
        command: 'sandbox admin enable-api-integration',
        exitCode: EXIT.ok,
        accessKeyId: key.accessKeyId,
        apps: results,
      });
    } else {
      for (const r of results) {
        const roles = r.importedRoles.length > 0 ? r.importedRoles.join(', ') : 'none';
        run.out.print(
          `API integration enabled for "${r.app.label}" (${r.app.id}) with ${key.accessKeyId}; roles imported: ${roles}`,
        );
      }
      run.out.print('Now run apply again: it sees the integration and assigns the users.');
    }
    return EXIT.ok;
  },
);

const loginCommand = adminCommand(
  'login',
  {
    summary: "Simulate a user's sign-in from Okta to Amazon Connect",
    usage: ['login --login EMAIL [--app ID|LABEL] [options]'],
    description: [
      "Simulate a user's sign-in as it happens in a browser: the Okta app issues its signed SAML response, AWS sign-in checks it against the IAM identity provider and the role's trust policy, and Amazon Connect checks the role's permission and finds the Connect user. Prints where the user lands, or the stage that failed with the message the user would see and what to change.",
    ],
    options: {
      login: { type: 'string', value: 'EMAIL', description: "The Okta user's login. Required" },
      app: {
        type: 'string',
        value: 'ID|LABEL',
        description: 'The Okta app.',
        defaultText: 'the one app the user is assigned to',
      },
      'relay-state': {
        type: 'string',
        value: 'URL',
        description: 'The relay state to post.',
        defaultText: "the app's",
      },
    },
  },
  async (run, client) => {
    const login = required(run, 'login');
    const result = await signIn(client, {
      login,
      app: stringOption(run.parsed.values, 'app'),
      relayState: stringOption(run.parsed.values, 'relay-state'),
    });
    const exitCode = result.ok ? EXIT.ok : EXIT.failure;
    if (run.json) {
      run.out.json({ command: 'sandbox admin login', exitCode, result });
      return exitCode;
    }
    if (result.ok) {
      run.out.print(`✓ ${login} signed in to Amazon Connect as ${result.connectUser.username}`);
      run.out.print(`  role:     ${result.roleArn}`);
      run.out.print(`  lands on: ${result.relayState}`);
    } else {
      run.out.print(`✗ ${login} cannot sign in: it fails at ${result.stage}`);
      run.out.print(`  the user sees: ${result.message}`);
      run.out.print(`  why:           ${result.detail}`);
    }
    return exitCode;
  },
);

function summarize(state: Record<string, unknown>): string[] {
  type Named = Record<string, Record<string, unknown>>;
  const okta = (state.okta ?? {}) as { users?: Named; apps?: Named; groups?: Named };
  const iam = (state.iam ?? {}) as { roles?: Named; users?: Named; samlProviders?: Named; policies?: Named };
  const connect = (state.connect ?? {}) as { instances?: Named };
  const lines: string[] = [];
  const list = (title: string, items: string[]) => {
    lines.push(`${title} (${items.length})`);
    for (const item of items) lines.push(`  ${item}`);
  };
  list(
    'Okta users',
    Object.values(okta.users ?? {}).map(
      (u) => `${String((u.profile as { login?: string })?.login)}  ${String(u.status)}`,
    ),
  );
  list(
    'Okta apps',
    Object.values(okta.apps ?? {}).map((a) => {
      const integration = a.apiIntegration
        ? `API integration on (${(a.importedRoles as string[]).length} role(s) imported)`
        : 'API integration off';
      return `"${String(a.label)}" ${String(a.id)}  ${String(a.status)}  ${integration}`;
    }),
  );
  list(
    'Okta groups',
    Object.values(okta.groups ?? {}).map(
      (g) => `${String((g.profile as { name?: string })?.name)}  ${(g.members as string[]).length} member(s)`,
    ),
  );
  list('IAM roles', Object.keys(iam.roles ?? {}));
  list('IAM users', Object.keys(iam.users ?? {}));
  list('IAM SAML providers', Object.keys(iam.samlProviders ?? {}));
  list(
    'Connect instances',
    Object.values(connect.instances ?? {}).map(
      (i) =>
        `${String(i.alias)} ${String(i.id)}  ${String(i.status)}  ${Object.keys((i.users as object) ?? {}).length} user(s)`,
    ),
  );
  return lines;
}

const stateCommand = adminCommand(
  'state',
  {
    summary: 'Show what the sandbox holds (secrets redacted)',
    usage: ['state [--json]'],
    description: [
      'What the sandbox holds: Okta users (with their status), apps (with their API integration), groups; IAM roles, users and SAML providers; Connect instances. --json prints the whole state, secrets redacted.',
    ],
    options: {},
  },
  async (run, client) => {
    const state = await readState(client);
    if (run.json) run.out.json({ command: 'sandbox admin state', exitCode: EXIT.ok, state });
    else for (const line of summarize(state)) run.out.print(line);
    return EXIT.ok;
  },
);

/** The subcommands of `sandbox admin`, by name. */
export const SUBCOMMANDS: Readonly<Record<string, Command>> = {
  'add-user': addUserCommand,
  'activate-user': activateUserCommand,
  'enable-api-integration': enableApiIntegrationCommand,
  login: loginCommand,
  state: stateCommand,
};

/** `sandbox admin --help`: the subcommands (from their specs), then the options they all have. */
function adminHelp(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((n) => n.length)) + 3;
  const subs = Object.entries(SUBCOMMANDS).map(([n, c]) => `  ${n.padEnd(width)}${c.spec?.summary ?? ''}`);
  return `${[
    'Usage: connect-okta-sso sandbox admin <subcommand> [options]',
    wrap(
      'Do what the AWS and Okta admin consoles do, in a sandbox started with connect-okta-sso sandbox (in another terminal), through its admin API on 127.0.0.1.',
      HELP_WIDTH,
    ).join('\n'),
    `Subcommands:\n${subs.join('\n')}`,
    'Run connect-okta-sso sandbox admin <subcommand> --help for its options.',
    `Options of every subcommand:\n${optionLines({ ...TARGET_OPTIONS, ...commonOptions(ADMIN_COMMON) }).join('\n')}`,
    wrap(WHERE_NOTE, HELP_WIDTH).join('\n'),
    exitCodeText(ADMIN_EXIT_CODES),
  ].join('\n\n')}\n`;
}

/** `sandbox admin`'s help text: its subcommands, from their specs. */
export const SANDBOX_ADMIN_HELP = adminHelp();

const GLOBAL_FLAGS = new Set(['--json', '--debug', '-h', '--help', '-v', '--version']);

/** `sandbox admin`: pick the subcommand (after any of --json, --debug, --help) and run it. */
export const sandboxAdminCommand: Command = {
  name: 'sandbox admin',
  help: SANDBOX_ADMIN_HELP,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const at = argv.findIndex((a) => !GLOBAL_FLAGS.has(a));
    const name = at >= 0 ? argv[at] : undefined;
    const json = argv.includes('--json');
    const sub = name !== undefined ? SUBCOMMANDS[name] : undefined;
    if (sub && name !== undefined) return sub.run([...argv.slice(0, at), ...argv.slice(at + 1)], io);
    const help = argv.includes('--help') || argv.includes('-h');
    if (name === undefined && !help && (argv.includes('--version') || argv.includes('-v'))) {
      io.stdout.write(await versionText(json));
      return EXIT.ok;
    }
    if (name === undefined && help) {
      io.stdout.write(
        json
          ? `${JSON.stringify({ command: 'sandbox admin', help: SANDBOX_ADMIN_HELP })}\n`
          : SANDBOX_ADMIN_HELP,
      );
      return EXIT.ok;
    }
    const message =
      name === undefined
        ? 'a subcommand is needed: add-user, activate-user, enable-api-integration, login or state'
        : name.startsWith('-')
          ? `the subcommand comes before its options (got ${name})`
          : `unknown subcommand '${name}'`;
    if (json) {
      io.stdout.write(
        `${JSON.stringify({
          command: 'sandbox admin',
          exitCode: EXIT.usage,
          error: {
            code: 'USAGE',
            message,
            fix: 'Run connect-okta-sso sandbox admin --help for the subcommands.',
          },
        })}\n`,
      );
    } else {
      io.stderr.write(`connect-okta-sso sandbox admin: ${message}\n\n${SANDBOX_ADMIN_HELP}`);
    }
    return EXIT.usage;
  },
};
