/**
 * The AWS wire layer of the sandbox, driven by the official Smithy models (extracted by
 * `scripts/extract-models.mjs` into `./models/*.json`, committed; the sandbox never reads ../shared).
 *
 * CONTRACT (the IAM and Connect emulators code against it):
 *
 *   validateInput(service, operation, input)        -> throws ServiceError as the real service does for a
 *                                                     model violation (required member missing, length,
 *                                                     pattern, enum, range), with AWS's message form.
 *   parseQueryInput(operation, params)               -> IAM awsQuery form -> structured input per the model
 *   serializeQueryOutput(operation, output, reqId)   -> IAM XML `<OpResponse><OpResult>…` per output shape
 *   renderQueryError(code, message, type, reqId)     -> IAM `<ErrorResponse>` XML
 *   matchRestOperation(method, rawPath, query?)      -> Connect restJson1 route: { operation, labels } | undefined
 *   parseRestInput(operation, labels, query, body, headers?) -> Connect input
 *   serializeRestOutput(operation, output)           -> { status, headers, body } JSON
 *   operationInfo(service, operation)                -> { readonly, write, action, errors, http? } | undefined
 *   errorStatus(service, code)                       -> HTTP status of an error code | undefined
 * and helpers: collectViolations / validationError / validationErrorCode (same wording for an emulator's own
 * checks), errorInfo / modelError (a ServiceError with the model's status and fault), matchUriTemplate,
 * escapeXml, isoSeconds, IAM_XMLNS.
 *
 * The SDKs read `$metadata.requestId` from the `x-amzn-requestid` response header (not from the XML
 * `<RequestId>`): send it on IAM responses too.
 *
 * VALUES. Inputs and outputs are plain JS objects keyed by the model's member names (`RoleName`,
 * `InstanceId`, `tags`…). Timestamps: parsers produce **epoch milliseconds** (numbers), like the sandbox
 * state; serializers accept epoch-ms numbers, `Date` objects or ISO-8601 strings. Members absent from the
 * model are ignored by serializers (state objects may carry extra fields); `undefined`/`null` members are
 * omitted, except members with a model default (`IsTruncated`, `IsAttachable`, `IsDefaultVersion`,
 * `SetAsDefault`, `AutoAccept`, `AfterContactWorkTimeLimit`) which take it, in parsed inputs and in
 * serialized outputs alike (the real services always print them).
 *
 * VALIDATION MESSAGES (evidence):
 * - IAM answers `ValidationError` (HTTP 400, `<Type>Sender</Type>`), e.g. recorded 2025 (LocalStack AWS
 *   snapshots, fixtures/aws/iam-error-snapshots.json): "1 validation error detected: Value at
 *   'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression
 *   pattern: [\w]+" and "… Value at 'status' failed to satisfy constraint: Member must satisfy enum value
 *   set". Since ~2023 IAM no longer echoes the value ("Value at 'roleName'", aws/eks-hybrid#113 2024,
 *   boto/botocore#3337 2025 "Value at 'maxSessionDuration' … Member must have value less than or equal to
 *   43200"); older reports show "Value 'x' at 'roleName'". The pattern is printed without the `^`/`$` that
 *   the Smithy conversion added (model `^[\w]+$`, message `[\w]+`). A missing member reads
 *   "Value null at 'x' failed to satisfy constraint: Member must not be null" (Coral framework wording,
 *   e.g. pulumi/pulumi-aws#2357). Several violations: "N validation errors detected: a; b".
 * - Connect (restJson1, same Coral framework) echoes non-sensitive values ("Value 'x' at 'name'"), hides
 *   `@sensitive` ones ("Value at 'instanceAlias'", like Amplify's hidden `buildSpec`), prints the model
 *   pattern as is (Cloud Map: "…pattern: ^[0-9a-zA-Z_/:.@-]+$") and the enum set ("Member must satisfy
 *   enum value set: [A, B]", Amplify 2023). The Connect model declares no ValidationException; Coral
 *   services without one answer framework validation with their modelled client-input error (Cognito:
 *   `{"__type":"InvalidParameterException","message":"1 validation error detected: Value '-1' at 'limit'
 *   …"}`, aws/aws-sdk-js#2193). No recorded Connect response was found, so the code is an inference:
 *   `InvalidParameterException` (400) where the operation declares it (all user/profile/tag operations),
 *   otherwise `InvalidRequestException` (400) (instance operations declare only that one). See
 *   {@link validationErrorCode}.
 * - Member paths are the member names with the first letter lower-cased, nested with `.`; list items are
 *   `name.N.member` (1-based), map constraints are reported on the map ("Map keys must satisfy
 *   constraint: [...]"), as Coral prints them.
 */

