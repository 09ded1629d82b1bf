/**
 * The custom resource response: its body (under CloudFormation's 4 KB, free of secrets) and its PUT
 * to the pre-signed `ResponseURL`, retried within bounds.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock, Logger } from '../core/context.js';
import type { CustomResourceEvent, CustomResourceResponse } from './types.js';

/** CloudFormation refuses a response body over 4096 bytes. */
export const MAX_RESPONSE_BYTES = 4096;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Cut `text` to at most `max` bytes (whole characters), marking the cut. */
export function truncateBytes(text: string, max: number, marker = '… (truncated)'): string {
  if (bytes(text) <= max) return text;
  const room = Math.max(0, max - bytes(marker));
  let out = '';
  for (const ch of text) {
    if (bytes(out) + bytes(ch) > room) break;
    out += ch;
  }
  return out + marker;
}

/** Replaces every occurrence of the given secret values (and their JSON-escaped forms) by `[redacted]`. */
export type Scrubber = (text: string) => string;

/** A scrubber for these secrets; values shorter than 6 characters are not scrubbed (too many false hits). */
export function scrubberFor(secrets: readonly string[]): Scrubber {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < 6) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    for (const line of s.split(/\r?\n/)) if (line.trim().length >= 16) forms.add(line.trim());
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const f of sorted) out = out.split(f).join('[redacted]');
    return out;
  };
}

/**
 * The response for a request: within 4 KB (the reason is cut first, then `Data.ManualActions`, then the
 * other attributes, last first), scrubbed of the given secrets.
 */
export function buildResponse(
  event: Pick<CustomResourceEvent, 'StackId' | 'RequestId' | 'LogicalResourceId'>,
  outcome: {
    status: 'SUCCESS' | 'FAILED';
    reason: string;
    physicalResourceId: string;
    data?: Record<string, string> | undefined;
  },
  options: { scrub?: Scrubber; logStreamName?: string | undefined } = {},
): CustomResourceResponse {
  const scrub = options.scrub ?? ((t: string) => t);
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(outcome.data ?? {})) data[k] = scrub(v);
  const where = options.logStreamName ? ` (full text in CloudWatch log stream ${options.logStreamName})` : '';
  const response: CustomResourceResponse = {
    Status: outcome.status,
    Reason: scrub(outcome.reason) || (outcome.status === 'SUCCESS' ? 'done' : 'failed'),
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    ...(Object.keys(data).length > 0 ? { Data: data } : {}),
  };
  const size = () => bytes(JSON.stringify(response));
  // The reason first: keep its start (what failed, the field) and say where the rest is.
  if (size() > MAX_RESPONSE_BYTES) {
    const others = size() - bytes(JSON.stringify(response.Reason));
    const room = Math.max(200, MAX_RESPONSE_BYTES - others - 2);
    response.Reason = truncateBytes(response.Reason, room, `… (truncated${where})`);
  }
  if (size() > MAX_RESPONSE_BYTES && response.Data?.ManualActions !== undefined) {
    const over = size() - MAX_RESPONSE_BYTES;
    const keep = Math.max(0, bytes(response.Data.ManualActions) - over - 64);
    response.Data.ManualActions = truncateBytes(
      response.Data.ManualActions,
      keep,
      `… (truncated${where}; the plan lists every step)`,
    );
  }
  if (size() > MAX_RESPONSE_BYTES && response.Data) {
    // Still too big (a very long config): drop attributes from the end, reason last.
    const keys = Object.keys(response.Data);
    while (size() > MAX_RESPONSE_BYTES && keys.length > 0) delete response.Data[keys.pop() as string];
  }
  if (size() > MAX_RESPONSE_BYTES) response.Reason = truncateBytes(response.Reason, 200);
  return response;
}

/** Options of {@link sendResponse}. */
export interface SendResponseOptions {
  /** Attempts in all. Default 6. */
  attempts?: number;
  /** Per-attempt timeout, ms. Default 10 000. */
  timeoutMs?: number;
  /** For backoff sleeps. */
  clock: Clock;
  /** Where attempts are logged (the URL never is: it is a credential for this stack's response). */
  logger: Logger;
}

function putOnce(url: URL, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = request(
      url,
      {
        method: 'PUT',
        // The pre-signed URL is signed for an empty content type: any other value fails with 403.
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * PUT the response to the request's pre-signed URL. Retries network errors and 5xx answers with
 * exponential backoff (0.25 s doubling, at most 8 s) up to `attempts`; a 4xx (an expired URL, a bad
 * signature) is final.
 * @throws {Error} when every attempt failed (the request then times out in CloudFormation).
 */
export async function sendResponse(
  responseUrl: string,
  response: CustomResourceResponse,
  options: SendResponseOptions,
): Promise<void> {
  const url = new URL(responseUrl);
  const body = JSON.stringify(response);
  const attempts = options.attempts ?? 6;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await putOnce(url, body, options.timeoutMs ?? 10_000);
      if (status >= 200 && status < 300) {
        options.logger.info(`sent ${response.Status} for ${response.LogicalResourceId}`, {
          status: response.Status,
          physicalResourceId: response.PhysicalResourceId,
          bytes: Buffer.byteLength(body),
        });
        return;
      }
      last = new Error(`the response URL answered HTTP ${status}`);
      if (status < 500 && status !== 429) break;
    } catch (error) {
      last = error;
    }
    if (attempt < attempts) {
      const delay = Math.min(8_000, 250 * 2 ** (attempt - 1));
      options.logger.warn(
        `response PUT failed (attempt ${attempt} of ${attempts}); retrying in ${delay} ms`,
        {
          error: (last as Error).message,
        },
      );
      await options.clock.sleep(delay);
    }
  }
  throw new Error(`could not deliver the response to CloudFormation: ${(last as Error).message}`);
}
