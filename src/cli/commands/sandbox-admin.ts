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
 * `readState`…, in `sandbox-admin/actions.ts`) over a {@link SandboxAdminClient} (`sandbox-admin/client.ts`);
 * the subcommands (`sandbox-admin/users.ts`, `api-integration.ts`, `login.ts`, `state.ts`, each defined
 * with `sandbox-admin/define.ts`) only parse and print. This module is the router: {@link SUBCOMMANDS}
 * is the one table of them, which the help and the error for a missing subcommand are made from.
 */
import type { Command } from '../command.js';
import { EXIT } from '../errors.js';
import { commonOptions, exitCodeText, HELP_WIDTH, optionLines, wrap } from '../help.js';
import type { Io } from '../output.js';
import { versionText } from '../version.js';
import { enableApiIntegrationCommand } from './sandbox-admin/api-integration.js';
import { ADMIN_COMMON, ADMIN_EXIT_CODES, TARGET_OPTIONS, WHERE_NOTE } from './sandbox-admin/define.js';
import { loginCommand } from './sandbox-admin/login.js';
import { stateCommand } from './sandbox-admin/state.js';
import { activateUserCommand, addUserCommand } from './sandbox-admin/users.js';

export {
  type AccessKey,
  type AdminSignIn,
  type AdminUser,
  activateUser,
  addUser,
  enableApiIntegrations,
  parseAccessKeyCsv,
  readState,
  signIn,
  USER_STATUSES,
} from './sandbox-admin/actions.js';
export {
  AdminApiError,
  type AdminTarget,
  parseEnvLines,
  resolveAdminTarget,
  SandboxAdminClient,
  SandboxUnreachableError,
  TOKEN_ENV,
  URL_ENV,
} from './sandbox-admin/client.js';

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

/** `add-user, …, login or state`, from the table. */
const SUBCOMMAND_LIST = ((names) => `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`)(
  Object.keys(SUBCOMMANDS),
);

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
        ? `a subcommand is needed: ${SUBCOMMAND_LIST}`
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
