/**
 * IAM policy documents for the sandbox: a parser/validator that answers like IAM's
 * `MalformedPolicyDocument` checks, and a small evaluator (explicit deny → allow → implicit deny).
 *
 * Used by the IAM emulator (validation of managed policies and role trust policies), by the server
 * (the permission check of requests signed with an IAM user's access key) and by the SAML sign-in
 * simulation (may the role call `connect:GetFederationToken` on `<instance-arn>/user/<role-id>:<session>`?).
 *
 * Where the messages come from:
 * - Managed (identity) policies go through IAM's classic validator. Its messages and their order follow
 *   the cases that moto verified against AWS (`tests/test_iam/test_iam_policies.py`) and LocalStack's
 *   port of them (which adds the newer `"*", root, or start with` wording): `Syntax errors in policy.`,
 *   `Policy document must be version 2012-10-17 or greater.`, `The policy failed legacy parsing`, …
 * - Role trust policies go through the newer grammar, whose messages read differently: real CreateRole
 *   answers `This policy contains invalid Json` (LocalStack snapshot recorded against AWS),
 *   `Has prohibited field Resource`, `Missing required field Principal`,
 *   `AssumeRole policy may only specify STS AssumeRole actions.` and
 *   `Invalid principal in policy: "AWS":"…"` (all quoted in real CLI/SDK transcripts).
 * - Size quotas (IAM quotas page) are `LimitExceeded`, not `MalformedPolicyDocument`:
 *   `Cannot exceed quota for PolicySize: 6144`, `Cannot exceed quota for ACLSizePerRole: 2048`.
 *   IAM does not count white space against them.
 *
 * Pure: no I/O, no clock. Compiled forms of statements are cached per statement object, so treat
 * parsed documents as immutable.
 */

/** One statement of a {@link PolicyDocument}, normalized: every multi-valued element is an array. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  /** `"*"` or `{ AWS | Federated | Service | CanonicalUser: [...] }`. */
  Principal?: '*' | Record<string, string[]>;
  NotPrincipal?: '*' | Record<string, string[]>;
  /** `{ operator: { conditionKey: [values] } }`; JSON numbers and booleans are kept as strings. */
  Condition?: Record<string, Record<string, string[]>>;
}

/**
 * A parsed policy document. Normalized: a single `Statement` object becomes a one-element array and
 * single values become arrays, so consumers never branch on the JSON shape.
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/**
 * Which validator applies: `identity` for managed (identity-based) policies — no `Principal`,
 * `Resource` required, version 2012-10-17; `trust` for a role's assume-role policy — `Principal`
 * required, no `Resource`, only `sts:` actions.
 */
export type PolicyKind = 'identity' | 'trust';

/** Options of {@link parsePolicyDocument}. */
export interface ParsePolicyOptions {
  /**
   * Size quota in characters, white space excluded. Defaults: 6144 for `identity` (managed policy
   * size), 2048 for `trust` (role trust policy length; AWS can raise it to 4096).
   */
  maxLength?: number;
}

/** A successful parse. */
export interface PolicyParseSuccess {
  ok: true;
  document: PolicyDocument;
}

/**
 * A rejected document. `message` is IAM's error message; `code` is the IAM error code to answer with
 * (`MalformedPolicyDocument`, HTTP 400; or `LimitExceeded`, HTTP 409, for the size quotas).
 */
export interface PolicyParseFailure {
  ok: false;
  message: string;
  code: 'MalformedPolicyDocument' | 'LimitExceeded';
}

/** Default size quota of a managed policy (characters, white space excluded). */
export const IDENTITY_POLICY_MAX_LENGTH = 6144;
/** Default size quota of a role trust policy (characters, white space excluded). */
export const TRUST_POLICY_MAX_LENGTH = 2048;

// ---------------------------------------------------------------------------------------------------
// Messages

