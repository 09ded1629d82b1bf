/**
 * OAuth for Okta against the sandbox's org authorization server: a service app with a public key, the
 * real Okta SDK's private-key JWT client credentials (through the library's `createContext` and the
 * CLI's OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE), the scopes each call needs, and every way a client
 * assertion is refused — with the key never in an error or an output.
 */
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { planCommand } from '../../src/cli/commands/plan.js';
import { createContext } from '../../src/core/context.js';
import { oktaRequest } from '../../src/providers/okta/transport.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { configYaml, fakeIo, sandboxEnv } from '../cli/fake-io.js';
import { startTestSandbox } from '../helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
/** A line of the private key's base64: what must never appear anywhere. */
const keyLine = (key: KeyObject) => pem(key).split('\n')[2] ?? '';

let clock = Date.now();
let sb: Sandbox;

beforeAll(async () => {
  sb = await startTestSandbox({ now: () => clock });
});
afterAll(async () => {
  await sb.stop();
});

function oauthContext(clientId: string, privateKey: string, scopes: string[], keyId?: string) {
  return createContext({
    region: sb.aws.region,
    okta: { orgUrl: sb.okta.orgUrl, clientId, privateKey, scopes, ...(keyId ? { keyId } : {}) },
    maxAttempts: 1,
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A client assertion signed by hand, for the cases the SDK never produces. */
function assertion(
  key: KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256' },
): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const alg = String(header.alg);
  const hash = `sha${alg.slice(2)}`;
  const signature = alg.startsWith('ES')
    ? sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    : alg.startsWith('HS')
      ? Buffer.from('not-a-signature')
      : sign(hash, Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

function claimsFor(clientId: string, extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: clientId,
    sub: clientId,
    aud: `${sb.okta.orgUrl}/oauth2/v1/token`,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...extra,
  };
}

async function tokenRequest(form: Record<string, string>) {
  const res = await fetch(`${sb.okta.orgUrl}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const grant = (clientAssertion: string, scope = 'okta.apps.read') => ({
  grant_type: 'client_credentials',
  scope,
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: clientAssertion,
});

describe('the real Okta SDK with a private key (createContext)', () => {
  it('gets a token once, calls with it, and needs the scope the spec names for each operation', async () => {
    const app = sb.admin.createOktaServiceApp({
      name: 'connect-okta-sso',
      publicKey: publicPem(rsa.publicKey),
      scopes: ['okta.apps.manage', 'okta.users.read'],
    });
    expect(app.clientId).toMatch(/^0oa/);
    sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
    const ctx = oauthContext(app.clientId, pem(rsa.privateKey), ['okta.apps.manage', 'okta.users.read']);
    sb.resetRequests();
    const apps = await oktaRequest<unknown[]>(ctx, 'ListApplications', {
      method: 'GET',
      path: '/api/v1/apps',
    });
    expect(apps.data).toEqual([]);
    // The typed API goes through the same authenticated transport; okta.users.read covers GetUser.
    const client = await ctx.okta();
    const user = await client.userApi.getUser({ userId: 'jane.doe@acme.com' });
    expect(user.profile?.login).toBe('jane.doe@acme.com');
    expect(sb.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      'Token 200',
      'ListApplications 200',
      'GetUser 200',
    ]);

    // okta.users.read does not allow creating a user: 403 E0000006, the missing scope named.
    const denied = await oktaRequest(ctx, 'CreateUser', {
      method: 'POST',
      path: '/api/v1/users',
      body: { profile: { login: 'x@acme.com', email: 'x@acme.com', firstName: 'X', lastName: 'Y' } },
    }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ providerCode: 'E0000006', httpStatus: 403 });
    expect((denied as Error).message).toContain('okta.users.manage');
    expect(Object.values(sb.state().okta.users).map((u) => u.profile.login)).toEqual(['jane.doe@acme.com']);
  });

  it('a wrong key is a clear error naming the token endpoint, with no key in it', async () => {
    const app = sb.admin.createOktaServiceApp({
      publicKey: publicPem(rsa.publicKey),
      scopes: ['okta.apps.read'],
    });
    const ctx = oauthContext(app.clientId, pem(otherRsa.privateKey), ['okta.apps.read']);
    const error = await oktaRequest(ctx, 'ListApplications', { method: 'GET', path: '/api/v1/apps' }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('/oauth2/v1/token failed: invalid_client');
    expect((error as Error).message).toContain('The client_assertion signature is invalid.');
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(keyLine(otherRsa.privateKey));
      expect(text).not.toContain(keyLine(rsa.privateKey));
    }
  });

  it('asking only for scopes the app was not granted is refused at the token endpoint', async () => {
    const app = sb.admin.createOktaServiceApp({
      publicKey: publicPem(rsa.publicKey),
      scopes: ['okta.apps.read'],
    });
    const ctx = oauthContext(app.clientId, pem(rsa.privateKey), ['okta.groups.manage']);
    const error = await oktaRequest(ctx, 'ListGroups', { method: 'GET', path: '/api/v1/groups' }).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toContain(
      'consent_required: You are not allowed any of the requested scopes.',
    );
  });

  it('an expired token is refused with invalid_token; the SDK fetches a new one by itself', async () => {
    const app = sb.admin.createOktaServiceApp({
      publicKey: publicPem(rsa.publicKey),
      scopes: ['okta.apps.read'],
    });
    const ctx = oauthContext(app.clientId, pem(rsa.privateKey), ['okta.apps.read']);
    await oktaRequest(ctx, 'ListApplications', { method: 'GET', path: '/api/v1/apps' });
    sb.resetRequests();
    clock += 3601_000;
    await oktaRequest(ctx, 'ListApplications', { method: 'GET', path: '/api/v1/apps' });
    expect(sb.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      'Unknown 401',
      'Token 200',
      'ListApplications 200',
    ]);
  });

  it('with two registered keys the assertion must name its kid (OKTA_KEY_ID / keyId)', async () => {
    const app = sb.admin.createOktaServiceApp({
      jwks: {
        keys: [
          { ...otherRsa.publicKey.export({ format: 'jwk' }), kid: 'old' },
          { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'current' },
        ],
      },
      scopes: ['okta.apps.read'],
    });
    expect(app.kids).toEqual(['old', 'current']);
    const unnamed = await oktaRequest(
      oauthContext(app.clientId, pem(rsa.privateKey), ['okta.apps.read']),
      'ListApplications',
      {
        method: 'GET',
        path: '/api/v1/apps',
      },
    ).catch((e: unknown) => e as Error);
    expect((unnamed as Error).message).toContain('The client_assertion JWT kid is invalid.');
    const named = await oktaRequest(
      oauthContext(app.clientId, pem(rsa.privateKey), ['okta.apps.read'], 'current'),
      'ListApplications',
      { method: 'GET', path: '/api/v1/apps' },
    );
    expect(named.data).toEqual([]);
  });

  it("an EC key fails before any request (the SDK's DPoP proof is RS256 only), with a hint", async () => {
    const app = sb.admin.createOktaServiceApp({
      publicKey: ec.publicKey.export({ format: 'jwk' }),
      scopes: ['okta.apps.read'],
    });
    sb.resetRequests();
    const error = await oktaRequest(
      oauthContext(app.clientId, pem(ec.privateKey), ['okta.apps.read']),
      'ListApplications',
      {
        method: 'GET',
        path: '/api/v1/apps',
      },
    ).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain('register an RSA key');
    expect(sb.requests()).toEqual([]);
  });
});

describe('the token endpoint, request by request', () => {
  let clientId: string;
  let ecClientId: string;
  beforeAll(() => {
    clientId = sb.admin.createOktaServiceApp({
      publicKey: publicPem(rsa.publicKey),
      kid: 'k1',
      scopes: ['okta.apps.read', 'okta.users.manage'],
    }).clientId;
    ecClientId = sb.admin.createOktaServiceApp({
      publicKey: ec.publicKey.export({ format: 'jwk' }),
      scopes: ['okta.apps.read'],
    }).clientId;
  });

  it('issues a Bearer token with the granted part of the scopes asked for; ES256 works too', async () => {
    const ok = await tokenRequest(
      grant(
        assertion(rsa.privateKey, claimsFor(clientId), { alg: 'RS256', kid: 'k1' }),
        'okta.apps.read okta.groups.read',
      ),
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'okta.apps.read' });
    const claims = JSON.parse(Buffer.from(ok.body.access_token?.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ cid: clientId, scp: ['okta.apps.read'] });
    const es = await tokenRequest(grant(assertion(ec.privateKey, claimsFor(ecClientId), { alg: 'ES256' })));
    expect(es).toMatchObject({ status: 200, body: { scope: 'okta.apps.read' } });

    // The token carries okta.apps.read only: a group read is 403 with Okta's insufficient_scope challenge.
    const res = await fetch(`${sb.okta.orgUrl}/api/v1/groups`, {
      headers: { Authorization: `Bearer ${ok.body.access_token}`, Accept: 'application/json' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri="${sb.okta.orgUrl}/oauth2/v1/authorize", realm="${sb.okta.orgUrl}", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups"`,
    );
    expect(await res.json()).toMatchObject({ errorCode: 'E0000006' });
    // A .manage scope covers its .read: okta.users.manage lists users.
    const both = await tokenRequest(
      grant(assertion(rsa.privateKey, claimsFor(clientId), { alg: 'RS256', kid: 'k1' }), 'okta.users.manage'),
    );
    const users = await fetch(`${sb.okta.orgUrl}/api/v1/users`, {
      headers: { Authorization: `Bearer ${both.body.access_token}`, Accept: 'application/json' },
    });
    expect(users.status).toBe(200);
    // No token is kept in the state: only hashes.
    expect(JSON.stringify(sb.state())).not.toContain(ok.body.access_token ?? 'x');
  });

  it('refuses each broken assertion as Okta words it', async () => {
    const signed = (
      claims: Record<string, unknown>,
      header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' },
      key = rsa.privateKey,
    ) => tokenRequest(grant(assertion(key, claims, header)));
    const cases: [Promise<{ status: number; body: Record<string, string> }>, number, string, string][] = [
      [
        signed(claimsFor(clientId, { aud: 'https://acme.okta.com/oauth2/v1/token' })),
        401,
        'invalid_client',
        'The audience claim for client_assertion must be the endpoint invoked for the request.',
      ],
      [
        signed(claimsFor(clientId, { exp: Math.floor(Date.now() / 1000) - 10 })),
        401,
        'invalid_client',
        'The client_assertion token is expired.',
      ],
      [
        signed(claimsFor(clientId, { exp: Math.floor(Date.now() / 1000) + 7200 })),
        401,
        'invalid_client',
        'The client_assertion token has an expiration too far in the future.',
      ],
      [
        signed(claimsFor(clientId), { alg: 'RS256', kid: 'nope' }),
        401,
        'invalid_client',
        'The client_assertion JWT kid is invalid.',
      ],
      [
        signed(claimsFor(clientId), { alg: 'RS256', kid: 'k1' }, otherRsa.privateKey),
        401,
        'invalid_client',
        'The client_assertion signature is invalid.',
      ],
      [
        signed(claimsFor(clientId), { alg: 'HS256', kid: 'k1' }),
        401,
        'invalid_client',
        "The client_assertion signature algorithm 'HS256' is not supported.",
      ],
      [
        signed(claimsFor(clientId, { sub: 'someone-else' })),
        401,
        'invalid_client',
        "The client_assertion token's 'iss' and 'sub' claims must be the client_id.",
      ],
      [signed(claimsFor('0oaunknown')), 401, 'invalid_client', "Invalid value for 'client_id' parameter."],
      [
        signed(claimsFor(clientId, { jti: undefined })),
        401,
        'invalid_client',
        "The client_assertion token must have a 'jti' claim.",
      ],
    ];
    for (const [response, status, error, description] of cases) {
      expect(await response).toEqual({ status, body: { error, error_description: description } });
    }
    const once = assertion(rsa.privateKey, claimsFor(clientId), { alg: 'RS256', kid: 'k1' });
    expect((await tokenRequest(grant(once))).status).toBe(200);
    expect(await tokenRequest(grant(once))).toEqual({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'The client_assertion token has already been used.',
      },
    });
    const fresh = () => assertion(rsa.privateKey, claimsFor(clientId), { alg: 'RS256', kid: 'k1' });
    expect(await tokenRequest({ ...grant(fresh()), scope: '' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await tokenRequest({ ...grant(fresh()), grant_type: 'password' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await tokenRequest({ ...grant(fresh()), client_assertion_type: 'x' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await tokenRequest(grant(fresh(), 'okta.groups.manage'))).toEqual({
      status: 400,
      body: {
        error: 'consent_required',
        error_description: 'You are not allowed any of the requested scopes.',
      },
    });
  });

  it('registration names the field at fault', () => {
    expect(() =>
      sb.admin.createOktaServiceApp({ publicKey: publicPem(rsa.publicKey), scopes: ['okta.everything'] }),
    ).toThrow(/scopes: unknown Okta API scope\(s\) okta\.everything/);
    expect(() => sb.admin.createOktaServiceApp({ scopes: ['okta.apps.read'] })).toThrow(
      /publicKey: a public key/,
    );
    expect(() =>
      sb.admin.createOktaServiceApp({ publicKey: 'not a key', scopes: ['okta.apps.read'] }),
    ).toThrow(/publicKey: not a usable public key/);
  });
});

describe('the CLI with OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE', () => {
  it('applies with the service app (to the manual step), and a wrong key is a clear error that never prints the key', async () => {
    const app = sb.admin.createOktaServiceApp({
      publicKey: publicPem(rsa.publicKey),
      scopes: ['okta.apps.manage', 'okta.users.read'],
    });
    const io = fakeIo();
    writeFileSync(join(io.cwd, 'sso.yaml'), configYaml(sb));
    writeFileSync(join(io.cwd, 'okta.pem'), pem(rsa.privateKey), { mode: 0o600 });
    writeFileSync(join(io.cwd, 'wrong.pem'), pem(otherRsa.privateKey), { mode: 0o600 });
    const { OKTA_API_TOKEN: _token, ...withoutToken } = sandboxEnv(sb);
    const env = { ...withoutToken, OKTA_CLIENT_ID: app.clientId, OKTA_PRIVATE_KEY_FILE: 'okta.pem' };
    sb.resetRequests();
    const good = fakeIo({ env, cwd: io.cwd });
    // The default scopes (okta.apps.manage, okta.users.read) create both Okta apps; then the manual step.
    expect(await applyCommand.run(['--yes', '--json'], good)).toBe(3);
    expect(JSON.parse(good.out())).toMatchObject({
      command: 'apply',
      result: { status: 'manual-action-required' },
    });
    const okta = sb.requests().filter((r) => r.service === 'okta');
    expect(okta[0]).toMatchObject({ operation: 'Token', status: 200 });
    expect(okta.filter((r) => r.operation === 'CreateApplication' && r.status === 200)).toHaveLength(2);
    expect(okta.filter((r) => r.status === 401 || r.status === 403)).toEqual([]);

    for (const argv of [[], ['--debug'], ['--json', '--debug']]) {
      const bad = fakeIo({ env: { ...env, OKTA_PRIVATE_KEY_FILE: 'wrong.pem' }, cwd: io.cwd });
      // A refused OAuth sign-in is refused credentials: exit 2, as missing ones (the CLI's help).
      expect(await planCommand.run(argv, bad)).toBe(2);
      expect(bad.all()).toContain('The client_assertion signature is invalid.');
      expect(bad.all()).toContain('The OAuth sign-in to Okta failed: check OKTA_CLIENT_ID');
      for (const key of [rsa.privateKey, otherRsa.privateKey]) expect(bad.all()).not.toContain(keyLine(key));
    }
    for (const key of [rsa.privateKey, otherRsa.privateKey]) expect(good.all()).not.toContain(keyLine(key));
  });
});
