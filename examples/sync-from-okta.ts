/**
 * Day two: keep the Connect users in line with Okta groups, with profiles chosen by rule.
 *
 * People join, move team and leave in Okta; `syncUsers` follows them into Amazon Connect: a Connect
 * user for each member of the synced groups (named exactly like their Okta username), the security
 * profiles the first matching mapping rule gives, and offboarding of the users it created when their
 * Okta user leaves. An Okta event hook triggers targeted reconciles in between full syncs.
 * Guide: docs/guides/syncing-users-from-okta.md (rules: docs/guides/mapping-okta-to-connect-profiles.md).
 *
 *   npm run example -- sync-from-okta      # a sandbox: groups, people, changes, an event hook delivery
 *
 * With CONNECT_OKTA_SSO_TARGET=real it only shows the plan of your config's sync (a dry run): it never
 * changes your Okta org or your Connect users.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConnectSsoConfig,
  createOktaEventHookHandler,
  oktaEventHookListener,
  type SyncUsersResult,
  syncUsers,
} from 'connect-okta-sso';
import { openTarget, say } from './_target.js';

function show(result: SyncUsersResult): void {
  for (const user of result.users) {
    if (user.action === 'unchanged') continue;
    const rule = user.profiles
      ? ` [${user.profiles.securityProfiles.join(', ')} from ${user.profiles.sources.securityProfiles}]`
      : '';
    say(`   ${user.action.padEnd(10)} ${user.username}${rule}`);
    for (const change of user.changes) say(`              ${change}`);
    if (user.reason) say(`              ${user.reason}`);
  }
  const c = result.counts;
  say(
    `   → ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.offboarded} offboarded, ${c.reported} reported, ${c.failed} failed; ${result.calls.reads} reads, ${result.calls.writes} writes`,
  );
}

const target = await openTarget();
try {
  const { context, sandbox } = target;
  if (!sandbox) {
    say('\nReal target: the plan of your config (a dry run; nothing is written).');
    show(await syncUsers(target.config, { context, dryRun: true }));
  } else {
    say('\n0. The existing setup (admin and CCP apps):');
    await target.prepareExistingSetup(target.config);

    // In real life these groups and people are your Okta directory; the sandbox's directory gets them here.
    const okta = await context.okta();
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await okta.http.http(`${okta.baseUrl}${path}`, {
        method,
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as { id: string };
    };
    const groups: Record<string, string> = {};
    for (const name of ['cc-agents', 'cc-supervisors']) {
      groups[name] = (await api('POST', '/api/v1/groups', { profile: { name } })).id;
    }
    const people: Record<string, string> = {};
    const person = async (login: string, firstName: string, department: string, memberOf: string[]) => {
      const user = await api('POST', '/api/v1/users?activate=true', {
        profile: { login, email: login, firstName, lastName: 'Example', department },
        credentials: { password: { value: 'Example-Passw0rd!' } },
      });
      people[login] = user.id;
      for (const group of memberOf) await api('PUT', `/api/v1/groups/${groups[group]}/users/${user.id}`);
    };
    await person('sam@acme.com', 'Sam', 'Support', ['cc-agents', 'cc-supervisors']);
    await person('sia@acme.com', 'Sia', 'Sales', ['cc-agents']);
    await person('tom@acme.com', 'Tom', 'Support', ['cc-agents']);

    const config: ConnectSsoConfig = {
      ...target.config,
      users: { fromOkta: { groups: ['cc-agents', 'cc-supervisors'] }, list: target.config.users ?? [] },
      mappings: [
        { when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } },
        {
          when: { attribute: { department: 'Sales' } },
          connect: { securityProfiles: ['Agent', 'QualityAnalyst'] },
        },
      ],
    };

    say('\n1. The plan (a dry run: which rule chose what, nothing written)');
    show(await syncUsers(config, { context, dryRun: true }));

    say('\n2. Sync');
    show(await syncUsers(config, { context }));

    say('\n3. In Okta: Tom becomes a supervisor, Sia leaves the contact centre. Sync with offboard: delete');
    await api('PUT', `/api/v1/groups/${groups['cc-supervisors']}/users/${people['tom@acme.com']}`);
    await api('DELETE', `/api/v1/groups/${groups['cc-agents']}/users/${people['sia@acme.com']}`);
    show(await syncUsers(config, { context, offboard: 'delete' }));

    say('\n4. Event hooks: Okta calls the handler when people change; it re-reads just them');
    const secret = randomBytes(24).toString('base64url'); // the Authorization value registered with the hook
    const handler = createOktaEventHookHandler({
      secret,
      config,
      context,
      offboard: 'delete',
      batchDelayMs: 50,
      onEvent: (event) => {
        if (event.type === 'reconciled' && event.result) {
          say(`   reconciled ${event.users} user(s) from an event:`);
          show(event.result);
        }
      },
    });
    const server = createServer(oktaEventHookListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`;
    const verify = await fetch(url, {
      headers: { authorization: secret, 'x-okta-verification-challenge': 'hello' },
    });
    say(`   Okta's one-time verification → ${verify.status} ${await verify.text()}`);
    const wrong = await fetch(url, { method: 'POST', headers: { authorization: 'guess' }, body: '{}' });
    say(`   a request without the secret → ${wrong.status}`);
    await person('uma@acme.com', 'Uma', 'Support', ['cc-agents']);
    const delivery = {
      eventType: 'com.okta.event_hook',
      data: {
        events: [
          {
            uuid: randomBytes(16).toString('hex'),
            eventType: 'group.user_membership.add',
            target: [{ id: people['uma@acme.com'], type: 'User', alternateId: 'uma@acme.com' }],
          },
        ],
      },
    };
    const answer = await fetch(url, {
      method: 'POST',
      headers: { authorization: secret, 'content-type': 'application/json' },
      body: JSON.stringify(delivery),
    });
    say(
      `   Okta's delivery "uma joined cc-agents" → ${answer.status} (answered at once; the work runs after)`,
    );
    await handler.idle();
    await handler.close();
    await new Promise((resolve) => server.close(resolve));

    say('\n5. A periodic full sync closes what hooks missed: here, nothing');
    show(await syncUsers(config, { context, offboard: 'delete' }));
  }
} finally {
  await target.close();
}
