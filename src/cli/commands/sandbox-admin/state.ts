/** `sandbox admin state`: what the sandbox holds, secrets redacted. */
import { EXIT } from '../../errors.js';
import { readState } from './actions.js';
import { adminCommand } from './define.js';

/** The state as lines: one heading per kind of thing, with a count, then one line per item. */
function summarize(state: Record<string, unknown>): string[] {
  type Named = Record<string, Record<string, unknown>>;
  const okta = (state.okta ?? {}) as { users?: Named; apps?: Named; groups?: Named };
  const iam = (state.iam ?? {}) as { roles?: Named; users?: Named; samlProviders?: Named; policies?: Named };
  const connect = (state.connect ?? {}) as { instances?: Named };
  const lines: string[] = [];
  const list = (title: string, items: string[]) => {
    lines.push(`${title} (${items.length})`);
    for (const item of items) lines.push(`  ${item}`);
  };
  list(
    'Okta users',
    Object.values(okta.users ?? {}).map(
      (u) => `${String((u.profile as { login?: string })?.login)}  ${String(u.status)}`,
    ),
  );
  list(
    'Okta apps',
    Object.values(okta.apps ?? {}).map((a) => {
      const integration = a.apiIntegration
        ? `API integration on (${(a.importedRoles as string[]).length} role(s) imported)`
        : 'API integration off';
      return `"${String(a.label)}" ${String(a.id)}  ${String(a.status)}  ${integration}`;
    }),
  );
  list(
    'Okta groups',
    Object.values(okta.groups ?? {}).map(
      (g) => `${String((g.profile as { name?: string })?.name)}  ${(g.members as string[]).length} member(s)`,
    ),
  );
  list('IAM roles', Object.keys(iam.roles ?? {}));
  list('IAM users', Object.keys(iam.users ?? {}));
  list('IAM SAML providers', Object.keys(iam.samlProviders ?? {}));
  list(
    'Connect instances',
    Object.values(connect.instances ?? {}).map(
      (i) =>
        `${String(i.alias)} ${String(i.id)}  ${String(i.status)}  ${Object.keys((i.users as object) ?? {}).length} user(s)`,
    ),
  );
  return lines;
}

export const stateCommand = adminCommand(
  'state',
  {
    summary: 'Show what the sandbox holds (secrets redacted)',
    usage: ['state [--json]'],
    description: [
      'What the sandbox holds: Okta users (with their status), apps (with their API integration), groups; IAM roles, users and SAML providers; Connect instances. --json prints the whole state, secrets redacted.',
    ],
    options: {},
  },
  async (run, client) => {
    const state = await readState(client);
    if (run.json) run.out.json({ command: 'sandbox admin state', exitCode: EXIT.ok, state });
    else for (const line of summarize(state)) run.out.print(line);
    return EXIT.ok;
  },
);
