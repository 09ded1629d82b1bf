/**
 * What both policy grammars share: IAM's messages, the rejection they throw, JSON helpers, condition
 * operators, and the normalized form every parsed statement takes.
 */
import type { PolicyDocument, PolicyParseFailure, PolicyStatement } from './types.js';

// ---------------------------------------------------------------------------------------------------
// Messages

export const MSG = {
  syntax: 'Syntax errors in policy.',
  version: 'Policy document must be version 2012-10-17 or greater.',
  legacy: 'The policy failed legacy parsing',
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  principalNotAllowed: 'Policy document should not specify a principal.',
  vendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  oneColon: 'Actions/Condition can contain only one colon.',
  vendorRegex: 'Resource vendor must be fully qualified and cannot contain regexes.',
  iamPath:
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, ' +
    'instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, ' +
    'report/, access-report/.',
  trustInvalidJson: 'This policy contains invalid Json',
  trustVersion: 'The policy must contain a valid version string',
  trustNoStatement: 'Missing required field Statement',
  trustEmptyStatement: 'Could not parse the policy: Statement is empty!',
  trustDuplicateSid: 'The Statement Ids in the policy are not unique',
  trustNoEffect: 'Missing required field Effect',
  trustNoPrincipal: 'Missing required field Principal',
  trustEmptyPrincipal: 'Missing required field Principal cannot be empty!',
  trustAllowNotPrincipal: 'Allow with NotPrincipal is not allowed.',
  trustNoAction: 'Missing required field Action',
  trustNonSts: 'AssumeRole policy may only specify STS AssumeRole actions.',
} as const;

export class PolicyRejection extends Error {
  constructor(
    message: string,
    readonly code: PolicyParseFailure['code'] = 'MalformedPolicyDocument',
  ) {
    super(message);
  }
}

export function reject(message: string): never {
  throw new PolicyRejection(message);
}

// ---------------------------------------------------------------------------------------------------
// JSON helpers

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function has(o: JsonObject, key: string): boolean {
  return Object.hasOwn(o, key);
}

export function isStringOrStringList(v: unknown): v is string | string[] {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

export function asList(v: string | string[]): string[] {
  return typeof v === 'string' ? [v] : [...v];
}

/** Condition values may be JSON strings, numbers or booleans (IAM accepts `"aws:SecureTransport": false`). */
function isConditionScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export const VALID_VERSIONS = new Set(['2008-10-17', '2012-10-17']);
export const TOP_LEVEL_FIELDS = new Set(['Version', 'Id', 'Statement']);
export const STATEMENT_FIELDS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);

/** Base condition operators IAM knows (before `ForAnyValue:`/`ForAllValues:` and `IfExists`). */
const CONDITION_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

interface ParsedOperator {
  base: string;
  set: 'any' | 'all' | undefined;
  ifExists: boolean;
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts (one prefix, one suffix at most, like IAM). */
export function parseOperator(op: string): ParsedOperator {
  let rest = op;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  return { base: rest, set, ifExists };
}

/** Counts characters the way the size quotas do: white space is not counted. */
export function policyLength(text: string): number {
  return text.replace(/\s/g, '').length;
}

// ---------------------------------------------------------------------------------------------------
// Shared statement syntax

/** Syntax of a Condition block; returns false where IAM says `Syntax errors in policy.` */
export function conditionSyntaxOk(cond: unknown): boolean {
  if (!isObject(cond)) return false;
  for (const [op, block] of Object.entries(cond)) {
    if (!isObject(block)) return false;
    for (const value of Object.values(block)) {
      const ok = isConditionScalar(value) || (Array.isArray(value) && value.every(isConditionScalar));
      if (!ok) return false;
    }
    // An unknown operator is tolerated only with an empty block (moto/AWS behaviour).
    if (!CONDITION_OPERATORS.has(parseOperator(op).base) && Object.keys(block).length > 0) return false;
  }
  return true;
}

export function principalSyntaxOk(p: unknown): boolean {
  if (p === '*') return true;
  if (!isObject(p)) return false;
  return Object.values(p).every(isStringOrStringList);
}

function normalizeCondition(cond: JsonObject): Record<string, Record<string, string[]>> {
  return Object.fromEntries(
    Object.entries(cond).map(([op, block]) => [
      op,
      Object.fromEntries(
        Object.entries(block as JsonObject).map(([key, value]) => [
          key,
          (Array.isArray(value) ? value : [value]).map((v) => String(v)),
        ]),
      ),
    ]),
  );
}

function normalizePrincipal(p: unknown): '*' | Record<string, string[]> {
  if (p === '*') return '*';
  return Object.fromEntries(
    Object.entries(p as JsonObject).map(([k, v]) => [k, asList(v as string | string[])]),
  );
}

function normalizeStatement(st: JsonObject): PolicyStatement {
  const out: PolicyStatement = { Effect: (st.Effect as string).toLowerCase() === 'deny' ? 'Deny' : 'Allow' };
  if (typeof st.Sid === 'string') out.Sid = st.Sid;
  if (has(st, 'Principal')) out.Principal = normalizePrincipal(st.Principal);
  if (has(st, 'NotPrincipal')) out.NotPrincipal = normalizePrincipal(st.NotPrincipal);
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (has(st, key)) out[key] = asList(st[key] as string | string[]);
  }
  if (has(st, 'Condition')) out.Condition = normalizeCondition(st.Condition as JsonObject);
  return out;
}

export function statementsOf(raw: JsonObject): unknown[] {
  const s = raw.Statement;
  return Array.isArray(s) ? s : [s];
}

export function buildDocument(raw: JsonObject, statements: JsonObject[]): PolicyDocument {
  const doc: PolicyDocument = { Statement: statements.map(normalizeStatement) };
  if (typeof raw.Version === 'string') doc.Version = raw.Version;
  if (typeof raw.Id === 'string') doc.Id = raw.Id;
  return doc;
}
