/**
 * The one connect-okta-sso config the workflow, CLI and sign-in tests provision against a sandbox — two
 * apps (admin, ccp) and their users — and the Okta people those users stand for.
 *
 * Variants are the same object with fields replaced: `config(sb, { roleMapping: 'group-mapping' })`,
 * `config(sb, { users: THREE_USERS })`; {@link configWithoutUsers} has no `users` field at all.
 */
import type { ConnectSsoConfig, UserConfig } from '../../src/config/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';

/** The admin app's user (an Admin security profile) and the CCP's agents. */
export const JANE: UserConfig = {
  login: 'jane.doe@acme.com',
  app: 'admin',
  connect: { securityProfiles: ['Admin'] },
};
export const AGENT1: UserConfig = { login: 'agent1@acme.com', app: 'ccp' };
export const AGENT2: UserConfig = { login: 'agent2@acme.com', app: 'ccp' };

/** The default users: Jane on the admin app, agent1 on the CCP. */
export const TWO_USERS: UserConfig[] = [JANE, AGENT1];
/** The default users and a second agent. */
export const THREE_USERS: UserConfig[] = [JANE, AGENT1, AGENT2];

/** The Okta people of {@link THREE_USERS}, in that order (`sb.admin.createOktaUser` input). */
export const PEOPLE = [
  { login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' },
  { login: 'agent1@acme.com', firstName: 'Agent', lastName: 'One' },
  { login: 'agent2@acme.com', firstName: 'Agent', lastName: 'Two' },
] as const;

/** Create the first `count` of {@link PEOPLE} in the sandbox's Okta (all three by default). */
export function addPeople(sb: Sandbox, count: number = PEOPLE.length): void {
  for (const person of PEOPLE.slice(0, count)) sb.admin.createOktaUser(person);
}

/** Stack `acme-cc` on instance `acme-cc` in us-east-1, the sandbox's Okta, both apps, no users. */
export function configWithoutUsers(sb: Sandbox, extra: Partial<ConnectSsoConfig> = {}): ConnectSsoConfig {
  return {
    stack: 'acme-cc',
    region: 'us-east-1',
    instance: { alias: 'acme-cc' },
    okta: { orgUrl: sb.okta.orgUrl },
    apps: [{ kind: 'admin' }, { kind: 'ccp' }],
    ...extra,
  };
}

/**
 * {@link configWithoutUsers} with {@link TWO_USERS}; `extra` replaces any field. Each call has users
 * of its own (copies), so a test may change them.
 */
export function config(sb: Sandbox, extra: Partial<ConnectSsoConfig> = {}): ConnectSsoConfig {
  const { users = TWO_USERS, ...rest } = extra;
  return configWithoutUsers(sb, { users: structuredClone(users), ...rest });
}
