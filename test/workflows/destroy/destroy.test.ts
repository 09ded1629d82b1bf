/**
 * destroyConnectSso and planDestroy against the sandbox with the real SDKs: a fresh setup torn down to
 * nothing of the stack, another stack and foreign resources untouched, a second teardown without a
 * write, a rebuild after it, the instance kept unless asked, blocked deletes explained, no secret shown.
 */
import { inspect } from 'node:util';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError } from '../../../src/core/errors.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { destroyConnectSso, planDestroy } from '../../../src/workflows/destroy/destroy.js';
import { renderDestroyPlan, renderDestroyResult } from '../../../src/workflows/destroy/render.js';
import type { DestroyEvent } from '../../../src/workflows/destroy/types.js';
import { connectClient, iamClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
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
} from './fixtures.js';

const MODES: Mode[] = ['api-integration', 'group-mapping'];

let sb: Sandbox;
let iam: IAMClient;
beforeEach(async () => {
  sb = await startTestSandbox();
  iam = iamClient(sb);
  for (const person of PEOPLE) sb.admin.createOktaUser(person);
});
afterEach(async () => {
  await sb?.stop();
});
afterAll(removeTempFiles);

const ctx = (stack = 'acme-cc') => sandboxContext(sb, { stack, maxAttempts: 3 });
const writeOps = () => writes(sb).map((w) => `${w.service}:${w.operation}`);

describe.each(MODES)('a fresh setup (%s)', (mode) => {
  it('is torn down to nothing of the stack; the other stack is untouched; a second teardown writes nothing; apply rebuilds it', async () => {
    const built = await provisionFully(sb, stackConfig(sb, mode), ctx());
    await provisionFully(sb, otherStackConfig(sb, mode), ctx('other-cc'));
    const instanceId = built.instance.instanceId as string;
    await addQuickConnect(sb, connectClient(sb), instanceId, 'jane.doe@acme.com', 'Transfer to Jane');
    const ours = stackView(sb.state(), 'acme-cc');
    const theirs = stackView(sb.state(), 'other-cc');
    expect(residue(sb.state(), 'acme-cc').length).toBeGreaterThan(10);

    // The plan: what goes, what stays and why; nothing written.
    sb.resetRequests();
    const plan = await planDestroy(stackConfig(sb, mode), { context: ctx() });
    expect(writes(sb)).toEqual([]);
    const byKind = (kind: string) => plan.items.filter((i) => i.kind === kind);
    expect(byKind('connect-user').map((i) => [i.resource, i.action])).toEqual([
      ['connect user agent1@acme.com', 'delete'],
      ['connect user agent2@acme.com', 'delete'],
      ['connect user jane.doe@acme.com', 'delete'],
    ]);
    expect(byKind('connect-quick-connect').map((i) => i.action)).toEqual(['delete']);
    expect(byKind('okta-app').map((i) => [i.resource, i.action])).toEqual([
      ['okta app "Amazon Connect Administrator"', 'delete'],
      ['okta app "Amazon Connect CCP"', 'delete'],
    ]);
    expect(byKind('iam-role').map((i) => i.reason)).toEqual([
      'detach okta_federation_policy, then delete the role',
      'detach okta_federation_policy, then delete the role',
    ]);
    expect(byKind('okta-group').map((i) => i.action)).toEqual(
      mode === 'group-mapping' ? ['delete', 'delete'] : [],
    );
    expect(byKind('iam-access-key').map((i) => i.action)).toEqual(
      mode === 'api-integration' ? ['delete'] : [],
    );
    expect(byKind('iam-user').map((i) => i.action)).toEqual([
      mode === 'api-integration' ? 'delete' : 'absent',
    ]);
    expect(byKind('connect-instance')).toEqual([
      expect.objectContaining({ action: 'keep', reason: expect.stringContaining('deleteInstance: true') }),
    ]);
    expect(plan.summary.blocked).toBe(0);
    expect(plan.summary.foreign).toBe(0);
    const text = renderDestroyPlan(plan);
    expect(text).toMatch(/^- okta app "Amazon Connect CCP" +delete: deactivate, then delete/m);
    expect(text).toMatch(/^= connect instance acme-cc +keep: it holds contact data/m);

    // The teardown.
    sb.resetRequests();
    const events: DestroyEvent[] = [];
    const result = await destroyConnectSso(stackConfig(sb, mode), {
      context: ctx(),
      onEvent: (e) => events.push(e),
    });
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('complete');
    expect(residue(sb.state(), 'acme-cc')).toEqual([]);
    expect(result.kept.map((k) => k.resource)).toEqual(['connect instance acme-cc']);
    expect(result.foreign).toEqual([]);
    expect(result.deleted.map((d) => d.resource)).toEqual(
      plan.items.filter((i) => i.action === 'delete').map((i) => i.resource),
    );
    expect(result.requests.writes).toBe(writes(sb).length);
    // Reverse order: users before the apps, roles before their providers, the policies last.
    const order = writeOps();
    const first = (op: string) => order.indexOf(op);
    // Jane's quick connect goes right before Jane (the last user by name).
    expect(order.indexOf('connect:DeleteQuickConnect')).toBe(order.lastIndexOf('connect:DeleteUser') - 1);
    expect(order.lastIndexOf('connect:DeleteUser')).toBeLessThan(first('okta:DeactivateApplication'));
    expect(first('iam:DetachRolePolicy')).toBeLessThan(first('iam:DeleteRole'));
    expect(order.lastIndexOf('iam:DeleteRole')).toBeLessThan(order.lastIndexOf('iam:DeletePolicy'));
    expect(first('okta:DeactivateApplication')).toBeLessThan(first('okta:DeleteApplication'));
    expect(events.filter((e) => e.type === 'step-finished').length).toBe(result.steps.length);
    // The instance and the other stack are as they were.
    expect(Object.values(sb.state().connect.instances).map((i) => i.alias)).toEqual(['acme-cc', 'other-cc']);
    expect(stackView(sb.state(), 'other-cc')).toEqual(theirs);

    // Nothing left: a second teardown writes nothing (the sandbox's request log says so).
    sb.resetRequests();
    const again = await destroyConnectSso(stackConfig(sb, mode), { context: ctx() });
    expect(again.status).toBe('complete');
    expect(again.deleted).toEqual([]);
    expect(writes(sb)).toEqual([]);
    expect(renderDestroyResult(again)).toMatch(
      /0 deleted, 1 kept, 0 foreign, \d+ absent, 0 failed, 0 skipped/,
    );

    // Apply builds the same setup again, in the kept instance.
    await provisionFully(sb, stackConfig(sb, mode), ctx());
    const rebuilt = stackView(sb.state(), 'acme-cc') as Record<string, unknown>;
    expect(rebuilt).toEqual(ours);
    expect(stackView(sb.state(), 'other-cc')).toEqual(theirs);
    const signIn = await sb.login({
      app: Object.values(sb.state().okta.apps).find((a) => a.label === 'Amazon Connect CCP')?.id ?? '',
      login: 'agent1@acme.com',
    });
    expect(signIn.ok).toBe(true);
  });
});

