/**
 * App signing keys: RSA 2048 key pairs and self-signed X.509 certificates shaped like Okta's (decoded
 * from recorded traffic: v3, no extensions, serial = creation time in ms, sha256WithRSAEncryption,
 * subject = issuer = `C=US, ST=California, L=San Francisco, O=Okta, OU=SSOProvider, CN=<org>,
 * emailAddress=info@okta.com`, notBefore one minute before creation, valid N years).
 *
 * Key generation takes 50–200 ms, so a key record is created at once (its `kid` is needed in the app
 * JSON) and its material is generated asynchronously the first time a request needs it.
 */
import { createHash, createPrivateKey, generateKeyPair, sign, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { notFound, validationFailed } from './errors.js';
import type { Json, OktaApp, OktaSigningKey, OktaState } from './state.js';
import { type Ctx, iso, okta } from './util.js';

const generateKeyPairAsync = promisify(generateKeyPair);

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------------------
// A small DER encoder: just what a certificate needs.

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));

/** A non-negative INTEGER from a non-negative safe integer, minimal and with a sign byte when needed. */
export function derInteger(value: number): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function derOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = parts;
  const out = [first * 40 + second];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function derTime(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  const year = d.getUTCFullYear();
  if (year < 2050) return tlv(0x17, Buffer.from(`${two(year % 100)}${rest}`, 'ascii'));
  return tlv(0x18, Buffer.from(`${year}${rest}`, 'ascii'));
}

const PRINTABLE = 0x13;
const UTF8 = 0x0c;
const IA5 = 0x16;

function rdn(oid: string, tag: number, value: string): Buffer {
  return set(sequence(derOid(oid), tlv(tag, Buffer.from(value, tag === UTF8 ? 'utf8' : 'ascii'))));
}

/** Okta's certificate name: `C=US, ST=California, L=San Francisco, O=Okta, OU=SSOProvider, CN=<org>, emailAddress=info@okta.com`. */
export function oktaName(commonName: string): Buffer {
  return sequence(
    rdn('2.5.4.6', PRINTABLE, 'US'),
    rdn('2.5.4.8', UTF8, 'California'),
    rdn('2.5.4.7', UTF8, 'San Francisco'),
    rdn('2.5.4.10', UTF8, 'Okta'),
    rdn('2.5.4.11', UTF8, 'SSOProvider'),
    rdn('2.5.4.3', UTF8, commonName),
    rdn('1.2.840.113549.1.9.1', IA5, 'info@okta.com'),
  );
}

const SHA256_WITH_RSA = sequence(derOid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

export interface CertificateInput {
  serial: number;
  commonName: string;
  notBefore: number;
  notAfter: number;
  /** SubjectPublicKeyInfo DER, as `KeyObject.export({ type: 'spki', format: 'der' })` gives it. */
  spki: Buffer;
  privateKeyPem: string;
}

/** A self-signed X.509 v3 certificate (DER). */
export function buildCertificate(input: CertificateInput): Buffer {
  const name = oktaName(input.commonName);
  const tbs = sequence(
    tlv(0xa0, derInteger(2)),
    derInteger(input.serial),
    SHA256_WITH_RSA,
    name,
    sequence(derTime(input.notBefore), derTime(input.notAfter)),
    name,
    input.spki,
  );
  const signature = sign('sha256', tbs, createPrivateKey(input.privateKeyPem));
  return sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

// ---------------------------------------------------------------------------------------------------------
// Key records

/** A new key record for the app (no material yet); `validityYears` as `…/keys/generate` takes it. */
export function createKeyRecord(ctx: Ctx, appId: string, validityYears: number): OktaSigningKey {
  const now = ctx.now();
  const key: OktaSigningKey = {
    kid: ctx.randomId(43, BASE64URL),
    appId,
    created: now,
    lastUpdated: now,
    expiresAt: now + Math.round(validityYears * YEAR_MS),
    privateKeyPem: null,
    certificate: null,
  };
  okta(ctx).keys[key.kid] = key;
  return key;
}

export function appKeys(state: OktaState, appId: string): OktaSigningKey[] {
  return Object.values(state.keys)
    .filter((k) => k.appId === appId)
    .sort((a, b) => a.created - b.created || (a.kid < b.kid ? -1 : 1));
}

export function requireAppKey(state: OktaState, app: OktaApp, kid: string): OktaSigningKey {
  const key = state.keys[kid];
  if (!key || key.appId !== app.id) throw notFound(kid, 'AppInstanceKeyCredential');
  return key;
}

/** Generations in flight, per state and kid: two requests needing the same key wait for one generation. */
const inflight = new WeakMap<OktaState, Map<string, Promise<void>>>();

async function generateMaterial(state: OktaState, key: OktaSigningKey): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const der = buildCertificate({
    serial: key.created,
    commonName: state.orgName,
    notBefore: key.created - 60_000,
    notAfter: key.expiresAt,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    privateKeyPem,
  });
  key.privateKeyPem = privateKeyPem;
  key.certificate = der.toString('base64');
}

/** The key with its private key and certificate, generating them on first use. */
export async function ensureKeyMaterial(
  state: OktaState,
  key: OktaSigningKey,
): Promise<OktaSigningKey & { privateKeyPem: string; certificate: string }> {
  if (key.privateKeyPem === null || key.certificate === null) {
    let pending = inflight.get(state);
    if (!pending) {
      pending = new Map();
      inflight.set(state, pending);
    }
    let job = pending.get(key.kid);
    if (!job) {
      const map = pending;
      job = generateMaterial(state, key).finally(() => map.delete(key.kid));
      map.set(key.kid, job);
    }
    await job;
  }
  if (key.privateKeyPem === null || key.certificate === null)
    throw new Error(`signing key ${key.kid} has no material`);
  return key as OktaSigningKey & { privateKeyPem: string; certificate: string };
}

/**
 * The app's current signing key with its private key (PKCS#8 PEM) and certificate (base64 DER), for
 * signing SAML responses as the app's IdP. Throws if the app does not exist.
 */
export async function appSigningKey(
  ctx: Ctx,
  appId: string,
): Promise<{ kid: string; privateKeyPem: string; certificate: string }> {
  const state = okta(ctx);
  const app = Object.hasOwn(state.apps, appId) ? state.apps[appId] : undefined;
  if (!app) throw new Error(`appSigningKey: no Okta app with id '${appId}'`);
  const key = await ensureKeyMaterial(state, requireAppKey(state, app, app.signingKid));
  return { kid: key.kid, privateKeyPem: key.privateKeyPem, certificate: key.certificate };
}

/** The JWK the keys API returns (field order as Okta sends it). */
export function renderKey(key: OktaSigningKey & { certificate: string }): { [key: string]: Json } {
  const der = Buffer.from(key.certificate, 'base64');
  const jwk = new X509Certificate(der).publicKey.export({ format: 'jwk' });
  return {
    kty: 'RSA',
    created: iso(key.created),
    lastUpdated: iso(key.lastUpdated),
    expiresAt: iso(key.expiresAt),
    kid: key.kid,
    use: 'sig',
    x5c: [key.certificate],
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
    e: jwk.e ?? 'AQAB',
    n: jwk.n ?? '',
  };
}

/** `validityYears` of `…/credentials/keys/generate`: required, 2–10. */
export function parseValidityYears(raw: string | null): number {
  const years = raw === null ? Number.NaN : Number(raw);
  if (!Number.isInteger(years) || years < 2 || years > 10) {
    throw validationFailed(
      'validityYears',
      'validityYears: Validity years out of range. It should be 2 - 10 years',
    );
  }
  return years;
}
