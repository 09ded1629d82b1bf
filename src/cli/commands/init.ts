/**
 * `connect-okta-sso init`: write a commented starter config. Asks on a terminal; takes flags otherwise.
 * Validates what it writes, and never overwrites a file.
 */
import { existsSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { type Parsed, stringOption } from '../args.js';
import { defineCommand } from '../command.js';
import { resolvePath } from '../credentials.js';
import { EXIT, UsageError } from '../errors.js';
import type { CommandSpec } from '../help.js';
import { loadLibrary } from '../lib.js';
import type { Output } from '../output.js';
import { ask } from '../prompt.js';

/** `init`'s options, help and exit codes. */
export const INIT_SPEC = {
  name: 'init',
  usage: ['init [--region R --alias A --org-url URL] [--apps admin,ccp] [--out FILE]'],
  description: [
    'Write a commented starter config (YAML) and check it. On a terminal it asks for what the flags do not give; otherwise --region, --alias and --org-url are required. It never overwrites a file, and never writes a secret: Okta and AWS credentials stay in the environment.',
  ],
  options: {
    region: {
      type: 'string',
      value: 'R',
      description: 'AWS region of the Connect instance, e.g. us-east-1.',
      defaultText: 'on a terminal, AWS_REGION, else us-east-1',
    },
    alias: {
      type: 'string',
      value: 'A',
      description: 'Connect instance alias: globally unique, never changeable (<alias>.my.connect.aws)',
    },
    'org-url': {
      type: 'string',
      value: 'URL',
      description: 'Okta org URL, e.g. https://acme.okta.com.',
      defaultText: 'on a terminal, OKTA_ORG_URL',
    },
    apps: {
      type: 'string',
      value: 'LIST',
      description: 'Okta apps to create: admin, ccp, agent-workspace.',
      defaultText: 'admin,ccp',
    },
    'role-mapping': {
      type: 'string',
      value: 'M',
      description:
        'api-integration (the AWS guide; one manual step in Okta) or group-mapping (roles from Okta groups; no manual step).',
      defaultText: 'api-integration',
    },
    out: {
      type: 'string',
      short: 'o',
      value: 'FILE',
      description: 'Where to write.',
      defaultText: 'sso.yaml',
    },
  },
  common: { json: 'Print {command, exitCode, path, config} instead of text' },
  exitCodes: { 0: 'written', 2: 'invalid value or the file exists' },
} as const satisfies CommandSpec;

const FLAG_OF: Record<string, string> = {
  region: '--region',
  'instance.alias': '--alias',
  'okta.orgUrl': '--org-url',
  apps: '--apps',
  roleMapping: '--role-mapping',
};

interface Answers {
  region: string;
  alias: string;
  orgUrl: string;
  apps: string[];
  roleMapping: string;
}

const yamlString = (s: string): string =>
  /^[\w./:@-]+$/.test(s) && !/^[-:]/.test(s) ? s : JSON.stringify(s);

const APP_NOTE: Record<string, string> = {
  admin: 'label "Amazon Connect Administrator", IAM role Okta_Role; lands on the admin website',
  ccp: 'label "Amazon Connect CCP", IAM role Okta_CCP_Role; lands on the Contact Control Panel',
  'agent-workspace': 'label "Amazon Connect Agent Workspace", IAM role Okta_Agent_Role',
};

/** The starter file: every choice commented, credentials nowhere. */
export function starterYaml(a: Answers): string {
  const apps = a.apps
    .map((k) => `  - kind: ${yamlString(k)}${APP_NOTE[k] ? `   # ${APP_NOTE[k]}` : ''}`)
    .join('\n');
  const firstApp = a.apps[0] ?? 'admin';
  return `# yaml-language-server: $schema=./node_modules/connect-okta-sso/schema/connect-okta-sso.schema.json
#
# connect-okta-sso: Single Sign-On for Amazon Connect with Okta as the SAML identity provider.
#   connect-okta-sso plan  --config <this file>   shows what would change (reads only)
#   connect-okta-sso apply --config <this file>   makes it so
# Every field not written here has a default (the AWS guide's names): see the configuration reference.
#
# No secrets in this file. Okta: export OKTA_API_TOKEN, or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE
# (OAuth, which Okta recommends). AWS: --profile, AWS_PROFILE or the default credential chain.

# The ownership tag put on every AWS resource created; two configs with different stacks never touch
# each other's resources. Default: the instance alias.
# stack: ${yamlString(a.alias)}

# The AWS region of the Connect instance.
region: ${yamlString(a.region)}

instance:
  # Globally unique and never changeable: it names https://<alias>.my.connect.aws and is how the
  # instance is found. Created with SAML 2.0 identity management when missing.
  alias: ${yamlString(a.alias)}
  inboundCalls: true
  outboundCalls: true

okta:
  # The org's base URL, without a path.
  orgUrl: ${yamlString(a.orgUrl)}

# How a user's SAML role is decided:
#   api-integration  the AWS guide: Okta imports the IAM roles with an IAM user's access key, which an
#                    Okta admin enters once in the admin console (apply says exactly where)
#   group-mapping    roles from Okta group names; no IAM user, no access key, no manual step
roleMapping: ${yamlString(a.roleMapping)}

# One Okta "AWS Account Federation" app per entry point; each gets its own IAM identity provider and role.
apps:
${apps}

# The people to give access: each is assigned to an app in Okta and gets a Connect user named exactly
# like their Okta username. Default: none (the plan then has no user step). To add some, uncomment
# and edit:
# users:
#   - login: jane.doe@example.com
#     app: ${firstApp}
#     connect: { securityProfiles: [Admin] }
`;
}

async function answers(out: Output, values: Parsed['values']): Promise<Answers> {
  const env = out.io.env;
  const given = (name: string) => stringOption(values, name);
  const interactive = out.io.stdin.isTTY === true;
  const missing = ['region', 'alias', 'org-url'].filter((n) => given(n) === undefined);
  if (missing.length > 0 && !interactive) {
    throw new UsageError(
      `${missing.map((m) => `--${m}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} required when stdin is not a terminal`,
      `--${missing[0]}`,
      'Pass them, e.g. connect-okta-sso init --region us-east-1 --alias acme-cc --org-url https://acme.okta.com',
    );
  }
  const q = async (name: string, question: string, fallback: string | undefined): Promise<string> => {
    const v = given(name);
    if (v !== undefined) return v;
    if (!interactive) return fallback ?? '';
    for (;;) {
      const answer = await ask(out, question, fallback);
      if (answer !== '') return answer;
      out.err('  (required)');
    }
  };
  const region = await q('region', 'AWS region of the Connect instance', env.AWS_REGION ?? 'us-east-1');
  const alias = await q('alias', 'Connect instance alias (globally unique, never changeable)', undefined);
  const orgUrl = await q('org-url', 'Okta org URL', env.OKTA_ORG_URL ?? undefined);
  const apps = await q('apps', 'Okta apps (admin, ccp, agent-workspace)', 'admin,ccp');
  const roleMapping = await q(
    'role-mapping',
    'Role mapping (api-integration or group-mapping)',
    'api-integration',
  );
  return {
    region: region.trim(),
    alias: alias.trim(),
    orgUrl: orgUrl.trim(),
    apps: apps
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    roleMapping: roleMapping.trim(),
  };
}

export const initCommand = defineCommand(INIT_SPEC, async (run) => {
  const { out, parsed } = run;
  const interactive = out.io.stdin.isTTY === true;
  let target = stringOption(parsed.values, 'out');
  const refuse = (file: string) =>
    new UsageError(
      `${file} already exists; init never overwrites a file`,
      file,
      'Choose another --out FILE, or edit the existing file.',
    );
  if (target !== undefined && existsSync(resolvePath(out, target))) throw refuse(target);
  const a = await answers(out, parsed.values);
  if (target === undefined) target = interactive ? await ask(out, 'Write to', 'sso.yaml') : 'sso.yaml';
  if (!/\.ya?ml$/i.test(target))
    throw new UsageError(`--out ${target}: init writes YAML, so the file must end in .yaml or .yml`, '--out');
  const path = resolvePath(out, target);
  const text = starterYaml(a);

  // Check before writing, so a bad flag leaves nothing behind; field errors name the flag.
  const lib = await loadLibrary();
  try {
    lib.validateConfig(await lib.parseConfigText(text, 'yaml', target), {
      env: {},
      requireOktaAuth: false,
    });
  } catch (error) {
    const e = error as { code?: string; field?: string; issues?: { field: string; message: string }[] };
    if (e.code === 'CONFIG_INVALID' && e.issues) {
      const issues = e.issues.map((i) => {
        const root = Object.keys(FLAG_OF).find(
          (f) => i.field === f || i.field.startsWith(`${f}[`) || i.field.startsWith(`${f}.`),
        );
        return `${root ? FLAG_OF[root] : i.field}: ${i.message}`;
      });
      const first = e.issues[0]?.field ?? '';
      const root = Object.keys(FLAG_OF).find(
        (f) => first === f || first.startsWith(`${f}[`) || first.startsWith(`${f}.`),
      );
      throw new UsageError(
        issues.join('; '),
        root ? FLAG_OF[root] : first,
        'Correct the value; nothing was written.',
      );
    }
    throw error;
  }

  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(target);
    throw new UsageError(
      `cannot create ${target} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      '--out',
    );
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  // What was written is what the other commands will read.
  let config: Awaited<ReturnType<typeof lib.loadConfig>>;
  try {
    config = await lib.loadConfig(path, { env: {}, requireOktaAuth: false });
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
  if (run.json) {
    out.json({
      command: 'init',
      exitCode: EXIT.ok,
      path,
      config: { ...config, okta: { orgUrl: config.okta.orgUrl } },
    });
    return EXIT.ok;
  }
  out.print(
    `Wrote ${target} (stack ${config.stack}, ${config.apps.map((x) => x.kind).join(' + ')}, ${config.roleMapping}).`,
  );
  out.print('Next:');
  out.print(
    '  export OKTA_API_TOKEN=…        (or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY_FILE; never in the file)',
  );
  out.print(`  connect-okta-sso plan --config ${target}`);
  out.print(`  connect-okta-sso apply --config ${target}`);
  return EXIT.ok;
});

/** `init`'s help text (rendered from {@link INIT_SPEC}). */
export const INIT_HELP = initCommand.help;

export default initCommand;
