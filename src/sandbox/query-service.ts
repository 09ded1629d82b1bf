/**
 * The emulator of an awsQuery service (IAM, STS): a form-encoded `POST /` with `Action=…&Version=…`,
 * XML responses, errors in `<ErrorResponse>` in the service's namespace. Both services route, parse,
 * validate and render the same way; each gives its operations' handlers and its own error codes.
 */
import {
  operationInfo,
  otherOperation,
  parseQueryInput,
  type QueryServiceName,
  renderQueryError,
  serializeQueryOutput,
  validateInput,
} from './aws-model.js';
import {
  type EmulatorContext,
  notImplemented,
  type SandboxRequest,
  type SandboxResponse,
  type ServiceEmulator,
  type ServiceError,
} from './emulator.js';

/** A handler takes the parsed, validated input of its operation (see ./aws-model.ts). */
export type QueryHandler = (ctx: EmulatorContext, input: never) => object;

/** What one awsQuery service is made of. */
export interface QueryServiceSpec {
  readonly service: QueryServiceName;
  /** The service as a `NotImplemented` message names it (`AWS IAM`). */
  readonly title: string;
  /** The one API version the service answers (`Version=`; a request without one gets it). */
  readonly apiVersion: string;
  /** The emulated operations by action name. */
  readonly handlers: Readonly<Record<string, QueryHandler>>;
  /**
   * Whether a request needs the operation's IAM action (checked by the server against the caller's
   * policies). IAM's do; STS's need none.
   */
  readonly authorize: boolean;
  /** The service's client error (`MissingAction`, `InvalidAction`: HTTP 400). */
  error(code: string, message: string, status: number): ServiceError;
  throttleError(): ServiceError;
  internalError(): ServiceError;
}

/** The request's parameters: the form body, plus the URL query (awsQuery accepts both). */
export function queryParams(req: SandboxRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  const type = req.headers['content-type'] ?? '';
  if (req.body.length > 0 && (type === '' || type.includes('x-www-form-urlencoded'))) {
    for (const [name, value] of new URLSearchParams(req.body.toString('utf8'))) params.append(name, value);
  }
  return params;
}

function xmlResponse(status: number, body: string, requestId: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** The emulator of the awsQuery service `spec` describes. */
export function createQueryEmulator(spec: QueryServiceSpec): ServiceEmulator {
  const { service, apiVersion, handlers } = spec;
  return {
    service,

    resolve(req, ctx) {
      const params = queryParams(req);
      const action = params.get('Action');
      if (action === null || action === '') throw spec.error('MissingAction', 'Missing Action', 400);
      const version = params.get('Version') ?? apiVersion;
      const handler = Object.hasOwn(handlers, action) ? handlers[action] : undefined;
      const info = operationInfo(service, action);
      // An operation of the service that the sandbox does not emulate is named; an unknown one is InvalidAction.
      if (version === apiVersion && (!handler || !info) && otherOperation(service, action)) {
        throw notImplemented(spec.title, action);
      }
      if (!handler || !info || version !== apiVersion) {
        throw spec.error('InvalidAction', `Could not find operation ${action} for version ${version}`, 400);
      }
      return {
        operation: action,
        write: info.write,
        ...(spec.authorize ? { action: info.action } : {}),
        run: () => {
          const input = parseQueryInput(action, params, service);
          validateInput(service, action, input);
          const output = handler(ctx, input as never);
          const requestId = ctx.requestId();
          return xmlResponse(200, serializeQueryOutput(action, output, requestId, service), requestId);
        },
      };
    },

    renderError(err, ctx) {
      const requestId = ctx.requestId();
      const fault = err.extra.fault ?? (err.status >= 500 ? 'server' : 'client');
      const response = xmlResponse(
        err.status,
        renderQueryError(err.code, err.message, fault, requestId, service),
        requestId,
      );
      Object.assign(response.headers, err.extra.headers ?? {});
      return response;
    },

    throttleError: () => spec.throttleError(),
    internalError: () => spec.internalError(),
  };
}
