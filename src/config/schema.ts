/**
 * The JSON Schema (draft 2020-12) of a configuration: the one source of its structural rules. Editors
 * use it (`# yaml-language-server: $schema=…`, or `"$schema"` in JSON) for completion, hover text and
 * checks; {@link validateConfig} checks every file with it before its own cross-field checks (regions,
 * org URL, duplicates, references between users and apps, group mapping).
 *
 * `schema/connect-okta-sso.schema.json` is this object written out by `npm run config-schema`; a test
 * keeps the two equal.
 */
import { CONNECT_REGIONS } from '../core/regions.js';
import {
  APP_KINDS,
  DEFAULT_ROLE_MAPPING,
  NAME_DEFAULTS,
  OKTA_TOKEN_ENV,
  RESERVED_TAG_KEYS,
  ROLE_MAPPINGS,
} from './defaults.js';
import { app } from './schema-apps.js';
import { iamName, PATTERNS, type Schema } from './schema-common.js';
import { mapping, sync, user, userConnect, usersFromOkta } from './schema-users.js';

export { PATTERNS } from './schema-common.js';

const names: Schema = {
  type: 'object',
  description: "Names of the IAM resources shared by every app. Defaults: the AWS guide's names.",
  additionalProperties: false,
  properties: {
    federationPolicy: iamName(
      128,
      `The managed policy allowing connect:GetFederationToken on the instance's users. Default ${NAME_DEFAULTS.federationPolicy}.`,
      NAME_DEFAULTS.federationPolicy,
    ),
    oktaAccessPolicy: iamName(
      128,
      `api-integration: the managed policy letting Okta list IAM roles (iam:ListRoles, iam:ListAccountAliases). Default ${NAME_DEFAULTS.oktaAccessPolicy}.`,
      NAME_DEFAULTS.oktaAccessPolicy,
    ),
    oktaApiUser: iamName(
      64,
      `api-integration: the IAM user whose access key Okta uses. Default ${NAME_DEFAULTS.oktaApiUser}.`,
      NAME_DEFAULTS.oktaApiUser,
    ),
  },
};

const okta: Schema = {
  type: 'object',
  description: `The Okta org. Authentication: an API token from ${OKTA_TOKEN_ENV} (recommended) or token, or OAuth 2.0 with a service app's privateKey and clientId.`,
  additionalProperties: false,
  required: ['orgUrl'],
  properties: {
    orgUrl: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      patternErrorMessage: 'must be the org URL, e.g. https://acme.okta.com',
      examples: ['https://acme.okta.com'],
      description:
        "The org's base URL, https://<org>.okta.com (no path). http only for a loopback address (the sandbox).",
    },
    token: {
      type: 'string',
      minLength: 1,
      writeOnly: true,
      description: `An Okta API token. Discouraged in a file: leave it out to read ${OKTA_TOKEN_ENV}, or write \${NAME} to read the environment variable NAME. Never printed. Default \${${OKTA_TOKEN_ENV}} (unless privateKey is given).`,
    },
    privateKey: {
      type: 'string',
      minLength: 1,
      writeOnly: true,
      description:
        'OAuth 2.0 instead of a token: the private key of an Okta API service app, PEM or a JWK in JSON; ${NAME} reads an environment variable. Never printed.',
    },
    clientId: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: PATTERNS.oktaClientId,
      patternErrorMessage: 'must be an Okta client id such as 0oa1b2c3d4e5f6g7h8i9',
      description: 'The client id of the OAuth service app. Required with privateKey, refused without it.',
    },
    keyId: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: PATTERNS.noSpace,
      patternErrorMessage: 'must not contain spaces',
      description:
        'The key id (kid) of privateKey in the service app. Default: none sent. Only with privateKey.',
    },
    scopes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: {
        type: 'string',
        pattern: PATTERNS.oktaScope,
        patternErrorMessage: 'must be an Okta scope such as okta.apps.manage',
      },
      description:
        'OAuth scopes. Default okta.apps.manage and okta.users.read, plus okta.groups.manage with roleMapping group-mapping. Only with privateKey.',
    },
  },
};

