/**
 * Shared test plumbing: a sandbox per suite and the real SDK clients pointed at it.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { IAMClient } from '@aws-sdk/client-iam';
import { DefaultRequestExecutor, Client as OktaClient } from '@okta/okta-sdk-nodejs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type CreateContextOptions, createContext, type SsoContext } from '../src/core/context.js';
import {
  type RequestLogEntry,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../src/sandbox/index.js';

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, instanceCreationMs: 0, ...options });
}

/** `maxAttempts: 1` unless a test wants the SDK's retries: request counts then match calls. */
export function iamClient(
  sb: Sandbox,
  opts: { maxAttempts?: number; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): IAMClient {
  return new IAMClient({
    endpoint: sb.aws.endpoint,
    region: sb.aws.region,
    credentials: opts.credentials ?? sb.aws.credentials,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

export function connectClient(
  sb: Sandbox,
  opts: {
    maxAttempts?: number;
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  } = {},
): ConnectClient {
  return new ConnectClient({
    endpoint: sb.aws.endpoint,
    region: opts.region ?? sb.aws.region,
    credentials: opts.credentials ?? sb.aws.credentials,
    maxAttempts: opts.maxAttempts ?? 1,
  });
}

/** The Okta SDK with its traps disarmed: no GET cache, explicit token, no trailing slash. */
export function oktaClient(sb: Sandbox, opts: { token?: string; maxRetries?: number } = {}): OktaClient {
  const config: ConstructorParameters<typeof OktaClient>[0] & {} = {
    orgUrl: sb.okta.orgUrl,
    token: opts.token ?? sb.okta.token,
    cacheMiddleware: null,
  };
  if (opts.maxRetries !== undefined) {
    config.requestExecutor = new DefaultRequestExecutor({ maxRetries: opts.maxRetries, requestTimeout: 0 });
  }
  return new OktaClient(config);
}

/**
 * A library context pointed at the sandbox: the real AWS clients and the real Okta SDK over HTTP.
 * `maxAttempts: 1` so that request counts equal calls unless a test asks for retries.
 */
export function sandboxContext(
  sb: Sandbox,
  opts: Partial<Omit<CreateContextOptions, 'okta' | 'endpoint' | 'credentials'>> = {},
): SsoContext {
  return createContext({
    region: sb.aws.region,
    endpoint: sb.aws.endpoint,
    credentials: sb.aws.credentials,
    okta: { orgUrl: sb.okta.orgUrl, token: sb.okta.token },
    maxAttempts: 1,
    stack: 'test-stack',
    ...opts,
  });
}

/** The write requests the sandbox served since the last reset (what idempotence tests count). */
export function writes(sb: Sandbox): RequestLogEntry[] {
  return sb.requests().filter((r) => r.write);
}

/** A sandbox shared by the tests of one file, with the two helpers the destroy tests use. */
export interface SandboxSuite {
  /** The sandbox; readable from `beforeAll` hooks registered after `sandboxSuite()` and in the tests. */
  readonly sb: Sandbox;
  /** A library context for a stack (default `acme-cc`). */
  ctx(stack?: string): SsoContext;
  /** The operations the sandbox wrote since the last reset. */
  writeOps(): string[];
}

/**
 * One sandbox for a file's tests: started before them (before the file's own `beforeAll` hooks that come
 * after this call), stopped after them, its request log reset before each test.
 */
export function sandboxSuite(options: SandboxOptions = {}): SandboxSuite {
  let started: Sandbox | undefined;
  const suite: SandboxSuite = {
    get sb(): Sandbox {
      if (!started) throw new Error('sandboxSuite: the sandbox starts in beforeAll');
      return started;
    },
    ctx: (stack = 'acme-cc') => sandboxContext(suite.sb, { stack }),
    writeOps: () => writes(suite.sb).map((r) => r.operation),
  };
  beforeAll(async () => {
    started = await startTestSandbox(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  beforeEach(() => suite.sb.resetRequests());
  return suite;
}

/** How an AWS SDK call failed: the error's name, HTTP status (0 when none) and message. */
export interface SdkFailure {
  name: string;
  status: number;
  message: string;
}

/** The error an AWS SDK call fails with; throws (failing the test) when the call succeeds. */
export async function sdkFailure(promise: Promise<unknown>): Promise<SdkFailure> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode ?? 0, message: e.message };
  }
  throw new Error('expected the call to fail');
}

/** The requests the sandbox served since the last reset, counted by operation. */
export function countByOperation(sb: Sandbox): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of sb.requests()) counts[r.operation] = (counts[r.operation] ?? 0) + 1;
  return counts;
}
