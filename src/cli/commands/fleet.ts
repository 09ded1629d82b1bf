/**
 * `connect-okta-sso fleet`: `plan` over many setups — a directory of configs or a YAML with `targets:` —
 * as one table (or one JSON document). Reads only.
 *
 * A command of its own rather than `plan --fleet`: its input (many configs, one per account), its
 * credentials (one AWS profile per target) and its output (one row per target, a fleet document) are
 * not `plan`'s, and `plan --json` keeps its one-setup shape. The logic is the library's `loadFleet` and
 * `planFleet`; this file only parses arguments and prints.
 */
import { flag, stringOption } from '../args.js';
import { defineCommand } from '../command.js';
import { buildContext, oktaAuth } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE } from '../help.js';
import { loadLibrary } from '../lib.js';
import { commandLogger } from '../progress.js';

/** `fleet`'s options, help and exit codes. */
export const FLEET_SPEC = {
  name: 'fleet',
  usage: ['fleet <directory | fleet.yaml> [options]'],
  description: [
    "Plan many setups at once — one per AWS account and region — from a directory of config files (one target per file) or one YAML/JSON file with targets: (and defaults: merged into each). Shows one row per target with what apply would create (+), update (~), leave (=), need by hand (!) or be blocked on (x), then the fleet's totals. Writes nothing.",
    "The Okta side is planned centrally: every target must use the same Okta org, app labels must be unique across the fleet (unset labels and IAM names get the instance alias, and roleMapping defaults to group-mapping, as the CloudFormation resource does), and all Okta calls share one client and one rate limit. AWS calls use each target's own credentials: its profile: (else --profile, else the default chain).",
  ],
  options: {
    profile: { type: 'string', value: 'NAME', description: 'AWS profile for targets that name none' },
    concurrency: { type: 'string', value: 'N', description: 'Targets planned at once.', defaultText: '4' },
    'okta-rps': {
      type: 'string',
      value: 'N',
      description: 'Okta requests per second over the whole fleet.',
      defaultText: '10',
    },
    'okta-token-stdin': { type: 'boolean', description: 'Read the Okta API token from stdin' },
  },
  common: {
    json: 'Print the fleet plan as one JSON document ({command, exitCode, fleet})',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [CREDENTIALS_NOTE],
  exitCodes: {
    0: 'planned',
    1: "a target could not be planned (its row says why: a read failed, or its account's credentials were refused; the other targets are planned)",
    2: 'invalid input or config, or no Okta credentials',
  },
  maxPositionals: 1,
} as const satisfies CommandSpec;

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      `--${name} must be a positive integer (got ${value})`,
      `--${name}`,
      `Pass e.g. --${name} 4.`,
    );
  }
  return n;
}

export const fleetCommand = defineCommand(FLEET_SPEC, async (run) => {
  const { out, parsed } = run;
  const path = parsed.positionals[0];
  if (path === undefined) {
    out.err('connect-okta-sso fleet: give a directory of configs or a YAML file with targets:');
    out.err('');
    out.err(fleetCommand.help);
    return EXIT.usage;
  }
  run.configPath = path;
  const lib = await loadLibrary();
  const { resolve } = await import('node:path');
  const targets = await lib.loadFleet(resolve(out.io.cwd, path));
  const scoped = targets.map((t) => lib.withInstanceScopedNames(t.config));
  const first = lib.validateConfig(scoped[0], { env: out.io.env, requireOktaAuth: false });
  const okta = await oktaAuth(
    out,
    { path, absolutePath: resolve(out.io.cwd, path), config: first },
    { tokenFromStdin: flag(parsed.values, 'okta-token-stdin') },
  );
  const logger = commandLogger(out, run.debug);
  const defaultProfile = stringOption(parsed.values, 'profile');
  const concurrency = positiveInt(stringOption(parsed.values, 'concurrency'), 'concurrency');
  const rps = positiveInt(stringOption(parsed.values, 'okta-rps'), 'okta-rps');
  const fleet = await lib.planFleet(targets, {
    contextFor: (target, config) =>
      buildContext(out, config, { profile: target.profile ?? defaultProfile, okta, logger }),
    ...(concurrency ? { concurrency } : {}),
    ...(rps ? { oktaRequestsPerSecond: rps } : {}),
    onTarget: (e) => {
      if (e.type === 'finished') out.err(`planned ${e.name}`);
    },
  });
  const exitCode = fleet.summary.failed > 0 ? EXIT.failure : EXIT.ok;
  if (run.json) {
    out.json({ command: 'fleet', exitCode, fleet });
    return exitCode;
  }
  out.print(lib.renderFleetPlan(fleet));
  return exitCode;
});

/** `fleet`'s help text (rendered from {@link FLEET_SPEC}). */
export const FLEET_HELP = fleetCommand.help;

export default fleetCommand;
