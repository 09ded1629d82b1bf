/**
 * The `users`, `mappings` and `sync` sections of the configuration's JSON Schema: who gets access, the
 * Connect profiles they get, and what `syncUsers` does.
 */
import {
  DEFAULT_NO_ACCESS_SECURITY_PROFILE,
  DEFAULT_OFFBOARD,
  DEFAULT_PHONE_TYPE,
  DEFAULT_RENAMES,
  DEFAULT_ROUTING_PROFILE,
  DEFAULT_SECURITY_PROFILES,
  MAX_HIERARCHY_LEVELS,
  OFFBOARD_POLICIES,
  PHONE_TYPES,
  RENAME_POLICIES,
} from './defaults.js';
import { PATTERNS, type Schema, text } from './schema-common.js';

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

export const userConnect: Schema = {
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

export const user: Schema = {
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

export const usersFromOkta: Schema = {
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

export const mapping: Schema = {
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

export const sync: Schema = {
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
