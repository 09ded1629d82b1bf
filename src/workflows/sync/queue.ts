/**
 * The work queue behind the event hook handler: Okta user ids waiting to be reconciled, de-duplicated
 * and bounded, worked on in batches one at a time (so one person is never reconciled twice at once),
 * plus a pending full sync.
 *
 * Event hooks are at-least-once and unordered: the queue never carries what an event said, only whom it
 * concerned, and each batch reads the live state again. An id that arrives while its batch runs is
 * queued again and read again after, so the last reconcile always sees the last change. A queue that
 * overflows drops the ids and asks for one full sync instead, which covers everyone.
 */
import type { Clock } from '../../core/context.js';

/** What the queue runs. */
export interface QueueWork {
  /** Reconcile these Okta users; resolve with the ids that should be tried again (failed writes). */
  reconcile(ids: string[]): Promise<string[]>;
  /** Reconcile everyone. */
  fullSync(): Promise<void>;
}

/** Limits and timing of the queue. */
export interface QueueOptions {
  /** Most distinct ids waiting; beyond, a full sync replaces them. */
  maxQueue: number;
  /** Ids per batch. */
  batchSize: number;
  /** How long ids gather before a batch starts, ms. */
  batchDelayMs: number;
  /** How often one id is tried again after a failure before the periodic full sync is left to it. */
  maxAttempts: number;
  /** The clock of the delays. */
  clock: Clock;
  /** Told of each batch and failure. */
  onEvent: (event: QueueEvent) => void;
}

/** What the queue reports. */
export type QueueEvent =
  | { type: 'batch-finished'; ids: number; retry: number; ms: number }
  | { type: 'batch-failed'; ids: number; error: Error }
  | { type: 'full-sync-finished'; ms: number }
  | { type: 'full-sync-failed'; error: Error }
  | { type: 'overflow'; dropped: number };

/** Counts of the queue. */
export interface QueueStats {
  /** Ids waiting. */
  queued: number;
  /** Ids reconciled (batch runs that finished, per id). */
  reconciled: number;
  /** Batches or full syncs that failed. */
  failed: number;
  /** Full syncs run. */
  fullSyncs: number;
}

/** A bounded, de-duplicating queue of Okta user ids, worked in batches. */
export class ReconcileQueue {
  private readonly pending = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private fullSyncWanted = false;
  private running: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly counts = { reconciled: 0, failed: 0, fullSyncs: 0 };

  /**
   * @param work - What a batch and a full sync do.
   * @param options - Limits and timing.
   */
  constructor(
    private readonly work: QueueWork,
    private readonly options: QueueOptions,
  ) {}

  /** Queue ids (duplicates merge). Returns how many were dropped because the queue is full. */
  add(ids: Iterable<string>): number {
    if (this.closed) return 0;
    let dropped = 0;
    for (const id of ids) {
      if (this.pending.has(id)) continue;
      if (this.pending.size >= this.options.maxQueue) {
        dropped++;
        continue;
      }
      this.pending.add(id);
    }
    if (dropped > 0) {
      // Ids were lost: one full sync covers them (and everyone else).
      this.fullSyncWanted = true;
      this.options.onEvent({ type: 'overflow', dropped });
    }
    this.schedule();
    return dropped;
  }

  /** Ask for a full sync (a periodic one, or an event about a whole group or app). */
  requestFullSync(): void {
    if (this.closed) return;
    this.fullSyncWanted = true;
    this.schedule();
  }

  /** Counts. */
  stats(): QueueStats {
    return { queued: this.pending.size, ...this.counts };
  }

  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Take no more work; resolves when the running batch is done. Waiting ids are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    this.fullSyncWanted = false;
    await this.running;
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return this.running === undefined && !this.scheduled && this.pending.size === 0 && !this.fullSyncWanted;
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.closed) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.closed) return;
    if (this.pending.size === 0 && !this.fullSyncWanted) return;
    this.scheduled = true;
    this.options.clock.sleep(this.options.batchDelayMs).then(
      () => {
        this.scheduled = false;
        this.start();
      },
      () => {
        this.scheduled = false;
        this.start();
      },
    );
  }

  private start(): void {
    if (this.running || this.closed) {
      this.notifyIdle();
      return;
    }
    this.running = this.step().finally(() => {
      this.running = undefined;
      this.schedule();
      this.notifyIdle();
    });
  }

  private async step(): Promise<void> {
    const started = this.options.clock.now();
    if (this.fullSyncWanted) {
      this.fullSyncWanted = false;
      // The full sync reads everyone now: what is queued is covered (what arrives during it is not).
      this.pending.clear();
      this.attempts.clear();
      try {
        await this.work.fullSync();
        this.counts.fullSyncs++;
        this.options.onEvent({ type: 'full-sync-finished', ms: this.options.clock.now() - started });
      } catch (error) {
        this.counts.failed++;
        this.options.onEvent({ type: 'full-sync-failed', error: asError(error) });
      }
      return;
    }
    const batch = [...this.pending].slice(0, this.options.batchSize);
    for (const id of batch) this.pending.delete(id);
    if (batch.length === 0) return;
    let retry: string[];
    try {
      retry = await this.work.reconcile(batch);
      this.counts.reconciled += batch.length - retry.length;
    } catch (error) {
      this.counts.failed++;
      this.options.onEvent({ type: 'batch-failed', ids: batch.length, error: asError(error) });
      retry = batch;
    }
    const again: string[] = [];
    for (const id of retry) {
      const n = (this.attempts.get(id) ?? 0) + 1;
      if (n >= this.options.maxAttempts) {
        this.attempts.delete(id);
        continue;
      }
      this.attempts.set(id, n);
      again.push(id);
    }
    for (const id of batch) if (!retry.includes(id)) this.attempts.delete(id);
    if (again.length > 0) {
      // Back off before trying them again (a throttled or not-yet-consistent service).
      await this.options.clock.sleep(
        Math.min(
          30_000,
          this.options.batchDelayMs * 2 ** Math.max(...again.map((id) => this.attempts.get(id) ?? 1)),
        ),
      );
      for (const id of again) this.pending.add(id);
    }
    this.options.onEvent({
      type: 'batch-finished',
      ids: batch.length,
      retry: again.length,
      ms: this.options.clock.now() - started,
    });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
