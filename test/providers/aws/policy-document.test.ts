import { describe, expect, it } from 'vitest';
import { canonicalPolicy, samePolicy } from '../../../src/providers/aws/policy-document.js';

const federation = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Statement1',
      Effect: 'Allow',
      Action: 'connect:GetFederationToken',
      Resource: ['arn:aws:connect:us-east-1:123456789012:instance/i-1/user/${aws:userid}'],
    },
  ],
};

describe('samePolicy', () => {
  it('treats a single value and a one-element array alike, and ignores key order', () => {
    const reordered = {
      Statement: {
        Resource: 'arn:aws:connect:us-east-1:123456789012:instance/i-1/user/${aws:userid}',
        Action: ['connect:GetFederationToken'],
        Effect: 'Allow',
        Sid: 'Statement1',
      },
      Version: '2012-10-17',
    };
    expect(samePolicy(federation, reordered)).toBe(true);
  });

  it('reads the URL-encoded form IAM returns', () => {
    expect(samePolicy(federation, encodeURIComponent(JSON.stringify(federation)))).toBe(true);
  });

  it('ignores the order of actions and condition values', () => {
    const a = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' }],
    };
    const b = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListAccountAliases', 'iam:ListRoles'], Resource: ['*'] }],
    };
    expect(samePolicy(a, b)).toBe(true);
    const trust = (aud: string | string[]) => ({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::123456789012:saml-provider/Okta' },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': aud } },
        },
      ],
    });
    expect(samePolicy(trust(['x', 'y']), trust(['y', 'x']))).toBe(true);
    expect(samePolicy(trust('x'), trust(['x']))).toBe(true);
    expect(samePolicy(trust('x'), trust(['x', 'y']))).toBe(false);
  });

  it('sees real differences', () => {
    const other = structuredClone(federation);
    (other.Statement[0] as { Resource: string[] }).Resource = [
      'arn:aws:connect:us-east-1:123456789012:instance/i-2/user/${aws:userid}',
    ];
    expect(samePolicy(federation, other)).toBe(false);
    expect(samePolicy(federation, { ...federation, Version: '2008-10-17' })).toBe(false);
    const deny = structuredClone(federation);
    (deny.Statement[0] as { Effect: string }).Effect = 'Deny';
    expect(samePolicy(federation, deny)).toBe(false);
  });

  it('gives equal canonical strings for equal policies', () => {
    expect(canonicalPolicy(federation)).toBe(canonicalPolicy(JSON.parse(JSON.stringify(federation))));
  });
});
