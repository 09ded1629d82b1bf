/**
 * IAM policy documents compared by meaning, not by text: IAM returns them URL-encoded, and a single
 * value means the same as a one-element array, in any order.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asSortedSet = (v: Json | undefined): string[] =>
  [
    ...new Set(
      (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) =>
        typeof x === 'string' ? x : JSON.stringify(x),
      ),
    ),
  ].sort();

function canonicalPrincipal(p: Json | undefined): Json | undefined {
  if (p === undefined || !isObject(p)) return p;
  return Object.fromEntries(
    Object.keys(p)
      .sort()
      .map((k) => [k, asSortedSet(p[k])]),
  );
}

function canonicalCondition(c: Json | undefined): Json | undefined {
  if (c === undefined || !isObject(c)) return c;
  return Object.fromEntries(
    Object.keys(c)
      .sort()
      .map((op) => {
        const keys = c[op];
        const norm = isObject(keys)
          ? Object.fromEntries(
              Object.keys(keys)
                .map((k) => [k.toLowerCase(), asSortedSet(keys[k])] as const)
                .sort(([a], [b]) => (a < b ? -1 : 1)),
            )
          : keys;
        return [op, norm as Json];
      }),
  );
}

function canonicalStatement(s: Json): Json {
  if (!isObject(s)) return s;
  const out: JsonObject = {};
  for (const key of Object.keys(s).sort()) {
    const value = s[key];
    if (key === 'Action' || key === 'NotAction' || key === 'Resource' || key === 'NotResource')
      out[key] = asSortedSet(value);
    else if (key === 'Principal' || key === 'NotPrincipal') out[key] = canonicalPrincipal(value) ?? null;
    else if (key === 'Condition') out[key] = canonicalCondition(value) ?? null;
    else out[key] = value ?? null;
  }
  return out;
}

/** Parse a policy document as IAM returns it (URL-encoded or not). */
export function decodePolicyDocument(text: string): unknown {
  const trimmed = text.trim();
  return JSON.parse(/^%7b/i.test(trimmed) ? decodeURIComponent(trimmed) : trimmed);
}

/** A canonical JSON string of a policy: equal strings mean equal policies. */
export function canonicalPolicy(document: unknown): string {
  const doc = (isObject(document as Json) ? document : {}) as JsonObject;
  const statements = Array.isArray(doc.Statement)
    ? doc.Statement
    : doc.Statement === undefined
      ? []
      : [doc.Statement];
  const canonical: JsonObject = {
    ...doc,
    // IAM's default when Version is absent.
    Version: doc.Version ?? '2008-10-17',
    Statement: statements
      .map(canonicalStatement)
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  };
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(canonical)
        .sort()
        .map((k) => [k, canonical[k] as Json]),
    ),
  );
}

/** Whether two policy documents (objects or JSON text, URL-encoded or not) say the same thing. */
export function samePolicy(a: unknown, b: unknown): boolean {
  const parse = (x: unknown) => (typeof x === 'string' ? decodePolicyDocument(x) : x);
  return canonicalPolicy(parse(a)) === canonicalPolicy(parse(b));
}
