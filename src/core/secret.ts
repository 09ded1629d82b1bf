import { inspect } from 'node:util';

const REDACTED = '[redacted]';
const values = new WeakMap<Secret, string>();

/**
 * A secret value (an AWS secret access key, an Okta token) that cannot leak by accident: it prints as
 * `[redacted]` through `toString`, template strings, `util.inspect`/`console.log` and `JSON.stringify`.
 * Only {@link Secret.reveal} returns the value. The value lives in a module-private WeakMap, so not even
 * `Object.entries`, spreading or structured logging of the object can reach it.
 */
export class Secret {
  /**
   * @param value - The secret, a non-empty string.
   * @throws {TypeError} for an empty or non-string value.
   */
  constructor(value: string) {
    if (typeof value !== 'string' || value.length === 0)
      throw new TypeError('A Secret needs a non-empty string');
    values.set(this, value);
    Object.freeze(this);
  }

  /** The secret itself. Hand it to where it is needed; never log it. */
  reveal(): string {
    return values.get(this) as string;
  }

  /** `[redacted]`: also what template strings and string concatenation show. */
  toString(): string {
    return REDACTED;
  }

  /** `[redacted]`: what `JSON.stringify` writes. */
  toJSON(): string {
    return REDACTED;
  }

  /** `Secret([redacted])`: what `util.inspect` and `console.log` show. */
  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }

  /** `[redacted]`, for every coercion to a primitive. */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}
