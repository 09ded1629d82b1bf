/**
 * Raw Okta calls through the SDK's own transport (`client.http`), which keeps its authentication,
 * its 429 back-off on `X-Rate-Limit-Reset` and its error parsing. The typed API is not usable for the
 * `amazon_aws` app: its serializer silently drops `settings.app` both ways (design §5.1), and it cannot
 * parse the metadata's `application/xml;charset=ISO-8859-1` (§5.2).
 */
import type { SsoContext } from '../../core/context.js';
import { ConnectSsoError, ProviderError } from '../../core/errors.js';

/** What the Okta SDK's errors carry (`OktaApiError` for JSON bodies, `HttpError` otherwise). */
interface OktaSdkError {
  name?: string;
  message?: string;
  status?: number;
  errorCode?: string;
  errorSummary?: string;
  errorCauses?: { errorSummary?: string }[];
  headers?: { get?(name: string): string | null };
}

/** Whether `error` is an Okta error with this `errorCode` (`E0000007`) or HTTP status. */
export function isOktaError(error: unknown, codeOrStatus: string | number): boolean {
  if (error instanceof ProviderError) {
    return (
      error.service === 'okta' && (error.providerCode === codeOrStatus || error.httpStatus === codeOrStatus)
    );
  }
  const e = error as OktaSdkError | undefined;
  return e?.errorCode === codeOrStatus || e?.status === codeOrStatus;
}

function toProviderError(operation: string, error: unknown): ProviderError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as OktaSdkError;
  const causes = (e.errorCauses ?? []).map((c) => c.errorSummary).filter(Boolean);
  const summary = e.errorSummary ?? e.message ?? String(error);
  const message = causes.length > 0 ? `${summary} (${causes.join('; ')})` : summary;
  return new ProviderError({
    service: 'okta',
    operation,
    message,
    providerCode: e.errorCode,
    requestId: e.headers?.get?.('x-okta-request-id') ?? undefined,
    httpStatus: e.status,
    cause: error,
  });
}

/** Attempts of one call that fails transiently (5xx, reset connection), counting the first. */
const TRANSIENT_ATTEMPTS = 6;
const TRANSIENT_BASE_DELAY_MS = 100;
const TRANSIENT_MAX_DELAY_MS = 5_000;

/**
 * Whether an Okta SDK error is worth a retry: a 5xx or a network failure (node-fetch's `FetchError` of
 * type `system`: reset, refused, timed out). Not a 429: the SDK already waits for `X-Rate-Limit-Reset`
 * and retries, and bulk callers pace themselves on what is left.
 */
export function isTransientOktaError(error: unknown): boolean {
  const e = (error instanceof ProviderError ? error.cause : error) as
    | (OktaSdkError & { type?: string; code?: string })
    | undefined;
  if (typeof e !== 'object' || e === null) return false;
  if (typeof e.status === 'number') return e.status >= 500 && e.status !== 501;
  return e.name === 'FetchError' && (e.type === 'system' || e.type === 'request-timeout');
}

/** Options of {@link oktaCall}. */
export interface OktaCallOptions {
  /**
   * Retry transient failures (a 5xx, a reset connection), with backoff, up to 6 attempts. Only for calls whose repetition is harmless: reads, full replaces, deletes, and writes
   * that are upserts or whose duplicate Okta refuses. Default false.
   */
  retry?: boolean;
}

/** The SDK has no abort: race the call with the signal, so an aborted run stops waiting at once. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Run an Okta call made with the SDK (typed API or raw transport), mapping its errors to
 * {@link ProviderError}. The SDK's messages never contain the API token. The SDK itself retries only
 * 429s; `options.retry` adds bounded retries of other transient failures for calls safe to repeat. An
 * abort of the context's signal ends the wait at once (the SDK cannot cancel the request itself).
 */
export async function oktaCall<T>(
  ctx: SsoContext,
  operation: string,
  call: () => Promise<T>,
  options: OktaCallOptions = {},
): Promise<T> {
  ctx.signal?.throwIfAborted();
  ctx.logger.debug(`okta ${operation}`, { service: 'okta', operation });
  ctx.onCall?.({ service: 'okta', operation });
  const attempts = options.retry ? TRANSIENT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await raceAbort(call(), ctx.signal);
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      if (error instanceof ConnectSsoError) throw error;
      if (attempt >= attempts || !isTransientOktaError(error)) throw toProviderError(operation, error);
      const cap = Math.min(TRANSIENT_MAX_DELAY_MS, TRANSIENT_BASE_DELAY_MS * 2 ** (attempt - 1));
      const delay = Math.round(cap / 2 + Math.random() * (cap / 2));
      ctx.logger.debug(`okta ${operation}: transient failure, retrying in ${delay} ms`, {
        service: 'okta',
        operation,
        attempt,
      });
      await ctx.clock.sleep(delay, ctx.signal);
    }
  }
}

export interface OktaRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path from the org root, e.g. `/api/v1/apps/0oa1`, or an absolute URL (a `Link` next page). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Default `application/json`. */
  accept?: string;
  /**
   * Retry transient failures ({@link OktaCallOptions.retry}). Default: true for GET, PUT and DELETE
   * (repeating them is harmless), false for POST — pass true only for a POST whose repetition is harmless
   * (a lifecycle change, an upsert, a create Okta refuses as a duplicate); a POST that creates must
   * re-read what exists before it tries again, which the caller does.
   */
  retry?: boolean;
}

export interface OktaResponse<T> {
  data: T;
  /** The `rel="next"` URL of a paged list, if any. */
  next?: string;
}

function nextLink(linkHeader: string | null): string | undefined {
  if (!linkHeader) return undefined;
  for (const part of linkHeader.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** One raw call. JSON in and out unless `accept` says otherwise (then `data` is the text). */
export async function oktaRequest<T>(
  ctx: SsoContext,
  operation: string,
  request: OktaRequest,
): Promise<OktaResponse<T>> {
  const client = await ctx.okta();
  return oktaCall(
    ctx,
    operation,
    async () => {
      let url = request.path.startsWith('http') ? request.path : `${client.baseUrl}${request.path}`;
      const query = Object.entries(request.query ?? {}).filter(([, v]) => v !== undefined);
      if (query.length > 0) {
        const params = new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)]));
        url += `${url.includes('?') ? '&' : '?'}${params}`;
      }
      const accept = request.accept ?? 'application/json';
      const response = await client.http.http(url, {
        method: request.method,
        headers: {
          Accept: accept,
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      const text = await response.text();
      const data = (accept.includes('json') ? (text.length > 0 ? JSON.parse(text) : undefined) : text) as T;
      const next = nextLink(response.headers.get('link'));
      return next ? { data, next } : { data };
    },
    { retry: request.retry ?? request.method !== 'POST' },
  );
}

/** Every item of a paged Okta list, following the `Link: <…>; rel="next"` headers. */
export async function* oktaPages<T>(
  ctx: SsoContext,
  operation: string,
  path: string,
  query: OktaRequest['query'] = {},
): AsyncGenerator<T[], void, undefined> {
  let page = await oktaRequest<T[]>(ctx, operation, { method: 'GET', path, query });
  yield page.data;
  while (page.next) {
    page = await oktaRequest<T[]>(ctx, operation, { method: 'GET', path: page.next });
    yield page.data;
  }
}
