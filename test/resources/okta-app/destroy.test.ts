/**
 * destroyOktaFederationApp against the sandbox's Okta through the real Okta SDK transport: deactivate,
 * then delete, the assignments with the app; only this stack's app (by its admin-notes marker); an app
 * re-activated in between is deactivated again, and one that keeps coming back is explained.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ConflictError } from '../../../src/core/errors.js';
import { destroyOktaFederationApp } from '../../../src/resources/okta-app/destroy.js';
import { createOktaFederationApp } from '../../../src/resources/okta-app/ensure.js';
import { buildRelayState } from '../../../src/resources/okta-app/relay-state.js';
import type { RequestLogEntry, Sandbox } from '../../../src/sandbox/index.js';
import { sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { oktaJson } from '../../support/okta.js';

const RELAY = buildRelayState({ region: 'us-east-1', instanceId: '8f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e' });

let sb: Sandbox;
let hook: ((e: RequestLogEntry) => void) | undefined;
beforeEach(async () => {
  hook = undefined;
  sb = await startTestSandbox({ onRequest: (e) => hook?.(e), latencyMs: { DeleteApplication: 1500 } });
});
afterEach(async () => {
  await sb?.stop();
});

const ctx = (stack = 'acme-cc') => sandboxContext(sb, { stack });
const writeOps = () => writes(sb).map((r) => r.operation);
const labels = () => Object.values(sb.state().okta.apps).map((a) => a.label);

async function app(label: string, stack = 'acme-cc'): Promise<string> {
  const made = await createOktaFederationApp(ctx(stack), { label, relayState: RELAY });
  return made.appId as string;
}

describe('destroyOktaFederationApp', () => {
  it('deactivates, then deletes the app with its assignments; a second call writes nothing', async () => {
    const appId = await app('Connect Admin');
    const user = sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
    await oktaJson(sb, 'POST', `/api/v1/apps/${appId}/users`, { id: user.id, scope: 'USER' });
    const group = await oktaJson<{ id: string }>(sb, 'POST', '/api/v1/groups', {
      profile: { name: 'someone-elses' },
    });
    await oktaJson(sb, 'PUT', `/api/v1/apps/${appId}/groups/${group.id}`, {});
    sb.resetRequests();

    const [planned] = await destroyOktaFederationApp(ctx(), { label: 'Connect Admin', dryRun: true });
    expect(planned).toMatchObject({
      kind: 'okta-app',
      resource: 'okta app "Connect Admin"',
      id: appId,
      action: 'delete',
      reason: 'deactivate, then delete; its 1 user assignment(s) and 1 group assignment(s) go with it',
    });
    expect(writeOps()).toEqual([]);

    const done = await destroyOktaFederationApp(ctx(), { label: 'Connect Admin' });
    expect(done.map((r) => r.action)).toEqual(['delete']);
    expect(writeOps()).toEqual(['DeactivateApplication', 'DeleteApplication']);
    const state = sb.state().okta;
    expect(state.apps[appId]).toBeUndefined();
    expect(state.appUsers[appId]).toBeUndefined();
    // The group and the person are not the app's: they stay.
    expect(state.groups[group.id]).toBeDefined();
    expect(state.users[user.id]).toBeDefined();

    sb.resetRequests();
    expect(await destroyOktaFederationApp(ctx(), { label: 'Connect Admin' })).toEqual([
      expect.objectContaining({ action: 'absent' }),
    ]);
    expect(writeOps()).toEqual([]);
  });

  it('deletes an inactive app without deactivating it (an interrupted teardown)', async () => {
    const appId = await app('Connect CCP');
    await oktaJson(sb, 'POST', `/api/v1/apps/${appId}/lifecycle/deactivate`);
    sb.resetRequests();
    const [done] = await destroyOktaFederationApp(ctx(), { label: 'Connect CCP' });
    expect(done?.reason).toBe('delete (already inactive)');
    expect(writeOps()).toEqual(['DeleteApplication']);
  });

  it("leaves apps with the label that are not this stack's alone", async () => {
    await app('Connect Admin', 'other-stack');
    await oktaJson(sb, 'POST', '/api/v1/apps', {
      name: 'amazon_aws',
      label: 'Connect Admin',
      signOnMode: 'SAML_2_0',
      settings: { app: { loginURL: RELAY }, signOn: { defaultRelayState: RELAY } },
    });
    await app('Connect Admin (old)');
    sb.resetRequests();
    const records = await destroyOktaFederationApp(ctx(), { label: 'Connect Admin' });
    expect(records.map((r) => r.action)).toEqual(['foreign', 'foreign']);
    expect(records.map((r) => r.reason).join('\n')).toContain('its admin notes carry no ownership marker');
    expect(records.map((r) => r.reason).join('\n')).toContain("stack 'other-stack', not 'acme-cc'");
    expect(writeOps()).toEqual([]);
    expect(labels().filter((l) => l === 'Connect Admin')).toHaveLength(2);
    expect(labels()).toContain('Connect Admin (old)');
  });

  it('deactivates again when the app was re-activated between the deactivation and the delete', async () => {
    await app('Connect Admin');
    let reactivations = 0;
    hook = (e) => {
      if (e.operation !== 'DeactivateApplication' || reactivations > 0) return;
      reactivations++;
      const id = Object.keys(sb.state().okta.apps)[0];
      void oktaJson(sb, 'POST', `/api/v1/apps/${id}/lifecycle/activate`);
    };
    sb.resetRequests();
    const [done] = await destroyOktaFederationApp(ctx(), { label: 'Connect Admin' });
    expect(done?.action).toBe('delete');
    expect(
      sb
        .requests()
        .filter((r) => r.write)
        .map((r) => `${r.operation} ${r.status}`),
    ).toEqual([
      'DeactivateApplication 200',
      'ActivateApplication 200',
      'DeleteApplication 403',
      'DeactivateApplication 200',
      'DeleteApplication 204',
    ]);
    expect(labels()).toEqual([]);
  });

  it('explains E0000056 when the app keeps being re-activated', async () => {
    await app('Connect Admin');
    hook = (e) => {
      if (e.operation !== 'DeactivateApplication') return;
      const id = Object.keys(sb.state().okta.apps)[0];
      void oktaJson(sb, 'POST', `/api/v1/apps/${id}/lifecycle/activate`);
    };
    const error = await destroyOktaFederationApp(ctx(), { label: 'Connect Admin' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('E0000056');
    expect((error as Error).message).toContain('deactivate it in the Okta admin console');
    expect(labels()).toEqual(['Connect Admin']);
  });

  it('refuses an empty label before any request', async () => {
    await expect(destroyOktaFederationApp(ctx(), { label: ' ' })).rejects.toBeInstanceOf(ConfigError);
    expect(sb.requests()).toEqual([]);
  });
});
