/**
 * Validation of an operation's input against its model shape, with the services' own wording (see the
 * evidence in ../aws-model.ts).
 */
import { ServiceError } from '../emulator.js';
import {
  type AwsServiceName,
  type Bounds,
  type MemberModel,
  MODELS,
  opOf,
  type ServiceModel,
  type ShapeModel,
  shapeOf,
} from './model.js';

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
  else if (ctx.service !== 'connect' || sensitive) shown = '';
  else shown = ` '${javaText(value)}'`;
  ctx.out.push(`Value${shown} at '${path}' failed to satisfy constraint: ${rule}`);
}

function patternText(ctx: ValidationContext, pattern: string): string {
  if (ctx.service === 'connect') return pattern;
  // The IAM and STS Smithy models wrap the legacy patterns in ^…$; the services print the legacy form.
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  if (p.endsWith('$') && !p.endsWith('\\$')) p = p.slice(0, -1);
  return p;
}

function enumText(ctx: ValidationContext, values: readonly (string | number)[]): string {
  return ctx.service !== 'connect'
    ? 'Member must satisfy enum value set'
    : `Member must satisfy enum value set: [${values.join(', ')}]`;
}

/** The length rules (of a string, list or map) that `n` items break: at most one of max and min. */
function lengthRules(length: Bounds | undefined, n: number): string[] {
  const rules: string[] = [];
  if (length?.max !== undefined && n > length.max) {
    rules.push(`Member must have length less than or equal to ${length.max}`);
  }
  if (length?.min !== undefined && n < length.min) {
    rules.push(`Member must have length greater than or equal to ${length.min}`);
  }
  return rules;
}

/** Constraint rules a scalar value breaks (strings, numbers, enums), without the `Value … at` prefix. */
function scalarRules(ctx: ValidationContext, ref: MemberModel, shape: ShapeModel, value: unknown): string[] {
  const rules: string[] = [];
  const length = ref.length ?? shape.length;
  const pattern = ref.pattern ?? shape.pattern;
  const range = ref.range ?? shape.range;
  if (typeof value === 'string') {
    rules.push(...lengthRules(length, codePointLength(value)));
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
      for (const rule of lengthRules(length, value.length)) violation(ctx, value, path, sensitive, rule);
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
      for (const rule of lengthRules(length, entries.length)) violation(ctx, value, path, sensitive, rule);
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
  if (service !== 'connect') return 'ValidationError';
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
