/**
 * Role trust policies: the newer grammar, whose messages read differently from the classic validator's.
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
  reject,
  STATEMENT_FIELDS,
  statementsOf,
  TOP_LEVEL_FIELDS,
  VALID_VERSIONS,
} from './syntax.js';
import type { PolicyDocument } from './types.js';

const TRUST_PRINCIPAL_TYPES = new Set(['AWS', 'Federated', 'Service']);
export const ACCOUNT_ID = /^\d{12}$/;
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

export function validateTrust(raw: unknown): PolicyDocument {
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
