/**
 * restJson1 (Connect): an operation's input from labels, query, headers and JSON body; its output as JSON.
 */
import { ServiceError } from '../emulator.js';
import {
  epochMs,
  INTEGER,
  type MemberModel,
  MODELS,
  opOf,
  type ServiceModel,
  setOwn,
  shapeOf,
} from './model.js';

// ---------------------------------------------------------------------------------------------------------
// restJson1 (Connect): input

function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message, 400, { fault: 'client' });
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Convert a JSON body value to the model type; throws SerializationException on a type mismatch. */
function fromJson(model: ServiceModel, ref: MemberModel, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(model, ref.target);
  const mismatch = (): never => {
    throw serializationError(`Unexpected ${describeJson(value)} for ${path}: expected ${shape.type}`);
  };
  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (typeof value !== 'object' || Array.isArray(value)) return mismatch();
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const member of shape.members ?? []) {
        const v =
          fromJson(model, member, src[member.jsonName ?? member.name], `${path}.${member.name}`) ??
          member.default;
        if (v !== undefined) out[member.name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value) || !shape.member) return mismatch();
      const member = shape.member;
      return value.map((item, i) => fromJson(model, member, item, `${path}[${i}]`) ?? null);
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value) || !shape.value) return mismatch();
      const valRef = shape.value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const converted = fromJson(model, valRef, v, `${path}.${k}`);
        if (converted !== undefined) setOwn(out, k, converted);
      }
      return out;
    }
    case 'string':
    case 'enum':
      return typeof value === 'string' ? value : mismatch();
    case 'boolean':
      return typeof value === 'boolean' ? value : mismatch();
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'intEnum':
      return typeof value === 'number' && Number.isInteger(value) ? value : mismatch();
    case 'float':
    case 'double':
      return typeof value === 'number' ? value : mismatch();
    case 'timestamp': {
      if (typeof value === 'number') return value * 1000;
      if (typeof value === 'string') {
        const t = Date.parse(value);
        return Number.isFinite(t) ? t : mismatch();
      }
      return mismatch();
    }
    case 'blob':
      return typeof value === 'string' ? Buffer.from(value, 'base64') : mismatch();
    default:
      return value;
  }
}

/** Convert a label / query / header string to the model type. */
function fromText(model: ServiceModel, ref: MemberModel, raw: string, where: string): unknown {
  const shape = shapeOf(model, ref.target);
  switch (shape.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw serializationError(`Invalid boolean '${raw}' for ${where}`);
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'intEnum':
      if (!INTEGER.test(raw)) throw serializationError(`Invalid integer '${raw}' for ${where}`);
      return Number(raw);
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n))
        throw serializationError(`Invalid number '${raw}' for ${where}`);
      return n;
    }
    case 'timestamp': {
      const t = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
      if (!Number.isFinite(t)) throw serializationError(`Invalid timestamp '${raw}' for ${where}`);
      return t;
    }
    default:
      return raw;
  }
}

/**
 * Build a Connect operation's input from the pieces of the request: `labels` from
 * {@link matchRestOperation}, `query` (httpQuery members; list members take every repeated value),
 * `headers` (lower-case names; httpHeader members) and the JSON `body` (other members, by `jsonName` or
 * member name; timestamps epoch seconds → epoch ms). An empty body is `{}`.
 *
 * Throws {@link ServiceError} `SerializationException` (400) for a body that is not a JSON object or a
 * value of the wrong JSON type, as restJson1 services do for undeserializable input.
 */
