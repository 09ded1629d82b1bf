/**
 * A teardown killed after any of its writes is finished by the next run, to the end state of an
 * uninterrupted teardown; the run after that writes nothing.
 *
 * A crash is modelled as in the provisioning reliability tests: the sandbox's `onRequest` hook fires
 * once the k-th write has been served (its effect is in the state) and before its response is sent,
 * and aborts the run's signal — that response and any other in flight are lost, nothing more is sent.
 * The killed run's result is thrown away. Each position starts from the same provisioned setup, loaded
 * from a sandbox state file, so that every position meets exactly the same resources.
 */
import { copyFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry, Sandbox, SandboxState } from '../../../src/sandbox/index.js';
import { destroyConnectSso } from '../../../src/workflows/destroy/destroy.js';
import { connectClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import {
  addQuickConnect,
  type Mode,
  otherStackConfig,
  PEOPLE,
  provisionFully,
  removeTempFiles,
  residue,
  stackConfig,
  stackView,
  tempFile,
} from './fixtures.js';

afterAll(removeTempFiles);

type Observer = ((e: RequestLogEntry) => void) | undefined;

/** A provisioned setup (this stack and another), saved as a sandbox state file. */
async function provisionedStateFile(mode: Mode): Promise<string> {
  const file = tempFile('provisioned.json');
  const sb = await startTestSandbox({ stateFile: file });
  try {
    for (const person of PEOPLE) sb.admin.createOktaUser(person);
    const ctx = (stack: string) => sandboxContext(sb, { stack, maxAttempts: 3 });
    const built = await provisionFully(sb, stackConfig(sb, mode), ctx('acme-cc'));
    await provisionFully(sb, otherStackConfig(sb, mode), ctx('other-cc'));
    const instanceId = built.instance.instanceId as string;
    await addQuickConnect(sb, connectClient(sb), instanceId, 'jane.doe@acme.com', 'Transfer to Jane');
    await addQuickConnect(sb, connectClient(sb), instanceId, 'agent1@acme.com', 'Transfer to Agent One');
  } finally {
    await sb.stop();
  }
  return file;
}

/** A sandbox started from a copy of the saved setup, with its requests passed to the observer. */
async function fromState(file: string): Promise<{ sb: Sandbox; observe: (fn: Observer) => void }> {
  const copy = tempFile('state.json');
  copyFileSync(file, copy);
  let observer: Observer;
  const sb = await startTestSandbox({ stateFile: copy, onRequest: (e) => observer?.(e) });
  return { sb, observe: (fn) => (observer = fn) };
}

/** What matters of the end state, comparable between sandboxes. */
function endState(state: SandboxState, deleteInstance: boolean): unknown {
  return {
    residue: residue(state, 'acme-cc', { instance: deleteInstance }),
    other: stackView(state, 'other-cc'),
    iam: {
      users: state.iam.users.map((u) => u.name).sort(),
      keys: state.iam.accessKeys.map((k) => k.userName).sort(),
      policies: state.iam.policies.map((p) => p.name).sort(),
      roles: state.iam.roles.map((r) => r.name).sort(),
      providers: state.iam.samlProviders.map((p) => p.name).sort(),
    },
    okta: {
      apps: Object.values(state.okta.apps)
        .map((a) => `${a.label} ${a.status}`)
        .sort(),
      groups: Object.values(state.okta.groups)
        .map((g) => String(g.profile.name))
        .sort(),
      people: Object.values(state.okta.users).length,
    },
    connect: Object.values(state.connect.instances)
      .map((i) => ({
        alias: i.alias,
        users: Object.values(i.users)
          .map((u) => u.username)
          .sort(),
        quickConnects: Object.values(i.quickConnects ?? {})
          .map((q) => q.name)
          .sort(),
      }))
      .sort((a, b) => String(a.alias).localeCompare(String(b.alias))),
  };
}

const opKey = (e: RequestLogEntry) => `${e.service}:${e.operation}`;

const SCENARIOS: { mode: Mode; deleteInstance: boolean }[] = [
  { mode: 'api-integration', deleteInstance: false },
  { mode: 'group-mapping', deleteInstance: true },
];

describe.each(SCENARIOS)(
  'a teardown killed after any write ($mode, deleteInstance $deleteInstance)',
  ({ mode, deleteInstance }) => {
    it('is finished by the next run, to the uninterrupted end state; the run after writes nothing', {
      timeout: 300_000,
    }, async () => {
      const file = await provisionedStateFile(mode);

      // The uninterrupted teardown: its end state and its write positions.
      const base = await fromState(file);
      let expected: unknown;
      let sequence: string[];
      try {
        base.sb.resetRequests();
        const result = await destroyConnectSso(stackConfig(base.sb, mode), {
          context: sandboxContext(base.sb, { stack: 'acme-cc', maxAttempts: 3 }),
          deleteInstance,
        });
        expect(result.status).toBe('complete');
        expected = endState(base.sb.state(), deleteInstance);
        sequence = writes(base.sb).map(opKey);
      } finally {
        await base.sb.stop();
      }
      expect((expected as { residue: string[] }).residue).toEqual([]);
      expect(sequence.length).toBeGreaterThan(12);

      const seen = new Map<string, number>();
      const positions = sequence.map((operation) => {
        const occurrence = (seen.get(operation) ?? 0) + 1;
        seen.set(operation, occurrence);
        return { operation, occurrence };
      });
      const failures: string[] = [];
      for (const position of positions) {
        const name = `${position.operation} #${position.occurrence}`;
        const { sb, observe } = await fromState(file);
        try {
          const controller = new AbortController();
          const counts = new Map<string, number>();
          let killed = false;
          observe((e) => {
            if (!e.write || killed) return;
            const op = opKey(e);
            const n = (counts.get(op) ?? 0) + 1;
            counts.set(op, n);
            if (op === position.operation && n === position.occurrence) {
              killed = true;
              controller.abort(new Error(`crash after ${name}`));
            }
          });
          const config = stackConfig(sb, mode);
          await destroyConnectSso(config, {
            context: sandboxContext(sb, { stack: 'acme-cc', maxAttempts: 3, signal: controller.signal }),
            signal: controller.signal,
            deleteInstance,
          });
          observe(undefined);
          if (!killed) {
            failures.push(`${name}: the position was never reached`);
            continue;
          }
          const resumed = await destroyConnectSso(config, {
            context: sandboxContext(sb, { stack: 'acme-cc', maxAttempts: 3 }),
            deleteInstance,
          });
          if (resumed.status !== 'complete') {
            failures.push(
              `${name}: the re-run ${resumed.status}: ${resumed.errors.map((e) => e.error.message).join('; ')}`,
            );
            continue;
          }
          const actual = endState(sb.state(), deleteInstance);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            failures.push(`${name}: end state differs: ${JSON.stringify(actual)}`);
            continue;
          }
          sb.resetRequests();
          await destroyConnectSso(config, {
            context: sandboxContext(sb, { stack: 'acme-cc', maxAttempts: 3 }),
            deleteInstance,
          });
          const extra = writes(sb).map(opKey);
          if (extra.length > 0) failures.push(`${name}: the run after the re-run wrote ${extra.join(', ')}`);
        } finally {
          observe(undefined);
          await sb.stop();
        }
      }
      expect(failures).toEqual([]);
    });
  },
);
