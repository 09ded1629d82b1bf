/**
 * A plain-CloudFormation Create given up before its end — the self re-invoke refused, or the request
 * past its ServiceTimeout — answers FAILED with the id a success would have answered
 * (`connect-okta-sso:<region>:<alias>`), not a placeholder: CloudFormation then sends a Delete for that
 * id (its rollback of a failed Create), and that Delete finds and removes the partial work.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomResourceHandler } from '../../src/cloudformation/handler.js';
import type { CustomResourceHandlerOptions } from '../../src/cloudformation/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox } from '../helpers.js';
import {
  baseProperties,
  cfnEvent,
  createOktaUsers,
  handlerOptions,
  lambdaContext,
  memoryLogger,
  putOktaSecret,
  type ResponseServer,
  startResponseServer,
} from './helpers.js';

const SETUP_ID = 'connect-okta-sso:us-east-1:acme-cc';

describe('a Create given up before its end answers the id its rollback Delete can use', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let secret: string;
  beforeEach(async () => {
    // The instance takes longer than the first invocation has: the request must continue.
    sb = await startTestSandbox({ instanceCreationMs: 2_500 });
    responses = await startResponseServer();
    createOktaUsers(sb);
    secret = await putOktaSecret(sb);
  });
  afterEach(async () => {
    await responses.close();
    await sb.stop();
  });

  /** What this stack made that a Delete must remove (the instance stays without DeleteInstance). */
  function stackOwned() {
    const state = sb.state();
    return {
      oktaApps: Object.keys(state.okta.apps).length,
      roles: state.iam.roles.length,
      samlProviders: state.iam.samlProviders.length,
      policies: state.iam.policies.length,
    };
  }

  async function createThenRollback(extra: CustomResourceHandlerOptions) {
    const options = handlerOptions(sb, { logger: memoryLogger(), reserveMs: 300, ...extra });
    const handler = createCustomResourceHandler(options);
    const props = baseProperties(sb, secret);
    const create = cfnEvent(responses, 'Create', props);
    await handler(create, lambdaContext(900));
    const failed = await responses.waitFor(create.RequestId);
    const before = stackOwned();

    // CloudFormation's rollback of the failed Create: a Delete of the id the FAILED response named.
    const rollback = cfnEvent(responses, 'Delete', props, {
      PhysicalResourceId: failed.body.PhysicalResourceId,
    });
    await handler(rollback, lambdaContext());
    const deleted = await responses.waitFor(rollback.RequestId);
    return { failed: failed.body, before, deleted: deleted.body, after: stackOwned() };
  }

  /** FAILED with the setup id (after a pass that did write), and the rollback Delete left nothing. */
  function expectRolledBack(run: Awaited<ReturnType<typeof createThenRollback>>, reason: string) {
    expect(run.failed.Status).toBe('FAILED');
    expect(run.failed.Reason).toContain(reason);
    expect(run.failed.PhysicalResourceId).toBe(SETUP_ID);
    // The first pass did write (else the rollback would prove nothing).
    expect(run.before.oktaApps + run.before.roles + run.before.policies).toBeGreaterThan(0);
    expect(run.deleted).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: SETUP_ID });
    expect(run.after).toEqual({ oktaApps: 0, roles: 0, samlProviders: 0, policies: 0 });
  }

  it('a refused self re-invoke: FAILED with the setup id, and the rollback Delete removes what the pass made', async () => {
    let invokes = 0;
    const run = await createThenRollback({
      invokeSelf: async () => {
        invokes++;
        throw new Error('User is not authorized to perform: lambda:InvokeFunction');
      },
    });
    expect(invokes).toBe(1);
    expectRolledBack(run, 'lambda:InvokeFunction');
  }, 60_000);

  it('past its ServiceTimeout: FAILED with the setup id, and the rollback Delete removes what the pass made', async () => {
    const run = await createThenRollback({
      maxDurationMs: 1,
      invokeSelf: async () => {
        throw new Error('a request past its ServiceTimeout must not be continued');
      },
    });
    expectRolledBack(run, 'did not finish within');
  }, 60_000);

  it('properties that do not parse wrote nothing: the placeholder id stays, and its Delete does nothing', async () => {
    const handler = createCustomResourceHandler(
      handlerOptions(sb, {
        logger: memoryLogger(),
        invokeSelf: async () => {
          throw new Error('a bad request must not be continued');
        },
      }),
    );
    const bad = cfnEvent(responses, 'Create', baseProperties(sb, secret, { apps: [] }));
    await handler(bad, lambdaContext());
    const failed = await responses.waitFor(bad.RequestId);
    expect(failed.body.Status).toBe('FAILED');
    expect(failed.body.PhysicalResourceId).toMatch(/^connect-okta-sso:failed-create:/);
    expect(stackOwned()).toEqual({ oktaApps: 0, roles: 0, samlProviders: 0, policies: 0 });
  });
});