import { ServiceError } from './emulator.js';
import connectModelJson from './models/connect.json' with { type: 'json' };
import iamModelJson from './models/iam.json' with { type: 'json' };

// ---------------------------------------------------------------------------------------------------------
// Model types (the shape of ./models/*.json, see scripts/extract-models.mjs)

/** The AWS services whose models this module carries. */
export type AwsServiceName = 'iam' | 'connect';

interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** A structure member, list member or map key/value: a target shape plus member traits. */
interface MemberModel {
  readonly name?: string;
  readonly target: string;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly httpLabel?: boolean;
  readonly httpQuery?: string;
  readonly httpQueryParams?: boolean;
  readonly httpHeader?: string;
  readonly httpPayload?: boolean;
  readonly httpResponseCode?: boolean;
  readonly jsonName?: string;
  readonly xmlName?: string;
  readonly xmlFlattened?: boolean;
  readonly timestampFormat?: string;
  readonly idempotencyToken?: boolean;
  readonly length?: Bounds;
  readonly range?: Bounds;
  readonly pattern?: string;
  readonly sensitive?: boolean;
}

interface ShapeModel {
  readonly type: string;
  readonly members?: readonly (MemberModel & { readonly name: string })[];
  readonly member?: MemberModel;
  readonly key?: MemberModel;
  readonly value?: MemberModel;
  readonly length?: Bounds;
  readonly range?: Bounds;
  readonly pattern?: string;
  readonly sensitive?: boolean;
  readonly values?: readonly (string | number)[];
  readonly enum?: readonly string[];
  readonly timestampFormat?: string;
  readonly default?: unknown;
  readonly error?: 'client' | 'server';
  readonly httpError?: number;
  readonly queryError?: { readonly code: string; readonly httpResponseCode: number };
}

/** A `smithy.api#http` binding. */
export interface HttpBinding {
  readonly method: string;
  readonly uri: string;
  readonly code: number;
}

interface OperationModel {
  readonly input: string | null;
  readonly output: string | null;
  readonly errors: readonly string[];
  readonly readonly: boolean;
  readonly http?: HttpBinding;
  readonly idempotent?: boolean;
}

interface ServiceModel {
  readonly metadata: {
    readonly service: string;
    readonly protocol: string;
    readonly version: string;
    readonly xmlNamespace?: string;
  };
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
}

const MODELS: Readonly<Record<AwsServiceName, ServiceModel>> = {
  iam: iamModelJson as unknown as ServiceModel,
  connect: connectModelJson as unknown as ServiceModel,
};

/** The IAM XML namespace, also used by `<ErrorResponse>`. */
export const IAM_XMLNS = MODELS.iam.metadata.xmlNamespace ?? 'https://iam.amazonaws.com/doc/2010-05-08/';

function shapeOf(model: ServiceModel, id: string): ShapeModel {
  const s = model.shapes[id];
  if (!s) throw new Error(`aws-model: shape ${id} missing from the ${model.metadata.service} model`);
  return s;
}

