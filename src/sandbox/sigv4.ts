/**
 * AWS Signature Version 4, checked the way AWS checks it: the server rebuilds the canonical request
 * from what arrived on the wire and compares signatures in constant time. Only header-based signing
 * (`Authorization: AWS4-HMAC-SHA256 …`) is supported: that is what the SDK clients send.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest } from './emulator.js';

export interface SigV4Authorization {
  accessKeyId: string;
  /** `YYYYMMDD` of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parse the `Authorization` header; `undefined` when it is not a SigV4 header. */
export function parseSigV4Authorization(header: string | undefined): SigV4Authorization | undefined {
  if (!header?.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential?.length !== 5 || credential[4] !== 'aws4_request') return undefined;
  if (!signedHeaders || !signature) return undefined;
  const [accessKeyId, date, region, service] = credential as [string, string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** RFC 3986 encoding as the AWS signer does it (`encodeURIComponent` plus `!'()*`). */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonical path: normalised segments, then URI-encoded once more (the raw path is already encoded). */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of query) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([escapeUri(key), escapeUri(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export type SigV4Failure =
  | { reason: 'mismatch' }
  | { reason: 'expired'; message: string }
  | { reason: 'incomplete'; message: string };

/**
 * Verify a request signed with `auth` using `secretAccessKey`. Returns `undefined` when it is valid.
 * `nowMs` is the sandbox clock; AWS rejects requests more than 15 minutes off.
 */
export function verifySigV4(
  req: SandboxRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
  nowMs: number,
): SigV4Failure | undefined {
  const amzDate = req.headers['x-amz-date'];
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return {
      reason: 'incomplete',
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  }
  if (!auth.signedHeaders.includes('host')) {
    return {
      reason: 'incomplete',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    };
  }
  const signedAt = Date.UTC(
    Number(amzDate.slice(0, 4)),
    Number(amzDate.slice(4, 6)) - 1,
    Number(amzDate.slice(6, 8)),
    Number(amzDate.slice(9, 11)),
    Number(amzDate.slice(11, 13)),
    Number(amzDate.slice(13, 15)),
  );
  const skewMs = 15 * 60 * 1000;
  if (Math.abs(nowMs - signedAt) > skewMs) {
    const fmt = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    const message =
      signedAt < nowMs
        ? `Signature expired: ${amzDate} is now earlier than ${fmt(nowMs - skewMs)} (${fmt(nowMs)} - 15 min.)`
        : `Signature not yet current: ${amzDate} is still later than ${fmt(nowMs + skewMs)} (${fmt(nowMs)} + 15 min.)`;
    return { reason: 'expired', message };
  }
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = req.headers['x-amz-content-sha256'] ?? sha256Hex(req.body);
  const canonicalRequest = [
    req.method,
    canonicalPath(req.path),
    canonicalQuery(req.query),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, auth.date);
  key = hmac(key, auth.region);
  key = hmac(key, auth.service);
  key = hmac(key, 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'), 'utf8');
  const given = Buffer.from(auth.signature, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { reason: 'mismatch' };
  return undefined;
}
