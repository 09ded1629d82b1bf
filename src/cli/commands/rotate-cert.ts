/**
 * `connect-okta-sso rotate-cert`: rotate the Okta apps' SAML signing certificates with zero downtime.
 */
import type { RotateOptions } from '../../index.js';
import { CONNECTION_OPTIONS, durationOption, flag, intOption, stringOption } from '../args.js';
import { defineCommand } from '../command.js';
import { buildContext, loadCliConfig, oktaAuth } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import { loadLibrary } from '../lib.js';
import { commandLogger } from '../progress.js';

export const ROTATE_CERT_HELP = `Usage: connect-okta-sso rotate-cert [--config sso.yaml] [--app KIND] [options]

Rotate the SAML signing certificate of the config's Okta apps without a moment when sign-in fails:
generate a new key in Okta, make the IAM identity provider trust both the old and the new certificate,
switch the app to the new key, then make IAM trust only the new one. Apps are rotated one after the
other. Interrupted anywhere, sign-in keeps working, and running rotate-cert again finishes the
rotation without generating another key. With --if-expiring-within / --if-older-than it rotates only
when due, so it can run from a scheduler.

Options:
  -c, --config FILE     The config file (YAML or JSON). Default: sso.yaml
      --app KIND        Rotate only this app: admin, ccp or agent-workspace. Default: every app
      --validity-years N
                        Validity of the new certificate, 2-10 years. Default: 10 (Okta's default)
      --if-expiring-within DAYS
                        Only start a rotation when the certificate expires within DAYS days
      --if-older-than DAYS
                        Only start a rotation when the current key is older than DAYS days
      --propagation-delay D
                        Wait after IAM trusts the new certificate before Okta switches (IAM is eventually
                        consistent), e.g. 10s, 1m. Default: 10s
      --profile NAME    AWS profile (default: AWS_ACCESS_KEY_ID/… or the default credential chain)
      --okta-token-stdin
                        Read the Okta API token from stdin (typed without echo on a terminal)
      --json            Print {command, exitCode, result} as one JSON document
      --debug           Show every call made, and the cause chain of an error
  -h, --help            Show this help

Credentials: as for plan (OKTA_API_TOKEN or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE; AWS from
--profile or the default chain; AWS_ENDPOINT_URL for the sandbox).

Exit codes: 0 rotated (or not due), 1 failed or interrupted (sign-in still works; run again),
2 invalid input, config or credentials.
`;

const APP_KINDS = ['admin', 'ccp', 'agent-workspace'] as const;

export const rotateCertCommand = defineCommand(
  'rotate-cert',
  ROTATE_CERT_HELP,
  {
    ...CONNECTION_OPTIONS,
    app: { type: 'string' },
    'validity-years': { type: 'string' },
    'if-expiring-within': { type: 'string' },
    'if-older-than': { type: 'string' },
    'propagation-delay': { type: 'string' },
  },
  async (run) => {
    const { out, parsed } = run;
    const v = parsed.values;
    const app = stringOption(v, 'app');
    if (app !== undefined && !(APP_KINDS as readonly string[]).includes(app))
      throw new UsageError(`--app must be one of ${APP_KINDS.join(', ')}, got '${app}'`, '--app');
    const validityYears = intOption(v, 'validity-years', 2, 10);
    const expiring = intOption(v, 'if-expiring-within', 0, 3650);
    const older = intOption(v, 'if-older-than', 0, 3650);
    const delay = durationOption(v, 'propagation-delay', 600_000);
    const path = stringOption(v, 'config') ?? 'sso.yaml';
    run.configPath = path;
    const loaded = await loadCliConfig(out, path);
    if (app !== undefined && !loaded.config.apps.some((a) => a.kind === app))
      throw new UsageError(`--app ${app}: the config has no ${app} app`, '--app');
    const okta = await oktaAuth(out, loaded, { tokenFromStdin: flag(v, 'okta-token-stdin') });
    const logger = commandLogger(out, run.debug);
    const context = await buildContext(out, loaded.config, {
      profile: stringOption(v, 'profile'),
      okta,
      logger,
    });
    const lib = await loadLibrary();
    const options: RotateOptions = {
      context,
      ...(app !== undefined ? { app: app as (typeof APP_KINDS)[number] } : {}),
      ...(validityYears !== undefined ? { validityYears } : {}),
      ...(expiring !== undefined ? { ifExpiringWithinDays: expiring } : {}),
      ...(older !== undefined ? { ifOlderThanDays: older } : {}),
      ...(delay !== undefined ? { propagationDelayMs: delay } : {}),
      // Each finished stage, as a log line (the library reads the live state back itself).
      verify: async (stage, ref) => {
        out.err(`${ref.label}: ${stage} done`);
      },
    };
    const result = await lib.rotateSigningCertificate(loaded.config, options);
    if (run.json) {
      out.json({ command: 'rotate-cert', exitCode: EXIT.ok, result });
      return EXIT.ok;
    }
    for (const a of result.apps) {
      const word = a.outcome === 'not-needed' ? 'not due' : a.outcome;
      out.print(`Okta app "${a.label}": ${word}`);
      if (a.previous)
        out.print(
          `  previous certificate  ${a.previous.fingerprint256} (expires ${a.previous.notAfter.toISOString().slice(0, 10)})`,
        );
      out.print(
        `  current certificate   ${a.current.fingerprint256} (expires ${a.current.notAfter.toISOString().slice(0, 10)})`,
      );
      out.print(`  identity provider     ${a.providerArn}`);
      for (const change of a.changes) out.print(`  - ${change}`);
    }
    return EXIT.ok;
  },
);

export default rotateCertCommand;
