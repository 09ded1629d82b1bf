/**
 * `connect-okta-sso doctor`: read the live setup and check every link a sign-in crosses. Reads only.
 */
import { CONNECTION_OPTIONS, flag, intOption, stringOption } from '../args.js';
import { defineCommand } from '../command.js';
import { buildContext, loadCliConfig, oktaAuth } from '../credentials.js';
import { EXIT } from '../errors.js';
import { loadLibrary } from '../lib.js';
import { commandLogger } from '../progress.js';

export const DOCTOR_HELP = `Usage: connect-okta-sso doctor [--config sso.yaml] [options]

Check the live setup link by link, as a sign-in crosses it: the Connect instance (ACTIVE, SAML), the
federation policy, each IAM identity provider's signing certificate against the Okta app's (a rotated
Okta certificate is the classic "Response signature invalid"), certificate expiry, each role's trust
policy, the Okta apps (active, provider ARN, relay state), the role import or group mapping, and every
configured user (assigned with the role in Okta; a Connect user with exactly the same username).
Each finding is ok, warn or fail, and every warn or fail says how to fix it. Reads only.

Options:
  -c, --config FILE     The config file (YAML or JSON). Default: sso.yaml
      --warn-days N     Warn about signing certificates expiring within N days. Default: 30
      --profile NAME    AWS profile (default: AWS_ACCESS_KEY_ID/… or the default credential chain)
      --okta-token-stdin
                        Read the Okta API token from stdin (typed without echo on a terminal)
      --json            Print {command, exitCode, report} as one JSON document
      --debug           Show every call made, and the cause chain of an error
  -h, --help            Show this help

Credentials: as for plan (OKTA_API_TOKEN or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE; AWS from
--profile or the default chain; AWS_ENDPOINT_URL for the sandbox).

Exit codes: 0 no failures (warnings allowed), 1 the check could not run, 2 invalid config or
credentials, 4 failures found.
`;

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export const doctorCommand = defineCommand(
  'doctor',
  DOCTOR_HELP,
  { ...CONNECTION_OPTIONS, 'warn-days': { type: 'string' } },
  async (run) => {
    const { out, parsed } = run;
    const v = parsed.values;
    const warnDays = intOption(v, 'warn-days', 0, 3650);
    const path = stringOption(v, 'config') ?? 'sso.yaml';
    run.configPath = path;
    const loaded = await loadCliConfig(out, path);
    const okta = await oktaAuth(out, loaded, { tokenFromStdin: flag(v, 'okta-token-stdin') });
    const context = await buildContext(out, loaded.config, {
      profile: stringOption(v, 'profile'),
      okta,
      logger: commandLogger(out, run.debug),
    });
    const lib = await loadLibrary();
    const report = await lib.doctor(loaded.config, {
      context,
      ...(warnDays !== undefined ? { expiryWarningDays: warnDays } : {}),
    });
    const exitCode = report.summary.fail > 0 ? EXIT.doctorFailures : EXIT.ok;
    if (run.json) {
      out.json({ command: 'doctor', exitCode, report });
      return exitCode;
    }
    out.print(
      `Doctor for stack ${loaded.config.stack} (${loaded.config.instance.alias}, ${loaded.config.region}):`,
    );
    let resource: string | undefined;
    for (const f of report.findings) {
      if (f.resource !== resource) {
        resource = f.resource;
        out.print(`${f.resource}`);
      }
      out.print(`  ${MARK[f.status]} ${f.check.padEnd(28)} ${f.message}`);
      if (f.status !== 'ok' && f.fix) out.print(`      fix: ${f.fix}`);
    }
    const s = report.summary;
    out.print('');
    out.print(`${s.ok} ok, ${s.warn} warning(s), ${s.fail} failure(s)`);
    return exitCode;
  },
);

export default doctorCommand;
