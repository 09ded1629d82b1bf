/**
 * The config of a sync: users.fromOkta, users.list, mappings, sync and a user's hierarchyGroup —
 * resolved with their defaults, and every mistake named by its path before any call.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { validateConfig } from '../../src/index.js';

const env = { OKTA_API_TOKEN: '00abcdefghijklmnopqrstuvwxyz0123456789ABCD' };

const base = (extra: Record<string, unknown> = {}) => ({
  region: 'us-east-1',
  instance: { alias: 'acme-cc' },
  okta: { orgUrl: 'https://acme.okta.com' },
  apps: [{ kind: 'admin' }, { kind: 'ccp', label: 'Agents' }],
  ...extra,
});

function fields(input: unknown): string[] {
  try {
    validateConfig(input, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.field);
  }
  throw new Error('expected a ConfigError');
}

describe('sync configuration', () => {
  it('resolves users.fromOkta (apps by kind or label), users.list, mappings and the sync defaults', () => {
    const resolved = validateConfig(
      base({
        users: {
          fromOkta: { groups: ['cc-agents'], apps: ['Agents', 'admin', 'ccp'] },
          list: [{ login: 'jane@acme.com', app: 'admin', connect: { hierarchyGroup: 'Floor1/TeamA' } }],
        },
        mappings: [
          { when: { group: 'cc-supervisors' }, connect: { securityProfiles: ['CallCenterManager'] } },
          {
            when: { attribute: { department: 'Sales', costCenter: 42 } },
            connect: { routingProfile: 'Sales' },
          },
        ],
      }),
      { env },
    );
    expect(resolved.usersFromOkta).toEqual({ groups: ['cc-agents'], apps: ['ccp', 'admin'] });
    expect(
      resolved.users.map((u) => [u.login, u.field, u.connect.hierarchyGroup, u.connect.explicit]),
    ).toEqual([
      [
        'jane@acme.com',
        'users.list[0]',
        'Floor1/TeamA',
        { securityProfiles: false, routingProfile: false, hierarchyGroup: true },
      ],
    ]);
    expect(resolved.mappings).toEqual([
      {
        field: 'mappings[0]',
        when: { group: 'cc-supervisors', attribute: undefined },
        connect: {
          securityProfiles: ['CallCenterManager'],
          routingProfile: undefined,
          hierarchyGroup: undefined,
        },
      },
      {
        field: 'mappings[1]',
        when: { group: undefined, attribute: { department: 'Sales', costCenter: 42 } },
        connect: { securityProfiles: undefined, routingProfile: 'Sales', hierarchyGroup: undefined },
      },
    ]);
    expect(resolved.sync).toEqual({
      offboard: 'none',
      renames: 'report',
      noAccessSecurityProfile: 'connect-okta-sso-no-access',
    });
  });

  it('the list form of users is unchanged and has no fromOkta', () => {
    const resolved = validateConfig(base({ users: [{ login: 'a@acme.com', app: 'ccp' }] }), { env });
    expect(resolved.usersFromOkta).toBeUndefined();
    expect(resolved.users[0]?.field).toBe('users[0]');
  });

  it.each([
    ['fromOkta names nobody', { users: { fromOkta: {} } }, ['users.fromOkta']],
    ['an empty group list', { users: { fromOkta: { groups: [] } } }, ['users.fromOkta.groups']],
    ['an unknown app', { users: { fromOkta: { apps: ['agent'] } } }, ['users.fromOkta.apps[0]']],
    [
      'the same group twice, ignoring case',
      { users: { fromOkta: { groups: ['cc-agents', 'CC-Agents'] } } },
      ['users.fromOkta.groups[1]'],
    ],
    [
      'a listed user with an unknown app',
      { users: { list: [{ login: 'a@acme.com', app: 'nope' }] } },
      ['users.list[0].app'],
    ],
    [
      'a listed user twice',
      {
        users: {
          list: [
            { login: 'a@acme.com', app: 'ccp' },
            { login: 'A@acme.com', app: 'ccp' },
          ],
        },
      },
      ['users.list[1].login'],
    ],
    [
      'a rule without a condition',
      { mappings: [{ when: {}, connect: { routingProfile: 'x' } }] },
      ['mappings[0].when'],
    ],
    [
      'a rule with an empty attribute',
      { mappings: [{ when: { attribute: {} }, connect: { routingProfile: 'x' } }] },
      ['mappings[0].when.attribute'],
    ],
    [
      'a rule that gives nothing',
      { mappings: [{ when: { group: 'g' }, connect: {} }] },
      ['mappings[0].connect'],
    ],
    ['a rule without connect', { mappings: [{ when: { group: 'g' } }] }, ['mappings[0].connect']],
    [
      'an unknown key in a rule',
      { mappings: [{ when: { groups: 'g' }, connect: { routingProfile: 'x' } }] },
      ['mappings[0].when.groups'],
    ],
    [
      'an attribute value that is a list',
      { mappings: [{ when: { attribute: { department: ['a'] } }, connect: { routingProfile: 'x' } }] },
      ['mappings[0].when.attribute.department'],
    ],
    [
      'a hierarchy path with an empty level',
      { mappings: [{ when: { group: 'g' }, connect: { hierarchyGroup: 'Floor1//TeamA' } }] },
      ['mappings[0].connect.hierarchyGroup'],
    ],
    [
      'a hierarchy path six levels deep',
      { mappings: [{ when: { group: 'g' }, connect: { hierarchyGroup: 'a/b/c/d/e/f' } }] },
      ['mappings[0].connect.hierarchyGroup'],
    ],
    ['an unknown offboard policy', { sync: { offboard: 'purge' } }, ['sync.offboard']],
    ['an unknown rename policy', { sync: { renames: 'rename' } }, ['sync.renames']],
  ])('%s', (_name, extra, expected) => {
    expect(fields(base(extra))).toEqual(expected);
  });

  it('a hierarchy path of up to five levels, with spaces inside names, is accepted', () => {
    const resolved = validateConfig(
      base({
        mappings: [{ when: { group: 'g' }, connect: { hierarchyGroup: 'North America/Floor 1/Team A/x/y' } }],
      }),
      { env },
    );
    expect(resolved.mappings[0]?.connect.hierarchyGroup).toBe('North America/Floor 1/Team A/x/y');
  });
});
