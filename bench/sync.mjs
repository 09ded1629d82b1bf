// syncUsers benchmarks (numbers, not pass/fail), against the sandbox through the real SDK clients:
// - the reads of a re-run over 10,000 synced users with nothing to change (goal ≤ 60 reads, 0 writes);
// - 1,000 new users under the sandbox's realistic rate limits (Connect user writes at 2/s), as a
//   fraction of the write limit's throughput (goal ≥ 90 %).
// Time runs faster for the sandbox and the library alike (one shared clock), so the 500 s the quota
// needs for 1,000 users take under a minute; the fraction is measured on that shared clock.
import { performance } from 'node:perf_hooks';
import { createContext, createSamlInstance, syncUsers, systemClock } from '../dist/index.js';
import { startSandbox } from '../dist/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function fastClock(speed) {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * speed,
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  };
}

/** A bucket for the set-up calls, so that even they stay inside Okta's realistic per-minute windows. */
function pacer(perSecond, clock) {
  let next = clock.now();
  return async () => {
    const now = clock.now();
    next = Math.max(next, now) + 1000 / perSecond;
    if (next - 1000 / perSecond > now) await clock.sleep(next - 1000 / perSecond - now);
  };
}

async function setUp({ users, clock, rateLimits, setupPerSecond }) {
  const sb = await startSandbox({ instanceCreationMs: 0, rateLimits, now: clock.now });
  const ctx = createContext({
    region: sb.aws.region,
    endpoint: sb.aws.endpoint,
    credentials: sb.aws.credentials,
    okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
    stack: 'bench-sync',
    clock,
    maxAttempts: 1,
  });
  await createSamlInstance(ctx, { alias: 'bench-sync', wait: { pollIntervalMs: 10 } });
  const okta = await ctx.okta();
  const call = async (method, path, body) => {
    const res = await okta.http.http(`${okta.baseUrl}${path}`, {
      method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  const group = await call('POST', '/api/v1/groups', { profile: { name: 'cc-agents' } });
  const pace = setupPerSecond ? pacer(setupPerSecond, clock) : async () => {};
  for (let i = 0; i < users; i++) {
    const user = sb.admin.createOktaUser({
      login: `agent${String(i).padStart(5, '0')}@acme.com`,
      firstName: 'Agent',
      lastName: String(i),
    });
    await pace();
    await call('PUT', `/api/v1/groups/${group.id}/users/${user.id}`);
  }
  const config = {
    stack: 'bench-sync',
    region: sb.aws.region,
    instance: { alias: 'bench-sync' },
    okta: { orgUrl: sb.okta.orgUrl },
    apps: [{ kind: 'ccp' }],
    users: { fromOkta: { groups: ['cc-agents'] } },
    mappings: [{ when: { attribute: { department: 'Sales' } }, connect: { securityProfiles: ['Agent'] } }],
  };
  return { sb, ctx, config };
}

console.log('syncUsers benchmarks\n');

// --- 1. A re-run over 10,000 users with nothing to change ---------------------------------------------
{
  const USERS = 10_000;
  const clock = fastClock(50);
  const t = performance.now();
  const { sb, ctx, config } = await setUp({ users: USERS, clock, rateLimits: 'off' });
  // The first sync creates them (quota lifted: the sandbox has no limits here, and this is set-up).
  const first = await syncUsers(config, {
    context: ctx,
    pace: { userWritesPerSecond: 500, searchesPerSecond: 100 },
  });
  if (first.counts.created !== USERS) throw new Error(`set-up created ${first.counts.created} of ${USERS}`);
  const setupS = (performance.now() - t) / 1000;
  sb.resetRequests();
  const t0 = performance.now();
  const again = await syncUsers(config, { context: ctx });
  const ms = performance.now() - t0;
  const log = sb.requests();
  const byOp = {};
  for (const r of log) byOp[r.operation] = (byOp[r.operation] ?? 0) + 1;
  console.log(
    `Re-run over ${USERS.toLocaleString('en')} synced users, nothing to change (set-up ${setupS.toFixed(0)} s)`,
  );
  console.log(`  reads ${again.calls.reads}, writes ${again.calls.writes}   (goal ≤ 60 reads, 0 writes)`);
  console.log(
    `  by operation: ${Object.entries(byOp)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `  unchanged ${again.counts.unchanged}, failed ${again.counts.failed}; ${(ms / 1000).toFixed(1)} s wall (the search is paced at 2/s on a 50× clock), process RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (sandbox included)`,
  );
  await sb.stop();
}

// --- 2. 1,000 new users against Connect's user-write quota ---------------------------------------------
{
  const USERS = 1000;
  const SPEED = 10;
  const clock = fastClock(SPEED);
  const { sb, ctx, config } = await setUp({
    users: USERS,
    clock,
    rateLimits: 'realistic',
    setupPerSecond: 8,
  });
  await clock.sleep(61_000); // a fresh Okta rate-limit window
  sb.resetRequests();
  const t0 = clock.now();
  const r0 = performance.now();
  const result = await syncUsers(config, { context: ctx });
  const elapsedS = (clock.now() - t0) / 1000;
  const failedCalls = sb.requests().filter((r) => r.status >= 300).length;
  // The quota's own burst (5) lets the first calls through at once: the best possible time.
  const idealS = (USERS - 5) / 2;
  console.log(
    `\n${USERS.toLocaleString('en')} new users under realistic limits (Connect user writes 2/s, burst 5)`,
  );
  console.log(
    `  ${result.counts.created} created in ${elapsedS.toFixed(1)} s of sandbox time (${((performance.now() - r0) / 1000).toFixed(1)} s wall on a ${SPEED}× clock)`,
  );
  console.log(`  throughput: ${((idealS / elapsedS) * 100).toFixed(1)} % of the write limit   (goal ≥ 90 %)`);
  console.log(
    `  failed calls ${failedCalls}, throttled ${result.calls.throttled}, reads ${result.calls.reads}, writes ${result.calls.writes}`,
  );
  await sb.stop();
}