describe('the Connect instance', () => {
  it('is deleted only with deleteInstance, with everything in it; the other stack keeps its own', async () => {
    await provisionFully(sb, stackConfig(sb, 'group-mapping'), ctx());
    await provisionFully(sb, otherStackConfig(sb, 'group-mapping'), ctx('other-cc'));
    const theirs = stackView(sb.state(), 'other-cc');

    sb.resetRequests();
    const plan = await planDestroy(stackConfig(sb, 'group-mapping'), {
      context: ctx(),
      deleteInstance: true,
    });
    expect(writes(sb)).toEqual([]);
    expect(plan.deleteInstance).toBe(true);
    const instance = plan.items.find((i) => i.kind === 'connect-instance');
    expect(instance?.action).toBe('delete');
    expect(instance?.reason).toContain('100 instance creations and deletions');
    // The users go with the instance: no DeleteUser one by one.
    expect(plan.items.filter((i) => i.kind === 'connect-user')).toEqual([]);

    const result = await destroyConnectSso(stackConfig(sb, 'group-mapping'), {
      context: ctx(),
      deleteInstance: true,
    });
    expect(result.status).toBe('complete');
    expect(result.kept).toEqual([]);
    expect(residue(sb.state(), 'acme-cc', { instance: true })).toEqual([]);
    expect(writeOps().filter((w) => w.startsWith('connect:'))).toEqual(['connect:DeleteInstance']);
    expect(Object.values(sb.state().connect.instances).map((i) => i.alias)).toEqual(['other-cc']);
    expect(stackView(sb.state(), 'other-cc')).toEqual(theirs);

    sb.resetRequests();
    await destroyConnectSso(stackConfig(sb, 'group-mapping'), { context: ctx(), deleteInstance: true });
    expect(writes(sb)).toEqual([]);
  });
});

