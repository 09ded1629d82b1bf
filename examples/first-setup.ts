/**
 * First setup: from nothing to users signing in to Amazon Connect through Okta.
 *
 * Plans the whole setup (reads only), applies it, stops at the one step Okta offers no API for (the
 * app's "API Integration" in the Okta admin console), resumes once it is done, and shows that a further
 * run has nothing left to do. Guide: docs/guides/first-setup.md.
 *
 *   npm run example -- first-setup        # against a sandbox it starts itself
 */
import { type ProvisionEvent, planConnectSso, provisionConnectSso, renderPlan } from 'connect-okta-sso';
import { openTarget, say } from './_target.js';

/** One line per resource the run changed; unchanged ones are left out. */
function progress(event: ProvisionEvent): void {
  if (event.type === 'step-finished' && event.action !== 'unchanged') {
    say(`   ${event.action.padEnd(7)} ${event.resource}`);
  } else if (event.type === 'step-failed') {
    say(`   failed  ${event.resource}: ${event.error.message}`);
  }
}

const target = await openTarget();
try {
  const { config, context } = target;

  say('\n1. The plan (nothing is written):');
  const plan = await planConnectSso(config, { context });
  say(renderPlan(plan));

  say('\n2. Apply:');
  // The Okta access key's secret goes straight to a new 0600 file, like the AWS console's download;
  // it is never printed, logged or kept in the result.
  const secretSink = { kind: 'file', path: target.secretFile } as const;
  let result = await provisionConnectSso(config, { context, secretSink, onEvent: progress });
  say(`   status: ${result.status}`);

  if (result.status === 'manual-action-required') {
    say('\n3. The manual checkpoint: an Okta admin must, for each app,');
    for (const manual of result.manualActions) {
      say(`   ${manual.resource}:`);
      for (const action of manual.actions) say(`   - ${action}`);
    }
    await target.enableApiIntegration(result);

    say('\n4. Resume: the run continues where it stopped and assigns the users');
    result = await provisionConnectSso(config, {
      context,
      secretSink,
      onEvent: progress,
      wait: target.manualStepWait,
    });
    say(`   status: ${result.status}`);
  }
  if (result.status !== 'complete') {
    for (const { resource, error } of result.errors) say(`   ${resource}: ${error.message}`);
    throw new Error(`the setup did not complete: ${result.status}`);
  }

  say('\n5. Run again: nothing left to do');
  const again = await provisionConnectSso(config, { context });
  say(`   status: ${again.status}, ${again.requests.writes} writes`);

  say('\nGive these sign-in links to your users:');
  for (const app of result.apps) say(`   ${app.label}: ${app.signInUrl}`);
  say(`Connect users: ${result.users.created} created, ${result.users.unchanged} already there.`);
} finally {
  await target.close();
}
