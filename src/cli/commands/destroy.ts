/**
 * `connect-okta-sso destroy`: tear down what `apply` built for the config's stack, or (`--plan`) show
 * what would go and write nothing. Asks before deleting on a terminal (unless `--yes`) and refuses to
 * run unattended without `--yes`; with `--delete-instance` the instance alias must be typed, because an
 * instance holds contact data and its deletion counts against a 30-day quota.
 *
 * The flags are turned into {@link DestroyCommandOptions} by the command definition at the end; what
 * the command does with them is {@link runDestroy}, which knows nothing of argument parsing.
 */
import type { DestroyPlan } from '../../index.js';
import { CONNECTION_OPTIONS, flag, intOption, stringOption } from '../args.js';
import { type CommandRun, defineCommand, explainContext } from '../command.js';
import { connect, loadRunConfig } from '../credentials.js';
import {
  causeLines,
  EXIT,
  type ExplainContext,
  type Explained,
  exitCodeForErrors,
  explain,
  formatExplained,
  UsageError,
} from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE, EXIT_USAGE_CREDENTIALS } from '../help.js';
import { errorSummary, formatMs } from '../output.js';
import { ask, confirm } from '../prompt.js';
import { resultDocument } from '../result-document.js';

/** `destroy`'s options, help and exit codes. */
export const DESTROY_SPEC = {
  name: 'destroy',
  usage: ['destroy [--config sso.yaml] [--plan] [--yes] [--delete-instance] [options]'],
  description: [
    "Delete what apply built for the config's stack, newest first: the Connect users it created (each after the quick connects that name it), its Okta groups, its Okta apps (deactivated, then deleted, with their assignments), the IAM roles (policies detached first), the SAML providers, the Okta API user's access keys and the user, and the managed policies (old versions first).",
    "Only resources carrying this stack's ownership tags (Okta: the stack's marker) are deleted. A resource with one of the config's names that this stack did not create is never touched and is listed. The Connect instance is kept unless --delete-instance. Interrupted, run it again: it finishes the job; with nothing left it makes no change.",
  ],
  options: {
    config: CONNECTION_OPTIONS.config,
    plan: {
      type: 'boolean',
      description: 'Show what would be deleted, kept and left alone, and why; write nothing',
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description:
        'Do not ask for confirmation (nor for the alias with --delete-instance). Required when stdin is not a terminal.',
    },
    'delete-instance': {
      type: 'boolean',
      description:
        'Delete the Connect instance too, with everything in it: users, queues, flows and all contact data (recordings, transcripts, contact records). AWS allows 100 instance creations and deletions per account in 30 days.',
    },
    concurrency: { type: 'string', value: 'N', description: 'Steps run at once, 1-16.', defaultText: '4' },
    profile: CONNECTION_OPTIONS.profile,
    'okta-token-stdin': CONNECTION_OPTIONS['okta-token-stdin'],
  },
  common: {
    json: 'Print {command, exitCode, plan} or {command, exitCode, result} as one JSON document; progress goes to stderr',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [
    "The Okta access key's secret file that apply wrote (okta_cli_user_accessKeys.csv) and a Secrets Manager secret it stored are not deleted: the key they hold is deleted, so they are useless — remove them yourself.",
    CREDENTIALS_NOTE,
  ],
  exitCodes: {
    0: 'done (or planned)',
    1: 'a delete failed or was refused (what holds it and the fix are shown; run again once it is freed) or cancelled',
    2: EXIT_USAGE_CREDENTIALS,
  },
} as const satisfies CommandSpec;

/** What the command was asked to do, independent of how the flags were spelled. */
export interface DestroyCommandOptions {
  /** The config file, as the user gave it. */
  configPath: string;
  /** Only show the plan. */
  plan: boolean;
  /** Do not ask. */
  yes: boolean;
  /** Delete the Connect instance too. */
  deleteInstance: boolean;
  /** Steps at once. */
  concurrency: number | undefined;
  /** AWS profile. */
  profile: string | undefined;
  /** Read the Okta token from stdin. */
  oktaTokenStdin: boolean;
}

const DONE_WORD = {
  delete: 'deleted',
  keep: 'kept',
  foreign: 'left alone (not this stack’s)',
  absent: 'nothing to delete:',
  blocked: 'blocked',
} as const;

/** The fix of a refused delete is in its message; the generic conflict fix (adopt) does not apply. */
function explainForDestroy(error: Error, where: string | ExplainContext): Explained {
  const x = explain(error, where);
  if (x.code === 'RESOURCE_CONFLICT') {
    return {
      ...x,
      fix: 'Free the resource as the message says, then run connect-okta-sso destroy again: it resumes where it stopped.',
    };
  }
  return x;
}

function exitCodeOf(errors: readonly { error: Error }[], where: ExplainContext): number {
  return exitCodeForErrors(errors, where);
}

/** Run `destroy` with decoded options; returns the exit code. */
export async function runDestroy(run: CommandRun, options: DestroyCommandOptions): Promise<number> {
  const { out } = run;
  const path = options.configPath;
  run.configPath = path;
  const interactive = !options.plan && !options.yes;
  if (interactive && out.io.stdin.isTTY !== true) {
    throw new UsageError(
      'stdin is not a terminal, so destroy cannot ask for confirmation before deleting',
      '--yes',
      'Pass --yes to delete without asking (run destroy --plan first to see what goes).',
    );
  }
  const loaded = await loadRunConfig(run, path);
  const { config } = loaded;
  const where = explainContext(run);
  const { context, lib } = await connect(run, loaded, {
    profile: options.profile,
    tokenFromStdin: options.oktaTokenStdin,
  });
  const base = {
    context,
    deleteInstance: options.deleteInstance,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(out.io.signal ? { signal: out.io.signal } : {}),
  };
  const show = (line: string) => (run.json ? out.err(line) : out.print(line));

  let plan: DestroyPlan | undefined;
  if (options.plan || interactive) {
    const failures: { id: string; resource: string; error: Error }[] = [];
    plan = await lib.planDestroy(config, {
      ...base,
      onEvent: (e) => {
        if (e.type === 'step-failed') failures.push({ id: e.id, resource: e.resource, error: e.error });
      },
    });
    if (options.plan) {
      const exitCode = exitCodeOf(failures, where);
      if (run.json) {
        out.json({
          command: 'destroy',
          exitCode,
          plan,
          errors: failures.map((f) => {
            const { exitCode: _, ...x } = explainForDestroy(f.error, where);
            return { id: f.id, ...x, resource: f.resource, error: errorSummary(f.error) };
          }),
        });
        return exitCode;
      }
      out.print(
        `Teardown plan for stack ${config.stack}: Connect instance ${config.instance.alias} in ${config.region}, Okta ${config.okta.orgUrl}`,
      );
      out.print('');
      out.print(lib.renderDestroyPlan(plan));
      out.print('');
      for (const f of failures) {
        for (const line of formatExplained(explainForDestroy(f.error, where), `could not plan ${f.resource}`))
          out.print(line);
        if (run.debug) for (const line of causeLines(f.error)) out.err(`  debug: ${line}`);
      }
      if (failures.length === 0) {
        out.print(
          plan.summary.delete > 0
            ? `Run connect-okta-sso destroy --config ${path}${options.deleteInstance ? ' --delete-instance' : ''} to delete these.`
            : 'Nothing to delete.',
        );
      }
      return exitCode;
    }
  }

  const deletesInstance = options.deleteInstance;
  if (interactive && plan) {
    show(lib.renderDestroyPlan(plan));
    const count = plan.summary.delete;
    if (count === 0) {
      show('Nothing to delete.');
      if (run.json) out.json({ command: 'destroy', exitCode: EXIT.ok, plan });
      return EXIT.ok;
    }
    const instanceGoes = plan.items.some((i) => i.kind === 'connect-instance' && i.action === 'delete');
    // Deleting the instance needs its alias typed: that is the confirmation.
    const confirmed = instanceGoes
      ? await (async () => {
          out.err(`warning: ${lib.INSTANCE_DELETE_WARNING}`);
          const typed = await ask(
            out,
            `Type the instance alias (${config.instance.alias}) to delete it and ${count - 1} other resource(s) of stack ${config.stack}`,
          );
          if (typed === config.instance.alias) return true;
          out.err(`'${typed}' is not the instance alias.`);
          return false;
        })()
      : await confirm(out, `Delete ${count} resource(s) of stack ${config.stack}?`);
    if (!confirmed) {
      out.err('Cancelled: nothing was deleted.');
      if (run.json) out.json({ command: 'destroy', exitCode: EXIT.failure, cancelled: true });
      return EXIT.failure;
    }
  } else if (deletesInstance) {
    out.err(`warning: --delete-instance: ${lib.INSTANCE_DELETE_WARNING}`);
  }

  const result = await lib.destroyConnectSso(config, {
    ...base,
    onEvent: (e) => {
      if (e.type === 'step-finished' && e.action !== 'absent') {
        out.err(`${DONE_WORD[e.action]} ${e.resource} (${formatMs(e.ms)})`);
      } else if (e.type === 'step-failed') {
        out.err(`failed ${e.resource}: ${e.error.message}`);
      }
    },
  });
  const exitCode = result.status === 'complete' ? EXIT.ok : exitCodeOf(result.errors, where) || EXIT.failure;
  if (run.json) {
    out.json({
      command: 'destroy',
      exitCode,
      result: resultDocument(result, (error) => explainForDestroy(error, where)),
    });
    return exitCode;
  }
  out.print(lib.renderDestroyResult(result));
  for (const e of result.errors) {
    out.print('');
    for (const line of formatExplained(explainForDestroy(e.error, where), `failed: ${e.resource}`))
      out.print(line);
    if (run.debug) for (const line of causeLines(e.error)) out.err(`  debug: ${line}`);
  }
  if (result.status === 'complete' && result.kept.some((k) => k.kind === 'connect-instance')) {
    out.print('');
    out.print(
      `The Connect instance ${config.instance.alias} was kept (it holds contact data); add --delete-instance to delete it too.`,
    );
  }
  return exitCode;
}

export const destroyCommand = defineCommand(DESTROY_SPEC, (run) => {
  const v = run.parsed.values;
  return runDestroy(run, {
    configPath: stringOption(v, 'config') ?? 'sso.yaml',
    plan: flag(v, 'plan'),
    yes: flag(v, 'yes'),
    deleteInstance: flag(v, 'delete-instance'),
    concurrency: intOption(v, 'concurrency', 1, 16),
    profile: stringOption(v, 'profile'),
    oktaTokenStdin: flag(v, 'okta-token-stdin'),
  });
});

/** `destroy`'s help text (rendered from {@link DESTROY_SPEC}). */
export const DESTROY_HELP = destroyCommand.help;

export default destroyCommand;
