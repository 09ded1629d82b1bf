/**
 * The sandbox's one loopback HTTP server: routing, latency, faults, rate limits and the request log,
 * over the transport (./http-io.ts), authentication (./authenticate.ts) and permission checks
 * (./authorize.ts). What each request means is up to the service emulators.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate } from './authenticate.js';
import { authorize } from './authorize.js';
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
import { json, readRequest } from './http-io.js';
import type { ResolvedSandboxOptions } from './options.js';
import { queryParams } from './query-service.js';
import { resolveSignInRoute, type SignInRoute } from './signin/index.js';
import { parseSigV4Authorization } from './sigv4.js';
import type { SandboxState } from './state.js';
import { UNSIGNED_STS_ACTIONS } from './sts/index.js';
import type { RequestLogEntry, ServiceName } from './types.js';
import { notEmulatedResponse } from './unemulated.js';

export type { ResolvedSandboxOptions } from './options.js';

/** The AWS services a SigV4 credential scope may name, and who answers for an unsigned request. */
const AWS_SERVICES: readonly ServiceName[] = ['iam', 'connect', 'secretsmanager', 'sts'];

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
    const req = await readRequest(incoming);
    if (!req) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('Request entity too large');
      return;
    }
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
      return this.failAuth(
        service,
        req,
        new ServiceError(
          service === 'iam' ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException',
          'Request is missing Authentication Token',
          403,
        ),
      );
    }
    const service = AWS_SERVICES.find((s) => s === auth.service);
    if (!service) {
      return {
        kind: 'response',
        response: notEmulatedResponse(auth.service, req, this.nextRequestId()),
        write: false,
      };
    }
    const authenticated = authenticate(this.getState(), service, req, auth, this.options.now);
    if (!authenticated.ok) return this.failAuth(service, req, authenticated.error);
    const caller = authenticated.caller;
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
        authorize(ctx, op.action, service, op.resource ?? '*');
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
