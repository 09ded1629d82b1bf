/**
 * Identity (managed) policies: IAM's classic validator, with its messages in IAM's order.
 */

import {
  asList,
  buildDocument,
  conditionSyntaxOk,
  has,
  isObject,
  isStringOrStringList,
  type JsonObject,
  MSG,
  PolicyRejection,
  parseOperator,
  principalSyntaxOk,
  reject,
  STATEMENT_FIELDS,
  statementsOf,
  TOP_LEVEL_FIELDS,
  VALID_VERSIONS,
} from './syntax.js';
import type { PolicyDocument } from './types.js';

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

export function validateIdentity(raw: unknown): PolicyDocument {
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
