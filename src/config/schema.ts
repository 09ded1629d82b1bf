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
  APP_DEFAULTS,
  APP_KINDS,
  DEFAULT_GROUP_NAME,
  DEFAULT_NO_ACCESS_SECURITY_PROFILE,
  DEFAULT_OFFBOARD,
  DEFAULT_PHONE_TYPE,
  DEFAULT_RENAMES,
  DEFAULT_ROLE_MAPPING,
  DEFAULT_ROUTING_PROFILE,
  DEFAULT_SECURITY_PROFILES,
  DEFAULT_SESSION_DURATION,
  escapeRegExp,
  MAX_HIERARCHY_LEVELS,
  MAX_SESSION_DURATION,
  MIN_SESSION_DURATION,
  NAME_DEFAULTS,
  OFFBOARD_POLICIES,
  OKTA_TOKEN_ENV,
  PHONE_TYPES,
  RENAME_POLICIES,
  RESERVED_TAG_KEYS,
  ROLE_MAPPINGS,
} from './defaults.js';

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

type Schema = { [keyword: string]: unknown };

const text = (description: string, extra: Schema = {}): Schema => ({
  type: 'string',
  minLength: 1,
  pattern: PATTERNS.text,
  patternErrorMessage: 'must be one line without leading or trailing spaces',
  ...extra,
  description,
});

const iamName = (max: 64 | 128, description: string, defaultValue?: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: PATTERNS.iamName,
  patternErrorMessage: `IAM names use only letters, digits and _ + = , . @ - (1–${max} characters)`,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  description,
});

const samlProviderName = (description: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: PATTERNS.samlProviderName,
  patternErrorMessage: 'SAML provider names use only letters, digits and _ . - (1–128 characters)',
  description,
});

const byKind = (pick: (d: (typeof APP_DEFAULTS)[keyof typeof APP_DEFAULTS]) => string | undefined) =>
  APP_KINDS.map((kind) => `${pick(APP_DEFAULTS[kind]) ?? 'none'} (${kind})`).join(', ');

const app: Schema = {
  type: 'object',
  description:
    'An Okta "AWS Account Federation" app (OIN amazon_aws, SAML 2.0) with its own IAM SAML provider, role and relay state.',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: {
      enum: [...APP_KINDS],
      description:
        'Where its users land: admin (the Connect admin website), ccp (the Contact Control Panel), agent-workspace. Each kind at most once.',
    },
    label: text(
      `The Okta app's label, unique among the apps: how the library finds the app. Default by kind: ${byKind((d) => d.label)}.`,
      { maxLength: 100 },
    ),
    providerName: samlProviderName(
      `The IAM SAML identity provider's name, unique among the apps. Default by kind: ${byKind((d) => d.providerName)}.`,
    ),
    roleName: iamName(
      64,
      `The IAM role the app's users assume, unique among the apps. Default by kind: ${byKind((d) => d.roleName)}.`,
    ),
    sessionDuration: {
      type: 'integer',
      minimum: MIN_SESSION_DURATION,
      maximum: MAX_SESSION_DURATION,
      default: DEFAULT_SESSION_DURATION,
      description: `The AWS console session Okta asks for, in seconds (${MIN_SESSION_DURATION}–${MAX_SESSION_DURATION}); the role's maximum session duration is raised to it. Default ${DEFAULT_SESSION_DURATION}.`,
    },
    destination: {
      type: 'string',
      maxLength: 512,
      pattern: PATTERNS.destination,
      patternErrorMessage:
        "must be a path in the Connect website starting with '/' (e.g. /ccp-v2), without spaces",
      description: `The relay state's destination path. Default by kind: ${byKind((d) => d.destination)}. The pre-2023 CCP path (awsapps.com instances) is /connect/ccp-v2.`,
    },
    newDomain: {
      type: 'boolean',
      default: false,
      description:
        'Add new_domain=true to the relay state, for instances on <alias>.my.connect.aws. Default false.',
    },
    groupFilter: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description:
        "roleMapping group-mapping only: Okta's group filter, a regular expression over Okta group names with the captures (?{{accountid}}…) and (?{{role}}…). It must match this app's group and no other app's. Default ^aws_(?{{accountid}}\\d{12})_(?{{role}}<roleName>)$ (Okta's documented aws_<account>_<role> form, narrowed to this app's role).",
    },
    groupName: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      default: DEFAULT_GROUP_NAME,
      description: `roleMapping group-mapping only: the Okta group the library creates, assigns to the app and puts the app's users in; {{accountid}} is replaced by the AWS account id and {{role}} by roleName. Default ${DEFAULT_GROUP_NAME}.`,
    },
  },
  allOf: APP_KINDS.map((kind) => ({
    if: { properties: { kind: { const: kind } }, required: ['kind'] },
    // biome-ignore lint/suspicious/noThenProperty: the if/then keywords of JSON Schema (never awaited)
    then: {
      properties: {
        label: { default: APP_DEFAULTS[kind].label },
        providerName: { default: APP_DEFAULTS[kind].providerName },
        roleName: { default: APP_DEFAULTS[kind].roleName },
        ...(APP_DEFAULTS[kind].destination === undefined
          ? {}
          : { destination: { default: APP_DEFAULTS[kind].destination } }),
      },
    },
  })),
};

