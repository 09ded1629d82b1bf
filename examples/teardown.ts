/**
 * Tearing a setup down: everything the stack created, newest first, and nothing it did not create.
 *
 * `planDestroy` shows what would go, what stays and why; `destroyConnectSso` deletes it — Connect users
 * (and the quick connects naming them), Okta groups and apps, IAM roles, SAML providers, the Okta API
 * user and its keys, the policies — and keeps the Connect instance unless `deleteInstance: true`. A run
 * interrupted anywhere is finished by the next one; a run with nothing left writes nothing.
 * Guide: docs/guides/tearing-down.md.
 *
 *   npm run example -- teardown        # against a sandbox it starts itself
 *
 * Against your real setup (CONNECT_OKTA_SSO_TARGET=real) it only prints the plan, unless you also set
 * CONNECT_OKTA_SSO_DESTROY=yes; it never deletes a real instance.
 */
import { destroyConnectSso, planDestroy, renderDestroyPlan } from 'connect-okta-sso';
import { openTarget, say } from './_target.js';

const target = await openTarget();
try {
  const { config, context, sandbox } = target;
  say('\n0. The existing setup:');
  await target.prepareExistingSetup(config);

  say('\n1. The plan (reads only):');
  const plan = await planDestroy(config, { context });
  for (const line of renderDestroyPlan(plan).split('\n')) say(`   ${line}`);

  if (!sandbox && process.env.CONNECT_OKTA_SSO_DESTROY !== 'yes') {
    say('\n   Real target: nothing deleted. Set CONNECT_OKTA_SSO_DESTROY=yes to delete the above.');
  } else {
    say('\n2. The teardown:');
    const result = await destroyConnectSso(config, {
      context,
      onEvent: (e) => {
        if (e.type === 'step-finished' && e.action === 'delete') say(`   deleted ${e.resource}`);
      },
    });
    say(`   status: ${result.status}, ${result.deleted.length} deleted, ${result.requests.writes} writes`);
    for (const kept of result.kept) say(`   kept ${kept.resource}: ${kept.reason}`);
    for (const failed of result.errors) say(`   failed ${failed.resource}: ${failed.error.message}`);

    say('\n3. Again: nothing is left, so nothing is written');
    const again = await destroyConnectSso(config, { context });
    say(`   status: ${again.status}, ${again.deleted.length} deleted, ${again.requests.writes} writes`);

    if (sandbox) {
      // Only in the sandbox: a real instance holds contact data, and AWS allows 100 instance creations
      // and deletions per account in 30 days.
      say('\n4. (sandbox) With deleteInstance, the instance goes too:');
      const all = await destroyConnectSso(config, { context, deleteInstance: true });
      for (const d of all.deleted) say(`   ${d.resource}: deleted`);
      const left = Object.values(sandbox.state().connect.instances).length;
      say(`   instances left in the sandbox: ${left}`);
    }
  }
} finally {
  await target.close();
}
