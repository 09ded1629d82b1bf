/**
 * createOktaFederationApp against the sandbox, through the library's context (real Okta SDK, raw
 * transport). Idempotence is proved by counting the sandbox's write requests.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SsoContext } from '../../../src/core/context.js';
import { ConfigError, ConflictError, ProviderError } from '../../../src/core/errors.js';
import {
  createOktaFederationApp,
  type OktaFederationAppInput,
  ownershipMarker,
} from '../../../src/resources/okta-app/ensure.js';
import { buildRelayState } from '../../../src/resources/okta-app/relay-state.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { oktaClient, sandboxContext, startTestSandbox, writes } from '../../helpers.js';
import { awsAppBody, type JsonObject, oktaJson, type RawApp } from '../../support/okta.js';

const INSTANCE = '8f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';
const OTHER_INSTANCE = '11111111-2222-4333-8444-555555555555';
const RELAY = buildRelayState({ region: 'us-east-1', instanceId: INSTANCE });
const CCP_RELAY = buildRelayState({ region: 'us-east-1', instanceId: INSTANCE, destination: 'ccp' });

/** An amazon_aws app created by hand (as in the admin console), without our marker unless given notes. */
function handMadeApp(sb: Sandbox, label: string, notes?: string): Promise<RawApp> {
  return oktaJson(
    sb,
    'POST',
    '/api/v1/apps',
    awsAppBody(label, {
      relayState: RELAY,
      app: { loginURL: RELAY },
      ...(notes ? { settings: { notes: { admin: notes } } } : {}),
    }),
  );
}

const writeOps = (sb: Sandbox) => writes(sb).map((w) => `${w.service} ${w.operation}`);

let sb: Sandbox;
let ctx: SsoContext;
let n = 0;
/** A label no other test uses. */
const label = (what: string) => `Connect ${what} ${++n}`;

beforeAll(async () => {
  sb = await startTestSandbox();
  ctx = sandboxContext(sb);
});
afterAll(async () => {
  await sb.stop();
});
beforeEach(() => {
  sb.resetRequests();
});

