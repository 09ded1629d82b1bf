/**
 * `connect-okta-sso plan`: what `apply` would do, as a table. Reads only.
 */
import type { ConnectSsoPlan, PlanItem } from '../../index.js';
import { CONNECTION_OPTIONS, flag, stringOption } from '../args.js';
import { defineCommand, explainContext } from '../command.js';
import { connect, loadRunConfig } from '../credentials.js';
import { causeLines, EXIT, exitCodeForErrors, explain, formatExplained } from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE, EXIT_USAGE_CREDENTIALS } from '../help.js';
import { errorSummary } from '../output.js';

/** `plan`'s options, help and exit codes. */
export const PLAN_SPEC = {
  name: 'plan',
  usage: ['plan [--config sso.yaml] [options]'],
  description: [
    'Read the AWS account and the Okta org and show what apply would do to every resource: create (+), update (~), unchanged (=), manual (!: a step only a person can do in the Okta admin console) or blocked (x: waits for another step, or cannot be done — the reason says which). Writes nothing.',
  ],
  options: {
    ...CONNECTION_OPTIONS,
    adopt: {
      type: 'boolean',
      description: 'Plan to take over resources with our names that this stack did not create',
    },
  },
  common: {
    json: 'Print the plan as one JSON document ({command, exitCode, plan, blocked, errors})',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [CREDENTIALS_NOTE],
  exitCodes: {
    0: 'planned (apply would not fail; a pending manual step is fine)',
    1: 'a read failed or a resource is blocked, so apply would fail (the plan is shown, with what and the fix)',
    2: EXIT_USAGE_CREDENTIALS,
  },
} as const satisfies CommandSpec;

/**
 * The plan's items that are blocked for a reason of their own — a resource that cannot be done, such
 * as a user Okta does not know — so that apply would fail on them. Not those that only wait behind a
 * manual step, nor those behind a read that failed (`failedIds`; reported as failures).
 */
export function blockedItems(plan: ConnectSsoPlan, failedIds: ReadonlySet<string>): PlanItem[] {
  const byId = new Map(plan.items.map((i) => [i.id, i]));
  // Items that did not run because something before them did not finish (manual, failed, or behind those).
  const behind = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const item of plan.items) {
      if (item.action !== 'blocked' || behind.has(item.id)) continue;
      const waits = item.dependsOn.some((d) => {
        const dep = byId.get(d);
        return failedIds.has(d) || behind.has(d) || dep?.action === 'manual';
      });
      if (waits) {
        behind.add(item.id);
        changed = true;
      }
    }
  }
  return plan.items.filter((i) => i.action === 'blocked' && !failedIds.has(i.id) && !behind.has(i.id));
}

export const planCommand = defineCommand(PLAN_SPEC, async (run) => {
  const { out, parsed } = run;
  const path = stringOption(parsed.values, 'config') ?? 'sso.yaml';
  const loaded = await loadRunConfig(run, path);
  const { context, lib } = await connect(run, loaded, {
    profile: stringOption(parsed.values, 'profile'),
    tokenFromStdin: flag(parsed.values, 'okta-token-stdin'),
  });
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
  const where = explainContext(run);
  const explained = failures.map((f) => ({ ...f, ...explain(f.error, where) }));
  const blocked = blockedItems(plan, new Set(failures.map((f) => f.id)));
  const exitCode =
    failures.length > 0 ? exitCodeForErrors(failures, where) : blocked.length > 0 ? EXIT.failure : EXIT.ok;
  if (run.json) {
    out.json({
      command: 'plan',
      exitCode,
      plan,
      blocked: blocked.map((i) => ({ id: i.id, resource: i.resource, reason: i.reason })),
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
  }
  if (blocked.length > 0) {
    out.print(`Blocked — apply would fail on ${blocked.length === 1 ? 'this' : `these ${blocked.length}`}:`);
    for (const i of blocked) out.print(`  x ${i.resource}: ${i.reason}`);
    out.print(
      `Fix ${blocked.length === 1 ? 'it' : 'them'} (the reason says how), then run connect-okta-sso plan --config ${path} again.`,
    );
  }
  if (explained.length > 0 || blocked.length > 0) return exitCode;
  out.print(
    changes > 0
      ? `Run connect-okta-sso apply --config ${path} to make these changes.`
      : plan.summary.manual > 0
        ? 'Nothing to create or update; a manual step is pending (see above). apply lists the clicks.'
        : 'Nothing to change.',
  );
  return EXIT.ok;
});

/** `plan`'s help text (rendered from {@link PLAN_SPEC}). */
export const PLAN_HELP = planCommand.help;

export default planCommand;