const instance: Schema = {
  type: 'object',
  description: 'The Amazon Connect instance, created with SAML 2.0 identity management when missing.',
  additionalProperties: false,
  required: ['alias'],
  properties: {
    alias: {
      type: 'string',
      minLength: 1,
      maxLength: 45,
      pattern: PATTERNS.alias,
      patternErrorMessage:
        "use letters, digits and hyphens between them, not starting with 'd-' (1–45 characters)",
      description:
        'The instance alias: globally unique, never changeable; how the library finds the instance. 1–45 letters, digits and inner hyphens, not starting with d-.',
    },
    inboundCalls: {
      type: 'boolean',
      default: true,
      description: 'Inbound calls, when the instance is created. Default true.',
    },
    outboundCalls: {
      type: 'boolean',
      default: true,
      description: 'Outbound calls, when the instance is created. Default true.',
    },
    tags: {
      type: 'object',
      maxProperties: 48,
      propertyNames: {
        type: 'string',
        minLength: 1,
        maxLength: 128,
        pattern: PATTERNS.tagKey,
        patternErrorMessage: `tag keys use letters, digits, spaces and _ . : / = + - @, and may not start with aws: or be ${RESERVED_TAG_KEYS.join(' or ')} (the library's ownership tags)`,
      },
      additionalProperties: {
        type: 'string',
        maxLength: 256,
        pattern: PATTERNS.tagValue,
        patternErrorMessage: 'tag values use letters, digits, spaces and _ . : / = + - @',
      },
      description: `Your own tags on the instance (at most 48), added to the ownership tags (${RESERVED_TAG_KEYS.join(', ')}).`,
    },
  },
};

const schema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'connect-okta-sso configuration',
  description:
    'Single Sign-On for Amazon Connect with Okta: the instance, the Okta apps, the users. Required: region, instance.alias, okta.orgUrl and one app; everything else has a default.',
  type: 'object',
  additionalProperties: false,
  required: ['region', 'instance', 'okta', 'apps'],
  properties: {
    $schema: { type: 'string', description: 'The JSON Schema this file follows (for editors); ignored.' },
    stack: {
      type: 'string',
      pattern: PATTERNS.stack,
      patternErrorMessage: '1–128 characters of letters, digits and _ . : / = + @ -',
      description:
        'The stack name: the connect-okta-sso:stack ownership tag of every AWS resource created, and the marker in the Okta apps. Default: the instance alias.',
    },
    region: {
      type: 'string',
      pattern: PATTERNS.region,
      patternErrorMessage: "must be an AWS region such as 'us-east-1'",
      examples: [...CONNECT_REGIONS],
      description: 'The AWS region of the Connect instance (aws or aws-us-gov partition).',
    },
    instance: { $ref: '#/$defs/instance' },
    okta: { $ref: '#/$defs/okta' },
    roleMapping: {
      enum: [...ROLE_MAPPINGS],
      default: DEFAULT_ROLE_MAPPING,
      description:
        "How a user's SAML role is decided. api-integration (default, the AWS guide): Okta imports the IAM roles with an IAM user's access key, entered once in the Okta admin console (the one manual step). group-mapping: the role comes from Okta group names; fully automated, no IAM user or key.",
    },
    apps: {
      type: 'array',
      minItems: 1,
      maxItems: APP_KINDS.length,
      items: { $ref: '#/$defs/app' },
      description: 'The Okta apps, at least one, at most one of each kind.',
    },
    users: {
      type: ['array', 'object'],
      items: { $ref: '#/$defs/user' },
      additionalProperties: false,
      properties: {
        fromOkta: { $ref: '#/$defs/usersFromOkta' },
        list: {
          type: 'array',
          items: { $ref: '#/$defs/user' },
          description:
            "Users listed one by one, as in the list form: apply assigns them to their app, and a user's connect block overrides the mappings. Default none.",
        },
      },
      default: [],
      description:
        'Who gets access: a list of users to assign to the apps, or { fromOkta, list }: the members of Okta groups or assignees of the apps (kept in sync by syncUsers), plus users listed one by one. Default none.',
    },
    mappings: {
      type: 'array',
      items: { $ref: '#/$defs/mapping' },
      default: [],
      description:
        "Rules from Okta groups and profile attributes to Connect profiles; the first rule that holds decides, a user's own connect block overrides it. Default none.",
    },
    sync: { $ref: '#/$defs/sync' },
    names: { $ref: '#/$defs/names' },
  },
  $defs: { instance, okta, app, user, userConnect, usersFromOkta, mapping, sync, names },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The JSON Schema (draft 2020-12) of {@link ConnectSsoConfig}, frozen. Point editors at the file
 * `schema/connect-okta-sso.schema.json` of the package (the same object).
 */
export const connectSsoConfigSchema: { readonly [keyword: string]: unknown } = deepFreeze(schema);
