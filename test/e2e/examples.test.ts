/**
 * Every example in examples/ runs, as a user runs it (`npm run example -- <name>`: transpiled, importing
 * the built package by its name), against the sandbox it starts itself — so none of them rots.
 *
 * CI=true is set for every run: an example asked for the real target refuses to start, so these tests
 * can never reach a real AWS account or Okta org (test/setup.ts also strips AWS_* and OKTA_* variables).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const runner = join(root, 'scripts', 'run-example.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runExample(name: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [runner, name],
      {
        cwd: root,
        env: { ...process.env, CI: 'true', ...env },
        timeout: 110_000,
        maxBuffer: 8 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What each example must print: the steps of its task, and no secret. */
const EXPECTED: Record<string, RegExp[]> = {
  'first-setup': [
    /Target: a sandbox on http:\/\/127\.0\.0\.1:\d+/,
    /9 to create, 0 to update, 0 unchanged, 2 manual, 2 blocked/,
    /status: manual-action-required/,
    /Provisioning → Configure API Integration/,
    /\n\s+status: complete\n/,
    /status: complete, 0 writes/,
    /Amazon Connect CCP: http:\/\/127\.0\.0\.1:\d+\/home\/amazon_aws\/0oa\w+\/272/,
    /Connect users: 3 created/,
  ],
  'add-ccp-app': [
    /2 to create, 0 to update, 9 unchanged, 1 manual, 1 blocked/,
    /created by this run\? false/,
    /relay state\s+https:\/\/us-east-1\.console\.aws\.amazon\.com\/connect\/federate\/[0-9a-f-]{36}\?destination=%2Fccp-v2/,
    /Agents: 2 created in Connect, 1 unchanged/,
  ],
  'bulk-agents': [
    /Onboard 100 agents/,
    /100\/102 users/,
    /users: 100 created, 0 updated, 3 unchanged, 0 failed/,
    /\d+ reads, 0 writes, 103 users unchanged/,
  ],
  'adopt-console-setup': [
    /x connect instance acme-cc\s+blocked: .*not created by connect-okta-sso/,
    /0 to create, 0 to update, 0 unchanged, 0 manual, 9 blocked/,
    /1 to create, 6 to update, 2 unchanged, 0 manual, 0 blocked/,
    /status: complete\n/,
    /status: complete, 0 writes/,
  ],
  'sync-from-okta': [
    /created\s+sam@acme\.com \[CallCenterManager from mappings\[0\]\]/,
    /created\s+sia@acme\.com \[Agent, QualityAnalyst from mappings\[1\]\]/,
    /→ 3 created, 0 updated, 3 unchanged, 0 offboarded, 0 reported, 0 failed; \d+ reads, 0 writes/,
    /offboarded sia@acme\.com/,
    /updated\s+tom@acme\.com \[CallCenterManager from mappings\[0\]\]/,
    /Okta's one-time verification → 200 \{"verification":"hello"\}/,
    /a request without the secret → 401/,
    /reconciled 1 user\(s\) from an event:\n\s+created\s+uma@acme\.com/,
    /→ 0 created, 0 updated, 6 unchanged, 0 offboarded, 0 reported, 0 failed; \d+ reads, 0 writes/,
  ],
  teardown: [
    /\d+ to delete, 1 kept, 0 foreign, \d+ absent, 0 blocked/,
    /deleted okta app "Amazon Connect CCP"/,
    /status: complete, \d+ deleted, \d+ writes\n\s+kept connect instance acme-cc/,
    /3\. Again[^\n]*\n\s+status: complete, 0 deleted, 0 writes/,
    /connect instance acme-cc: deleted\n\s+instances left in the sandbox: 0/,
  ],
  'rotate-certificate': [
    /ok\s+iam saml-provider Okta_Connect_Admin: trusts Okta's current certificate/,
    /Amazon Connect CCP: after remove-old, agent\d@acme\.com still signs in/,
    /Amazon Connect Administrator: rotated\n\s+before\s+[0-9A-F:]+…\s+\(kid \S+\)\n\s+after\s+[0-9A-F:]+…/,
    /Amazon Connect CCP: not-needed/,
  ],
};

const examples = readdirSync(join(root, 'examples'))
  .filter((file) => file.endsWith('.ts') && !file.startsWith('_'))
  .map((file) => file.slice(0, -3));

describe('examples', () => {
  it('has an expectation for every example, and an example for every expectation', () => {
    expect([...examples].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.concurrent.each(examples)('%s runs against the sandbox', { timeout: 120_000 }, async (name) => {
    const run = await runExample(name);
    expect(run.stderr, run.stdout).toBe('');
    expect(run.code, run.stderr).toBe(0);
    for (const pattern of EXPECTED[name] ?? []) expect(run.stdout).toMatch(pattern);
    // An access key secret is a token of 40 characters of A-Z a-z 0-9 / +: none is printed.
    expect(run.stdout).not.toMatch(/(?<![\w/+-])[A-Za-z0-9/+]{40}(?![\w/+-])/);
  });

  it('each example names its guide, and that guide points back to it', () => {
    for (const name of examples) {
      const source = readFileSync(join(root, 'examples', `${name}.ts`), 'utf8');
      const guide = /Guide: (docs\/guides\/[\w-]+\.md)/.exec(source)?.[1];
      expect(guide, `examples/${name}.ts names no guide`).toBeDefined();
      expect(readFileSync(join(root, guide ?? ''), 'utf8')).toContain(`examples/${name}.ts`);
    }
  });

  it('every relative link in docs/ and examples/ resolves', () => {
    const broken: string[] = [];
    const files = [
      'docs/README.md',
      'docs/configuration.md',
      ...readdirSync(join(root, 'docs', 'guides')).map((f) => `docs/guides/${f}`),
    ];
    for (const file of files) {
      for (const [, target] of readFileSync(join(root, file), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^(https?:|mailto:|#)/.test(target)) continue;
        const path = join(root, dirname(file), target.replace(/#.*$/, ''));
        if (!existsSync(path)) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('refuses the real target in CI, before any request', async () => {
    const run = await runExample('first-setup', { CONNECT_OKTA_SSO_TARGET: 'real' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('CONNECT_OKTA_SSO_TARGET=real is refused when CI is set');
    expect(run.stdout).not.toContain('Target:');
  });

  it('refuses an unknown target instead of guessing', async () => {
    const run = await runExample('first-setup', { CONNECT_OKTA_SSO_TARGET: 'prod' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("must be 'sandbox' (the default) or 'real', not 'prod'");
  });
});