function hierarchyGroup(description: string): Schema {
  return {
    type: 'string',
    minLength: 1,
    maxLength: 512,
    pattern: PATTERNS.hierarchyPath,
    patternErrorMessage: `a hierarchy group path: 1–${MAX_HIERARCHY_LEVELS} group names from the top level, joined by '/' (Floor1/TeamA)`,
    description,
  };
}

const securityProfileList = (description: string, extra: Schema = {}): Schema => ({
  type: 'array',
  minItems: 1,
  maxItems: 10,
  uniqueItems: true,
  items: text('A security profile name.', { maxLength: 127 }),
  ...extra,
  description,
});

const oktaGroupName = (description: string): Schema => text(description, { maxLength: 255 });

const userConnect: Schema = {
  type: 'object',
  description:
    'The Connect user (named exactly like the Okta app username). Default: created as an Agent with Basic Routing Profile and a soft phone.',
  additionalProperties: false,
  properties: {
    securityProfiles: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      uniqueItems: true,
      items: text('A security profile name.', { maxLength: 127 }),
      default: [...DEFAULT_SECURITY_PROFILES],
      description: `Security profiles by name (Admin, Agent, CallCenterManager, QualityAnalyst exist in every instance). When given, an existing user's profiles are made equal to these. Default ${JSON.stringify(DEFAULT_SECURITY_PROFILES)} for a new user.`,
    },
    routingProfile: text(
      `Routing profile by name. When given, an existing user's routing profile is set to it. Default '${DEFAULT_ROUTING_PROFILE}' for a new user.`,
      { maxLength: 127, default: DEFAULT_ROUTING_PROFILE },
    ),
    firstName: text("First name of a new Connect user. Default: the Okta user's first name.", {
      maxLength: 100,
    }),
    lastName: text("Last name of a new Connect user. Default: the Okta user's last name.", {
      maxLength: 100,
    }),
    phoneType: {
      enum: [...PHONE_TYPES],
      default: DEFAULT_PHONE_TYPE,
      description: `The agent's phone. Default ${DEFAULT_PHONE_TYPE}; DESK_PHONE needs deskPhoneNumber.`,
    },
    deskPhoneNumber: {
      type: 'string',
      pattern: PATTERNS.e164,
      patternErrorMessage: "must be an E.164 phone number such as '+12065550100'",
      description:
        'The desk phone number in E.164 form (+12065550100): required with phoneType DESK_PHONE, refused otherwise.',
    },
    hierarchyGroup: hierarchyGroup(
      "Agent hierarchy group by its path from the top level, e.g. Floor1/TeamA. When given, an existing user's hierarchy group is set to it. Default none.",
    ),
  },
};

