/**
 * `connect-okta-sso fleet` as a process (the built CLI), over two AWS accounts: two sandboxes behind one
 * local endpoint that, as AWS does, serves each request from the account of its credentials (its SigV4
 * access key id). Each target names its account's AWS profile; the one Okta org is account A's sandbox.
 *
 * Before the fleet: target `prod-us` (account A) is fully set up, `prod-eu` (account B) is set up with one
 * user fewer than the fleet asks for, `dev-us` (account A) does not exist. The plan must say exactly
 * that — which it can only if each target's reads went to its own account — write nothing anywhere,
 * print one JSON document with --json, keep every secret out of its output, and exit 0 / 1 / 2 as
 * src/cli/errors.ts defines.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { Secret } from '../../src/core/secret.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { parseSigV4Authorization } from '../../src/sandbox/sigv4.js';
import type { FleetPlan } from '../../src/workflows/fleet/fleet.js';
import { withInstanceScopedNames } from '../../src/workflows/fleet/names.js';
import { provisionConnectSso } from '../../src/workflows/provision/provision.js';
import { iamClient, startTestSandbox, writes } from '../helpers.js';
import { type Ran, runCli, userShellEnv } from '../support/cli.js';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';

let a: Sandbox;
let b: Sandbox;
let endpoint: Server;
let env: Record<string, string>;
let cwd: string;
const outputs: string[] = [];
const secrets: string[] = [];

function cliRun(args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  return runCli(args, { cwd, env: { ...env, ...extraEnv }, outputs });
}

/**
 * One AWS endpoint for both accounts: a request goes to the sandbox whose credentials signed it (an
 * unknown key goes to account A, which refuses it as AWS would).
 */
async function startAccountRouter(byAccessKey: Record<string, Sandbox>, fallback: Sandbox): Promise<Server> {
  const server = createServer((req, res) => {
    const auth = parseSigV4Authorization(
      Array.isArray(req.headers.authorization) ? req.headers.authorization[0] : req.headers.authorization,
    );
    const account = (auth && byAccessKey[auth.accessKeyId]) ?? fallback;
    const target = new URL(account.aws.endpoint);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A read-only operator in account B: what planning needs, and no write. */
async function readOnlyOperator(sb: Sandbox): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const iam = iamClient(sb);
  await iam.send(new CreateUserCommand({ UserName: 'fleet-planner' }));
  const policy = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'fleet-plan-read-only',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['iam:Get*', 'iam:List*', 'connect:Describe*', 'connect:List*', 'connect:Search*'],
            Resource: '*',
          },
        ],
      }),
    }),
  );
  await iam.send(
    new AttachUserPolicyCommand({ UserName: 'fleet-planner', PolicyArn: policy.Policy?.Arn ?? '' }),
  );
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'fleet-planner' }));
  iam.destroy();
  return {
    accessKeyId: key.AccessKey?.AccessKeyId ?? '',
    secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
  };
}

const users = [
  { login: 'jane.doe@acme.com', app: 'admin', connect: { securityProfiles: ['Admin'] } },
  { login: 'agent1@acme.com', app: 'ccp' },
];
const defaults = () => ({
  okta: { orgUrl: a.okta.orgUrl },
  apps: [{ kind: 'admin' }, { kind: 'ccp' }],
  users,
});
const targets = () => [
  {
    name: 'prod-us',
    account: ACCOUNT_A,
    profile: 'account-a',
    region: 'us-east-1',
    instance: { alias: 'acme-prod-us' },
  },
  {
    name: 'prod-eu',
    account: ACCOUNT_B,
    profile: 'account-b',
    region: 'eu-west-2',
    instance: { alias: 'acme-prod-eu' },
    users: [...users, { login: 'agent2@acme.com', app: 'ccp' }],
  },
  {
    name: 'dev-us',
    account: ACCOUNT_A,
    profile: 'account-a',
    region: 'us-east-1',
    instance: { alias: 'acme-dev' },
  },
];

/** Set a target up in its account, as an earlier `apply` would have (the fleet's names, the one Okta org). */
async function provision(sb: Sandbox, region: string, config: Record<string, unknown>): Promise<void> {
  const resolved = validateConfig(withInstanceScopedNames(config), { requireOktaAuth: false });
  const result = await provisionConnectSso(resolved, {
    context: createContext({
      region,
      endpoint: sb.aws.endpoint,
      credentials: sb.aws.credentials,
      okta: { orgUrl: a.okta.orgUrl, token: new Secret(a.okta.token) },
      stack: resolved.stack,
      maxAttempts: 1,
    }),
  });
  if (result.status !== 'complete')
    throw new Error(`could not set up ${resolved.instance.alias}: ${result.status}`);
}

