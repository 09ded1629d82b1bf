/**
 * Plumbing for the custom resource tests: a local HTTP server standing for CloudFormation's pre-signed
 * ResponseURL (real HTTP PUTs), request builders, a Lambda context with a deadline, the Okta token in the
 * sandbox's Secrets Manager, and a stand-in for the Lambda Invoke API the handler re-invokes itself with.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  CustomResourceEvent,
  CustomResourceHandlerOptions,
  CustomResourceResponse,
  LambdaContext,
} from '../../src/cloudformation/types.js';
import type { Logger } from '../../src/core/context.js';
import type { Sandbox } from '../../src/sandbox/index.js';

/** One PUT the response server received. */
export interface ReceivedResponse {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: CustomResourceResponse;
}

/** The stand-in for S3's pre-signed response URLs. */
export interface ResponseServer {
  url: string;
  received: ReceivedResponse[];
  /** Answer the next `n` PUTs with HTTP 500 (to test the retries). */
  failNext(n: number): void;
  /** Resolves with the response to `requestId` once it arrives. */
  waitFor(requestId: string, timeoutMs?: number): Promise<ReceivedResponse>;
  close(): Promise<void>;
}

export async function startResponseServer(): Promise<ResponseServer> {
  const received: ReceivedResponse[] = [];
  let failing = 0;
  const waiters = new Map<string, (r: ReceivedResponse) => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'PUT') {
        res.writeHead(405).end();
        return;
      }
      if (failing > 0) {
        failing--;
        res.writeHead(500).end('<Error><Code>InternalError</Code></Error>');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const entry: ReceivedResponse = {
        path: req.url ?? '',
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as CustomResourceResponse,
      };
      received.push(entry);
      res.writeHead(200).end();
      waiters.get(entry.body.RequestId)?.(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(n) {
      failing = n;
    },
    waitFor(requestId, timeoutMs = 15_000) {
      const found = received.find((r) => r.body.RequestId === requestId);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no response to ${requestId}`)), timeoutMs);
        waiters.set(requestId, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const STACK_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/sso/5b6c1a30-0000-11ef-8000-0a1b2c3d4e5f';

/** A CloudFormation request, its properties stringified as CloudFormation does. */
export function cfnEvent(
  responses: ResponseServer,
  type: CustomResourceEvent['RequestType'],
  properties: Record<string, unknown>,
  extra: Partial<CustomResourceEvent> = {},
): CustomResourceEvent {
  const requestId = randomUUID();
  return {
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:connect-okta-sso',
    ResponseURL: `${responses.url}/cloudformation-custom-resource-response-useast1/${encodeURIComponent(STACK_ID)}%7CSso%7C${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc`,
    StackId: STACK_ID,
    RequestId: requestId,
    ResourceType: 'Custom::ConnectOktaSso',
    LogicalResourceId: 'Sso',
    ResourceProperties: stringify({
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:connect-okta-sso',
      ...properties,
    }) as Record<string, unknown>,
    ...extra,
  };
}

/** CloudFormation sends every scalar as a string. */
export function stringify(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringify);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringify(v)]));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}

/** A Lambda context whose invocation ends `ms` after it was made; records how much time was left at the end. */
export function lambdaContext(ms = 600_000): LambdaContext & { end: number } {
  const end = Date.now() + ms;
  return {
    end,
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:connect-okta-sso',
    functionName: 'connect-okta-sso',
    logStreamName: '2026/11/01/[$LATEST]0123456789abcdef',
    awsRequestId: randomUUID(),
  };
}

/** Store the sandbox's Okta token in its Secrets Manager, as a stack's operator would. */
export async function putOktaSecret(sb: Sandbox, name = 'connect-okta-sso/okta'): Promise<string> {
  const client = new SecretsManagerClient({
    endpoint: sb.aws.endpoint,
    region: sb.aws.region,
    credentials: sb.aws.credentials,
    maxAttempts: 1,
  });
  const out = await client.send(
    new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ token: sb.okta.token }) }),
  );
  client.destroy();
  return out.ARN ?? name;
}

/** A logger that keeps every line (to prove no secret reaches the logs). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const put = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(JSON.stringify({ level, message, ...fields }));
  return { lines, debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}

/** Handler options pointed at the sandbox. */
export function handlerOptions(
  sb: Sandbox,
  extra: CustomResourceHandlerOptions = {},
): CustomResourceHandlerOptions {
  return {
    aws: {
      endpoint: sb.aws.endpoint,
      credentials: sb.aws.credentials,
      maxAttempts: 3,
      region: sb.aws.region,
    },
    reserveMs: 100,
    ...extra,
  };
}

/** The properties of a small setup (group mapping, the default of the resource). */
export function baseProperties(sb: Sandbox, secret: string, extra: Record<string, unknown> = {}) {
  return {
    OktaCredentialsSecret: secret,
    region: 'us-east-1',
    instance: { alias: 'acme-cc', inboundCalls: true },
    okta: { orgUrl: sb.okta.orgUrl },
    apps: [{ kind: 'admin' }, { kind: 'ccp', sessionDuration: 7200 }],
    users: [
      { login: 'jane.doe@acme.com', app: 'admin', connect: { securityProfiles: ['Admin'] } },
      { login: 'agent1@acme.com', app: 'ccp' },
    ],
    ...extra,
  };
}

export function createOktaUsers(sb: Sandbox): void {
  sb.admin.createOktaUser({ login: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' });
  sb.admin.createOktaUser({ login: 'agent1@acme.com', firstName: 'Agent', lastName: 'One' });
  sb.admin.createOktaUser({ login: 'agent2@acme.com', firstName: 'Agent', lastName: 'Two' });
}

/** Every Connect username in the sandbox, over every instance, sorted. */
export function connectUsernames(sb: Sandbox): string[] {
  return Object.values(sb.state().connect.instances)
    .flatMap((i) => Object.values(i.users).map((u) => u.username))
    .sort();
}
