import { describe, expect, test } from 'vitest';
import { type PolicyKind, parsePolicyDocument, principalsOf } from '../../src/sandbox/policy.js';

const PROVIDER_ARN = 'arn:aws:iam::123456789012:saml-provider/Okta';
const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/INSTANCE_ID';

/** The guide's federation policy (Connect admin guide, configure-saml). */
const FEDERATION_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Statement1',
      Effect: 'Allow',
      Action: 'connect:GetFederationToken',
      Resource: [`${INSTANCE_ARN}/user/\${aws:userid}`],
    },
  ],
});

/** The Okta API-integration user policy (Okta help "Generate the AWS API access key"). */
const OKTA_ACCESS_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['iam:ListRoles', 'iam:ListAccountAliases'], Resource: '*' }],
});

/** The SAML trust policy (IAM guide id_roles_create_for-idp_saml), regional variant when `regional`. */
function samlTrustPolicy(regional = false): string {
  const aud = regional
    ? ['https://signin.aws.amazon.com/saml', 'https://us-west-2.signin.aws.amazon.com/saml']
    : 'https://signin.aws.amazon.com/saml';
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': aud } },
      },
    ],
  });
}

function parseOk(doc: unknown, kind: PolicyKind = 'identity') {
  const r = parsePolicyDocument(typeof doc === 'string' ? doc : JSON.stringify(doc), kind);
  if (!r.ok) throw new Error(`expected a valid ${kind} policy, got: ${r.message}`);
  return r.document;
}

function message(doc: unknown, kind: PolicyKind = 'identity'): string | undefined {
  const r = parsePolicyDocument(typeof doc === 'string' ? doc : JSON.stringify(doc), kind);
  return r.ok ? undefined : r.message;
}

const S3 = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example_bucket' };
const v12 = (Statement: unknown) => ({ Version: '2012-10-17', Statement });

