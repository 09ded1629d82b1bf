/**
 * `planFleet`: `planConnectSso` over many setups — one per account and region — reported as one table
 * and one JSON document.
 *
 * The fleet shares one Okta org, so its Okta side is planned centrally: every target must name the same
 * org, its app labels must be unique across the fleet (one app per account and instance, group mapping
 * by default, as Okta advises for several AWS accounts), and every Okta call of every target goes
 * through one client with one rate limit. AWS calls go per target, with that target's own clients
 * (its account's credentials).
 */
import type { ConnectSsoConfig, ResolvedConfig } from '../../config/index.js';
import { validateConfig } from '../../config/index.js';
import { createContext, type OktaClientLike, type SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { planConnectSso } from '../provision/provision.js';
import type { ConnectSsoPlan, PlanAction } from '../provision/types.js';
import { reachedAccount } from './account.js';
import { withInstanceScopedNames } from './names.js';

/** One setup of a fleet. */
export interface FleetTarget {
  /** The target's name in the report (a file name, or `targets[].name`). */
  name: string;
  /** The setup's config. */
  config: ConnectSsoConfig;
  /**
   * The AWS account the target should be in: shown, and checked against the account its credentials
   * reach (its instance's ARN, else the context's `accountId`, else its IAM policies' ARNs); a
   * mismatch leaves the target not planned, with a `CONFIG_INVALID` error.
   */
  account?: string;
  /** The AWS profile of the target's account (used by the CLI's default contexts). */
  profile?: string;
}

/** Options of {@link planFleet}. */
export interface PlanFleetOptions {
  /**
   * The context of a target: its AWS clients (its account's credentials, its region). Its Okta client
   * is replaced by the fleet's shared one. Default: `createContext` from the config (the AWS default
   * credential chain).
   */
  contextFor?: (target: FleetTarget, config: ResolvedConfig) => SsoContext | Promise<SsoContext>;
  /** The fleet's one Okta client (an `@okta/okta-sdk-nodejs` `Client`, or your own). Default: the first target's context's. */
  okta?: () => Promise<OktaClientLike>;
  /** Okta requests per second over the whole fleet (one org's rate limits). Default 10. */
  oktaRequestsPerSecond?: number;
  /** How many targets are planned at once. Default 4. */
  concurrency?: number;
  /**
   * Fill unset app labels and IAM names with the instance alias (as the CloudFormation resource does),
   * and default `roleMapping` to `group-mapping`. Default true: one Okta org cannot hold two apps of the
   * same label for different accounts.
   */
  instanceScopedNames?: boolean;
  /** Called as each target starts and ends. */
  onTarget?: (event: { type: 'started' | 'finished'; name: string }) => void;
}

/** One target's part of a fleet plan. */
export interface FleetTargetPlan {
  /** The target's name. */
  name: string;
  /** The account, when given or known from the plan. */
  account: string | undefined;
  /** The target's region. */
  region: string;
  /** The Connect instance alias. */
  alias: string;
  /** The target's stack (ownership) name. */
  stack: string;
  /** The plan; undefined when the target could not be planned (see `error`). */
  plan: ConnectSsoPlan | undefined;
  /** Why the target could not be planned (a read failed: credentials, permissions). */
  error:
    | {
        /** What failed: the first failed read's resource and message, or the error that stopped the plan (never a secret). */
        message: string;
        /** The error's code (`PROVIDER_ERROR`, `CONFIG_INVALID`…). */
        code: string;
      }
    | undefined;
}

/** A fleet plan: every target's plan, and the Okta side planned centrally. */
export interface FleetPlan {
  /** The one Okta org of the fleet. */
  oktaOrgUrl: string;
  /** The Okta apps of the whole fleet, one per target and app kind. */
  oktaApps: {
    /** The target. */
    target: string;
    /** The app's kind. */
    kind: string;
    /** The app's label (unique across the fleet). */
    label: string;
    /** How its users get their role. */
    roleMapping: string;
  }[];
  /** Every target, in the order given. */
  targets: FleetTargetPlan[];
  /** Counts over the fleet: items by action, and targets that failed to plan. */
  summary: Record<PlanAction, number> & {
    /** Targets in all. */
    targets: number;
    /** Targets with something to create or update. */
    changing: number;
    /** Targets that could not be planned. */
    failed: number;
  };
}

type Resolved = { target: FleetTarget; config: ResolvedConfig };

/** Validate every target and the fleet as a whole, before any call. */
function resolveFleet(targets: readonly FleetTarget[], scoped: boolean): Resolved[] {
  const issues: { field: string; message: string }[] = [];
  const resolved: Resolved[] = [];
  const names = new Map<string, number>();
  targets.forEach((target, i) => {
    const at = `targets[${i}]`;
    if (typeof target.name !== 'string' || target.name === '')
      issues.push({ field: `${at}.name`, message: 'is required' });
    else if (names.has(target.name))
      issues.push({
        field: `${at}.name`,
        message: `'${target.name}' is also targets[${names.get(target.name)}]`,
      });
    else names.set(target.name, i);
    if (target.account !== undefined && !/^\d{12}$/.test(target.account)) {
      issues.push({ field: `${at}.account`, message: 'must be 12 digits' });
    }
    try {
      const config = validateConfig(scoped ? withInstanceScopedNames(target.config) : target.config, {
        requireOktaAuth: false,
      });
      resolved.push({ target, config });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues)
        issues.push({ field: `${at}.${issue.field}`, message: issue.message });
    }
  });
  const first = resolved[0];
  const aliases = new Map<string, string>();
  const labels = new Map<string, string>();
  for (const { target, config } of resolved) {
    const i = targets.indexOf(target);
    if (first && config.okta.orgUrl !== first.config.okta.orgUrl) {
      issues.push({
        field: `targets[${i}].okta.orgUrl`,
        message: `a fleet shares one Okta org: ${config.okta.orgUrl} is not ${first.config.okta.orgUrl} (targets[${targets.indexOf(first.target)}])`,
      });
    }
    const alias = config.instance.alias.toLowerCase();
    const holder = aliases.get(alias);
    if (holder) {
      issues.push({
        field: `targets[${i}].instance.alias`,
        message: `'${config.instance.alias}' is also ${holder}'s (aliases are global)`,
      });
    } else aliases.set(alias, target.name);
    config.apps.forEach((app, j) => {
      const other = labels.get(app.label.toLowerCase());
      if (other) {
        issues.push({
          field: `targets[${i}].apps[${j}].label`,
          message: `"${app.label}" is also an app of ${other}: one Okta org needs one app per account and instance`,
        });
      } else labels.set(app.label.toLowerCase(), target.name);
    });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  return resolved;
}

/** A token bucket: at most `perSecond` starts per second, bursts of up to one second's worth. */
function rateLimiter(perSecond: number, clock: SsoContext['clock']) {
  let tokens = perSecond;
  let last = clock.now();
  let queue = Promise.resolve();
  return (): Promise<void> => {
    const turn = queue.then(async () => {
      for (;;) {
        const now = clock.now();
        tokens = Math.min(perSecond, tokens + ((now - last) / 1000) * perSecond);
        last = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await clock.sleep(Math.ceil(((1 - tokens) / perSecond) * 1000));
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
}

/** Every request of this Okta client (typed API and raw transport alike) waits for the fleet's limiter. */
const limited = new WeakSet<object>();
function limitOktaClient(client: OktaClientLike, take: () => Promise<void>): OktaClientLike {
  const executor = (
    client as unknown as { http?: { requestExecutor?: { fetch: (r: unknown) => Promise<unknown> } } }
  ).http?.requestExecutor;
  if (executor && !limited.has(executor)) {
    limited.add(executor);
    const fetch = executor.fetch.bind(executor);
    executor.fetch = async (request: unknown) => {
      await take();
      return fetch(request);
    };
  }
  return client;
}

/**
 * Plan a fleet: for every target, what `apply` would change in its account, with the Okta side planned
 * centrally. Writes nothing. A target whose reads fail is reported with its error; the others are still
 * planned.
 * @throws {ConfigError} before any call: a target's invalid config (fields prefixed `targets[i].`),
 *   targets naming different Okta orgs, a duplicate alias, or an app label used by two targets.
 */
export async function planFleet(
  configs: readonly (FleetTarget | ConnectSsoConfig)[],
  options: PlanFleetOptions = {},
): Promise<FleetPlan> {
  const targets: FleetTarget[] = configs.map((c, i) =>
    'config' in c && typeof (c as FleetTarget).name === 'string'
      ? (c as FleetTarget)
      : {
          name: `${(c as ConnectSsoConfig).instance?.alias ?? `target-${i}`}`,
          config: c as ConnectSsoConfig,
        },
  );
  if (targets.length === 0) throw new ConfigError('targets', 'a fleet needs at least one target');
  const resolved = resolveFleet(targets, options.instanceScopedNames !== false);
  const contexts = new Map<string, SsoContext>();
  const contextOf = async ({ target, config }: Resolved): Promise<SsoContext> => {
    let ctx = contexts.get(target.name);
    if (!ctx) {
      ctx = options.contextFor
        ? await options.contextFor(target, config)
        : createContext({ region: config.region, stack: config.stack });
      contexts.set(target.name, ctx);
    }
    return ctx;
  };
  const firstContext = await contextOf(resolved[0] as Resolved);
  const take = rateLimiter(options.oktaRequestsPerSecond ?? 10, firstContext.clock);
  let shared: Promise<OktaClientLike> | undefined;
  const okta = () => {
    shared ??= (options.okta ?? (() => firstContext.okta()))().then((c) => limitOktaClient(c, take));
    return shared;
  };

  const plans: FleetTargetPlan[] = resolved.map(({ target, config }) => ({
    name: target.name,
    account: target.account,
    region: config.region,
    alias: config.instance.alias,
    stack: config.stack,
    plan: undefined,
    error: undefined,
  }));
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const entry = resolved[i];
      const out = plans[i];
      if (!entry || !out) return;
      options.onTarget?.({ type: 'started', name: entry.target.name });
      try {
        const base = await contextOf(entry);
        const context: SsoContext = { ...base, okta };
        // A read that fails does not throw: its step ends "blocked" in the plan (as `plan` reports it).
        // Such a plan is not this target's plan (refused credentials leave every item blocked): the
        // target is reported as not planned, with the first failure.
        const failures: { resource: string; error: Error }[] = [];
        const plan = await planConnectSso(entry.config, {
          context,
          onEvent: (event) => {
            if (event.type === 'step-failed') failures.push({ resource: event.resource, error: event.error });
          },
        });
        const first = failures[0];
        const reached =
          first === undefined && entry.target.account !== undefined
            ? await reachedAccount(context, entry.config.instance.alias)
            : undefined;
        if (reached && reached.accountId !== entry.target.account) {
          out.error = {
            message:
              `targets[${i}].account: the fleet file says ${entry.target.account}, but the credentials of "${entry.target.name}" ` +
              `reach account ${reached.accountId} (${reached.source}): check the target's profile or account. Not planned: ` +
              'applying it would change the other account.',
            code: 'CONFIG_INVALID',
          };
        } else if (first) {
          const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed read(s))` : '';
          out.error = {
            message: `${first.resource}: ${first.error.message}${more}`,
            code: (first.error as { code?: string }).code ?? 'ERROR',
          };
        } else {
          out.plan = plan;
        }
        out.account ??= base.accountId;
      } catch (error) {
        const e = error as { message?: string; code?: string };
        out.error = { message: e.message ?? String(error), code: e.code ?? 'ERROR' };
      }
      options.onTarget?.({ type: 'finished', name: entry.target.name });
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, resolved.length));
  await Promise.all(Array.from({ length: concurrency }, worker));

  const summary: FleetPlan['summary'] = {
    create: 0,
    update: 0,
    unchanged: 0,
    manual: 0,
    blocked: 0,
    targets: plans.length,
    changing: 0,
    failed: 0,
  };
  for (const p of plans) {
    if (!p.plan) {
      summary.failed++;
      continue;
    }
    for (const action of Object.keys(p.plan.summary) as PlanAction[])
      summary[action] += p.plan.summary[action];
    if (p.plan.summary.create + p.plan.summary.update > 0) summary.changing++;
  }
  return {
    oktaOrgUrl: (resolved[0] as Resolved).config.okta.orgUrl,
    oktaApps: resolved.flatMap(({ target, config }) =>
      config.apps.map((a) => ({
        target: target.name,
        kind: a.kind,
        label: a.label,
        roleMapping: config.roleMapping,
      })),
    ),
    targets: plans,
    summary,
  };
}

/**
 * The fleet plan as one table: a row per target with its counts and what changes, then the totals.
 */
export function renderFleetPlan(plan: FleetPlan): string {
  const rows = plan.targets.map((t) => {
    const s = t.plan?.summary;
    const changes = t.plan
      ? t.plan.items
          .filter((i) => i.action === 'create' || i.action === 'update' || i.action === 'manual')
          .map((i) => `${i.action === 'create' ? '+' : i.action === 'update' ? '~' : '!'} ${i.resource}`)
      : [];
    return [
      t.name,
      t.account ?? '-',
      t.region,
      t.alias,
      s ? String(s.create) : '-',
      s ? String(s.update) : '-',
      s ? String(s.unchanged) : '-',
      s ? String(s.manual) : '-',
      s ? String(s.blocked) : '-',
      t.error ? `error: ${t.error.message}` : changes.length === 0 ? 'no change' : changes.join('; '),
    ];
  });
  const header = ['target', 'account', 'region', 'alias', '+', '~', '=', '!', 'x', 'changes'];
  const widths = header.map((h, c) =>
    Math.max(h.length, ...rows.map((r) => (c === 9 ? 0 : (r[c] ?? '').length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const s = plan.summary;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${s.targets} target(s) on Okta ${plan.oktaOrgUrl}: ${s.changing} with changes, ${s.failed} not planned; ` +
      `${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s.manual} manual, ${s.blocked} blocked`,
  ].join('\n');
}
