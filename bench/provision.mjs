// Provisioning benchmarks (numbers, not pass/fail), against the sandbox with 50 ms latency per call:
// - wall time of a fresh run vs its critical-path lower bound (the longest chain of dependent calls ×
//   latency + instance creation), and their ratio;
// - the calls and writes of a re-run;
// - bulk assignment of 1,000 users under realistic rate limits, as a fraction of the limit's throughput.
import { performance } from 'node:perf_hooks';
import { createContext, provisionConnectSso, systemClock } from '../dist/index.js';
import { startSandbox } from '../dist/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LATENCY_MS = 50;
const CREATION_MS = 3000;

function baseConfig(sb, users) {
  return {
    stack: 'bench',
    region: sb.aws.region,
    instance: { alias: 'bench-cc' },
    okta: { orgUrl: sb.okta.orgUrl },
    roleMapping: 'group-mapping',
    apps: [{ kind: 'admin' }, { kind: 'ccp' }],
    users,
  };
}

function contextFor(sb, extra = {}) {
  return createContext({
    region: sb.aws.region,
    endpoint: sb.aws.endpoint,
    credentials: sb.aws.credentials,
    okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
    stack: 'bench',
    maxAttempts: 8,
    ...extra,
  });
}

/** Per-task call counts (concurrency 1: calls cannot interleave) and the task graph's edges. */
async function callsPerTask(users) {
  const sb = await startSandbox({ instanceCreationMs: 0 });
  for (const u of users) sb.admin.createOktaUser({ login: u.login, firstName: 'B', lastName: 'User' });
  let current;
  const calls = new Map();
  const deps = new Map();
  const base = contextFor(sb);
  const ctx = { ...base, onCall: () => calls.set(current, (calls.get(current) ?? 0) + 1) };
  const result = await provisionConnectSso(baseConfig(sb, users), {
    context: ctx,
    concurrency: 1,
    onEvent: (e) => {
      if (e.type === 'step-started') current = e.id;
    },
  });
  const plan = await import('../dist/index.js').then((m) =>
    m.planConnectSso(baseConfig(sb, users), { context: base }),
  );
  for (const item of plan.items) deps.set(item.id, item.dependsOn);
  await sb.stop();
  if (result.status !== 'complete') throw new Error(`sequential run ended ${result.status}`);
  return { calls, deps };
}

function criticalPath(calls, deps) {
  const memo = new Map();
  const cost = (id) => {
    if (memo.has(id)) return memo.get(id);
    let own = (calls.get(id) ?? 0) * LATENCY_MS;
    if (id === 'instance-active') own += CREATION_MS;
    const before = Math.max(0, ...(deps.get(id) ?? []).map(cost));
    memo.set(id, before + own);
    return before + own;
  };
  let worst = { id: '', ms: 0 };
  for (const id of deps.keys()) if (cost(id) > worst.ms) worst = { id, ms: cost(id) };
  return worst;
}

const users = Array.from({ length: 6 }, (_, i) => ({
  login: `user${i}@acme.com`,
  app: i % 2 ? 'ccp' : 'admin',
}));
console.log(
  `Provisioning benchmarks: ${LATENCY_MS} ms latency per call, instance creation ${CREATION_MS} ms`,
);
console.log('(group-mapping mode: no manual step, so one run goes end to end; admin + CCP apps, 6 users)\n');

const { calls, deps } = await callsPerTask(users);
const bound = criticalPath(calls, deps);

const sb = await startSandbox({ instanceCreationMs: CREATION_MS, latencyMs: LATENCY_MS });
for (const u of users) sb.admin.createOktaUser({ login: u.login, firstName: 'B', lastName: 'User' });
const ctx = contextFor(sb);
const t = performance.now();
const fresh = await provisionConnectSso(baseConfig(sb, users), { context: ctx, concurrency: 8 });
const freshMs = performance.now() - t;
sb.resetRequests();
const t2 = performance.now();
const rerun = await provisionConnectSso(baseConfig(sb, users), { context: ctx, concurrency: 8 });
const rerunMs = performance.now() - t2;
await sb.stop();
console.log(
  `Fresh run:    ${freshMs.toFixed(0)} ms wall, ${fresh.requests.reads} reads + ${fresh.requests.writes} writes (status ${fresh.status})`,
);
console.log(
  `Lower bound:  ${bound.ms} ms (critical path ending at '${bound.id}': dependent calls × ${LATENCY_MS} ms + instance creation)`,
);
console.log(`Ratio:        ${(freshMs / bound.ms).toFixed(2)} × the critical-path lower bound`);
console.log(
  `              (a fully sequential run would make ${[...calls.values()].reduce((a, b) => a + b, 0)} calls × ${LATENCY_MS} ms + creation = ${[...calls.values()].reduce((a, b) => a + b, 0) * LATENCY_MS + CREATION_MS} ms)`,
);
console.log(
  `Re-run:       ${rerunMs.toFixed(0)} ms wall, ${rerun.requests.reads} reads, ${rerun.requests.writes} writes`,
);

