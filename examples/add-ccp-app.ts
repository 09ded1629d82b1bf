/**
 * Adding the CCP app to a setup that has only the admin website.
 *
 * Agents sign in to the Contact Control Panel through a second Okta app with its own IAM SAML provider
 * and role, and a relay state that lands on `/ccp-v2`. Adding `{ kind: 'ccp' }` to `apps` is the whole
 * change: the plan shows that only the CCP's resources are created, the existing access key is reused
 * for its API integration (no second key), and the admin app is left alone.
 * Guide: docs/guides/adding-the-ccp-app.md.
 *
 *   npm run example -- add-ccp-app        # against a sandbox it starts itself
 */
import { type ConnectSsoConfig, planConnectSso, provisionConnectSso, renderPlan } from 'connect-okta-sso';
import { openTarget, say } from './_target.js';

const target = await openTarget();
try {
  const { context } = target;

  // The setup as it is: the admin website only (in the sandbox, made here first).
  const before: ConnectSsoConfig = {
    ...target.config,
    apps: target.config.apps.filter((app) => app.kind !== 'ccp'),
    users: (target.config.users ?? []).filter((user) => user.app !== 'ccp'),
  };
  say('\n0. The existing setup:');
  await target.prepareExistingSetup(before);

  // The change: the CCP app, and the agents who use it.
  const after: ConnectSsoConfig = target.config.apps.some((app) => app.kind === 'ccp')
    ? target.config
    : { ...target.config, apps: [...target.config.apps, { kind: 'ccp' }] };

  say('\n1. The plan: only the CCP app, its identity provider and role, and its agents are new');
  const plan = await planConnectSso(after, { context });
  say(renderPlan(plan));

  say('\n2. Apply');
  const secretSink = { kind: 'file', path: target.secretFile } as const;
  let result = await provisionConnectSso(after, { context, secretSink });
  if (result.accessKey)
    say(
      `   access key ${result.accessKey.accessKeyId}: created by this run? ${result.accessKey.createdByThisRun}`,
    );

  if (result.status === 'manual-action-required') {
    say('\n3. The new app needs its API integration, with the same access key as the admin app:');
    for (const manual of result.manualActions) for (const action of manual.actions) say(`   - ${action}`);
    await target.enableApiIntegration(result);
    result = await provisionConnectSso(after, {
      context,
      secretSink,
      wait: target.manualStepWait,
    });
  }
  if (result.status !== 'complete') {
    for (const { resource, error } of result.errors) say(`   ${resource}: ${error.message}`);
    throw new Error(`adding the CCP app did not complete: ${result.status}`);
  }

  const ccp = result.apps.find((app) => app.kind === 'ccp');
  say(`\nThe CCP app "${ccp?.label}":`);
  say(`   sign-in link  ${ccp?.signInUrl}`);
  say(`   relay state   ${ccp?.relayState}`);
  say(`   IAM           ${ccp?.providerArn}, ${ccp?.roleArn}`);
  say(`Agents: ${result.users.created} created in Connect, ${result.users.unchanged} unchanged.`);
} finally {
  await target.close();
}
