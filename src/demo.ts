/**
 * `npm run demo`: the whole SSO setup of the AWS guide "Configure Single Sign-On for Amazon Connect
 * Using Okta", done by `provisionConnectSso()` against the built-in sandbox (AWS IAM, Amazon Connect and
 * the Okta API emulated on 127.0.0.1, with realistic latency), using only the public API.
 */
import {
  type ConnectSsoConfig,
  createContext,
  type ProvisionEvent,
  type ProvisionResult,
  planConnectSso,
  provisionConnectSso,
  renderPlan,
  type UserConfig,
} from './index.js';
import { startSandbox } from './sandbox/index.js';

const out = (line = '') => process.stdout.write(`${line}\n`);
const ACTION_MARK: Record<string, string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  manual: '!',
  blocked: 'x',
};

function printEvent(event: ProvisionEvent): void {
  if (event.type === 'step-finished' && event.action !== 'unchanged') {
    out(`   ${ACTION_MARK[event.action] ?? ' '} ${event.resource}  (${event.ms} ms)`);
  } else if (event.type === 'step-failed') {
    out(`   x ${event.resource}: ${event.error.message}`);
  }
}

function printSummary(result: ProvisionResult): void {
  out(`   status: ${result.status}; ${result.requests.reads} reads, ${result.requests.writes} writes`);
}

async function main(): Promise<void> {
  // The Okta SDK sends even loopback calls through HTTPS_PROXY; the AWS SDK warns on Node 20 that its
  // releases after January 2027 need Node 22 (see the README's supported versions).
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[name];
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const sb = await startSandbox({ instanceCreationMs: 3000, latencyMs: 25 });
  try {
    out(`Sandbox on ${sb.url}: AWS IAM, Amazon Connect and the Okta API, emulated offline (25 ms per call).`);
    for (const [login, firstName, lastName] of [
      ['jane.doe@acme.com', 'Jane', 'Doe'],
      ['agent1@acme.com', 'Amir', 'Haddad'],
      ['agent2@acme.com', 'Bea', 'Lindqvist'],
    ] as const) {
      sb.admin.createOktaUser({ login, firstName, lastName });
    }
    out(
      'Okta directory: jane.doe@acme.com, agent1@acme.com, agent2@acme.com (users come from your directory).',
    );

    const config: ConnectSsoConfig & { users: UserConfig[] } = {
      stack: 'acme-cc',
      region: sb.aws.region,
      instance: { alias: 'acme-cc', inboundCalls: true, outboundCalls: true },
      okta: { orgUrl: sb.okta.orgUrl },
      roleMapping: 'api-integration',
      apps: [{ kind: 'admin' }, { kind: 'ccp' }],
      users: [
        { login: 'jane.doe@acme.com', app: 'admin', connect: { securityProfiles: ['Admin'] } },
        { login: 'agent1@acme.com', app: 'ccp', connect: { securityProfiles: ['Agent'] } },
        { login: 'agent2@acme.com', app: 'ccp', connect: { securityProfiles: ['Agent'] } },
      ],
    };
    const context = createContext({
      region: sb.aws.region,
      endpoint: sb.aws.endpoint,
      credentials: sb.aws.credentials,
      okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
      stack: 'acme-cc',
    });

    out('\n1. Plan (reads only):');
    const plan = await planConnectSso(config, { context });
    for (const line of renderPlan(plan).split('\n')) out(`   ${line}`);

    out('\n2. Apply: independent steps run concurrently');
    const first = await provisionConnectSso(config, { context, onEvent: printEvent });
    printSummary(first);
    const key = first.accessKey;
    if (first.status !== 'manual-action-required' || !key?.secretAccessKey) {
      throw new Error(`expected the run to stop at the manual checkpoint, got ${first.status}`);
    }
    out(
      `   The Okta access key ${key.accessKeyId} was created; its secret is in the result (printed: ${key.secretAccessKey}).`,
    );

    out('\n3. The one manual step. In real life an Okta admin now clicks, for each app:');
    for (const line of first.manualActions[0]?.actions ?? []) out(`   - ${line}`);
    out('   Here the sandbox stands in for that click (sb.admin.enableApiIntegration).');
    for (const app of first.apps) {
      await sb.admin.enableApiIntegration(app.appId ?? '', {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey.reveal(),
      });
    }

    out('\n4. Run again: it resumes at the checkpoint, waits for the instance, assigns the users');
    const second = await provisionConnectSso(config, { context, onEvent: printEvent });
    printSummary(second);
    if (second.status !== 'complete') throw new Error(`expected a complete run, got ${second.status}`);

    out('\n5. Run once more: nothing left to do');
    const third = await provisionConnectSso(config, { context });
    printSummary(third);

    out('\nResult:');
    out(
      `   Connect instance ${third.instance.alias} (${third.instance.instanceId}), ${third.instance.status}`,
    );
    for (const app of third.apps) {
      out(`   ${app.label}:`);
      out(`     Okta sign-in link  ${app.signInUrl}`);
      out(`     relay state        ${app.relayState}`);
      out(`     IdP / role         ${app.providerArn} / ${app.roleArn}`);
    }
    out(
      `   users: ${third.users.unchanged} assigned in Okta with their SAML role and created in Connect with the same username`,
    );

    out("\n6. Test the login (the guide's last step): a simulated IdP-initiated sign-in per user");
    for (const user of config.users ?? []) {
      const app = third.apps.find((a) => a.kind === user.app);
      const signIn = await sb.login({ app: app?.appId ?? '', login: user.login });
      if (!signIn.ok)
        throw new Error(`sign-in of ${user.login} failed at ${signIn.stage}: ${signIn.message}`);
      out(
        `   ✔ ${user.login} → Okta → AWS sign-in (${signIn.roleArn.split('/').pop()}) → Amazon Connect ` +
          `${signIn.destination ?? 'admin website'} as '${signIn.connectUser.username}'`,
      );
    }
  } finally {
    await sb.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