function opOf(service: AwsServiceName, operation: string): OperationModel | undefined {
  const ops = MODELS[service].operations;
  return Object.hasOwn(ops, operation) ? ops[operation] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Operation and error metadata

/** A modelled error of an operation. */
export interface ErrorInfo {
  /** Smithy shape name, which the SDK uses as the error class name (`NoSuchEntityException`). */
  readonly shape: string;
  /** Wire code: IAM `<Code>` (`NoSuchEntity`), Connect `x-amzn-errortype` (`ResourceNotFoundException`). */
  readonly code: string;
  readonly status: number;
  readonly fault: 'client' | 'server';
}

/** What the model says about one operation. */
export interface OperationInfo {
  readonly service: AwsServiceName;
  readonly operation: string;
  /** Reads state only (model `readonly`, else GET / Get|List|Describe|Search by convention). */
  readonly readonly: boolean;
  /** `!readonly`, for the request log. */
  readonly write: boolean;
  /** The IAM-style action (`iam:CreateRole`, `connect:CreateUser`). */
  readonly action: string;
  readonly errors: readonly ErrorInfo[];
  /** Connect `smithy.api#http` binding. */
  readonly http?: HttpBinding;
}

const opInfoCache = new Map<string, OperationInfo>();

/**
 * The model's view of an operation, or `undefined` when the operation is not part of the emulated set.
 * Cached; cheap to call per request.
 */
export function operationInfo(service: AwsServiceName, operation: string): OperationInfo | undefined {
  const cacheKey = `${service}:${operation}`;
  const cached = opInfoCache.get(cacheKey);
  if (cached) return cached;
  const op = opOf(service, operation);
  if (!op) return undefined;
  const errors: ErrorInfo[] = [];
  for (const shape of op.errors) {
    const info = errorInfoFromShape(service, shape);
    if (info) errors.push(info);
  }
  const info: OperationInfo = {
    service,
    operation,
    readonly: op.readonly,
    write: !op.readonly,
    action: `${service}:${operation}`,
    errors,
    ...(op.http && { http: op.http }),
  };
  opInfoCache.set(cacheKey, info);
  return info;
}

function errorInfoFromShape(service: AwsServiceName, shapeName: string): ErrorInfo | undefined {
  const s = MODELS[service].shapes[shapeName];
  if (!s?.error) return undefined;
  const code = service === 'iam' && s.queryError ? s.queryError.code : shapeName;
  const status = (service === 'iam' ? s.queryError?.httpResponseCode : undefined) ?? s.httpError ?? 400;
  return { shape: shapeName, code, status, fault: s.error };
}

/**
 * Errors the real services return that their models do not declare (framework, auth, throttling).
 * Status per research/aws.md §2.6 and §1.9.
 */
const UNMODELLED_ERRORS: Readonly<Record<AwsServiceName, Readonly<Record<string, number>>>> = {
  iam: {
    ValidationError: 400,
    Throttling: 400,
    AccessDenied: 403,
    InvalidClientTokenId: 403,
    SignatureDoesNotMatch: 403,
    IncompleteSignature: 400,
    MissingAuthenticationToken: 403,
    InvalidAction: 400,
    MissingAction: 400,
    MalformedQueryString: 400,
    InternalFailure: 500,
    ServiceUnavailable: 503,
  },
  connect: {
    SerializationException: 400,
    ValidationException: 400,
    UnknownOperationException: 404,
    UnrecognizedClientException: 403,
    InvalidSignatureException: 403,
    IncompleteSignatureException: 403,
    MissingAuthenticationTokenException: 403,
    ServiceUnavailableException: 503,
  },
};

let errorIndex: Map<string, ErrorInfo> | undefined;

function errorsByCode(): Map<string, ErrorInfo> {
  if (errorIndex) return errorIndex;
  const index = new Map<string, ErrorInfo>();
  for (const service of ['iam', 'connect'] as const) {
    for (const [code, status] of Object.entries(UNMODELLED_ERRORS[service])) {
      index.set(`${service}:${code}`, {
        shape: code,
        code,
        status,
        fault: status >= 500 ? 'server' : 'client',
      });
    }
    for (const name of Object.keys(MODELS[service].shapes)) {
      const info = errorInfoFromShape(service, name);
      if (!info) continue;
      index.set(`${service}:${info.code}`, info);
      index.set(`${service}:${info.shape}`, info);
    }
  }
  errorIndex = index;
  return index;
}

/**
 * The error a code stands for: a modelled error (by wire code `NoSuchEntity` or shape name
 * `NoSuchEntityException`) or a well-known unmodelled one (`ValidationError`, `Throttling`,
 * `SerializationException`…).
 */
export function errorInfo(service: AwsServiceName, code: string): ErrorInfo | undefined {
  return errorsByCode().get(`${service}:${code}`);
}

/** HTTP status of an error code (`smithy.api#httpError` / `awsQueryError`), or `undefined` if unknown. */
export function errorStatus(service: AwsServiceName, code: string): number | undefined {
  return errorInfo(service, code)?.status;
}

/**
 * A {@link ServiceError} for a modelled (or well-known) error code, with its model status and fault.
 * Unknown codes get 400 / client.
 */
export function modelError(service: AwsServiceName, code: string, message: string): ServiceError {
  const info = errorInfo(service, code);
  return new ServiceError(code, message, info?.status ?? 400, { fault: info?.fault ?? 'client' });
}

// ---------------------------------------------------------------------------------------------------------
// Validation

const patternCache = new Map<string, RegExp | null>();

/**
 * Model patterns that no valid value can match, as published (the Smithy conversion kept the Password
 * regex's `/…/` delimiters and double-escaped the E.164 phone pattern). The services accept valid values,
 * so matching and messages use the pattern meant.
 */
const PATTERN_FIXES: Readonly<Record<string, string>> = {
  '^/^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)[a-zA-Z\\d\\S]{8,64}$/$':
    '^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)[a-zA-Z\\d\\S]{8,64}$',
  '^\\\\+[1-9]\\\\d{1,14}$': '^\\+[1-9]\\d{1,14}$',
};

/** Full-match regex of a Smithy pattern (Coral matches the whole value), compiled once. */
function compiledPattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re !== undefined) return re;
  re = null;
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      // Java-only syntax: try without the unicode flag, else skip the check.
    }
  }
  patternCache.set(pattern, re);
  return re;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Length in Unicode code points (Smithy `length` semantics). */
function codePointLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function lowerFirst(name: string): string {
  return name.length === 0 ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/** Java-ish `toString` of a value, as Coral prints it inside `Value '…'`. */
function javaText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaText(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

interface ValidationContext {
  readonly service: AwsServiceName;
  readonly model: ServiceModel;
  readonly out: string[];
}

function violation(
  ctx: ValidationContext,
  value: unknown,
  path: string,
  sensitive: boolean,
  rule: string,
): void {
  let shown: string;
  if (value === null || value === undefined) shown = ' null';
  else if (ctx.service === 'iam' || sensitive) shown = '';
  else shown = ` '${javaText(value)}'`;
  ctx.out.push(`Value${shown} at '${path}' failed to satisfy constraint: ${rule}`);
}

function patternText(ctx: ValidationContext, pattern: string): string {
  if (ctx.service !== 'iam') return pattern;
  // The IAM Smithy model wraps the legacy patterns in ^…$; the service prints the legacy form.
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  if (p.endsWith('$') && !p.endsWith('\\$')) p = p.slice(0, -1);
  return p;
}

function enumText(ctx: ValidationContext, values: readonly (string | number)[]): string {
  return ctx.service === 'iam'
    ? 'Member must satisfy enum value set'
    : `Member must satisfy enum value set: [${values.join(', ')}]`;
}

/** Constraint rules a scalar value breaks (strings, numbers, enums), without the `Value … at` prefix. */
function scalarRules(ctx: ValidationContext, ref: MemberModel, shape: ShapeModel, value: unknown): string[] {
  const rules: string[] = [];
  const length = ref.length ?? shape.length;
  const pattern = ref.pattern ?? shape.pattern;
  const range = ref.range ?? shape.range;
  if (typeof value === 'string') {
    if (length) {
      const n = codePointLength(value);
      if (length.max !== undefined && n > length.max) {
        rules.push(`Member must have length less than or equal to ${length.max}`);
      }
      if (length.min !== undefined && n < length.min) {
        rules.push(`Member must have length greater than or equal to ${length.min}`);
      }
    }
    if (pattern !== undefined) {
      const meant = PATTERN_FIXES[pattern] ?? pattern;
      const re = compiledPattern(meant);
      if (re && !re.test(value)) {
        rules.push(`Member must satisfy regular expression pattern: ${patternText(ctx, meant)}`);
      }
    }
    const values = shape.type === 'enum' ? shape.values : shape.enum;
    if (values && !values.includes(value)) rules.push(enumText(ctx, values));
  } else if (typeof value === 'number' && range) {
    if (range.max !== undefined && value > range.max) {
      rules.push(`Member must have value less than or equal to ${range.max}`);
    }
    if (range.min !== undefined && value < range.min) {
      rules.push(`Member must have value greater than or equal to ${range.min}`);
    }
  } else if (
    typeof value === 'number' &&
    shape.type === 'intEnum' &&
    shape.values &&
    !shape.values.includes(value)
  ) {
    rules.push(enumText(ctx, shape.values));
  }
  return rules;
}

function validateValue(ctx: ValidationContext, ref: MemberModel, value: unknown, path: string): void {
  const shape = shapeOf(ctx.model, ref.target);
  const sensitive = Boolean(ref.sensitive ?? shape.sensitive);
  switch (shape.type) {
    case 'structure':
    case 'union':
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        validateStructure(ctx, shape, value as Record<string, unknown>, `${path}.`);
      }
      return;
    case 'list': {
      if (!Array.isArray(value)) return;
      const length = ref.length ?? shape.length;
      if (length?.max !== undefined && value.length > length.max) {
        violation(ctx, value, path, sensitive, `Member must have length less than or equal to ${length.max}`);
      }
      if (length?.min !== undefined && value.length < length.min) {
        violation(
          ctx,
          value,
          path,
          sensitive,
          `Member must have length greater than or equal to ${length.min}`,
        );
      }
      const member = shape.member;
      if (!member) return;
      value.forEach((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) {
          violation(ctx, item, itemPath, false, 'Member must not be null');
        } else {
          validateValue(ctx, member, item, itemPath);
        }
      });
      return;
    }
    case 'map': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return;
      const entries = Object.entries(value);
      const length = ref.length ?? shape.length;
      if (length?.max !== undefined && entries.length > length.max) {
        violation(ctx, value, path, sensitive, `Member must have length less than or equal to ${length.max}`);
      }
      if (length?.min !== undefined && entries.length < length.min) {
        violation(
          ctx,
          value,
          path,
          sensitive,
          `Member must have length greater than or equal to ${length.min}`,
        );
      }
      const { key, value: val } = shape;
      if (key) {
        const keyShape = shapeOf(ctx.model, key.target);
        const rules = new Set<string>();
        for (const [k] of entries) for (const r of scalarRules(ctx, key, keyShape, k)) rules.add(r);
        if (rules.size > 0) {
          violation(
            ctx,
            value,
            path,
            sensitive,
            `Map keys must satisfy constraint: [${[...rules].join(', ')}]`,
          );
        }
      }
      if (val) {
        const valShape = shapeOf(ctx.model, val.target);
        if (valShape.type === 'structure' || valShape.type === 'list' || valShape.type === 'map') {
          for (const [k, v] of entries)
            if (v !== null && v !== undefined) validateValue(ctx, val, v, `${path}.${k}`);
        } else {
          const rules = new Set<string>();
          for (const [, v] of entries) for (const r of scalarRules(ctx, val, valShape, v)) rules.add(r);
          if (rules.size > 0) {
            violation(
              ctx,
              value,
              path,
              sensitive,
              `Map value must satisfy constraint: [${[...rules].join(', ')}]`,
            );
          }
        }
      }
      return;
    }
    default:
      for (const rule of scalarRules(ctx, ref, shape, value)) violation(ctx, value, path, sensitive, rule);
  }
}

