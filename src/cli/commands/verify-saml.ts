/**
 * `connect-okta-sso verify-saml`: check a SAMLResponse captured from a real sign-in, as AWS sign-in
 * checks it, each check with its fix.
 */
import { readFile } from 'node:fs/promises';
import type { VerifySamlResponseOptions } from '../../index.js';
import { type Parsed, stringOption } from '../args.js';
import { defineCommand } from '../command.js';
import { buildContext, loadRunConfig, resolvePath } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import type { CommandSpec } from '../help.js';
import { loadLibrary } from '../lib.js';
import type { Output } from '../output.js';
import { commandLogger } from '../progress.js';
import { readAll } from '../prompt.js';

/** `verify-saml`'s options, help and exit codes. */
export const VERIFY_SAML_SPEC = {
  name: 'verify-saml',
  usage: ['verify-saml --metadata FILE [--config sso.yaml] < samlresponse.b64'],
  description: [
    "Verify a SAMLResponse as AWS sign-in does, and say what to fix: the XML signature against the IdP metadata (immune to signature wrapping), issuer, audience, recipient, the validity window, the Role pairs, RoleSessionName and SessionDuration. With --config it also reads AWS: that each Role pair's identity provider and role exist and trust each other, and that a Connect user is named exactly like RoleSessionName (a case-only difference is pointed out).",
    'Capture the response in the browser: developer tools → Network → the POST to signin.aws.amazon.com/saml → Payload → SAMLResponse. Paste it into a file and pipe it in; base64, URL-encoded base64, "SAMLResponse=…" and raw XML are all accepted. A SAMLResponse is a bearer credential for a few minutes: this command never sends it anywhere.',
  ],
  options: {
    metadata: {
      type: 'string',
      short: 'm',
      value: 'FILE',
      description:
        'The IdP metadata XML (Okta: the app → Sign On → View SAML setup instructions / IdP metadata). Optional with --config: the metadata of the identity provider the Role attribute names is then read from IAM',
    },
    config: {
      type: 'string',
      short: 'c',
      value: 'FILE',
      description: 'Also check against the live AWS setup of this config',
    },
    at: {
      type: 'string',
      value: 'TIME',
      description:
        'Check the validity window at this ISO 8601 time instead of now (for a response captured earlier)',
    },
    'clock-skew': {
      type: 'string',
      value: 'S',
      description: 'Tolerated clock difference in seconds.',
      defaultText: '300',
    },
    profile: { type: 'string', value: 'NAME', description: 'AWS profile, with --config' },
  },
  common: {
    json: 'Print {command, exitCode, verification} as one JSON document',
    debug: 'The cause chain of an error',
  },
  notes: [
    'Credentials (with --config only): AWS from --profile or the default credential chain; AWS_ENDPOINT_URL points the AWS clients elsewhere (the sandbox). Never a flag.',
  ],
  exitCodes: {
    0: 'every check passed',
    1: 'a check failed',
    2: 'invalid input (no response on stdin, unreadable metadata, invalid config), or with --config AWS credentials missing or refused',
  },
} as const satisfies CommandSpec;

const MARK = { ok: '✓', warn: '!', fail: '✗', skip: '-' } as const;

function timeOption(values: Parsed['values']): Date | undefined {
  const at = stringOption(values, 'at');
  if (at === undefined) return undefined;
  const date = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(date.getTime()))
    throw new UsageError(`--at must be an ISO 8601 time such as 2026-05-01T12:00:00Z, got '${at}'`, '--at');
  return date;
}

function skewOption(values: Parsed['values']): number | undefined {
  const s = stringOption(values, 'clock-skew');
  if (s === undefined) return undefined;
  const n = Number(s);
  if (s.trim() === '' || !Number.isInteger(n) || n < 0 || n > 86_400)
    throw new UsageError(
      `--clock-skew must be a number of seconds from 0 to 86400, got '${s}'`,
      '--clock-skew',
    );
  return n;
}

