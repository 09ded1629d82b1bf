/**
 * What the JSON Schema interpreter (`json-schema.ts`) asks of a value: its JSON type, equality (also as
 * a canonical string, for `uniqueItems` on long lists), its length in code points, and how a value and
 * its path are shown in a message.
 */

export type Path = readonly (string | number)[];

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `users[3].login`, `instance.tags["aws:x"]`; the whole document is `config`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? 'config' : out;
}

/** A short rendering of a value for a message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown).replace(/^"|"$/g, "'");
  }
  return String(value);
}

export const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object (a mapping)',
  array: 'a list',
  null: 'null',
};

export function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      throw new Error(`unsupported JSON Schema type '${type}'`);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** The length of a string in code points (what `minLength`/`maxLength` count), without an array. */
export function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/**
 * A string that is the same for two values exactly when {@link deepEqual} says they are equal, for the
 * JSON values a config holds; `undefined` for anything else (then the slow pairwise comparison is used).
 */
export function canonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return String(value);
    case 'number':
      // NaN equals nothing, not even itself; 0 and -0 are equal.
      return Number.isNaN(value) ? undefined : `n${value === 0 ? 0 : value}`;
    case 'object': {
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (const item of value) {
          const part = canonical(item);
          if (part === undefined) return undefined;
          parts.push(part);
        }
        return `[${parts.join(',')}]`;
      }
      if (!isPlainObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
      const parts: string[] = [];
      for (const key of Object.keys(value).sort()) {
        const part = canonical(value[key]);
        if (part === undefined) return undefined;
        parts.push(`${JSON.stringify(key)}:${part}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return undefined;
  }
}
