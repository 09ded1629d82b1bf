/**
 * Progress of a run on stderr. On a terminal: a live block with one line per step, redrawn in place,
 * with counts for the bulk user steps. Elsewhere (CI logs, pipes, files): plain log lines, one per
 * finished step and a few for user counts. Both draw from the library's {@link ProvisionEvent}s and never
 * see a secret (the events carry none, and every line passes through the redactor).
 */
import type { Logger, PlanAction, ProvisionEvent } from '../index.js';
import { formatMs, type Output, truncateWords } from './output.js';

export interface Progress {
  onEvent(event: ProvisionEvent): void;
  /** The logger to give the library: warnings always, details with `--debug`. */
  readonly logger: Logger;
  /** Draw the final state and stop redrawing. */
  finish(): void;
  /**
   * How long the run took: from its first event to {@link Progress.finish} (or until now, before it).
   * The live header shows the same clock. Undefined before the first event.
   */
  elapsedMs(): number | undefined;
}

export interface ProgressOptions {
  debug: boolean;
  /** Force a renderer (tests); default: live on a TTY stderr (unless TERM=dumb), plain otherwise. */
  live?: boolean;
  /** Live renderer: least time between two redraws for counts, in ms. Default 80. */
  redrawMs?: number;
  /** Live renderer: how often the header's clock is redrawn while nothing else happens, in ms. Default 1000; 0: never. */
  tickMs?: number;
  /** The clock (tests). Default: `Date.now`. */
  now?: () => number;
}

/** The run's clock: starts at the first event, stops at finish. */
class RunClock {
  private started: number | undefined;
  private ended: number | undefined;
  constructor(private readonly now: () => number) {}
  start(): void {
    this.started ??= this.now();
  }
  stop(): void {
    if (this.started !== undefined) this.ended ??= this.now();
  }
  get running(): boolean {
    return this.started !== undefined && this.ended === undefined;
  }
  elapsed(): number | undefined {
    return this.started === undefined ? undefined : (this.ended ?? this.now()) - this.started;
  }
}

/**
 * How a finished step reads: a wait that ended (`became ACTIVE`) says so with its time, instead of
 * "unchanged"; anything else is the action's word.
 */
function finishedWords(event: Extract<ProvisionEvent, { type: 'step-finished' }>): {
  word: string;
  reached?: string;
} {
  const reason = event.changes[0];
  if (event.action === 'unchanged' && reason !== undefined && /^became \S/.test(reason))
    return { word: reason, reached: reason };
  return { word: DONE_WORD[event.action] };
}

const DONE_WORD: Record<PlanAction, string> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  manual: 'needs a manual action',
  blocked: 'blocked',
};

type Row = {
  resource: string;
  state: 'running' | 'done' | 'failed' | 'manual';
  action?: PlanAction;
  /** A wait that ended: `became ACTIVE`. */
  reached?: string;
  ms?: number;
  error?: string;
  users?: { done: number; total: number };
};

function makeLogger(debug: boolean, print: (line: string) => void): Logger {
  return {
    debug: (message) => {
      if (debug) print(`debug: ${message}`);
    },
    info: (message) => {
      if (debug) print(message);
    },
    warn: (message) => print(`warning: ${message}`),
    error: (message) => print(`error: ${message}`),
  };
}

/** Plain lines: one per finished step; user counts every 10 % (and at the end). */
class PlainProgress implements Progress {
  readonly logger: Logger;
  private readonly resources = new Map<string, string>();
  private readonly lastShown = new Map<string, number>();
  private readonly clock: RunClock;

  constructor(
    private readonly out: Output,
    options: ProgressOptions,
  ) {
    this.logger = makeLogger(options.debug, (line) => out.err(line));
    this.clock = new RunClock(options.now ?? Date.now);
  }

  elapsedMs(): number | undefined {
    return this.clock.elapsed();
  }

