/**
 * What the models say about operations (read or write, IAM action, declared errors) and about error codes
 * (status and fault), plus the errors the real services return that the models do not declare.
 */
import { ServiceError } from '../emulator.js';
import { type AwsServiceName, type HttpBinding, MODELS, opOf } from './model.js';

/** A modelled error of an operation. */
export interface ErrorInfo {
  /** Smithy shape name, which the SDK uses as the error class name (`NoSuchEntityException`). */
  readonly shape: string;
  /** Wire code: IAM `<Code>` (`NoSuchEntity`), Connect `x-amzn-errortype` (`ResourceNotFoundException`). */
  readonly code: string;
  readonly status: number;
  readonly fault: 'client' | 'server';
}

/** What the model says about one operation. */
export interface OperationInfo {
  readonly service: AwsServiceName;
  readonly operation: string;
  /** Reads state only (model `readonly`, else GET / Get|List|Describe|Search by convention). */
  readonly readonly: boolean;
  /** `!readonly`, for the request log. */
  readonly write: boolean;
  /** The IAM-style action (`iam:CreateRole`, `connect:CreateUser`). */
  readonly action: string;
  readonly errors: readonly ErrorInfo[];
  /** Connect `smithy.api#http` binding. */
  readonly http?: HttpBinding;
}

const opInfoCache = new Map<string, OperationInfo>();

/**
 * The model's view of an operation, or `undefined` when the operation is not part of the emulated set.
 * Cached; cheap to call per request.
 */
export function operationInfo(service: AwsServiceName, operation: string): OperationInfo | undefined {
  const cacheKey = `${service}:${operation}`;
  const cached = opInfoCache.get(cacheKey);
  if (cached) return cached;
  const op = opOf(service, operation);
  if (!op) return undefined;
  const errors: ErrorInfo[] = [];
  for (const shape of op.errors) {
    const info = errorInfoFromShape(service, shape);
    if (info) errors.push(info);
  }
  const info: OperationInfo = {
    service,
    operation,
    readonly: op.readonly,
    write: !op.readonly,
    action: `${service}:${operation}`,
    errors,
    ...(op.http && { http: op.http }),
  };
  opInfoCache.set(cacheKey, info);
  return info;
}

function errorInfoFromShape(service: AwsServiceName, shapeName: string): ErrorInfo | undefined {
  const s = MODELS[service].shapes[shapeName];
  if (!s?.error) return undefined;
  const query = service !== 'connect';
  const code = query && s.queryError ? s.queryError.code : shapeName;
  const status = (query ? s.queryError?.httpResponseCode : undefined) ?? s.httpError ?? 400;
  return { shape: shapeName, code, status, fault: s.error };
}

/**
 * Errors the real services return that their models do not declare (framework, auth, throttling).
 * Status per research/aws.md §2.6 and §1.9.
 */
const UNMODELLED_ERRORS: Readonly<Record<AwsServiceName, Readonly<Record<string, number>>>> = {
  iam: {
    ValidationError: 400,
    Throttling: 400,
    AccessDenied: 403,
    InvalidClientTokenId: 403,
    SignatureDoesNotMatch: 403,
    IncompleteSignature: 400,
    MissingAuthenticationToken: 403,
    InvalidAction: 400,
    MissingAction: 400,
    MalformedQueryString: 400,
    InternalFailure: 500,
    ServiceUnavailable: 503,
    NotImplemented: 501,
  },
  sts: {
    ValidationError: 400,
    Throttling: 400,
    AccessDenied: 403,
    InvalidClientTokenId: 403,
    SignatureDoesNotMatch: 403,
    IncompleteSignature: 400,
    MissingAuthenticationToken: 403,
    InvalidAction: 400,
    MissingAction: 400,
    InternalFailure: 500,
    ServiceUnavailable: 503,
    NotImplemented: 501,
  },
  connect: {
    SerializationException: 400,
    ValidationException: 400,
    UnknownOperationException: 404,
    UnrecognizedClientException: 403,
    InvalidSignatureException: 403,
    IncompleteSignatureException: 403,
    MissingAuthenticationTokenException: 403,
    ServiceUnavailableException: 503,
    NotImplemented: 501,
  },
};

let errorIndex: Map<string, ErrorInfo> | undefined;

function errorsByCode(): Map<string, ErrorInfo> {
  if (errorIndex) return errorIndex;
  const index = new Map<string, ErrorInfo>();
  for (const service of ['iam', 'connect', 'sts'] as const) {
    for (const [code, status] of Object.entries(UNMODELLED_ERRORS[service])) {
      index.set(`${service}:${code}`, {
        shape: code,
        code,
        status,
        fault: status >= 500 ? 'server' : 'client',
      });
    }
    for (const name of Object.keys(MODELS[service].shapes)) {
      const info = errorInfoFromShape(service, name);
      if (!info) continue;
      index.set(`${service}:${info.code}`, info);
      index.set(`${service}:${info.shape}`, info);
    }
  }
  errorIndex = index;
  return index;
}

/**
 * The error a code stands for: a modelled error (by wire code `NoSuchEntity` or shape name
 * `NoSuchEntityException`) or a well-known unmodelled one (`ValidationError`, `Throttling`,
 * `SerializationException`…).
 */
export function errorInfo(service: AwsServiceName, code: string): ErrorInfo | undefined {
  return errorsByCode().get(`${service}:${code}`);
}

/** HTTP status of an error code (`smithy.api#httpError` / `awsQueryError`), or `undefined` if unknown. */
export function errorStatus(service: AwsServiceName, code: string): number | undefined {
  return errorInfo(service, code)?.status;
}

/**
 * A {@link ServiceError} for a modelled (or well-known) error code, with its model status and fault.
 * Unknown codes get 400 / client.
 */
export function modelError(service: AwsServiceName, code: string, message: string): ServiceError {
  const info = errorInfo(service, code);
  return new ServiceError(code, message, info?.status ?? 400, { fault: info?.fault ?? 'client' });
}