describe('resources with our names that are not ours', () => {
  const TRUST = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  });

  /** Replace the stack's CCP role by someone else's role of the same name. */
  async function foreignCcpRole(): Promise<void> {
    const role = sb.state().iam.roles.find((r) => r.name === 'Okta_CCP_Role');
    for (const arn of role?.attachedPolicies ?? []) {
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'Okta_CCP_Role', PolicyArn: arn }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName: 'Okta_CCP_Role' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'Okta_CCP_Role', AssumeRolePolicyDocument: TRUST }));
  }

  it('a same-named role that is not ours survives and is reported; the rest goes', async () => {
    await provisionFully(sb, stackConfig(sb, 'api-integration'), ctx());
    await foreignCcpRole();

    const plan = await planDestroy(stackConfig(sb, 'api-integration'), { context: ctx() });
    expect(plan.items.find((i) => i.step === 'role:ccp')).toMatchObject({
      action: 'foreign',
      reason: expect.stringContaining('was not created by connect-okta-sso'),
    });
    sb.resetRequests();
    const result = await destroyConnectSso(stackConfig(sb, 'api-integration'), { context: ctx() });
    expect(result.status).toBe('complete');
    expect(result.foreign.map((f) => f.resource)).toEqual(['iam role Okta_CCP_Role']);
    expect(residue(sb.state(), 'acme-cc')).toEqual([]);
    const survivor = sb.state().iam.roles.find((r) => r.name === 'Okta_CCP_Role');
    expect(survivor?.tags).toEqual([]);
    expect(writes(sb).some((w) => w.operation === 'DeleteRole' && w.status === 200)).toBe(true);
    expect(renderDestroyResult(result)).toContain(
      '! left alone iam role Okta_CCP_Role: it was not created by connect-okta-sso',
    );
  });

  it('a policy still attached to a role that is not ours blocks only its own delete, explained with the fix', async () => {
    await provisionFully(sb, stackConfig(sb, 'api-integration'), ctx());
    await foreignCcpRole();
    const federation = sb.state().iam.policies.find((p) => p.name === 'okta_federation_policy');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Okta_CCP_Role', PolicyArn: federation?.arn }));

    const plan = await planDestroy(stackConfig(sb, 'api-integration'), { context: ctx() });
    expect(plan.items.find((i) => i.step === 'federation-policy')).toMatchObject({
      action: 'blocked',
      reason: expect.stringContaining('aws iam detach-role-policy --role-name Okta_CCP_Role'),
    });

    const result = await destroyConnectSso(stackConfig(sb, 'api-integration'), { context: ctx() });
    expect(result.status).toBe('failed');
    expect(result.errors.map((e) => e.id)).toEqual(['federation-policy']);
    const error = result.errors[0]?.error;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error?.message).toContain('still attached to role Okta_CCP_Role');
    expect(result.skipped.map((s) => s.id)).toEqual(['instance']);
    // Everything else went; the blocked policy and someone else's role stay.
    expect(residue(sb.state(), 'acme-cc')).toEqual(['iam policy okta_federation_policy']);

    // The owner detaches it: the next teardown finishes.
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Okta_CCP_Role', PolicyArn: federation?.arn }));
    sb.resetRequests();
    const finished = await destroyConnectSso(stackConfig(sb, 'api-integration'), { context: ctx() });
    expect(finished.status).toBe('complete');
    expect(writeOps()).toEqual(['iam:DeletePolicy']);
    expect(residue(sb.state(), 'acme-cc')).toEqual([]);
  });
});

describe('secrets and input', () => {
  it('never shows a secret in the result, the events, the plan or their renderings', async () => {
    const { secret } = await provisionFully(sb, stackConfig(sb, 'api-integration'), ctx());
    expect(secret).toHaveLength(40);
    const events: DestroyEvent[] = [];
    const plan = await planDestroy(stackConfig(sb, 'api-integration'), { context: ctx() });
    const result = await destroyConnectSso(stackConfig(sb, 'api-integration'), {
      context: ctx(),
      onEvent: (e) => events.push(e),
    });
    const texts = [
      JSON.stringify(plan),
      JSON.stringify(result),
      JSON.stringify(events),
      inspect(result, { depth: 20 }),
      renderDestroyPlan(plan),
      renderDestroyResult(result),
    ].join('\n');
    expect(texts).not.toContain(sb.okta.token);
    expect(texts).not.toContain(sb.aws.credentials.secretAccessKey);
    expect(texts).not.toContain(secret);
  });

  it('refuses an invalid config before any request', async () => {
    sb.resetRequests();
    const bad = { ...stackConfig(sb, 'api-integration'), region: 'mars-1' };
    await expect(destroyConnectSso(bad, { context: ctx() })).rejects.toBeInstanceOf(ConfigError);
    await expect(planDestroy(bad, { context: ctx() })).rejects.toBeInstanceOf(ConfigError);
    expect(sb.requests()).toEqual([]);
  });
});
