/**
 * The evaluator: explicit deny, then allow, then implicit deny, over compiled statements.
 */
import { compare, NEGATED } from './compare.js';
import {
  arnSplit,
  type Context,
  compilePattern,
  globMatch,
  literalOf,
  type Pattern,
  regexOf,
  resolve,
  type Token,
} from './patterns.js';
import { parseOperator } from './syntax.js';
import { ACCOUNT_ID } from './trust.js';
import type { EvaluationRequest, EvaluationResult, PolicyDocument, PolicyStatement } from './types.js';

const POSITIVE_OPERATORS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NumericEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
]);

interface CompiledCondition {
  /** The positive operator, `Null`, or undefined for an operator IAM does not know. */
  readonly op: string | undefined;
  readonly negated: boolean;
  readonly set: 'any' | 'all' | undefined;
  readonly ifExists: boolean;
  readonly key: string;
  readonly values: readonly Pattern[];
}

interface CompiledStatement {
  readonly actions: readonly RegExp[] | undefined;
  readonly notActions: readonly RegExp[] | undefined;
  readonly resources: readonly Pattern[] | undefined;
  readonly notResources: readonly Pattern[] | undefined;
  readonly conditions: readonly CompiledCondition[];
}

function compileCondition(
  operator: string,
  key: string,
  values: readonly string[],
  variables: boolean,
): CompiledCondition {
  const parsed = parseOperator(operator);
  const positive = NEGATED[parsed.base];
  const op =
    positive ?? (POSITIVE_OPERATORS.has(parsed.base) || parsed.base === 'Null' ? parsed.base : undefined);
  return {
    op,
    negated: positive !== undefined,
    set: parsed.set,
    ifExists: parsed.ifExists,
    key: key.toLowerCase(),
    values: values.map((v) => compilePattern(v, variables)),
  };
}

/** Compiled statements, per statement object; one cache per grammar (policy variables or not). */
const compiledStatements = {
  withVariables: new WeakMap<PolicyStatement, CompiledStatement>(),
  literal: new WeakMap<PolicyStatement, CompiledStatement>(),
};

function compileStatement(st: PolicyStatement, variables: boolean): CompiledStatement {
  const cache = variables ? compiledStatements.withVariables : compiledStatements.literal;
  const cached = cache.get(st);
  if (cached) return cached;
  const actionRe = (list: readonly string[] | undefined) =>
    list?.map((a) => regexOf(compilePattern(a, false).parts as Token[], true));
  const patterns = (list: readonly string[] | undefined) => list?.map((r) => compilePattern(r, variables));
  const conditions: CompiledCondition[] = [];
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    const entries = Object.entries(block);
    // An operator IAM does not know never holds, even with an empty block.
    if (entries.length === 0 && compileCondition(operator, '', [], false).op === undefined) {
      conditions.push(compileCondition(operator, '', [], false));
    }
    for (const [key, values] of entries) conditions.push(compileCondition(operator, key, values, variables));
  }
  const compiled: CompiledStatement = {
    actions: actionRe(st.Action),
    notActions: actionRe(st.NotAction),
    resources: patterns(st.Resource),
    notResources: patterns(st.NotResource),
    conditions,
  };
  cache.set(st, compiled);
  return compiled;
}

function resourceMatches(patterns: readonly Pattern[], resource: string, ctx: Context): boolean {
  return patterns.some((p) => {
    const tokens = resolve(p, ctx);
    return tokens !== undefined && globMatch(tokens, resource, false);
  });
}

function conditionHolds(c: CompiledCondition, ctx: Context): boolean {
  if (c.op === undefined) return false;
  const present = ctx.get(c.key);
  const exists = present !== undefined && present.length > 0;
  if (c.op === 'Null') {
    return c.values.some((p) => {
      const v = literalOf(p.parts as Token[]).toLowerCase();
      return v === 'true' ? !exists : v === 'false' ? exists : false;
    });
  }
  if (!exists) {
    if (c.ifExists) return true;
    if (c.set === 'all') return true;
    if (c.set === 'any') return false;
    return c.negated; // a missing key matches no value: true only for the negated operators
  }
  const policyValues = c.values.map((p) => resolve(p, ctx)).filter((t): t is Token[] => t !== undefined);
  const op = c.op;
  const positive = (v: string) => policyValues.some((p) => compare(op, p, v));
  const holds = (v: string) => (c.negated ? !positive(v) : positive(v));
  switch (c.set) {
    case 'any':
      return present.some(holds);
    case 'all':
      return present.every(holds);
    default:
      // A single-valued operator on a multi-valued key: positive if any value matches, negated if none.
      return c.negated ? present.every(holds) : present.some(holds);
  }
}

function accountOf(arn: string): string | undefined {
  return arnSplit(arn)?.[4];
}