describe('createOktaFederationApp', () => {
  it('creates the app inactive with settings.app and the relay state together, then activates it', async () => {
    const name = label('fresh');
    const result = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });

    expect(result.action).toBe('created');
    expect(result.dryRun).toBe(false);
    expect(result.appId).toMatch(/^0oa/);
    expect(result.status).toBe('ACTIVE');
    expect(result.relayState).toBe(RELAY);
    expect(result.signingKid).toBeTruthy();
    expect(result.features).toEqual([]);
    expect(result.signInUrl).toBe(`${sb.okta.orgUrl}/home/amazon_aws/${result.appId}/272`);
    expect(result.metadata?.entityId).toMatch(/^http:\/\/www\.okta\.com\/exk/);
    expect(result.metadata?.signingCertificates).toHaveLength(1);
    expect(result.metadata?.xml).toBe(result.metadataXml);
    expect(result.metadataXml).toContain('<md:EntityDescriptor');
    expect(writeOps(sb)).toEqual(['okta CreateApplication', 'okta ActivateApplication']);

    const app = await oktaJson(sb, 'GET', `/api/v1/apps/${result.appId}`);
    expect(app.status).toBe('ACTIVE');
    expect(app.settings.signOn.defaultRelayState).toBe(RELAY);
    expect(app.settings.app).toMatchObject({
      awsEnvironmentType: 'aws.amazon',
      loginURL: RELAY,
      sessionDuration: 3600,
      useGroupMapping: false,
    });
    expect(app.settings.notes.admin).toBe(ownershipMarker('test-stack'));
  });

  it('sends settings.app and the relay state together on the wire, and creates with activate=false', async () => {
    // The library's own transport (the SDK's client.http), observed from inside.
    const client = oktaClient(sb);
    const sent: { method: string; url: string; body: JsonObject | undefined }[] = [];
    const http = client.http.http.bind(client.http);
    client.http.http = (uri, request, context) => {
      const r = (request ?? {}) as { method?: string; body?: unknown };
      sent.push({
        method: String(r.method ?? 'GET').toUpperCase(),
        url: uri,
        body: typeof r.body === 'string' ? (JSON.parse(r.body) as JsonObject) : undefined,
      });
      return http(uri, request, context);
    };
    const spied: SsoContext = { ...ctx, okta: async () => client };
    const name = label('wire');
    const { appId } = await createOktaFederationApp(spied, { label: name, relayState: RELAY });
    const current = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
    await oktaJson(sb, 'PUT', `/api/v1/apps/${appId}`, {
      ...current,
      settings: {
        ...current.settings,
        app: { sessionDuration: 900 },
        signOn: { defaultRelayState: CCP_RELAY },
      },
    });
    await createOktaFederationApp(spied, { label: name, relayState: RELAY });

    const create = sent.find((s) => s.method === 'POST' && s.url.includes('/api/v1/apps?'));
    expect(new URL(create?.url ?? 'http://x').searchParams.get('activate')).toBe('false');
    const appWrites = sent
      .filter((s) => s.method === 'POST' || s.method === 'PUT')
      .flatMap((s): JsonObject[] => (s.body && 'label' in s.body ? [s.body] : []));
    expect(appWrites).toHaveLength(2); // the create and the repair
    for (const body of appWrites) {
      const settings = body.settings as { app?: JsonObject; signOn?: JsonObject };
      expect(settings.app?.loginURL).toBe(RELAY);
      expect(settings.signOn?.defaultRelayState).toBe(RELAY);
      expect(body).not.toHaveProperty('_links');
    }
    const metadataCall = sent.find((s) => s.url.includes('/sso/saml/metadata'));
    expect(metadataCall?.url).toMatch(/\?kid=/);
  });

  it('makes zero writes on a second run with the same input', async () => {
    const input: OktaFederationAppInput = { label: label('twice'), relayState: RELAY, sessionDuration: 7200 };
    const first = await createOktaFederationApp(ctx, input);
    sb.resetRequests();
    const second = await createOktaFederationApp(ctx, input);
    expect(second.action).toBe('unchanged');
    expect(second.changes).toEqual([]);
    expect(second.appId).toBe(first.appId);
    expect(second.metadataXml).toBe(first.metadataXml);
    expect(writes(sb)).toEqual([]);
    expect(sb.requests().map((r) => r.operation)).toEqual([
      'ListApplications',
      'PreviewSAMLmetadataForApplication',
    ]);
  });

  it('repairs a relay state and session duration changed by hand, keeping every other field', async () => {
    const name = label('drift');
    const { appId } = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    const app = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
    // By hand: another relay state and duration, an identity provider ARN, admin notes and a setting we
    // do not manage.
    app.settings.signOn.defaultRelayState = buildRelayState({
      region: 'us-east-1',
      instanceId: OTHER_INSTANCE,
    });
    app.settings.app.sessionDuration = 900;
    app.settings.app.identityProviderArn = 'arn:aws:iam::123456789012:saml-provider/Okta_Connect_Admin';
    app.settings.app.appFilter = 'okta';
    app.settings.notes.enduser = 'Ask the help desk';
    app.visibility = { ...(app.visibility as JsonObject), autoSubmitToolbar: true };
    await oktaJson(sb, 'PUT', `/api/v1/apps/${appId}`, app);

    sb.resetRequests();
    const result = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    expect(result.action).toBe('updated');
    expect(result.changes).toEqual([
      `relay state: '${buildRelayState({ region: 'us-east-1', instanceId: OTHER_INSTANCE })}' → '${RELAY}'`,
      'session duration: 900 → 3600',
    ]);
    expect(writeOps(sb)).toEqual(['okta ReplaceApplication']);

    const after = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
    expect(after.settings.signOn.defaultRelayState).toBe(RELAY);
    expect(after.settings.app.sessionDuration).toBe(3600);
    expect(after.settings.app.identityProviderArn).toBe(
      'arn:aws:iam::123456789012:saml-provider/Okta_Connect_Admin',
    );
    expect(after.settings.notes).toEqual({
      admin: ownershipMarker('test-stack'),
      enduser: 'Ask the help desk',
    });
    expect((after.visibility as JsonObject).autoSubmitToolbar).toBe(true);

    sb.resetRequests();
    expect((await createOktaFederationApp(ctx, { label: name, relayState: RELAY })).action).toBe('unchanged');
    expect(writes(sb)).toEqual([]);
  });

  it('restores the relay state Okta dropped after a replace without settings.app', async () => {
    const name = label('dropped');
    const { appId } = await createOktaFederationApp(ctx, { label: name, relayState: CCP_RELAY });
    const app = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
    const { app: _dropped, ...settingsWithoutApp } = app.settings;
    await oktaJson(sb, 'PUT', `/api/v1/apps/${appId}`, { ...app, settings: settingsWithoutApp });
    expect((await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`)).settings.signOn.defaultRelayState).toBeNull();

    const result = await createOktaFederationApp(ctx, { label: name, relayState: CCP_RELAY });
    expect(result.changes).toEqual([`relay state: unset → '${CCP_RELAY}'`]);
    const after = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
    expect(after.settings.signOn.defaultRelayState).toBe(CCP_RELAY);
    expect(after.settings.app.loginURL).toBe(CCP_RELAY);
  });

  it('activates an app that was deactivated, with that single write', async () => {
    const name = label('inactive');
    const { appId } = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    await oktaJson(sb, 'POST', `/api/v1/apps/${appId}/lifecycle/deactivate`);
    sb.resetRequests();
    const result = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    expect(result.action).toBe('updated');
    expect(result.changes).toEqual(['status: INACTIVE → ACTIVE']);
    expect(result.status).toBe('ACTIVE');
    expect(writeOps(sb)).toEqual(['okta ActivateApplication']);
    expect((await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`)).status).toBe('ACTIVE');
  });

  it('configures group mapping, and turns it off when it is no longer asked for', async () => {
    const name = label('groups');
    const groupMapping = {
      groupFilter: 'aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)',
      roleValuePattern:
        'arn:aws:iam::${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::${accountid}:role/${role}',
      joinAllRoles: true,
    };
    const { appId } = await createOktaFederationApp(ctx, { label: name, relayState: RELAY, groupMapping });
    expect((await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`)).settings.app).toMatchObject({
      useGroupMapping: true,
      ...groupMapping,
    });
    sb.resetRequests();
    expect(
      (await createOktaFederationApp(ctx, { label: name, relayState: RELAY, groupMapping })).action,
    ).toBe('unchanged');
    expect(writes(sb)).toEqual([]);

    const off = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    expect(off.changes).toEqual(['use group mapping: true → false']);
    const after = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
    expect(after.settings.app.useGroupMapping).toBe(false);
    expect(after.settings.signOn.defaultRelayState).toBe(RELAY);
  });

  it('finds its app by exact label: prefix and case variants are other apps', async () => {
    const name = label('exact');
    await handMadeApp(sb, `${name} (old)`);
    await handMadeApp(sb, name.toUpperCase());
    const result = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    expect(result.action).toBe('created');
    sb.resetRequests();
    const again = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
    expect(again.appId).toBe(result.appId);
    expect(again.action).toBe('unchanged');
  });

  it('follows the Link pages of the app list', async () => {
    const local = await startTestSandbox();
    try {
      const localCtx = sandboxContext(local);
      // 200 apps whose labels start with ours fill the first page (limit 200).
      for (let i = 0; i < 200; i++) await handMadeApp(local, `Paged ${String(i).padStart(3, '0')}`);
      const first = await createOktaFederationApp(localCtx, { label: 'Paged', relayState: RELAY });
      expect(first.action).toBe('created');
      local.resetRequests();
      const second = await createOktaFederationApp(localCtx, { label: 'Paged', relayState: RELAY });
      expect(second).toMatchObject({ action: 'unchanged', appId: first.appId });
      expect(local.requests().filter((r) => r.operation === 'ListApplications')).toHaveLength(2);
      expect(writes(local)).toEqual([]);
    } finally {
      await local.stop();
    }
  });

  describe('conflicts', () => {
    it('two apps with the label: a ConflictError listing both ids, and no write', async () => {
      const name = label('twin');
      const a = await handMadeApp(sb, name, ownershipMarker('test-stack'));
      const b = await handMadeApp(sb, name);
      sb.resetRequests();
      const error = await createOktaFederationApp(ctx, { label: name, relayState: RELAY, adopt: true }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).message).toContain(a.id);
      expect((error as ConflictError).message).toContain(b.id);
      expect(writes(sb)).toEqual([]);
    });

    it('an app made by hand is not taken over without adopt; with adopt it is marked and converged', async () => {
      const name = label('foreign');
      const foreign = await handMadeApp(sb, name, 'Owned by the identity team');
      sb.resetRequests();
      const error = await createOktaFederationApp(ctx, { label: name, relayState: CCP_RELAY }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/not created by connect-okta-sso.*adopt: true/s);
      expect(writes(sb)).toEqual([]);

      const adopted = await createOktaFederationApp(ctx, { label: name, relayState: CCP_RELAY, adopt: true });
      expect(adopted.action).toBe('updated');
      expect(adopted.appId).toBe(foreign.id);
      expect(adopted.changes).toContain(
        `admin notes: ownership marker '${ownershipMarker('test-stack')}' added (adopted)`,
      );
      const after = await oktaJson(sb, 'GET', `/api/v1/apps/${foreign.id}`);
      expect(after.settings.notes.admin).toBe(`Owned by the identity team\n${ownershipMarker('test-stack')}`);
      expect(after.settings.signOn.defaultRelayState).toBe(CCP_RELAY);

      sb.resetRequests();
      const again = await createOktaFederationApp(ctx, { label: name, relayState: CCP_RELAY });
      expect(again.action).toBe('unchanged');
      expect(writes(sb)).toEqual([]);
    });

    it("another stack's app is a ConflictError naming that stack", async () => {
      const name = label('stack');
      await handMadeApp(sb, name, ownershipMarker('prod'));
      // A stack whose name extends ours must not count as ours either.
      const name2 = label('stack');
      await handMadeApp(sb, name2, ownershipMarker('test-stack-2'));
      await expect(createOktaFederationApp(ctx, { label: name, relayState: RELAY })).rejects.toThrow(
        /belongs to stack 'prod'/,
      );
      await expect(createOktaFederationApp(ctx, { label: name2, relayState: RELAY })).rejects.toThrow(
        /belongs to stack 'test-stack-2'/,
      );
    });
  });

  describe('invalid input makes zero requests', () => {
    const arnRelay = `https://us-east-1.console.aws.amazon.com/connect/federate/arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE}`;
    const cases: [string, Partial<OktaFederationAppInput>, string, RegExp][] = [
      [
        'an instance ARN in the relay state',
        { relayState: arnRelay },
        'relayState',
        /instance ARN.*buildRelayState/,
      ],
      [
        'an URL-encoded instance ARN',
        { relayState: arnRelay.replace(/:/g, '%3A').replace('https%3A', 'https:') },
        'relayState',
        /instance ARN/,
      ],
      ['an http relay state', { relayState: RELAY.replace('https:', 'http:') }, 'relayState', /https/],
      [
        'a relay state to another path',
        { relayState: 'https://us-east-1.console.aws.amazon.com/connect/home' },
        'relayState',
        /\/connect\/federate\/<instance-id>/,
      ],
      ['a relay state that is no URL', { relayState: 'federate me' }, 'relayState', /not a URL/],
      ['an empty label', { label: ' ' }, 'label', /non-empty/],
      ['a label over 100 characters', { label: 'x'.repeat(101) }, 'label', /at most 100/],
      ['a session under 900 s', { sessionDuration: 899 }, 'sessionDuration', /900 to 43200/],
      ['a session over 12 h', { sessionDuration: 43_201 }, 'sessionDuration', /900 to 43200/],
      ['a fractional session', { sessionDuration: 3600.5 }, 'sessionDuration', /whole number/],
      ['an odd environment', { awsEnvironmentType: 'AWS Gov' }, 'awsEnvironmentType', /aws\.amazon/],
      [
        'a group mapping without a pattern',
        { groupMapping: { groupFilter: 'aws_(?{{role}}.+)', roleValuePattern: '' } },
        'groupMapping.roleValuePattern',
        /required/,
      ],
    ];
    it.each(cases)('%s', async (_what, patch, field, message) => {
      sb.resetRequests();
      const error = await createOktaFederationApp(ctx, { label: 'Valid', relayState: RELAY, ...patch }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as ConfigError).message).toMatch(message);
      expect(sb.requests()).toEqual([]);
    });

    it('reports every problem at once', async () => {
      const error = (await createOktaFederationApp(ctx, {
        label: '',
        relayState: 'nope',
        sessionDuration: 1,
      }).catch((e: unknown) => e)) as ConfigError;
      expect(error.issues.map((i) => i.field)).toEqual(['label', 'relayState', 'sessionDuration']);
      expect(sb.requests()).toEqual([]);
    });
  });

  describe('dryRun', () => {
    it('reports the creation without writing anything', async () => {
      const name = label('dry');
      const result = await createOktaFederationApp(ctx, { label: name, relayState: RELAY, dryRun: true });
      expect(result).toMatchObject({
        action: 'created',
        dryRun: true,
        appId: undefined,
        metadata: undefined,
        signInUrl: undefined,
        relayState: RELAY,
      });
      expect(result.changes).toHaveLength(1);
      expect(writes(sb)).toEqual([]);
      const listed = await oktaJson<RawApp[]>(sb, 'GET', `/api/v1/apps?q=${encodeURIComponent(name)}`);
      expect(listed).toEqual([]);
    });

    it('reports drift without repairing it', async () => {
      const name = label('dry-drift');
      const { appId } = await createOktaFederationApp(ctx, { label: name, relayState: RELAY });
      await oktaJson(sb, 'POST', `/api/v1/apps/${appId}/lifecycle/deactivate`);
      sb.resetRequests();
      const result = await createOktaFederationApp(ctx, {
        label: name,
        relayState: CCP_RELAY,
        sessionDuration: 1800,
        dryRun: true,
      });
      expect(result.action).toBe('updated');
      expect(result.appId).toBe(appId);
      expect(result.metadata?.signingCertificates).toHaveLength(1);
      expect(result.changes).toEqual([
        `relay state: '${RELAY}' → '${CCP_RELAY}'`,
        `login URL: '${RELAY}' → '${CCP_RELAY}'`,
        'session duration: 3600 → 1800',
        'status: INACTIVE → ACTIVE',
      ]);
      expect(writes(sb)).toEqual([]);
      const app = await oktaJson(sb, 'GET', `/api/v1/apps/${appId}`);
      expect(app.status).toBe('INACTIVE');
      expect(app.settings.signOn.defaultRelayState).toBe(RELAY);
    });
  });

  it('maps Okta failures to ProviderError without the API token', async () => {
    const local = await startTestSandbox({
      faults: [{ service: 'okta', operation: 'CreateApplication', kind: 'server-error' }],
    });
    try {
      const error = await createOktaFederationApp(sandboxContext(local), {
        label: 'Faulty',
        relayState: RELAY,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ service: 'okta', operation: 'CreateApplication', httpStatus: 500 });
      expect(JSON.stringify(error)).not.toContain(local.okta.token);
      expect(inspect(error, { depth: 10 })).not.toContain(local.okta.token);
      // A 5xx leaves it unknown whether the app was made: each retry is preceded by a list of the label.
      expect(local.requests().map((r) => r.operation)).toEqual([
        'ListApplications',
        ...['CreateApplication', 'ListApplications', 'CreateApplication', 'ListApplications'],
        'CreateApplication',
      ]);
    } finally {
      await local.stop();
    }
  });
});