  onEvent(event: ProvisionEvent): void {
    this.clock.start();
    switch (event.type) {
      case 'step-started':
        this.resources.set(event.id, event.resource);
        return;
      case 'step-finished': {
        if (event.action === 'manual') return; // the manual-action event says it
        const { word, reached } = finishedWords(event);
        this.out.err(
          reached
            ? `${event.resource}: ${reached} in ${formatMs(event.ms)}`
            : `${word} ${event.resource} (${formatMs(event.ms)})`,
        );
        return;
      }
      case 'step-failed':
        this.out.err(`failed ${event.resource}: ${event.error.message}`);
        return;
      case 'manual-action':
        this.out.err(`manual action needed: ${event.resource}`);
        return;
      case 'waiting-for-manual-action':
        printWaiting(this.out, event);
        return;
      case 'progress':
        return;
      case 'users-progress': {
        if (event.total === 0) return;
        const key = event.id;
        const step = Math.max(1, Math.ceil(event.total / 10));
        const last = this.lastShown.get(key) ?? 0;
        if (event.done === event.total || event.done - last >= step) {
          this.lastShown.set(key, event.done);
          const what = this.resources.get(event.id) ?? event.id;
          this.out.err(`${what}: ${event.done}/${event.total}`);
        }
        return;
      }
    }
  }

  finish(): void {
    this.clock.stop();
  }
}

/** The live block: one line per step, redrawn in place. */
class LiveProgress implements Progress {
  readonly logger: Logger;
  private graph: { done: number; total: number | undefined } = { done: 0, total: undefined };
  private readonly rows = new Map<string, Row>();
  private drawn = 0;
  private lastDraw = 0;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private readonly redrawMs: number;
  private readonly tickMs: number;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private finished = false;
  private readonly clock: RunClock;

  constructor(
    private readonly out: Output,
    options: ProgressOptions,
  ) {
    this.logger = makeLogger(options.debug, (line) => this.above(line));
    this.redrawMs = options.redrawMs ?? 80;
    this.tickMs = options.tickMs ?? 1000;
    this.clock = new RunClock(options.now ?? Date.now);
  }

  elapsedMs(): number | undefined {
    return this.clock.elapsed();
  }

  /** The run began: start the clock, and redraw the header's time while nothing else redraws. */
  private begin(): void {
    if (this.clock.running || this.finished) return;
    this.clock.start();
    if (this.tickMs > 0 && this.ticker === undefined) {
      this.ticker = setInterval(() => this.draw(true), this.tickMs);
      this.ticker.unref?.();
    }
  }

  private get width(): number {
    return Math.max(40, (this.out.io.stderr.columns || 100) - 1);
  }

  private line(row: Row, column: number): string {
    const mark =
      row.state === 'running'
        ? '…'
        : row.state === 'failed'
          ? '✗'
          : row.state === 'manual'
            ? '!'
            : row.action === 'blocked'
              ? 'x'
              : '✓';
    let status: string;
    if (row.state === 'running')
      status = row.users ? `${row.users.done}/${row.users.total} users` : 'working';
    else if (row.state === 'failed') status = `failed: ${row.error ?? ''}`;
    else if (row.state === 'manual') status = 'needs a manual action (below)';
    else if (row.reached) status = `${row.reached}${row.ms !== undefined ? ` in ${formatMs(row.ms)}` : ''}`;
    else
      status = `${DONE_WORD[row.action ?? 'unchanged']}${row.ms !== undefined ? `  ${formatMs(row.ms)}` : ''}`;
    // Keep the status whole: shorten the resource name (at a word) when the terminal is narrow.
    const room = Math.max(12, this.width - 6 - status.length);
    const resource = truncateWords(row.resource, room);
    const text = `  ${mark} ${resource.padEnd(Math.min(column, room))}  ${status}`;
    return truncateWords(text, this.width);
  }

  private render(): string[] {
    const { done, total } = this.graph;
    const header = `Applying: ${done}/${total ?? '?'} steps, ${formatMs(this.clock.elapsed() ?? 0)}`;
    const rows = [...this.rows.values()];
    const column = Math.min(64, Math.max(0, ...rows.map((r) => r.resource.length)));
    return [header, ...rows.map((r) => this.line(r, column))];
  }

