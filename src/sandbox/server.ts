/**
 * The sandbox's one loopback HTTP server: transport, authentication, permission checks, latency,
 * faults, rate limits and the request log. What each request means is up to the service emulators.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AwsCaller,
  EmulatorContext,
  ResolvedOperation,
  SandboxRequest,
  SandboxResponse,
  ServiceEmulator,
} from './emulator.js';
import { ServiceError } from './emulator.js';
import { FaultInjector, RateLimiter, SeededRandom } from './faults.js';
import { findAccessKey, recordAccessKeyUse, rolePolicyDocuments, userPolicyDocuments } from './iam/index.js';
import { evaluatePolicies } from './policy.js';
import { resolveSignInRoute, type SignInRoute } from './signin/index.js';
import { parseSigV4Authorization, verifySigV4 } from './sigv4.js';
import type { SandboxState } from './state.js';
import { findStsSession, queryParams, UNSIGNED_STS_ACTIONS } from './sts/index.js';
import type { FaultSpec, RequestLogEntry, ServiceName } from './types.js';
import { notEmulatedResponse } from './unemulated.js';

/** Options after defaults were applied. */
export interface ResolvedSandboxOptions {
  host: string;
  port: number;
  accountId: string;
  region: string;
  instanceCreationMs: number;
  latencyMs: number | Record<string, number>;
  seed: number;
  faults: FaultSpec[];
  rateLimits: 'off' | 'realistic';
  iamConsistencyMs: number;
  failInstanceAliases: string[];
  now: () => number;
  onRequest?: ((entry: RequestLogEntry) => void) | undefined;
}

/** Larger than any legal request: SAML metadata may be 10,000,000 characters, URL-encoded in a form. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The AWS services a SigV4 credential scope may name, and who answers for an unsigned request. */
const AWS_SERVICES: readonly ServiceName[] = ['iam', 'connect', 'secretsmanager', 'sts'];

/** The awsQuery services, whose error codes have no `Exception` suffix. */
const isQuery = (service: ServiceName): boolean => service === 'iam' || service === 'sts';

export class SandboxServer {
  private readonly http: Server;
  private readonly faults: FaultInjector;
  private readonly limiter: RateLimiter;
  private readonly log: RequestLogEntry[] = [];
  private requestCounter = 0;
  private originValue = '';
  private adminHandler: ((req: SandboxRequest) => Promise<SandboxResponse>) | undefined;

  constructor(
    readonly options: ResolvedSandboxOptions,
    private readonly getState: () => SandboxState,
    private readonly emulators: Readonly<Record<ServiceName, ServiceEmulator>>,
    /** Called after a request that may have changed state (persistence). */
    private readonly onWrite: () => void,
  ) {
    this.faults = new FaultInjector(options.faults, options.seed);
    this.limiter = new RateLimiter(options.rateLimits);
    this.http = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        // handle() renders every error itself; this only guards against a broken socket.
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    // Node's defaults would hold a keep-alive socket open past stop().
    this.http.keepAliveTimeout = 5_000;
  }