describe('parsePolicyDocument: valid documents', () => {
  test('normalizes the federation policy', () => {
    expect(parseOk(FEDERATION_POLICY)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Statement1',
          Effect: 'Allow',
          Action: ['connect:GetFederationToken'],
          Resource: [`${INSTANCE_ARN}/user/\${aws:userid}`],
        },
      ],
    });
  });

  test('normalizes a single Statement object and single values to arrays', () => {
    const doc = parseOk({ Version: '2012-10-17', Id: 'x', Statement: S3 });
    expect(doc).toEqual({
      Version: '2012-10-17',
      Id: 'x',
      Statement: [{ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::example_bucket'] }],
    });
  });

  test('accepts the Okta access policy', () => {
    expect(parseOk(OKTA_ACCESS_POLICY).Statement[0]?.Action).toEqual([
      'iam:ListRoles',
      'iam:ListAccountAliases',
    ]);
  });

  test('accepts the SAML trust policies and keeps condition values as arrays', () => {
    const doc = parseOk(samlTrustPolicy(), 'trust');
    expect(doc.Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Federated: [PROVIDER_ARN] },
      Action: ['sts:AssumeRoleWithSAML'],
      Condition: { StringEquals: { 'SAML:aud': ['https://signin.aws.amazon.com/saml'] } },
    });
    const regional = parseOk(samlTrustPolicy(true), 'trust');
    expect(regional.Statement[0]?.Condition?.StringEquals?.['SAML:aud']).toHaveLength(2);
  });

  test('accepts trust policies with sts:TagSession, several principals, "*" and version 2008-10-17', () => {
    parseOk(
      {
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        },
      },
      'trust',
    );
    parseOk(
      {
        Version: '2008-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: ['ec2.amazonaws.com'],
              AWS: ['123456789012', 'arn:aws:iam::123456789012:root'],
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      'trust',
    );
    parseOk({ Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } }, 'trust');
  });

  test('keeps numbers and booleans of conditions as strings', () => {
    const doc = parseOk(
      v12({
        ...S3,
        Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 'aws:x': [3600] } },
      }),
    );
    expect(doc.Statement[0]?.Condition).toEqual({
      Bool: { 'aws:SecureTransport': ['false'] },
      NumericLessThan: { 'aws:x': ['3600'] },
    });
  });

  test.each([
    ['an action with blanks', { ...S3, Action: 'iam: asdf safdsf af ' }],
    ['a resource list with "*"', { ...S3, Resource: ['arn:aws:s3:::example_bucket', '*'] }],
    ['Action "*"', { ...S3, Action: '*' }],
    ['an unknown but well-formed service', { ...S3, Resource: 'arn:aws:invalid-service:us-east-1::x' }],
    ['an iam user resource', { ...S3, Resource: 'arn:aws:iam:::user/example_bucket' }],
    ['a short arn', { ...S3, Resource: 'arn:aws:fdsasf' }],
    ['an empty Condition', { ...S3, Condition: {} }],
    ['an unknown operator with an empty block', { ...S3, Condition: { a: {} } }],
    ['set operators', { ...S3, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Department' } } }],
    [
      'date conditions',
      {
        ...S3,
        Condition: {
          DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' },
          DateLessThan: { 'aws:CurrentTime': ['2017-12-31T23:59:59Z', '1500000000'] },
        },
      },
    ],
    [
      'an s3 access point with a region',
      { ...S3, Resource: 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap' },
    ],
    ['a NotResource', { Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::b/*' }],
  ])('accepts %s', (_name, statement) => {
    parseOk(v12(statement));
  });
});

describe('parsePolicyDocument: identity policy errors (IAM classic validator)', () => {
  test.each<[string, unknown, string]>([
    ['not JSON', 'This is not a json document', 'Syntax errors in policy.'],
    ['a JSON array', '[]', 'Syntax errors in policy.'],
    ['a byte order mark', `\uFEFF${OKTA_ACCESS_POLICY}`, 'Syntax errors in policy.'],
    ['no Version', { Statement: S3 }, 'Policy document must be version 2012-10-17 or greater.'],
    [
      'version 2008-10-17',
      { Version: '2008-10-17', Statement: S3 },
      'Policy document must be version 2012-10-17 or greater.',
    ],
    ['an unknown Version', { Version: '2013-10-17', Statement: S3 }, 'Syntax errors in policy.'],
    ['no Statement', { Version: '2012-10-17' }, 'Syntax errors in policy.'],
    ['an empty Statement list', v12([]), 'Syntax errors in policy.'],
    ['a string statement', v12(['afd']), 'Syntax errors in policy.'],
    ['an unknown top-level field', { ...v12(S3), Extra: 'value' }, 'Syntax errors in policy.'],
    ['an unknown statement field', v12({ ...S3, Extra: 'value' }), 'Syntax errors in policy.'],
    ['a non-string Id', { ...v12(S3), Id: ['x'] }, 'Syntax errors in policy.'],
    ['a bad Effect', v12({ ...S3, Effect: 'invalid' }), 'Syntax errors in policy.'],
    ['no Effect', v12({ Action: S3.Action, Resource: S3.Resource }), 'Syntax errors in policy.'],
    ['a mis-cased Effect', v12({ ...S3, Effect: 'denY' }), 'The policy failed legacy parsing'],
    ['Action and NotAction', v12({ ...S3, NotAction: 's3:x' }), 'Syntax errors in policy.'],
    ['Resource and NotResource', v12({ ...S3, NotResource: '*' }), 'Syntax errors in policy.'],
    ['an object Action', v12({ ...S3, Action: {} }), 'Syntax errors in policy.'],
    ['a nested list Action', v12({ ...S3, Action: [[]] }), 'Syntax errors in policy.'],
    ['an object in Resource', v12({ ...S3, Resource: ['adfdf', {}] }), 'Syntax errors in policy.'],
    ['a list Condition', v12({ ...S3, Condition: [] }), 'Syntax errors in policy.'],
    ['a string condition block', v12({ ...S3, Condition: { a: 'b' } }), 'Syntax errors in policy.'],
    ['an unknown operator', v12({ ...S3, Condition: { x: { a: '1' } } }), 'Syntax errors in policy.'],
    [
      'a doubled prefix colon',
      v12({ ...S3, Condition: { 'ForAnyValue::StringEqualsIfExists': { a: 'asf' } } }),
      'Syntax errors in policy.',
    ],
    [
      'an object condition value',
      v12({ ...S3, Condition: { DateGreaterThan: { a: {} } } }),
      'Syntax errors in policy.',
    ],
    ['a non-string Sid', v12({ ...S3, Sid: [] }), 'Syntax errors in policy.'],
    ['a Principal', v12({ ...S3, Principal: '*' }), 'Policy document should not specify a principal.'],
    [
      'a NotPrincipal',
      v12({ ...S3, Effect: 'Deny', NotPrincipal: { AWS: '123456789012' } }),
      'Policy document should not specify a principal.',
    ],
    ['no Action', v12({ Effect: 'Allow', Resource: S3.Resource }), 'Policy statement must contain actions.'],
    ['an empty Action list', v12({ ...S3, Action: [] }), 'Policy statement must contain actions.'],
    [
      'a statement without actions among valid ones',
      v12([{ Effect: 'Deny' }, S3]),
      'Policy statement must contain actions.',
    ],
    [
      'no Resource',
      v12({ Effect: 'Allow', Action: 's3:ListBucket' }),
      'Policy statement must contain resources.',
    ],
    ['an empty Resource list', v12({ ...S3, Resource: [] }), 'Policy statement must contain resources.'],
    [
      'an action without vendor',
      v12({ ...S3, Action: 'invalid' }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'an action without vendor and no resource',
      v12({ Effect: 'Allow', Action: 'invalid' }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'an empty NotAction',
      v12({ ...S3, Action: undefined, NotAction: '' }),
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    ['a vendor with a blank', v12({ ...S3, Action: 'a a:ListBucket' }), 'Vendor a a is not valid'],
    ['two colons', v12({ ...S3, Action: 's3:List:Bucket' }), 'Actions/Condition can contain only one colon.'],
    [
      'a resource that is not an ARN',
      v12({ ...S3, Resource: 'invalid resource' }),
      'Resource invalid resource must be in ARN format or "*".',
    ],
    ['an empty resource', v12({ ...S3, Resource: '' }), 'Resource  must be in ARN format or "*".'],
    ['a resource list', v12({ ...S3, Resource: ['adf'] }), 'Resource adf must be in ARN format or "*".'],
    [
      'a bad partition',
      v12({ ...S3, Action: undefined, NotAction: 's3s:ListBucket', Resource: 'a:bsdfdsafsad' }),
      'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".',
    ],
    [
      'a bad partition with parts',
      v12({ ...S3, Resource: 'a:b:c:d:e:f:g:h' }),
      'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
    ],
    [
      'a missing arn: prefix',
      v12({ ...S3, Resource: 'aws:s3:::example_bucket' }),
      'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".',
    ],
    [
      'two bad partitions (reported in sorted order)',
      v12({ ...S3, Resource: ['arn:error:s3:::example_bucket', 'arn:error:s3::example_bucket'] }),
      'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
    ],
    [
      'no service',
      v12({ ...S3, Resource: 'arn:aws' }),
      'Resource vendor must be fully qualified and cannot contain regexes.',
    ],
    [
      'an iam resource with a bad path',
      v12({ ...S3, Resource: 'arn:aws:iam:::example_bucket' }),
      'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
    ],
    [
      'an iam resource with a region',
      v12({ ...S3, Resource: 'arn:aws:iam:us-east-1::example_bucket' }),
      'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.',
    ],
    [
      'an s3 resource with a region',
      v12({ ...S3, Resource: 'arn:aws:s3:us-east-1::example_bucket' }),
      'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.',
    ],
    [
      'a short arn with ::',
      v12({ ...S3, Resource: 'arn:aws:s3::example_bucket' }),
      'The policy failed legacy parsing',
    ],
    ['an empty service', v12({ ...S3, Resource: 'arn:aws::fdsasf' }), 'The policy failed legacy parsing'],
    [
      'a short NotResource',
      v12({ Effect: 'Allow', Action: 's3:ListBucket', NotResource: 'arn:aws:s3::example_bucket' }),
      'The policy failed legacy parsing',
    ],
    [
      'a bad date',
      v12({ ...S3, Condition: { DateGreaterThan: { a: 'sdfdsf' } } }),
      'The policy failed legacy parsing',
    ],
    [
      'a month 13',
      v12({ ...S3, Condition: { DateLessThanEquals: { a: '234-13' } } }),
      'The policy failed legacy parsing',
    ],
    [
      'a one-digit zone',
      v12({ ...S3, Condition: { DateLessThanEquals: { a: '2016-12-13t2:00:00.593194+1' } } }),
      'The policy failed legacy parsing',
    ],
    [
      'a too large epoch',
      v12({ ...S3, Condition: { DateLessThan: { a: '9223372036854775808' } } }),
      'The policy failed legacy parsing',
    ],
    [
      'duplicate Sids',
      v12([
        { Sid: 'sdf', ...S3 },
        { Sid: 'sdf', Effect: 'Allow' },
      ]),
      'Statement IDs (SID) in a single policy must be unique.',
    ],
  ])('rejects %s', (_name, doc, expected) => {
    expect(message(doc)).toBe(expected);
  });

  test('the version check comes before the legacy checks', () => {
    expect(message({ Statement: { ...S3, Effect: 'denY' } })).toBe(
      'Policy document must be version 2012-10-17 or greater.',
    );
  });

  test('the legacy Effect check comes before duplicate Sids', () => {
    expect(
      message(
        v12([
          { Sid: 'sdf', ...S3, Effect: 'aLLow' },
          { Sid: 'sdf', Effect: 'Allow' },
        ]),
      ),
    ).toBe('The policy failed legacy parsing');
  });

  test('accepts 6144 characters without white space and rejects one more with LimitExceeded', () => {
    const base = JSON.stringify(v12({ ...S3, Sid: '' }));
    const padded = (n: number) => base.replace('"Sid":""', `"Sid":"${'a'.repeat(n)}"`);
    const fits = padded(6144 - base.length);
    expect(fits.length).toBe(6144);
    expect(parsePolicyDocument(`${fits}\n${' '.repeat(5000)}`, 'identity').ok).toBe(true);
    expect(parsePolicyDocument(padded(6145 - base.length), 'identity')).toEqual({
      ok: false,
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for PolicySize: 6144',
    });
  });

  test('every rejection has the MalformedPolicyDocument code', () => {
    expect(parsePolicyDocument('{', 'identity')).toEqual({
      ok: false,
      code: 'MalformedPolicyDocument',
      message: 'Syntax errors in policy.',
    });
  });
});

describe('parsePolicyDocument: trust policy errors', () => {
  const trust = (statement: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithSAML',
        ...statement,
      },
    ],
  });

  test.each<[string, unknown, string]>([
    ['invalid JSON', '{"Version":"2012-10-17",', 'This policy contains invalid Json'],
    ['a JSON string', '"x"', 'This policy contains invalid Json'],
    ['a Resource', trust({ Resource: '*' }), 'Has prohibited field Resource'],
    [
      'an identity policy pasted as trust policy',
      JSON.parse(OKTA_ACCESS_POLICY) as unknown,
      'Has prohibited field Resource',
    ],
    ['a NotResource', trust({ NotResource: '*' }), 'Has prohibited field NotResource'],
    ['no Principal', trust({ Principal: undefined }), 'Missing required field Principal'],
    ['an empty Principal', trust({ Principal: {} }), 'Missing required field Principal cannot be empty!'],
    [
      'Allow with NotPrincipal',
      trust({ Principal: undefined, NotPrincipal: { AWS: '*' } }),
      'Allow with NotPrincipal is not allowed.',
    ],
    ['no Effect', trust({ Effect: undefined }), 'Missing required field Effect'],
    ['a bad Effect', trust({ Effect: 'allow' }), 'Invalid effect: allow'],
    ['no Action', trust({ Action: undefined }), 'Missing required field Action'],
    [
      'a non-STS action',
      trust({ Action: 's3:GetObject' }),
      'AssumeRole policy may only specify STS AssumeRole actions.',
    ],
    ['Action "*"', trust({ Action: '*' }), 'AssumeRole policy may only specify STS AssumeRole actions.'],
    [
      'a bad Version',
      { ...trust({}), Version: '2012-10-18' },
      'The policy must contain a valid version string',
    ],
    ['no Statement', { Version: '2012-10-17' }, 'Missing required field Statement'],
    [
      'an empty Statement',
      { Version: '2012-10-17', Statement: [] },
      'Could not parse the policy: Statement is empty!',
    ],
    ['an unknown field', trust({ Actions: 'sts:AssumeRole' }), 'Syntax errors in policy.'],
    ['an unknown top-level field', { ...trust({}), Foo: 1 }, 'Syntax errors in policy.'],
    ['a bad condition', trust({ Condition: { StringEquals: 'x' } }), 'Syntax errors in policy.'],
    [
      'a malformed AWS principal',
      trust({ Principal: { AWS: 'arn:aws:iam::12345:role/x' } }),
      'Invalid principal in policy: "AWS":"arn:aws:iam::12345:role/x"',
    ],
    [
      'a malformed Federated principal',
      trust({ Principal: { Federated: 'arn:aws:iam::123456789012:role/x' } }),
      'Invalid principal in policy: "Federated":"arn:aws:iam::123456789012:role/x"',
    ],
    [
      'a bare service name',
      trust({ Principal: { Service: 'lambda' } }),
      'Invalid principal in policy: "SERVICE":"lambda"',
    ],
    [
      'an unknown principal type',
      trust({ Principal: { Foo: 'x' } }),
      'Invalid principal in policy: "FOO":"x"',
    ],
    [
      'duplicate Sids',
      {
        Version: '2012-10-17',
        Statement: [trust({ Sid: 'a' }).Statement[0], trust({ Sid: 'a' }).Statement[0]],
      },
      'The Statement Ids in the policy are not unique',
    ],
  ])('rejects %s', (_name, doc, expected) => {
    expect(message(doc, 'trust')).toBe(expected);
  });

  test('checks the trust quota of 2048 characters (configurable) with LimitExceeded', () => {
    const long = JSON.stringify(trust({ Sid: 'a'.repeat(2048) }));
    expect(parsePolicyDocument(long, 'trust')).toEqual({
      ok: false,
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for ACLSizePerRole: 2048',
    });
    expect(parsePolicyDocument(long, 'trust', { maxLength: 4096 }).ok).toBe(true);
  });
});

describe('principalsOf', () => {
  test('lists the SAML provider of the trust policy', () => {
    expect(principalsOf(parseOk(samlTrustPolicy(), 'trust'))).toEqual({
      federated: [PROVIDER_ARN],
      aws: [],
      service: [],
    });
  });

  test('collects every type across statements, Principal and NotPrincipal, without duplicates', () => {
    const doc = parseOk(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: PROVIDER_ARN, Service: 'ec2.amazonaws.com' },
            Action: 'sts:*',
          },
          {
            Effect: 'Allow',
            Principal: { Federated: [PROVIDER_ARN], AWS: '123456789012' },
            Action: 'sts:AssumeRole',
          },
          {
            Effect: 'Deny',
            NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/Admin' },
            Action: 'sts:AssumeRole',
          },
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
        ],
      },
      'trust',
    );
    expect(principalsOf(doc)).toEqual({
      federated: [PROVIDER_ARN],
      aws: ['123456789012', 'arn:aws:iam::123456789012:role/Admin', '*'],
      service: ['ec2.amazonaws.com'],
    });
  });

  test('is empty for identity policies', () => {
    expect(principalsOf(parseOk(OKTA_ACCESS_POLICY))).toEqual({ federated: [], aws: [], service: [] });
  });
});

describe('parsePolicyDocument never throws', () => {
  test.each([
    '',
    'null',
    '1',
    'true',
    '{"Statement":null}',
    '{"Statement":{"Effect":null}}',
    '{"__proto__":{}}',
  ])('%s', (text) => {
    for (const kind of ['identity', 'trust'] as const) {
      const r = parsePolicyDocument(text, kind);
      expect(r.ok).toBe(false);
    }
  });

  test('a "__proto__" condition key stays a plain own property', () => {
    const doc = parseOk(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}}',
    );
    const block = doc.Statement[0]?.Condition?.StringEquals ?? {};
    expect(Object.hasOwn(block, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(block)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
