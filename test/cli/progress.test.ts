/**
 * Progress rendering from the library's events: the live block on a terminal, plain lines elsewhere, and
 * user counts attributed to the right users step (`users-progress` events carry the step's id).
 */
import { describe, expect, it } from 'vitest';
import { Output, Redactor } from '../../src/cli/output.js';
import { createProgress } from '../../src/cli/progress.js';
import type { ProvisionEvent } from '../../src/index.js';
import { fakeIo } from './fake-io.js';

const ESC = '\u001b';

/** A run: two steps, then the CCP users step reporting 3 of its 3 users while the admin step still runs. */
const EVENTS: ProvisionEvent[] = [
  { type: 'progress', done: 0, total: 5, running: 0 },
  { type: 'step-started', id: 'instance', resource: 'connect instance acme' },
  {
    type: 'step-finished',
    id: 'instance',
    resource: 'connect instance acme',
    action: 'create',
    changes: [],
    ms: 1200,
  },
  { type: 'progress', done: 1, total: 5, running: 0 },
  { type: 'step-started', id: 'users:admin', resource: '1 user assignment(s) of "Admin"' },
  { type: 'step-started', id: 'users:ccp', resource: '3 user assignment(s) of "CCP"' },
  { type: 'users-progress', id: 'users:ccp', done: 1, total: 3 },
  { type: 'users-progress', id: 'users:ccp', done: 2, total: 3 },
  { type: 'users-progress', id: 'users:ccp', done: 3, total: 3 },
  {
    type: 'step-finished',
    id: 'users:ccp',
    resource: '3 user assignment(s) of "CCP"',
    action: 'create',
    changes: [],
    ms: 30,
  },
  { type: 'progress', done: 2, total: 5, running: 1 },
  { type: 'users-progress', id: 'users:admin', done: 1, total: 1 },
  {
    type: 'step-finished',
    id: 'users:admin',
    resource: '1 user assignment(s) of "Admin"',
    action: 'create',
    changes: [],
    ms: 40,
  },
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
