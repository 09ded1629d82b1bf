/**
 * The JSON Schema is the one source of the structural rules, and `validateConfig` interprets it. These
 * tests keep everything around it from drifting: the committed schema file, the interpreter's reading of
 * JSON Schema 2020-12, the defaults the schema announces versus those the resolver applies, the
 * TypeScript types versus the schema's properties, the step functions' own rules, and the reference doc.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_KINDS } from '../../src/config/defaults.js';
import {
  checkAgainstSchema,
  type JsonSchema,
  SUPPORTED_KEYWORDS,
  schemaPattern,
} from '../../src/config/json-schema.js';
import { parseConfigText } from '../../src/config/load.js';
import { connectSsoConfigSchema, PATTERNS } from '../../src/config/schema.js';
import type { ConnectSsoConfig } from '../../src/config/types.js';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Secret } from '../../src/core/secret.js';
import { INSTANCE_ALIAS_PATTERN } from '../../src/resources/connect-instance/ensure.js';
import { connectUsernameProblem } from '../../src/resources/users/connect-user.js';

const root = join(import.meta.dirname, '../..');
const env = { OKTA_API_TOKEN: 'token' };
const schema = connectSsoConfigSchema as Record<string, unknown>;
type SchemaNode = Record<string, unknown>;
const defs = schema.$defs as Record<string, SchemaNode>;
const example = await parseConfigText(readFileSync(join(root, 'examples/sso.yaml'), 'utf8'), 'yaml');

/** Every subschema, with its location, following the keywords that hold subschemas. */
function* subschemas(node: unknown, at = '#'): Generator<[string, SchemaNode]> {
  if (typeof node !== 'object' || node === null) return;
  const s = node as SchemaNode;
  yield [at, s];
  for (const key of ['properties', '$defs'] as const) {
    for (const [name, child] of Object.entries((s[key] as SchemaNode | undefined) ?? {})) {
      yield* subschemas(child, `${at}/${key}/${name}`);
    }
  }
  for (const key of ['items', 'additionalProperties', 'propertyNames', 'if', 'then', 'else'] as const) {
    if (s[key] !== undefined) yield* subschemas(s[key], `${at}/${key}`);
  }
  if (Array.isArray(s.allOf))
    for (const [i, child] of s.allOf.entries()) yield* subschemas(child, `${at}/allOf/${i}`);
}

describe('the schema file', () => {
  it('schema/connect-okta-sso.schema.json equals connectSsoConfigSchema (run npm run config-schema)', () => {
    const file = JSON.parse(readFileSync(join(root, 'schema/connect-okta-sso.schema.json'), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(connectSsoConfigSchema)));
  });

  it('is draft 2020-12, frozen, and uses only keywords the validator implements', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.isFrozen(defs.app?.properties)).toBe(true);
    for (const [at, node] of subschemas(schema)) {
      for (const keyword of Object.keys(node)) {
        expect(SUPPORTED_KEYWORDS, `${at}: ${keyword}`).toContain(keyword);
      }
    }
  });

  it('has a description on every property, and patterns valid as Unicode ECMA-262', () => {
    for (const [at, node] of subschemas(schema)) {
      if (/\/properties\/[^/]+$/.test(at) && !/\/(if|then)\//.test(at)) {
        const described = node.description ?? (typeof node.$ref === 'string' ? 'ref' : undefined);
        expect(described, at).toBeDefined();
      }
      if (typeof node.pattern === 'string')
        expect(() => new RegExp(node.pattern as string, 'u'), at).not.toThrow();
    }
  });
});