// Bulk assignment under realistic rate limits. Connect's CreateUser quota (2/s, burst 5) is the
// bottleneck; sandbox and library share a clock that runs SPEED times faster than real time.
const SPEED = 50;
const N = 1000;
const t0 = Date.now();
const now = () => t0 + (Date.now() - t0) * SPEED;
const clock = { now, sleep: (ms, signal) => systemClock.sleep(ms / SPEED, signal) };
const bulk = await startSandbox({ instanceCreationMs: 0, rateLimits: 'realistic', now });
const many = Array.from({ length: N }, (_, i) => ({ login: `agent${i}@acme.com`, app: 'ccp' }));
for (const u of many) bulk.admin.createOktaUser({ login: u.login, firstName: 'A', lastName: 'Gent' });
const bulkCtx = contextFor(bulk, { clock, maxAttempts: 1 });
const first = await provisionConnectSso(
  { ...baseConfig(bulk, []), apps: [{ kind: 'ccp' }] },
  { context: bulkCtx },
);
if (first.status !== 'complete') throw new Error(`bulk setup ended ${first.status}`);
const start = now();
const bulkResult = await provisionConnectSso(
  { ...baseConfig(bulk, many), apps: [{ kind: 'ccp' }] },
  { context: bulkCtx, concurrency: 8 },
);
const seconds = (now() - start) / 1000;
const throttled = bulk
  .requests()
  .filter((r) => r.status === 429 || r.errorCode === 'ThrottlingException').length;
await bulk.stop();
console.log(`\nBulk: ${N} users under realistic rate limits (Connect CreateUser 2/s, burst 5)`);
console.log(
  `  ${bulkResult.users.created} created, ${bulkResult.users.failed} failed, in ${seconds.toFixed(0)} s of sandbox time (${(seconds / SPEED).toFixed(1)} s real, clock ×${SPEED})`,
);
console.log(
  `  ${(N / seconds).toFixed(2)} users/s = ${((N / seconds / 2) * 100).toFixed(0)}% of the CreateUser limit's throughput; ${throttled} throttled responses`,
);

// Scaling of a fresh run with the number of users (group-mapping, no latency injected, instance creation
// instant): wall time and requests, so that a per-user cost that grows (a quadratic path) shows.
console.log('\nFresh-run scaling with users (no injected latency, realistic limits off):');
console.log('  users   wall ms   reads   writes   requests/user');
for (const count of [1, 10, 100, 1000]) {
  const scale = await startSandbox({ instanceCreationMs: 0 });
  const list = Array.from({ length: count }, (_, i) => ({ login: `scale${i}@acme.com`, app: 'ccp' }));
  for (const u of list) scale.admin.createOktaUser({ login: u.login, firstName: 'S', lastName: 'Cale' });
  const t3 = performance.now();
  const r = await provisionConnectSso(
    { ...baseConfig(scale, list), apps: [{ kind: 'ccp' }] },
    { context: contextFor(scale), concurrency: 8 },
  );
  const ms = performance.now() - t3;
  await scale.stop();
  if (r.status !== 'complete') throw new Error(`scaling run with ${count} users ended ${r.status}`);
  const total = r.requests.reads + r.requests.writes;
  console.log(
    `  ${String(count).padStart(5)}   ${ms.toFixed(0).padStart(7)}   ${String(r.requests.reads).padStart(5)}   ${String(r.requests.writes).padStart(6)}   ${(total / count).toFixed(2).padStart(13)}`,
  );
}