function validateStructure(
  ctx: ValidationContext,
  shape: ShapeModel,
  value: Readonly<Record<string, unknown>>,
  prefix: string,
): void {
  for (const member of shape.members ?? []) {
    const v = value[member.name];
    const path = prefix + lowerFirst(member.name);
    if (v === undefined || v === null) {
      if (member.required) violation(ctx, v, path, false, 'Member must not be null');
      continue;
    }
    validateValue(ctx, member, v, path);
  }
}

/**
 * Every model constraint `input` breaks, as AWS words each one
 * (`Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`).
 * Empty when the input is valid. Unknown operations yield no violations.
 */
export function collectViolations(service: AwsServiceName, operation: string, input: unknown): string[] {
  const op = opOf(service, operation);
  if (!op?.input) return [];
  const model = MODELS[service];
  const ctx: ValidationContext = { service, model, out: [] };
  const record = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  validateStructure(ctx, shapeOf(model, op.input), record, '');
  return ctx.out;
}

/**
 * The error code a model violation gets: IAM `ValidationError`; Connect `InvalidParameterException` when the
 * operation declares it, else `InvalidRequestException` (see the module comment for the evidence).
 */
export function validationErrorCode(service: AwsServiceName, operation: string): string {
  if (service === 'iam') return 'ValidationError';
  const errors = opOf(service, operation)?.errors ?? [];
  if (errors.includes('InvalidParameterException')) return 'InvalidParameterException';
  return 'InvalidRequestException';
}

