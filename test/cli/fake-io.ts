/**
 * An injected process for command tests: captured stdout/stderr, a scripted stdin (a TTY or a pipe),
 * an environment of our choosing and a temporary working directory.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/output.js';
import type { Sandbox } from '../../src/sandbox/index.js';

export interface FakeIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
  /** Everything written to either stream. */
  readonly all: () => string;
}

export interface FakeIoOptions {
  env?: Record<string, string | undefined>;
  /** Lines (or chunks) stdin yields; `undefined`: nothing, and never ends while a TTY waits. */
  stdin?: string[];
  stdinTty?: boolean;
  stdoutTty?: boolean;
  stderrTty?: boolean;
  cwd?: string;
  signal?: AbortSignal;
}

export function fakeIo(options: FakeIoOptions = {}): FakeIo {
  let out = '';
  let err = '';
  let all = '';
  const chunks = [...(options.stdin ?? [])];
  const stdin = {
    isTTY: options.stdinTty === true,
    setRawMode: () => undefined,
    pause: () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
    },
  };
  return {
    stdout: {
      isTTY: options.stdoutTty === true,
      columns: 120,
      write(chunk: string) {
        out += chunk;
        all += chunk;
        return true;
      },
    },
    stderr: {
      isTTY: options.stderrTty === true,
      columns: 120,
      write(chunk: string) {
        err += chunk;
        all += chunk;
        return true;
      },
    },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'cos-cli-')),
    ...(options.signal ? { signal: options.signal } : {}),
    out: () => out,
    err: () => err,
    all: () => all,
  };
}

/** The environment a user gets from `connect-okta-sso sandbox` (kept here for the command tests). */
export { sandboxEnv } from '../support/cli.js';

/** A small config for the sandbox. */
export function configYaml(sb: Sandbox, extra = ''): string {
  return `stack: cli-test
region: ${sb.aws.region}
instance:
  alias: cli-test
okta:
  orgUrl: ${sb.okta.orgUrl}
apps:
  - kind: admin
  - kind: ccp
${extra}`;
}
