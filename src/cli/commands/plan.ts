/**
 * `connect-okta-sso plan`: what `apply` would do, as a table. Reads only.
 */
import { CONNECTION_OPTIONS, flag, stringOption } from '../args.js';
import { defineCommand } from '../command.js';
import { buildContext, loadCliConfig, oktaAuth } from '../credentials.js';
import { causeLines, EXIT, explain, formatExplained } from '../errors.js';
import { loadLibrary } from '../lib.js';
import { errorSummary } from '../output.js';
import { commandLogger } from '../progress.js';

export const PLAN_HELP = `Usage: connect-okta-sso plan [--config sso.yaml] [options]

Read the AWS account and the Okta org and show what apply would do to every resource: create (+),
update (~), unchanged (=), manual (!: a step only a person can do in the Okta admin console) or
blocked (x: waits for another step, or cannot be done — the reason says which). Writes nothing.

Options:
  -c, --config FILE     The config file (YAML or JSON). Default: sso.yaml
      --profile NAME    AWS profile (default: AWS_ACCESS_KEY_ID/… or the default credential chain)
      --adopt           Plan to take over resources with our names that this stack did not create
      --okta-token-stdin
                        Read the Okta API token from stdin (typed without echo on a terminal)
      --json            Print the plan as one JSON document ({command, exitCode, plan})
      --debug           Show every call made, and the cause chain of an error
  -h, --help            Show this help

Credentials: OKTA_API_TOKEN, or OAuth with OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE [+ OKTA_SCOPES]
(preferred when both are set); AWS from --profile or the default credential chain; AWS_ENDPOINT_URL
points the AWS clients elsewhere (the sandbox). Never a flag.

Exit codes: 0 planned, 1 a read failed (the plan is shown, with what failed and the fix),
2 invalid config or credentials.
`;

export const planCommand = defineCommand(
  'plan',
  PLAN_HELP,
  { ...CONNECTION_OPTIONS, adopt: { type: 'boolean' } },
  async (run) => {
    const { out, parsed } = run;
    const path = stringOption(parsed.values, 'config') ?? 'sso.yaml';
    run.configPath = path;
    const loaded = await loadCliConfig(out, path);
    const okta = await oktaAuth(out, loaded, { tokenFromStdin: flag(parsed.values, 'okta-token-stdin') });
    const context = await buildContext(out, loaded.config, {
      profile: stringOption(parsed.values, 'profile'),
      okta,
      logger: commandLogger(out, run.debug),
    });
    const lib = await loadLibrary();
    // A read that failed leaves its resource "blocked" in the plan; the command then failed too.
    const failures: { id: string; resource: string; error: Error }[] = [];
    const plan = await lib.planConnectSso(loaded.config, {
      context,
      adopt: flag(parsed.values, 'adopt'),
      onEvent: (e) => {
        if (e.type === 'step-failed') failures.push({ id: e.id, resource: e.resource, error: e.error });
      },
      ...(out.io.signal ? { signal: out.io.signal } : {}),
    });
    const explained = failures.map((f) => ({ ...f, ...explain(f.error, path) }));
    const exitCode =
      explained.length === 0
        ? EXIT.ok
        : explained.every((x) => x.exitCode === EXIT.usage)
          ? EXIT.usage
          : EXIT.failure;
    if (run.json) {
      out.json({
        command: 'plan',
        exitCode,
        plan,
        errors: explained.map(({ id, resource, error, exitCode: _, ...x }) => ({
          id,
          ...x,
          resource,
          error: errorSummary(error),
        })),
      });
      return exitCode;
    }
    const c = loaded.config;
    out.print(
      `Plan for stack ${c.stack}: Connect instance ${c.instance.alias} in ${c.region}, Okta ${c.okta.orgUrl} (${c.roleMapping})`,
    );
    out.print('');
    out.print(lib.renderPlan(plan));
    const changes = plan.summary.create + plan.summary.update;
    out.print('');
    if (explained.length > 0) {
      for (const x of explained) {
        for (const line of formatExplained(x, `could not plan ${x.resource}`)) out.print(line);
        if (run.debug) for (const line of causeLines(x.error)) out.err(`  debug: ${line}`);
      }
      return exitCode;
    }
    out.print(
      changes > 0
        ? `Run connect-okta-sso apply --config ${path} to make these changes.`
        : plan.summary.manual > 0
          ? 'Nothing to create or update; a manual step is pending (see above). apply lists the clicks.'
          : 'Nothing to change.',
    );
    return EXIT.ok;
  },
);

export default planCommand;
