/**
 * `connect-okta-sso apply`: plan and provision. Asks before changing anything on a terminal (unless
 * `--yes`) and refuses to run unattended without `--yes`; live progress on a terminal, log lines
 * elsewhere; stops with exit 3 at the manual checkpoint (or waits for it with `--wait`).
 *
 * The Okta access key's secret is never printed. It goes where the user says (`--secret-out FILE`,
 * `--secret-to-secrets-manager NAME`) or, by default, to a new 0600 file beside the config named like
 * the AWS console's download (`<user>_accessKeys.csv`): see the help text for why.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  ConnectSsoPlan,
  ProvisionOptions,
  ProvisionResult,
  ResolvedConfig,
  SecretSink,
} from '../../index.js';
import {
  CONNECTION_OPTIONS,
  durationOption,
  flag,
  given,
  intOption,
  OKTA_TOKEN_STDIN_WITH_YES,
  stringOption,
} from '../args.js';
import { type CommandRun, defineCommand, explainContext } from '../command.js';
import { connect, loadRunConfig, resolvePath } from '../credentials.js';
import {
  EXIT,
  type ExplainContext,
  exitCodeForErrors,
  explain,
  formatExplained,
  UsageError,
} from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE, EXIT_USAGE_CREDENTIALS } from '../help.js';
import { formatMs, type Output } from '../output.js';
import { createProgress } from '../progress.js';
import { confirm } from '../prompt.js';
import { resultDocument } from '../result-document.js';

/** `apply`'s options, help and exit codes. */
export const APPLY_SPEC = {
  name: 'apply',
  usage: [
    'apply [--config sso.yaml] [--yes] [--wait] [--secret-out FILE | --secret-to-secrets-manager NAME] [options]',
  ],
  description: [
    "Create or update everything the config describes, independent steps at once, then stop at the one step Okta has no API for (api-integration mode: enabling the app's API integration in the Okta admin console) with the exact clicks to do, and exit 3. Run apply again afterwards — or pass --wait — and it resumes from there. A run with nothing left to do makes no writes.",
  ],
  options: {
    config: CONNECTION_OPTIONS.config,
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'Do not ask for confirmation. Required when stdin is not a terminal.',
    },
    wait: {
      type: 'boolean',
      description: 'At the manual checkpoint, show the clicks and wait until they are done',
    },
    'wait-timeout': {
      type: 'string',
      value: 'D',
      description: 'How long --wait waits, e.g. 45m, 2h.',
      default: '30m',
    },
    'secret-out': {
      type: 'string',
      value: 'FILE',
      description:
        "Write a newly created Okta access key to FILE (new file, mode 0600, the CSV layout of the AWS console's download)",
    },
    'secret-to-secrets-manager': {
      type: 'string',
      value: 'NAME',
      description:
        'Store a newly created Okta access key in this new AWS Secrets Manager secret (needs the optional package @aws-sdk/client-secrets-manager)',
    },
    'kms-key-id': {
      type: 'string',
      value: 'ID',
      description: 'KMS key for --secret-to-secrets-manager.',
      defaultText: "the account's default key",
    },
    'rotate-access-key': {
      type: 'boolean',
      description: 'Make a new Okta access key and retire the old one (to recover a lost secret)',
    },
    adopt: {
      type: 'boolean',
      description: 'Take over resources with our names that this stack did not create',
    },
    concurrency: { type: 'string', value: 'N', description: 'Steps run at once, 1-16.', defaultText: '4' },
    profile: CONNECTION_OPTIONS.profile,
    'okta-token-stdin': OKTA_TOKEN_STDIN_WITH_YES,
  },
  common: {
    json: 'Print the result as one JSON document; progress goes to stderr',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [
    "Where the Okta access key's secret goes (api-integration mode, only on the run that creates the key): never to the terminal, a log or --json. Without --secret-out or --secret-to-secrets-manager it is written to a new file beside the config named like the AWS console's download, e.g. ./okta_cli_user_accessKeys.csv (mode 0600), because the next step is a person pasting it into the Okta admin console — the same hand-over the console flow uses — and refusing would only make every first run fail. An existing file is never overwritten: when a run would create a key and the file exists, apply refuses before changing anything. Delete the file once the key is entered in Okta.",
    CREDENTIALS_NOTE,
  ],
  exitCodes: {
    0: 'complete',
    1: 'failed or cancelled',
    2: EXIT_USAGE_CREDENTIALS,
    3: 'manual action required (the clicks are listed; run again after)',
  },
} as const satisfies CommandSpec;