export function parseRestInput<T extends object = Record<string, unknown>>(
  operation: string,
  labels: Readonly<Record<string, string>>,
  query: URLSearchParams,
  body: Buffer | string | undefined,
  headers: Readonly<Record<string, string>> = {},
): T {
  const model = MODELS.connect;
  const op = opOf('connect', operation);
  if (!op) throw new ServiceError('UnknownOperationException', '', 404, { fault: 'client' });
  if (!op.input) return {} as T;
  const shape = shapeOf(model, op.input);
  const text = body === undefined ? '' : typeof body === 'string' ? body : body.toString('utf8');
  let json: Record<string, unknown> | undefined;
  const bodyJson = (): Record<string, unknown> => {
    if (json) return json;
    if (text.trim() === '') {
      json = {};
      return json;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw serializationError('Unable to parse the request body as JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw serializationError(`Expected a JSON object as the request body, got ${describeJson(parsed)}`);
    }
    json = parsed as Record<string, unknown>;
    return json;
  };
  const out: Record<string, unknown> = {};
  for (const member of shape.members ?? []) {
    let v: unknown;
    if (member.httpLabel) {
      const raw = labels[member.name];
      v = raw === undefined ? undefined : fromText(model, member, raw, member.name);
    } else if (member.httpQuery !== undefined) {
      const target = shapeOf(model, member.target);
      if (target.type === 'list' && target.member) {
        const all = query.getAll(member.httpQuery);
        const itemRef = target.member;
        v =
          all.length === 0
            ? undefined
            : all.map((raw) => fromText(model, itemRef, raw, member.httpQuery ?? ''));
      } else {
        const raw = query.get(member.httpQuery);
        v = raw === null ? undefined : fromText(model, member, raw, member.httpQuery);
      }
    } else if (member.httpHeader !== undefined) {
      const raw = headers[member.httpHeader.toLowerCase()];
      v = raw === undefined ? undefined : fromText(model, member, raw, member.httpHeader);
    } else if (member.httpPayload) {
      const target = shapeOf(model, member.target);
      if (target.type === 'structure' || target.type === 'union')
        v = fromJson(model, member, bodyJson(), member.name);
      else if (target.type === 'blob') v = typeof body === 'string' ? Buffer.from(body) : body;
      else v = text === '' ? undefined : text;
    } else if (member.httpQueryParams || member.httpResponseCode) {
      continue;
    } else {
      v = fromJson(model, member, bodyJson()[member.jsonName ?? member.name], member.name);
    }
    v ??= member.default;
    if (v !== undefined) out[member.name] = v;
  }
  // A body that is not a JSON object is rejected even when no member reads it.
  if (text.trim() !== '') bodyJson();
  return out as T;
}

// ---------------------------------------------------------------------------------------------------------
// restJson1 (Connect): output

function toJson(model: ServiceModel, ref: MemberModel, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(model, ref.target);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (typeof value !== 'object') return undefined;
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const member of shape.members ?? []) {
        const v = toJson(model, member, src[member.name] ?? member.default);
        if (v !== undefined) out[member.jsonName ?? member.name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value) || !shape.member) return undefined;
      const member = shape.member;
      return value.map((item) => toJson(model, member, item) ?? null);
    }
    case 'map': {
      if (typeof value !== 'object' || !shape.value) return undefined;
      const valRef = shape.value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const converted = toJson(model, valRef, v);
        if (converted !== undefined) setOwn(out, k, converted);
      }
      return out;
    }
    case 'timestamp': {
      const ms = epochMs(value);
      if (ms === undefined) return undefined;
      const format = ref.timestampFormat ?? shape.timestampFormat;
      if (format === 'date-time') return new Date(ms).toISOString();
      if (format === 'http-date') return new Date(ms).toUTCString();
      return ms / 1000;
    }
    case 'blob':
      if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return typeof value === 'string' ? value : undefined;
    default:
      return value;
  }
}

/** A serialized Connect response. */
export interface RestOutput {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Serialize a Connect operation's output as restJson1: JSON body of the non-bound members (by `jsonName`
 * or member name, model order, `undefined`/`null` omitted, timestamps as epoch-seconds numbers with
 * fractions when the ms are not round), httpHeader members as headers, status from the `smithy.api#http`
 * code (or an httpResponseCode member). Operations without output answer `{}`.
 */
export function serializeRestOutput(operation: string, output?: object): RestOutput {
  const model = MODELS.connect;
  const op = opOf('connect', operation);
  if (!op) throw new Error(`aws-model: Connect operation ${operation} is not in the model`);
  let status = op.http?.code ?? 200;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const body: Record<string, unknown> = {};
  if (op.output && output) {
    const src = output as Record<string, unknown>;
    for (const member of shapeOf(model, op.output).members ?? []) {
      const value = src[member.name] ?? member.default;
      if (value === undefined || value === null) continue;
      if (member.httpResponseCode) {
        if (typeof value === 'number') status = value;
      } else if (member.httpHeader !== undefined) {
        const v = toJson(model, member, value);
        if (v !== undefined) headers[member.httpHeader.toLowerCase()] = String(v);
      } else {
        const v = toJson(model, member, value);
        if (v !== undefined) body[member.jsonName ?? member.name] = v;
      }
    }
  }
  return { status, headers, body: JSON.stringify(body) };
}
