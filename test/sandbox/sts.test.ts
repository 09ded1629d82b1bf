/**
 * The emulated AWS STS with the real @aws-sdk/client-sts: GetCallerIdentity for every kind of
 * credentials, AssumeRoleWithSAML (sent unsigned, as the SDK does) through the sandbox's sign-in checks,
 * and its temporary credentials used with a session token — then, for everything the sandbox does not
 * emulate, `NotImplemented` in each protocol's own error format.
 */
import { createHash, createHmac } from 'node:crypto';
import {
  ConnectClient,
  GetFederationTokenCommand,
  ListContactFlowsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-connect';
import {
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  GetRoleCommand,
} from '@aws-sdk/client-iam';
import { RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  AssumeRoleWithSAMLCommand,
  type AssumeRoleWithSAMLCommandOutput,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { iamClient, sdkFailure, startTestSandbox } from '../helpers.js';
import {
  ACCOUNT,
  encode,
  type Federation,
  NOW,
  OTHER_CERT,
  OTHER_KEY,
  PROVIDER,
  ROLE,
  setUpFederation,
  signedResponse,
  USER,
} from './saml-fixtures.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function sts(sb: Sandbox, credentials?: Credentials): STSClient {
  return new STSClient({
    endpoint: sb.aws.endpoint,
    region: sb.aws.region,
    maxAttempts: 1,
    ...(credentials ? { credentials } : {}),
  });
}

function temporary(out: AssumeRoleWithSAMLCommandOutput): Credentials {
  return {
    accessKeyId: out.Credentials?.AccessKeyId ?? '',
    secretAccessKey: out.Credentials?.SecretAccessKey ?? '',
    sessionToken: out.Credentials?.SessionToken ?? '',
  };
}

describe('GetCallerIdentity', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.stop());

  it("answers the sandbox's root credentials with the account's root", async () => {
    expect(await sts(sb, sb.aws.credentials).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: ACCOUNT,
      UserId: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(sb.requests().at(-1)).toMatchObject({
      service: 'sts',
      operation: 'GetCallerIdentity',
      write: false,
      status: 200,
    });
  });

  it('answers a key CreateAccessKey issued with its IAM user, without any permission', async () => {
    const iam = iamClient(sb);
    const user = await iam.send(new CreateUserCommand({ UserName: 'okta_cli_user', Path: '/okta/' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'okta_cli_user' }));
    const identity = await sts(sb, {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    }).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: ACCOUNT,
      UserId: user.User?.UserId,
      Arn: `arn:aws:iam::${ACCOUNT}:user/okta/okta_cli_user`,
    });
    // A wrong secret is refused as STS does.
    expect(
      await sdkFailure(
        sts(sb, { accessKeyId: key.AccessKey?.AccessKeyId ?? '', secretAccessKey: 'x'.repeat(40) }).send(
          new GetCallerIdentityCommand({}),
        ),
      ),
    ).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(
      await sdkFailure(
        sts(sb, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x'.repeat(40) }).send(
          new GetCallerIdentityCommand({}),
        ),
      ),
    ).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });
});

