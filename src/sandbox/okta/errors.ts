/**
 * Okta's error envelope and the errors the emulator raises, worded as Okta words them
 * (developer.okta.com/docs/reference/error-codes; recorded traffic in research/okta.md §4.1).
 */
import {
  type EmulatorContext,
  type SandboxRequest,
  type SandboxResponse,
  ServiceError,
} from '../emulator.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function oktaError(
  code: string,
  summary: string,
  status: number,
  causes: string[] = [],
): ServiceError {
  return new ServiceError(code, summary, status, { causes });
}

/** 404 E0000007 `Not found: Resource not found: <id> (<Type>)` (Type `AppInstance`, `User`, …). */
export function notFound(id: string, type: string): ServiceError {
  return oktaError('E0000007', `Not found: Resource not found: ${id} (${type})`, 404);
}

/** 400 E0000001 `Api validation failed: <field>` with its causes (`<field>: <why>`). */
export function validationFailed(field: string, ...causes: string[]): ServiceError {
  return oktaError('E0000001', `Api validation failed: ${field}`, 400, causes);
}

export function blankField(field: string): ServiceError {
  return validationFailed(field, `${field}: The field cannot be left blank`);
}

export function notAllowedValue(field: string, value?: string): ServiceError {
  const shown = value === undefined ? '' : `: ${JSON.stringify(value)}`;
  return validationFailed(field, `${field}: Not one of the allowed values${shown}.`);
}

export const malformedBody = (): ServiceError =>
  oktaError('E0000003', 'The request body was not well-formed.', 400);

export const badMediaType = (): ServiceError =>
  oktaError(
    'E0000019',
    'Bad request. Accept and/or Content-Type headers likely do not match supported values.',
    400,
  );

export const methodNotAllowed = (): ServiceError =>
  oktaError('E0000022', 'The endpoint does not support the provided HTTP method', 405);

export const invalidSearch = (): ServiceError => oktaError('E0000031', 'Invalid search criteria.', 400);

export const forbidden = (): ServiceError =>
  oktaError('E0000006', 'You do not have permission to perform the requested action', 403);

export const deleteActiveApp = (): ServiceError =>
  oktaError('E0000056', 'Delete application forbidden.', 403, [
    'The application must be deactivated before deletion.',
  ]);

export const rateLimited = (): ServiceError =>
  oktaError('E0000047', 'API call exceeded rate limit due to too many requests.', 429);

export const internal = (): ServiceError => oktaError('E0000009', 'Internal Server Error', 500);

/** Okta's JSON error body; `errorId` is `oae` + 22 characters like the real ones. */
export function renderOktaError(
  err: ServiceError,
  ctx: EmulatorContext,
  _req: SandboxRequest,
): SandboxResponse {
  const causes = err.extra.causes ?? [];
  const body = {
    errorCode: err.code,
    errorSummary: err.message,
    errorLink: err.code,
    errorId: `oae${ctx.randomId(22, ALNUM)}`,
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
  return {
    status: err.status,
    headers: {
      'Content-Type': 'application/json',
      'X-Okta-Request-Id': ctx.requestId(),
      ...(err.extra.headers ?? {}),
    },
    body: JSON.stringify(body),
  };
}
