/**
 * `connect-okta-sso doctor`: read the live setup and check every link a sign-in crosses. Reads only.
 */

import type { ResolvedConfig, SsoContext } from '../../index.js';
import { CONNECTION_OPTIONS, flag, intOption, stringOption } from '../args.js';
import { defineCommand, explainRun } from '../command.js';
import { connect, loadRunConfig } from '../credentials.js';
import { EXIT, formatExplained, isCredentialError } from '../errors.js';
import { type CommandSpec, CREDENTIALS_NOTE, EXIT_USAGE_CREDENTIALS } from '../help.js';
import type { Library } from '../lib.js';
import { errorSummary } from '../output.js';

/** `doctor`'s options, help and exit codes. */
export const DOCTOR_SPEC = {
  name: 'doctor',
  usage: ['doctor [--config sso.yaml] [options]'],
  description: [
    "Check the live setup link by link, as a sign-in crosses it: the Connect instance (ACTIVE, SAML), the federation policy, each IAM identity provider's signing certificate against the Okta app's (a rotated Okta certificate is the classic \"Response signature invalid\"), certificate expiry, each role's trust policy, the Okta apps (active, provider ARN, relay state), the role import or group mapping, and every configured user (assigned with the role in Okta; a Connect user with exactly the same username). Each finding is ok, warn or fail, and every warn or fail says how to fix it. Reads only.",
  ],
  options: {
    config: CONNECTION_OPTIONS.config,
    'warn-days': {
      type: 'string',
      value: 'N',
      description: 'Warn about signing certificates expiring within N days.',
      defaultText: '30',
    },
    profile: CONNECTION_OPTIONS.profile,
    'okta-token-stdin': CONNECTION_OPTIONS['okta-token-stdin'],
  },
  common: {
    json: 'Print {command, exitCode, report} as one JSON document',
    debug: 'Show every call made, and the cause chain of an error',
  },
  notes: [CREDENTIALS_NOTE],
  exitCodes: {
    0: 'no failures (warnings allowed)',
    1: 'the check could not run',
    2: EXIT_USAGE_CREDENTIALS,
    4: 'failures found',
  },
} as const satisfies CommandSpec;

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

/**
 * Whether AWS or Okta refuse the credentials (or none were found): the error that says so, from the
 * reads of a plan (the library's own reads and error mapping), or undefined.
 */
async function refusedCredentials(
  lib: Library,
  config: ResolvedConfig,
  context: SsoContext,
): Promise<Error | undefined> {
  let refused: Error | undefined;
  await lib.planConnectSso(config, {
    context,
    onEvent: (e) => {
      if (e.type === 'step-failed' && refused === undefined && isCredentialError(e.error)) refused = e.error;
    },
  });
  return refused;
}

export const doctorCommand = defineCommand(DOCTOR_SPEC, async (run) => {
  const { out, parsed } = run;
  const v = parsed.values;
  const warnDays = intOption(v, 'warn-days', 0, 3650);
  const path = stringOption(v, 'config') ?? 'sso.yaml';
  const loaded = await loadRunConfig(run, path);
  const { context, lib } = await connect(run, loaded, {
    profile: stringOption(v, 'profile'),
    tokenFromStdin: flag(v, 'okta-token-stdin'),
  });
  const report = await lib.doctor(loaded.config, {
    context,
    ...(warnDays !== undefined ? { expiryWarningDays: warnDays } : {}),
  });
  // The doctor turns a read that failed into a "could not check" finding. When there are such
  // findings, find out whether the credentials were refused (or missing): that is exit 2, and the one
  // thing to fix, rather than a list of failures.
  const couldNotCheck = report.findings.some(
    (f) => f.status === 'fail' && /^could not check\b/.test(f.message),
  );
  const refused = couldNotCheck ? await refusedCredentials(lib, loaded.config, context) : undefined;
  const explained = refused ? explainRun(run, refused) : undefined;
  const exitCode = explained ? explained.exitCode : report.summary.fail > 0 ? EXIT.doctorFailures : EXIT.ok;
  if (run.json) {
    out.json({
      command: 'doctor',
      exitCode,
      report,
      ...(explained && refused
        ? {
            error: {
              ...errorSummary(refused),
              code: explained.code,
              message: explained.message,
              fix: explained.fix,
            },
          }
        : {}),
    });
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
  if (explained) {
    out.print('');
    for (const line of formatExplained(explained, 'the checks could not run')) out.print(line);
  }
  return exitCode;
});

/** `doctor`'s help text (rendered from {@link DOCTOR_SPEC}). */
export const DOCTOR_HELP = doctorCommand.help;

export default doctorCommand;
