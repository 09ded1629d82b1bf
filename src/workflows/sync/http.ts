/**
 * The Node `http` adapter of the event hook handler: `http.createServer(oktaEventHookListener(handler))`.
 * It reads the body (up to a limit, so a huge request cannot fill memory), calls the handler and writes
 * its answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OktaEventHookHandler, OktaHookRequest } from './hook.js';

/** Options of {@link oktaEventHookListener}. */
export interface OktaEventHookListenerOptions {
  /** The largest body read, bytes; a larger request gets 413 without being read. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Only requests for this path are served (others get 404). Default: every path. */
  path?: string;
}

/**
 * A `(req, res)` listener for Node's `http.createServer` (or `https`) that serves the event hook
 * handler. Errors never escape: a failure to read the body is a 400.
 */
export function oktaEventHookListener(
  handler:
    | OktaEventHookHandler
    | ((
        request: OktaHookRequest,
      ) => Promise<{ status: number; headers: Record<string, string>; body: string }>),
  options: OktaEventHookListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const max = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    const send = (status: number, headers: Record<string, string>, body: string) => {
      if (res.headersSent) return;
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (options.path !== undefined && path !== options.path) {
      send(404, { 'content-type': 'application/json' }, '{"error":"not found"}');
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      send(413, { 'content-type': 'application/json' }, '{"error":"body too large"}');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => send(400, { 'content-type': 'application/json' }, '{"error":"bad request"}'));
    req.on('end', () => {
      if (tooLarge) {
        send(413, { 'content-type': 'application/json' }, '{"error":"body too large"}');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      handler({ method: req.method ?? 'GET', headers: req.headers, body }).then(
        (answer) => send(answer.status, answer.headers, answer.body),
        () => send(500, { 'content-type': 'application/json' }, '{"error":"internal error"}'),
      );
    });
  };
}
