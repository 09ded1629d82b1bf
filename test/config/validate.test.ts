import { generateKeyPairSync } from 'node:crypto';
import { Socket } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultGroupFilter } from '../../src/config/defaults.js';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';

const TOKEN = '00SuperSecretOktaToken-9f8e7d6c5b4a';
const env = { OKTA_API_TOKEN: TOKEN };

/** The smallest valid config: region, instance.alias, okta.orgUrl and one app. */
function minimal(): Record<string, unknown> & {
  instance: Record<string, unknown>;
  okta: Record<string, unknown>;
  apps: Record<string, unknown>[];
} {
  return {
    region: 'us-east-1',
    instance: { alias: 'acme-cc' },
    okta: { orgUrl: 'https://acme.okta.com' },
    apps: [{ kind: 'admin' }],
  };
}

/** The ConfigError `fn` throws (fails the test when it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function issuesOf(input: unknown, options: Parameters<typeof validateConfig>[1] = { env }) {
  return configError(() => validateConfig(input, options)).issues;
}

describe('defaults', () => {
  it('applies every default to the smallest config', () => {
    const resolved = validateConfig(minimal(), { env });
    expect(resolved.okta.auth?.type).toBe('token');
    const { okta, ...rest } = resolved;
    expect(rest).toEqual({
      stack: 'acme-cc',
      region: 'us-east-1',
      partition: 'aws',
      instance: { alias: 'acme-cc', inboundCalls: true, outboundCalls: true, tags: {} },
      roleMapping: 'api-integration',
      apps: [
        {
          kind: 'admin',
          label: 'Amazon Connect Administrator',
          providerName: 'Okta_Connect_Admin',
          roleName: 'Okta_Role',
          sessionDuration: 3600,
          destination: undefined,
          newDomain: false,
          groupFilter: undefined,
          groupName: undefined,
        },
      ],
      users: [],
      usersFromOkta: undefined,
      mappings: [],
      sync: { offboard: 'none', renames: 'report', noAccessSecurityProfile: 'connect-okta-sso-no-access' },
      names: {
        federationPolicy: 'okta_federation_policy',
        oktaAccessPolicy: 'okta_cli_policy',
        oktaApiUser: 'okta_cli_user',
      },
    });
    expect(okta.orgUrl).toBe('https://acme.okta.com');
    expect(okta.auth).toEqual({
      type: 'token',
      token: expect.any(Secret),
      source: { kind: 'env', name: 'OKTA_API_TOKEN' },
    });
    expect(okta.auth?.type === 'token' && okta.auth.token.reveal()).toBe(TOKEN);
  });

  it('gives each kind of app its own names and destination', () => {
    const config = { ...minimal(), apps: [{ kind: 'admin' }, { kind: 'ccp' }, { kind: 'agent-workspace' }] };
    const apps = validateConfig(config, { env }).apps;
    expect(apps.map((a) => [a.kind, a.label, a.providerName, a.roleName, a.destination])).toEqual([
      ['admin', 'Amazon Connect Administrator', 'Okta_Connect_Admin', 'Okta_Role', undefined],
      ['ccp', 'Amazon Connect CCP', 'Okta_Connect_CCP', 'Okta_CCP_Role', '/ccp-v2'],
      [
        'agent-workspace',
        'Amazon Connect Agent Workspace',
        'Okta_Connect_Agent',
        'Okta_Agent_Role',
        '/agent-app-v2',
      ],
    ]);
  });

  it('gives a user the Agent profile, Basic Routing Profile and a soft phone, and says which were explicit', () => {
    const config = {
      ...minimal(),
      users: [
        { login: 'agent1@acme.com', app: 'admin' },
        {
          login: 'jane.doe@acme.com',
          app: 'admin',
          connect: { securityProfiles: ['Admin'], firstName: 'Jane' },
        },
      ],
    };
    const [plain, jane] = validateConfig(config, { env }).users;
    expect(plain).toEqual({
      login: 'agent1@acme.com',
      app: 'admin',
      field: 'users[0]',
      connect: {
        securityProfiles: ['Agent'],
        routingProfile: 'Basic Routing Profile',
        firstName: undefined,
        lastName: undefined,
        phoneType: 'SOFT_PHONE',
        deskPhoneNumber: undefined,
        hierarchyGroup: undefined,
        explicit: { securityProfiles: false, routingProfile: false, hierarchyGroup: false },
      },
    });
    expect(jane?.connect).toMatchObject({
      securityProfiles: ['Admin'],
      routingProfile: 'Basic Routing Profile',
      firstName: 'Jane',
      explicit: { securityProfiles: true, routingProfile: false },
    });
  });

  it('resolves a user app given as a label (any case) to its kind', () => {
    const config = {
      ...minimal(),
      apps: [{ kind: 'admin' }, { kind: 'ccp', label: 'Acme Agents' }],
      users: [
        { login: 'a1@acme.com', app: 'acme agents' },
        { login: 'a2@acme.com', app: 'Amazon Connect Administrator' },
      ],
    };
    expect(validateConfig(config, { env }).users.map((u) => u.app)).toEqual(['ccp', 'admin']);
  });

  it('in group-mapping mode, fills each app group filter and group name from its role', () => {
    const config = {
      ...minimal(),
      roleMapping: 'group-mapping',
      apps: [{ kind: 'admin' }, { kind: 'ccp', roleName: 'Agents.R' }],
    };
    const apps = validateConfig(config, { env }).apps;
    expect(apps.map((a) => [a.groupFilter, a.groupName])).toEqual([
      ['^aws_(?{{accountid}}\\d{12})_(?{{role}}Okta_Role)$', 'aws_{{accountid}}_{{role}}'],
      ['^aws_(?{{accountid}}\\d{12})_(?{{role}}Agents\\.R)$', 'aws_{{accountid}}_{{role}}'],
    ]);
    expect(defaultGroupFilter('Okta_Role')).toBe(apps[0]?.groupFilter);
  });

  it('keeps explicit values, normalises the org URL and copies what it returns', () => {
    const input = {
      stack: 'team-a',
      region: 'us-gov-west-1',
      instance: { alias: 'acme-gov', inboundCalls: false, outboundCalls: false, tags: { team: 'a b' } },
      okta: { orgUrl: 'https://acme.okta.com/' },
      apps: [{ kind: 'ccp', sessionDuration: 43_200, destination: '/connect/ccp-v2', newDomain: true }],
      names: { federationPolicy: 'fed', oktaAccessPolicy: 'access', oktaApiUser: 'okta-user' },
    };
    const before = JSON.stringify(input);
    const resolved = validateConfig(input, { env });
    expect(JSON.stringify(input)).toBe(before);
    expect(resolved).toMatchObject({
      stack: 'team-a',
      partition: 'aws-us-gov',
      instance: { inboundCalls: false, outboundCalls: false, tags: { team: 'a b' } },
      okta: { orgUrl: 'https://acme.okta.com' },
      apps: [{ sessionDuration: 43_200, destination: '/connect/ccp-v2', newDomain: true }],
      names: { federationPolicy: 'fed', oktaAccessPolicy: 'access', oktaApiUser: 'okta-user' },
    });
    expect(resolved.instance.tags).not.toBe(input.instance.tags);
  });
});

describe('okta credentials', () => {
  it('reads ${NAME} in okta.token from the environment, and a literal token as it is', () => {
    const fromVar = validateConfig(
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: '${MY_TOKEN}' } },
      { env: { MY_TOKEN: 'abc' } },
    );
    expect(fromVar.okta.auth).toMatchObject({ type: 'token', source: { kind: 'env', name: 'MY_TOKEN' } });
    expect(fromVar.okta.auth?.type === 'token' && fromVar.okta.auth.token.reveal()).toBe('abc');

    const literal = validateConfig(
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: TOKEN } },
      { env: {} },
    );
    expect(literal.okta.auth).toMatchObject({ type: 'token', source: { kind: 'config' } });

    const secret = new Secret('from-code');
    const fromCode = validateConfig(
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: secret } },
      { env: {} },
    );
    expect(fromCode.okta.auth?.type === 'token' && fromCode.okta.auth.token).toBe(secret);
  });

  it('requires credentials unless told not to', () => {
    expect(issuesOf(minimal(), { env: {} })).toEqual([
      { field: 'okta.token', message: expect.stringContaining('OKTA_API_TOKEN') },
    ]);
    expect(validateConfig(minimal(), { env: {}, requireOktaAuth: false }).okta.auth).toBeUndefined();
  });

  it('refuses an unset variable, partial interpolation, and token with a private key', () => {
    const okta = (extra: Record<string, unknown>) => ({
      ...minimal(),
      okta: { orgUrl: 'https://acme.okta.com', ...extra },
    });
    expect(issuesOf(okta({ token: '${NOPE}' }), { env: {} })).toEqual([
      { field: 'okta.token', message: 'refers to the environment variable NOPE, which is not set' },
    ]);
    expect(issuesOf(okta({ token: 'prefix-${OKTA_API_TOKEN}' }))[0]?.field).toBe('okta.token');
    expect(issuesOf(okta({ token: '  ' }))).toEqual([{ field: 'okta.token', message: 'must not be blank' }]);
    expect(issuesOf(okta({ token: TOKEN, privateKey: 'x', clientId: 'c' }))).toEqual([
      { field: 'okta.privateKey', message: 'give either okta.token or okta.privateKey (OAuth), not both' },
    ]);
    expect(issuesOf(okta({ clientId: '0oa1', scopes: ['okta.apps.manage'] })).map((i) => i.field)).toEqual([
      'okta.clientId',
      'okta.scopes',
    ]);
  });

  it('accepts an RSA or EC private key as PEM or JWK, with default scopes by role mapping', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pem = rsa.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwk = JSON.stringify(ec.export({ format: 'jwk' }));
    const withKey = (privateKey: string, extra: Record<string, unknown> = {}) => ({
      ...minimal(),
      ...extra,
      okta: { orgUrl: 'https://acme.okta.com', privateKey, clientId: '0oa1b2c3d4e5f6g7h8i9', keyId: 'kid-1' },
    });
    const byPem = validateConfig(withKey(pem), { env });
    expect(byPem.okta.auth).toMatchObject({
      type: 'private-key',
      clientId: '0oa1b2c3d4e5f6g7h8i9',
      keyId: 'kid-1',
      scopes: ['okta.apps.manage', 'okta.users.read'],
      source: { kind: 'config' },
    });
    expect(byPem.okta.auth?.type === 'private-key' && byPem.okta.auth.privateKey.reveal()).toBe(pem.trim());
    const byJwk = validateConfig(withKey('${OKTA_KEY}', { roleMapping: 'group-mapping' }), {
      env: { OKTA_KEY: jwk },
    });
    expect(byJwk.okta.auth).toMatchObject({
      scopes: ['okta.apps.manage', 'okta.users.read', 'okta.groups.manage'],
      source: { kind: 'env', name: 'OKTA_KEY' },
    });
    expect(JSON.stringify(byJwk)).not.toContain(JSON.parse(jwk).d);

    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(issuesOf(withKey(ed))).toEqual([
      { field: 'okta.privateKey', message: expect.stringContaining('RSA or EC') },
    ]);
    const garbage = issuesOf(
      withKey('-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBITS\n-----END PRIVATE KEY-----'),
    );
    expect(garbage).toEqual([
      { field: 'okta.privateKey', message: expect.stringContaining('not a readable private key') },
    ]);
    expect(JSON.stringify(garbage)).not.toContain('SECRETBITS');
    expect(issuesOf({ ...withKey(pem), okta: { orgUrl: 'https://acme.okta.com', privateKey: pem } })).toEqual(
      [{ field: 'okta.clientId', message: 'is required with okta.privateKey' }],
    );
  });

  it('never shows the token: not in the resolved config, its inspection, nor any error', () => {
    const resolved = validateConfig(
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: TOKEN } },
      { env: {} },
    );
    expect(JSON.stringify(resolved)).not.toContain(TOKEN);
    expect(inspect(resolved, { depth: 10 })).not.toContain(TOKEN);

    const wrong: unknown[] = [
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: TOKEN, privateKey: TOKEN } },
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: [TOKEN] } },
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: { value: TOKEN } } },
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', privateKey: TOKEN, clientId: '0oa1' } },
      { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: `x\${${TOKEN}` } },
      { ...minimal(), okta: { orgUrl: `https://acme.okta.com/${TOKEN}`, token: TOKEN }, region: 'mars-1' },
    ];
    for (const input of wrong) {
      const error = configError(() => validateConfig(input, { env: {} }));
      const shown = `${error.message}\n${JSON.stringify(error.issues)}\n${inspect(error)}`;
      // The org URL (not a secret) may be echoed; the token alone must never be.
      expect(
        shown.replaceAll(`https://acme.okta.com/${TOKEN}`, '<url>').replaceAll(`'/${TOKEN}'`, '<path>'),
      ).not.toContain(TOKEN);
    }
  });

  it('does not accept a number as a token, nor echo it', () => {
    const error = configError(() =>
      validateConfig(
        { ...minimal(), okta: { orgUrl: 'https://acme.okta.com', token: 123456789 } },
        { env: {} },
      ),
    );
    expect(error.issues).toEqual([{ field: 'okta.token', message: 'expected a string' }]);
    expect(error.message).not.toContain('123456789');
  });
});

describe('errors name their path', () => {
  type Case = [name: string, change: (c: ReturnType<typeof minimal>) => void, field: string, message: RegExp];
  const cases: Case[] = [
    [
      'wrong type',
      (c) => (c.instance.inboundCalls = 'yes'),
      'instance.inboundCalls',
      /expected true or false, got 'yes'/,
    ],
    [
      'unknown key, near miss',
      (c) => (c.instance.outboudCalls = true),
      'instance.outboudCalls',
      /did you mean 'outboundCalls'/,
    ],
    ['unknown top-level key', (c) => (c.user = []), 'user', /did you mean 'users'/],
    [
      'unknown key, far from any',
      (c) => (c.okta.colour = 'red'),
      'okta.colour',
      /expected one of: orgUrl, token/,
    ],
    ['alias pattern', (c) => (c.instance.alias = 'd-acme'), 'instance.alias', /not starting with 'd-'/],
    [
      'alias hyphen at the end',
      (c) => (c.instance.alias = 'acme-'),
      'instance.alias',
      /hyphens between them/,
    ],
    ['alias length', (c) => (c.instance.alias = 'a'.repeat(46)), 'instance.alias', /at most 45 characters/],
    ['missing alias', (c) => delete c.instance.alias, 'instance.alias', /is required/],
    ['aws-cn region', (c) => (c.region = 'cn-north-1'), 'region', /aws-cn partition/],
    ['unknown region', (c) => (c.region = 'us-east-9'), 'region', /not an AWS region/],
    ['region form', (c) => (c.region = 'US East'), 'region', /AWS region such as 'us-east-1'/],
    ['org URL with http', (c) => (c.okta.orgUrl = 'http://acme.okta.com'), 'okta.orgUrl', /https/],
    [
      'org URL with a path',
      (c) => (c.okta.orgUrl = 'https://acme.okta.com/admin'),
      'okta.orgUrl',
      /without a path/,
    ],
    ['org URL not a URL', (c) => (c.okta.orgUrl = 'https://'), 'okta.orgUrl', /not a URL/],
    ['stack', (c) => (c.stack = 'a stack'), 'stack', /1–128 characters/],
    [
      'tag key aws:',
      (c) => (c.instance.tags = { 'aws:x': 'y' }),
      'instance.tags["aws:x"]',
      /key .*may not start with aws:/,
    ],
    [
      'reserved tag key',
      (c) => (c.instance.tags = { 'managed-by': 'me' }),
      'instance.tags["managed-by"]',
      /ownership tags/,
    ],
    ['tag value', (c) => (c.instance.tags = { team: 'a;b' }), 'instance.tags.team', /tag values use/],
    [
      'too many tags',
      (c) => (c.instance.tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']))),
      'instance.tags',
      /at most 48/,
    ],
    [
      'role mapping',
      (c) => (c.roleMapping = 'groups'),
      'roleMapping',
      /expected one of 'api-integration', 'group-mapping'/,
    ],
    ['no app', (c) => (c.apps = []), 'apps', /at least one/],
    ['app kind', (c) => (c.apps = [{ kind: 'adm' }]), 'apps[0].kind', /did you mean 'admin'/],
    [
      'second app of a kind',
      (c) => c.apps.push({ kind: 'admin', label: 'Other' }),
      'apps[1].kind',
      /a second 'admin' app/,
    ],
    [
      'duplicate label, ignoring case',
      (c) => c.apps.push({ kind: 'ccp', label: 'amazon connect administrator' }),
      'apps[1].label',
      /also the label of apps\[0\]/,
    ],
    [
      'duplicate provider name',
      (c) => c.apps.push({ kind: 'ccp', providerName: 'okta_connect_admin' }),
      'apps[1].providerName',
      /ignore case/,
    ],
    [
      'duplicate role name',
      (c) => c.apps.push({ kind: 'ccp', roleName: 'Okta_Role' }),
      'apps[1].roleName',
      /also the role name of apps\[0\]/,
    ],
    [
      'label equal to another kind',
      (c) => c.apps.push({ kind: 'ccp', label: 'admin' }),
      'apps[1].label',
      /ambiguous/,
    ],
    [
      'SAML provider name rule',
      (c) => (c.apps[0] = { kind: 'admin', providerName: 'Okta+Admin' }),
      'apps[0].providerName',
      /SAML provider names/,
    ],
    [
      'role name rule',
      (c) => (c.apps[0] = { kind: 'admin', roleName: 'role/x' }),
      'apps[0].roleName',
      /IAM names/,
    ],
    [
      'role name length',
      (c) => (c.apps[0] = { kind: 'admin', roleName: 'r'.repeat(65) }),
      'apps[0].roleName',
      /at most 64/,
    ],
    [
      'session too short',
      (c) => (c.apps[0] = { kind: 'admin', sessionDuration: 600 }),
      'apps[0].sessionDuration',
      /from 900 to 43200, got 600/,
    ],
    [
      'session too long',
      (c) => (c.apps[0] = { kind: 'admin', sessionDuration: 50_000 }),
      'apps[0].sessionDuration',
      /from 900 to 43200/,
    ],
    [
      'session not whole',
      (c) => (c.apps[0] = { kind: 'admin', sessionDuration: 3600.5 }),
      'apps[0].sessionDuration',
      /whole number/,
    ],
    [
      'destination not a path',
      (c) => (c.apps[0] = { kind: 'admin', destination: 'ccp-v2' }),
      'apps[0].destination',
      /starting with '\/'/,
    ],
    [
      'destination to another host',
      (c) => (c.apps[0] = { kind: 'admin', destination: '//evil.example' }),
      'apps[0].destination',
      /path/,
    ],
    ['empty label', (c) => (c.apps[0] = { kind: 'admin', label: '' }), 'apps[0].label', /must not be empty/],
    [
      'label with spaces around',
      (c) => (c.apps[0] = { kind: 'admin', label: ' Admin' }),
      'apps[0].label',
      /leading or trailing/,
    ],
    [
      'group filter without group mapping',
      (c) => (c.apps[0] = { kind: 'admin', groupFilter: '^x$' }),
      'apps[0].groupFilter',
      /only used with roleMapping: group-mapping/,
    ],
    [
      'policy name rule',
      (c) => (c.names = { federationPolicy: 'fed policy' }),
      'names.federationPolicy',
      /IAM names/,
    ],
    [
      'user name length',
      (c) => (c.names = { oktaApiUser: 'u'.repeat(65) }),
      'names.oktaApiUser',
      /at most 64/,
    ],
    [
      'policy name length',
      (c) => (c.names = { oktaAccessPolicy: 'p'.repeat(129) }),
      'names.oktaAccessPolicy',
      /at most 128/,
    ],
    [
      'one name for both policies',
      (c) => (c.names = { oktaAccessPolicy: 'OKTA_FEDERATION_POLICY' }),
      'names.oktaAccessPolicy',
      /both policies/,
    ],
    ['unknown name', (c) => (c.names = { apiUser: 'x' }), 'names.apiUser', /did you mean 'oktaApiUser'/],
    [
      'login with a space',
      (c) => (c.users = [{ login: 'jane doe', app: 'admin' }]),
      'users[0].login',
      /Connect username/,
    ],
    [
      'login with +',
      (c) => (c.users = [{ login: 'jane+cc@acme.com', app: 'admin' }]),
      'users[0].login',
      /Connect username/,
    ],
    [
      'login with @ outside an e-mail',
      (c) => (c.users = [{ login: 'jane@acme', app: 'admin' }]),
      'users[0].login',
      /e-mail form/,
    ],
    ['login too short', (c) => (c.users = [{ login: 'j', app: 'admin' }]), 'users[0].login', /at least 2/],
    [
      'login too long',
      (c) => (c.users = [{ login: `${'j'.repeat(60)}@a.com`, app: 'admin' }]),
      'users[0].login',
      /at most 64/,
    ],
    ['missing app of a user', (c) => (c.users = [{ login: 'jane@acme.com' }]), 'users[0].app', /is required/],
    [
      'unknown app of a user',
      (c) => (c.users = [{ login: 'jane@acme.com', app: 'amdin' }]),
      'users[0].app',
      /did you mean 'admin'.*the apps are admin \('Amazon Connect Administrator'\)/,
    ],
    [
      'user app by kind not configured',
      (c) => (c.users = [{ login: 'jane@acme.com', app: 'ccp' }]),
      'users[0].app',
      /no app with kind or label 'ccp'/,
    ],
    [
      'duplicate login, ignoring case',
      (c) =>
        (c.users = [
          { login: 'jane@acme.com', app: 'admin' },
          { login: 'Jane@Acme.com', app: 'admin' },
        ]),
      'users[1].login',
      /already users\[0\] \('jane@acme.com'; Okta logins ignore case\)/,
    ],
    [
      'duplicate security profile',
      (c) =>
        (c.users = [
          { login: 'ja@acme.com', app: 'admin', connect: { securityProfiles: ['Agent', 'Agent'] } },
        ]),
      'users[0].connect.securityProfiles[1]',
      /repeats users\[0\]\.connect\.securityProfiles\[0\]/,
    ],
    [
      'no security profile',
      (c) => (c.users = [{ login: 'ja@acme.com', app: 'admin', connect: { securityProfiles: [] } }]),
      'users[0].connect.securityProfiles',
      /at least one/,
    ],
    [
      'phone type',
      (c) => (c.users = [{ login: 'ja@acme.com', app: 'admin', connect: { phoneType: 'soft' } }]),
      'users[0].connect.phoneType',
      /SOFT_PHONE/,
    ],
    [
      'desk phone without number',
      (c) => (c.users = [{ login: 'ja@acme.com', app: 'admin', connect: { phoneType: 'DESK_PHONE' } }]),
      'users[0].connect.deskPhoneNumber',
      /required with phoneType DESK_PHONE/,
    ],
    [
      'number without desk phone',
      (c) =>
        (c.users = [{ login: 'ja@acme.com', app: 'admin', connect: { deskPhoneNumber: '+12065550100' } }]),
      'users[0].connect.deskPhoneNumber',
      /only used with phoneType DESK_PHONE/,
    ],
    [
      'desk phone number form',
      (c) =>
        (c.users = [
          {
            login: 'ja@acme.com',
            app: 'admin',
            connect: { phoneType: 'DESK_PHONE', deskPhoneNumber: '206-555-0100' },
          },
        ]),
      'users[0].connect.deskPhoneNumber',
      /E\.164/,
    ],
    ['users not a list', (c) => (c.users = 'x'), 'users', /expected a list or an object/],
    [
      'users as an object with a user in it',
      (c) => (c.users = { login: 'x' }),
      'users.login',
      /unknown key; expected one of: fromOkta, list/,
    ],
  ];

  it.each(cases)('%s', (_name, change, field, message) => {
    const config = minimal();
    change(config);
    const issues = issuesOf(config);
    expect(issues.map((i) => i.field)).toEqual([field]);
    expect(issues[0]?.message).toMatch(message);
    expect(configError(() => validateConfig(config, { env })).field).toBe(field);
  });

  it('names the whole document when it is not an object', () => {
    for (const input of [null, [], 'region: us-east-1', 42]) {
      expect(issuesOf(input)).toEqual([
        { field: 'config', message: expect.stringMatching(/^expected an object/) },
      ]);
    }
  });

  it('reports each missing required section', () => {
    expect(issuesOf({}).map((i) => i.field)).toEqual(['region', 'instance', 'okta', 'apps']);
  });
});

describe('group mapping', () => {
  const grouped = (apps: Record<string, unknown>[]) => ({ ...minimal(), roleMapping: 'group-mapping', apps });

  it('accepts Okta-style filters with both captures that match the app group', () => {
    const resolved = validateConfig(
      grouped([
        {
          kind: 'admin',
          groupFilter: '^connect#(?{{accountid}}\\d+)#(?{{role}}Okta_Role)$',
          groupName: 'connect#{{accountid}}#{{role}}',
        },
        { kind: 'ccp' },
      ]),
      { env },
    );
    expect(resolved.apps[0]?.groupName).toBe('connect#{{accountid}}#{{role}}');
  });

  it.each([
    [
      'no role capture',
      { kind: 'admin', groupFilter: '^aws_(?{{accountid}}\\d+)_Okta_Role$' },
      'apps[0].groupFilter',
      /needs a \(\?\{\{role\}\}…\) capture/,
    ],
    [
      'no account capture',
      { kind: 'admin', groupFilter: '^aws_\\d+_(?{{role}}Okta_Role)$' },
      'apps[0].groupFilter',
      /\{\{accountid\}\}/,
    ],
    [
      'not a regular expression',
      { kind: 'admin', groupFilter: '^aws_(?{{accountid}}\\d+_(?{{role}}x)$' },
      'apps[0].groupFilter',
      /not a valid regular expression/,
    ],
    [
      'unknown placeholder',
      { kind: 'admin', groupName: 'aws_{{account}}_{{role}}' },
      'apps[0].groupName',
      /unknown placeholder \{\{account\}\}/,
    ],
    [
      'group not matched',
      { kind: 'admin', groupName: 'connect_{{accountid}}_{{role}}' },
      'apps[0].groupName',
      /'connect_123456789012_Okta_Role'.*does not match/,
    ],
    [
      'role captured wrongly',
      { kind: 'admin', groupFilter: '^aws_(?{{accountid}}\\d+)_(?{{role}}Okta)_Role$' },
      'apps[0].groupFilter',
      /gives role 'Okta'/,
    ],
  ])('%s', (_name, app, field, message) => {
    const issues = issuesOf(grouped([app]));
    expect(issues.map((i) => i.field)).toEqual([field]);
    expect(issues[0]?.message).toMatch(message);
  });

  it("refuses a filter that also matches another app's group (Okta's unanchored documented example)", () => {
    const documented = 'aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)';
    expect(validateConfig(grouped([{ kind: 'admin', groupFilter: documented }]), { env }).apps).toHaveLength(
      1,
    );
    const issues = issuesOf(grouped([{ kind: 'admin', groupFilter: documented }, { kind: 'ccp' }]));
    expect(issues).toEqual([
      {
        field: 'apps[0].groupFilter',
        message: expect.stringMatching(
          /also matches the group of apps\[1\] \('aws_123456789012_Okta_CCP_Role'\)/,
        ),
      },
    ]);
  });

  it('refuses two apps with the same group', () => {
    const issues = issuesOf(
      grouped([
        { kind: 'admin', groupFilter: '^g_(?{{accountid}}\\d+)(?{{role}})$', groupName: 'g_{{accountid}}' },
        { kind: 'ccp', groupFilter: '^g_(?{{accountid}}\\d+)(?{{role}})$', groupName: 'g_{{accountid}}' },
      ]),
    );
    // The role capture is empty, so neither filter gives its role; the first problem of each app is reported.
    expect(issues.map((i) => i.field)).toEqual(['apps[0].groupFilter', 'apps[1].groupFilter']);
  });
});

describe('several problems', () => {
  it('reports every problem at once, in the order of the file, and the message lists them', () => {
    const config = {
      region: 'cn-north-1',
      instance: { alias: 'd-acme', outboudCalls: true },
      okta: { orgUrl: 'http://acme.okta.com' },
      apps: [{ kind: 'admin' }, { kind: 'admin' }],
      users: [
        { login: 'jane@acme.com', app: 'ccp' },
        { login: 'JANE@acme.com', app: 'admin' },
      ],
      names: { oktaApiUser: 'bad user' },
    };
    const error = configError(() => validateConfig(config, { env }));
    expect(error.issues.map((i) => i.field)).toEqual([
      'region',
      'instance.alias',
      'instance.outboudCalls',
      'okta.orgUrl',
      'apps[1].kind',
      'users[0].app',
      'users[1].login',
      'names.oktaApiUser',
    ]);
    expect(error.field).toBe('region');
    expect(error.message.split('\n')[0]).toBe('8 problems:');
    for (const issue of error.issues) expect(error.message).toContain(`  - ${issue.field}: ${issue.message}`);
  });

  it('reports one problem per cause: nothing under a path that already has one', () => {
    const issues = issuesOf({
      ...minimal(),
      apps: [{ kind: 'nope', label: 5 }],
      users: [{ login: 'a@b.co', app: 'nope' }],
    });
    expect(issues.map((i) => i.field)).toEqual(['apps[0].kind', 'apps[0].label']);
  });

  it('a problem covers the paths under it only: users[1] is not above users[10], nor users[1]x', () => {
    const users: unknown[] = Array.from({ length: 12 }, (_, i) => ({
      login: `u${i}@acme.com`,
      app: 'admin',
    }));
    users[1] = 'not a user';
    users[10] = { login: 'u10@acme.com', app: 'nope' };
    // A schema problem on users[2].connect.phoneType: the deskPhoneNumber rule, which depends on it, is skipped.
    users[2] = {
      login: 'u2@acme.com',
      app: 'admin',
      connect: { phoneType: 'FAX', deskPhoneNumber: '+15555550100' },
    };
    // users[3].login breaks the pattern: the duplicate-login check does not add a second problem to it.
    users[3] = { login: 'u 4@acme.com', app: 'admin' };
    users[4] = { login: 'u 4@acme.com', app: 'admin' };
    const issues = issuesOf({ ...minimal(), users });
    expect(issues.map((i) => i.field)).toEqual([
      'users[1]',
      'users[2].connect.phoneType',
      'users[3].login',
      'users[4].login',
      'users[10].app',
    ]);
  });
});

describe('many problems', () => {
  /** A config whose `count` users each name an app that does not exist: one problem per user. */
  function unknownApps(count: number) {
    return {
      ...minimal(),
      users: Array.from({ length: count }, (_, i) => ({ login: `agent${i}@acme.com`, app: 'nope' })),
    };
  }

  it('the message lists the first 20 and counts the rest; the error keeps every problem', () => {
    const error = configError(() => validateConfig(unknownApps(33), { env }));
    expect(error.issues).toHaveLength(33);
    expect(error.issues.map((i) => i.field)).toEqual(Array.from({ length: 33 }, (_, i) => `users[${i}].app`));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('33 problems:');
    expect(lines.slice(1, 21)).toEqual(error.issues.slice(0, 20).map((i) => `  - ${i.field}: ${i.message}`));
    expect(lines[21]).toBe('  … and 13 more (error.issues lists all 33)');
    expect(lines).toHaveLength(22);
    expect(error.message).not.toContain('users[20].app');
    expect(error.field).toBe('users[0].app');
  });

  it('up to 20 problems, the message lists them all and counts nothing', () => {
    const error = configError(() => validateConfig(unknownApps(20), { env }));
    expect(error.message.split('\n')).toHaveLength(21);
    expect(error.message).toContain('users[19].app');
    expect(error.message).not.toMatch(/and \d+ more/);
  });

  it('ConfigError.of caps its message the same way for every caller', () => {
    const issues = Array.from({ length: 25 }, (_, i) => ({ field: `f${i}`, message: `bad ${i}` }));
    const error = ConfigError.of(issues);
    expect(error.message).toContain('  - f19: bad 19');
    expect(error.message).not.toContain('f20');
    expect(error.message.endsWith('\n  … and 5 more (error.issues lists all 25)')).toBe(true);
    expect(error.issues).toEqual(issues);
  });

  it('rejects a config with 16,000 problems, every one listed on the error', () => {
    const error = configError(() => validateConfig(unknownApps(16_000), { env }));
    expect(error.issues).toHaveLength(16_000);
    const fields = new Set(error.issues.map((i) => i.field));
    expect(fields.size).toBe(16_000);
    for (const i of [0, 1, 9_999, 15_999]) expect(fields.has(`users[${i}].app`)).toBe(true);
    expect(error.issues[15_999]).toEqual({
      field: 'users[15999].app',
      message: expect.stringMatching(/^no app with kind or label 'nope'/),
    });
    expect(error.message.split('\n')).toHaveLength(22);
    expect(error.message).toContain('… and 15980 more (error.issues lists all 16000)');
  });

  it('a valid config of 16,000 users resolves every user', () => {
    const config = {
      ...minimal(),
      apps: [{ kind: 'admin' }, { kind: 'ccp' }],
      users: Array.from({ length: 16_000 }, (_, i) => ({
        login: `agent${i}@acme.com`,
        app: i % 2 ? 'ccp' : 'admin',
      })),
    };
    const resolved = validateConfig(config, { env });
    expect(resolved.users).toHaveLength(16_000);
    expect(resolved.users[15_999]).toMatchObject({ login: 'agent15999@acme.com', app: 'ccp' });
  });
});

describe('purity', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('validates without opening a connection, and an invalid config fails before anything else', () => {
    const connect = vi.spyOn(Socket.prototype, 'connect');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(() => validateConfig({ ...minimal(), region: 'cn-north-1' }, { env })).toThrow(ConfigError);
    validateConfig({ ...minimal(), users: [{ login: 'jane@acme.com', app: 'admin' }] }, { env });
    expect(connect).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
