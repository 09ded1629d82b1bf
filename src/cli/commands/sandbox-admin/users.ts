/** `sandbox admin add-user` and `activate-user`: the people in the sandbox's Okta directory. */
import { stringOption } from '../../args.js';
import { EXIT, UsageError } from '../../errors.js';
import { activateUser, addUser, USER_STATUSES } from './actions.js';
import { adminCommand, multi, required } from './define.js';

export const addUserCommand = adminCommand(
  'add-user',
  {
    summary: 'Add an Okta user (the directory; apply never creates Okta users)',
    usage: ['add-user --login EMAIL [options]'],
    description: [
      'Add a person to the sandbox\'s Okta directory, as the admin console\'s "Add person" with a password set: the user is ACTIVE and can sign in once apply assigned them. (A user created through the Okta API with activate=true and no password is PROVISIONED — "pending user action" — and cannot sign in until they finish the activation link: --status provisioned makes one; activate-user finishes it.)',
    ],
    options: {
      login: {
        type: 'string',
        value: 'EMAIL',
        description: 'The Okta login (email-shaped, unique). Required',
      },
      'first-name': {
        type: 'string',
        value: 'N',
        description: 'First name.',
        defaultText: "the login's part before @",
      },
      'last-name': { type: 'string', value: 'N', description: 'Last name.', defaultText: 'User' },
      email: { type: 'string', value: 'EMAIL', description: 'Primary email.', defaultText: 'the login' },
      status: {
        type: 'string',
        value: 'S',
        description: 'active, provisioned or staged.',
        defaultText: 'active',
      },
      group: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        description: 'Add the user to this existing Okta group (repeatable)',
      },
    },
  },
  async (run, client) => {
    const v = run.parsed.values;
    const statusText = stringOption(v, 'status');
    const status = statusText?.toUpperCase();
    if (status !== undefined && !(USER_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be active, provisioned or staged, got '${statusText}'`, '--status');
    }
    const user = await addUser(client, {
      login: required(run, 'login'),
      firstName: stringOption(v, 'first-name'),
      lastName: stringOption(v, 'last-name'),
      email: stringOption(v, 'email'),
      status: status as (typeof USER_STATUSES)[number] | undefined,
      groups: multi(run, 'group'),
    });
    if (run.json) run.out.json({ command: 'sandbox admin add-user', exitCode: EXIT.ok, user });
    else {
      run.out.print(`Added Okta user ${user.profile.login} (${user.id}), ${user.status}.`);
      if (user.status !== 'ACTIVE') {
        run.out.print(
          `They cannot sign in until they finish activation: connect-okta-sso sandbox admin activate-user --login ${user.profile.login}`,
        );
      }
    }
    return EXIT.ok;
  },
);

export const activateUserCommand = adminCommand(
  'activate-user',
  {
    summary: 'The person finishes their activation: a PROVISIONED user becomes ACTIVE',
    usage: ['activate-user --login EMAIL'],
    description: [
      'The person follows their activation link and sets a password: a PROVISIONED (or STAGED) Okta user becomes ACTIVE and can sign in.',
    ],
    options: {
      login: { type: 'string', value: 'EMAIL', description: 'The Okta login (or user id). Required' },
    },
  },
  async (run, client) => {
    const user = await activateUser(client, required(run, 'login'));
    if (run.json) run.out.json({ command: 'sandbox admin activate-user', exitCode: EXIT.ok, user });
    else run.out.print(`Okta user ${user.profile.login} is ${user.status}.`);
    return EXIT.ok;
  },
);
