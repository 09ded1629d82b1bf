/**
 * What the sandbox server itself does, whatever the service: authentication, faults, rate limits,
 * robustness against malformed requests, the request log, state snapshots and the state file.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateInstanceCommand,
  CreateUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import {
  CreateAccessKeyCommand,
  CreateUserCommand as CreateIamUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { connectClient, iamClient, oktaClient, startTestSandbox } from '../helpers.js';

/** A raw HTTP call, for requests no SDK would send. */
function raw(
  sb: Sandbox,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(sb.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('authentication', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.stop());

  it('rejects a wrong secret with the services’ signature errors', async () => {
    const credentials = { accessKeyId: sb.aws.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    await expect(iamClient(sb, { credentials }).send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining('signature we calculated does not match'),
    });
    await expect(
      connectClient(sb, { credentials }).send(new ListSecurityProfilesCommand({ InstanceId: 'x' })),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    expect(sb.requests().slice(-2)).toEqual([
      expect.objectContaining({ service: 'iam', status: 403, errorCode: 'SignatureDoesNotMatch' }),
      expect.objectContaining({ service: 'connect', status: 403, errorCode: 'InvalidSignatureException' }),
    ]);
  });

  it('rejects an access key nobody issued', async () => {
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
    await expect(iamClient(sb, { credentials }).send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
    await expect(
      connectClient(sb, { credentials }).send(new ListSecurityProfilesCommand({ InstanceId: 'x' })),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('accepts a key that CreateAccessKey issued, within the user’s permissions', async () => {
    const iam = iamClient(sb);
    await iam.send(new CreateIamUserCommand({ UserName: 'no-permissions' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'no-permissions' }));
    const userIam = iamClient(sb, {
      credentials: {
        accessKeyId: AccessKey?.AccessKeyId ?? '',
        secretAccessKey: AccessKey?.SecretAccessKey ?? '',
      },
    });
    await expect(userIam.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringMatching(
        /^User: arn:aws:iam::123456789012:user\/no-permissions is not authorized to perform: iam:ListUsers/,
      ),
    });
  });

  it('refuses an unsigned AWS request and an Okta call without the token', async () => {
    const res = await raw(sb, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListUsers&Version=2010-05-08',
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>MissingAuthenticationToken</Code>');
    await expect(
      oktaClient(sb, { token: 'wrong' }).userApi.getUser({ userId: 'anyone' }),
    ).rejects.toMatchObject({
      status: 401,
      errorCode: 'E0000011',
    });
  });

  it('rejects a request signed long ago', async () => {
    const iam = new IAMClient({
      endpoint: sb.aws.endpoint,
      region: sb.aws.region,
      credentials: sb.aws.credentials,
      maxAttempts: 1,
      systemClockOffset: -60 * 60 * 1000,
    });
    await expect(iam.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      message: expect.stringContaining('Signature expired'),
    });
  });
});

describe('faults', () => {
  it('throttles as each service does, and the SDKs retry', async () => {
    const sb = await startTestSandbox({
      faults: [
        { service: 'iam', operation: 'GetUser', kind: 'throttle', times: 1 },
        { service: 'connect', operation: 'CreateInstance', kind: 'throttle', times: 1 },
      ],
    });
    try {
      const user = await iamClient(sb, { maxAttempts: 3 }).send(new GetUserCommand({}));
      expect(user.User?.Arn).toBe('arn:aws:iam::123456789012:root');
      const created = await connectClient(sb, { maxAttempts: 3 }).send(
        new CreateInstanceCommand({
          IdentityManagementType: 'SAML',
          InstanceAlias: 'throttled-once',
          InboundCallsEnabled: true,
          OutboundCallsEnabled: true,
        }),
      );
      expect(created.Id).toBeTruthy();
      expect(sb.requests().map((r) => `${r.operation} ${r.status} ${r.errorCode ?? ''}`.trim())).toEqual([
        'GetUser 400 Throttling',
        'GetUser 200',
        'CreateInstance 429 ThrottlingException',
        'CreateInstance 200',
      ]);
    } finally {
      await sb.stop();
    }
  });

  it('injects server errors and connection resets, after N requests and a limited number of times', async () => {
    const sb = await startTestSandbox({
      faults: [
        { service: 'iam', operation: 'ListUsers', kind: 'server-error', after: 1, times: 1 },
        { service: 'iam', operation: 'GetUser', kind: 'reset', times: 1 },
      ],
    });
    try {
      const iam = iamClient(sb);
      await iam.send(new ListUsersCommand({}));
      await expect(iam.send(new ListUsersCommand({}))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
      await iam.send(new ListUsersCommand({}));
      await expect(iam.send(new GetUserCommand({}))).rejects.toThrow();
      await iam.send(new GetUserCommand({}));
      expect(sb.requests().map((r) => r.status)).toEqual([200, 500, 200, 0, 200]);
    } finally {
      await sb.stop();
    }
  });

  it('draws probabilistic faults from the seed: same seed, same pattern', async () => {
    const pattern = async (seed: number) => {
      const sb = await startTestSandbox({
        seed,
        faults: [{ service: 'iam', operation: 'GetUser', kind: 'server-error', probability: 0.5 }],
      });
      try {
        const iam = iamClient(sb);
        for (let i = 0; i < 24; i++) await iam.send(new GetUserCommand({})).catch(() => undefined);
        return sb
          .requests()
          .map((r) => (r.status === 200 ? '.' : 'x'))
          .join('');
      } finally {
        await sb.stop();
      }
    };
    const first = await pattern(7);
    expect(await pattern(7)).toBe(first);
    expect(first).toContain('x');
    expect(first).toContain('.');
    expect(await pattern(8)).not.toBe(first);
  });
});

describe('realistic rate limits', () => {
  it('limits Connect CreateUser to 2/s with a burst of 5', async () => {
    let now = Date.UTC(2026, 10, 27, 12);
    const sb = await startTestSandbox({ rateLimits: 'realistic', now: () => now });
    try {
      const connect = connectClient(sb);
      const { Id: InstanceId } = await connect.send(
        new CreateInstanceCommand({
          IdentityManagementType: 'SAML',
          InstanceAlias: 'rate-limited',
          InboundCallsEnabled: true,
          OutboundCallsEnabled: true,
        }),
      );
      const sp = await connect.send(new ListSecurityProfilesCommand({ InstanceId }));
      const rp = await connect.send(new ListRoutingProfilesCommand({ InstanceId }));
      const create = (i: number) =>
        connect.send(
          new CreateUserCommand({
            InstanceId,
            Username: `agent${i}`,
            IdentityInfo: { FirstName: 'A', LastName: 'B' },
            PhoneConfig: { PhoneType: 'SOFT_PHONE' },
            SecurityProfileIds: [sp.SecurityProfileSummaryList?.[0]?.Id ?? ''],
            RoutingProfileId: rp.RoutingProfileSummaryList?.[0]?.Id ?? '',
          }),
        );
      for (let i = 0; i < 5; i++) await create(i);
      await expect(create(5)).rejects.toMatchObject({
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 429 },
      });
      now += 1000; // two tokens back
      await create(5);
      await create(6);
      await expect(create(7)).rejects.toMatchObject({ name: 'ThrottlingException' });
    } finally {
      await sb.stop();
    }
  });

  it('answers Okta with per-family X-Rate-Limit headers and a 429 whose reset ends the window', async () => {
    const now = Date.UTC(2026, 10, 27, 12);
    const sb = await startTestSandbox({ rateLimits: 'realistic', now: () => now });
    try {
      const auth = { authorization: `SSWS ${sb.okta.token}`, accept: 'application/json' };
      const first = await raw(sb, { method: 'GET', path: '/api/v1/apps', headers: auth });
      expect(first.status).toBe(200);
      expect(first.headers['x-rate-limit-limit']).toBe('100');
      expect(first.headers['x-rate-limit-remaining']).toBe('99');
      expect(first.headers['x-rate-limit-reset']).toBe(String(now / 1000 + 60));
      for (let i = 1; i < 100; i++) await raw(sb, { method: 'GET', path: '/api/v1/apps', headers: auth });
      const limited = await raw(sb, { method: 'GET', path: '/api/v1/apps', headers: auth });
      expect(limited.status).toBe(429);
      expect(JSON.parse(limited.body)).toMatchObject({ errorCode: 'E0000047' });
      expect(limited.headers['x-rate-limit-remaining']).toBe('0');
      expect(limited.headers['x-rate-limit-reset']).toBe(String(now / 1000 + 60));
      // Another family has its own budget.
      const users = await raw(sb, { method: 'GET', path: '/api/v1/users', headers: auth });
      expect(users.status).toBe(200);
      expect(users.headers['x-rate-limit-limit']).toBe('600');
    } finally {
      await sb.stop();
    }
  });
});

describe('robustness', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.stop());

  it('survives malformed requests and keeps serving', async () => {
    const okta = {
      authorization: `SSWS ${sb.okta.token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const cases = [
      { method: 'POST', path: '/api/v1/apps', headers: okta, body: '{"label": ' },
      { method: 'POST', path: '/api/v1/apps', headers: okta, body: '[]' },
      { method: 'GET', path: '/api/v1/users/%E0%A4%A', headers: okta },
      { method: 'GET', path: '/api/v1/../../etc/passwd', headers: okta },
      { method: 'PATCH', path: '/api/v1/apps', headers: okta },
      { method: 'GET', path: '/%%%', headers: {} },
      {
        method: 'POST',
        path: '/',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=broken', 'content-type': 'text/xml' },
        body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
      },
      {
        method: 'POST',
        path: '/',
        headers: {
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00',
        },
        body: 'Action=GetCallerIdentity',
      },
    ];
    for (const c of cases) {
      const res = await raw(sb, c);
      expect(res.status, `${c.method} ${c.path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${c.method} ${c.path}`).toBeLessThan(500);
    }
    const user = await iamClient(sb).send(new GetUserCommand({}));
    expect(user.User?.Arn).toBe('arn:aws:iam::123456789012:root');
  });

  it('answers a request that is too large with 413', async () => {
    const res = await raw(sb, {
      method: 'POST',
      path: '/api/v1/apps',
      body: Buffer.alloc(65 * 1024 * 1024, 0x61),
    });
    expect(res.status).toBe(413);
  });
});

describe('state', () => {
  it('hands out snapshots with secrets redacted', async () => {
    const sb = await startTestSandbox();
    try {
      const iam = iamClient(sb);
      await iam.send(new CreateIamUserCommand({ UserName: 'with-key' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'with-key' }));
      const secret = AccessKey?.SecretAccessKey ?? '';
      expect(secret).toHaveLength(40);
      const text = JSON.stringify(sb.state());
      expect(text).not.toContain(secret);
      expect(text).not.toContain(sb.aws.credentials.secretAccessKey);
      expect(text).not.toContain(sb.okta.token);
      expect(text).toContain('[redacted]');
      // A snapshot is a copy: changing it changes nothing.
      const snapshot = sb.state();
      snapshot.iam = {} as typeof snapshot.iam;
      expect(JSON.stringify(sb.state())).toContain('with-key');
    } finally {
      await sb.stop();
    }
  });

  it('survives a restart with a state file, credentials and identifiers included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-state-'));
    const stateFile = join(dir, 'sandbox.json');
    const first = await startSandbox({ stateFile, instanceCreationMs: 0 });
    const iam = iamClient(first);
    await iam.send(new CreateIamUserCommand({ UserName: 'persisted' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'persisted' }));
    await first.stop();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await startSandbox({ stateFile, instanceCreationMs: 0 });
    try {
      expect(second.aws.credentials).toEqual(first.aws.credentials);
      expect(second.okta.token).toBe(first.okta.token);
      const again = iamClient(second);
      expect((await again.send(new GetUserCommand({ UserName: 'persisted' }))).User?.UserName).toBe(
        'persisted',
      );
      // The issued key still signs.
      const asUser = iamClient(second, {
        credentials: {
          accessKeyId: AccessKey?.AccessKeyId ?? '',
          secretAccessKey: AccessKey?.SecretAccessKey ?? '',
        },
      });
      await expect(asUser.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
      // Identifiers continue from where the generator stopped: no collision with the first run's.
      await again.send(new CreateIamUserCommand({ UserName: 'after-restart' }));
      const ids = JSON.parse(readFileSync(stateFile, 'utf8')) as { iam: unknown };
      const userIds = JSON.stringify(ids.iam).match(/AIDA[A-Z0-9]{17}/g) ?? [];
      expect(new Set(userIds).size).toBe(userIds.length);
      expect(userIds.length).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
    }
  });

  it('refuses a state file that is not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-state-'));
    const stateFile = join(dir, 'bad.json');
    (await import('node:fs')).writeFileSync(stateFile, '{"not":"a sandbox"}');
    await expect(startSandbox({ stateFile })).rejects.toThrow(/not a version 1 sandbox state/);
  });
});

describe('options', () => {
  it.each([
    [{ host: '0.0.0.0' }, /host: the sandbox binds to loopback only/],
    [{ port: 70000 }, /port: expected an integer/],
    [{ accountId: '42' }, /accountId: expected 12 digits/],
    [{ region: 'nowhere' }, /region: not an AWS region/],
    [{ faults: [{ service: 'ses', kind: 'throttle' }] }, /faults\[0\]\.service/],
    [{ rateLimits: 'strict' }, /rateLimits/],
  ])('rejects %o', async (options, message) => {
    await expect(startSandbox(options as Parameters<typeof startSandbox>[0])).rejects.toThrow(message);
  });
});
