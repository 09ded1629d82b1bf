/** `sandbox admin enable-api-integration`: the Okta console click apply stops at (exit 3). */
import { readFileSync } from 'node:fs';
import { flag, stringOption } from '../../args.js';
import { resolvePath } from '../../credentials.js';
import { EXIT, UsageError } from '../../errors.js';
import { enableApiIntegrations, parseAccessKeyCsv } from './actions.js';
import { adminCommand, multi } from './define.js';

export const enableApiIntegrationCommand = adminCommand(
  'enable-api-integration',
  {
    summary: "The Okta app's Provisioning → API Integration with the access key apply made",
    usage: ['enable-api-integration [--app ID|LABEL]... [options]'],
    description: [
      'The manual step apply stops at (exit 3): in each Okta "AWS Account Federation" app, Provisioning → Configure API Integration with the access key apply made for okta_cli_user, Test API Credentials, Save; then To App → Create Users and Update User Attributes. Okta reads the IAM roles with the key (a key without iam:ListRoles fails as it would for real) and imports those that trust the app\'s identity provider. Run apply again afterwards.',
    ],
    options: {
      app: {
        type: 'string',
        multiple: true,
        value: 'ID|LABEL',
        description: 'The app (its id or label, e.g. "Amazon Connect Administrator"); repeatable.',
        defaultText: 'every amazon_aws app whose API integration is not enabled yet',
      },
      'access-key-file': {
        type: 'string',
        value: 'FILE',
        description: "The access key in the AWS console's CSV layout, as apply wrote it.",
        default: 'okta_cli_user_accessKeys.csv',
      },
      'no-create-users': {
        type: 'boolean',
        description: 'Leave "Create Users" off (apply keeps waiting for it)',
      },
    },
  },
  async (run, client) => {
    const file = stringOption(run.parsed.values, 'access-key-file') ?? 'okta_cli_user_accessKeys.csv';
    let text: string;
    try {
      text = readFileSync(resolvePath(run.out, file), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--access-key-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        '--access-key-file',
        'Run it where apply wrote okta_cli_user_accessKeys.csv (beside the config), or name the file apply wrote the key to.',
      );
    }
    const key = parseAccessKeyCsv(text, file);
    run.out.redactor.add(key.secretAccessKey);
    const results = await enableApiIntegrations(client, {
      apps: multi(run, 'app'),
      key,
      ...(flag(run.parsed.values, 'no-create-users') ? { createUsers: false } : {}),
    });
    if (run.json) {
      run.out.json({
        command: 'sandbox admin enable-api-integration',
        exitCode: EXIT.ok,
        accessKeyId: key.accessKeyId,
        apps: results,
      });
    } else {
      for (const r of results) {
        const roles = r.importedRoles.length > 0 ? r.importedRoles.join(', ') : 'none';
        run.out.print(
          `API integration enabled for "${r.app.label}" (${r.app.id}) with ${key.accessKeyId}; roles imported: ${roles}`,
        );
      }
      run.out.print('Now run apply again: it sees the integration and assigns the users.');
    }
    return EXIT.ok;
  },
);
