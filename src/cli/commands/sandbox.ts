/**
 * `connect-okta-sso sandbox`: the AWS + Okta sandbox on 127.0.0.1 until Ctrl-C, printing the
 * environment lines that point unmodified AWS SDK and Okta SDK code at it — and those of its admin API,
 * which `connect-okta-sso sandbox admin …` (./sandbox-admin.ts) talks to from another terminal.
 */
import { intOption, stringOption } from '../args.js';
import { type Command, defineCommand } from '../command.js';
import { EXIT } from '../errors.js';
import type { CommandSpec } from '../help.js';
import { loadSandbox } from '../lib.js';
import type { Io } from '../output.js';

/** `sandbox`'s options, help and exit codes. */
export const SANDBOX_SPEC = {
  name: 'sandbox',
  usage: [
    'sandbox [--port N] [--state-file F] [--region R] [--account-id ID] [--instance-creation-ms MS]',
    'sandbox admin <add-user|activate-user|enable-api-integration|login|state> …',
  ],
  description: [
    'Run the AWS + Okta sandbox (AWS IAM, Amazon Connect, the Okta Management API) on 127.0.0.1 and print the environment lines that point unmodified AWS SDK and Okta SDK code — and this CLI — at it:',
    '  connect-okta-sso sandbox --port 4566 > sandbox.env      # terminal 1: serves until Ctrl-C\n  set -a; . ./sandbox.env; set +a                          # terminal 2: then plan, apply, doctor…',
    "The last two lines, CONNECT_OKTA_SSO_SANDBOX_URL and CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN, are for connect-okta-sso sandbox admin, which does what the consoles do: add Okta users, the Okta app's API integration (the manual step apply stops at), simulated sign-ins, and a look at the state. See connect-okta-sso sandbox admin --help.",
    'Ctrl-C stops it. The credentials it prints are sandbox-only.',
  ],
  options: {
    port: { type: 'string', value: 'N', description: 'TCP port on 127.0.0.1.', defaultText: 'a free one' },
    'state-file': {
      type: 'string',
      value: 'F',
      description: "Keep the sandbox's state in F across restarts.",
      defaultText: 'in memory',
    },
    region: { type: 'string', value: 'R', description: 'The region it hands out.', defaultText: 'us-east-1' },
    'account-id': {
      type: 'string',
      value: 'ID',
      description: 'The emulated 12-digit AWS account.',
      defaultText: '123456789012',
    },
    'instance-creation-ms': {
      type: 'string',
      value: 'MS',
      description: 'How long a new Connect instance stays CREATION_IN_PROGRESS.',
      defaultText: '1500',
    },
  },
  common: { json: 'Print {command, url, env} as one JSON document instead of the lines' },
  exitCodes: { 0: 'stopped (Ctrl-C)', 1: 'the sandbox could not start', 2: 'invalid input' },
} as const satisfies CommandSpec;

const serveCommand = defineCommand(SANDBOX_SPEC, async (run) => {
  const { out, parsed } = run;
  const v = parsed.values;
  const port = intOption(v, 'port', 0, 65535);
  const creation = intOption(v, 'instance-creation-ms', 0, 3_600_000);
  const stateFile = stringOption(v, 'state-file');
  const region = stringOption(v, 'region');
  const accountId = stringOption(v, 'account-id');
  const { startSandbox } = await loadSandbox();
  let sb: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sb = await startSandbox({
      ...(port !== undefined ? { port } : {}),
      ...(creation !== undefined ? { instanceCreationMs: creation } : {}),
      ...(stateFile !== undefined ? { stateFile } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(accountId !== undefined ? { accountId } : {}),
    });
  } catch (error) {
    throw Object.assign(
      new Error(`cannot start the sandbox: ${(error as Error).message}`, { cause: error }),
      {
        code: 'SANDBOX_FAILED',
      },
    );
  }
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: sb.aws.endpoint,
    AWS_REGION: sb.aws.region,
    AWS_ACCESS_KEY_ID: sb.aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.aws.credentials.secretAccessKey,
    OKTA_ORG_URL: sb.okta.orgUrl,
    OKTA_API_TOKEN: sb.okta.token,
    // The Okta SDK reads these two by itself when a Client is built without options.
    OKTA_CLIENT_ORGURL: sb.okta.orgUrl,
    OKTA_CLIENT_TOKEN: sb.okta.token,
    // For connect-okta-sso sandbox admin: the admin API's own token, no AWS or Okta credential.
    CONNECT_OKTA_SSO_SANDBOX_URL: sb.url,
    CONNECT_OKTA_SSO_SANDBOX_ADMIN_TOKEN: sb.adminApi.token,
  };
  // These are the sandbox's own credentials, printed on purpose: write them past the redactor.
  if (run.json) out.io.stdout.write(`${JSON.stringify({ command: 'sandbox', url: sb.url, env })}\n`);
  else
    out.io.stdout.write(
      `${Object.entries(env)
        .map(([k, val]) => `${k}=${val}`)
        .join('\n')}\n`,
    );
  out.err(
    `Sandbox listening on ${sb.url} (AWS IAM, Amazon Connect, Okta).` +
      (stateFile ? ` State is kept in ${stateFile}.` : ' State is in memory.') +
      ' These are sandbox-only credentials. Press Ctrl-C to stop.',
  );
  await new Promise<void>((resolve) => {
    const signal = out.io.signal;
    if (!signal) return; // runs until the process is killed
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sb.stop();
  return EXIT.ok;
});

/** `sandbox`'s help text (rendered from {@link SANDBOX_SPEC}). */
export const SANDBOX_HELP = serveCommand.help;

/** `sandbox`, or `sandbox admin …` when its first argument is `admin` (loaded only then). */
export const sandboxCommand: Command = {
  name: 'sandbox',
  help: SANDBOX_HELP,
  spec: SANDBOX_SPEC,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const at = argv.findIndex((a) => !a.startsWith('-'));
    if (at >= 0 && argv[at] === 'admin') {
      const { sandboxAdminCommand } = await import('./sandbox-admin.js');
      return sandboxAdminCommand.run([...argv.slice(0, at), ...argv.slice(at + 1)], io);
    }
    return serveCommand.run(argv, io);
  },
};

export default sandboxCommand;
