/**
 * Policy strings as patterns: literal text, `*` and `?` wildcards and policy variables, matched as globs
 * or component by component as ARNs.
 */

/** A wildcard in a pattern: `*` (any run) or `?` (one character). */
export interface Wild {
  readonly w: '*' | '?';
}
export const STAR: Wild = { w: '*' };
const QMARK: Wild = { w: '?' };

/** A pattern part: literal text, a wildcard, or a policy variable (`${aws:userid}`, `${x, 'default'}`). */
export type Part = string | Wild | { readonly name: string; readonly fallback: string | undefined };
/** A resolved pattern: literal text and wildcards only. */
export type Token = string | Wild;

export interface Pattern {
  readonly parts: readonly Part[];
  readonly hasVariables: boolean;
}

/** Context keys lower-cased, every value as a list. */
export type Context = ReadonlyMap<string, readonly string[]>;

const VARIABLE = /^([A-Za-z0-9_.:/+=,@-]+)(?:\s*,\s*'([^']*)')?$/;

/**
 * Splits a policy string into literal text, wildcards and (with `variables`) policy variables.
 * `${*}`, `${?}`, `${$}` are the literal characters. Policy variables exist only in version 2012-10-17
 * documents; elsewhere `${…}` is plain text.
 */
export function compilePattern(src: string, variables: boolean): Pattern {
  const parts: Part[] = [];
  let text = '';
  let hasVariables = false;
  const flush = () => {
    if (text !== '') parts.push(text);
    text = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] ?? '';
    if (variables && ch === '$' && src[i + 1] === '{') {
      const end = src.indexOf('}', i + 2);
      if (end > 0) {
        const inner = src.slice(i + 2, end).trim();
        if (inner === '*' || inner === '?' || inner === '$') {
          text += inner;
          i = end;
          continue;
        }
        const m = VARIABLE.exec(inner);
        if (m?.[1]) {
          flush();
          parts.push({ name: m[1].toLowerCase(), fallback: m[2] });
          hasVariables = true;
          i = end;
          continue;
        }
      }
    }
    if (ch === '*' || ch === '?') {
      flush();
      parts.push(ch === '*' ? STAR : QMARK);
    } else {
      text += ch;
    }
  }
  flush();
  return { parts, hasVariables };
}

/** The single value of a context key usable as a policy variable (multi-valued keys are not). */
function variableValue(ctx: Context, name: string): string | undefined {
  const v = ctx.get(name);
  return v?.length === 1 ? v[0] : undefined;
}

/** Substitutes policy variables; `undefined` when one is missing from the context and has no default. */
export function resolve(pattern: Pattern, ctx: Context): Token[] | undefined {
  if (!pattern.hasVariables) return pattern.parts as Token[];
  const out: Token[] = [];
  for (const p of pattern.parts) {
    if (typeof p === 'string' || 'w' in p) {
      out.push(p);
      continue;
    }
    const value = variableValue(ctx, p.name) ?? p.fallback;
    if (value === undefined) return undefined;
    out.push(value); // substituted text is literal: a `*` in a user id is no wildcard
  }
  return out;
}

export function literalOf(tokens: readonly Token[]): string {
  return tokens.map((t) => (typeof t === 'string' ? t : t.w)).join('');
}

const regexCache = new Map<string, RegExp>();
const REGEX_CACHE_LIMIT = 2000;

export function regexOf(tokens: readonly Token[], ignoreCase: boolean): RegExp {
  let src = '^';
  for (const t of tokens) {
    if (typeof t === 'string') src += t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else src += t === STAR ? '.*' : '.';
  }
  src += '$';
  const flags = ignoreCase ? 'si' : 's';
  const key = `${flags}:${src}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
    re = new RegExp(src, flags);
    regexCache.set(key, re);
  }
  return re;
}

/** Wildcard match of a resolved pattern against a value. */
export function globMatch(tokens: readonly Token[], value: string, ignoreCase: boolean): boolean {
  if (tokens.length === 1 && typeof tokens[0] === 'string') {
    return ignoreCase ? tokens[0].toLowerCase() === value.toLowerCase() : tokens[0] === value;
  }
  return regexOf(tokens, ignoreCase).test(value);
}

/** Splits tokens into the six ARN components (the last keeps its colons); undefined if fewer than six. */
function arnComponents(tokens: readonly Token[]): Token[][] | undefined {
  const comps: Token[][] = [[]];
  for (const t of tokens) {
    if (typeof t !== 'string') {
      comps[comps.length - 1]?.push(t);
      continue;
    }
    let rest = t;
    while (comps.length < 6) {
      const i = rest.indexOf(':');
      if (i < 0) break;
      comps[comps.length - 1]?.push(rest.slice(0, i));
      comps.push([]);
      rest = rest.slice(i + 1);
    }
    comps[comps.length - 1]?.push(rest);
  }
  return comps.length === 6 ? comps : undefined;
}

export function arnSplit(value: string): string[] | undefined {
  const out: string[] = [];
  let rest = value;
  for (let i = 0; i < 5; i++) {
    const j = rest.indexOf(':');
    if (j < 0) return undefined;
    out.push(rest.slice(0, j));
    rest = rest.slice(j + 1);
  }
  out.push(rest);
  return out;
}

/** `ArnEquals`/`ArnLike`: each of the six colon-delimited components is matched on its own, with wildcards. */
export function arnMatch(tokens: readonly Token[], value: string): boolean {
  const pattern = arnComponents(tokens);
  const parts = arnSplit(value);
  if (pattern === undefined || parts === undefined) {
    // Not an ARN on one side: only a lone `*` matches.
    return tokens.length === 1 && tokens[0] === STAR;
  }
  return pattern.every((comp, i) => globMatch(comp, parts[i] ?? '', false));
}
