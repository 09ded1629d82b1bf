import { describe, expect, it } from 'vitest';
import { checkGraph, type GraphEvent, runGraph, type Task } from '../../../src/workflows/provision/graph.js';

/** A task that resolves when the test says so, recording when it started. */
function controllable(id: string, dependsOn: string[] = [], log: string[] = []) {
  let release: (v: unknown) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const task: Task = {
    id,
    dependsOn,
    run: () => {
      log.push(`start ${id}`);
      return new Promise((resolve, reject) => {
        release = (v) => resolve({ kind: 'done', value: v });
        fail = reject;
      });
    },
  };
  return { task, release: (v: unknown = id) => release(v), fail: (e: unknown) => fail(e) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('runGraph', () => {
  it('starts independent tasks together and a dependent one only after its dependencies', async () => {
    const log: string[] = [];
    const a = controllable('a', [], log);
    const b = controllable('b', [], log);
    const c = controllable('c', ['a', 'b'], log);
    const done = runGraph([a.task, b.task, c.task], { concurrency: 4 });
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    a.release();
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.release();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    c.release('C');
    const outcomes = await done;
    expect(outcomes.get('c')).toMatchObject({ status: 'done', value: 'C' });
  });

  it('passes the values of dependencies', async () => {
    const seen: unknown[] = [];
    const tasks: Task[] = [
      { id: 'a', dependsOn: [], run: async () => ({ kind: 'done', value: 41 }) },
      {
        id: 'b',
        dependsOn: ['a'],
        run: async (r) => {
          seen.push(r.get('a'));
          return { kind: 'done', value: (r.get('a') as number) + 1 };
        },
      },
    ];
    const outcomes = await runGraph(tasks, { concurrency: 1 });
    expect(seen).toEqual([41]);
    expect(outcomes.get('b')).toMatchObject({ value: 42 });
  });

  it('respects the concurrency bound', async () => {
    let running = 0;
    let peak = 0;
    const tasks: Task[] = Array.from({ length: 10 }, (_, i) => ({
      id: `t${i}`,
      dependsOn: [],
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        return { kind: 'done', value: i };
      },
    }));
    await runGraph(tasks, { concurrency: 3 });
    expect(peak).toBe(3);
  });

  it('skips what depends on a failure or a manual stop, and runs the other branches', async () => {
    const events: GraphEvent[] = [];
    const tasks: Task[] = [
      { id: 'bad', dependsOn: [], run: async () => Promise.reject(new Error('boom')) },
      { id: 'after-bad', dependsOn: ['bad'], run: async () => ({ kind: 'done', value: 1 }) },
      {
        id: 'click',
        dependsOn: [],
        run: async () => ({ kind: 'manual', value: 'x', actions: ['click it'] }),
      },
      { id: 'after-click', dependsOn: ['click'], run: async () => ({ kind: 'done', value: 1 }) },
      { id: 'fine', dependsOn: [], run: async () => ({ kind: 'done', value: 1 }) },
    ];
    const outcomes = await runGraph(tasks, { concurrency: 2, onEvent: (e) => events.push(e) });
    expect(outcomes.get('bad')).toMatchObject({ status: 'failed' });
    expect(outcomes.get('after-bad')).toEqual({ status: 'skipped', reason: "'bad' did not finish" });
    expect(outcomes.get('click')).toMatchObject({ status: 'manual', actions: ['click it'] });
    expect(outcomes.get('after-click')).toEqual({
      status: 'skipped',
      reason: "waits for a manual action in 'click'",
    });
    expect(outcomes.get('fine')).toMatchObject({ status: 'done' });
    expect(events.filter((e) => e.type === 'task-finished')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'progress', done: 5, total: 5 });
  });

  it('starts nothing new once the signal aborts', async () => {
    const controller = new AbortController();
    const a = controllable('a');
    const b = controllable('b', ['a']);
    const done = runGraph([a.task, b.task], { concurrency: 2, signal: controller.signal });
    await tick();
    controller.abort();
    a.release();
    const outcomes = await done;
    expect(outcomes.get('b')).toEqual({ status: 'skipped', reason: 'the run was aborted' });
  });

  it('rejects duplicate ids, unknown dependencies and cycles', () => {
    const t = (id: string, dependsOn: string[] = []): Task => ({
      id,
      dependsOn,
      run: async () => ({ kind: 'done', value: 0 }),
    });
    expect(() => checkGraph([t('a'), t('a')])).toThrow(/duplicate task id 'a'/);
    expect(() => checkGraph([t('a', ['zz'])])).toThrow(/unknown task 'zz'/);
    expect(() => checkGraph([t('a', ['b']), t('b', ['a'])])).toThrow(/cycle: a → b → a/);
  });
});
