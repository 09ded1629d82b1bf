/**
 * The internal contract between the sandbox HTTP server (server.ts) and each emulated service
 * (iam.ts, connect.ts, okta.ts). The server does transport, authentication, the request log, latency,
 * faults and rate limits; a service turns one request into an operation and runs it against the state.
 */
import type { SandboxState } from './state.js';
import type { ServiceName } from './types.js';

/** A request as the server read it. `path` is the raw (still percent-encoded) path, without the query. */
export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A response for the server to send. */
export interface SandboxResponse {
  status: number;
  /** Header names as they should be sent. A string[] value sends the header several times. */
  headers: Record<string, string | string[]>;
  body: string | Buffer;
}

/** Who signed an AWS request. */
export type AwsCaller =
  | { kind: 'root'; accessKeyId: string }
  | { kind: 'user'; accessKeyId: string; userName: string; userId: string }
  | {
      kind: 'assumed-role';
      /** The temporary credentials' `ASIA…` key. */
      accessKeyId: string;
      roleName: string;
      roleId: string;
      roleArn: string;
      roleSessionName: string;
    };

/**
 * An error in a service's own terms. Each service renders it in its envelope: IAM `<ErrorResponse>`,
 * Connect `x-amzn-errortype` + `{"Message"}`, Okta `{errorCode, errorSummary, …}`.
 */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    /** IAM/Connect error code (`NoSuchEntity`, `ResourceNotFoundException`) or Okta `errorCode` (`E0000007`). */
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: {
      /** IAM `<Type>`: Sender (4xx) or Receiver (5xx). */
      fault?: 'client' | 'server';
      /** Okta `errorCauses`. */
      causes?: string[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }
}

/**
 * The answer to an operation (or a service) the sandbox does not emulate: `NotImplemented`, HTTP 501
 * (a server error the SDKs do not retry), naming it, in the service's own error envelope.
 */
export function notImplemented(service: string, operation: string): ServiceError {
  return new ServiceError('NotImplemented', `The sandbox does not emulate ${service} ${operation}.`, 501, {
    fault: 'server',
  });
}

/** An operation the service recognised in a request; `run` performs it. */
export interface ResolvedOperation {
  readonly operation: string;
  readonly write: boolean;
  /**
   * The IAM-style action the caller needs (`iam:ListRoles`, `connect:CreateUser`); the server checks it
   * against an IAM user's policies when the request is signed with a key `CreateAccessKey` issued.
   * Absent for Okta.
   */
  readonly action?: string;
  /**
   * The resource ARN the permission check is about, when the operation has resource-level permissions
   * the sandbox checks (Connect `GetFederationToken`: `<instance-arn>/user/<aws:userid>`); `*` otherwise.
   */
  readonly resource?: string;
  run(): SandboxResponse | Promise<SandboxResponse>;
}

/** What a service sees of the sandbox while handling a request. */
export interface EmulatorContext {
  readonly accountId: string;
  /** The sandbox's default region (Connect resources take the region of the request's signature). */
  readonly region: string;
  /** `http://127.0.0.1:PORT`, for absolute URLs (Okta `Link` headers, `_links`, metadata). */
  readonly origin: string;
  readonly instanceCreationMs: number;
  readonly iamConsistencyMs: number;
  readonly failInstanceAliases: readonly string[];
  readonly state: SandboxState;
  /** Epoch ms from the sandbox clock. */
  now(): number;
  /** Deterministic random string from the seeded id generator (`alphabet` default upper-case + digits). */
  randomId(length: number, alphabet?: string): string;
  /** Deterministic UUID v4-shaped string from the seeded id generator. */
  uuid(): string;
  /** A new request id (`x-amzn-requestid`, IAM `<RequestId>`, `X-Okta-Request-Id`). */
  requestId(): string;
  /** The AWS caller of the current request, set by the server after it verified the signature. */
  readonly caller?: AwsCaller;
  /** The SigV4 scope region of the current AWS request. */
  readonly signedRegion?: string;
}

/** One emulated service. */
export interface ServiceEmulator {
  readonly service: ServiceName;
  /** Map a request to an operation; throws {@link ServiceError} (unknown operation, bad route). */
  resolve(req: SandboxRequest, ctx: EmulatorContext): ResolvedOperation;
  /** Render an error in the service's envelope. */
  renderError(err: ServiceError, ctx: EmulatorContext, req: SandboxRequest): SandboxResponse;
  /** The service's throttling error (for faults and rate limits). `resetEpochSeconds` for Okta headers. */
  throttleError(resetEpochSeconds: number): ServiceError;
  /** The service's internal error (for faults and for bugs caught by the server). */
  internalError(): ServiceError;
}

/** A service module's factory. */
export type EmulatorFactory = () => ServiceEmulator;