function parseJson(r: Ran): {
  command: string;
  exitCode: number;
  fleet?: FleetPlan;
  error?: Record<string, unknown>;
} {
  // One document: the whole of stdout parses.
  return JSON.parse(r.stdout) as ReturnType<typeof parseJson>;
}

beforeAll(async () => {
  a = await startTestSandbox({ accountId: ACCOUNT_A, region: 'us-east-1' });
  b = await startTestSandbox({ accountId: ACCOUNT_B, region: 'eu-west-2' });
  for (const [login, firstName, lastName] of [
    ['jane.doe@acme.com', 'Jane', 'Doe'],
    ['agent1@acme.com', 'Amir', 'Haddad'],
    ['agent2@acme.com', 'Li', 'Wei'],
  ] as const) {
    a.admin.createOktaUser({ login, firstName, lastName });
  }
  const [prodUs, prodEu] = targets();
  const { name: _a, account: _b, profile: _c, ...usConfig } = prodUs ?? {};
  const { name: _d, account: _e, profile: _f, users: _g, ...euConfig } = prodEu ?? {};
  await provision(a, 'us-east-1', { ...defaults(), ...usConfig });
  await provision(b, 'eu-west-2', { ...defaults(), ...euConfig });

  const planner = await readOnlyOperator(b);
  const home = mkdtempSync(join(tmpdir(), 'cos-fleet-home-'));
  writeFileSync(
    join(home, 'aws-config'),
    '[profile account-a]\nregion = us-east-1\n\n[profile account-b]\nregion = eu-west-2\n\n[profile gone]\nregion = us-east-1\n',
  );
  writeFileSync(
    join(home, 'aws-credentials'),
    [
      `[account-a]\naws_access_key_id = ${a.aws.credentials.accessKeyId}\naws_secret_access_key = ${a.aws.credentials.secretAccessKey}`,
      `[account-b]\naws_access_key_id = ${planner.accessKeyId}\naws_secret_access_key = ${planner.secretAccessKey}`,
      '[gone]\naws_access_key_id = AKIAGONE000000000000\naws_secret_access_key = gonegonegonegonegonegonegonegonegonegone',
      '',
    ].join('\n\n'),
  );
  secrets.push(
    a.okta.token,
    b.okta.token,
    a.aws.credentials.secretAccessKey,
    b.aws.credentials.secretAccessKey,
    planner.secretAccessKey,
    'gonegonegonegonegonegonegonegonegonegone',
  );
  endpoint = await startAccountRouter({ [planner.accessKeyId]: b }, a);

  cwd = mkdtempSync(join(tmpdir(), 'cos-fleet-'));
  writeFileSync(join(cwd, 'fleet.yaml'), stringify({ defaults: defaults(), targets: targets() }));
  mkdirSync(join(cwd, 'fleet'));
  for (const { name, ...target } of targets()) {
    writeFileSync(join(cwd, 'fleet', `${name}.yaml`), stringify({ ...defaults(), ...target }));
  }
  // Broken fleets: a target whose account refuses its credentials; invalid ones.
  const broken = [
    ...targets(),
    {
      name: 'lost',
      account: ACCOUNT_A,
      profile: 'gone',
      region: 'us-east-1',
      instance: { alias: 'acme-lost' },
    },
  ];
  writeFileSync(join(cwd, 'broken.yaml'), stringify({ defaults: defaults(), targets: broken }));
  const clash = targets().map((t, i) => (i === 2 ? { ...t, instance: { alias: 'ACME-PROD-US' } } : t));
  writeFileSync(join(cwd, 'clash.yaml'), stringify({ defaults: defaults(), targets: clash }));
  const twoOrgs = targets().map((t, i) => (i === 1 ? { ...t, okta: { orgUrl: b.okta.orgUrl } } : t));
  writeFileSync(join(cwd, 'two-orgs.yaml'), stringify({ defaults: defaults(), targets: twoOrgs }));
  writeFileSync(join(cwd, 'no-targets.yaml'), stringify(defaults()));
  writeFileSync(join(cwd, 'bad.yaml'), 'targets: [ { name: x\n');

  env = {
    ...userShellEnv(home),
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`,
    OKTA_API_TOKEN: a.okta.token,
  };
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => endpoint?.close(resolve));
  await a?.stop();
  await b?.stop();
});

describe('connect-okta-sso fleet over two accounts', () => {
  let yamlPlan: FleetPlan | undefined;

  it('--json: one document; each target planned in its own account; nothing written anywhere', async () => {
    a.resetRequests();
    b.resetRequests();
    const r = await cliRun(['fleet', 'fleet.yaml', '--json']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const doc = parseJson(r);
    expect(doc).toMatchObject({ command: 'fleet', exitCode: 0 });
    const fleet = doc.fleet as FleetPlan;
    yamlPlan = fleet;
    expect(fleet.oktaOrgUrl).toBe(a.okta.orgUrl);
    expect(fleet.targets.map((t) => [t.name, t.account, t.region, t.alias, t.error])).toEqual([
      ['prod-us', ACCOUNT_A, 'us-east-1', 'acme-prod-us', undefined],
      ['prod-eu', ACCOUNT_B, 'eu-west-2', 'acme-prod-eu', undefined],
      ['dev-us', ACCOUNT_A, 'us-east-1', 'acme-dev', undefined],
    ]);
    const [prodUs, prodEu, devUs] = fleet.targets;
    // Set up: nothing to do.
    expect(prodUs?.plan?.summary).toMatchObject({ create: 0, update: 0, manual: 0, blocked: 0 });
    // Set up in account B with one user fewer: only that user (this needs B's reads to reach B).
    expect(prodEu?.plan?.summary).toMatchObject({ update: 0, manual: 0, blocked: 0 });
    const euChanges = prodEu?.plan?.items.filter((i) => i.action !== 'unchanged') ?? [];
    expect(euChanges.map((i) => i.action)).toEqual(['create']);
    expect(euChanges[0]?.reason).toMatch(/^1 to create, 0 to update/);
    // New: the instance, the apps, the IAM side all to create.
    expect(devUs?.plan?.summary.create).toBeGreaterThanOrEqual(5);
    expect(
      devUs?.plan?.items.find((i) => i.action === 'create' && /instance/.test(i.resource)),
    ).toBeDefined();
    expect(fleet.summary).toMatchObject({ targets: 3, changing: 2, failed: 0 });
    // The Okta side, planned centrally: one app per target and kind, labels unique, group mapping.
    expect(fleet.oktaApps.map((x) => x.label)).toEqual([
      'Amazon Connect Administrator (acme-prod-us)',
      'Amazon Connect CCP (acme-prod-us)',
      'Amazon Connect Administrator (acme-prod-eu)',
      'Amazon Connect CCP (acme-prod-eu)',
      'Amazon Connect Administrator (acme-dev)',
      'Amazon Connect CCP (acme-dev)',
    ]);
    expect(new Set(fleet.oktaApps.map((x) => x.roleMapping))).toEqual(new Set(['group-mapping']));

    // Each account served its own targets' AWS reads; Okta is the one org's (account A's sandbox).
    expect(a.requests().some((q) => q.service === 'connect')).toBe(true);
    expect(b.requests().some((q) => q.service === 'connect')).toBe(true);
    expect(b.requests().some((q) => q.service === 'iam')).toBe(true);
    expect(b.requests().some((q) => q.service === 'okta')).toBe(false);
    expect(a.requests().some((q) => q.service === 'okta')).toBe(true);
    // A plan writes nothing (account B's operator may only read, and was never refused).
    expect(writes(a)).toEqual([]);
    expect(writes(b)).toEqual([]);
    expect(b.requests().filter((q) => q.status >= 400)).toEqual([]);
  }, 60_000);

  it('a directory of configs (one target per file, named by its file) plans the same fleet', async () => {
    const r = await cliRun(['fleet', 'fleet', '--json']);
    expect(r.code).toBe(0);
    const fleet = parseJson(r).fleet as FleetPlan;
    // Files are read in name order.
    expect(fleet.targets.map((t) => t.name)).toEqual(['dev-us', 'prod-eu', 'prod-us']);
    const byName = (p: FleetPlan | undefined) =>
      Object.fromEntries((p?.targets ?? []).map((t) => [t.name, t.plan?.summary]));
    expect(byName(fleet)).toEqual(byName(yamlPlan));
  }, 60_000);

  it('the table: a row per target with what changes, and the totals', async () => {
    const r = await cliRun(['fleet', 'fleet.yaml']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^target\s+account\s+region\s+alias\s+\+\s+~\s+=\s+!\s+x\s+changes$/);
    expect(lines.find((l) => l.startsWith('prod-us '))).toMatch(
      new RegExp(
        `^prod-us\\s+${ACCOUNT_A}\\s+us-east-1\\s+acme-prod-us\\s+0\\s+0\\s+\\d+\\s+0\\s+0\\s+no change$`,
      ),
    );
    expect(lines.find((l) => l.startsWith('prod-eu '))).toMatch(
      new RegExp(
        `^prod-eu\\s+${ACCOUNT_B}\\s+eu-west-2\\s+acme-prod-eu\\s+1\\s+0\\s+\\d+\\s+0\\s+0\\s+\\+ .*`,
      ),
    );
    expect(r.stdout).toContain(`3 target(s) on Okta ${a.okta.orgUrl}: 2 with changes, 0 not planned`);
    expect(r.stderr).toContain('planned prod-eu');
  }, 60_000);

  it('exit 1 when a target cannot be planned (its account refuses the credentials): its row says why, the others are planned', async () => {
    const json = await cliRun(['fleet', 'broken.yaml', '--json']);
    expect(json.code).toBe(1);
    const doc = parseJson(json);
    expect(doc.exitCode).toBe(1);
    const fleet = doc.fleet as FleetPlan;
    expect(fleet.summary).toMatchObject({ targets: 4, failed: 1 });
    const lost = fleet.targets.find((t) => t.name === 'lost');
    expect(lost?.plan).toBeUndefined();
    expect(lost?.error?.code).toBe('PROVIDER_ERROR');
    expect(lost?.error?.message).toMatch(/security token|InvalidClientTokenId|UnrecognizedClient/i);
    expect(fleet.targets.filter((t) => t.plan !== undefined).map((t) => t.name)).toEqual([
      'prod-us',
      'prod-eu',
      'dev-us',
    ]);

    const table = await cliRun(['fleet', 'broken.yaml']);
    expect(table.code).toBe(1);
    expect(table.stdout.split('\n').find((l) => l.startsWith('lost '))).toMatch(
      /-\s+-\s+-\s+-\s+-\s+error: /,
    );
    expect(table.stdout).toContain('1 not planned');
  }, 60_000);

  it('exit 2 for invalid input, before any call: a fleet-wide clash names its field', async () => {
    a.resetRequests();
    b.resetRequests();
    const cases: [string[], RegExp][] = [
      [['fleet', 'clash.yaml', '--json'], /targets\[2\]\.instance\.alias/],
      [['fleet', 'two-orgs.yaml', '--json'], /targets\[1\]\.okta\.orgUrl/],
      [['fleet', 'no-targets.yaml', '--json'], /targets/],
      [['fleet', 'bad.yaml', '--json'], /bad\.yaml/],
      [['fleet', 'missing.yaml', '--json'], /missing\.yaml/],
      [['fleet', 'fleet.yaml', '--concurrency', '0', '--json'], /--concurrency/],
    ];
    for (const [args, field] of cases) {
      const r = await cliRun(args);
      expect(r.code, args.join(' ')).toBe(2);
      const doc = parseJson(r);
      expect(doc.exitCode).toBe(2);
      expect(JSON.stringify(doc.error), args.join(' ')).toMatch(field);
    }
    // Without --json: the sentence, the field, the fix, on stderr; nothing on stdout.
    const human = await cliRun(['fleet', 'clash.yaml']);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/targets\[2\]\.instance\.alias/);
    expect(human.stderr).toMatch(/fix: /);
    const none = await cliRun(['fleet']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: connect-okta-sso fleet');
    // Nothing was called in either account, nor in Okta.
    expect(a.requests()).toEqual([]);
    expect(b.requests()).toEqual([]);
  }, 60_000);

  it('--debug shows the calls, and no output of any run holds a secret', async () => {
    const r = await cliRun(['fleet', 'broken.yaml', '--debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^debug: connect ListInstances$/m);
    expect(r.stderr).toMatch(/^debug: okta ListApplications$/m);
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    for (const text of outputs) for (const s of secrets) expect(text).not.toContain(s);
  }, 60_000);
});
