/**
 * A small dependency-graph executor: every task starts as soon as the tasks it depends on have
 * finished, at most `concurrency` at a time. A failed task skips its dependents but not the
 * independent branches, so one run does all it can; a task that ends `manual` (a console click is
 * needed) blocks its dependents the same way.
 */

/** What a task may end with besides a value. */
export type TaskEnd<T> = { kind: 'done'; value: T } | { kind: 'manual'; value: T; actions: string[] };

export interface Task<T = unknown> {
  id: string;
  dependsOn: readonly string[];
  /** `results` holds the value of every task this one depends on (directly or not). */
  run(results: ReadonlyMap<string, T>): Promise<TaskEnd<T>>;
}

export type TaskOutcome<T = unknown> =
  | { status: 'done'; value: T; ms: number }
  | { status: 'manual'; value: T; actions: string[]; ms: number }
  | { status: 'failed'; error: unknown; ms: number }
  | { status: 'skipped'; reason: string };

export type GraphEvent<T = unknown> =
  | { type: 'task-started'; id: string }
  | { type: 'task-finished'; id: string; outcome: TaskOutcome<T> }
  | { type: 'progress'; done: number; total: number; running: number };

export interface RunGraphOptions<T = unknown> {
  concurrency: number;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: GraphEvent<T>) => void) | undefined;
}

/** Check that ids are unique, dependencies exist and there is no cycle. */
export function checkGraph(tasks: readonly Task[]): void {
  const ids = new Set<string>();
  for (const task of tasks) {
    if (ids.has(task.id)) throw new Error(`duplicate task id '${task.id}'`);
    ids.add(task.id);
  }
  for (const task of tasks) {
    for (const dep of task.dependsOn) {
      if (!ids.has(dep)) throw new Error(`task '${task.id}' depends on unknown task '${dep}'`);
    }
  }
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`dependency cycle: ${[...path, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const dep of byId.get(id)?.dependsOn ?? []) visit(dep, [...path, id]);
    state.set(id, 'done');
  };
  for (const task of tasks) visit(task.id, []);
}

/** Run every task; resolves when none is left to start. Never rejects for a task's failure. */
export async function runGraph<T>(
  tasks: readonly Task<T>[],
  options: RunGraphOptions<T>,
): Promise<Map<string, TaskOutcome<T>>> {
  checkGraph(tasks);
  const outcomes = new Map<string, TaskOutcome<T>>();
  const values = new Map<string, T>();
  const pending = new Set(tasks.map((t) => t.id));
  const running = new Set<string>();
  const emit = (event: GraphEvent<T>) => options.onEvent?.(event);
  const progress = () =>
    emit({ type: 'progress', done: outcomes.size, total: tasks.length, running: running.size });

  return new Promise((resolve) => {
    const finish = (task: Task<T>, outcome: TaskOutcome<T>) => {
      outcomes.set(task.id, outcome);
      running.delete(task.id);
      emit({ type: 'task-finished', id: task.id, outcome });
      progress();
      schedule();
    };

    const schedule = () => {
      let changed = true;
      while (changed) {
        changed = false;
        for (const task of tasks) {
          if (!pending.has(task.id)) continue;
          const blocked = task.dependsOn.find((d) => {
            const o = outcomes.get(d);
            return o !== undefined && o.status !== 'done';
          });
          if (blocked !== undefined || options.signal?.aborted) {
            pending.delete(task.id);
            const o = blocked !== undefined ? outcomes.get(blocked) : undefined;
            const reason = options.signal?.aborted
              ? 'the run was aborted'
              : o?.status === 'manual'
                ? `waits for a manual action in '${blocked}'`
                : `'${blocked}' did not finish`;
            outcomes.set(task.id, { status: 'skipped', reason });
            emit({ type: 'task-finished', id: task.id, outcome: { status: 'skipped', reason } });
            progress();
            changed = true;
            continue;
          }
          if (running.size >= options.concurrency) continue;
          if (!task.dependsOn.every((d) => outcomes.get(d)?.status === 'done')) continue;
          pending.delete(task.id);
          running.add(task.id);
          emit({ type: 'task-started', id: task.id });
          const started = performance.now();
          const ms = () => Math.round(performance.now() - started);
          task.run(values).then(
            (end) => {
              values.set(task.id, end.value);
              finish(
                task,
                end.kind === 'done'
                  ? { status: 'done', value: end.value, ms: ms() }
                  : { status: 'manual', value: end.value, actions: end.actions, ms: ms() },
              );
            },
            (error: unknown) => finish(task, { status: 'failed', error, ms: ms() }),
          );
        }
      }
      if (running.size === 0 && pending.size === 0) resolve(outcomes);
    };
    progress();
    schedule();
  });
}
