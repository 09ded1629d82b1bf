/**
 * The `connect-okta-sso` command line. Each command is a thin layer over the library.
 */
import { parseArgs } from 'node:util';

const USAGE = `Usage: connect-okta-sso <command> [options]

Commands:
  demo    Provision a complete example setup against an in-process sandbox and print each step
          (the same as npm run demo).
  sandbox [--port N] [--state-file F] [--region R] [--account-id ID] [--instance-creation-ms MS]
          Run the AWS + Okta sandbox on 127.0.0.1 and print the environment lines that point
          unmodified AWS SDK and Okta SDK code at it. Ctrl-C stops it.

Options:
  -h, --help     Show this help
  -v, --version  Show the version
`;

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

function fail(message: string): never {
  process.stderr.write(`connect-okta-sso: ${message}\n\n${USAGE}`);
  process.exit(EXIT.usage);
}

function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be an integer from ${min} to ${max}, got '${value}'`);
  return n;
}

async function sandboxCommand(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'state-file': { type: 'string' },
        region: { type: 'string' },
        'account-id': { type: 'string' },
        'instance-creation-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { startSandbox } = await import('../sandbox/index.js');
  const port = intOption('port', values.port as string | undefined, 0, 65535);
  const creation = intOption(
    'instance-creation-ms',
    values['instance-creation-ms'] as string | undefined,
    0,
    3_600_000,
  );
  let sb: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sb = await startSandbox({
      ...(port !== undefined ? { port } : {}),
      ...(creation !== undefined ? { instanceCreationMs: creation } : {}),
      ...(typeof values['state-file'] === 'string' ? { stateFile: values['state-file'] } : {}),
      ...(typeof values.region === 'string' ? { region: values.region } : {}),
      ...(typeof values['account-id'] === 'string' ? { accountId: values['account-id'] } : {}),
    });
  } catch (error) {
    process.stderr.write(`connect-okta-sso: cannot start the sandbox: ${(error as Error).message}\n`);
    process.exit(EXIT.failure);
  }
  const lines = [
    `AWS_ENDPOINT_URL=${sb.aws.endpoint}`,
    `AWS_REGION=${sb.aws.region}`,
    `AWS_ACCESS_KEY_ID=${sb.aws.credentials.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${sb.aws.credentials.secretAccessKey}`,
    `OKTA_ORG_URL=${sb.okta.orgUrl}`,
    `OKTA_API_TOKEN=${sb.okta.token}`,
    // The Okta SDK reads these two by itself when a Client is built without options.
    `OKTA_CLIENT_ORGURL=${sb.okta.orgUrl}`,
    `OKTA_CLIENT_TOKEN=${sb.okta.token}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stderr.write(
    `Sandbox listening on ${sb.url} (AWS IAM, Amazon Connect, Okta).` +
      (values['state-file'] ? ` State is kept in ${values['state-file']}.` : ' State is in memory.') +
      ' These are sandbox-only credentials. Press Ctrl-C to stop.\n',
  );
  const stop = async () => {
    await sb.stop();
    process.exit(EXIT.ok);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return;
    case '-v':
    case '--version':
      process.stdout.write(`${PACKAGE_VERSION}\n`);
      return;
    case 'sandbox':
      return sandboxCommand(rest);
    case 'demo':
      // The demo is its own entry point beside the CLI (dist/demo.js); importing it runs it.
      await import('../demo.js');
      return;
    default:
      fail(`unknown command '${command}'`);
  }
}

declare const PACKAGE_VERSION: string;

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`connect-okta-sso: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(EXIT.failure);
});
