/**
 * `connect-okta-sso demo`: the whole setup against an in-process sandbox, narrated (`npm run demo`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineCommand } from '../command.js';
import { EXIT } from '../errors.js';
import type { CommandSpec } from '../help.js';
import { demoScriptUrl, runDemo } from '../lib.js';

/** `demo`'s options, help and exit codes. */
export const DEMO_SPEC = {
  name: 'demo',
  usage: ['demo [--json]'],
  description: [
    'Provision a complete example setup — an admin app, a CCP app and three users — against an in-process sandbox, and print each step: the plan, the apply, the one manual click (which the sandbox stands in for), the resumed run and an idle re-run with zero writes. The same as npm run demo. Needs nothing: no AWS account, no Okta org, no network.',
  ],
  options: {},
  common: { json: 'Print {command, exitCode, transcript} as one JSON document' },
  exitCodes: { 0: 'the demo ran', 1: 'it failed' },
} as const satisfies CommandSpec;

export const demoCommand = defineCommand(DEMO_SPEC, async (run) => {
  if (!run.json) {
    // The demo is its own entry point beside the CLI; importing it runs it, printing as it goes.
    await runDemo();
    return EXIT.ok;
  }
  // --json: run it as a child and hand back its transcript as one document.
  const script = fileURLToPath(demoScriptUrl());
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        env: { ...run.out.io.env } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(run.out.io.signal ? { signal: run.out.io.signal } : {}),
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ code: status ?? 1, stdout: out, stderr: err }));
    },
  );
  const exitCode = code === 0 ? EXIT.ok : EXIT.failure;
  run.out.json({
    command: 'demo',
    exitCode,
    transcript: stdout.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1),
    ...(exitCode !== EXIT.ok ? { error: { message: stderr.trim() } } : {}),
  });
  return exitCode;
});

/** `demo`'s help text (rendered from {@link DEMO_SPEC}). */
export const DEMO_HELP = demoCommand.help;

export default demoCommand;
