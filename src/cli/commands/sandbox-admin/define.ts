/**
 * What every `sandbox admin` subcommand shares: the options saying where the sandbox is, its help's
 * common parts and exit codes, the admin API's errors as the CLI explains them, and
 * {@link adminCommand}, which defines a subcommand from its spec and a body given a client.
 */
import { type OptionSpec, stringOption } from '../../args.js';
import type { Command } from '../../command.js';
import { type CommandRun, defineCommand, reportExplained } from '../../command.js';
import { resolvePath } from '../../credentials.js';
import { EXIT, type Explained, UsageError } from '../../errors.js';
import type { CommandSpec } from '../../help.js';
import {
  AdminApiError,
  resolveAdminTarget,
  SandboxAdminClient,
  SandboxUnreachableError,
  TOKEN_ENV,
} from './client.js';

/** Where the sandbox is: the options every subcommand has. */
export const TARGET_OPTIONS = {
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
export const ADMIN_COMMON = {
  json: 'Print one JSON document',
  debug: 'Show the cause chain of an error',
} as const;

/** The exit codes of every subcommand. */
export const ADMIN_EXIT_CODES = {
  0: 'done',
  1: 'failed (the sandbox unreachable, the sign-in refused, the key could not read the IAM roles)',
  2: 'invalid input (a flag, an unknown user or app, a missing or wrong admin token)',
} as const;

export const WHERE_NOTE =
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

/** A subcommand from its spec, and a body that gets a client already pointed at the sandbox. */
export function adminCommand(
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
      // The admin API's errors carry no cause chain worth printing: --debug adds it to --json only.
      return reportExplained(run, name, x, error, { textCauses: false });
    }
  });
}

export function required(run: CommandRun, name: string): string {
  const value = stringOption(run.parsed.values, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`, `--${name}`);
  return value;
}

export function multi(run: CommandRun, name: string): string[] {
  const v = run.parsed.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