const MSG = {
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

class PolicyRejection extends Error {
  constructor(
    message: string,
    readonly code: PolicyParseFailure['code'] = 'MalformedPolicyDocument',
  ) {
    super(message);
  }
}

function reject(message: string): never {
  throw new PolicyRejection(message);
}

// ---------------------------------------------------------------------------------------------------
// JSON helpers

type JsonObject = { [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(o: JsonObject, key: string): boolean {
  return Object.hasOwn(o, key);
}

function isStringOrStringList(v: unknown): v is string | string[] {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function asList(v: string | string[]): string[] {
  return typeof v === 'string' ? [v] : [...v];
}

/** Condition values may be JSON strings, numbers or booleans (IAM accepts `"aws:SecureTransport": false`). */
function isConditionScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

const VALID_VERSIONS = new Set(['2008-10-17', '2012-10-17']);
const TOP_LEVEL_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set([
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
function parseOperator(op: string): ParsedOperator {
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
function policyLength(text: string): number {
  return text.replace(/\s/g, '').length;
}

// ---------------------------------------------------------------------------------------------------
// Shared statement syntax

/** Syntax of a Condition block; returns false where IAM says `Syntax errors in policy.` */
function conditionSyntaxOk(cond: unknown): boolean {
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

function principalSyntaxOk(p: unknown): boolean {
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

function statementsOf(raw: JsonObject): unknown[] {
  const s = raw.Statement;
  return Array.isArray(s) ? s : [s];
}

function buildDocument(raw: JsonObject, statements: JsonObject[]): PolicyDocument {
  const doc: PolicyDocument = { Statement: statements.map(normalizeStatement) };
  if (typeof raw.Version === 'string') doc.Version = raw.Version;
  if (typeof raw.Id === 'string') doc.Id = raw.Id;
  return doc;
}

// ---------------------------------------------------------------------------------------------------
// Identity (managed) policies: IAM's classic validator

function identityStatementSyntaxOk(st: unknown): st is JsonObject {
  if (!isObject(st)) return false;
  for (const key of Object.keys(st)) if (!STATEMENT_FIELDS.has(key)) return false;
  if (has(st, 'Resource') && has(st, 'NotResource')) return false;
  if (has(st, 'Action') && has(st, 'NotAction')) return false;
  if (typeof st.Effect !== 'string') return false;
  const effect = st.Effect.toLowerCase();
  if (effect !== 'allow' && effect !== 'deny') return false;
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (has(st, key) && !isStringOrStringList(st[key])) return false;
  }
  if (has(st, 'Condition') && !conditionSyntaxOk(st.Condition)) return false;
  if (has(st, 'Sid') && typeof st.Sid !== 'string') return false;
  for (const key of ['Principal', 'NotPrincipal']) {
    if (has(st, key) && !principalSyntaxOk(st[key])) return false;
  }
  return true;
}

/** Python-style `int()` of a decimal string (surrounding blanks and one sign allowed). */
function pyInt(s: string): bigint {
  const m = /^\s*([+-]?\d+)\s*$/.exec(s);
  if (!m?.[1]) throw new PolicyRejection(MSG.legacy);
  return BigInt(m[1]);
}

function inRange(v: bigint, lo: bigint, hi: bigint): boolean {
  return v >= lo && v <= hi;
}

/** The legacy parser's check of an ISO 8601 date (input already lower-cased). */
function legacyIsoDateOk(value: string): boolean {
  try {
    const t = value.indexOf('t');
    const datePart = t < 0 ? value : value.slice(0, t);
    const timePart = t < 0 ? '' : value.slice(t + 1);
    const negative = datePart.startsWith('-');
    const dateParts = (negative ? datePart.slice(1) : datePart).split('-');
    if (!inRange(pyInt(`${negative ? '-' : ''}${dateParts[0] ?? ''}`), -292275054n, 292278993n)) return false;
    if (dateParts.length > 1 && !inRange(pyInt(dateParts[1] ?? ''), 1n, 12n)) return false;
    if (dateParts.length > 2 && !inRange(pyInt(dateParts[2] ?? ''), 1n, 31n)) return false;
    if (dateParts.length >= 4) return false;
    const timeParts = timePart.split(':');
    if (timeParts[0] !== '' && !inRange(pyInt(timeParts[0] ?? ''), 0n, 23n)) return false;
    if (timeParts.length > 1 && !inRange(pyInt(timeParts[1] ?? ''), 0n, 59n)) return false;
    if (timeParts.length > 2) {
      // Seconds, then `z`, `+hh[:mm]` or `-hh[:mm]` (the zone's minutes are the next `:` part).
      const secondsAndZone = timeParts.slice(2).join(':');
      const m = /^([^z+-]*)(?:(z)|([+-])(.*))?$/.exec(secondsAndZone);
      if (!m) return false;
      const seconds = m[1] ?? '';
      if (m[3]) {
        const [hh = '', mm] = (m[4] ?? '').split(':');
        if (hh.length !== 2 || !inRange(pyInt(hh), 0n, 23n)) return false;
        if (mm !== undefined && (mm.length !== 2 || !inRange(pyInt(mm), 0n, 59n))) return false;
      }
      const dot = seconds.indexOf('.');
      const whole = dot < 0 ? seconds : seconds.slice(0, dot);
      if (!inRange(pyInt(whole), 0n, 59n)) return false;
      if (dot >= 0 && !inRange(pyInt(seconds.slice(dot + 1)), 0n, 999999999n)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function legacyDateOk(value: string): boolean {
  if (value.toLowerCase().includes('t') || value.includes('-')) return legacyIsoDateOk(value.toLowerCase());
  try {
    return inRange(pyInt(value), 0n, 9223372036854775807n);
  } catch {
    return false;
  }
}

const PARTITIONS = new Set([
  '*',
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);
const IAM_RESOURCE_STARTS = [
  'root',
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
];

/** Splits at the first `sep`, like Python's `str.partition`. */
function partition(s: string, sep: string): [string, string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)];
}

/** The format error IAM reports for one Resource/NotResource value, if any. */
function resourceFormatError(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const [, colon, afterArn] = partition(resource, ':');
  if (colon === '') return `Resource ${resource} must be in ARN format or "*".`;
  const [partitionName, colon2, afterPartition] = partition(afterArn, ':');
  if (!PARTITIONS.has(partitionName)) {
    const rest = afterPartition.split(':');
    const a1 = rest[0] !== '' || rest.length > 1 ? (rest[0] ?? '*') : '*';
    const a2 = rest.length > 1 ? (rest[1] ?? '*') : '*';
    const a3 = rest.length > 2 ? (rest[2] ?? '*') : '*';
    const a4 = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return `Partition "${partitionName}" is not valid for resource "arn:${partitionName}:${a1}:${a2}:${a3}:${a4}".`;
  }
  if (colon2 !== ':') return MSG.vendorRegex;
  const [service, , afterService] = partition(afterPartition, ':');
  const [, , afterRegion] = partition(afterService, ':');
  const [, , resourceId] = partition(afterRegion, ':');
  const hasRegion = !afterService.startsWith(':');
  if (service === 'iam' && hasRegion) return `IAM resource ${resource} cannot contain region information.`;
  if (service === 's3' && hasRegion && !resourceId.startsWith('accesspoint/')) {
    return `Resource ${resource} can not contain region information.`;
  }
  if (service === 'iam' && !IAM_RESOURCE_STARTS.some((p) => resourceId.startsWith(p))) return MSG.iamPath;
  return undefined;
}

/** The legacy parser's ARN check: a `::` needs the full six parts, and the service may not be empty. */
function legacyResourceOk(resource: string): boolean {
  if (resource === '*') return true;
  if (!(resource.split(':').length - 1 >= 5 || !resource.includes('::'))) return false;
  return (resource.split(':')[2] ?? '') !== '';
}

function actionPrefixError(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length === 1 && parts[0] !== '*') return MSG.vendor;
  if (parts.length > 2) return MSG.oneColon;
  const vendor = parts[0] ?? '';
  if (vendor !== '*' && /[^a-zA-Z0-9\-.]/.test(vendor)) return `Vendor ${vendor} is not valid`;
  return undefined;
}

function nonEmptyListOrString(v: unknown): boolean {
  return !Array.isArray(v) || v.length > 0;
}

function validateIdentity(raw: unknown): PolicyDocument {
  // 1. Syntax.
  if (!isObject(raw)) reject(MSG.syntax);
  for (const key of Object.keys(raw)) if (!TOP_LEVEL_FIELDS.has(key)) reject(MSG.syntax);
  if (has(raw, 'Version') && !(typeof raw.Version === 'string' && VALID_VERSIONS.has(raw.Version))) {
    reject(MSG.syntax);
  }
  if (has(raw, 'Id') && typeof raw.Id !== 'string') reject(MSG.syntax);
  if (!has(raw, 'Statement') || !(isObject(raw.Statement) || Array.isArray(raw.Statement)))
    reject(MSG.syntax);
  const rawStatements = statementsOf(raw);
  if (rawStatements.length === 0) reject(MSG.syntax);
  const statements: JsonObject[] = [];
  for (const st of rawStatements) {
    if (!identityStatementSyntaxOk(st)) reject(MSG.syntax);
    statements.push(st);
  }

  // 2. Version: managed policies need the current grammar.
  if (raw.Version !== '2012-10-17') reject(MSG.version);

  // 3. Identity policies never name a principal.
  if (statements.some((st) => has(st, 'Principal') || has(st, 'NotPrincipal')))
    reject(MSG.principalNotAllowed);

  // 4. Legacy parsing: case-sensitive Effect, date values, then resource formats.
  for (const st of statements) {
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') reject(MSG.legacy);
    if (isObject(st.Condition)) {
      for (const [op, block] of Object.entries(st.Condition)) {
        if (!parseOperator(op).base.startsWith('Date')) continue;
        for (const value of Object.values(block as JsonObject)) {
          const values = Array.isArray(value) ? value : [value];
          for (const v of values) if (!legacyDateOk(String(v))) reject(MSG.legacy);
        }
      }
    }
  }
  // The first format error found is reported later (after the action checks), the way IAM does; a
  // legacy ARN failure is reported at once, but only while no format error has been seen.
  let resourceError: string | undefined;
  for (const key of ['Resource', 'NotResource'] as const) {
    for (const st of statements) {
      if (!has(st, key)) continue;
      const values = asList(st[key] as string | string[]);
      const ordered = typeof st[key] === 'string' ? values : [...values].sort().reverse();
      for (const r of ordered) {
        const err = resourceFormatError(r);
        if (err !== undefined) resourceError = err;
      }
      if (resourceError === undefined && !values.every(legacyResourceOk)) reject(MSG.legacy);
    }
  }

  // 5. Unique Sids.
  const sids = new Set<string>();
  for (const st of statements) {
    if (typeof st.Sid === 'string' && st.Sid !== '') {
      if (sids.has(st.Sid)) reject(MSG.duplicateSid);
      sids.add(st.Sid);
    }
  }

  // 6. Actions present.
  for (const st of statements) {
    const key = has(st, 'Action') ? 'Action' : has(st, 'NotAction') ? 'NotAction' : undefined;
    if (key === undefined || !nonEmptyListOrString(st[key])) reject(MSG.noActions);
  }

  // 7. Resource format errors.
  if (resourceError !== undefined) reject(resourceError);

  // 8. Action vendor prefixes.
  for (const key of ['Action', 'NotAction'] as const) {
    for (const st of statements) {
      if (!has(st, key)) continue;
      for (const a of asList(st[key] as string | string[])) {
        const err = actionPrefixError(a);
        if (err !== undefined) reject(err);
      }
    }
  }

  // 9. Resources present.
  for (const st of statements) {
    const key = has(st, 'Resource') ? 'Resource' : has(st, 'NotResource') ? 'NotResource' : undefined;
    if (key === undefined || !nonEmptyListOrString(st[key])) reject(MSG.noResources);
  }

  return buildDocument(raw, statements);
}

// ---------------------------------------------------------------------------------------------------
// Trust policies: the newer grammar

const TRUST_PRINCIPAL_TYPES = new Set(['AWS', 'Federated', 'Service']);
const ACCOUNT_ID = /^\d{12}$/;
const AWS_PRINCIPAL_ARN =
  /^arn:aws(?:-[a-z]+)*:(?:iam::(?:\d{12}|\*):(?:root|user\/.+|role\/.+|federated-user\/.+)|sts::(?:\d{12}|\*):(?:assumed-role\/.+|federated-user\/.+))$/;
const FEDERATED_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:(?:saml-provider|oidc-provider)\/.+$/;
const SERVICE_PRINCIPAL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

function invalidPrincipal(type: string, value: string): string {
  return `Invalid principal in policy: "${type}":"${value}"`;
}

/** Shape checks of one principal value; the IAM emulator checks that named entities exist. */
function trustPrincipalValueError(type: string, value: string): string | undefined {
  switch (type) {
    case 'AWS':
      if (value === '*' || ACCOUNT_ID.test(value) || AWS_PRINCIPAL_ARN.test(value)) return undefined;
      return invalidPrincipal('AWS', value);
    case 'Federated':
      if (value.startsWith('arn:') ? FEDERATED_ARN.test(value) : SERVICE_PRINCIPAL.test(value))
        return undefined;
      return invalidPrincipal('Federated', value);
    default:
      // Service principals are DNS-like names (`ec2.amazonaws.com`); IAM reports the type upper-cased.
      return SERVICE_PRINCIPAL.test(value) ? undefined : invalidPrincipal('SERVICE', value);
  }
}

function validateTrustPrincipal(p: unknown): void {
  if (p === '*') return;
  if (typeof p === 'string') reject(invalidPrincipal('AWS', p));
  if (!isObject(p)) reject(MSG.syntax);
  const entries = Object.entries(p);
  if (entries.length === 0) reject(MSG.trustEmptyPrincipal);
  for (const [type, value] of entries) {
    if (!isStringOrStringList(value)) reject(MSG.syntax);
    const values = asList(value);
    if (values.length === 0) reject(MSG.trustEmptyPrincipal);
    if (!TRUST_PRINCIPAL_TYPES.has(type)) reject(invalidPrincipal(type.toUpperCase(), values[0] ?? ''));
    for (const v of values) {
      const err = trustPrincipalValueError(type, v);
      if (err !== undefined) reject(err);
    }
  }
}

function validateTrustStatement(st: unknown): asserts st is JsonObject {
  if (!isObject(st)) reject(MSG.syntax);
  for (const key of Object.keys(st)) if (!STATEMENT_FIELDS.has(key)) reject(MSG.syntax);
  if (has(st, 'Sid') && typeof st.Sid !== 'string') reject(MSG.syntax);
  // Checked first: an identity policy pasted as a trust policy gets this, not "Missing … Principal".
  if (has(st, 'Resource')) reject('Has prohibited field Resource');
  if (has(st, 'NotResource')) reject('Has prohibited field NotResource');
  if (!has(st, 'Effect')) reject(MSG.trustNoEffect);
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') reject(`Invalid effect: ${String(st.Effect)}`);
  if (has(st, 'Principal') && has(st, 'NotPrincipal')) reject(MSG.syntax);
  if (has(st, 'NotPrincipal')) {
    if (st.Effect === 'Allow') reject(MSG.trustAllowNotPrincipal);
    validateTrustPrincipal(st.NotPrincipal);
  } else if (!has(st, 'Principal')) {
    reject(MSG.trustNoPrincipal);
  } else {
    validateTrustPrincipal(st.Principal);
  }
  if (has(st, 'Condition') && !conditionSyntaxOk(st.Condition)) reject(MSG.syntax);
  if (has(st, 'Action') && has(st, 'NotAction')) reject(MSG.syntax);
  const key = has(st, 'Action') ? 'Action' : has(st, 'NotAction') ? 'NotAction' : undefined;
  if (key === undefined) reject(MSG.trustNoAction);
  const actions = st[key];
  if (!isStringOrStringList(actions)) reject(MSG.syntax);
  const list = asList(actions);
  if (list.length === 0) reject(MSG.trustNoAction);
  for (const a of list) if (!a.toLowerCase().startsWith('sts:')) reject(MSG.trustNonSts);
}

function validateTrust(raw: unknown): PolicyDocument {
  if (!isObject(raw)) reject(MSG.trustInvalidJson);
  for (const key of Object.keys(raw)) if (!TOP_LEVEL_FIELDS.has(key)) reject(MSG.syntax);
  if (has(raw, 'Version') && !(typeof raw.Version === 'string' && VALID_VERSIONS.has(raw.Version))) {
    reject(MSG.trustVersion);
  }
  if (has(raw, 'Id') && typeof raw.Id !== 'string') reject(MSG.syntax);
  if (!has(raw, 'Statement') || raw.Statement === null) reject(MSG.trustNoStatement);
  if (!(isObject(raw.Statement) || Array.isArray(raw.Statement))) reject(MSG.syntax);
  const rawStatements = statementsOf(raw);
  if (rawStatements.length === 0) reject(MSG.trustEmptyStatement);
  const statements: JsonObject[] = [];
  const sids = new Set<string>();
  for (const st of rawStatements) {
    validateTrustStatement(st);
    if (typeof st.Sid === 'string' && st.Sid !== '') {
      if (sids.has(st.Sid)) reject(MSG.trustDuplicateSid);
      sids.add(st.Sid);
    }
    statements.push(st);
  }
  return buildDocument(raw, statements);
}

// ---------------------------------------------------------------------------------------------------
// Public parser

/**
 * Parses and validates a policy document the way IAM does on `CreatePolicy`/`CreatePolicyVersion`
 * (`kind: 'identity'`) or `CreateRole`/`UpdateAssumeRolePolicy` (`kind: 'trust'`).
 *
 * Never throws: any input yields either the normalized document or IAM's error message and code.
 * It checks the shape of principals (an `AWS` principal must be `*`, an account id or an IAM/STS ARN;
 * a `Federated` one a SAML/OIDC provider ARN or a provider domain) but not that they exist: the IAM
 * emulator does that with {@link principalsOf} and answers `Invalid principal in policy: …` itself.
 *
 * @param text the document as the caller sent it (JSON text).
 * @param kind which validator applies, see {@link PolicyKind}.
 * @param options size quota override.
 * @returns `{ ok: true, document }` or `{ ok: false, message, code }`.
 *
 * @example
 * const r = parsePolicyDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow",' +
 *   '"Action":"iam:ListRoles","Resource":"*"}}', 'identity');
 * // r.ok === true; r.document.Statement[0].Action → ['iam:ListRoles']
 */
export function parsePolicyDocument(
  text: string,
  kind: PolicyKind,
  options: ParsePolicyOptions = {},
): PolicyParseSuccess | PolicyParseFailure {
  const maxLength =
    options.maxLength ?? (kind === 'trust' ? TRUST_POLICY_MAX_LENGTH : IDENTITY_POLICY_MAX_LENGTH);
  try {
    if (typeof text !== 'string') reject(kind === 'trust' ? MSG.trustInvalidJson : MSG.syntax);
    if (policyLength(text) > maxLength) {
      const quota = kind === 'trust' ? 'ACLSizePerRole' : 'PolicySize';
      throw new PolicyRejection(`Cannot exceed quota for ${quota}: ${maxLength}`, 'LimitExceeded');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      reject(kind === 'trust' ? MSG.trustInvalidJson : MSG.syntax);
    }
    const document = kind === 'trust' ? validateTrust(raw) : validateIdentity(raw);
    return { ok: true, document };
  } catch (e) {
    if (e instanceof PolicyRejection) return { ok: false, message: e.message, code: e.code };
    // Defensive: malformed input must never crash the sandbox.
    return { ok: false, message: MSG.syntax, code: 'MalformedPolicyDocument' };
  }
}

/** One principal a policy names, as {@link principalsOf} iterates them. */
export interface PrincipalRef {
  type: 'AWS' | 'Federated' | 'Service';
  value: string;
}

/**
 * The principals of a document by type. Also iterable as {@link PrincipalRef}s in order of appearance
 * (the iterator is non-enumerable, so the object still serializes and compares as the three arrays).
 */
export interface PolicyPrincipals extends Iterable<PrincipalRef> {
  federated: string[];
  aws: string[];
  service: string[];
}

/**
 * The principals a document names, by type, in order of appearance and without duplicates. Both
 * `Principal` and `NotPrincipal` count (IAM resolves every principal a policy names). `"Principal": "*"`
 * is reported as the AWS principal `*`. Keys are matched case-sensitively as IAM does (`AWS`,
 * `Federated`, `Service`); other types (`CanonicalUser`) are not reported.
 *
 * @example
 * principalsOf(trust).federated // ['arn:aws:iam::123456789012:saml-provider/Okta']
 * for (const { type, value } of principalsOf(trust)) … // { type: 'Federated', value: 'arn:…' }
 */
export function principalsOf(doc: PolicyDocument): PolicyPrincipals {
  const refs: PrincipalRef[] = [];
  const seen = new Set<string>();
  const add = (type: PrincipalRef['type'], value: string) => {
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ type, value });
  };
  for (const st of doc.Statement) {
    for (const p of [st.Principal, st.NotPrincipal]) {
      if (p === undefined) continue;
      if (p === '*') {
        add('AWS', '*');
        continue;
      }
      for (const [type, values] of Object.entries(p)) {
        if (type === 'AWS' || type === 'Federated' || type === 'Service')
          for (const v of values) add(type, v);
      }
    }
  }
  const of = (type: PrincipalRef['type']) => refs.filter((r) => r.type === type).map((r) => r.value);
  const result = { federated: of('Federated'), aws: of('AWS'), service: of('Service') };
  Object.defineProperty(result, Symbol.iterator, {
    enumerable: false,
    value: () => refs.map((r) => ({ ...r }))[Symbol.iterator](),
  });
  return result as PolicyPrincipals;
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** What is asked: may `principal` (or the policies' owner) perform `action` on `resource`? */
export interface EvaluationRequest {
  /** `service:Action`, e.g. `connect:GetFederationToken`. Matched case-insensitively. */
  action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. Matched case-sensitively. */
  resource: string;
  /**
   * Who asks, for resource/trust policies. When given, `Principal`/`NotPrincipal` elements are checked;
   * when absent they are ignored (identity-policy evaluation).
   */
  principal?: { federated?: string; aws?: string; service?: string };
  /**
   * The request context: condition keys and policy variables (`aws:userid`, `aws:username`,
   * `aws:PrincipalAccount`, `saml:sub`, `SAML:aud`, …). Keys are case-insensitive. A string[] is a
   * multi-valued key (for `ForAnyValue:`/`ForAllValues:`).
   */
  context?: Record<string, string | string[]>;
}

/** The outcome of {@link evaluatePolicies}; `statement` is the deciding statement (none for implicit deny). */
export interface EvaluationResult {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  statement?: PolicyStatement;
}

/** A wildcard in a pattern: `*` (any run) or `?` (one character). */
interface Wild {
  readonly w: '*' | '?';
}
const STAR: Wild = { w: '*' };
const QMARK: Wild = { w: '?' };

/** A pattern part: literal text, a wildcard, or a policy variable (`${aws:userid}`, `${x, 'default'}`). */
type Part = string | Wild | { readonly name: string; readonly fallback: string | undefined };
/** A resolved pattern: literal text and wildcards only. */
type Token = string | Wild;

interface Pattern {
  readonly parts: readonly Part[];
  readonly hasVariables: boolean;
}

/** Context keys lower-cased, every value as a list. */
type Context = ReadonlyMap<string, readonly string[]>;

const VARIABLE = /^([A-Za-z0-9_.:/+=,@-]+)(?:\s*,\s*'([^']*)')?$/;

/**
 * Splits a policy string into literal text, wildcards and (with `variables`) policy variables.
 * `${*}`, `${?}`, `${$}` are the literal characters. Policy variables exist only in version 2012-10-17
 * documents; elsewhere `${…}` is plain text.
 */
function compilePattern(src: string, variables: boolean): Pattern {
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
function resolve(pattern: Pattern, ctx: Context): Token[] | undefined {
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

function literalOf(tokens: readonly Token[]): string {
  return tokens.map((t) => (typeof t === 'string' ? t : t.w)).join('');
}

const regexCache = new Map<string, RegExp>();
const REGEX_CACHE_LIMIT = 2000;

function regexOf(tokens: readonly Token[], ignoreCase: boolean): RegExp {
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
function globMatch(tokens: readonly Token[], value: string, ignoreCase: boolean): boolean {
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

function arnSplit(value: string): string[] | undefined {
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
function arnMatch(tokens: readonly Token[], value: string): boolean {
  const pattern = arnComponents(tokens);
  const parts = arnSplit(value);
  if (pattern === undefined || parts === undefined) {
    // Not an ARN on one side: only a lone `*` matches.
    return tokens.length === 1 && tokens[0] === STAR;
  }
  return pattern.every((comp, i) => globMatch(comp, parts[i] ?? '', false));
}

function parseNumber(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** A date as IAM reads it: epoch seconds, or ISO 8601. */
function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseIpv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): string[] | undefined => {
    if (h === undefined || h === '') return [];
    const g = h.split(':');
    const last = g[g.length - 1] ?? '';
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      g.splice(g.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    }
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return all.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

/** `IpAddress`: the policy value is an address or a CIDR block (IPv4 or IPv6). */
function ipMatch(cidr: string, value: string): boolean {
  const [addr = '', bitsText] = cidr.trim().split('/');
  const v4 = addr.includes(':') ? undefined : parseIpv4(addr);
  const width = v4 !== undefined ? 32 : 128;
  const net = v4 ?? parseIpv6(addr);
  const ip = width === 32 ? parseIpv4(value.trim()) : parseIpv6(value.trim());
  if (net === undefined || ip === undefined) return false;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return net >> shift === ip >> shift;
}

/** The positive form of each negated operator. */
const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NotIpAddress: 'IpAddress',
};

/** Compares one context value with one resolved policy value under a positive operator. */
function compare(op: string, policy: readonly Token[], value: string): boolean {
  switch (op) {
    case 'StringEquals':
      return literalOf(policy) === value;
    case 'StringEqualsIgnoreCase':
      return literalOf(policy).toLowerCase() === value.toLowerCase();
    case 'StringLike':
      return globMatch(policy, value, false);
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatch(policy, value);
    case 'Bool':
      return literalOf(policy).toLowerCase() === value.toLowerCase();
    case 'BinaryEquals':
      return literalOf(policy) === value;
    case 'IpAddress':
      return ipMatch(literalOf(policy), value);
    default: {
      const numeric = op.startsWith('Numeric');
      const parse = numeric ? parseNumber : parseDate;
      const a = parse(value);
      const b = parse(literalOf(policy));
      if (a === undefined || b === undefined) return false;
      switch (op.slice(numeric ? 'Numeric'.length : 'Date'.length)) {
        case 'Equals':
          return a === b;
        case 'LessThan':
          return a < b;
        case 'LessThanEquals':
          return a <= b;
        case 'GreaterThan':
          return a > b;
        case 'GreaterThanEquals':
          return a >= b;
        default:
          return false;
      }
    }
  }
}

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
