// Config validation benchmarks (numbers, not pass/fail): the time and peak RSS of `validateConfig` on
// valid and invalid configs of 1k–16k users, and of `loadConfig` reading the same config from a YAML
// file (what the CLI does). An invalid config names an unknown app in every user, so it has one problem
// per user. The goals: time linear in the number of users, and an invalid config at most 1.5× a valid
// one. Each case runs in a fresh process (so peak RSS is that case's alone, and the time includes the
// first, unoptimised passes as a CLI run does); the best time of 5 runs is printed (the machines are
// shared: other load only ever adds time) with the median peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const SIZES = process.env.BENCH_CONFIG_SIZES
  ? process.env.BENCH_CONFIG_SIZES.split(',').map(Number)
  : [1000, 2000, 4000, 8000, 16000];
const RUNS = 5;
const env = { OKTA_API_TOKEN: 'bench-not-a-real-token-0000000000' };

function config(users, valid) {
  return {
    region: 'us-east-1',
    instance: { alias: 'bench-cc' },
    okta: { orgUrl: 'https://bench.okta.com' },
    apps: [{ kind: 'admin' }, { kind: 'ccp' }],
    users: Array.from({ length: users }, (_, i) => ({
      login: `agent${i}@acme.com`,
      app: valid ? (i % 2 === 0 ? 'ccp' : 'admin') : 'nope',
      connect: { securityProfiles: ['Agent'], firstName: 'Agent', lastName: `No ${i}` },
    })),
  };
}

/** YAML as a person writes it (block style), so the parser sees what a real file holds. */
function yamlOf(c) {
  const lines = [
    `region: ${c.region}`,
    'instance:',
    `  alias: ${c.instance.alias}`,
    'okta:',
    `  orgUrl: ${c.okta.orgUrl}`,
    'apps:',
    ...c.apps.map((a) => `  - kind: ${a.kind}`),
    'users:',
  ];
  for (const u of c.users) {
    lines.push(
      `  - login: ${u.login}`,
      `    app: ${u.app}`,
      '    connect:',
      `      securityProfiles: [${u.connect.securityProfiles.join(', ')}]`,
      `      firstName: ${u.connect.firstName}`,
      `      lastName: ${u.connect.lastName}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One case, in this (fresh) process: prints {ms, problems, rssMb} as JSON. */
async function child(mode, users, valid, file) {
  const { loadConfig, validateConfig } = await import('../dist/index.js');
  const input = mode === 'validate' ? config(users, valid) : undefined;
  let problems = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    if (mode === 'validate') validateConfig(input, { env });
    else await loadConfig(file, { env });
  } catch (error) {
    if (error?.code !== 'CONFIG_INVALID') throw error;
    problems = error.issues.length;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, cpuMs, problems, rssMb }));
}

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function measure(mode, users, valid, file) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const args = [
      new URL(import.meta.url).pathname,
      '--child',
      mode,
      String(users),
      valid ? 'valid' : 'invalid',
    ];
    if (file) args.push(file);
    const p = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 });
    if (p.status !== 0) throw new Error(`bench child failed: ${p.stderr}`);
    runs.push(JSON.parse(p.stdout));
  }
  const problems = runs[0].problems;
  const expected = valid ? 0 : users;
  if (problems !== expected)
    throw new Error(`${mode} ${users} users: ${problems} problems, expected ${expected}`);
  return {
    ms: Math.min(...runs.map((x) => x.ms)),
    cpuMs: Math.min(...runs.map((x) => x.cpuMs)),
    rssMb: median(runs.map((x) => x.rssMb)),
  };
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const cell = (x) =>
  `${fmt(x.ms).padStart(8)} ${fmt(x.cpuMs).padStart(8)} ${`${x.rssMb.toFixed(0)} MB`.padStart(7)}`;

/** One table: valid and invalid configs of each size, their ratio, and the cost per 1,000 users. */
function table(title, mode, files) {
  console.log(`\n${title}`);
  console.log(
    `  ${'users'.padStart(6)}  ${'valid: wall'.padStart(11)} ${'cpu'.padStart(8)} ${'peak RSS'.padStart(8)}  ${'invalid: wall'.padStart(13)} ${'cpu'.padStart(8)} ${'peak RSS'.padStart(8)}  invalid/valid (wall, cpu)  cpu per 1k users (valid, invalid)`,
  );
  const rows = [];
  for (const users of SIZES) {
    const v = measure(mode, users, true, files?.[users]?.valid);
    const i = measure(mode, users, false, files?.[users]?.invalid);
    rows.push({ users, v, i });
    const per = (x) => fmt((x.cpuMs / users) * 1000);
    console.log(
      `  ${String(users).padStart(6)}  ${cell(v).padStart(28)}  ${cell(i).padStart(30)}  ${(i.ms / v.ms).toFixed(2).padStart(13)} ${(i.cpuMs / v.cpuMs).toFixed(2).padStart(5)}        ${per(v).padStart(8)} ${per(i).padStart(8)}`,
    );
  }
  const worst = (key) => Math.max(...rows.map((r) => r.i[key] / r.v[key])).toFixed(2);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = (which) => (last[which].cpuMs / first[which].cpuMs / (last.users / first.users)).toFixed(2);
  console.log(
    `  worst invalid/valid: wall ${worst('ms')}, cpu ${worst('cpuMs')} (goal ≤ 1.5); cpu per user at ${last.users / first.users}× the users: valid ${growth('v')}×, invalid ${growth('i')}× (≤ 1.00 is linear)`,
  );
}

if (process.argv[2] === '--child') {
  const [, , , mode, users, validity, file] = process.argv;
  await child(mode, Number(users), validity === 'valid', file);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'cos-bench-config-'));
  try {
    console.log(
      `\nConfig validation: best wall and cpu time of ${RUNS} fresh processes, median peak RSS of the process (includes loading the library, ~100 MB)`,
    );
    console.log('  invalid configs: every user names an unknown app (one problem per user)');
    table('validateConfig (a config object)', 'validate');
    const files = {};
    for (const users of SIZES) {
      files[users] = {};
      for (const valid of [true, false]) {
        const path = join(dir, `${users}-${valid ? 'valid' : 'invalid'}.yaml`);
        writeFileSync(path, yamlOf(config(users, valid)));
        files[users][valid ? 'valid' : 'invalid'] = path;
      }
    }
    table('loadConfig (the same config as a YAML file: read, parse, validate, locate)', 'load', files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
