/**
 * What every command shares: parsing with the common options, `--help` and `--version`, turning a
 * thrown error into its exit code and message (or JSON document), and redaction of everything written.
 *
 * A command is defined from one {@link CommandSpec}: its options are parsed from it and its `--help` is
 * rendered from it, so the two cannot disagree.
 */
import type { ResolvedConfig } from '../index.js';
import { COMMON_OPTIONS, checkSpec, flag, type Parsed, type ParseOptions, parse } from './args.js';
import {
  causeLines,
  causeSummaries,
  EXIT,
  type ExitCode,
  type ExplainContext,
  type Explained,
  explain,
  formatExplained,
} from './errors.js';
import { type CommandSpec, renderHelp } from './help.js';
import { type Io, Output, Redactor } from './output.js';
import { releaseStdin } from './prompt.js';
import { versionText } from './version.js';

/** A command module: its help text and its run function. */
export interface Command {
  readonly name: string;
  readonly help: string;
  /** The spec its options are parsed with and its help rendered from (absent for a router of subcommands). */
  readonly spec?: CommandSpec;
  run(argv: readonly string[], io: Io): Promise<number>;
}

export interface CommandRun {
  out: Output;
  parsed: Parsed;
  json: boolean;
  debug: boolean;
  /** Set by the command once it knows the config path, for fixes that name the file. */
  configPath?: string;
  /** Set by the command once the config is loaded, for fixes that name its region or Okta org. */
  config?: ResolvedConfig;
}

/** What fixes may name for this run: the config file, `AWS_ENDPOINT_URL`, the region, the Okta org. */
export function explainContext(run: CommandRun): ExplainContext {
  return {
    configPath: run.configPath,
    awsEndpoint: run.out.io.env.AWS_ENDPOINT_URL?.trim() || undefined,
    region: run.config?.region,
    oktaOrgUrl: run.config?.okta.orgUrl,
  };
}

/** Explain an error of this run (see {@link explain}). */
export function explainRun(run: CommandRun, error: unknown): Explained {
  return explain(error, explainContext(run));
}

type Body = (run: CommandRun) => Promise<number>;

/**
 * Define a command from its spec. `body` returns the exit code; whatever it throws is explained (exit
 * code, sentence, field or resource, fix; `--debug` adds the cause chain) on stderr, or as the JSON
 * document.
 */
export function defineCommand(spec: CommandSpec, body: Body): Command {
  const name = spec.name;
  const help = renderHelp(spec);
  const options: ParseOptions = { ...spec.options, ...COMMON_OPTIONS };
  const maxPositionals = spec.maxPositionals ?? 0;
  checkSpec(name, options);
  return {
    name,
    help,
    spec,
    async run(argv, io) {
      const json = argv.includes('--json');
      const debug = argv.includes('--debug');
      const out = new Output(io, new Redactor(io.env), json);
      const run: CommandRun = { out, parsed: { values: {}, positionals: [] }, json, debug };
      try {
        run.parsed = parse(argv, options, maxPositionals);
        if (flag(run.parsed.values, 'help')) {
          if (json) out.json({ command: name, help });
          else out.print(help);
          return EXIT.ok;
        }
        if (flag(run.parsed.values, 'version')) {
          io.stdout.write(await versionText(json));
          return EXIT.ok;
        }
        return await body(run);
      } catch (error) {
        return reportError(run, name, error);
      } finally {
        await releaseStdin(io.stdin).catch(() => undefined);
      }
    },
  };
}

/** Print an error (or its JSON document) and return its exit code. */
export function reportError(run: CommandRun, name: string, error: unknown): number {
  return reportExplained(run, name, explainRun(run, error), error);
}

/**
 * Print an explained error on stderr (`<prefix>: error: <sentence>`, its field, resource and fix) or,
 * with `--json`, as the command's JSON document; returns its exit code. `--debug` adds the cause chain
 * (to the text on stderr too, unless `textCauses` is false).
 */
export function reportExplained(
  run: CommandRun,
  name: string,
  x: Explained,
  error: unknown,
  { textCauses = true }: { textCauses?: boolean } = {},
): ExitCode {
  if (run.json) {
    run.out.json({
      command: name,
      exitCode: x.exitCode,
      error: {
        code: x.code,
        message: x.message,
        ...(x.field ? { field: x.field } : {}),
        ...(x.resource ? { resource: x.resource } : {}),
        ...(x.issues ? { issues: x.issues } : {}),
        ...(x.actions ? { actions: x.actions } : {}),
        fix: x.fix,
        ...(run.debug ? { causes: causeSummaries(error) } : {}),
      },
    });
  } else {
    for (const line of formatExplained(x, `connect-okta-sso ${name}: error`)) run.out.err(line);
    if (run.debug && textCauses) {
      run.out.err('debug: cause chain:');
      for (const line of causeLines(error)) run.out.err(`  ${line}`);
    }
  }
  return x.exitCode;
}