/** Where the secret goes, and the default file when the user chose nothing. */
export function secretSinkFor(
  out: Output,
  values: CommandRun['parsed']['values'],
  config: ResolvedConfig,
  configPath: string,
): { sink: SecretSink; isDefault: boolean } {
  const file = stringOption(values, 'secret-out');
  const secretName = stringOption(values, 'secret-to-secrets-manager');
  const kmsKeyId = stringOption(values, 'kms-key-id');
  if (file !== undefined && secretName !== undefined) {
    throw new UsageError(
      '--secret-out and --secret-to-secrets-manager are alternatives: give one',
      '--secret-out',
      'Choose where the new Okta access key goes: a file, or a Secrets Manager secret.',
    );
  }
  if (kmsKeyId !== undefined && secretName === undefined) {
    throw new UsageError('--kms-key-id only applies with --secret-to-secrets-manager', '--kms-key-id');
  }
  if (file !== undefined) {
    if (file.trim() === '') throw new UsageError('--secret-out needs a file path', '--secret-out');
    return { sink: { kind: 'file', path: resolvePath(out, file) }, isDefault: false };
  }
  if (secretName !== undefined) {
    return {
      sink: { kind: 'secrets-manager', name: secretName, ...(kmsKeyId ? { kmsKeyId } : {}) },
      isDefault: false,
    };
  }
  return {
    sink: { kind: 'file', path: join(dirname(configPath), `${config.names.oktaApiUser}_accessKeys.csv`) },
    isDefault: true,
  };
}

/** Whether the plan creates an Okta access key (a new API user, or a key for an existing one). */
export function planCreatesAccessKey(plan: ConnectSsoPlan): boolean {
  return plan.items.some((i) => i.createsAccessKey === true);
}

/**
 * The exit code of a provisioning result: 0 complete, 3 manual action required, 2 when credentials were
 * missing or refused (or every error is invalid input), 1 otherwise.
 */
export function exitCodeOf(result: ProvisionResult, where?: string | ExplainContext): number {
  if (result.status === 'complete') return EXIT.ok;
  if (result.status === 'manual-action-required') return EXIT.manual;
  return exitCodeForErrors(result.errors, where) || EXIT.failure;
}

function printManual(out: Output, result: ProvisionResult, toStdout: boolean): void {
  const write = (line: string) => (toStdout ? out.print(line) : out.err(line));
  write('Manual action required — Okta has no API for this step. In the Okta admin console:');
  for (const m of result.manualActions) {
    write(`  ${m.resource}:`);
    for (const [i, a] of m.actions.entries())
      write(`    ${i + 1}. ${a.replace('(or pass wait: { timeoutMs })', '(or apply --wait)')}`);
  }
}

function printSummary(
  out: Output,
  result: ProvisionResult,
  where: ExplainContext & { configPath: string },
  secretFile: string | undefined,
  elapsedMs: number | undefined,
): void {
  const configPath = where.configPath;
  const status =
    result.status === 'complete'
      ? 'complete'
      : result.status === 'manual-action-required'
        ? 'manual action required'
        : 'failed';
  out.print('');
  out.print(
    `Status: ${status}${elapsedMs !== undefined ? ` in ${formatMs(elapsedMs)}` : ''}  (stack ${result.stack}; ${result.requests.reads} reads, ${result.requests.writes} writes)`,
  );
  const i = result.instance;
  out.print(
    `Connect instance ${i.alias}${i.instanceId ? ` (${i.instanceId})` : ''}: ${i.status ?? 'not created'}`,
  );
  for (const app of result.apps) {
    out.print(`Okta app "${app.label}"${app.appId ? ` (${app.appId})` : ''}`);
    if (app.signInUrl) out.print(`  sign-in link:  ${app.signInUrl}`);
    if (app.relayState) out.print(`  relay state:   ${app.relayState}`);
    if (app.roleArn) out.print(`  role:          ${app.roleArn}`);
    if (app.apiIntegration !== 'not-needed') out.print(`  API integration: ${app.apiIntegration}`);
  }
  const u = result.users;
  out.print(
    `Users: ${u.created} created, ${u.updated} updated, ${u.unchanged} unchanged, ${u.failed} failed, ${u.pending} pending`,
  );
  if (result.accessKey?.createdByThisRun) {
    out.print(
      `Okta access key ${result.accessKey.accessKeyId}: its secret was saved to ${result.accessKey.deliveredTo}.`,
    );
    if (secretFile)
      out.print(
        `  Enter it in Okta (below), then delete ${secretFile}: it is the only copy, and a secret on disk.`,
      );
  }
  if (result.status === 'manual-action-required') {
    out.print('');
    printManual(out, result, true);
    out.print('');
    out.print(`Then run: connect-okta-sso apply --config ${configPath}   (or add --wait to wait for it)`);
  }
  for (const e of result.errors) {
    out.print('');
    for (const line of formatExplained(explain(e.error, where), `failed: ${e.resource}`)) out.print(line);
  }
}

