/**
 * A small interpreter of the JSON Schema (draft 2020-12) subset the configuration schema uses, so that
 * the exported schema is the one source of the structural rules: editors read it, and the library
 * validates with it. It knows exactly the keywords listed in {@link SUPPORTED_KEYWORDS} and throws on any
 * other, so a keyword added to the schema cannot be silently ignored by the validator.
 *
 * Messages are written for people editing a config file (`unknown key (did you mean 'outboundCalls'?)`,
 * `expected true or false, got 'yes'`), and never show a value whose schema says `writeOnly: true`
 * (secrets).
 */

import { closest } from './closest.js';
import {
  canonical,
  codePoints,
  deepEqual,
  describeValue,
  formatPath,
  hasType,
  isPlainObject,
  type Path,
  TYPE_NAMES,
} from './json-values.js';

export { closest } from './closest.js';
export { describeValue, formatPath } from './json-values.js';

/** A schema object (or a boolean schema). Plain JSON: it is written to a file as it is. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** One problem, with the path of the offending value. */
export interface SchemaIssue {
  /** Path segments: property names and array indexes. */
  path: readonly (string | number)[];
  /** The path as the library prints it: `users[3].login`, `instance.tags["aws:x"]`. */
  field: string;
  message: string;
}

/** Keywords that are checked. */
const VALIDATION_KEYWORDS = [
  '$ref',
  'type',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'required',
  'properties',
  'additionalProperties',
  'propertyNames',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'allOf',
  'if',
  'then',
  'else',
] as const;

/**
 * Keywords that only annotate (2020-12 core/meta-data, plus `patternErrorMessage` and
 * `markdownDescription`, which VS Code's JSON and YAML language services read). `format` is an
 * annotation in 2020-12 unless a validator opts in; here it is one.
 */
const ANNOTATION_KEYWORDS = [
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'title',
  'description',
  'markdownDescription',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'format',
  'patternErrorMessage',
] as const;

/** Every keyword this interpreter accepts in a schema. */
export const SUPPORTED_KEYWORDS: readonly string[] = [...VALIDATION_KEYWORDS, ...ANNOTATION_KEYWORDS];
const SUPPORTED = new Set(SUPPORTED_KEYWORDS);

type SchemaObject = { readonly [keyword: string]: unknown };

const patternCache = new Map<string, RegExp>();
/** Schema patterns are ECMA-262 regular expressions, compiled in Unicode mode, unanchored. */
export function schemaPattern(source: string): RegExp {
  let re = patternCache.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    patternCache.set(source, re);
  }
  return re;
}

/** Schema objects whose keywords were already checked against {@link SUPPORTED} (each is checked once). */
const verifiedSchemas = new WeakSet<object>();

class Checker {
  /** Resolved `$ref`s: a config with thousands of users resolves `#/$defs/user` once. */
  private readonly refs = new Map<string, JsonSchema>();

  constructor(private readonly root: SchemaObject) {}