  private draw(force = false): void {
    // Nothing to draw before the run starts (warnings while planning or asking go out as lines).
    if (this.finished || this.clock.elapsed() === undefined) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < this.redrawMs) {
      // Draw the latest counts a little later, unless something else redraws first.
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.draw(true);
      }, this.redrawMs);
      this.pending.unref?.();
      return;
    }
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.lastDraw = now;
    const lines = this.render();
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const l of lines) text += `\r\x1b[2K${l}\n`;
    text += '\x1b[J';
    this.out.errRaw(text);
    this.drawn = lines.length;
  }

  /** Print a line above the block (a warning, a debug line) and redraw the block under it. */
  private above(line: string): void {
    if (this.finished || this.clock.elapsed() === undefined) {
      this.out.err(line);
      return;
    }
    this.out.errRaw(`${this.drawn > 0 ? `\x1b[${this.drawn}A\r\x1b[J` : ''}${line}\n`);
    this.drawn = 0;
    this.draw(true);
  }

  onEvent(event: ProvisionEvent): void {
    this.begin();
    switch (event.type) {
      case 'step-started':
        this.rows.set(event.id, { resource: event.resource, state: 'running' });
        this.draw(true);
        return;
      case 'step-finished': {
        const row = this.rows.get(event.id) ?? { resource: event.resource, state: 'running' };
        const { reached } = finishedWords(event);
        this.rows.set(event.id, {
          ...row,
          resource: event.resource,
          state: event.action === 'manual' ? 'manual' : 'done',
          action: event.action,
          ms: event.ms,
          ...(reached ? { reached } : {}),
        });
        this.draw(true);
        return;
      }
      case 'step-failed': {
        const row = this.rows.get(event.id) ?? { resource: event.resource, state: 'running' };
        this.rows.set(event.id, { ...row, state: 'failed', error: event.error.message });
        this.draw(true);
        return;
      }
      case 'manual-action':
        return;
      case 'waiting-for-manual-action':
        // Draw the block once, print the clicks under it, and go on drawing (the clock keeps running).
        this.draw(true);
        printWaiting(this.out, event);
        this.drawn = 0;
        return;
      case 'progress':
        this.graph = { done: event.done, total: event.total };
        this.draw();
        return;
      case 'users-progress': {
        const row = this.rows.get(event.id);
        if (row) row.users = { done: event.done, total: event.total };
        this.draw();
        return;
      }
    }
  }

  finish(): void {
    this.clock.stop();
    this.draw(true);
    this.finished = true;
    if (this.pending) clearTimeout(this.pending);
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

/** The renderer for this output: live on a terminal, plain lines elsewhere. */
export function createProgress(out: Output, options: ProgressOptions): Progress {
  const live = options.live ?? (out.stderrIsTty && out.io.env.TERM !== 'dumb');
  return live ? new LiveProgress(out, options) : new PlainProgress(out, options);
}

/** A logger for commands without a progress display: warnings always, details with `--debug`. */
export function commandLogger(out: Output, debug: boolean): Logger {
  return makeLogger(debug, (line) => out.err(line));
}

/** The clicks a run waits for, then how long it waits (the library sends them before it starts waiting). */
function printWaiting(
  out: Output,
  event: Extract<ProvisionEvent, { type: 'waiting-for-manual-action' }>,
): void {
  out.err('Manual action required — Okta has no API for this step. In the Okta admin console:');
  out.err(`  ${event.resource}:`);
  for (const [i, a] of event.actions.entries())
    out.err(
      `    ${i + 1}. ${a.replace('Run again (or pass wait: { timeoutMs }): the run resumes', 'apply is waiting and resumes')}`,
    );
  out.err(
    `Waiting up to ${Math.round(event.timeoutMs / 60_000)} min for these steps (Ctrl-C stops waiting; apply resumes later).`,
  );
}