/**
 * The {@link ServiceError} for a list of violations: "N validation error(s) detected: a; b". Emulators may
 * use it for their own checks so that the wording stays uniform.
 */
export function validationError(
  service: AwsServiceName,
  operation: string,
  violations: readonly string[],
): ServiceError {
  const n = violations.length;
  const message = `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
  return new ServiceError(validationErrorCode(service, operation), message, 400, { fault: 'client' });
}

/**
 * Check `input` (as produced by {@link parseQueryInput} / {@link parseRestInput}) against the operation's
 * input shape: required members, string length (code points), pattern (whole value), enum, numeric range,
 * list and map sizes, map keys/values, recursively. Throws the {@link ServiceError} the real service
 * returns (see {@link validationError}); returns normally when valid.
 */
export function validateInput(service: AwsServiceName, operation: string, input: unknown): void {
  const violations = collectViolations(service, operation, input);
  if (violations.length > 0) throw validationError(service, operation, violations);
}

// ---------------------------------------------------------------------------------------------------------
// Timestamps

/** Epoch ms of a timestamp value (epoch-ms number, Date or date string); undefined when unusable. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? t : undefined;
  }
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** `2024-01-02T03:04:05Z` (ISO-8601 without milliseconds, as AWS prints it). */
export function isoSeconds(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

// ---------------------------------------------------------------------------------------------------------
// awsQuery (IAM): form input

function queryError(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400, { fault: 'client' });
}

/**
 * Parse an IAM awsQuery request (the form body, or the URL query) into the operation's input structure:
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
): T {
  const model = MODELS.iam;
  const op = opOf('iam', operation);
  if (!op) {
    throw new ServiceError(
      'InvalidAction',
      `Could not find operation ${operation} for version 2010-05-08`,
      400,
      {
        fault: 'client',
      },
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

const INTEGER = /^[+-]?\d+$/;

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
// awsQuery (IAM): XML output

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
 * Serialize an IAM operation's output as AWS does:
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
): string {
  const model = MODELS.iam;
  const op = opOf('iam', operation);
  if (!op) throw new Error(`aws-model: IAM operation ${operation} is not in the model`);
  const out: string[] = [`<${operation}Response xmlns="${IAM_XMLNS}">`];
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
 * IAM's error envelope:
 * `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
 * <RequestId>…</RequestId></ErrorResponse>`. `type` also accepts the ServiceError fault names.
 */
export function renderQueryError(
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' | 'client' | 'server',
  requestId: string,
): string {
  const t = type === 'client' ? 'Sender' : type === 'server' ? 'Receiver' : type;
  return (
    `<ErrorResponse xmlns="${IAM_XMLNS}"><Error><Type>${t}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

// ---------------------------------------------------------------------------------------------------------
// restJson1 (Connect): routing

interface Route {
  readonly operation: string;
  readonly regex: RegExp;
  /** Label member names in capture-group order; `greedy` labels keep their `/`. */
  readonly labels: readonly { readonly name: string; readonly greedy: boolean }[];
  readonly query: readonly (readonly [string, string | undefined])[];
  /** Sort key: more literal characters first, greedy labels last. */
  readonly literalLength: number;
  readonly greedy: boolean;
}

let routesByMethod: Map<string, Route[]> | undefined;

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

function compileRoute(operation: string, uri: string): Route {
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const query = (q === -1 ? '' : uri.slice(q + 1))
    .split('&')
    .filter(Boolean)
    .map((pair): readonly [string, string | undefined] => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [pair, undefined] : [pair.slice(0, eq), pair.slice(eq + 1)];
    });
  const labels: { name: string; greedy: boolean }[] = [];
  let literalLength = 0;
  let greedy = false;
  const source = path.replace(/\{([^}]+)\}|[^{]+/g, (part, label: string | undefined) => {
    if (label === undefined) {
      literalLength += part.length;
      return part.replace(REGEX_SPECIAL, '\\$&');
    }
    const isGreedy = label.endsWith('+');
    greedy ||= isGreedy;
    labels.push({ name: isGreedy ? label.slice(0, -1) : label, greedy: isGreedy });
    return isGreedy ? '(.+)' : '([^/]+)';
  });
  return { operation, regex: new RegExp(`^${source}$`), labels, query, literalLength, greedy };
}