describe('AssumeRoleWithSAML', () => {
  let sb: Sandbox;
  let now = NOW;
  let federation: Federation;
  beforeAll(async () => {
    sb = await startTestSandbox({ now: () => now });
    federation = await setUpFederation(sb);
  });
  afterAll(() => sb.stop());

  const assume = (samlResponse: string, extra: { RoleArn?: string; DurationSeconds?: number } = {}) =>
    // No credentials at all: the SDK sends AssumeRoleWithSAML unsigned, and the sandbox takes it so.
    sts(sb).send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: ROLE,
        PrincipalArn: PROVIDER,
        SAMLAssertion: samlResponse,
        ...extra,
      }),
    );

  it('checks the response as sign-in does and returns temporary credentials that sign requests', async () => {
    const out = await assume(encode(signedResponse()));
    const role = await iamClient(sb).send(new GetRoleCommand({ RoleName: 'Okta_Role' }));
    expect(out).toMatchObject({
      AssumedRoleUser: {
        AssumedRoleId: `${role.Role?.RoleId}:${USER}`,
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Okta_Role/${USER}`,
      },
      Subject: USER,
      SubjectType: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      Issuer: 'http://www.okta.com/exk1fixture0000000007',
      Audience: 'https://signin.aws.amazon.com/saml',
    });
    expect(out.NameQualifier).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBe(NOW + 3600 * 1000);
    const creds = temporary(out);

    // The session is who signs with them.
    expect(await sts(sb, creds).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: ACCOUNT,
      UserId: `${role.Role?.RoleId}:${USER}`,
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Okta_Role/${USER}`,
    });
    // The role's policy allows connect:GetFederationToken on <instance>/user/${aws:userid}, and the
    // Connect user named like the RoleSessionName is who the token is for.
    const connect = new ConnectClient({
      endpoint: sb.aws.endpoint,
      region: sb.aws.region,
      credentials: creds,
      maxAttempts: 1,
    });
    const token = await connect.send(new GetFederationTokenCommand({ InstanceId: federation.instanceId }));
    expect(token.UserId).toBe(federation.users[USER]);
    expect(token.SignInUrl).toBe('https://fixture-cc.my.connect.aws/auth/sign-in');
    // Nothing else: the role's policies are the session's.
    const denied = await sdkFailure(
      connect.send(new ListUsersCommand({ InstanceId: federation.instanceId })),
    );
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(denied.message).toContain(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/Okta_Role/${USER} is not authorized to perform: connect:ListUsers`,
    );

    // Without the session token, or with another one, the key is not recognised.
    const { sessionToken: _, ...bare } = creds;
    expect(await sdkFailure(sts(sb, bare).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    expect(
      await sdkFailure(
        sts(sb, { ...creds, sessionToken: `${creds.sessionToken}x` }).send(new GetCallerIdentityCommand({})),
      ),
    ).toMatchObject({ name: 'InvalidClientTokenId' });

    // The secrets never show in the state snapshot.
    const session = sb.state().sts.sessions[creds.accessKeyId];
    expect(session).toMatchObject({
      roleSessionName: USER,
      secretAccessKey: '[redacted]',
      sessionToken: '[redacted]',
    });
    expect(JSON.stringify(sb.state())).not.toContain(creds.secretAccessKey);
    expect(JSON.stringify(sb.state())).not.toContain(creds.sessionToken);

    // An hour later they have expired.
    now = NOW + 3600 * 1000;
    try {
      expect(await sdkFailure(sts(sb, creds).send(new GetCallerIdentityCommand({})))).toMatchObject({
        name: 'ExpiredToken',
        status: 403,
      });
      expect(
        await sdkFailure(connect.send(new GetFederationTokenCommand({ InstanceId: federation.instanceId }))),
      ).toMatchObject({ name: 'ExpiredTokenException', status: 403 });
    } finally {
      now = NOW;
    }
  });

  it('answers STS errors for what sign-in refuses', async () => {
    const foreign = await sdkFailure(
      assume(encode(signedResponse({}, { key: OTHER_KEY, cert: OTHER_CERT }))),
    );
    expect(foreign).toMatchObject({ name: 'InvalidIdentityTokenException', status: 400 });
    expect(foreign.message).toContain('Response signature invalid');

    const expired = await sdkFailure(assume(encode(signedResponse({ now: NOW - 3600 * 1000 }))));
    expect(expired).toMatchObject({ name: 'ExpiredTokenException', status: 400 });

    // The RoleArn must be one of the signed Role values.
    const otherRole = await sdkFailure(
      assume(encode(signedResponse()), { RoleArn: `arn:aws:iam::${ACCOUNT}:role/Admin` }),
    );
    expect(otherRole).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: 'Not authorized to perform sts:AssumeRoleWithSAML',
    });

    const noProvider = await sdkFailure(
      sts(sb).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: ROLE,
          PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Gone`,
          SAMLAssertion: encode(
            signedResponse({
              roles: [{ roleArn: ROLE, providerArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Gone` }],
            }),
          ),
        }),
      ),
    );
    expect(noProvider).toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: "Specified provider doesn't exist.",
    });

    const tooLong = await sdkFailure(assume(encode(signedResponse()), { DurationSeconds: 7200 }));
    expect(tooLong).toEqual({
      name: 'ValidationError',
      status: 400,
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });

    // The model's own rules: SAMLAssertion is 4–100,000 characters.
    expect(await sdkFailure(assume('abc'))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(sb.requests().filter((r) => r.operation === 'AssumeRoleWithSAML' && r.status >= 400).length).toBe(
      6,
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// What the sandbox does not emulate

/** A minimal SigV4 signer (header auth), as a third-party client signs: the sandbox's credentials. */
function signed(
  sb: Sandbox,
  service: string,
  request: { method: string; path: string; headers: Record<string, string>; body: string },
): Request {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const host = new URL(sb.url).host;
  const headers: Record<string, string> = { ...request.headers, host, 'x-amz-date': amzDate };
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = [
    request.method,
    request.path,
    '',
    names.map((n) => `${n}:${lower[n]}\n`).join(''),
    names.join(';'),
    hash(request.body),
  ].join('\n');
  const scope = `${date}/${sb.aws.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hash(canonical)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${sb.aws.credentials.secretAccessKey}`).update(date).digest();
  for (const part of [sb.aws.region, service, 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host: _, ...sent } = headers;
  return new Request(`${sb.url}${request.path}`, {
    method: request.method,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${sb.aws.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    },
    ...(request.method === 'GET' ? {} : { body: request.body }),
  });
}

/** A signed form-encoded POST to `/`, as the query protocols (IAM, STS, SNS) send their actions. */
const signedQuery = (sb: Sandbox, service: string, body: string): Request =>
  signed(sb, service, {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });

describe('NotImplemented, in each protocol', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(() => sb.stop());

  it('names an operation of an emulated service that the sandbox does not emulate; the SDKs parse it', async () => {
    const aws = {
      endpoint: sb.aws.endpoint,
      region: sb.aws.region,
      credentials: sb.aws.credentials,
      maxAttempts: 1,
    };
    const cases: [string, () => Promise<unknown>, string][] = [
      ['awsQuery (STS)', () => new STSClient(aws).send(new GetSessionTokenCommand({})), 'GetSessionToken'],
      [
        'awsQuery (IAM)',
        () => iamClient(sb).send(new CreateGroupCommand({ GroupName: 'agents' })),
        'CreateGroup',
      ],
      [
        'restJson1 (Connect)',
        () =>
          new ConnectClient(aws).send(
            new ListContactFlowsCommand({ InstanceId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }),
          ),
        'ListContactFlows',
      ],
      [
        'awsJson1.1 (Secrets Manager)',
        () => new SecretsManagerClient(aws).send(new RotateSecretCommand({ SecretId: 'okta' })),
        'RotateSecret',
      ],
    ];
    for (const [protocol, call, operation] of cases) {
      const err = await sdkFailure(call());
      expect({ protocol, ...err }).toMatchObject({ protocol, name: 'NotImplemented', status: 501 });
      expect(err.message).toContain(operation);
    }
    // One attempt each: a 501 is not retried.
    const log = sb.requests().filter((r) => r.status === 501);
    expect(log.map((r) => [r.service, r.operation, r.errorCode])).toEqual([
      ['sts', 'Unknown', 'NotImplemented'],
      ['iam', 'Unknown', 'NotImplemented'],
      ['connect', 'Unknown', 'NotImplemented'],
      ['secretsmanager', 'Unknown', 'NotImplemented'],
    ]);
    // An operation no AWS service has is what AWS says it is.
    const invalid = await fetch(signedQuery(sb, 'iam', 'Action=NoSuchThing&Version=2010-05-08'));
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('answers a service the sandbox does not emulate in that protocol’s error format', async () => {
    const query = await fetch(
      signedQuery(
        sb,
        'sns',
        'Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3At&Message=hi',
      ),
    );
    expect(query.status).toBe(501);
    const queryBody = await query.text();
    expect(queryBody).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Receiver<\/Type><Code>NotImplemented<\/Code><Message>The sandbox does not emulate the AWS service sns \(Publish\)/,
    );

    const json = await fetch(
      signed(sb, 'dynamodb', {
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        body: '{}',
      }),
    );
    expect(json.status).toBe(501);
    expect(json.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await json.json()).toEqual({
      __type: 'NotImplemented',
      message: expect.stringContaining('AWS service dynamodb (ListTables)'),
    });

    const rest = await fetch(
      signed(sb, 'lambda', { method: 'GET', path: '/2015-03-31/functions/', headers: {}, body: '' }),
    );
    expect(rest.status).toBe(501);
    expect(rest.headers.get('x-amzn-errortype')).toBe('NotImplemented');
    expect((await rest.json()) as unknown).toEqual({
      message: expect.stringContaining('AWS service lambda (GET /2015-03-31/functions/)'),
    });

    const s3 = await fetch(signed(sb, 's3', { method: 'GET', path: '/', headers: {}, body: '' }));
    expect(s3.status).toBe(501);
    expect(await s3.text()).toMatch(
      /<Error><Code>NotImplemented<\/Code><Message>The sandbox does not emulate the AWS service s3 \(GET \/\)/,
    );

    // The emulated services are unaffected: the same signer reaches STS.
    const identity = await fetch(signedQuery(sb, 'sts', 'Action=GetCallerIdentity&Version=2011-06-15'));
    expect(identity.status).toBe(200);
    expect(await identity.text()).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:root</Arn>`);
  });
});
