/**
 * Every AWS call of the library goes through {@link awsCall}: it passes the abort signal, logs the
 * operation (never its input), and turns SDK errors into {@link ProviderError}s that carry the service,
 * operation, request id and AWS's error code — and nothing of the signed request.
 */
import type { SsoContext } from '../../core/context.js';
import { ConnectSsoError, ProviderError } from '../../core/errors.js';

/** What the AWS SDK v3 puts on a service error. */
interface AwsSdkError {
  name?: string;
  message?: string;
  Code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function asAwsError(error: unknown): AwsSdkError | undefined {
  return typeof error === 'object' && error !== null && ('$metadata' in error || 'name' in error)
    ? (error as AwsSdkError)
    : undefined;
}

/**
 * The error code of an AWS SDK error as the wire carries it (`NoSuchEntity`,
 * `ResourceNotFoundException`). The SDK names IAM error classes after their shapes
 * (`NoSuchEntityException`), so both spellings are accepted by {@link isAwsError}.
 */
export function awsErrorCode(error: unknown): string | undefined {
  if (error instanceof ProviderError) return error.providerCode;
  const e = asAwsError(error);
  return e?.Code ?? e?.name;
}

/** Whether `error` is the AWS error `code` (with or without the SDK's `Exception` suffix). */
export function isAwsError(error: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(error);
  if (!code) return false;
  return codes.some((c) => code === c || code === `${c}Exception` || `${code}Exception` === c);
}

export type AwsService = 'iam' | 'connect';

/**
 * Run one AWS call. `send` receives the options to pass to `client.send(command, options)`.
 * @throws {ProviderError} for every AWS error; the abort reason when the context's signal aborts.
 */
export async function awsCall<T>(
  ctx: SsoContext,
  service: AwsService,
  operation: string,
  send: (options: { abortSignal?: AbortSignal }) => Promise<T>,
): Promise<T> {
  ctx.signal?.throwIfAborted();
  ctx.logger.debug(`${service} ${operation}`, { service, operation });
  ctx.onCall?.({ service, operation });
  try {
    return await send(ctx.signal ? { abortSignal: ctx.signal } : {});
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    if (error instanceof ConnectSsoError) throw error;
    const e = asAwsError(error);
    throw new ProviderError({
      service,
      operation,
      message: e?.message || e?.name || String(error),
      // IAM's wire codes have no suffix (`NoSuchEntity`) but the SDK names the class with one.
      providerCode: service === 'iam' ? awsErrorCode(error)?.replace(/Exception$/, '') : awsErrorCode(error),
      requestId: e?.$metadata?.requestId,
      httpStatus: e?.$metadata?.httpStatusCode,
      cause: error,
    });
  }
}

/**
 * Every page of a paged AWS list, each fetched through {@link awsCall}. `send` gets the page token
 * (undefined for the first page); `next` reads the token of the following page from a page.
 */
export async function* awsPages<T>(
  ctx: SsoContext,
  service: AwsService,
  operation: string,
  send: (token: string | undefined, options: { abortSignal?: AbortSignal }) => Promise<T>,
  next: (page: T) => string | undefined,
): AsyncGenerator<T, void, undefined> {
  let token: string | undefined;
  do {
    const page = await awsCall(ctx, service, operation, (o) => send(token, o));
    yield page;
    token = next(page);
  } while (token);
}

/** Connect's paging: `NextToken`. */
export const nextToken = (page: { NextToken?: string | undefined }): string | undefined => page.NextToken;

/** IAM's paging: `Marker`, valid while `IsTruncated`. */
export const nextMarker = (page: {
  IsTruncated?: boolean | undefined;
  Marker?: string | undefined;
}): string | undefined => (page.IsTruncated ? page.Marker : undefined);
