/**
 * The emulated Okta Management API, driven by the real `@okta/okta-sdk-nodejs` client: its typed API for
 * users, app users and groups, its raw transport (`client.http.*`) for apps and metadata, as the library
 * does (design §5.1–5.2). Shapes are checked against recorded real Okta traffic (test/fixtures/okta-recorded.json).
 */
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
} from '@aws-sdk/client-iam';
import type { Client as OktaClient } from '@okta/okta-sdk-nodejs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { buildCertificate, derInteger, derOid } from '../../src/sandbox/okta/keys.js';
import { iamClient, oktaClient, startTestSandbox } from '../helpers.js';
import { awsAppBody } from '../support/okta.js';

type JsonObject = Record<string, unknown>;

const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/okta-recorded.json', import.meta.url), 'utf8'),
) as {
  createSamlAppResponse: JsonObject;
  metadataResponse: { contentType: string; body: string };
  listKeysResponse: JsonObject[];
};

/** The raw transport keeps `settings.app`; `postJson` resolves to parsed JSON although typed `Response`. */
async function post(client: OktaClient, path: string, body: unknown): Promise<JsonObject> {
  return (await client.http.postJson(`${client.baseUrl}${path}`, {
    body: JSON.stringify(body),
  })) as unknown as JsonObject;
}
async function put(client: OktaClient, path: string, body: unknown): Promise<JsonObject> {
  return (await client.http.putJson(`${client.baseUrl}${path}`, {
    body: JSON.stringify(body),
  })) as unknown as JsonObject;
}
async function get(client: OktaClient, path: string): Promise<JsonObject> {
  return (await client.http.getJson(`${client.baseUrl}${path}`)) as unknown as JsonObject;
}
async function raw(
  client: OktaClient,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return client.http.http(`${client.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    body: init.body,
  });
}

function awsApp(label: string, relayState = 'https://us-east-1.console.aws.amazon.com/connect/federate/i-1') {
  return awsAppBody(label, { relayState, app: { joinAllRoles: false } });
}

async function metadataXml(
  client: OktaClient,
  appId: string,
  query = '',
): Promise<{ status: number; type: string | null; xml: string }> {
  const res = await raw(client, `/api/v1/apps/${appId}/sso/saml/metadata${query}`, {
    headers: { Accept: 'application/xml' },
  });
  return { status: res.status, type: res.headers.get('content-type'), xml: await res.text() };
}

/** Header values exactly as sent (node:http keeps repeated headers apart in `rawHeaders`). */
function rawHeaderValues(url: string, token: string, name: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' } },
      (res) => {
        res.resume();
        const values: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]?.toLowerCase() === name) values.push(res.rawHeaders[i + 1] as string);
        }
        res.on('end', () => resolve(values));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function certificateOf(xml: string): string {
  const parsed = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(xml);
  const cert = parsed.EntityDescriptor.IDPSSODescriptor.KeyDescriptor.KeyInfo.X509Data
    .X509Certificate as string;
  return cert.replace(/\s+/g, '');
}

/** The shape of a JSON value: key paths and types, for comparing against recorded responses. */
function keysOf(value: JsonObject): string[] {
  return Object.keys(value);
}

describe('X.509 certificates built by hand', () => {
  it('encodes DER integers and OIDs like the standard examples', () => {
    expect(derOid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(derInteger(0x80).toString('hex')).toBe('02020080');
    expect(derInteger(0x0195_91ea_41f4).toString('hex')).toBe('0206019591ea41f4');
  });

  it('parses with node:crypto, verifies with its own key and carries the Okta subject', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const created = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const der = buildCertificate({
      serial: created,
      commonName: 'sandbox',
      notBefore: created - 60_000,
      notAfter: created + 10 * 365.25 * 24 * 3600 * 1000,
      spki: publicKey.export({ type: 'spki', format: 'der' }),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const cert = new X509Certificate(der);
    expect(cert.verify(publicKey)).toBe(true);
    expect(cert.subject.split('\n')).toEqual([
      'C=US',
      'ST=California',
      'L=San Francisco',
      'O=Okta',
      'OU=SSOProvider',
      'CN=sandbox',
      'emailAddress=info@okta.com',
    ]);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.serialNumber).toBe(created.toString(16).toUpperCase().padStart(12, '0'));
    expect(new Date(cert.validFrom).getTime()).toBe(Date.UTC(2026, 0, 2, 3, 3, 5));
    expect(cert.publicKey.export({ format: 'jwk' }).n).toBe(publicKey.export({ format: 'jwk' }).n);
    // The real Okta certificate has the same structure: v3, no extensions, sha256WithRSA.
    const realKey = recorded.listKeysResponse[0] as { x5c: string[] };
    const real = new X509Certificate(Buffer.from(realKey.x5c[0] as string, 'base64'));
    expect(cert.subject.replace('CN=sandbox', '')).toBe(real.subject.replace(/CN=[^\n]+/, ''));
  });
});

describe('Okta sandbox through the real SDK', () => {
  let sb: Sandbox;
  let client: OktaClient;

  beforeAll(async () => {
    sb = await startTestSandbox();
    client = oktaClient(sb);
  });
  afterAll(async () => {
    await sb.stop();
  });

  describe('apps (raw transport)', () => {
    it('creates the amazon_aws app shaped like the real one, keeping settings.app', async () => {
      const app = await post(client, '/api/v1/apps?activate=false', awsApp('Connect prod'));
      expect(app.id).toMatch(/^0oa[a-z0-9]{17}$/);
      expect(app).toMatchObject({
        name: 'amazon_aws',
        label: 'Connect prod',
        status: 'INACTIVE',
        signOnMode: 'SAML_2_0',
        features: [],
        credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' } },
        settings: {
          app: { awsEnvironmentType: 'aws.amazon', identityProviderArn: '', sessionDuration: 3600 },
          signOn: { defaultRelayState: 'https://us-east-1.console.aws.amazon.com/connect/federate/i-1' },
        },
      });
      expect(app.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      const kid = (app.credentials as { signing: { kid: string } }).signing.kid;
      expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const links = app._links as { metadata: { href: string }; appLinks: { name: string; href: string }[] };
      expect(links.metadata.href).toBe(`${sb.url}/api/v1/apps/${app.id}/sso/saml/metadata`);
      expect(links.appLinks[0]).toMatchObject({
        name: 'login',
        href: `${sb.url}/home/amazon_aws/${app.id}/272`,
      });
      // Top-level keys in the order real Okta sends them.
      const realKeys = keysOf(recorded.createSamlAppResponse);
      expect(keysOf(app)).toEqual(realKeys);
      expect(Object.keys(app.settings as JsonObject)).toEqual(
        Object.keys(recorded.createSamlAppResponse.settings as JsonObject),
      );
    });

    it('activates by default; the typed SDK drops settings.app where the raw transport keeps it', async () => {
      const app = await post(client, '/api/v1/apps', awsApp('Connect typed'));
      expect(app.status).toBe('ACTIVE');
      const typed = await client.applicationApi.getApplication({ appId: app.id as string });
      expect(typed.label).toBe('Connect typed');
      expect((typed as unknown as { settings: JsonObject }).settings.app).toBeUndefined();
      const fetched = await get(client, `/api/v1/apps/${app.id}`);
      expect((fetched.settings as JsonObject).app).toMatchObject({ awsEnvironmentType: 'aws.amazon' });
    });

    it('validates as Okta does', async () => {
      const noLabel = { ...awsApp('x'), label: '' };
      await expect(post(client, '/api/v1/apps', noLabel)).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: label',
        errorCauses: [{ errorSummary: 'label: The field cannot be left blank' }],
      });
      await expect(
        post(client, '/api/v1/apps', { ...awsApp('x'), name: 'amazon_awz' }),
      ).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: name',
      });
      await expect(
        post(client, '/api/v1/apps', { ...awsApp('x'), signOnMode: 'OPENID_CONNECT' }),
      ).rejects.toMatchObject({ errorSummary: 'Api validation failed: signOnMode' });
      await expect(
        raw(client, '/api/v1/apps', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"label":',
        }),
      ).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000003',
        errorSummary: 'The request body was not well-formed.',
      });
      await expect(
        raw(client, '/api/v1/apps', {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: '{}',
        }),
      ).rejects.toMatchObject({ status: 400, errorCode: 'E0000019' });
    });

    it('PUT is a full replace that keeps settings.app and drops defaultRelayState when settings.app is absent', async () => {
      const app = await post(client, '/api/v1/apps?activate=false', awsApp('Relay quirk'));
      const arn = 'arn:aws:iam::123456789012:saml-provider/Okta';
      const withBoth = structuredClone(app) as JsonObject & {
        settings: { app: JsonObject; signOn: JsonObject };
      };
      withBoth.settings.app.identityProviderArn = arn;
      withBoth.id = '0oaignored';
      withBoth.status = 'ACTIVE';
      withBoth.name = 'something_else';
      const replaced = await put(client, `/api/v1/apps/${app.id}`, withBoth);
      expect(replaced).toMatchObject({
        id: app.id,
        name: 'amazon_aws',
        status: 'INACTIVE',
        created: app.created,
      });
      expect((replaced.settings as { app: JsonObject }).app.identityProviderArn).toBe(arn);
      expect((replaced.settings as { signOn: JsonObject }).signOn.defaultRelayState).toBe(
        'https://us-east-1.console.aws.amazon.com/connect/federate/i-1',
      );

      // What the typed SDK sends: settings without `app`.
      const withoutApp = structuredClone(replaced) as JsonObject & { settings: JsonObject };
      delete withoutApp.settings.app;
      const dropped = await put(client, `/api/v1/apps/${app.id}`, withoutApp);
      expect((dropped.settings as { app: JsonObject }).app.identityProviderArn).toBe(arn);
      expect((dropped.settings as { signOn: JsonObject }).signOn.defaultRelayState).toBeNull();

      const { label: _label, ...noLabel } = replaced;
      await expect(put(client, `/api/v1/apps/${app.id}`, noLabel)).rejects.toMatchObject({
        errorSummary: 'Api validation failed: label',
      });
    });

    it('deletes only INACTIVE apps', async () => {
      const app = await post(client, '/api/v1/apps', awsApp('Delete me'));
      const url = `${client.baseUrl}/api/v1/apps/${app.id}`;
      await expect(client.http.delete(url)).rejects.toMatchObject({
        status: 403,
        errorCode: 'E0000056',
        errorSummary: 'Delete application forbidden.',
        errorCauses: [{ errorSummary: 'The application must be deactivated before deletion.' }],
      });
      await client.applicationApi.deactivateApplication({ appId: app.id as string });
      expect((await get(client, `/api/v1/apps/${app.id}`)).status).toBe('INACTIVE');
      const res = await client.http.delete(url);
      expect(res.status).toBe(204);
      await expect(get(client, `/api/v1/apps/${app.id}`)).rejects.toMatchObject({
        status: 404,
        errorCode: 'E0000007',
        errorSummary: `Not found: Resource not found: ${app.id} (AppInstance)`,
      });
      await client.applicationApi.activateApplication({
        appId: (await post(client, '/api/v1/apps', awsApp('x'))).id as string,
      });
    });

    it('lists with q, filter and two Link headers whose next URL echoes every parameter but after', async () => {
      for (const label of ['Paging A', 'paging B', 'Paging C'])
        await post(client, '/api/v1/apps?activate=false', awsApp(label));
      let path = '/api/v1/apps?q=paging&limit=2&filter=name%20eq%20%22amazon_aws%22';
      const labels: string[] = [];
      const links: string[][] = [];
      for (let guard = 0; path && guard < 5; guard++) {
        const res = await raw(client, path);
        const page = (await res.json()) as JsonObject[];
        labels.push(...page.map((a) => a.label as string));
        // node-fetch joins repeated headers; the SDK's parse-link-header reads the joined form.
        const linkHeaders = (res.headers.get('link') ?? '').split(/,\s*(?=<)/);
        links.push(linkHeaders);
        const next = linkHeaders.find((l) => l.endsWith('rel="next"'));
        path = next ? (next.match(/^<([^>]+)>/)?.[1] ?? '').replace(sb.url, '') : '';
      }
      expect(labels).toEqual(['Paging A', 'paging B', 'Paging C']);
      expect(links[0]).toHaveLength(2);
      expect(links[0]?.[0]).toBe(
        `<${sb.url}/api/v1/apps?q=paging&limit=2&filter=name%20eq%20%22amazon_aws%22>; rel="self"`,
      );
      expect(links[0]?.[1]).toMatch(
        new RegExp(
          `^<${sb.url}/api/v1/apps\\?after=0oa[a-z0-9]{17}&q=paging&limit=2&filter=name%20eq%20%22amazon_aws%22>; rel="next"$`,
        ),
      );
      expect(links[1]).toHaveLength(1);
      // On the wire they are two separate Link headers, as Okta sends them.
      const rawLinks = await rawHeaderValues(`${sb.url}/api/v1/apps?q=paging&limit=2`, sb.okta.token, 'link');
      expect(rawLinks).toHaveLength(2);

      const inactive = (await get(
        client,
        '/api/v1/apps?filter=status%20eq%20%22INACTIVE%22&limit=200',
      )) as unknown as JsonObject[];
      expect(inactive.length).toBeGreaterThanOrEqual(3);
      expect(inactive.every((a) => a.status === 'INACTIVE')).toBe(true);
      await expect(get(client, '/api/v1/apps?filter=label%20eq%20%22x%22')).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000031',
      });
    });

    it('answers unknown paths, methods and tokens in Okta envelopes with a request id', async () => {
      const res = await raw(client, '/api/v1/apps').catch((e: unknown) => e);
      expect((res as Response).headers.get('x-okta-request-id')).toBeTruthy();
      await expect(get(client, '/api/v1/nothing/here')).rejects.toMatchObject({
        status: 404,
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: /api/v1/nothing/here (GET)',
      });
      await expect(raw(client, '/api/v1/apps', { method: 'PATCH' })).rejects.toMatchObject({
        status: 405,
        errorCode: 'E0000022',
      });
      const bad = oktaClient(sb, { token: 'wrong' });
      await expect(bad.userApi.getUser({ userId: 'nobody@example.com' })).rejects.toMatchObject({
        status: 401,
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
      });
    });
    it('survives malformed paths, bodies and expressions with Okta errors', async () => {
      const cases: [
        string,
        { method?: string; headers?: Record<string, string>; body?: string },
        number,
        string,
      ][] = [
        ['/api/v1/apps/%E0%A4%A', {}, 404, 'E0000007'],
        ['/api/v1/users/%', {}, 404, 'E0000007'],
        [
          '/api/v1/apps',
          { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'null' },
          400,
          'E0000003',
        ],
        [
          '/api/v1/apps',
          { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' },
          400,
          'E0000003',
        ],
        [
          '/api/v1/apps',
          { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"settings":7}' },
          400,
          'E0000001',
        ],
        ['/api/v1/users?search=profile.login%20eq%20%22x', {}, 400, 'E0000031'],
        ['/api/v1/users?filter=(status%20eq%20%22ACTIVE%22', {}, 400, 'E0000031'],
        ['/api/v1/groups?search=profile.name%20zz%20%22x%22', {}, 400, 'E0000031'],
      ];
      for (const [path, init, status, errorCode] of cases) {
        await expect(raw(client, path, init), path).rejects.toMatchObject({ status, errorCode });
      }
      const log = sb.requests().slice(-cases.length);
      expect(log.every((entry) => entry.status < 500)).toBe(true);
    });
  });

  describe('metadata and signing keys', () => {
    let appId: string;
    let kid: string;

    beforeAll(async () => {
      const app = await post(client, '/api/v1/apps?activate=false', awsApp('Metadata'));
      appId = app.id as string;
      kid = (app.credentials as { signing: { kid: string } }).signing.kid;
    });

    it('serves real IdP metadata with the current certificate, as application/xml;charset=ISO-8859-1', async () => {
      const { status, type, xml } = await metadataXml(client, appId, `?kid=${kid}`);
      expect(status).toBe(200);
      expect(type).toBe(recorded.metadataResponse.contentType);
      expect(xml.length).toBeGreaterThan(1000);
      const parsed = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(xml);
      const entity = parsed.EntityDescriptor;
      expect(entity['@_entityID']).toMatch(/^http:\/\/www\.okta\.com\/exk[a-z0-9]{17}$/);
      expect(entity.IDPSSODescriptor['@_WantAuthnRequestsSigned']).toBe('false');
      expect(entity.IDPSSODescriptor.KeyDescriptor['@_use']).toBe('signing');
      const exk = (entity['@_entityID'] as string).split('/').pop();
      expect(entity.IDPSSODescriptor.SingleSignOnService.map((s: JsonObject) => s['@_Location'])).toEqual([
        `${sb.url}/app/amazon_aws/${exk}/sso/saml`,
        `${sb.url}/app/amazon_aws/${exk}/sso/saml`,
      ]);
      // Same element structure as the recorded real metadata, certificate wrapped at 76 characters.
      const shape = (s: string) => s.replace(/>[^<]*</g, '><').replace(/="[^"]*"/g, '=""');
      expect(shape(xml)).toBe(shape(recorded.metadataResponse.body));
      expect(xml).toMatch(/<ds:X509Certificate>([A-Za-z0-9+/=]{76}\n)+[A-Za-z0-9+/=]+<\/ds:X509Certificate>/);

      const keys = (await get(client, `/api/v1/apps/${appId}/credentials/keys`)) as unknown as JsonObject[];
      expect(keys).toHaveLength(1);
      expect(certificateOf(xml)).toBe(((keys[0] as JsonObject).x5c as string[])[0]);
      // The metadata link without kid serves the current key too.
      expect(certificateOf((await metadataXml(client, appId)).xml)).toBe(certificateOf(xml));
    });

    it('lists keys as Okta does (JWK with x5c, x5t#S256, expiry 10 years)', async () => {
      const keys = (await get(client, `/api/v1/apps/${appId}/credentials/keys`)) as unknown as JsonObject[];
      const key = keys[0] as JsonObject;
      expect(Object.keys(key)).toEqual(Object.keys(recorded.listKeysResponse[0] as JsonObject));
      const der = Buffer.from((key.x5c as string[])[0] as string, 'base64');
      expect(key['x5t#S256']).toBe(createHash('sha256').update(der).digest('base64url'));
      const cert = new X509Certificate(der);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(cert.publicKey.export({ format: 'jwk' }).n).toBe(key.n);
      expect(key).toMatchObject({ kid, kty: 'RSA', use: 'sig', e: 'AQAB' });
      const years =
        (Date.parse(key.expiresAt as string) - Date.parse(key.created as string)) / (365.25 * 86400e3);
      expect(Math.round(years)).toBe(10);
    });

    it('rejects what real Okta rejects on the metadata endpoint', async () => {
      await expect(
        raw(client, `/api/v1/apps/${appId}/sso/saml/metadata?kid=${kid}`, {
          headers: { Accept: 'application/json' },
        }),
      ).rejects.toMatchObject({ status: 400, errorCode: 'E0000019' });
      await expect(metadataXml(client, appId, '?kid=nope')).rejects.toMatchObject({
        status: 404,
        errorCode: 'E0000007',
      });
      // The typed SDK method cannot parse Okta's content type (design §5.2).
      await expect(client.applicationApi.previewSAMLmetadataForApplication({ appId, kid })).rejects.toThrow(
        /mediaType application\/xml is not supported/,
      );
    });

    it('generates keys, switches to one by PUT, and rotateSigningKey changes the metadata certificate', async () => {
      const before = certificateOf((await metadataXml(client, appId)).xml);
      await expect(
        post(client, `/api/v1/apps/${appId}/credentials/keys/generate?validityYears=1`, {}),
      ).rejects.toMatchObject({ status: 400, errorCode: 'E0000001' });
      const res = await raw(client, `/api/v1/apps/${appId}/credentials/keys/generate?validityYears=2`, {
        method: 'POST',
        headers: { Accept: 'application/json' },
      });
      expect(res.status).toBe(201);
      const generated = (await res.json()) as JsonObject;
      // A generated key is not current until the app names it.
      expect(certificateOf((await metadataXml(client, appId)).xml)).toBe(before);
      expect(certificateOf((await metadataXml(client, appId, `?kid=${generated.kid}`)).xml)).toBe(
        (generated.x5c as string[])[0],
      );
      const app = await get(client, `/api/v1/apps/${appId}`);
      (app.credentials as { signing: { kid: string } }).signing.kid = generated.kid as string;
      await put(client, `/api/v1/apps/${appId}`, app);
      expect(certificateOf((await metadataXml(client, appId)).xml)).toBe((generated.x5c as string[])[0]);

      const { kid: rotated } = sb.admin.rotateSigningKey(appId);
      const after = await get(client, `/api/v1/apps/${appId}`);
      expect((after.credentials as { signing: { kid: string } }).signing.kid).toBe(rotated);
      const rotatedCert = certificateOf((await metadataXml(client, appId)).xml);
      expect(rotatedCert).not.toBe(before);
      expect(rotatedCert).not.toBe((generated.x5c as string[])[0]);
      const kids = (
        (await get(client, `/api/v1/apps/${appId}/credentials/keys`)) as unknown as JsonObject[]
      ).map((k) => k.kid);
      expect(kids).toEqual([kid, generated.kid, rotated]);
    });

    it('keeps its state plain JSON, private keys redacted in snapshots', () => {
      const snapshot = sb.state();
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
      const keys = Object.values(snapshot.okta.keys).filter((k) => k.appId === appId);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.privateKeyPem === '[redacted]' || k.privateKeyPem === null)).toBe(true);
    });
  });

  describe('users (typed API)', () => {
    it('finds users by id or URL-encoded login, case-insensitively, and lists with filter/search/paging', async () => {
      const created = sb.admin.createOktaUser({
        login: 'Jane.Doe+connect@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
      });
      expect(created.id).toMatch(/^00u[a-z0-9]{17}$/);
      const byLogin = await client.userApi.getUser({ userId: 'jane.doe+connect@EXAMPLE.com' });
      expect(byLogin.id).toBe(created.id);
      expect(byLogin.profile?.login).toBe('Jane.Doe+connect@example.com');
      expect((await client.userApi.getUser({ userId: created.id })).status).toBe('ACTIVE');
      await expect(client.userApi.getUser({ userId: 'nobody@example.com' })).rejects.toMatchObject({
        status: 404,
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: nobody@example.com (User)',
      });

      const search = await client.userApi.listUsers({
        search: 'profile.login eq "jane.doe+connect@example.com"',
      });
      const found: string[] = [];
      for await (const u of search) if (u) found.push(u.id as string);
      expect(found).toEqual([created.id]);

      for (const n of [1, 2, 3, 4])
        sb.admin.createOktaUser({ login: `pager${n}@example.com`, status: n === 4 ? 'STAGED' : 'ACTIVE' });
      sb.resetRequests();
      const active: string[] = [];
      for await (const u of await client.userApi.listUsers({ filter: 'status eq "ACTIVE"', limit: 2 })) {
        if (u) active.push(u.profile?.login as string);
      }
      expect(active).toEqual(
        expect.arrayContaining(['pager1@example.com', 'pager2@example.com', 'pager3@example.com']),
      );
      expect(active).not.toContain('pager4@example.com');
      expect(sb.requests().filter((r) => r.operation === 'ListUsers').length).toBe(
        Math.ceil(active.length / 2),
      );

      await expect(
        client.userApi.listUsers({ filter: 'profile.login eq' }).then((c) => c.next()),
      ).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000031',
      });
      expect(() => sb.admin.createOktaUser({ login: 'JANE.DOE+connect@example.com' })).toThrow(
        /already exists/,
      );
    });

    it('creates users through POST /api/v1/users with the default profile schema rules', async () => {
      await expect(
        client.userApi.createUser({
          body: { profile: { login: 'not-an-email', firstName: 'A', lastName: 'B' } },
        }),
      ).rejects.toMatchObject({
        status: 400,
        errorSummary: 'Api validation failed: login',
        errorCauses: [
          { errorSummary: 'login: Username must be in the form of an email address' },
          { errorSummary: 'email: The field cannot be left blank' },
        ],
      });
      const staged = await client.userApi.createUser({
        body: {
          profile: {
            login: 'new.hire@example.com',
            email: 'new.hire@example.com',
            firstName: 'New',
            lastName: 'Hire',
          },
        },
        activate: false,
      });
      expect(staged).toMatchObject({ status: 'STAGED', profile: { login: 'new.hire@example.com' } });
      expect(sb.requests().at(-1)).toMatchObject({ operation: 'CreateUser', write: true, status: 200 });
    });
  });

  describe('app users and groups', () => {
    let appId: string;

    beforeAll(async () => {
      appId = (await post(client, '/api/v1/apps', awsApp('Assignments'))).id as string;
    });

    it('assigns, reads, updates and unassigns users; samlRoles must be imported roles', async () => {
      const user = sb.admin.createOktaUser({ login: 'agent1@example.com' });
      await expect(
        client.applicationApi.assignUserToApplication({
          appId,
          appUser: { id: user.id, scope: 'USER', profile: { samlRoles: ['OktaConnectRole'] } },
        }),
      ).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: samlRoles',
        errorCauses: [{ errorSummary: 'samlRoles: Not one of the allowed values: "OktaConnectRole".' }],
      });
      const assigned = await client.applicationApi.assignUserToApplication({
        appId,
        appUser: { id: user.id, scope: 'USER' },
      });
      expect(assigned).toMatchObject({
        id: user.id,
        scope: 'USER',
        status: 'ACTIVE',
        syncState: 'DISABLED',
        credentials: { userName: 'agent1@example.com' },
      });
      const fetched = await client.applicationApi.getApplicationUser({ appId, userId: user.id });
      expect(fetched.credentials?.userName).toBe('agent1@example.com');
      const updated = await client.applicationApi.updateApplicationUser({
        appId,
        userId: user.id,
        appUser: { credentials: { userName: 'Agent1' } },
      });
      expect(updated.credentials?.userName).toBe('Agent1');
      await client.applicationApi.unassignUserFromApplication({ appId, userId: user.id });
      await expect(
        client.applicationApi.getApplicationUser({ appId, userId: user.id }),
      ).rejects.toMatchObject({
        status: 404,
        errorCode: 'E0000007',
      });
    });

    it('pages app users across pages with the SDK Collection', async () => {
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) {
        const user = sb.admin.createOktaUser({ login: `paged${n}@example.com` });
        await client.applicationApi.assignUserToApplication({
          appId,
          appUser: { id: user.id, scope: 'USER' },
        });
        ids.push(user.id);
      }
      sb.resetRequests();
      const seen: string[] = [];
      for await (const appUser of await client.applicationApi.listApplicationUsers({ appId, limit: 2 })) {
        if (appUser) seen.push(appUser.id as string);
      }
      expect(seen).toEqual(ids);
      expect(sb.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
        'ListApplicationUsers 200',
        'ListApplicationUsers 200',
        'ListApplicationUsers 200',
      ]);
    });

    it('creates groups, manages members, and group assignments make scope GROUP app users', async () => {
      const group = await client.groupApi.createGroup({ group: { profile: { name: 'Connect agents' } } });
      expect(group.id).toMatch(/^00g[a-z0-9]{17}$/);
      await expect(
        client.groupApi.createGroup({ group: { profile: { name: 'connect AGENTS' } } }),
      ).rejects.toMatchObject({
        errorSummary: 'Api validation failed: name',
      });
      const member = sb.admin.createOktaUser({ login: 'member@example.com' });
      await client.groupApi.assignUserToGroup({ groupId: group.id as string, userId: member.id });
      const members: string[] = [];
      for await (const u of await client.groupApi.listGroupUsers({ groupId: group.id as string }))
        if (u) members.push(u.id as string);
      expect(members).toEqual([member.id]);
      const listed: string[] = [];
      for await (const g of await client.groupApi.listGroups({ q: 'connect' }))
        if (g) listed.push(g.id as string);
      expect(listed).toEqual([group.id]);

      const assignment = await client.applicationApi.assignGroupToApplication({
        appId,
        groupId: group.id as string,
        applicationGroupAssignment: { priority: 0 },
      });
      expect(assignment).toMatchObject({ id: group.id, priority: 0 });
      const viaGroup = await client.applicationApi.getApplicationUser({ appId, userId: member.id });
      expect(viaGroup.scope).toBe('GROUP');
      await expect(
        client.applicationApi.unassignUserFromApplication({ appId, userId: member.id }),
      ).rejects.toMatchObject({
        status: 403,
      });
      await client.applicationApi.unassignApplicationFromGroup({ appId, groupId: group.id as string });
      await expect(
        client.applicationApi.getApplicationUser({ appId, userId: member.id }),
      ).rejects.toMatchObject({
        status: 404,
      });
      await client.groupApi.unassignUserFromGroup({ groupId: group.id as string, userId: member.id });
      await client.groupApi.deleteGroup({ groupId: group.id as string });
      await expect(client.groupApi.getGroup({ groupId: group.id as string })).rejects.toMatchObject({
        status: 404,
        errorSummary: `Not found: Resource not found: ${group.id} (UserGroup)`,
      });
    });
  });

  describe('provisioning: API integration back door against the sandbox IAM', () => {
    it('imports the roles that trust the app IdP with a key allowed iam:ListRoles, then samlRoles validate', async () => {
      const app = await post(client, '/api/v1/apps?activate=false', awsApp('Federation'));
      const appId = app.id as string;

      // The connections and features APIs answer as for an app that does not support them.
      const connection = await get(client, `/api/v1/apps/${appId}/connections/default`);
      expect(connection).toMatchObject({
        authScheme: 'UNKNOWN',
        status: 'UNKNOWN',
        profile: { authScheme: 'UNKNOWN' },
      });
      await expect(get(client, `/api/v1/apps/${appId}/features`)).rejects.toMatchObject({
        status: 400,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: feature',
        errorCauses: [{ errorSummary: 'Provisioning is not enabled for the app instance.' }],
      });

      // AWS side, as the guide does it: IdP from the app's metadata, a role trusting it, an API user.
      const iam = iamClient(sb);
      const { xml } = await metadataXml(client, appId);
      const provider = await iam.send(
        new CreateSAMLProviderCommand({ Name: 'OktaFederation', SAMLMetadataDocument: xml }),
      );
      const providerArn = provider.SAMLProviderArn as string;
      const trust = (principal: JsonObject, action: string) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: principal, Action: action }],
        });
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'OktaConnectRole',
          AssumeRolePolicyDocument: trust({ Federated: providerArn }, 'sts:AssumeRoleWithSAML'),
        }),
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'Ec2Role',
          AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }, 'sts:AssumeRole'),
        }),
      );
      const settings = app.settings as { app: JsonObject };
      settings.app.identityProviderArn = providerArn;
      await put(client, `/api/v1/apps/${appId}`, app);
      await iam.send(new CreateUserCommand({ UserName: 'okta_cli_user' }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'okta_cli_user' }))).AccessKey;
      const credentials = {
        accessKeyId: key?.AccessKeyId as string,
        secretAccessKey: key?.SecretAccessKey as string,
      };

      await expect(sb.admin.enableApiIntegration(appId, credentials)).rejects.toThrow(
        /AccessDenied.*iam:ListRoles/,
      );
      expect((await get(client, `/api/v1/apps/${appId}`)).features).toEqual([]);

      const policy = await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'OktaListRoles',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' },
            ],
          }),
        }),
      );
      await iam.send(
        new AttachUserPolicyCommand({ UserName: 'okta_cli_user', PolicyArn: policy.Policy?.Arn }),
      );
      sb.resetRequests();
      const { importedRoles } = await sb.admin.enableApiIntegration(appId, credentials);
      expect(importedRoles).toEqual(['OktaConnectRole']);
      expect(sb.requests().map((r) => `${r.service} ${r.operation} ${r.status}`)).toEqual([
        'iam ListRoles 200',
        'iam ListAccountAliases 200',
      ]);
      const enabled = await get(client, `/api/v1/apps/${appId}`);
      expect(enabled.features).toContain('PUSH_NEW_USERS');
      const features = (await get(client, `/api/v1/apps/${appId}/features`)) as unknown as JsonObject[];
      expect(features[0]).toMatchObject({
        name: 'USER_PROVISIONING',
        status: 'ENABLED',
        capabilities: { create: { lifecycleCreate: { status: 'ENABLED' } } },
      });
      const schema = await get(client, `/api/v1/meta/schemas/apps/${appId}/default`);
      expect(schema).toMatchObject({
        definitions: { base: { properties: { samlRoles: { items: { enum: ['OktaConnectRole'] } } } } },
      });

      const agent = sb.admin.createOktaUser({ login: 'federated@example.com' });
      const assigned = await client.applicationApi.assignUserToApplication({
        appId,
        appUser: {
          id: agent.id,
          scope: 'USER',
          profile: { role: 'OktaConnectRole', samlRoles: ['OktaConnectRole'] },
        },
      });
      expect(assigned.profile).toMatchObject({ samlRoles: ['OktaConnectRole'] });
      expect(assigned.status).toBe('PROVISIONED');
      await expect(
        client.applicationApi.updateApplicationUser({
          appId,
          userId: agent.id,
          appUser: { profile: { samlRoles: ['Ec2Role'] } },
        }),
      ).rejects.toMatchObject({ errorSummary: 'Api validation failed: samlRoles' });

      // "Refresh Application Data" after a new role trusts the IdP.
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'OktaCcpRole',
          AssumeRolePolicyDocument: trust({ Federated: [providerArn] }, 'sts:AssumeRoleWithSAML'),
        }),
      );
      const refreshed = await sb.admin.importRoles(appId);
      expect(refreshed.importedRoles.sort()).toEqual(['OktaCcpRole', 'OktaConnectRole']);
      expect(sb.state().okta.apps[appId]?.importedRoles.sort()).toEqual(['OktaCcpRole', 'OktaConnectRole']);
      await expect(sb.admin.enableApiIntegration('missing', credentials)).rejects.toThrow(/no Okta app/);
    });
  });
});

describe('state file', () => {
  it('keeps apps, keys and users across a restart: the metadata certificate does not change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestSandbox({ stateFile });
      const client = oktaClient(first);
      const app = await post(client, '/api/v1/apps', awsApp('Persisted'));
      const before = certificateOf((await metadataXml(client, app.id as string)).xml);
      first.admin.createOktaUser({ login: 'kept@example.com' });
      await first.stop();

      const second = await startTestSandbox({ stateFile });
      try {
        const again = oktaClient(second);
        expect(certificateOf((await metadataXml(again, app.id as string)).xml)).toBe(before);
        expect((await again.userApi.getUser({ userId: 'kept@example.com' })).status).toBe('ACTIVE');
        const next = await post(again, '/api/v1/apps', awsApp('After restart'));
        expect(next.id).not.toBe(app.id);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limiting', () => {
  it('the SDK retries a 429 with X-Rate-Limit-Reset and succeeds', async () => {
    const sb = await startTestSandbox({
      faults: [{ service: 'okta', operation: 'GetUser', kind: 'throttle', times: 1 }],
    });
    try {
      const user = sb.admin.createOktaUser({ login: 'throttled@example.com' });
      const client = oktaClient(sb);
      const fetched = await client.userApi.getUser({ userId: user.id });
      expect(fetched.id).toBe(user.id);
      expect(
        sb.requests().map((r) => `${r.operation} ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}`),
      ).toEqual(['GetUser 429 E0000047', 'GetUser 200']);
    } finally {
      await sb.stop();
    }
  });
});
