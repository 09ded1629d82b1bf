// npm run bench — numbers, not tests. Measures what users feel: import cost of the library (it must
// not load the Okta SDK), the CLI's --help, and the sandbox's throughput and memory through the real
// SDK clients. Prints numbers and ratios; asserts nothing (the machines are noisy).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import {
  ConnectClient,
  CreateInstanceCommand,
  CreateUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  SearchUsersCommand,
} from '@aws-sdk/client-connect';
import { CreateUserCommand as CreateIamUser, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';

// The AWS SDK's notice that its 2027 releases need Node 22 is not what this measures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = new URL('..', import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

function timeNode(args, runs = 7) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * Fresh-process wall times of several commands, measured side by side: round-robin (each round runs every
 * command once, in turn), so a machine that gets busier or quieter during the run affects all alike.
 */
function timeNodes(commands, runs = 9) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [key, args] of Object.entries(commands)) {
      const t = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
      times[key].push(performance.now() - t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
}

console.log('connect-okta-sso benchmarks (median of 7–9 runs where repeated)\n');
const t = timeNodes({
  baseline: ['-e', '0'],
  lib: ['--input-type=module', '-e', "await import('./dist/index.js')"],
  libCjs: ['-e', "require('./dist/index.cjs')"],
  okta: ['-e', "require('@okta/okta-sdk-nodejs')"],
  awsClients: ['-e', "require('@aws-sdk/client-iam'); require('@aws-sdk/client-connect')"],
});
const help = timeNode(['dist/cli/main.js', '--help']);
const over = (ms) => ms - t.baseline;
const ratio = (ms) => over(ms) / Math.max(1, over(t.okta));
console.log('Startup (wall time of a fresh node process; the first five side by side, round-robin)');
console.log(`  node -e 0                          ${fmt(t.baseline)}`);
console.log(`  import 'connect-okta-sso' (ESM)    ${fmt(t.lib)}   (+${fmt(over(t.lib))} over node)`);
console.log(`  require('connect-okta-sso') (CJS)  ${fmt(t.libCjs)}   (+${fmt(over(t.libCjs))})`);
console.log(`  require('@okta/okta-sdk-nodejs')   ${fmt(t.okta)}   (+${fmt(over(t.okta))})`);
// A command's own help and version: rendered from its option spec (the goal for both: <= 300 ms).
const commandHelp = timeNode(['dist/cli/main.js', 'apply', '--help']);
const commandVersion = timeNode(['dist/cli/main.js', 'plan', '--version']);
console.log(
  `  connect-okta-sso apply --help      ${fmt(commandHelp)}   (+${fmt(commandHelp - t.baseline)}; goal <= 300 ms)`,
);
console.log(
  `  connect-okta-sso plan --version    ${fmt(commandVersion)}   (+${fmt(commandVersion - t.baseline)})`,
);
console.log(
  `  the AWS SDK IAM + Connect clients  ${fmt(t.awsClients)}   (+${fmt(over(t.awsClients))}; loaded on the first AWS call, not at import)`,
);
console.log(`  connect-okta-sso --help            ${fmt(help)}   (+${fmt(help - t.baseline)})`);
console.log(
  `  import ratio, library / Okta SDK (goal ≤ 0.2): ESM ${ratio(t.lib).toFixed(2)}, CJS ${ratio(t.libCjs).toFixed(2)}`,
);

const { startSandbox } = await import('../dist/sandbox/index.js');
const sb = await startSandbox({ instanceCreationMs: 0 });
const cfg = {
  endpoint: sb.aws.endpoint,
  region: sb.aws.region,
  credentials: sb.aws.credentials,
  maxAttempts: 1,
};
const iam = new IAMClient(cfg);
const connect = new ConnectClient(cfg);

async function measure(label, n, fn, concurrency = 8) {
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  const ms = performance.now() - t;
  console.log(
    `  ${label.padEnd(38)} ${String(n).padStart(5)} req  ${fmt(ms).padStart(10)}  ${(n / (ms / 1000)).toFixed(0).padStart(6)} req/s`,
  );
  return ms;
}

console.log('\nSandbox throughput (real SDK clients over loopback HTTP, 8 in flight)');
await measure('IAM CreateUser', 1000, (i) => iam.send(new CreateIamUser({ UserName: `bench-${i}` })));
await measure('IAM GetUser', 2000, (i) => iam.send(new GetUserCommand({ UserName: `bench-${i % 1000}` })));
const { Id: InstanceId } = await connect.send(
  new CreateInstanceCommand({
    IdentityManagementType: 'SAML',
    InstanceAlias: 'bench-cc',
    InboundCallsEnabled: true,
    OutboundCallsEnabled: true,
  }),
);
const sp =
  (await connect.send(new ListSecurityProfilesCommand({ InstanceId }))).SecurityProfileSummaryList ?? [];
const rp =
  (await connect.send(new ListRoutingProfilesCommand({ InstanceId }))).RoutingProfileSummaryList ?? [];
const agent = sp.find((p) => p.Name === 'Agent')?.Id;
const routing = rp.find((p) => p.Name === 'Basic Routing Profile')?.Id;
const users = 5000;
const heapBefore = process.memoryUsage().heapUsed;
await measure('Connect CreateUser', users, (i) =>
  connect.send(
    new CreateUserCommand({
      InstanceId,
      Username: `agent${i}@acme.com`,
      IdentityInfo: { FirstName: 'A', LastName: `${i}` },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      SecurityProfileIds: [agent],
      RoutingProfileId: routing,
    }),
  ),
);
const searchMs = await measure('Connect SearchUsers (exact username)', 2000, (i) =>
  connect.send(
    new SearchUsersCommand({
      InstanceId,
      SearchCriteria: {
        StringCondition: {
          FieldName: 'Username',
          Value: `agent${(i * 7) % users}@acme.com`,
          ComparisonType: 'EXACT',
        },
      },
    }),
  ),
);
globalThis.gc?.();
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `\nMemory: heap grew ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MB for ${users} Connect users (includes the request log and the SDK)`,
);
console.log(`        ${((heapAfter - heapBefore) / users / 1024).toFixed(2)} KB per user`);
console.log(`SearchUsers with ${users} users: ${(searchMs / 2000).toFixed(2)} ms per call`);
console.log(`Request log: ${sb.requests().length} entries`);
await sb.stop();