  get origin(): string {
    return this.originValue;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const { port } = this.http.address() as AddressInfo;
    this.originValue = `http://${this.options.host}:${port}`;
    return this.originValue;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  requests(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  resetRequests(): void {
    this.log.length = 0;
  }

  /** A context for work outside a request (the admin back doors). */
  context(extra: { caller?: AwsCaller; signedRegion?: string } = {}): EmulatorContext {
    const state = this.getState();
    const options = this.options;
    const random = new SeededRandom(state.sandbox.rng);
    const take = <T>(fn: () => T): T => {
      random.state = state.sandbox.rng;
      const value = fn();
      state.sandbox.rng = random.state;
      return value;
    };
    return {
      accountId: options.accountId,
      region: options.region,
      origin: this.originValue,
      instanceCreationMs: options.instanceCreationMs,
      iamConsistencyMs: options.iamConsistencyMs,
      failInstanceAliases: options.failInstanceAliases,
      state,
      now: options.now,
      randomId: (length, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') =>
        take(() => random.string(length, alphabet)),
      uuid: () => take(() => random.uuid()),
      requestId: () => this.nextRequestId(),
      ...(extra.caller ? { caller: extra.caller } : {}),
      ...(extra.signedRegion ? { signedRegion: extra.signedRegion } : {}),
    };
  }

  private nextRequestId(): string {
    this.requestCounter++;
    const n = this.requestCounter.toString(16).padStart(12, '0');
    return `5a9d0b7e-0000-4000-8000-${n}`;
  }

  private async handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let body: Buffer;
    try {
      body = await readBody(incoming);
    } catch {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('Request entity too large');
      return;
    }
    const url = incoming.url ?? '/';
    const q = url.indexOf('?');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const req: SandboxRequest = {
      method: incoming.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      headers,
      body,
    };

    const outcome = await this.dispatch(req);
    if (outcome.kind === 'reset') {
      this.record(outcome.service, outcome.operation, outcome.write, 0, started, 'ConnectionReset');
      incoming.socket.destroy();
      return;
    }
    const { response } = outcome;
    if (outcome.service) {
      this.record(
        outcome.service,
        outcome.operation,
        outcome.write,
        response.status,
        started,
        outcome.errorCode,
      );
    }
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    // Okta reads may change state too: an app's signing key is generated on its first use.
    if ((outcome.write || outcome.service === 'okta') && response.status < 400) this.onWrite();
  }

  private record(
    service: ServiceName,
    operation: string,
    write: boolean,
    status: number,
    started: number,
    errorCode: string | undefined,
  ): void {
    const entry: RequestLogEntry = {
      service,
      operation,
      write,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
    };
    if (errorCode !== undefined && status >= 300) entry.errorCode = errorCode;
    this.log.push(entry);
    try {
      this.options.onRequest?.({ ...entry });
    } catch {
      // An observer's failure must not change what the sandbox answers.
    }
  }

  /**
   * Serve `/__sandbox/…` with this handler: the admin API (./admin-api.ts), which checks its own token.
   * Its requests are not in the request log: they stand for console clicks, not API calls.
   */
  mountAdmin(handler: (req: SandboxRequest) => Promise<SandboxResponse>): void {
    this.adminHandler = handler;
  }

  private async dispatch(req: SandboxRequest): Promise<Outcome> {
    const path = req.path;
    if (this.adminHandler && (path === '/__sandbox' || path.startsWith('/__sandbox/'))) {
      return { kind: 'response', response: await this.adminHandler(req), write: false };
    }
    // Okta: the management API, and the org authorization server's token endpoint (OAuth for Okta).
    if (path === '/api/v1' || path.startsWith('/api/v1/') || path.startsWith('/oauth2/v1/'))
      return this.dispatchService('okta', req, this.context());
    // The sign-in simulation: Okta's SSO URL and AWS sign-in's POST /saml (browser traffic, unsigned).
    const signIn = req.headers.authorization === undefined ? resolveSignInRoute(req) : undefined;
    if (signIn) return this.dispatchSignIn(signIn);
    // STS answers AssumeRoleWithSAML (and WebIdentity) unsigned: the SDKs send no signature.
    if (
      req.headers.authorization === undefined &&
      req.method === 'POST' &&
      UNSIGNED_STS_ACTIONS.includes(queryParams(req).get('Action') ?? '')
    ) {
      return this.dispatchService('sts', req, this.context());
    }
    const auth = parseSigV4Authorization(req.headers.authorization);
    if (!auth) {
      if (req.method === 'GET' && (path === '/' || path === '/health')) {
        return {
          kind: 'response',
          response: json(200, { service: 'connect-okta-sso sandbox', ok: true }),
          write: false,
        };
      }
      const service: ServiceName = req.headers['content-type']?.includes('x-www-form-urlencoded')
        ? 'iam'
        : 'connect';
      const emulator = this.emulators[service];
      const ctx = this.context();
      const err = new ServiceError(
        service === 'iam' ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException',
        'Request is missing Authentication Token',
        403,
      );
      return {
        kind: 'response',
        response: emulator.renderError(err, ctx, req),
        service,
        operation: 'Unknown',
        write: false,
        errorCode: err.code,
      };
    }
    const service = AWS_SERVICES.find((s) => s === auth.service);
    if (!service) {
      return {
        kind: 'response',
        response: notEmulatedResponse(auth.service, req, this.nextRequestId()),
        write: false,
      };
    }
    const state = this.getState();
    let caller: AwsCaller;
    let secret: string;
    if (auth.accessKeyId === state.sandbox.accessKeyId) {
      caller = { kind: 'root', accessKeyId: auth.accessKeyId };
      secret = state.sandbox.secretAccessKey;
    } else if (auth.accessKeyId.startsWith('ASIA')) {
      // Temporary credentials (AssumeRoleWithSAML): the session token must come with them.
      const session = findStsSession(state.sts, auth.accessKeyId);
      if (!session || req.headers['x-amz-security-token'] !== session.sessionToken) {
        const code = isQuery(service) ? 'InvalidClientTokenId' : 'UnrecognizedClientException';
        return this.failAuth(
          service,
          req,
          new ServiceError(code, 'The security token included in the request is invalid.', 403),
        );
      }
      if (session.expiresAt <= this.options.now()) {
        const code = isQuery(service) ? 'ExpiredToken' : 'ExpiredTokenException';
        return this.failAuth(
          service,
          req,
          new ServiceError(code, 'The security token included in the request is expired', 403),
        );
      }
      caller = {
        kind: 'assumed-role',
        accessKeyId: auth.accessKeyId,
        roleName: session.roleName,
        roleId: session.roleId,
        roleArn: session.roleArn,
        roleSessionName: session.roleSessionName,
      };
      secret = session.secretAccessKey;
    } else {
      const key = findAccessKey(state.iam, auth.accessKeyId);
      if (key?.status !== 'Active') {
        // A deleted and an inactive key look the same to the caller.
        const code = isQuery(service) ? 'InvalidClientTokenId' : 'UnrecognizedClientException';
        return this.failAuth(
          service,
          req,
          new ServiceError(code, 'The security token included in the request is invalid.', 403),
        );
      }
      caller = { kind: 'user', accessKeyId: auth.accessKeyId, userName: key.userName, userId: key.userId };
      secret = key.secretAccessKey;
    }
    // Signature expiry is about the caller's clock against the real one; the sandbox clock (which
    // tests may move by days) only ages emulated resources.
    const failure = verifySigV4(req, auth, secret, Date.now());
    if (failure) {
      const code =
        failure.reason === 'incomplete'
          ? isQuery(service)
            ? 'IncompleteSignature'
            : 'IncompleteSignatureException'
          : isQuery(service)
            ? 'SignatureDoesNotMatch'
            : 'InvalidSignatureException';
      const message =
        failure.reason === 'mismatch'
          ? 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
          : failure.message;
      return this.failAuth(
        service,
        req,
        new ServiceError(code, message, failure.reason === 'incomplete' ? 400 : 403),
      );
    }
    if (caller.kind === 'user') {
      recordAccessKeyUse(state.iam, auth.accessKeyId, {
        at: this.options.now(),
        serviceName: service,
        region: auth.region,
      });
    }
    return this.dispatchService(service, req, this.context({ caller, signedRegion: auth.region }));
  }

  private async dispatchSignIn(route: SignInRoute): Promise<Outcome> {
    let response: SandboxResponse;
    try {
      response = await route.run(this.context());
      // A sign-in may generate an app's key material and records the role's last use.
      this.onWrite();
    } catch (error) {
      if (process.env.CONNECT_OKTA_SSO_SANDBOX_DEBUG) console.error('[sandbox] internal error', error);
      response = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal error' };
    }
    return route.log
      ? {
          kind: 'response',
          response,
          service: route.log.service,
          operation: route.log.operation,
          write: false,
        }
      : { kind: 'response', response, write: false };
  }

  private failAuth(service: ServiceName, req: SandboxRequest, err: ServiceError): Outcome {
    const response = this.emulators[service].renderError(err, this.context(), req);
    return { kind: 'response', response, service, operation: 'Unknown', write: false, errorCode: err.code };
  }

  private async dispatchService(
    service: ServiceName,
    req: SandboxRequest,
    ctx: EmulatorContext,
  ): Promise<Outcome> {
    const emulator = this.emulators[service];
    let op: ResolvedOperation | undefined;
    const base = { service, operation: 'Unknown', write: false };
    let oktaHeaders: Record<string, string> = {};
    try {
      // Okta authenticates in its emulator (an API token or an OAuth access token and its scopes).
      op = emulator.resolve(req, ctx);
      Object.assign(base, { operation: op.operation, write: op.write });

      const latency = this.options.latencyMs;
      const delay = typeof latency === 'number' ? latency : (latency[op.operation] ?? 0);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

      const rate = this.limiter.take(
        service,
        op.operation,
        op.write,
        req.path,
        this.options.now(),
        ctx.signedRegion,
      );
      if (rate.okta) {
        oktaHeaders = {
          'X-Rate-Limit-Limit': String(rate.okta.limit),
          'X-Rate-Limit-Remaining': String(Math.max(0, rate.okta.remaining)),
          'X-Rate-Limit-Reset': String(rate.okta.resetEpochSeconds),
        };
      }
      if (!rate.allowed) throw emulator.throttleError(rate.okta?.resetEpochSeconds ?? 0);

      const fault = this.faults.pick(service, op.operation);
      if (fault === 'reset') return { kind: 'reset', ...base };
      if (fault === 'throttle') {
        // Reset a second in the past: the Okta SDK then retries at once instead of waiting a minute.
        const reset = Math.floor(this.options.now() / 1000) - 1;
        if (service === 'okta') oktaHeaders['X-Rate-Limit-Reset'] = String(reset);
        throw emulator.throttleError(reset);
      }
      if (fault === 'server-error') throw emulator.internalError();

      if (op.action && ctx.caller && ctx.caller.kind !== 'root') {
        this.authorize(ctx, op.action, service, op.resource ?? '*');
      }

      const response = await op.run();
      if (service === 'okta') Object.assign(response.headers, oktaHeaders, this.dateHeader());
      return { kind: 'response', response, ...base };
    } catch (error) {
      const err = error instanceof ServiceError ? error : emulator.internalError();
      if (!(error instanceof ServiceError) && process.env.CONNECT_OKTA_SSO_SANDBOX_DEBUG) {
        console.error('[sandbox] internal error', error);
      }
      const response = emulator.renderError(err, ctx, req);
      if (service === 'okta') Object.assign(response.headers, oktaHeaders, this.dateHeader());
      return { kind: 'response', response, ...base, errorCode: err.code };
    }
  }

  /**
   * Okta's `Date` header from the sandbox clock: the Okta SDK waits `X-Rate-Limit-Reset − Date` before
   * retrying a 429, and both must come from one clock. (AWS responses keep the real date: the AWS SDK
   * would otherwise shift the time it signs with.)
   */
  private dateHeader(): Record<string, string> {
    return { Date: new Date(this.options.now()).toUTCString() };
  }

  /**
   * A request signed by an IAM user's key, or by an assumed role's temporary credentials, is allowed
   * only if the user's (the role's) attached policies allow the action on `resource`.
   */
  private authorize(ctx: EmulatorContext, action: string, service: ServiceName, resource: string): void {
    const caller = ctx.caller;
    if (!caller || caller.kind === 'root') return;
    const user = caller.kind === 'user';
    const documents = user
      ? userPolicyDocuments(ctx.state.iam, caller.userName)
      : rolePolicyDocuments(ctx.state.iam, caller.roleName);
    const principal = user
      ? `arn:aws:iam::${ctx.accountId}:user/${caller.userName}`
      : `arn:aws:sts::${ctx.accountId}:assumed-role/${caller.roleName}/${caller.roleSessionName}`;
    const { decision } = evaluatePolicies(documents, {
      action,
      resource,
      context: user
        ? {
            'aws:userid': caller.userId,
            'aws:username': caller.userName,
            'aws:PrincipalAccount': ctx.accountId,
          }
        : {
            'aws:userid': `${caller.roleId}:${caller.roleSessionName}`,
            'aws:PrincipalArn': caller.roleArn,
            'aws:PrincipalAccount': ctx.accountId,
          },
    });
    if (decision === 'Allow') return;
    const why =
      decision === 'ExplicitDeny'
        ? `with an explicit deny in an identity-based policy`
        : `because no identity-based policy allows the ${action} action`;
    const shown =
      resource !== '*'
        ? resource
        : service === 'iam'
          ? `arn:aws:iam::${ctx.accountId}:*`
          : `arn:aws:${service}:${ctx.signedRegion ?? ctx.region}:${ctx.accountId}:*`;
    const message = `User: ${principal} is not authorized to perform: ${action} on resource: ${shown} ${why}`;
    throw isQuery(service)
      ? new ServiceError('AccessDenied', message, 403)
      : new ServiceError('AccessDeniedException', message, 403);
  }
}

type Outcome =
  | {
      kind: 'response';
      response: SandboxResponse;
      service?: ServiceName;
      operation: string;
      write: boolean;
      errorCode?: string;
    }
  | {
      kind: 'response';
      response: SandboxResponse;
      service?: undefined;
      write: false;
      operation?: undefined;
      errorCode?: undefined;
    }
  | { kind: 'reset'; service: ServiceName; operation: string; write: boolean };

function json(status: number, value: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
