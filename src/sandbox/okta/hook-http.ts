/**
 * The HTTP side of Okta's calls to an event hook: the one-time verification GET (./event-hooks.ts) and
 * each delivery POST (./hook-delivery.ts) go through {@link callHook}, which calls loopback addresses
 * only (the sandbox never leaves the machine), with Okta's timeout, and never throws.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OktaEventHook } from './state.js';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|::1)$/i;

/** Whether the sandbox may call this URI (it never leaves the machine). */
export function isLoopbackUri(uri: string): boolean {
  try {
    return LOOPBACK.test(new URL(uri).hostname);
  } catch {
    return false;
  }
}

export interface HookCall {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HookAnswer {
  status: number;
  body: string;
  error?: string;
}

/** One HTTP call to a hook's URI (loopback only), with a timeout; never throws. */
export function callHook(uri: string, call: HookCall): Promise<HookAnswer> {
  if (!isLoopbackUri(uri)) {
    return Promise.resolve({
      status: 0,
      body: '',
      error: `the sandbox calls only loopback addresses, not ${uri}`,
    });
  }
  const url = new URL(uri);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HookAnswer>((resolve) => {
    let settled = false;
    const done = (answer: HookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const req = request(
      url,
      {
        method: call.method,
        agent: false,
        headers: {
          ...call.headers,
          ...(call.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(call.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 64 * 1024) chunks.push(chunk);
        });
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => done({ status: 0, body: '', error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 0, body: '', error: `no answer within ${call.timeoutMs} ms` });
    }, call.timeoutMs);
    const onAbort = () => {
      req.destroy();
      done({ status: 0, body: '', error: 'the sandbox stopped' });
    };
    call.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => done({ status: 0, body: '', error: error.message }));
    req.end(call.body);
  });
}

/** The headers Okta sends to a hook: its custom headers and its authorization header. */
export function hookHeaders(hook: OktaEventHook): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  for (const { key, value } of hook.headers) headers[key] = value;
  if (hook.authHeader && hook.secret !== null) headers[hook.authHeader] = hook.secret;
  return headers;
}
