/**
 * What every command shares: parsing with the common options, `--help`, turning a thrown error into
 * its exit code and message (or JSON document), and redaction of everything written.
 */
import { COMMON_OPTIONS, flag, type OptionSpec, type Parsed, parse } from './args.js';
import { causeLines, causeSummaries, EXIT, explain, formatExplained } from './errors.js';
import { type Io, Output, Redactor } from './output.js';
import { releaseStdin } from './prompt.js';

/** A command module: its help text and its run function. */
export interface Command {
  readonly name: string;
  readonly help: string;
  run(argv: readonly string[], io: Io): Promise<number>;
}

export interface CommandRun {
  out: Output;
  parsed: Parsed;
  json: boolean;
  debug: boolean;
  /** Set by the command once it knows the config path, for fixes that name the file. */
  configPath?: string;
}

/**
 * Define a command. `body` returns the exit code; whatever it throws is explained (exit code, sentence,
 * field or resource, fix; `--debug` adds the cause chain) on stderr, or as the JSON document.
 */
export function defineCommand(
  name: string,
  help: string,
  options: OptionSpec,
  body: (run: CommandRun) => Promise<number>,
  settings: { maxPositionals?: number } = {},
): Command {
  return {
    name,
    help,
    async run(argv, io) {
      const json = argv.includes('--json');
      const debug = argv.includes('--debug');
      const out = new Output(io, new Redactor(io.env), json);
      const run: CommandRun = { out, parsed: { values: {}, positionals: [] }, json, debug };
      try {
        run.parsed = parse(argv, { ...COMMON_OPTIONS, ...options }, settings.maxPositionals ?? 0);
        if (flag(run.parsed.values, 'help')) {
          if (json) out.json({ command: name, help });
          else out.print(help);
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
  const x = explain(error, run.configPath);
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
    if (run.debug) {
      run.out.err('debug: cause chain:');
      for (const line of causeLines(error)) run.out.err(`  ${line}`);
    }
  }
  return x.exitCode;
}
