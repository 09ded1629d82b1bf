/**
 * The server's side of HTTP: a Node request read into a {@link SandboxRequest}, and JSON responses.
 */
import type { IncomingMessage } from 'node:http';
import type { SandboxRequest, SandboxResponse } from './emulator.js';

/** Larger than any legal request: SAML metadata may be 10,000,000 characters, URL-encoded in a form. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The request with its whole body, or undefined when the body is larger than any legal request. */
export async function readRequest(incoming: IncomingMessage): Promise<SandboxRequest | undefined> {
  let body: Buffer;
  try {
    body = await readBody(incoming);
  } catch {
    return undefined;
  }
  const url = incoming.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: incoming.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers,
    body,
  };
}

/** A JSON response. */
export function json(status: number, value: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
