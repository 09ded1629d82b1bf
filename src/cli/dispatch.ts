/**
 * The command table and the top level of the command line: `--help`, `--version`, `help <command>`,
 * and loading only the command asked for. Nothing here loads the library, the AWS SDK, the Okta SDK
 * or the sandbox: each command loads what it needs when it runs.
 */
import { COMMON_OPTIONS } from './args.js';
import type { Command } from './command.js';
import { EXIT } from './errors.js';
import { exitCodeText, optionLines } from './help.js';
import type { Io } from './output.js';
import { versionText } from './version.js';

interface Entry {
  /** The command's line in `connect-okta-sso --help` (here, so that --help loads no command module). */
  summary: string;
  load(): Promise<Command>;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, Entry>> = {
  init: {
    summary: 'Write a commented starter sso.yaml (asks on a terminal, flags otherwise)',
    load: async () => (await import('./commands/init.js')).initCommand,
  },
  plan: {
    summary: 'Show what apply would do, as a table (reads only)',
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  fleet: {
    summary: 'Plan many setups (accounts, regions) at once from a directory or a targets: YAML',
    load: async () => (await import('./commands/fleet.js')).fleetCommand,
  },
  apply: {
    summary: 'Create or update everything; stops at the one manual Okta step (exit 3)',
    load: async () => (await import('./commands/apply.js')).applyCommand,
  },
  doctor: {
    summary: 'Check every link of a live setup; each finding with its fix (exit 4 on failures)',
    load: async () => (await import('./commands/doctor.js')).doctorCommand,
  },
  sync: {
    summary: 'Keep the Connect users in line with Okta groups and apps (once, or --watch with event hooks)',
    load: async () => (await import('./commands/sync.js')).syncCommand,
  },
  'verify-saml': {
    summary: 'Verify a SAMLResponse captured from a browser, as AWS sign-in would',
    load: async () => (await import('./commands/verify-saml.js')).verifySamlCommand,
  },
  'rotate-cert': {
    summary: "Rotate the Okta apps' SAML signing certificates without downtime",
    load: async () => (await import('./commands/rotate-cert.js')).rotateCertCommand,
  },
  destroy: {
    summary: 'Delete what apply built for the stack, newest first (--plan to see it; the instance stays)',
    load: async () => (await import('./commands/destroy.js')).destroyCommand,
  },
  sandbox: {
    summary: 'Run the AWS + Okta sandbox on 127.0.0.1 and print its environment; sandbox admin …',
    load: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  },
  demo: {
    summary: 'Provision an example setup against an in-process sandbox, narrated',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
};

export { version } from './version.js';

/** The top-level help: the commands, the options every command has (from their spec), credentials, exit codes. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`);
  return `Usage: connect-okta-sso <command> [options]

Single Sign-On for Amazon Connect with Okta as the SAML identity provider.

Commands:
${lines.join('\n')}

Options for every command:
${optionLines(COMMON_OPTIONS).join('\n')}

Credentials come only from the environment, AWS profiles or stdin, never from a flag:
  Okta   OKTA_API_TOKEN, or OAuth: OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE [+ OKTA_SCOPES, OKTA_KEY_ID];
         --okta-token-stdin reads a token from stdin. OKTA_ORG_URL, when set, must match okta.orgUrl.
  AWS    --profile NAME, or the default credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID…, SSO…);
         AWS_ENDPOINT_URL points the clients at another endpoint (the sandbox).

${exitCodeText(TOP_EXIT_CODES)}

Start with: connect-okta-sso init, then plan and apply; sync keeps the users in line afterwards.
Run connect-okta-sso <command> --help for more.
`;
}

/** What each exit code means, for every command (each command's help says what it means there). */
const TOP_EXIT_CODES = {
  0: 'done',
  1: 'failed',
  2: 'invalid input or config, or AWS or Okta credentials missing or refused',
  3: 'manual action required',
  4: 'doctor found failures',
} as const;

/** Run the command line; returns the exit code. */
export async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const json = argv.includes('--json');
  const commandAt = argv.findIndex((a) => !a.startsWith('-'));
  const name = commandAt >= 0 ? argv[commandAt] : undefined;
  const leading = commandAt >= 0 ? argv.slice(0, commandAt) : [...argv];
  const rest = commandAt >= 0 ? [...leading, ...argv.slice(commandAt + 1)] : [];

  if (name === undefined || name === 'help') {
    const topic = name === 'help' ? argv[commandAt + 1] : undefined;
    if (topic !== undefined && topic in COMMANDS) {
      return (await (COMMANDS[topic] as Entry).load()).run(['--help', ...(json ? ['--json'] : [])], io);
    }
    if (leading.includes('-v') || leading.includes('--version')) {
      io.stdout.write(await versionText(json));
      return EXIT.ok;
    }
    const unknown = leading.find((a) => !['--json', '--debug', '-h', '--help'].includes(a));
    if (unknown !== undefined) return fail(io, json, `unknown option ${unknown}`);
    if (topic !== undefined) return fail(io, json, `unknown command '${topic}'`);
    io.stdout.write(json ? `${JSON.stringify({ command: 'help', help: usage() })}\n` : usage());
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) return fail(io, json, `unknown command '${name}'`);
  return (await entry.load()).run(rest, io);
}

function fail(io: Io, json: boolean, message: string): number {
  if (json) {
    io.stdout.write(
      `${JSON.stringify({
        command: 'help',
        exitCode: EXIT.usage,
        error: { code: 'USAGE', message, fix: 'Run connect-okta-sso --help for the commands.' },
      })}\n`,
    );
  } else {
    io.stderr.write(`connect-okta-sso: ${message}\n\n${usage()}`);
  }
  return EXIT.usage;
}
