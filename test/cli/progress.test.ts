/**
 * Progress rendering from the library's events: the live block on a terminal, plain lines elsewhere, and
 * user counts attributed to the right users step (`users-progress` events carry the step's id).
 */
import { describe, expect, it } from 'vitest';
import { Output, Redactor, truncateWords } from '../../src/cli/output.js';
import { createProgress } from '../../src/cli/progress.js';
import type { ProvisionEvent } from '../../src/index.js';
import { fakeIo } from './fake-io.js';

const ESC = '\u001b';

/** The `step-finished` event of a step that created its resource in `ms`. */
function created(id: string, resource: string, ms: number): ProvisionEvent {
  return { type: 'step-finished', id, resource, action: 'create', changes: [], ms };
}

/** A run: two steps, then the CCP users step reporting 3 of its 3 users while the admin step still runs. */
const EVENTS: ProvisionEvent[] = [
  { type: 'progress', done: 0, total: 5, running: 0 },
  { type: 'step-started', id: 'instance', resource: 'connect instance acme' },
  created('instance', 'connect instance acme', 1200),
  { type: 'progress', done: 1, total: 5, running: 0 },
  { type: 'step-started', id: 'users:admin', resource: '1 user assignment(s) of "Admin"' },
  { type: 'step-started', id: 'users:ccp', resource: '3 user assignment(s) of "CCP"' },
  { type: 'users-progress', id: 'users:ccp', done: 1, total: 3 },
  { type: 'users-progress', id: 'users:ccp', done: 2, total: 3 },
  { type: 'users-progress', id: 'users:ccp', done: 3, total: 3 },
  created('users:ccp', '3 user assignment(s) of "CCP"', 30),
  { type: 'progress', done: 2, total: 5, running: 1 },
  { type: 'users-progress', id: 'users:admin', done: 1, total: 1 },
  created('users:admin', '1 user assignment(s) of "Admin"', 40),
  { type: 'progress', done: 3, total: 5, running: 0 },
  { type: 'step-started', id: 'integration:ccp', resource: 'okta api integration of "CCP"' },
  {
    type: 'step-failed',
    id: 'integration:ccp',
    resource: 'okta api integration of "CCP"',
    error: new Error('boom'),
  },
];

describe('progress', () => {
  it('plain: one line per finished step, user counts per step', () => {
    const io = fakeIo();
    const p = createProgress(new Output(io, new Redactor(), false), { debug: false });
    for (const e of EVENTS) p.onEvent(e);
    p.finish();
    expect(io.err().split('\n')).toEqual([
      'created connect instance acme (1.2 s)',
      '3 user assignment(s) of "CCP": 1/3',
      '3 user assignment(s) of "CCP": 2/3',
      '3 user assignment(s) of "CCP": 3/3',
      'created 3 user assignment(s) of "CCP" (30 ms)',
      '1 user assignment(s) of "Admin": 1/1',
      'created 1 user assignment(s) of "Admin" (40 ms)',
      'failed okta api integration of "CCP": boom',
      '',
    ]);
    expect(io.out()).toBe('');
  });

  it('live: a block redrawn in place, one line per step, counts on the users lines', () => {
    const io = fakeIo({ stderrTty: true });
    const p = createProgress(new Output(io, new Redactor(), false), {
      debug: false,
      redrawMs: 0,
    });
    let sawCounts = false;
    for (const e of EVENTS) {
      p.onEvent(e);
      if (/… 3 user assignment\(s\) of "CCP" +[123]\/3 users/.test(io.err())) sawCounts = true;
    }
    p.logger.warn('careful');
    p.finish();
    expect(sawCounts).toBe(true);
    const finalBlock = io.err().slice(io.err().lastIndexOf('Applying:'));
    expect(finalBlock).toMatch(/^Applying: 3\/5 steps/);
    expect(finalBlock).toMatch(/✓ connect instance acme +created {2}1\.2 s/);
    expect(finalBlock).toMatch(/✓ 3 user assignment\(s\) of "CCP" +created/);
    expect(finalBlock).toMatch(/✗ okta api integration of "CCP" +failed: boom/);
    expect(io.err()).toMatch(new RegExp(`${ESC}\\[\\d+A`));
    expect(io.err()).toContain('warning: careful\n');
  });
});