function routes(): Map<string, Route[]> {
  if (routesByMethod) return routesByMethod;
  const map = new Map<string, Route[]>();
  for (const [operation, op] of Object.entries(MODELS.connect.operations)) {
    if (!op.http) continue;
    const list = map.get(op.http.method) ?? [];
    list.push(compileRoute(operation, op.http.uri));
    map.set(op.http.method, list);
  }
  for (const list of map.values()) {
    list.sort(
      (a, b) =>
        Number(a.greedy) - Number(b.greedy) ||
        b.query.length - a.query.length ||
        b.literalLength - a.literalLength ||
        a.operation.localeCompare(b.operation),
    );
  }
  routesByMethod = map;
  return map;
}

/** A Connect request routed to an operation, with its decoded path labels (by member name). */
export interface RestMatch {
  readonly operation: string;
  readonly labels: Readonly<Record<string, string>>;
}

function decodeLabel(raw: string, greedy: boolean): string | undefined {
  try {
    return greedy ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Labels of `route` in `rawPath`: a record, `undefined` (no match) or `null` (matched, malformed label). */
function matchRoute(
  route: Route,
  rawPath: string,
  query: URLSearchParams | undefined,
): Record<string, string> | undefined | null {
  const m = route.regex.exec(rawPath);
  if (!m) return undefined;
  if (route.query.length > 0) {
    if (!query) return undefined;
    const ok = route.query.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v));
    if (!ok) return undefined;
  }
  const labels: Record<string, string> = {};
  for (let i = 0; i < route.labels.length; i++) {
    const label = route.labels[i];
    if (!label) continue;
    const decoded = decodeLabel(m[i + 1] ?? '', label.greedy);
    if (decoded === undefined || decoded === '') return null;
    labels[label.name] = decoded;
  }
  return labels;
}

/**
 * Route a Connect request by the model's `smithy.api#http` bindings (method + URI template, greedy labels,
 * literal query parts of the template). `rawPath` is the still percent-encoded path without the query
 * string; labels come back decoded (`arn%3Aaws%3A…` → `arn:aws:…`). Returns `undefined` when no emulated
 * operation matches (including a malformed percent-encoding in a label). Routes are compiled once, on
 * first use.
 */
export function matchRestOperation(
  method: string,
  rawPath: string,
  query?: URLSearchParams,
): RestMatch | undefined {
  const candidates = routes().get(method.toUpperCase());
  if (!candidates) return undefined;
  for (const route of candidates) {
    const labels = matchRoute(route, rawPath, query);
    if (labels === null) return undefined;
    if (labels) return { operation: route.operation, labels };
  }
  return undefined;
}

const templateCache = new Map<string, Route>();

/**
 * Match one Smithy URI template (`/instance/{InstanceId}`, `/files/{Key+}`, `/x?type=y`) against a raw
 * path: the decoded labels, or `undefined`. A greedy label keeps its `/` separators (each segment decoded).
 */
export function matchUriTemplate(
  template: string,
  rawPath: string,
  query?: URLSearchParams,
): Record<string, string> | undefined {
  let route = templateCache.get(template);
  if (!route) {
    route = compileRoute('', template);
    templateCache.set(template, route);
  }
  return matchRoute(route, rawPath, query) ?? undefined;
}

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

/** Set a map entry as an own property: a key such as `__proto__` is data, not the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
