/** `sandbox admin login`: a user's sign-in from Okta to Amazon Connect, simulated. */
import { stringOption } from '../../args.js';
import { EXIT } from '../../errors.js';
import { signIn } from './actions.js';
import { adminCommand, required } from './define.js';

export const loginCommand = adminCommand(
  'login',
  {
    summary: "Simulate a user's sign-in from Okta to Amazon Connect",
    usage: ['login --login EMAIL [--app ID|LABEL] [options]'],
    description: [
      "Simulate a user's sign-in as it happens in a browser: the Okta app issues its signed SAML response, AWS sign-in checks it against the IAM identity provider and the role's trust policy, and Amazon Connect checks the role's permission and finds the Connect user. Prints where the user lands, or the stage that failed with the message the user would see and what to change.",
    ],
    options: {
      login: { type: 'string', value: 'EMAIL', description: "The Okta user's login. Required" },
      app: {
        type: 'string',
        value: 'ID|LABEL',
        description: 'The Okta app.',
        defaultText: 'the one app the user is assigned to',
      },
      'relay-state': {
        type: 'string',
        value: 'URL',
        description: 'The relay state to post.',
        defaultText: "the app's",
      },
    },
  },
  async (run, client) => {
    const login = required(run, 'login');
    const result = await signIn(client, {
      login,
      app: stringOption(run.parsed.values, 'app'),
      relayState: stringOption(run.parsed.values, 'relay-state'),
    });
    const exitCode = result.ok ? EXIT.ok : EXIT.failure;
    if (run.json) {
      run.out.json({ command: 'sandbox admin login', exitCode, result });
      return exitCode;
    }
    if (result.ok) {
      run.out.print(`✓ ${login} signed in to Amazon Connect as ${result.connectUser.username}`);
      run.out.print(`  role:     ${result.roleArn}`);
      run.out.print(`  lands on: ${result.relayState}`);
    } else {
      run.out.print(`✗ ${login} cannot sign in: it fails at ${result.stage}`);
      run.out.print(`  the user sees: ${result.message}`);
      run.out.print(`  why:           ${result.detail}`);
    }
    return exitCode;
  },
);
