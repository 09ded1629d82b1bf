/**
 * Plumbing for the custom resource tests: a local HTTP server standing for CloudFormation's pre-signed
 * ResponseURL (real HTTP PUTs), request builders, a Lambda context with a deadline, the Okta token in the
 * sandbox's Secrets Manager, and a stand-in for the Lambda Invoke API the handler re-invokes itself with
 * (`startLambdaService`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect } from 'vitest';
import type {
  ContinuationEvent,
  CustomResourceEvent,
  CustomResourceHandlerOptions,
  CustomResourceResponse,
  LambdaContext,
} from '../../src/cloudformation/types.js';
import type { Logger } from '../../src/core/context.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { parseSigV4Authorization, verifySigV4 } from '../../src/sandbox/sigv4.js';
import { startTestSandbox } from '../helpers.js';
import { AGENT2, addPeople, TWO_USERS } from '../support/config.js';

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

/** The Update of the resource `physicalId` that `create` made, to `properties`. */
export function cfnUpdate(
  responses: ResponseServer,
  create: CustomResourceEvent,
  physicalId: string,
  properties: Record<string, unknown>,
): CustomResourceEvent {
  return cfnEvent(responses, 'Update', properties, {
    PhysicalResourceId: physicalId,
    OldResourceProperties: create.ResourceProperties,
  });
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
    users: structuredClone(TWO_USERS),
    ...extra,
  };
}

/** The Okta people of the configs (and a second agent). */
export function createOktaUsers(sb: Sandbox): void {
  addPeople(sb);
}

/** `properties` with one more user: agent2 on the CCP (whom {@link createOktaUsers} made in Okta). */
export function withAgent2(properties: Record<string, unknown>): Record<string, unknown> {
  return { ...properties, users: [...(properties.users as object[]), AGENT2] };
}

/** What a handler test starts from: a sandbox with the Okta people and the Okta secret, and a ResponseURL. */
export interface HandlerSetup {
  sb: Sandbox;
  responses: ResponseServer;
  /** The name of the Secrets Manager secret holding the Okta credentials. */
  secret: string;
}

export async function startHandlerSetup(options: SandboxOptions): Promise<HandlerSetup> {
  const sb = await startTestSandbox(options);
  const responses = await startResponseServer();
  createOktaUsers(sb);
  return { sb, responses, secret: await putOktaSecret(sb) };
}

/** Close what {@link startHandlerSetup} started (either may be missing after a failed start). */
export async function stopHandlerSetup(setup: Partial<HandlerSetup>): Promise<void> {
  await setup.responses?.close();
  await setup.sb?.stop();
}

/** No Okta app, IAM role, SAML provider or IAM policy is left in the sandbox (a torn-down setup). */
export function expectNoSetupLeft(sb: Sandbox): void {
  const state = sb.state();
  expect(Object.keys(state.okta.apps)).toEqual([]);
  expect(state.iam.roles).toEqual([]);
  expect(state.iam.samlProviders).toEqual([]);
  expect(state.iam.policies).toEqual([]);
}

/** Every Connect username in the sandbox, over every instance, sorted. */
export function connectUsernames(sb: Sandbox): string[] {
  return Object.values(sb.state().connect.instances)
    .flatMap((i) => Object.values(i.users).map((u) => u.username))
    .sort();
}

/** One `Invoke` the Lambda stand-in accepted. */
export interface LambdaInvocation {
  /** The function's name (from the name or ARN in the path). */
  functionName: string;
  /** The `FunctionName` path parameter as sent (URL-decoded). */
  requested: string;
  /** `X-Amz-Invocation-Type`. */
  invocationType: string;
  /** The access key the request was signed with. */
  accessKeyId: string;
  /** The payload, parsed. */
  payload: ContinuationEvent;
  /** The payload's size in bytes. */
  bytes: number;
}

/** An `Invoke` the stand-in refused, and why. */
export interface LambdaRefusal {
  status: number;
  type: string;
  message: string;
}

/** The stand-in for the Lambda API: `Invoke` only, asynchronous (`Event`) only. */
export interface LambdaService {
  url: string;
  invocations: LambdaInvocation[];
  refused: LambdaRefusal[];
  /** Resolves once every accepted invocation has run (including those they started in turn). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Lambda's limit on an asynchronous invocation's payload (256 KB for most of its history). */
const ASYNC_PAYLOAD_LIMIT = 256 * 1024;

/**
 * A local HTTP server speaking Lambda's `Invoke` (restJson1: `POST /2015-03-31/functions/{FunctionName}/invocations`,
 * `X-Amz-Invocation-Type: Event` answered `202` with an empty body), checking the SigV4 signature with the
 * sandbox's credentials (service `lambda`) the way the sandbox checks its own. An accepted invocation runs
 * `functions[name](payload)` after the answer was sent, as Lambda's event queue would.
 */
export async function startLambdaService(
  sb: Sandbox,
  functions: Record<string, (payload: ContinuationEvent) => Promise<void>>,
): Promise<LambdaService> {
  const invocations: LambdaInvocation[] = [];
  const refused: LambdaRefusal[] = [];
  const running = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refuse = (status: number, type: string, message: string) => {
        refused.push({ status, type, message });
        res
          .writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type })
          .end(JSON.stringify({ Type: 'User', message }));
      };
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
      if (req.method !== 'POST' || !match?.[1]) {
        refuse(404, 'UnknownOperationException', `${req.method} ${path}`);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const auth = parseSigV4Authorization(headers.authorization);
      if (auth?.service !== 'lambda' || auth.accessKeyId !== sb.aws.credentials.accessKeyId) {
        refuse(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
        return;
      }
      const failure = verifySigV4(
        { method: 'POST', path, query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)), headers, body },
        auth,
        sb.aws.credentials.secretAccessKey,
        Date.now(),
      );
      if (failure) {
        refuse(403, 'InvalidSignatureException', `signature: ${failure.reason}`);
        return;
      }
      const requested = decodeURIComponent(match[1]);
      const functionName = /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:([^:]+)(:[^:]+)?$/.exec(
        requested,
      )?.[1];
      const fn = functionName === undefined ? undefined : functions[functionName];
      if (functionName === undefined || fn === undefined) {
        refuse(404, 'ResourceNotFoundException', `Function not found: ${requested}`);
        return;
      }
      const invocationType = headers['x-amz-invocation-type'] ?? 'RequestResponse';
      if (invocationType !== 'Event') {
        refuse(
          400,
          'InvalidParameterValueException',
          `this stand-in only takes Event, not ${invocationType}`,
        );
        return;
      }
      if (body.length > ASYNC_PAYLOAD_LIMIT) {
        refuse(413, 'RequestEntityTooLargeException', `${body.length} bytes`);
        return;
      }
      const payload = JSON.parse(body.toString('utf8')) as ContinuationEvent;
      invocations.push({
        functionName,
        requested,
        invocationType,
        accessKeyId: auth.accessKeyId,
        payload,
        bytes: body.length,
      });
      res.writeHead(202, { 'x-amzn-requestid': randomUUID(), 'content-length': '0' }).end();
      const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => fn(payload))
        .catch((error: unknown) => {
          failures.push(error);
        })
        .finally(() => running.delete(run));
      running.add(run);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    refused,
    async idle() {
      while (running.size > 0) await Promise.all(running);
      if (failures.length > 0) throw failures[0];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