async function readResponse(out: Output): Promise<string> {
  if (out.io.stdin.isTTY === true) {
    throw new UsageError(
      'no SAMLResponse on stdin',
      'stdin',
      'Pipe the captured response in: connect-okta-sso verify-saml --metadata idp.xml < samlresponse.b64',
    );
  }
  let text: string;
  try {
    text = await readAll(out.io.stdin, 4 * 1024 * 1024);
  } catch {
    throw new UsageError('stdin holds more than 4 MB: that is not a SAMLResponse', 'stdin');
  }
  if (text.trim() === '')
    throw new UsageError(
      'stdin is empty: no SAMLResponse to verify',
      'stdin',
      'Pipe the captured response in: … < samlresponse.b64',
    );
  return text;
}

export const verifySamlCommand = defineCommand(VERIFY_SAML_SPEC, async (run) => {
  const { out, parsed } = run;
  const v = parsed.values;
  const metadataFile = stringOption(v, 'metadata');
  const configPath = stringOption(v, 'config');
  if (metadataFile === undefined && configPath === undefined) {
    throw new UsageError(
      'give --metadata FILE (the IdP metadata), or --config to read it from IAM',
      '--metadata',
      'Download the metadata from the Okta app (Sign On → IdP metadata) and pass --metadata idp.xml.',
    );
  }
  const now = timeOption(v);
  const skew = skewOption(v);
  let metadata: string | undefined;
  if (metadataFile !== undefined) {
    try {
      metadata = await readFile(resolvePath(out, metadataFile), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--metadata: cannot read ${metadataFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
        '--metadata',
      );
    }
  }
  const samlResponse = await readResponse(out);
  const lib = await loadLibrary();
  const options: VerifySamlResponseOptions = {
    ...(metadata !== undefined ? { metadata } : {}),
    ...(now ? { now } : {}),
    ...(skew !== undefined ? { clockSkewSeconds: skew } : {}),
  };
  if (configPath !== undefined) {
    const loaded = await loadRunConfig(run, configPath);
    const config = loaded.config;
    const context = await buildContext(out, config, {
      profile: stringOption(v, 'profile'),
      logger: commandLogger(out, run.debug),
    });
    options.context = context;
    options.recipients = lib.samlAudiences(config.region, true);
    if (config.partition === 'aws-us-gov') options.audience = 'urn:amazon:webservices:govcloud';
    // The instance, found by alias without writing anything (a dry run of step 1).
    try {
      const instance = await lib.createSamlInstance(context, {
        alias: config.instance.alias,
        dryRun: true,
        adopt: true,
      });
      if (instance.instanceId) options.instanceId = instance.instanceId;
      else
        out.err(
          `warning: no Connect instance ${config.instance.alias} in ${config.region}: the Connect user is not checked`,
        );
    } catch (error) {
      out.err(
        `warning: cannot use Connect instance ${config.instance.alias} (${(error as Error).message}): the Connect user is not checked`,
      );
    }
  }
  const verification = await lib.verifySamlResponse(samlResponse, options);
  const exitCode = verification.ok ? EXIT.ok : EXIT.failure;
  if (run.json) {
    out.json({ command: 'verify-saml', exitCode, verification });
    return exitCode;
  }
  const a = verification.assertion;
  if (a) {
    out.print(`Issuer:           ${a.issuer}`);
    out.print(`NameID:           ${a.nameId ?? '(none)'}`);
    out.print(`RoleSessionName:  ${a.roleSessionName ?? '(none)'}`);
    for (const r of a.roles) out.print(`Role:             ${r.roleArn} via ${r.providerArn}`);
    if (a.sessionDuration !== undefined) out.print(`SessionDuration:  ${a.sessionDuration} s`);
    out.print(
      `Valid:            ${a.notBefore?.toISOString() ?? '…'} to ${a.notOnOrAfter?.toISOString() ?? '…'}`,
    );
    out.print('');
  }
  for (const c of verification.checks) {
    out.print(`${MARK[c.status]} ${c.check.padEnd(18)} ${c.message}`);
    if ((c.status === 'fail' || c.status === 'warn') && c.fix) out.print(`    fix: ${c.fix}`);
  }
  out.print('');
  out.print(
    verification.ok
      ? 'The response passes every check AWS sign-in makes.'
      : 'AWS sign-in would reject this response.',
  );
  return exitCode;
});

/** `verify-saml`'s help text (rendered from {@link VERIFY_SAML_SPEC}). */
export const VERIFY_SAML_HELP = verifySamlCommand.help;

export default verifySamlCommand;
