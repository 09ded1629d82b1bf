/**
 * awsQuery (IAM, STS): form-encoded input, XML output and the `<ErrorResponse>` envelope.
 */
import { ServiceError } from '../emulator.js';
import {
  epochMs,
  INTEGER,
  isoSeconds,
  type MemberModel,
  MODELS,
  opOf,
  type QueryServiceName,
  type ServiceModel,
  type ShapeModel,
  setOwn,
  shapeOf,
  xmlNamespace,
} from './model.js';

// ---------------------------------------------------------------------------------------------------------
// awsQuery (IAM, STS): form input

function queryError(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400, { fault: 'client' });
}

/**
 * Parse an awsQuery request (IAM by default, or `service`) (the form body, or the URL query) into the operation's input structure:
 * scalars by member name (or `xmlName`), lists `Name.member.N` (1-based; `Name=` is an empty list), maps
 * `Name.entry.N.key`/`.value`, nested structures `A.B`, booleans (`true`/`false`), integers, timestamps
 * (ISO-8601 or epoch seconds → epoch ms), blobs (base64 → Buffer). Unknown parameters (`Action`,
 * `Version`, signature fields) are ignored.
 *
 * Throws {@link ServiceError}: `InvalidAction` (400) for an operation outside the model, `ValidationError`
 * (400) for a value of the wrong type (`MaxItems=abc`).
 */
export function parseQueryInput<T extends object = Record<string, unknown>>(
  operation: string,
  params: URLSearchParams,
  service: QueryServiceName = 'iam',
): T {
  const model = MODELS[service];
  const op = opOf(service, operation);
  if (!op) {
    throw new ServiceError(
      'InvalidAction',
      `Could not find operation ${operation} for version ${model.metadata.version}`,
      400,
      { fault: 'client' },
    );
  }
  if (!op.input) return {} as T;
  return readQueryInput(model, op.input, params) as T;
}

function readQueryInput(
  model: ServiceModel,
  shapeId: string,
  params: URLSearchParams,
): Record<string, unknown> {
  // Every dotted prefix of every parameter name, to know whether a list item / structure is present.
  const prefixes = new Set<string>();
  for (const key of params.keys()) {
    prefixes.add(key);
    let i = key.indexOf('.');
    while (i !== -1) {
      prefixes.add(key.slice(0, i));
      i = key.indexOf('.', i + 1);
    }
  }
  const reader: QueryReader = { model, params, prefixes };
  return readQueryStructure(reader, shapeOf(model, shapeId), '');
}

interface QueryReader {
  readonly model: ServiceModel;
  readonly params: URLSearchParams;
  readonly prefixes: ReadonlySet<string>;
}

function readQueryStructure(r: QueryReader, shape: ShapeModel, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of shape.members ?? []) {
    const key = prefix + (member.xmlName ?? member.name);
    const v = readQueryValue(r, member, key) ?? member.default;
    if (v !== undefined) out[member.name] = v;
  }
  return out;
}

function readQueryValue(r: QueryReader, ref: MemberModel, key: string): unknown {
  if (!r.prefixes.has(key)) return undefined;
  const shape = shapeOf(r.model, ref.target);
  const raw = r.params.get(key);
  switch (shape.type) {
    case 'structure':
    case 'union':
      return readQueryStructure(r, shape, `${key}.`);
    case 'list': {
      if (raw === '') return [];
      const member = shape.member;
      if (!member) return undefined;
      const flat = ref.xmlFlattened === true;
      const itemName = member.xmlName ?? 'member';
      const items: unknown[] = [];
      for (let i = 1; ; i++) {
        const itemKey = flat ? `${key}.${i}` : `${key}.${itemName}.${i}`;
        if (!r.prefixes.has(itemKey)) break;
        items.push(readQueryValue(r, member, itemKey));
      }
      return items;
    }
    case 'map': {
      if (raw === '') return {};
      const { key: keyRef, value: valRef } = shape;
      if (!keyRef || !valRef) return undefined;
      const flat = ref.xmlFlattened === true;
      const out: Record<string, unknown> = {};
      for (let i = 1; ; i++) {
        const entry = flat ? `${key}.${i}` : `${key}.entry.${i}`;
        if (!r.prefixes.has(entry)) break;
        const k = r.params.get(`${entry}.${keyRef.xmlName ?? 'key'}`);
        if (k === null) continue;
        const v = readQueryValue(r, valRef, `${entry}.${valRef.xmlName ?? 'value'}`);
        if (v !== undefined) setOwn(out, k, v);
      }
      return out;
    }
    default:
      return raw === null ? undefined : queryScalar(shape, raw, key);
  }
}