  check(schema: JsonSchema, value: unknown, path: Path, issues: SchemaIssue[]): void {
    const push = (message: string, at: Path = path) =>
      issues.push({ path: at, field: formatPath(at), message });
    if (schema === true) return;
    if (schema === false) {
      push('is not allowed here');
      return;
    }
    if (!verifiedSchemas.has(schema)) {
      for (const keyword of Object.keys(schema)) {
        if (!SUPPORTED.has(keyword)) throw new Error(`unsupported JSON Schema keyword '${keyword}'`);
      }
      verifiedSchemas.add(schema);
    }
    const secret = schema.writeOnly === true;
    const got = (v: unknown) => (secret ? '' : `, got ${describeValue(v)}`);

    if (typeof schema.$ref === 'string') this.check(this.resolve(schema.$ref), value, path, issues);

    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => hasType(value, t))) {
        push(`expected ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}${got(value)}`);
        return;
      }
    }

    if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
      const options = schema.enum as unknown[];
      const near =
        typeof value === 'string'
          ? closest(
              value,
              options.filter((o): o is string => typeof o === 'string'),
            )
          : undefined;
      push(
        `expected one of ${options.map(describeValue).join(', ')}${got(value)}${near ? ` (did you mean '${near}'?)` : ''}`,
      );
      return;
    }
    if ('const' in schema && !deepEqual(schema.const, value)) {
      push(`expected ${describeValue(schema.const)}${got(value)}`);
      return;
    }

    if (typeof value === 'string') this.checkString(schema, value, secret, push);
    if (typeof value === 'number') this.checkNumber(schema, value, push);
    if (isPlainObject(value)) this.checkObject(schema, value, path, issues);
    if (Array.isArray(value)) this.checkArray(schema, value, path, issues);

    if (Array.isArray(schema.allOf)) {
      for (const sub of schema.allOf as JsonSchema[]) this.check(sub, value, path, issues);
    }
    if (schema.if !== undefined) {
      const probe: SchemaIssue[] = [];
      this.check(schema.if as JsonSchema, value, path, probe);
      const branch = probe.length === 0 ? schema.then : schema.else;
      if (branch !== undefined) this.check(branch as JsonSchema, value, path, issues);
    }
  }

  private resolve(ref: string): JsonSchema {
    let resolved = this.refs.get(ref);
    if (resolved === undefined) {
      resolved = this.lookup(ref);
      this.refs.set(ref, resolved);
    }
    return resolved;
  }

  private lookup(ref: string): JsonSchema {
    if (!ref.startsWith('#')) throw new Error(`only local $ref is supported, got '${ref}'`);
    let node: unknown = this.root;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isPlainObject(node) ? node[key] : undefined;
    }
    if (node === undefined) throw new Error(`$ref '${ref}' does not resolve`);
    return node as JsonSchema;
  }

  private checkString(schema: SchemaObject, value: string, secret: boolean, push: (m: string) => void): void {
    const length = codePoints(value);
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      push(
        schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`,
      );
      return;
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      push(`must be at most ${schema.maxLength} characters long (got ${length})`);
      return;
    }
    if (typeof schema.pattern === 'string' && !schemaPattern(schema.pattern).test(value)) {
      const why =
        typeof schema.patternErrorMessage === 'string'
          ? schema.patternErrorMessage
          : `must match the pattern ${schema.pattern}`;
      push(secret ? why : `${describeValue(value)}: ${why}`);
    }
  }

  private checkNumber(schema: SchemaObject, value: number, push: (m: string) => void): void {
    const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
    const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const range =
        min !== undefined && max !== undefined
          ? `from ${min} to ${max}`
          : min !== undefined
            ? `at least ${min}`
            : `at most ${max}`;
      push(`must be ${range}, got ${value}`);
    }
  }

  private checkObject(
    schema: SchemaObject,
    value: Record<string, unknown>,
    path: Path,
    issues: SchemaIssue[],
  ): void {
    const properties = isPlainObject(schema.properties)
      ? (schema.properties as Record<string, JsonSchema>)
      : {};
    const known = Object.keys(properties);
    // A property set to `undefined` (possible only from code, never from JSON or YAML) counts as absent.
    const keys = Object.keys(value).filter((key) => value[key] !== undefined);
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
      issues.push({
        path,
        field: formatPath(path),
        message: `has ${keys.length} entries (at most ${schema.maxProperties})`,
      });
    }
    for (const key of keys) {
      const at = [...path, key];
      if (schema.propertyNames !== undefined) {
        const nameIssues: SchemaIssue[] = [];
        this.check(schema.propertyNames as JsonSchema, key, at, nameIssues);
        for (const issue of nameIssues) issues.push({ ...issue, message: `key ${issue.message}` });
      }
      if (Object.hasOwn(properties, key)) {
        this.check(properties[key] as JsonSchema, value[key], at, issues);
      } else if (schema.additionalProperties === false) {
        const near = closest(key, known);
        issues.push({
          path: at,
          field: formatPath(at),
          message: near
            ? `unknown key (did you mean '${near}'?)`
            : `unknown key; expected ${known.length > 0 ? `one of: ${known.join(', ')}` : 'none'}`,
        });
      } else if (schema.additionalProperties !== undefined) {
        this.check(schema.additionalProperties as JsonSchema, value[key], at, issues);
      }
    }
    if (Array.isArray(schema.required)) {
      for (const key of schema.required as string[]) {
        if (value[key] === undefined || !Object.hasOwn(value, key)) {
          const at = [...path, key];
          issues.push({ path: at, field: formatPath(at), message: 'is required' });
        }
      }
    }
  }

  private checkArray(schema: SchemaObject, value: unknown[], path: Path, issues: SchemaIssue[]): void {
    const push = (message: string, at: Path = path) =>
      issues.push({ path: at, field: formatPath(at), message });
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      push(schema.minItems === 1 ? 'needs at least one item' : `needs at least ${schema.minItems} items`);
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      push(`has ${value.length} items (at most ${schema.maxItems})`);
    }
    if (schema.items !== undefined) {
      value.forEach((item, i) => {
        this.check(schema.items as JsonSchema, item, [...path, i], issues);
      });
    }
    if (schema.uniqueItems === true) {
      // Each item against a map of the ones before it; pairwise when some item is not plain JSON.
      const keys = value.map(canonical);
      const plain = keys.every((key) => key !== undefined);
      const firstOf = new Map<string, number>();
      value.forEach((item, i) => {
        let first: number;
        if (plain) {
          const key = keys[i] as string;
          first = firstOf.get(key) ?? i;
          if (first === i) firstOf.set(key, i);
        } else first = value.findIndex((other) => deepEqual(other, item));
        if (first < i) push(`repeats ${formatPath([...path, first])} (${describeValue(item)})`, [...path, i]);
      });
    }
  }
}

/**
 * Check `value` against `schema` (2020-12 semantics for the supported keywords). Returns every problem
 * found; an empty list means valid.
 *
 * @throws {Error} when the schema uses a keyword this interpreter does not know (a programming error).
 */
export function checkAgainstSchema(schema: JsonSchema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  new Checker(typeof schema === 'boolean' ? {} : schema).check(schema, value, [], issues);
  return issues;
}
