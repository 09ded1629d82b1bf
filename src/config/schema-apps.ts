/** The `apps` section of the configuration's JSON Schema: one Okta federation app, with its defaults by kind. */
import {
  APP_DEFAULTS,
  APP_KINDS,
  DEFAULT_GROUP_NAME,
  DEFAULT_SESSION_DURATION,
  MAX_SESSION_DURATION,
  MIN_SESSION_DURATION,
} from './defaults.js';
import { iamName, PATTERNS, type Schema, samlProviderName, text } from './schema-common.js';

const byKind = (pick: (d: (typeof APP_DEFAULTS)[keyof typeof APP_DEFAULTS]) => string | undefined) =>
  APP_KINDS.map((kind) => `${pick(APP_DEFAULTS[kind]) ?? 'none'} (${kind})`).join(', ');

export const app: Schema = {
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
