/**
 * planFleet when one target's reads fail (its account refuses the credentials, or one permission is
 * missing): `planConnectSso` does not throw then — the failed steps end "blocked" — so the fleet must
 * still report the target as not planned, with why, and plan the others.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { Secret } from '../../../src/core/secret.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { type FleetTarget, planFleet, renderFleetPlan } from '../../../src/workflows/fleet/fleet.js';
import { sandboxContext, startTestSandbox } from '../../helpers.js';

describe('planFleet: a target whose reads fail', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startTestSandbox();
  });
  afterEach(async () => {
    await sb.stop();
  });

  const target = (name: string, alias: string): FleetTarget => ({
    name,
    config: {
      region: 'us-east-1',
      instance: { alias },
      okta: { orgUrl: sb.okta.orgUrl },
      apps: [{ kind: 'admin' }],
    },
  });

  it('is not planned: its error names the failed read, the others are planned, the table says so', async () => {
    const fleet = await planFleet([target('good', 'acme-good'), target('refused', 'acme-refused')], {
      contextFor: (t, config) =>
        t.name === 'refused'
          ? createContext({
              region: config.region,
              stack: config.stack,
              endpoint: sb.aws.endpoint,
              credentials: {
                accessKeyId: 'AKIAUNKNOWN000000000',
                secretAccessKey: 'not-a-key-of-this-account',
              },
              okta: { orgUrl: sb.okta.orgUrl, token: new Secret(sb.okta.token) },
              maxAttempts: 1,
            })
          : sandboxContext(sb, { region: config.region, stack: config.stack }),
    });
    const [good, refused] = fleet.targets;
    expect(good?.error).toBeUndefined();
    expect(good?.plan?.items.find((i) => i.id === 'instance')?.action).toBe('create');
    expect(refused?.plan).toBeUndefined();
    expect(refused?.error?.code).toBe('PROVIDER_ERROR');
    expect(refused?.error?.message).toMatch(/^connect instance acme-refused: .*security token/);
    expect(refused?.error?.message).not.toContain('not-a-key-of-this-account');
    expect(fleet.summary).toMatchObject({ targets: 2, failed: 1, changing: 1 });
    // The totals count only what was planned.
    expect(fleet.summary.create).toBe(good?.plan?.summary.create);
    expect(fleet.summary.blocked).toBe(0);
    const row = renderFleetPlan(fleet)
      .split('\n')
      .find((l) => l.startsWith('refused '));
    expect(row).toMatch(/error: connect instance acme-refused: /);
  });
});
