import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';

const VALUE = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('Secret', () => {
  const secret = new Secret(VALUE);

  it('reveals the value only through reveal()', () => {
    expect(secret.reveal()).toBe(VALUE);
  });

  it.each([
    ['String()', () => String(secret)],
    ['template string', () => `${secret}`],
    ['toString()', () => secret.toString()],
    ['JSON.stringify', () => JSON.stringify({ key: secret })],
    ['util.inspect', () => inspect({ nested: { secret } }, { depth: 10, showHidden: true })],
    ['Object.entries', () => JSON.stringify(Object.entries(secret))],
    ['spread', () => inspect({ ...secret })],
    ['concatenation', () => `key=${secret}`],
  ])('never shows the value through %s', (_name, render) => {
    const text = render();
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain('EXAMPLEKEY');
  });

  it('prints as [redacted]', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify(secret)).toBe('"[redacted]"');
    expect(inspect(secret)).toBe('Secret([redacted])');
  });

  it('rejects an empty value', () => {
    expect(() => new Secret('')).toThrow(TypeError);
  });
});
