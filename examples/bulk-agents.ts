/**
 * Onboarding agents in bulk: a few hundred people from a CSV export, in one run.
 *
 * Each agent is assigned to the CCP app in Okta (with the app's SAML role) and gets a Connect user
 * named exactly like their Okta username. Existing users are read with paged list calls, so a re-run
 * costs a handful of reads and no write; writes are paced to Connect's and Okta's rate limits, and one
 * agent who cannot be onboarded (an unknown login, a profile that does not exist) does not stop the
 * others. Guide: docs/guides/onboarding-agents-in-bulk.md.
 *
 *   npm run example -- bulk-agents                 # a sandbox with 100 generated agents
 *   npm run example -- bulk-agents agents.csv      # with CONNECT_OKTA_SSO_TARGET=real: your CSV
 *
 * The CSV has a header line and the columns `login,securityProfile` (`Agent` when empty).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConnectSsoConfig, provisionConnectSso, type UserConfig } from 'connect-okta-sso';
import { openTarget, say } from './_target.js';

/** Read `login,securityProfile` rows (a header line first). */
function readAgents(path: string, app: string): UserConfig[] {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  if (!header?.startsWith('login'))
    throw new Error(`${path}: expected a header line "login,securityProfile"`);
  return rows
    .filter((row) => row.trim() !== '')
    .map((row) => {
      const [login = '', profile = ''] = row.split(',').map((cell) => cell.trim());
      return { login, app, connect: { securityProfiles: [profile || 'Agent'] } };
    });
}

const target = await openTarget();
try {
  const { context, sandbox } = target;
  say('\n0. The existing setup:');
  await target.prepareExistingSetup(target.config);

  let csv = process.argv[2];
  if (sandbox) {
    // In real life the agents are already in your Okta directory; the sandbox's directory gets them here.
    const lines = ['login,securityProfile'];
    for (let i = 1; i <= 100; i++) {
      const login = `agent${String(i).padStart(3, '0')}@acme.com`;
      sandbox.admin.createOktaUser({ login, firstName: 'Agent', lastName: String(i) });
      lines.push(`${login},${i % 10 === 0 ? 'CallCenterManager' : ''}`);
    }
    csv = join(target.secretFile, '..', 'agents.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
  }
  if (!csv) throw new Error('usage: bulk-agents <agents.csv>');

  const ccp = target.config.apps.find((app) => app.kind === 'ccp');
  if (!ccp) throw new Error('the config has no ccp app: add { kind: ccp } first (see add-ccp-app)');
  const agents = readAgents(csv, 'ccp');
  const config: ConnectSsoConfig = { ...target.config, users: [...(target.config.users ?? []), ...agents] };

  say(`\n1. Onboard ${agents.length} agents from ${csv}`);
  let lastShown = 0;
  const started = Date.now();
  const result = await provisionConnectSso(config, {
    context,
    onEvent: (event) => {
      // A `users:<app>` step reports its users' progress as `users-progress` events.
      if (event.type === 'users-progress' && event.done - lastShown >= 25) {
        lastShown = event.done;
        say(`   ${event.done}/${event.total} users`);
      }
    },
  });
  say(`   status: ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const { created, updated, unchanged, failed } = result.users;
  say(`   users: ${created} created, ${updated} updated, ${unchanged} unchanged, ${failed} failed`);
  for (const { resource, error } of result.errors) say(`   ${resource}: ${error.message}`);
  if (result.status !== 'complete') throw new Error(`onboarding did not complete: ${result.status}`);

  say('\n2. Run again: every agent is there, so it only reads (in pages)');
  const again = await provisionConnectSso(config, { context });
  say(
    `   ${again.requests.reads} reads, ${again.requests.writes} writes, ${again.users.unchanged} users unchanged`,
  );
} finally {
  await target.close();
}