/** Whether the requester is one of the principals of a `Principal`/`NotPrincipal` element. */
function principalMatches(
  element: '*' | Record<string, string[]>,
  who: NonNullable<EvaluationRequest['principal']>,
): boolean {
  if (element === '*') return true;
  for (const [type, values] of Object.entries(element)) {
    switch (type.toLowerCase()) {
      case 'aws':
        if (values.includes('*')) return true;
        if (who.aws === undefined) break;
        for (const v of values) {
          if (v === who.aws) return true;
          // An account (`123456789012` or `arn:…:iam::123456789012:root`) stands for all its principals.
          const account: string | undefined = ACCOUNT_ID.test(v)
            ? v
            : /^arn:[^:]*:iam::(\d{12}):root$/.exec(v)?.[1];
          if (account !== undefined && (who.aws === account || accountOf(who.aws) === account)) return true;
        }
        break;
      case 'federated':
        if (who.federated !== undefined && values.includes(who.federated)) return true;
        break;
      case 'service': {
        const service = who.service?.toLowerCase();
        if (service !== undefined && values.some((v) => v.toLowerCase() === service)) return true;
        break;
      }
    }
  }
  return false;
}

function statementApplies(
  st: PolicyStatement,
  compiled: CompiledStatement,
  request: EvaluationRequest,
  ctx: Context,
): boolean {
  if (request.principal !== undefined) {
    if (st.Principal !== undefined && !principalMatches(st.Principal, request.principal)) return false;
    if (st.NotPrincipal !== undefined && principalMatches(st.NotPrincipal, request.principal)) return false;
  }
  const action = request.action;
  if (compiled.actions !== undefined) {
    if (!compiled.actions.some((re) => re.test(action))) return false;
  } else if (compiled.notActions !== undefined) {
    if (compiled.notActions.some((re) => re.test(action))) return false;
  } else {
    return false;
  }
  if (compiled.resources !== undefined) {
    if (!resourceMatches(compiled.resources, request.resource, ctx)) return false;
  } else if (compiled.notResources !== undefined) {
    if (resourceMatches(compiled.notResources, request.resource, ctx)) return false;
  }
  // No Resource element (trust policies): the statement is about the role itself.
  return compiled.conditions.every((c) => conditionHolds(c, ctx));
}

function contextOf(context: EvaluationRequest['context']): Context {
  const ctx = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(context ?? {})) {
    ctx.set(k.toLowerCase(), typeof v === 'string' ? [v] : v);
  }
  return ctx;
}

/**
 * Evaluates policies the way IAM does within one account: an applicable `Deny` statement wins
 * (`ExplicitDeny`); otherwise an applicable `Allow` allows; otherwise `ImplicitDeny`.
 *
 * A statement applies when its action, resource, principal (only when `request.principal` is given)
 * and every condition match:
 * - actions: case-insensitive, `*` and `?` wildcards; `NotAction` inverts.
 * - resources: case-sensitive, wildcards, policy variables (`${aws:userid}`, `${saml:sub}`,
 *   `${aws:PrincipalTag/x, 'default'}`, escapes `${*}`, `${?}`, `${$}`) resolved from `request.context`
 *   in version 2012-10-17 documents. A variable missing from the context makes that resource not match.
 *   A statement without `Resource`/`NotResource` (a trust policy) matches any resource.
 * - conditions: operators are ANDed, keys within an operator are ANDed, values of a key are ORed;
 *   `ForAnyValue:`/`ForAllValues:` and `…IfExists` are honoured; a key missing from the context fails
 *   positive operators and satisfies negated ones (`StringNotEquals`, `ArnNotLike`, …); an unknown
 *   operator makes the condition false. Context keys are case-insensitive.
 *
 * @example
 * evaluatePolicies([federationPolicy], {
 *   action: 'connect:GetFederationToken',
 *   resource: `${instanceArn}/user/AROAEXAMPLE:jane.doe@acme.com`,
 *   context: { 'aws:userid': 'AROAEXAMPLE:jane.doe@acme.com' },
 * }); // { decision: 'Allow', statement: … }
 */
export function evaluatePolicies(
  documents: readonly PolicyDocument[],
  request: EvaluationRequest,
): EvaluationResult {
  const ctx = contextOf(request.context);
  let allow: PolicyStatement | undefined;
  for (const doc of documents) {
    const variables = doc.Version === '2012-10-17';
    for (const st of doc.Statement) {
      if (!statementApplies(st, compileStatement(st, variables), request, ctx)) continue;
      if (st.Effect === 'Deny') return { decision: 'ExplicitDeny', statement: st };
      allow ??= st;
    }
  }
  return allow !== undefined ? { decision: 'Allow', statement: allow } : { decision: 'ImplicitDeny' };
}
