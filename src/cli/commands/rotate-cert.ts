/**
 * `connect-okta-sso rotate-cert`: rotate the Okta apps' SAML signing certificates with zero downtime.
 */
import type { RotateOptions } from '../../index.js';
import {
  CONNECTION_OPTIONS,
  durationOption,
  flag,
  intOption,
  OKTA_TOKEN_STDIN_WITH_YES,
  stringOption,
} from '../args.js';
import { defineCommand } from '../command.js';
import { connect, loadRunConfig } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE, EXIT_USAGE_CREDENTIALS } from '../help.js';
import { confirm } from '../prompt.js';

/** `rotate-cert`'s options, help and exit codes. */
export const ROTATE_CERT_SPEC = {
  name: 'rotate-cert',
  usage: ['rotate-cert [--config sso.yaml] [--app KIND] [--yes] [options]'],
  description: [
    "Rotate the SAML signing certificate of the config's Okta apps without a moment when sign-in fails: generate a new key in Okta, make the IAM identity provider trust both the old and the new certificate, switch the app to the new key, then make IAM trust only the new one. Apps are rotated one after the other. Interrupted anywhere, sign-in keeps working, and running rotate-cert again finishes the rotation without generating another key. With --if-expiring-within / --if-older-than it rotates only when due, so it can run from a scheduler (with --yes).",
    'On a terminal it asks before changing anything (unless --yes); without a terminal it needs --yes.',
  ],
  options: {
    config: CONNECTION_OPTIONS.config,
    app: {
      type: 'string',
      value: 'KIND',
      description: 'Rotate only this app: admin, ccp or agent-workspace.',
      defaultText: 'every app',
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'Do not ask for confirmation. Required when stdin is not a terminal.',
    },
    'validity-years': {
      type: 'string',
      value: 'N',
      description: 'Validity of the new certificate, 2-10 years.',
      defaultText: "10 (Okta's default)",
    },
    'if-expiring-within': {
      type: 'string',
      value: 'DAYS',
      description: 'Only start a rotation when the certificate expires within DAYS days',
    },
    'if-older-than': {
      type: 'string',
      value: 'DAYS',
      description: 'Only start a rotation when the current key is older than DAYS days',
    },
    'propagation-delay': {
      type: 'string',
      value: 'D',
      description:
        'Wait after IAM trusts the new certificate before Okta switches (IAM is eventually consistent), e.g. 10s, 1m.',
      defaultText: '10s',
    },
    profile: CONNECTION_OPTIONS.profile,
    'okta-token-stdin': OKTA_TOKEN_STDIN_WITH_YES,
  },
  common: {
    json: 'Print {command, exitCode, result} as one JSON document',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [CREDENTIALS_NOTE],
  exitCodes: {
    0: 'rotated (or not due)',
    1: 'failed, interrupted (sign-in still works; run again) or cancelled',
    2: EXIT_USAGE_CREDENTIALS,
  },
} as const satisfies CommandSpec;

const APP_KINDS = ['admin', 'ccp', 'agent-workspace'] as const;

export const rotateCertCommand = defineCommand(ROTATE_CERT_SPEC, async (run) => {
  const { out, parsed } = run;
  const v = parsed.values;
  const yes = flag(v, 'yes');
  if (!yes && out.io.stdin.isTTY !== true) {
    throw new UsageError(
      'stdin is not a terminal, so rotate-cert cannot ask for confirmation before changing Okta and IAM',
      '--yes',
      'Pass --yes to rotate without asking (from a scheduler: with --if-expiring-within DAYS, so it rotates only when due).',
    );
  }
  const app = stringOption(v, 'app');
  if (app !== undefined && !(APP_KINDS as readonly string[]).includes(app))
    throw new UsageError(`--app must be one of ${APP_KINDS.join(', ')}, got '${app}'`, '--app');
  const validityYears = intOption(v, 'validity-years', 2, 10);
  const expiring = intOption(v, 'if-expiring-within', 0, 3650);
  const older = intOption(v, 'if-older-than', 0, 3650);
  const delay = durationOption(v, 'propagation-delay', 600_000);
  const path = stringOption(v, 'config') ?? 'sso.yaml';
  const loaded = await loadRunConfig(run, path);
  if (app !== undefined && !loaded.config.apps.some((a) => a.kind === app))
    throw new UsageError(`--app ${app}: the config has no ${app} app`, '--app');
  if (!yes) {
    const labels = loaded.config.apps
      .filter((a) => app === undefined || a.kind === app)
      .map((a) => `"${a.label}"`);
    const due =
      expiring !== undefined || older !== undefined
        ? ` where due (${[
            expiring !== undefined ? `expiring within ${expiring} days` : '',
            older !== undefined ? `older than ${older} days` : '',
          ]
            .filter((x) => x !== '')
            .join(' or ')})`
        : '';
    const question = `Rotate the SAML signing certificate of the Okta app${labels.length === 1 ? '' : 's'} ${labels.join(', ')}${due}, stack ${loaded.config.stack}?`;
    if (!(await confirm(out, question))) {
      out.err('Cancelled: nothing was changed.');
      if (run.json) out.json({ command: 'rotate-cert', exitCode: EXIT.failure, cancelled: true });
      return EXIT.failure;
    }
  }
  const { context, lib } = await connect(run, loaded, {
    profile: stringOption(v, 'profile'),
    tokenFromStdin: flag(v, 'okta-token-stdin'),
  });
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
});

/** `rotate-cert`'s help text (rendered from {@link ROTATE_CERT_SPEC}). */
export const ROTATE_CERT_HELP = rotateCertCommand.help;

export default rotateCertCommand;
