/**
 * Okta's `filter` / `search` expression language (SCIM-like): `profile.login eq "a@b.c"`,
 * `status eq "ACTIVE" and (profile.lastName sw "Sm" or profile.email co "x")`, `lastUpdated gt "2026-…"`,
 * `profile.mobilePhone pr`. Each endpoint says which attributes and operators it allows; anything
 * else is 400 E0000031 "Invalid search criteria." (the emulator never guesses at what it cannot parse).
 */
import { invalidSearch } from './errors.js';
import type { Json, JsonObject } from './state.js';

export type Operator = 'eq' | 'ne' | 'sw' | 'co' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'cmp'; attr: string; op: Operator; value: Json };

export interface FilterRules {
  /** Allowed attribute paths; a trailing `*` allows a prefix (`profile.*`). */
  attributes: readonly string[];
  operators: readonly Operator[];
  /** Whether `and` / `or` / `not` / parentheses are allowed. */
  logical: boolean;
}

type Token = { t: 'word'; v: string } | { t: 'str'; v: string } | { t: '(' } | { t: ')' };

/** Every operator of the language: what the `search` parameters allow. */
export const ALL_OPERATORS: readonly Operator[] = [
  'eq',
  'ne',
  'sw',
  'co',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
];

const OPERATORS = new Set<string>(ALL_OPERATORS);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= input.length) throw invalidSearch();
        const d = input[i] as string;
        if (d === '\\') {
          const e = input[i + 1];
          if (e === undefined) throw invalidSearch();
          v += e;
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      tokens.push({ t: 'str', v });
    } else {
      let v = '';
      while (i < input.length && !/[\s()"]/.test(input[i] as string)) v += input[i++];
      tokens.push({ t: 'word', v });
    }
  }
  return tokens;
}

function allowedAttribute(attr: string, rules: FilterRules): boolean {
  return rules.attributes.some((a) => (a.endsWith('*') ? attr.startsWith(a.slice(0, -1)) : a === attr));
}

export function parseFilter(input: string, rules: FilterRules): Expr {
  const tokens = tokenize(input);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const tok = tokens[pos];
    return tok?.t === 'word' ? tok.v.toLowerCase() : undefined;
  };

  const parseValue = (): Json => {
    const tok = tokens[pos++];
    if (!tok) throw invalidSearch();
    if (tok.t === 'str') return tok.v;
    if (tok.t !== 'word') throw invalidSearch();
    const w = tok.v.toLowerCase();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(tok.v)) return Number(tok.v);
    throw invalidSearch();
  };

  const parsePrimary = (): Expr => {
    const tok = tokens[pos];
    if (!tok) throw invalidSearch();
    if (tok.t === '(') {
      if (!rules.logical) throw invalidSearch();
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== ')') throw invalidSearch();
      pos++;
      return inner;
    }
    if (tok.t !== 'word') throw invalidSearch();
    if (tok.v.toLowerCase() === 'not') {
      if (!rules.logical) throw invalidSearch();
      pos++;
      return { kind: 'not', expr: parsePrimary() };
    }
    const attr = tok.v;
    pos++;
    const opTok = tokens[pos++];
    if (opTok?.t !== 'word') throw invalidSearch();
    const op = opTok.v.toLowerCase();
    if (!OPERATORS.has(op)) throw invalidSearch();
    if (!allowedAttribute(attr, rules) || !rules.operators.includes(op as Operator)) throw invalidSearch();
    if (op === 'pr') return { kind: 'cmp', attr, op: 'pr', value: null };
    return { kind: 'cmp', attr, op: op as Operator, value: parseValue() };
  };

  /** `operand (word operand)*`, left-associative. */
  const parseChain = (word: 'and' | 'or', operand: () => Expr): Expr => {
    let left = operand();
    while (peekWord() === word) {
      if (!rules.logical) throw invalidSearch();
      pos++;
      left = { kind: word, left, right: operand() };
    }
    return left;
  };

  const parseAnd = (): Expr => parseChain('and', parsePrimary);

  function parseOr(): Expr {
    return parseChain('or', parseAnd);
  }

  if (tokens.length === 0) throw invalidSearch();
  const expr = parseOr();
  if (pos !== tokens.length) throw invalidSearch();
  return expr;
}

function lookup(subject: JsonObject, path: string): Json | undefined {
  let current: Json | undefined = subject;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** `gt` / `ge` / `lt` / `le` between two strings (case-sensitive) or two numbers; other operators: undefined. */
function ordered<T extends string | number>(actual: T, op: Operator, expected: T): boolean | undefined {
  switch (op) {
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
  }
  return undefined;
}

function compare(actual: Json | undefined, op: Operator, expected: Json): boolean {
  if (Array.isArray(actual)) return actual.some((item) => compare(item, op, expected));
  if (op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (actual === undefined) return op === 'ne';
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = actual.toLowerCase();
    const e = expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === e;
      case 'ne':
        return a !== e;
      case 'sw':
        return a.startsWith(e);
      case 'co':
        return a.includes(e);
      case 'ew':
        return a.endsWith(e);
    }
    return ordered(actual, op, expected) ?? false;
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    const order = ordered(actual, op, expected);
    if (order !== undefined) return order;
  }
  if (op === 'eq') return actual === expected;
  if (op === 'ne') return actual !== expected;
  return false;
}

/** Evaluate against the object as the API renders it (`status`, `profile.login`, `credentials.signing.kid`…). */
export function matches(expr: Expr, subject: JsonObject): boolean {
  switch (expr.kind) {
    case 'and':
      return matches(expr.left, subject) && matches(expr.right, subject);
    case 'or':
      return matches(expr.left, subject) || matches(expr.right, subject);
    case 'not':
      return !matches(expr.expr, subject);
    case 'cmp':
      return compare(lookup(subject, expr.attr), expr.op, expr.value);
  }
}

/** A list request's `filter` and `search` expressions (undefined when not given). */
export interface ListExpressions {
  filter: Expr | undefined;
  search: Expr | undefined;
}

/** Parse a list request's `filter` and `search` parameters, each with its own rules. @throws 400 E0000031 */
export function parseListExpressions(
  query: URLSearchParams,
  filterRules: FilterRules,
  searchRules: FilterRules,
): ListExpressions {
  const filterText = query.get('filter');
  const searchText = query.get('search');
  return {
    filter: filterText ? parseFilter(filterText, filterRules) : undefined,
    search: searchText ? parseFilter(searchText, searchRules) : undefined,
  };
}

/** Whether a rendered object matches both the `filter` and the `search` given (an absent one matches). */
export function matchesList(expressions: ListExpressions, subject: JsonObject): boolean {
  const { filter, search } = expressions;
  return (!filter || matches(filter, subject)) && (!search || matches(search, subject));
}