describe('the interpreter reads JSON Schema 2020-12 as specified', () => {
  const ok = (s: JsonSchema, v: unknown) => checkAgainstSchema(s, v).length === 0;

  it('type: integer accepts whole floats, number refuses NaN, object refuses arrays and null', () => {
    expect(ok({ type: 'integer' }, 1.0)).toBe(true);
    expect(ok({ type: 'integer' }, 1.5)).toBe(false);
    expect(ok({ type: 'number' }, Number.NaN)).toBe(false);
    expect(ok({ type: 'object' }, [])).toBe(false);
    expect(ok({ type: 'object' }, null)).toBe(false);
    expect(ok({ type: ['string', 'null'] }, null)).toBe(true);
  });

  it('strings: lengths count code points; patterns are unanchored', () => {
    expect(ok({ maxLength: 1 }, '💩')).toBe(true);
    expect(ok({ minLength: 2 }, '💩')).toBe(false);
    expect(ok({ pattern: 'b' }, 'abc')).toBe(true);
    expect(ok({ pattern: '^b' }, 'abc')).toBe(false);
    expect(ok({ maxLength: 1 }, 12)).toBe(true);
  });

  it('objects: properties, required, additionalProperties (only of the same schema), propertyNames, maxProperties', () => {
    const s = { properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    expect(ok(s, { a: 'x' })).toBe(true);
    expect(ok(s, {})).toBe(false);
    expect(ok(s, { a: 'x', b: 1 })).toBe(false);
    expect(ok({ allOf: [{ properties: { a: true } }], additionalProperties: false }, { a: 1 })).toBe(false);
    expect(ok({ additionalProperties: { type: 'number' } }, { a: 1, b: 'x' })).toBe(false);
    expect(ok({ propertyNames: { maxLength: 2 } }, { abc: 1 })).toBe(false);
    expect(ok({ maxProperties: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('arrays: items, minItems, maxItems, uniqueItems (deep)', () => {
    expect(ok({ items: { type: 'string' } }, ['a', 1])).toBe(false);
    expect(ok({ uniqueItems: true }, [{ a: 1 }, { a: 1 }])).toBe(false);
    expect(ok({ uniqueItems: true }, [{ a: 1 }, { a: 2 }])).toBe(true);
    expect(ok({ minItems: 1, maxItems: 2 }, [])).toBe(false);
    expect(ok({ minItems: 1, maxItems: 2 }, [1, 2, 3])).toBe(false);
  });

  it('enum and const compare deeply; if/then/else; allOf; $ref; boolean schemas', () => {
    expect(ok({ enum: [{ a: [1] }] }, { a: [1] })).toBe(true);
    expect(ok({ const: 'x' }, 'y')).toBe(false);
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords
    const conditional = { if: { const: 1 }, then: { type: 'integer' }, else: { type: 'string' } };
    expect(ok(conditional, 1)).toBe(true);
    expect(ok(conditional, 'x')).toBe(true);
    expect(ok(conditional, true)).toBe(false);
    expect(ok({ allOf: [{ minimum: 2 }, { maximum: 3 }] }, 4)).toBe(false);
    expect(ok({ $defs: { n: { type: 'number' } }, $ref: '#/$defs/n' }, 'x')).toBe(false);
    expect(ok(false, 1)).toBe(false);
    expect(ok({ properties: { a: false } }, { a: 1 })).toBe(false);
  });

  it('refuses a keyword it does not implement rather than ignoring it', () => {
    expect(() => checkAgainstSchema({ multipleOf: 2 }, 3)).toThrow(
      /unsupported JSON Schema keyword 'multipleOf'/,
    );
  });
});

describe('schema and validateConfig agree', () => {
  const base = () =>
    ({
      region: 'us-east-1',
      instance: { alias: 'acme-cc' },
      okta: { orgUrl: 'https://acme.okta.com' },
      apps: [{ kind: 'admin' }],
    }) as Record<string, unknown>;

  const valid: [string, unknown][] = [
    ['minimal', base()],
    ['examples/sso.yaml', example],
    [
      'group mapping, three apps, OAuth-free, every option',
      {
        $schema: './schema.json',
        stack: 'team-a',
        region: 'eu-central-1',
        instance: { alias: 'a1', inboundCalls: false, outboundCalls: true, tags: { 'cost center': 'ü 1' } },
        okta: { orgUrl: 'http://127.0.0.1:8080', token: '${X}' },
        roleMapping: 'group-mapping',
        apps: [
          { kind: 'admin', sessionDuration: 900, newDomain: true, groupName: 'aws_{{accountid}}_{{role}}' },
          {
            kind: 'ccp',
            label: 'CCP',
            providerName: 'P.1',
            roleName: 'R+1',
            destination: '/ccp-v2/softphone',
          },
          {
            kind: 'agent-workspace',
            groupFilter: '^aws_(?{{accountid}}\\d{12})_(?{{role}}Okta_Agent_Role)$',
          },
        ],
        users: [
          {
            login: 'desk_1',
            app: 'CCP',
            connect: {
              securityProfiles: ['Agent', 'CallCenterManager'],
              routingProfile: 'Sales',
              firstName: 'Desk',
              lastName: 'One',
              phoneType: 'DESK_PHONE',
              deskPhoneNumber: '+12065550100',
            },
          },
        ],
        names: { federationPolicy: 'fed', oktaAccessPolicy: 'access', oktaApiUser: 'user@x' },
      },
    ],
  ];

  it.each(valid)('valid: %s', (_name, input) => {
    expect(checkAgainstSchema(connectSsoConfigSchema, input)).toEqual([]);
    expect(() => validateConfig(input, { env: { ...env, X: 'y' } })).not.toThrow();
  });

  type Change = (c: Record<string, unknown>) => void;
  const app =
    (extra: Record<string, unknown>): Change =>
    (c) => {
      c.apps = [{ kind: 'admin', ...extra }];
    };
  const user =
    (extra: Record<string, unknown>): Change =>
    (c) => {
      c.users = [{ login: 'jane@acme.com', app: 'admin', ...extra }];
    };

  // Problems an editor sees too: the schema and validateConfig report them at the same path.
  const structural: [string, Change, string][] = [
    ['missing region', (c) => delete c.region, 'region'],
    ['unknown key', (c) => (c.regoin = 'x'), 'regoin'],
    ['alias', (c) => (c.instance = { alias: 'd-x' }), 'instance.alias'],
    [
      'reserved tag',
      (c) => (c.instance = { alias: 'a', tags: { 'connect-okta-sso:stack': 'x' } }),
      'instance.tags["connect-okta-sso:stack"]',
    ],
    ['org URL scheme', (c) => (c.okta = { orgUrl: 'acme.okta.com' }), 'okta.orgUrl'],
    ['client id', (c) => (c.okta = { orgUrl: 'https://a.okta.com', clientId: 'a b' }), 'okta.clientId'],
    ['role mapping', (c) => (c.roleMapping = 'groups'), 'roleMapping'],
    [
      'four apps',
      (c) => (c.apps = [{ kind: 'admin' }, { kind: 'ccp' }, { kind: 'agent-workspace' }, { kind: 'ccp' }]),
      'apps',
    ],
    ['kind', app({ kind: 'agent' }), 'apps[0].kind'],
    ['provider name', app({ providerName: 'a b' }), 'apps[0].providerName'],
    ['role name', app({ roleName: 'a/b' }), 'apps[0].roleName'],
    ['session', app({ sessionDuration: 899 }), 'apps[0].sessionDuration'],
    ['destination', app({ destination: 'x' }), 'apps[0].destination'],
    ['group name length', app({ groupName: 'g'.repeat(256) }), 'apps[0].groupName'],
    ['login', user({ login: 'a b' }), 'users[0].login'],
    ['profiles', user({ connect: { securityProfiles: ['A', 'A'] } }), 'users[0].connect.securityProfiles[1]'],
    ['phone', user({ connect: { phoneType: 'DESK' } }), 'users[0].connect.phoneType'],
    ['names', (c) => (c.names = { oktaApiUser: 'a b' }), 'names.oktaApiUser'],
  ];

  it.each(structural)('structural: %s', (_name, change, field) => {
    const input = base();
    change(input);
    expect(checkAgainstSchema(connectSsoConfigSchema, input).map((i) => i.field)).toEqual([field]);
    expect(() => validateConfig(input, { env })).toThrow(ConfigError);
    try {
      validateConfig(input, { env });
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.field)).toEqual([field]);
    }
  });

  // Problems only validateConfig can see (cross-field, registries, environment): the schema accepts.
  const semantic: [string, Change, string][] = [
    ['aws-cn region', (c) => (c.region = 'cn-north-1'), 'region'],
    ['unknown region', (c) => (c.region = 'xx-east-1'), 'region'],
    ['http org URL', (c) => (c.okta = { orgUrl: 'http://acme.okta.com' }), 'okta.orgUrl'],
    [
      'token and key',
      (c) => (c.okta = { orgUrl: 'https://a.okta.com', token: 't', privateKey: 'k' }),
      'okta.privateKey',
    ],
    ['two admin apps', (c) => (c.apps = [{ kind: 'admin' }, { kind: 'admin', label: 'x' }]), 'apps[1].kind'],
    [
      'same role',
      (c) => (c.apps = [{ kind: 'admin' }, { kind: 'ccp', roleName: 'OKTA_ROLE' }]),
      'apps[1].roleName',
    ],
    ['group filter without group mapping', app({ groupFilter: 'x' }), 'apps[0].groupFilter'],
    ['unknown app', user({ app: 'ccp' }), 'users[0].app'],
    [
      'same login',
      (c) =>
        (c.users = [
          { login: 'a@b.co', app: 'admin' },
          { login: 'A@B.co', app: 'admin' },
        ]),
      'users[1].login',
    ],
    ['desk phone', user({ connect: { phoneType: 'DESK_PHONE' } }), 'users[0].connect.deskPhoneNumber'],
    [
      'same policy',
      (c) => (c.names = { oktaAccessPolicy: 'okta_federation_policy' }),
      'names.oktaAccessPolicy',
    ],
  ];

  it.each(semantic)('cross-field: %s', (_name, change, field) => {
    const input = base();
    change(input);
    expect(checkAgainstSchema(connectSsoConfigSchema, input)).toEqual([]);
    try {
      validateConfig(input, { env });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.field)).toEqual([field]);
    }
  });
});

describe('defaults, types and the step rules agree with the schema', () => {
  it('every default the schema announces is the one validateConfig applies', () => {
    const config = {
      region: 'us-east-1',
      instance: { alias: 'acme-cc' },
      okta: { orgUrl: 'https://acme.okta.com' },
      apps: APP_KINDS.map((kind) => ({ kind })),
      users: [{ login: 'jane@acme.com', app: 'admin', connect: {} }],
    };
    const api = validateConfig(config, { env });
    const grouped = validateConfig({ ...config, roleMapping: 'group-mapping' }, { env });
    const announced = (node: SchemaNode | undefined) =>
      Object.entries((node?.properties as Record<string, SchemaNode>) ?? {}).filter(
        ([, p]) => 'default' in p,
      );
    let checked = 0;
    const same = (actual: unknown, expected: unknown, what: string) => {
      expect(actual, what).toEqual(expected);
      checked++;
    };
    const bare = validateConfig({ ...config, users: undefined }, { env });
    for (const [key, p] of announced(schema as SchemaNode))
      same((bare as unknown as SchemaNode)[key], p.default, key);
    for (const [key, p] of announced(defs.instance))
      same((api.instance as unknown as SchemaNode)[key], p.default, `instance.${key}`);
    for (const [key, p] of announced(defs.names))
      same((api.names as unknown as SchemaNode)[key], p.default, `names.${key}`);
    for (const [key, p] of announced(defs.userConnect)) {
      same((api.users[0]?.connect as unknown as SchemaNode | undefined)?.[key], p.default, `connect.${key}`);
    }
    for (const [i, kind] of APP_KINDS.entries()) {
      const byKind = ((defs.app as SchemaNode).allOf as SchemaNode[]).find(
        (b) => ((b.if as SchemaNode).properties as Record<string, SchemaNode>).kind?.const === kind,
      );
      for (const [key, p] of [...announced(defs.app), ...announced(byKind?.then as SchemaNode)]) {
        const resolved = key.startsWith('group') ? grouped.apps[i] : api.apps[i];
        same((resolved as unknown as SchemaNode)[key], p.default, `apps[${kind}].${key}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  type DeepRequired<T> = T extends Secret
    ? T
    : T extends (infer U)[]
      ? DeepRequired<U>[]
      : T extends object
        ? { [K in keyof T]-?: DeepRequired<T[K]> }
        : T;

  it('the TypeScript input type has exactly the properties of the schema, at every level', () => {
    // Every optional property of ConnectSsoConfig must be filled in here (the compiler checks), and
    // nothing else may be (excess property check); the test then compares with the schema.
    const full: DeepRequired<ConnectSsoConfig> = {
      $schema: 's',
      stack: 's',
      region: 'us-east-1',
      instance: { alias: 'a', inboundCalls: true, outboundCalls: true, tags: { a: 'b' } },
      okta: { orgUrl: 'u', token: 't', privateKey: 'k', clientId: 'c', keyId: 'k', scopes: ['s'] },
      roleMapping: 'group-mapping',
      apps: [
        {
          kind: 'admin',
          label: 'l',
          providerName: 'p',
          roleName: 'r',
          sessionDuration: 1,
          destination: '/',
          newDomain: true,
          groupFilter: 'f',
          groupName: 'g',
        },
      ],
      users: [
        {
          login: 'l',
          app: 'a',
          connect: {
            securityProfiles: ['a'],
            routingProfile: 'r',
            firstName: 'f',
            lastName: 'l',
            phoneType: 'DESK_PHONE',
            deskPhoneNumber: '+1',
            hierarchyGroup: 'h',
          },
        },
      ],
      mappings: [
        {
          when: { group: 'g', attribute: { department: 'd' } },
          connect: { securityProfiles: ['s'], routingProfile: 'r', hierarchyGroup: 'h' },
        },
      ],
      sync: { offboard: 'strip', renames: 'recreate', noAccessSecurityProfile: 'n' },
      names: { federationPolicy: 'f', oktaAccessPolicy: 'o', oktaApiUser: 'u' },
    };
    const resolveRef = (node: SchemaNode): SchemaNode =>
      typeof node.$ref === 'string' ? (defs[node.$ref.replace('#/$defs/', '')] as SchemaNode) : node;
    const compare = (value: unknown, node: SchemaNode, at: string) => {
      const s = resolveRef(node);
      if (Array.isArray(value)) {
        compare(value[0], s.items as SchemaNode, `${at}[]`);
      } else if (typeof value === 'object' && value !== null && s.properties) {
        const properties = s.properties as Record<string, SchemaNode>;
        expect(Object.keys(value).sort(), at).toEqual(Object.keys(properties).sort());
        for (const [key, child] of Object.entries(value))
          compare(child, properties[key] as SchemaNode, `${at}.${key}`);
      }
    };
    compare(full, schema as SchemaNode, 'config');
  });

  it('the alias pattern is the Connect API rule of createSamlInstance', () => {
    const samples = [
      'a',
      'acme-cc',
      'a--b',
      'd-x',
      'D-x',
      'dx',
      'd',
      '-a',
      'a-',
      'a_b',
      'ab-c-d',
      '1-2',
      'é',
      'a b',
      'd--x',
    ];
    for (const alias of samples) {
      expect(schemaPattern(PATTERNS.alias).test(alias), alias).toBe(INSTANCE_ALIAS_PATTERN.test(alias));
    }
  });

  it('the login pattern is the Connect username rule of assignUser (and RoleSessionName needs 2 characters)', () => {
    const samples = [
      'jane.doe@acme.com',
      'jane',
      'j_d-1.x',
      'jane+cc@acme.com',
      'jane@acme',
      'jane@acme.c',
      'jane@@acme.com',
      'jane doe',
      'jané',
      'a@b.co',
      '@acme.com',
      'x'.repeat(64),
    ];
    for (const login of samples) {
      const bySchema = schemaPattern(PATTERNS.login).test(login) && login.length <= 64;
      expect(bySchema, login).toBe(connectUsernameProblem(login) === undefined);
    }
    expect(checkAgainstSchema(defs.user as JsonSchema, { login: 'j', app: 'admin' })).toHaveLength(1);
  });

  it('docs/configuration.md documents every property of the schema', () => {
    const doc = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
    for (const [at] of subschemas(schema)) {
      const m = /\/properties\/([^/]+)$/.exec(at);
      if (m && !/\/(if|then)\//.test(at)) expect(doc, at).toContain(`\`${m[1]}\``);
    }
  });
});