const user: Schema = {
  type: 'object',
  description: 'An Okta user assigned to one app, and a Connect user named exactly like their app username.',
  additionalProperties: false,
  required: ['login', 'app'],
  properties: {
    login: {
      type: 'string',
      minLength: 2,
      maxLength: 64,
      pattern: PATTERNS.login,
      patternErrorMessage:
        "Okta login that can be a Connect username and a SAML RoleSessionName: letters, digits and _ . - @ ('@' only in an e-mail form such as jane.doe@example.com)",
      description:
        "The Okta user's login; it becomes the Connect username. 2–64 characters of letters, digits and _ . - @ (@ only in an e-mail form). Unique among the users, ignoring case.",
    },
    app: {
      type: 'string',
      minLength: 1,
      description: 'The app to assign the user to: its kind (admin, ccp, agent-workspace) or its label.',
    },
    connect: { $ref: '#/$defs/userConnect' },
  },
};

const usersFromOkta: Schema = {
  type: 'object',
  description:
    'Who syncUsers keeps in Connect: the members of Okta groups, or the assignees of apps of this config. At least one of groups and apps.',
  additionalProperties: false,
  properties: {
    groups: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: oktaGroupName('An Okta group name (Okta compares names ignoring case).'),
      description: 'Okta group names: every member gets a Connect user. Default none.',
    },
    apps: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, description: 'An app of this config: its kind or its label.' },
      description:
        'Apps of this config by kind or label: every user assigned to the app in Okta (directly or through a group) gets a Connect user named like their app username. Default none.',
    },
  },
};

const mapping: Schema = {
  type: 'object',
  description:
    "A mapping rule: when its conditions hold for an Okta user, the Connect profiles it gives. The first rule that holds decides; a user's own connect block overrides it field by field.",
  additionalProperties: false,
  required: ['when', 'connect'],
  properties: {
    when: {
      type: 'object',
      description: 'The conditions, all of which must hold (at least one): group, attribute.',
      additionalProperties: false,
      properties: {
        group: oktaGroupName('The user is a member of this Okta group (Okta compares names ignoring case).'),
        attribute: {
          type: 'object',
          maxProperties: 20,
          propertyNames: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            pattern: PATTERNS.oktaAttribute,
            patternErrorMessage:
              "an Okta profile attribute's variable name, such as department or costCenter",
          },
          additionalProperties: {
            type: ['string', 'number', 'boolean'],
            description: 'The value the attribute must have (exactly; a list attribute must contain it).',
          },
          description:
            "The user's Okta profile has these attribute values, e.g. { department: Sales }, compared exactly; an attribute holding a list matches when it contains the value.",
        },
      },
    },
    connect: {
      type: 'object',
      description: 'What the rule gives (at least one field); the fields it leaves out get the defaults.',
      additionalProperties: false,
      properties: {
        securityProfiles: securityProfileList(
          `Security profiles by name. Default (when left out): ${JSON.stringify(DEFAULT_SECURITY_PROFILES)}.`,
        ),
        routingProfile: text(
          `Routing profile by name. Default (when left out): '${DEFAULT_ROUTING_PROFILE}'.`,
          {
            maxLength: 127,
          },
        ),
        hierarchyGroup: hierarchyGroup(
          'Agent hierarchy group by its path from the top level, e.g. Floor1/TeamA. Default (when left out): none.',
        ),
      },
    },
  },
};

const sync: Schema = {
  type: 'object',
  description:
    'How syncUsers (connect-okta-sso sync) treats Connect users whose Okta user left or was renamed. A run can override each.',
  additionalProperties: false,
  properties: {
    offboard: {
      enum: [...OFFBOARD_POLICIES],
      default: DEFAULT_OFFBOARD,
      description:
        'A Connect user this library created whose Okta user left: none (only reported), strip (its security profiles are replaced by noAccessSecurityProfile), delete (the Connect user is deleted). Users the library did not create are never offboarded. Default none.',
    },
    renames: {
      enum: [...RENAME_POLICIES],
      default: DEFAULT_RENAMES,
      description:
        'An Okta user whose username changed: report (its Connect user is left as it is) or recreate (a Connect user with the new username replaces it; Connect usernames cannot change). Default report.',
    },
    noAccessSecurityProfile: text(
      `The security profile strip leaves a user with (Connect requires one): a profile without permissions, created when missing. Default ${DEFAULT_NO_ACCESS_SECURITY_PROFILE}.`,
      { maxLength: 127, default: DEFAULT_NO_ACCESS_SECURITY_PROFILE },
    ),
  },
};

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
