/**
 * `connect-okta-sso sync`: keep the Connect users in line with Okta (`syncUsers`), once, or with
 * `--watch` as a service: the Okta event hook endpoint plus a full reconcile every `--interval`.
 *
 * The command's logic is {@link runSync}, which takes already parsed options; the command defined from
 * {@link SYNC_SPEC} below only turns flags into them. Its help is rendered from the same spec.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OffboardPolicy, RenamePolicy, SyncUsersResult } from '../../index.js';
import { CONNECTION_OPTIONS, durationOption, flag, given, stringOption } from '../args.js';
import { type CommandRun, defineCommand } from '../command.js';
import { connect, loadRunConfig } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE, EXIT_USAGE_CREDENTIALS } from '../help.js';
import type { Output } from '../output.js';

/** The environment variable the event hook's Authorization value is read from (never a flag). */
export const HOOK_SECRET_ENV = 'OKTA_EVENT_HOOK_SECRET';

/** `sync`'s options, help and exit codes. */
export const SYNC_SPEC = {
  name: 'sync',
  usage: ['sync [--config sso.yaml] [options]'],
  description: [
    'Bring the Connect users in line with Okta: the people of users.fromOkta (members of the Okta groups, assignees of the apps) and users.list get a Connect user named exactly like their Okta app username, with the profiles the mappings give; changed names and profiles are updated; a Connect user this tool created whose Okta user left is offboarded by --offboard. Users it did not create are never offboarded.',
  ],
  options: {
    config: CONNECTION_OPTIONS.config,
    offboard: {
      type: 'string',
      value: 'POLICY',
      description:
        'none (report only), strip (replace the security profiles by the no-access profile) or delete.',
      defaultText: "the config's sync.offboard (none)",
    },
    renames: {
      type: 'string',
      value: 'POLICY',
      description:
        'report or recreate (a renamed Okta user gets a new Connect user, the old one is deleted).',
      defaultText: "the config's sync.renames (report)",
    },
    adopt: {
      type: 'boolean',
      description:
        'Tag Connect users with a synced username that this tool did not create as its own (they are then fully managed, and may be offboarded)',
    },
    'dry-run': { type: 'boolean', description: 'Read and show what would change; write nothing' },
    watch: {
      type: 'boolean',
      description:
        'Keep running: serve the Okta event hook (targeted reconciles of the users an event names) and run a full sync at start and every --interval',
    },
    listen: {
      type: 'string',
      value: 'ADDR',
      description: 'With --watch: where to serve the hook, host:port or :port (all interfaces).',
      default: '127.0.0.1:8080',
    },
    interval: {
      type: 'string',
      value: 'DUR',
      description: 'With --watch: time between full syncs (90s, 15m, 2h).',
      default: '15m',
    },
    profile: CONNECTION_OPTIONS.profile,
    'okta-token-stdin': { type: 'boolean', description: 'Read the Okta API token from stdin' },
  },
  common: {
    json: 'One JSON document on stdout ({command, exitCode, result}); progress on stderr',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [
    `The event hook secret (the Authorization value registered with the Okta event hook, 16+ characters) comes from ${HOOK_SECRET_ENV}, never from a flag, and is never printed.`,
    CREDENTIALS_NOTE,
  ],
  exitCodes: {
    0: 'done (reported cases included)',
    1: 'a user failed or the run failed',
    2: `${EXIT_USAGE_CREDENTIALS} (an unknown profile name in a mapping rule: nothing is written)`,
  },
} as const satisfies CommandSpec;

/** The options of a sync run, parsed. */
export interface SyncCommandOptions {
  /** The config file. */
  configPath: string;
  /** `--offboard`. */
  offboard?: OffboardPolicy | undefined;
  /** `--renames`. */
  renames?: RenamePolicy | undefined;
  /** `--adopt`. */
  adopt: boolean;
  /** `--dry-run`. */
  dryRun: boolean;
  /** `--profile`. */
  profile?: string | undefined;
  /** `--okta-token-stdin`. */
  tokenFromStdin: boolean;
  /** `--watch`: the listen address and the interval between full syncs. */
  watch?: { host: string; port: number; intervalMs: number } | undefined;
}

/** `host:port`, `:port` (all interfaces) or `port`. @throws {UsageError} */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw new UsageError(`--listen must be host:port or :port (e.g. :8080), got '${value}'`, '--listen');
  }
  const host = m[1] === undefined ? '127.0.0.1' : m[1] === '' ? '::' : m[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

const MARK: Record<SyncUsersResult['users'][number]['action'], string> = {
  created: '+',
  updated: '~',
  unchanged: '=',
  offboarded: '-',
  renamed: '»',
  reported: '!',
  failed: '✗',
};

function printResult(out: Output, result: SyncUsersResult): void {
  const verb = result.dryRun ? 'would be' : '';
  for (const u of result.users) {
    if (u.action === 'unchanged') continue;
    const rule = u.profiles?.rule ? ` (${u.profiles.rule})` : '';
    out.print(`${MARK[u.action]} ${u.username}  ${u.action}${rule}`);
    for (const change of u.changes) out.print(`    ${change}`);
    if (u.reason) out.print(`    ${u.reason}`);
    if (u.error) out.print(`    error: ${u.error.message}`);
  }
  const c = result.counts;
  out.print('');
  out.print(
    `${result.dryRun ? 'Dry run: ' : ''}${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.offboarded} offboarded (${result.policy.offboard}), ${c.renamed} renamed, ${c.reported} reported, ${c.failed} failed${verb ? ' (nothing written)' : ''}`,
  );
  out.print(
    `${result.calls.reads} reads, ${result.calls.writes} writes, ${result.calls.throttled} throttled`,
  );
}

/** Run `sync` with parsed options: the whole command but the flag parsing. Returns the exit code. */
export async function runSync(run: CommandRun, options: SyncCommandOptions): Promise<number> {
  const { out } = run;
  const secret = options.watch ? out.io.env[HOOK_SECRET_ENV]?.trim() : undefined;
  if (options.watch) {
    if (!secret) {
      throw new UsageError(
        `--watch serves the Okta event hook and needs its secret in ${HOOK_SECRET_ENV}`,
        HOOK_SECRET_ENV,
        `Export ${HOOK_SECRET_ENV} (the Authorization value you register with the event hook, 16 or more random characters).`,
      );
    }
    out.redactor.add(secret);
    if (options.dryRun) throw new UsageError('--dry-run cannot be combined with --watch', '--dry-run');
  }
  const loaded = await loadRunConfig(run, options.configPath);
  const { context, lib } = await connect(run, loaded, {
    profile: options.profile,
    tokenFromStdin: options.tokenFromStdin,
  });
  const syncOptions = {
    context,
    ...(options.offboard ? { offboard: options.offboard } : {}),
    ...(options.renames ? { renames: options.renames } : {}),
    adopt: options.adopt,
  };

  if (!options.watch) {
    const result = await lib.syncUsers(loaded.config, {
      ...syncOptions,
      dryRun: options.dryRun,
      ...(out.io.signal ? { signal: out.io.signal } : {}),
      onEvent: (event) => {
        if (event.type === 'planned' && !run.json) {
          out.err(`planned: ${event.toWrite} user(s) to write`);
        } else if (event.type === 'progress' && (event.done === event.total || event.done % 100 === 0)) {
          out.err(`  ${event.done}/${event.total} users written`);
        }
      },
    });
    const exitCode = result.counts.failed > 0 ? EXIT.failure : EXIT.ok;
    if (run.json) out.json({ command: 'sync', exitCode, result });
    else printResult(out, result);
    return exitCode;
  }

  // --watch: the hook endpoint, and a full sync now and every interval, until interrupted.
  const watch = options.watch;
  const totals = { fullSyncs: 0, batches: 0, failed: 0 };
  const handler = lib.createOktaEventHookHandler({
    secret: secret as string,
    config: loaded.config,
    ...syncOptions,
    onEvent: (event) => {
      if (event.type === 'full-sync' && event.result) {
        totals.fullSyncs++;
        const c = event.result.counts;
        out.err(
          `full sync: ${c.created} created, ${c.updated} updated, ${c.offboarded} offboarded, ${c.renamed} renamed, ${c.reported} reported, ${c.failed} failed (${event.result.calls.reads} reads, ${event.result.calls.writes} writes)`,
        );
      } else if (event.type === 'reconciled') {
        totals.batches++;
        out.err(
          `event batch: ${event.users} user(s) reconciled${event.retry ? `, ${event.retry} to retry` : ''}`,
        );
      } else if (event.type === 'failed') {
        totals.failed++;
        out.err(`${event.what} failed: ${event.error.message}`);
      } else if (event.type === 'rejected') {
        out.err(`hook request refused (${event.status}): ${event.reason}`);
      } else if (event.type === 'verification') {
        out.err('answered the Okta event hook verification');
      }
    },
  });
  const server: Server = createServer(lib.oktaEventHookListener(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(watch.port, watch.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  out.err(
    `listening for Okta event hooks on http://${shown}:${address.port}/ (full sync every ${watch.intervalMs / 60_000} min)`,
  );
  handler.requestFullSync();
  const timer = setInterval(() => handler.requestFullSync(), watch.intervalMs);
  await new Promise<void>((resolve) => {
    if (out.io.signal?.aborted) resolve();
    else out.io.signal?.addEventListener('abort', () => resolve(), { once: true });
    if (!out.io.signal) server.once('close', () => resolve());
  });
  clearInterval(timer);
  await new Promise((resolve) => server.close(resolve));
  await handler.close();
  const stats = handler.stats();
  out.err('stopped');
  if (run.json) out.json({ command: 'sync', exitCode: EXIT.ok, watch: { ...stats, ...totals } });
  else
    out.print(
      `Stopped: ${stats.deliveries} deliveries, ${stats.reconciled} users reconciled from events, ${stats.fullSyncs} full syncs.`,
    );
  return EXIT.ok;
}

function policy<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`, `--${name}`);
  }
  return value as T;
}

export const syncCommand = defineCommand(SYNC_SPEC, async (run) => {
  const v = run.parsed.values;
  const watch = flag(v, 'watch');
  for (const name of ['listen', 'interval']) {
    if (!watch && given(run.parsed, name)) {
      throw new UsageError(`--${name} is only used with --watch`, `--${name}`);
    }
  }
  const listen = parseListen(stringOption(v, 'listen') ?? '127.0.0.1:8080');
  return runSync(run, {
    configPath: stringOption(v, 'config') ?? 'sso.yaml',
    offboard: policy(stringOption(v, 'offboard'), ['none', 'strip', 'delete'] as const, 'offboard'),
    renames: policy(stringOption(v, 'renames'), ['report', 'recreate'] as const, 'renames'),
    adopt: flag(v, 'adopt'),
    dryRun: flag(v, 'dry-run'),
    profile: stringOption(v, 'profile'),
    tokenFromStdin: flag(v, 'okta-token-stdin'),
    watch: watch
      ? { ...listen, intervalMs: durationOption(v, 'interval', 24 * 3_600_000) ?? 15 * 60_000 }
      : undefined,
  });
});

/** `sync`'s help text (rendered from {@link SYNC_SPEC}). */
export const SYNC_HELP = syncCommand.help;

export default syncCommand;
