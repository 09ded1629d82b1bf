/**
 * The sandbox Okta computes group-mapped Role values with its own code; the library's samlRoleForGroup
 * (used by plan and doctor) must agree with it on every case, or a sign-in would fail where the doctor
 * says all is well.
 */
import { describe, expect, it } from 'vitest';
import { samlRoleForGroup } from '../../src/resources/okta-groups/ensure.js';
import { InvalidGroupFilter, roleValueForGroup } from '../../src/sandbox/okta/group-mapping.js';

const PATTERN =
  'arn:aws:iam::${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::${accountid}:role/${role}';
const FILTER = 'aws#connect-cc#(?{{role}}[\\w+=,.@-]+)#(?{{accountid}}\\d+)';

describe('group mapping: the sandbox and the library agree', () => {
  const cases: [string, string][] = [
    ['aws#connect-cc#Okta_Role#123456789012', FILTER],
    ['aws#connect-cc#Okta_Role#123456789012#extra', FILTER],
    ['prefix aws#connect-cc#Okta_Role#123456789012', FILTER],
    ['aws#connect-cc##123456789012', FILTER],
    ['aws#connect-cc#Role.With=Chars#210987654321', FILTER],
    ['Everyone', FILTER],
  ];
  for (const [group, groupFilter] of cases) {
    it(`'${group}'`, () => {
      const sandbox = roleValueForGroup(group, { groupFilter, roleValuePattern: PATTERN });
      const library = samlRoleForGroup(group, { groupFilter, roleValuePattern: PATTERN });
      expect(sandbox).toBe(library?.value);
    });
  }

  it('maps the guide-shaped group name to the provider and role of its account', () => {
    expect(
      roleValueForGroup('aws#connect-cc#Okta_Role#123456789012', {
        groupFilter: FILTER,
        roleValuePattern: PATTERN,
      }),
    ).toBe(
      'arn:aws:iam::123456789012:saml-provider/Okta_Connect_Admin,arn:aws:iam::123456789012:role/Okta_Role',
    );
  });

  it('an invalid filter is its own error in the sandbox and a ConfigError in the library', () => {
    expect(() => roleValueForGroup('x', { groupFilter: '(', roleValuePattern: PATTERN })).toThrow(
      InvalidGroupFilter,
    );
    expect(() => samlRoleForGroup('x', { groupFilter: '(', roleValuePattern: PATTERN })).toThrow(
      /regular expression/,
    );
  });
});