export const applyCommand = defineCommand(APPLY_SPEC, async (run) => {
  const { out, parsed } = run;
  const v = parsed.values;
  const yes = flag(v, 'yes');
  const interactive = out.io.stdin.isTTY === true && !yes;
  if (!yes && out.io.stdin.isTTY !== true) {
    throw new UsageError(
      'stdin is not a terminal, so apply cannot ask for confirmation before changing AWS and Okta',
      '--yes',
      'Pass --yes to apply without asking (run plan first to see what will change).',
    );
  }
  const waitMs = durationOption(v, 'wait-timeout', 24 * 3_600_000) ?? 30 * 60_000;
  if (given(parsed, 'wait-timeout') && !flag(v, 'wait'))
    throw new UsageError('--wait-timeout only applies with --wait', '--wait-timeout');
  const concurrency = intOption(v, 'concurrency', 1, 16);
  const path = stringOption(v, 'config') ?? 'sso.yaml';
  const loaded = await loadRunConfig(run, path);
  const { config } = loaded;
  const apiIntegration = config.roleMapping === 'api-integration';
  const { sink, isDefault } = secretSinkFor(out, v, config, loaded.absolutePath);
  if (!apiIntegration && !isDefault)
    out.err(
      'warning: roleMapping is group-mapping: no Okta access key is made, so the secret option is not used',
    );
  const rotate = flag(v, 'rotate-access-key');
  if (rotate && !apiIntegration)
    throw new UsageError('--rotate-access-key: group-mapping uses no access key', '--rotate-access-key');

  // The progress display's clock starts with the run's first event (not before the plan and the prompt).
  const progress = createProgress(out, { debug: run.debug });
  const { context, lib } = await connect(run, loaded, {
    profile: stringOption(v, 'profile'),
    tokenFromStdin: flag(v, 'okta-token-stdin'),
    logger: progress.logger,
  });
  const base: ProvisionOptions = {
    context,
    adopt: flag(v, 'adopt'),
    accessKey: rotate ? 'rotate' : 'if-missing',
    secretSink: sink,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(out.io.signal ? { signal: out.io.signal } : {}),
  };

  // Before any write: a key that would be created must have somewhere to go.
  const sinkFile = apiIntegration && sink.kind === 'file' ? sink.path : undefined;
  const fileTaken = sinkFile !== undefined && existsSync(sinkFile);
  let plan: ConnectSsoPlan | undefined;
  if (interactive || (fileTaken && !rotate)) plan = await lib.planConnectSso(config, base);
  const createsKey = apiIntegration && (rotate || (plan ? planCreatesAccessKey(plan) : false));
  if (fileTaken && createsKey) {
    throw new UsageError(
      `this run would create a new Okta access key, but ${sinkFile} already exists and is never overwritten`,
      isDefault ? sinkFile : '--secret-out',
      isDefault
        ? `Move ${sinkFile} away (or delete it if its key was entered in Okta), or choose another file with --secret-out FILE, or --secret-to-secrets-manager NAME.`
        : 'Choose a file that does not exist yet, or --secret-to-secrets-manager NAME.',
    );
  }

  if (interactive && plan) {
    const show = (line: string) => (run.json ? out.err(line) : out.print(line));
    show(lib.renderPlan(plan));
    const changes = plan.summary.create + plan.summary.update;
    if (changes > 0) {
      if (createsKey) show(`The new Okta access key's secret will be written to ${describe(sink)}.`);
      if (!(await confirm(out, `Apply ${changes} change(s) to stack ${config.stack}?`))) {
        out.err('Cancelled: nothing was changed.');
        if (run.json) out.json({ command: 'apply', exitCode: EXIT.failure, cancelled: true });
        return EXIT.failure;
      }
    }
  }

  // With --wait the library shows the clicks (a waiting-for-manual-action event) and waits in the same run.
  const wait = flag(v, 'wait') ? { wait: { timeoutMs: waitMs } } : {};
  const result = await lib.provisionConnectSso(config, {
    ...base,
    ...wait,
    onEvent: (e) => progress.onEvent(e),
  });
  progress.finish();
  const where = { ...explainContext(run), configPath: path };
  const exitCode = exitCodeOf(result, where);
  const secretFile = result.accessKey?.createdByThisRun && sink.kind === 'file' ? sink.path : undefined;
  if (run.json) {
    out.json({
      command: 'apply',
      exitCode,
      result: resultDocument(result, (error) => explain(error, where)),
      ...(secretFile ? { secretFile } : {}),
    });
  } else {
    printSummary(out, result, where, secretFile, progress.elapsedMs());
  }
  return exitCode;
});

/** `apply`'s help text (rendered from {@link APPLY_SPEC}). */
export const APPLY_HELP = applyCommand.help;

function describe(sink: SecretSink): string {
  return sink.kind === 'file'
    ? `${sink.path} (new file, mode 0600)`
    : sink.kind === 'secrets-manager'
      ? `the AWS Secrets Manager secret ${sink.name}`
      : 'the result';
}

export default applyCommand;