describe('progress: what the lines say', () => {
  it("the header's time is the run's: from its first event to finish (not from before a prompt), the same as elapsedMs", () => {
    let now = 0;
    const io = fakeIo({ stderrTty: true });
    const p = createProgress(new Output(io, new Redactor(), false), {
      debug: false,
      redrawMs: 0,
      tickMs: 0,
      now: () => now,
    });
    // Before the run starts (planning, the confirmation prompt): a warning is a plain line, no block.
    now = 4000;
    p.logger.warn('before the run');
    expect(io.err()).toBe('warning: before the run\n');
    expect(p.elapsedMs()).toBeUndefined();
    now = 5000;
    p.onEvent({ type: 'progress', done: 0, total: 1, running: 0 });
    p.onEvent({ type: 'step-started', id: 'instance', resource: 'connect instance acme' });
    now = 7300;
    p.onEvent(created('instance', 'connect instance acme', 2300));
    p.onEvent({ type: 'progress', done: 1, total: 1, running: 0 });
    p.finish();
    now = 9000;
    expect(p.elapsedMs()).toBe(2300);
    const finalBlock = io.err().slice(io.err().lastIndexOf('Applying:'));
    expect(finalBlock).toMatch(/^Applying: 1\/1 steps, 2\.3 s\n/);
    expect(finalBlock).toMatch(/✓ connect instance acme +created {2}2\.3 s/);
  });

  it('a wait that ended says "became ACTIVE in 5.2 s", not "unchanged", live and plain', () => {
    const events: ProvisionEvent[] = [
      { type: 'step-started', id: 'instance-active', resource: 'connect instance acme (ACTIVE)' },
      {
        type: 'step-finished',
        id: 'instance-active',
        resource: 'connect instance acme (ACTIVE)',
        action: 'unchanged',
        changes: ['became ACTIVE'],
        ms: 5200,
      },
    ];
    const live = fakeIo({ stderrTty: true });
    const lp = createProgress(new Output(live, new Redactor(), false), {
      debug: false,
      redrawMs: 0,
      tickMs: 0,
    });
    for (const e of events) lp.onEvent(e);
    lp.finish();
    const block = live.err().slice(live.err().lastIndexOf('Applying:'));
    expect(block).toMatch(/✓ connect instance acme \(ACTIVE\) +became ACTIVE in 5\.2 s/);
    expect(block).not.toContain('unchanged');
    const plain = fakeIo();
    const pp = createProgress(new Output(plain, new Redactor(), false), { debug: false });
    for (const e of events) pp.onEvent(e);
    pp.finish();
    expect(plain.err()).toBe('connect instance acme (ACTIVE): became ACTIVE in 5.2 s\n');
  });

  it('on a narrow terminal a label is cut at a word, with an ellipsis, and the status stays whole', () => {
    const io = fakeIo({ stderrTty: true });
    (io.stderr as { columns: number }).columns = 50;
    const p = createProgress(new Output(io, new Redactor(), false), { debug: false, redrawMs: 0, tickMs: 0 });
    const resource = 'okta api integration of "Amazon Connect Administrator"';
    p.onEvent({ type: 'step-started', id: 'integration:admin', resource });
    p.onEvent({
      type: 'step-finished',
      id: 'integration:admin',
      resource,
      action: 'create',
      changes: [],
      ms: 1200,
    });
    p.finish();
    const line = io
      .err()
      .split('\n')
      .reverse()
      .find((l) => l.includes('✓')) as string;
    const text = line.slice(line.lastIndexOf(`${ESC}[2K`) + 4);
    expect(text.length).toBeLessThanOrEqual(49);
    expect(text).toMatch(/created {2}1\.2 s$/);
    const label = /✓ (.*?…)/.exec(text)?.[1] ?? '';
    expect(label.endsWith('…')).toBe(true);
    // The cut is at the end of a whole word of the label.
    const kept = label.slice(0, -1);
    expect(resource.startsWith(kept)).toBe(true);
    expect([' ', undefined]).toContain(resource[kept.length]);
  });

  it('truncateWords cuts at a word boundary, else (one long word) mid-word, always with an ellipsis', () => {
    expect(truncateWords('short', 10)).toBe('short');
    expect(truncateWords('okta api integration of "Amazon Connect"', 30)).toBe('okta api integration of…');
    expect(truncateWords('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(truncateWords('a b', 1)).toBe('…');
  });
});