function queryScalar(shape: ShapeModel, raw: string, key: string): unknown {
  switch (shape.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw queryError(`Invalid value '${raw}' for parameter ${key}: expected true or false`);
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'intEnum':
      if (!INTEGER.test(raw))
        throw queryError(`Invalid value '${raw}' for parameter ${key}: expected an integer`);
      return Number(raw);
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) {
        throw queryError(`Invalid value '${raw}' for parameter ${key}: expected a number`);
      }
      return n;
    }
    case 'timestamp': {
      const t = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
      if (!Number.isFinite(t))
        throw queryError(`Invalid value '${raw}' for parameter ${key}: expected a timestamp`);
      return t;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

// ---------------------------------------------------------------------------------------------------------
// awsQuery (IAM, STS): XML output

// C0 controls (including tab, CR, LF), markup characters, NEL and LINE SEPARATOR.
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML escaping must find control characters.
const XML_SPECIAL = /[\u0000-\u001f&<>"'\u0085\u2028]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML escaping must find control characters.
const XML_SPECIAL_G = /[\u0000-\u001f&<>"'\u0085\u2028]/g;
const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escape text for an XML element. Markup characters become entities; control characters (tab, CR, LF
 * included, so the SDK's line-ending normalisation cannot alter them), NEL and U+2028 become hex character
 * references, as the AWS SDK's own XML builder does.
 */
export function escapeXml(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return text.replace(
    XML_SPECIAL_G,
    (ch) => XML_ENTITIES[ch] ?? `&#x${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()};`,
  );
}

function xmlScalar(shape: ShapeModel, ref: MemberModel, value: unknown): string | undefined {
  switch (shape.type) {
    case 'timestamp': {
      const ms = epochMs(value);
      if (ms === undefined) return undefined;
      const format = ref.timestampFormat ?? shape.timestampFormat;
      if (format === 'epoch-seconds') return String(ms / 1000);
      if (format === 'http-date') return new Date(ms).toUTCString();
      return isoSeconds(ms);
    }
    case 'blob':
      if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return typeof value === 'string' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : typeof value === 'string' ? value : undefined;
    default:
      if (typeof value === 'string') return escapeXml(value);
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
      return undefined;
  }
}

function xmlValue(model: ServiceModel, ref: MemberModel, value: unknown, name: string, out: string[]): void {
  if (value === undefined || value === null) return;
  const shape = shapeOf(model, ref.target);
  switch (shape.type) {
    case 'structure':
    case 'union': {
      if (typeof value !== 'object') return;
      out.push(`<${name}>`);
      xmlMembers(model, shape, value as Record<string, unknown>, out);
      out.push(`</${name}>`);
      return;
    }
    case 'list': {
      if (!Array.isArray(value) || !shape.member) return;
      const member = shape.member;
      if (ref.xmlFlattened) {
        for (const item of value) xmlValue(model, member, item, name, out);
        return;
      }
      if (value.length === 0) {
        out.push(`<${name}/>`);
        return;
      }
      const itemName = member.xmlName ?? 'member';
      out.push(`<${name}>`);
      for (const item of value) xmlValue(model, member, item, itemName, out);
      out.push(`</${name}>`);
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || !shape.key || !shape.value) return;
      const keyName = shape.key.xmlName ?? 'key';
      const valueName = shape.value.xmlName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && !ref.xmlFlattened) {
        out.push(`<${name}/>`);
        return;
      }
      if (!ref.xmlFlattened) out.push(`<${name}>`);
      for (const [k, v] of entries) {
        out.push(ref.xmlFlattened ? `<${name}>` : '<entry>');
        out.push(`<${keyName}>${escapeXml(k)}</${keyName}>`);
        xmlValue(model, shape.value, v, valueName, out);
        out.push(ref.xmlFlattened ? `</${name}>` : '</entry>');
      }
      if (!ref.xmlFlattened) out.push(`</${name}>`);
      return;
    }
    default: {
      const text = xmlScalar(shape, ref, value);
      if (text !== undefined) out.push(`<${name}>${text}</${name}>`);
    }
  }
}

function xmlMembers(
  model: ServiceModel,
  shape: ShapeModel,
  value: Readonly<Record<string, unknown>>,
  out: string[],
) {
  for (const member of shape.members ?? []) {
    xmlValue(model, member, value[member.name] ?? member.default, member.xmlName ?? member.name, out);
  }
}

/**
 * Serialize an awsQuery operation's output (IAM by default, or `service`) as AWS does:
 * `<OpResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><OpResult>…</OpResult><ResponseMetadata>
 * <RequestId>…</RequestId></ResponseMetadata></OpResponse>`. Members in model order; lists as `<member>`
 * items (`<Name/>` when empty); maps as `<entry><key/><value/></entry>`; timestamps `2024-01-02T03:04:05Z`;
 * strings XML-escaped. Operations without output (`DeleteRole`, `TagRole`…) carry only ResponseMetadata.
 * `output` may be omitted for those.
 */
export function serializeQueryOutput(
  operation: string,
  output: object | undefined,
  requestId: string,
  service: QueryServiceName = 'iam',
): string {
  const model = MODELS[service];
  const op = opOf(service, operation);
  if (!op) throw new Error(`aws-model: ${service} operation ${operation} is not in the model`);
  const out: string[] = [`<${operation}Response xmlns="${xmlNamespace(service)}">`];
  if (op.output) {
    out.push(`<${operation}Result>`);
    xmlMembers(model, shapeOf(model, op.output), (output ?? {}) as Record<string, unknown>, out);
    out.push(`</${operation}Result>`);
  }
  out.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`);
  out.push(`</${operation}Response>`);
  return out.join('');
}

/**
 * The awsQuery error envelope (IAM's namespace by default, or `service`'s):
 * `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
 * <RequestId>…</RequestId></ErrorResponse>`. `type` also accepts the ServiceError fault names.
 */
export function renderQueryError(
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' | 'client' | 'server',
  requestId: string,
  service: QueryServiceName = 'iam',
): string {
  const t = type === 'client' ? 'Sender' : type === 'server' ? 'Receiver' : type;
  return (
    `<ErrorResponse xmlns="${xmlNamespace(service)}"><Error><Type>${t}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

// ---------------------------------------------------------------------------------------------------------

/**
 * @internal Test hooks: the awsQuery reader and XML writer against an ad-hoc model (same JSON format as
 * ./models/*.json), to cover shapes the emulated IAM operations do not use (maps, flattened lists,
 * timestamps and blobs in input).
 */
export const __testing = {
  readQuery(model: unknown, shapeId: string, params: URLSearchParams): Record<string, unknown> {
    return readQueryInput(model as ServiceModel, shapeId, params);
  },
  writeXml(model: unknown, shapeId: string, value: object): string {
    const out: string[] = [];
    xmlMembers(
      model as ServiceModel,
      shapeOf(model as ServiceModel, shapeId),
      value as Record<string, unknown>,
      out,
    );
    return out.join('');
  },
};
