/**
 * The pieces every section of the configuration's JSON Schema is built from: the patterns (shared with
 * the cross-field checks; `schema.ts` re-exports them) and the string schemas used in many places.
 */
import { escapeRegExp, MAX_HIERARCHY_LEVELS, RESERVED_TAG_KEYS } from './defaults.js';

/** One level of a hierarchy path: no `/`, no control characters, no surrounding spaces. */
const HIERARCHY_LEVEL = '[^/\\s\\p{Cc}](?:[^/\\p{Cc}]*[^/\\s\\p{Cc}])?';

/** Patterns shared by the schema and the cross-field checks. */
export const PATTERNS = {
  stack: '^[\\w.:/=+@-]{1,128}$',
  region: '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$',
  /** Connect's `InstanceAlias` rule, written without nested quantifiers (same language). */
  alias: '^(?!d-)[\\da-zA-Z]+(-+[\\da-zA-Z]+)*$',
  tagKey: `^(?!aws:)${RESERVED_TAG_KEYS.map((k) => `(?!${escapeRegExp(k)}$)`).join('')}[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+$`,
  tagValue: '^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$',
  /** One line of text without surrounding spaces or control characters. */
  text: '^[^\\s\\p{Cc}]([^\\p{Cc}]*[^\\s\\p{Cc}])?$',
  iamName: '^[\\w+=,.@-]+$',
  samlProviderName: '^[\\w.-]+$',
  /** Connect username rules (the SAML `RoleSessionName` too): `@` only in an e-mail form. */
  login: '^(?:[A-Za-z0-9_.-]+|[A-Za-z0-9_.-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,63})$',
  destination: '^/(?!/)\\S*$',
  e164: '^\\+[1-9]\\d{1,14}$',
  oktaScope: '^okta\\.[A-Za-z]+(\\.[A-Za-z]+)*$',
  oktaClientId: '^[\\w-]+$',
  noSpace: '^\\S+$',
  /** A hierarchy group path: 1–5 names joined by `/`, each without `/` or surrounding spaces. */
  hierarchyPath: `^${HIERARCHY_LEVEL}(/${HIERARCHY_LEVEL}){0,${MAX_HIERARCHY_LEVELS - 1}}$`,
  /** An Okta profile attribute's variable name (`department`, `costCenter`, `customAttr_1`). */
  oktaAttribute: '^[A-Za-z][A-Za-z0-9_]*$',
} as const;

export type Schema = { [keyword: string]: unknown };

export const text = (description: string, extra: Schema = {}): Schema => ({
  type: 'string',
  minLength: 1,
  pattern: PATTERNS.text,
  patternErrorMessage: 'must be one line without leading or trailing spaces',
  ...extra,
  description,
});

export const iamName = (max: 64 | 128, description: string, defaultValue?: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: PATTERNS.iamName,
  patternErrorMessage: `IAM names use only letters, digits and _ + = , . @ - (1–${max} characters)`,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  description,
});

export const samlProviderName = (description: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: PATTERNS.samlProviderName,
  patternErrorMessage: 'SAML provider names use only letters, digits and _ . - (1–128 characters)',
  description,
});
