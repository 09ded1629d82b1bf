/**
 * An app without users has no user step: the plan shows no "0 user assignment(s)" row (which used to
 * wait, "blocked", behind the app's manual step), and a run neither waits for nor reports one.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { planConnectSso, provisionConnectSso } from '../../../src/workflows/provision/provision.js';
import { renderPlan } from '../../../src/workflows/provision/render.js';
import { sandboxContext, startTestSandbox } from '../../helpers.js';
import { configWithoutUsers as config } from '../../support/config.js';

async function withSandbox(fn: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = await startTestSandbox({ instanceCreationMs: 0 });
  try {
    await fn(sb);
  } finally {
    await sb.stop();
  }
}

describe('apps without users', () => {
  it('a config with no users plans no user step and nothing blocked', () =>
    withSandbox(async (sb) => {
      const ctx = sandboxContext(sb, { stack: 'acme-cc' });
      const plan = await planConnectSso(config(sb), { context: ctx });
      expect(plan.items.filter((i) => i.kind === 'user-assignment')).toEqual([]);
      expect(plan.summary.blocked).toBe(0);
      expect(plan.summary.manual).toBe(2);
      expect(renderPlan(plan)).not.toContain('user assignment');
    }));

  it('only the apps with users get a user step, named with their count', () =>
    withSandbox(async (sb) => {
      sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
      const ctx = sandboxContext(sb, { stack: 'acme-cc' });
      const cfg = config(sb, { users: [{ login: 'jane.doe@acme.com', app: 'admin' }] });
      const plan = await planConnectSso(cfg, { context: ctx });
      const userItems = plan.items.filter((i) => i.kind === 'user-assignment');
      expect(userItems.map((i) => [i.id, i.resource, i.action])).toEqual([
        ['users:admin', '1 user assignment(s) of "Amazon Connect Administrator"', 'blocked'],
      ]);
      expect(userItems[0]?.reason).toMatch(/waits for a manual action in 'integration:admin'/);
    }));

  it('group mapping with no users: the run completes without a user step', () =>
    withSandbox(async (sb) => {
      const ctx = sandboxContext(sb, { maxAttempts: 3, stack: 'acme-cc' });
      const result = await provisionConnectSso(config(sb, { roleMapping: 'group-mapping' }), {
        context: ctx,
      });
      expect(result.errors).toEqual([]);
      expect(result.status).toBe('complete');
      expect(result.steps.map((s) => s.id).filter((id) => id.startsWith('users:'))).toEqual([]);
      expect(result.users).toMatchObject({ created: 0, failed: 0 });
    }));
});
