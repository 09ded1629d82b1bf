/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${aws:userid}` & co. are IAM policy variables, not placeholders. */
import { describe, expect, test } from 'vitest';
import {
  type EvaluationRequest,
  evaluatePolicies,
  type PolicyDocument,
  type PolicyKind,
  parsePolicyDocument,
  principalsOf,
} from '../../src/sandbox/policy.js';
import { guideTrustPolicy } from '../support/guide.js';

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
  return guideTrustPolicy(
    PROVIDER_ARN,
    regional
      ? ['https://signin.aws.amazon.com/saml', 'https://us-west-2.signin.aws.amazon.com/saml']
      : 'https://signin.aws.amazon.com/saml',
  );
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
    expect(principalsOf(parseOk(samlTrustPolicy(), 'trust'))).toEqual([
      { type: 'Federated', value: PROVIDER_ARN },
    ]);
  });

  test('lists every type across statements, Principal and NotPrincipal, in order, without duplicates', () => {
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
    expect(principalsOf(doc)).toEqual([
      { type: 'Federated', value: PROVIDER_ARN },
      { type: 'Service', value: 'ec2.amazonaws.com' },
      { type: 'AWS', value: '123456789012' },
      { type: 'AWS', value: 'arn:aws:iam::123456789012:role/Admin' },
      { type: 'AWS', value: '*' },
    ]);
  });

  test('is empty for identity policies', () => {
    expect(principalsOf(parseOk(OKTA_ACCESS_POLICY))).toEqual([]);
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

describe('principalsOf order', () => {
  test('follows the order of the keys in the document, as IAM reports the first unknown principal', () => {
    const p = principalsOf(
      parseOk(
        {
          Version: '2012-10-17',
          Statement: {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com', Federated: PROVIDER_ARN },
            Action: 'sts:*',
          },
        },
        'trust',
      ),
    );
    expect(p).toEqual([
      { type: 'Service', value: 'ec2.amazonaws.com' },
      { type: 'Federated', value: PROVIDER_ARN },
    ]);
    expect(Array.isArray(p)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------

/** A one-statement 2012-10-17 document (not validated: the evaluator takes any normalized document). */
function doc(statement: PolicyDocument['Statement'][number], version = '2012-10-17'): PolicyDocument {
  return { Version: version, Statement: [statement] };
}

const decide = (docs: PolicyDocument[], request: EvaluationRequest) =>
  evaluatePolicies(docs, request).decision;

describe('evaluatePolicies: the guide documents', () => {
  const federation = parseOk(FEDERATION_POLICY);
  const userId = 'AROAEXAMPLE:jane.doe@acme.com';
  const request = (resourceUser: string, contextUser?: string): EvaluationRequest => ({
    action: 'connect:GetFederationToken',
    resource: `${INSTANCE_ARN}/user/${resourceUser}`,
    ...(contextUser !== undefined ? { context: { 'aws:userid': contextUser } } : {}),
  });

  test('the federation policy allows the signed-in role session on its own Connect user', () => {
    const r = evaluatePolicies([federation], request(userId, userId));
    expect(r.decision).toBe('Allow');
    expect(r.statement?.Sid).toBe('Statement1');
  });

  test('the federation policy does not allow another user', () => {
    expect(decide([federation], request('AROAEXAMPLE:john.roe@acme.com', userId))).toBe('ImplicitDeny');
    expect(decide([federation], request(userId, 'AROAEXAMPLE:john.roe@acme.com'))).toBe('ImplicitDeny');
  });

  test('without aws:userid in the context the resource does not match', () => {
    expect(decide([federation], request(userId))).toBe('ImplicitDeny');
    // …not even the literal text of the variable.
    expect(decide([federation], request('${aws:userid}'))).toBe('ImplicitDeny');
  });

  test('the action is matched case-insensitively, the resource case-sensitively', () => {
    expect(decide([federation], { ...request(userId, userId), action: 'CONNECT:getfederationtoken' })).toBe(
      'Allow',
    );
    expect(decide([federation], request(userId.toUpperCase(), userId.toUpperCase()))).toBe('Allow');
    expect(decide([federation], request(userId.toUpperCase(), userId))).toBe('ImplicitDeny');
  });

  test('a substituted user id is literal: wildcard characters in it match only themselves', () => {
    expect(decide([federation], request('AROAEXAMPLE:x', 'AROAEXAMPLE:*'))).toBe('ImplicitDeny');
    expect(decide([federation], request('AROAEXAMPLE:*', 'AROAEXAMPLE:*'))).toBe('Allow');
  });

  test('the Okta access policy allows ListRoles and ListAccountAliases only', () => {
    const okta = parseOk(OKTA_ACCESS_POLICY);
    expect(decide([okta], { action: 'iam:ListRoles', resource: '*' })).toBe('Allow');
    expect(decide([okta], { action: 'iam:ListAccountAliases', resource: '*' })).toBe('Allow');
    expect(decide([okta], { action: 'iam:CreateRole', resource: '*' })).toBe('ImplicitDeny');
    expect(decide([okta], { action: 'iam:ListRoles', resource: 'arn:aws:iam::123456789012:role/x' })).toBe(
      'Allow',
    );
  });

  test('no documents: implicit deny', () => {
    expect(evaluatePolicies([], { action: 'iam:ListRoles', resource: '*' })).toEqual({
      decision: 'ImplicitDeny',
    });
  });

  describe('the SAML trust policy', () => {
    const saml = (
      aud: string,
      federated = PROVIDER_ARN,
      action = 'sts:AssumeRoleWithSAML',
    ): EvaluationRequest => ({
      action,
      resource: 'arn:aws:iam::123456789012:role/Okta_Role',
      principal: { federated },
      context: { 'saml:aud': aud },
    });

    test('allows the provider with the global sign-in audience', () => {
      expect(decide([parseOk(samlTrustPolicy(), 'trust')], saml('https://signin.aws.amazon.com/saml'))).toBe(
        'Allow',
      );
    });

    test('denies a regional audience unless the policy lists it', () => {
      const regionalAud = 'https://us-west-2.signin.aws.amazon.com/saml';
      expect(decide([parseOk(samlTrustPolicy(), 'trust')], saml(regionalAud))).toBe('ImplicitDeny');
      expect(decide([parseOk(samlTrustPolicy(true), 'trust')], saml(regionalAud))).toBe('Allow');
      expect(
        decide([parseOk(samlTrustPolicy(true), 'trust')], saml('https://signin.aws.amazon.com/saml')),
      ).toBe('Allow');
    });

    test('denies another provider, another action and a missing audience', () => {
      const trust = parseOk(samlTrustPolicy(), 'trust');
      const aud = 'https://signin.aws.amazon.com/saml';
      expect(decide([trust], saml(aud, 'arn:aws:iam::123456789012:saml-provider/Other'))).toBe(
        'ImplicitDeny',
      );
      expect(decide([trust], saml(aud, PROVIDER_ARN, 'sts:AssumeRole'))).toBe('ImplicitDeny');
      expect(decide([trust], { ...saml(aud), context: {} })).toBe('ImplicitDeny');
      expect(decide([trust], { ...saml(aud), principal: { aws: 'arn:aws:iam::123456789012:user/x' } })).toBe(
        'ImplicitDeny',
      );
    });

    test('condition keys are case-insensitive (SAML:aud vs saml:aud)', () => {
      const trust = parseOk(samlTrustPolicy(), 'trust');
      expect(
        decide([trust], { ...saml(''), context: { 'SAML:AUD': 'https://signin.aws.amazon.com/saml' } }),
      ).toBe('Allow');
    });
  });
});

describe('evaluatePolicies: decision logic', () => {
  const allowAll = doc({ Effect: 'Allow', Action: ['*'], Resource: ['*'] });
  const denyRoles = doc({ Sid: 'NoRoles', Effect: 'Deny', Action: ['iam:*Role*'], Resource: ['*'] });

  test('an explicit deny overrides an allow, in any order and across documents', () => {
    const req = { action: 'iam:CreateRole', resource: 'arn:aws:iam::123456789012:role/x' };
    expect(evaluatePolicies([allowAll, denyRoles], req)).toEqual({
      decision: 'ExplicitDeny',
      statement: denyRoles.Statement[0],
    });
    expect(decide([denyRoles, allowAll], req)).toBe('ExplicitDeny');
    expect(
      decide([{ Version: '2012-10-17', Statement: [...allowAll.Statement, ...denyRoles.Statement] }], req),
    ).toBe('ExplicitDeny');
    expect(decide([allowAll, denyRoles], { ...req, action: 'iam:ListUsers' })).toBe('Allow');
  });

  test('a deny alone is an explicit deny, not an allow', () => {
    expect(decide([denyRoles], { action: 'iam:GetRole', resource: '*' })).toBe('ExplicitDeny');
    expect(decide([denyRoles], { action: 'iam:GetUser', resource: '*' })).toBe('ImplicitDeny');
  });

  test('reports the first allowing statement', () => {
    const a = doc({ Sid: 'A', Effect: 'Allow', Action: ['iam:List*'], Resource: ['*'] });
    const b = doc({ Sid: 'B', Effect: 'Allow', Action: ['iam:ListRoles'], Resource: ['*'] });
    expect(evaluatePolicies([a, b], { action: 'iam:ListRoles', resource: '*' }).statement?.Sid).toBe('A');
  });

  test.each([
    ['iam:List*', 'iam:ListRoles', true],
    ['iam:List*', 'iam:GetRole', false],
    ['iam:Get?ole', 'iam:GetRole', true],
    ['iam:Get?ole', 'iam:GetXXole', false],
    ['*', 'connect:CreateUser', true],
    ['connect:*', 'iam:ListRoles', false],
    ['iam:listroles', 'iam:ListRoles', true],
    ['iam:ListRoles', 'iam:ListRolesX', false],
    ['iam:ListRole.', 'iam:ListRoles', false],
  ])('Action %s vs %s → %s', (pattern, action, allowed) => {
    const d = doc({ Effect: 'Allow', Action: [pattern], Resource: ['*'] });
    expect(decide([d], { action, resource: '*' })).toBe(allowed ? 'Allow' : 'ImplicitDeny');
  });

  test('NotAction applies to every other action', () => {
    const d = doc({ Effect: 'Deny', NotAction: ['iam:Get*', 'sts:*'], Resource: ['*'] });
    expect(decide([d], { action: 'iam:CreateRole', resource: '*' })).toBe('ExplicitDeny');
    expect(decide([d], { action: 'IAM:GETROLE', resource: '*' })).toBe('ImplicitDeny');
  });

  test.each([
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.txt', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/a', false],
    ['arn:aws:iam::123456789012:role/?', 'arn:aws:iam::123456789012:role/a', true],
    ['arn:aws:iam::123456789012:role/?', 'arn:aws:iam::123456789012:role/ab', false],
    ['arn:aws:iam::*:role/x', 'arn:aws:iam::123456789012:role/x', true],
    ['arn:aws:s3:::a.b', 'arn:aws:s3:::aXb', false],
    ['arn:aws:s3:::a(b)+', 'arn:aws:s3:::a(b)+', true],
    ['*', 'anything', true],
  ])('Resource %s vs %s → %s', (pattern, resource, allowed) => {
    const d = doc({ Effect: 'Allow', Action: ['s3:*'], Resource: [pattern] });
    expect(decide([d], { action: 's3:GetObject', resource })).toBe(allowed ? 'Allow' : 'ImplicitDeny');
  });

  test('NotResource applies to every other resource', () => {
    const d = doc({ Effect: 'Allow', Action: ['s3:*'], NotResource: ['arn:aws:s3:::secret/*'] });
    expect(decide([d], { action: 's3:GetObject', resource: 'arn:aws:s3:::public/x' })).toBe('Allow');
    expect(decide([d], { action: 's3:GetObject', resource: 'arn:aws:s3:::secret/x' })).toBe('ImplicitDeny');
  });

  test('a statement without actions never applies', () => {
    expect(
      decide([doc({ Effect: 'Allow', Resource: ['*'] })], { action: 'iam:ListRoles', resource: '*' }),
    ).toBe('ImplicitDeny');
  });
});

describe('evaluatePolicies: policy variables', () => {
  const perUser = (resource: string, version = '2012-10-17') =>
    doc({ Effect: 'Allow', Action: ['s3:*'], Resource: [resource] }, version);
  const get = (resource: string, context: Record<string, string | string[]> = {}) => ({
    action: 's3:GetObject',
    resource,
    context,
  });

  test('${aws:username} and ${aws:PrincipalAccount}, keys case-insensitive', () => {
    const d = perUser('arn:aws:s3:::home/${aws:PrincipalAccount}/${aws:username}/*');
    const ctx = { 'AWS:USERNAME': 'okta_cli_user', 'aws:principalaccount': '123456789012' };
    expect(decide([d], get('arn:aws:s3:::home/123456789012/okta_cli_user/f', ctx))).toBe('Allow');
    expect(decide([d], get('arn:aws:s3:::home/123456789012/other/f', ctx))).toBe('ImplicitDeny');
  });

  test('${saml:sub}', () => {
    const d = perUser('arn:aws:s3:::b/${saml:sub}');
    expect(decide([d], get('arn:aws:s3:::b/jane', { 'saml:sub': 'jane' }))).toBe('Allow');
  });

  test('escapes ${*}, ${?}, ${$} are literal characters', () => {
    const d = perUser('arn:aws:s3:::b/${*}${?}${$}x');
    expect(decide([d], get('arn:aws:s3:::b/*?$x'))).toBe('Allow');
    expect(decide([d], get('arn:aws:s3:::b/ab$x'))).toBe('ImplicitDeny');
  });

  test('a default value is used when the key is missing', () => {
    const d = perUser("arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*");
    expect(decide([d], get('arn:aws:s3:::b/shared/x'))).toBe('Allow');
    expect(decide([d], get('arn:aws:s3:::b/red/x', { 'aws:PrincipalTag/team': 'red' }))).toBe('Allow');
    expect(decide([d], get('arn:aws:s3:::b/shared/x', { 'aws:PrincipalTag/team': 'red' }))).toBe(
      'ImplicitDeny',
    );
  });

  test('a multi-valued key is no variable', () => {
    const d = perUser('arn:aws:s3:::b/${aws:username}');
    expect(decide([d], get('arn:aws:s3:::b/a', { 'aws:username': ['a', 'b'] }))).toBe('ImplicitDeny');
  });

  test('a missing variable in one resource leaves the others', () => {
    const d = doc({
      Effect: 'Allow',
      Action: ['s3:*'],
      Resource: ['arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::pub'],
    });
    expect(decide([d], get('arn:aws:s3:::pub'))).toBe('Allow');
  });

  test('version 2008-10-17 documents have no variables: ${…} is plain text', () => {
    const d = perUser('arn:aws:s3:::b/${aws:username}', '2008-10-17');
    expect(decide([d], get('arn:aws:s3:::b/jane', { 'aws:username': 'jane' }))).toBe('ImplicitDeny');
    expect(decide([d], get('arn:aws:s3:::b/${aws:username}', { 'aws:username': 'jane' }))).toBe('Allow');
  });

  test('variables in condition values', () => {
    const d = doc({
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: ['*'],
      Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } },
    });
    const req = (prefix: string) => ({
      action: 's3:ListBucket',
      resource: '*',
      context: { 's3:prefix': prefix, 'aws:username': 'jane' },
    });
    expect(decide([d], req('home/jane/docs'))).toBe('Allow');
    expect(decide([d], req('home/john/docs'))).toBe('ImplicitDeny');
  });
});

describe('evaluatePolicies: conditions', () => {
  const withCondition = (Condition: Record<string, Record<string, string[]>>) =>
    doc({ Effect: 'Allow', Action: ['*'], Resource: ['*'], Condition });
  const holds = (
    Condition: Record<string, Record<string, string[]>>,
    context: Record<string, string | string[]> = {},
  ) => decide([withCondition(Condition)], { action: 'iam:ListRoles', resource: '*', context }) === 'Allow';

  test.each<[string, Record<string, Record<string, string[]>>, Record<string, string | string[]>, boolean]>([
    ['StringEquals match', { StringEquals: { k: ['a', 'b'] } }, { k: 'b' }, true],
    ['StringEquals is case-sensitive', { StringEquals: { k: ['a'] } }, { k: 'A' }, false],
    ['StringEquals: * is literal', { StringEquals: { k: ['*'] } }, { k: 'x' }, false],
    ['StringEquals missing key', { StringEquals: { k: ['a'] } }, {}, false],
    ['StringNotEquals other value', { StringNotEquals: { k: ['a'] } }, { k: 'b' }, true],
    ['StringNotEquals same value', { StringNotEquals: { k: ['a', 'b'] } }, { k: 'b' }, false],
    ['StringNotEquals missing key', { StringNotEquals: { k: ['a'] } }, {}, true],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { k: ['Jane'] } }, { k: 'JANE' }, true],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { k: ['Jane'] } }, { k: 'JANE' }, false],
    [
      'StringLike *',
      { StringLike: { k: ['arn:aws:iam::*:role/Okta*'] } },
      { k: 'arn:aws:iam::1:role/Okta_Role' },
      true,
    ],
    ['StringLike ?', { StringLike: { k: ['a?c'] } }, { k: 'abbc' }, false],
    ['StringLike is case-sensitive', { StringLike: { k: ['A*'] } }, { k: 'abc' }, false],
    ['StringNotLike', { StringNotLike: { k: ['a*'] } }, { k: 'abc' }, false],
    ['StringNotLike missing key', { StringNotLike: { k: ['a*'] } }, {}, true],
    [
      'ArnEquals',
      { ArnEquals: { k: ['arn:aws:iam::123456789012:role/x'] } },
      { k: 'arn:aws:iam::123456789012:role/x' },
      true,
    ],
    [
      'ArnLike wildcards per part',
      { ArnLike: { k: ['arn:aws:iam::*:role/*'] } },
      { k: 'arn:aws:iam::123456789012:role/a/b' },
      true,
    ],
    [
      'ArnLike * does not cross a colon',
      { ArnLike: { k: ['arn:aws:*:role/x'] } },
      { k: 'arn:aws:iam::1:role/x' },
      false,
    ],
    ['ArnLike not an ARN', { ArnLike: { k: ['arn:aws:iam::*:role/*'] } }, { k: 'role/x' }, false],
    [
      'ArnLike resource part keeps colons',
      { ArnLike: { k: ['arn:aws:logs:*:*:log-group:*'] } },
      { k: 'arn:aws:logs:us-east-1:1:log-group:g:x' },
      true,
    ],
    ['ArnNotLike', { ArnNotLike: { k: ['arn:aws:iam::*:role/*'] } }, { k: 'arn:aws:iam::1:user/u' }, true],
    ['Bool true', { Bool: { 'aws:SecureTransport': ['true'] } }, { 'aws:SecureTransport': 'true' }, true],
    [
      'Bool case-insensitive',
      { Bool: { 'aws:SecureTransport': ['TRUE'] } },
      { 'aws:SecureTransport': 'true' },
      true,
    ],
    [
      'Bool mismatch',
      { Bool: { 'aws:SecureTransport': ['true'] } },
      { 'aws:SecureTransport': 'false' },
      false,
    ],
    ['Bool missing', { Bool: { 'aws:SecureTransport': ['false'] } }, {}, false],
    ['Null true on a missing key', { Null: { k: ['true'] } }, {}, true],
    ['Null true on a present key', { Null: { k: ['true'] } }, { k: 'x' }, false],
    ['Null false on a present key', { Null: { k: ['false'] } }, { k: 'x' }, true],
    ['Null false on a missing key', { Null: { k: ['false'] } }, {}, false],
    ['NumericEquals', { NumericEquals: { n: ['10'] } }, { n: '10.0' }, true],
    ['NumericNotEquals', { NumericNotEquals: { n: ['10'] } }, { n: '10' }, false],
    ['NumericLessThan', { NumericLessThan: { n: ['3600'] } }, { n: '100' }, true],
    ['NumericLessThan equal', { NumericLessThan: { n: ['3600'] } }, { n: '3600' }, false],
    ['NumericLessThanEquals', { NumericLessThanEquals: { n: ['3600'] } }, { n: '3600' }, true],
    ['NumericGreaterThan', { NumericGreaterThan: { n: ['1'] } }, { n: '2' }, true],
    ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { n: ['2'] } }, { n: '1' }, false],
    ['Numeric not a number', { NumericLessThan: { n: ['10'] } }, { n: 'abc' }, false],
    [
      'DateLessThan ISO',
      { DateLessThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } },
      { 'aws:CurrentTime': '2026-06-01T12:00:00Z' },
      true,
    ],
    [
      'DateGreaterThan ISO',
      { DateGreaterThan: { 'aws:CurrentTime': ['2030-01-01T00:00:00Z'] } },
      { 'aws:CurrentTime': '2026-06-01T12:00:00Z' },
      false,
    ],
    [
      'DateGreaterThanEquals epoch vs ISO',
      { DateGreaterThanEquals: { 'aws:EpochTime': ['1700000000'] } },
      { 'aws:EpochTime': '2023-11-14T22:13:20Z' },
      true,
    ],
    ['DateEquals', { DateEquals: { d: ['2024-01-02T03:04:05Z'] } }, { d: '2024-01-02T03:04:05.000Z' }, true],
    ['Date not a date', { DateLessThan: { d: ['2030-01-01T00:00:00Z'] } }, { d: 'soon' }, false],
    [
      'IpAddress v4 CIDR',
      { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
      { 'aws:SourceIp': '203.0.113.7' },
      true,
    ],
    [
      'IpAddress v4 outside',
      { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
      { 'aws:SourceIp': '203.0.114.7' },
      false,
    ],
    [
      'IpAddress single address',
      { IpAddress: { 'aws:SourceIp': ['127.0.0.1'] } },
      { 'aws:SourceIp': '127.0.0.1' },
      true,
    ],
    [
      'IpAddress v6 CIDR',
      { IpAddress: { 'aws:SourceIp': ['2001:db8::/32'] } },
      { 'aws:SourceIp': '2001:db8:1::5' },
      true,
    ],
    [
      'IpAddress v6 outside',
      { IpAddress: { 'aws:SourceIp': ['2001:db8::/32'] } },
      { 'aws:SourceIp': '2001:db9::1' },
      false,
    ],
    [
      'NotIpAddress',
      { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
      { 'aws:SourceIp': '192.168.1.1' },
      true,
    ],
    ['BinaryEquals', { BinaryEquals: { b: ['QmluYXJ5'] } }, { b: 'QmluYXJ5' }, true],
    ['IfExists on a missing key', { StringEqualsIfExists: { k: ['a'] } }, {}, true],
    ['IfExists on a present key', { StringEqualsIfExists: { k: ['a'] } }, { k: 'b' }, false],
    ['unknown operator', { StringMatches: { k: ['a'] } }, { k: 'a' }, false],
    ['unknown operator with an empty block', { Foo: {} }, {}, false],
    ['known operator with an empty block', { StringEquals: {} }, {}, true],
    ['keys are ANDed', { StringEquals: { a: ['1'], b: ['2'] } }, { a: '1', b: '3' }, false],
    [
      'operators are ANDed',
      { StringEquals: { a: ['1'] }, StringLike: { b: ['x*'] } },
      { a: '1', b: 'xy' },
      true,
    ],
    [
      'ForAnyValue: one matches',
      { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
      { 'aws:TagKeys': ['owner', 'env'] },
      true,
    ],
    [
      'ForAnyValue: none matches',
      { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } },
      { 'aws:TagKeys': ['owner'] },
      false,
    ],
    ['ForAnyValue: missing key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, {}, false],
    [
      'ForAnyValue: negated, one differs',
      { 'ForAnyValue:StringNotEquals': { t: ['a'] } },
      { t: ['a', 'b'] },
      true,
    ],
    [
      'ForAllValues: all match',
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
      { 'aws:TagKeys': ['env', 'team'] },
      true,
    ],
    [
      'ForAllValues: one does not',
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
      { 'aws:TagKeys': ['team', 'x'] },
      false,
    ],
    ['ForAllValues: missing key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, {}, true],
    [
      'ForAllValues: empty list',
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
      { 'aws:TagKeys': [] },
      true,
    ],
    [
      'ForAllValues: StringLike',
      { 'ForAllValues:StringLike': { t: ['env*'] } },
      { t: ['env1', 'env2'] },
      true,
    ],
    ['ForAllValues: negated', { 'ForAllValues:StringNotEquals': { t: ['a'] } }, { t: ['b', 'a'] }, false],
    ['single-valued operator on a list: any', { StringEquals: { t: ['a'] } }, { t: ['b', 'a'] }, true],
    ['single-valued negated on a list: none', { StringNotEquals: { t: ['a'] } }, { t: ['b', 'a'] }, false],
  ])('%s', (_name, condition, context, expected) => {
    expect(holds(condition, context)).toBe(expected);
  });

  test('a condition on a Deny statement only denies when it holds', () => {
    const deny = doc({
      Effect: 'Deny',
      Action: ['*'],
      Resource: ['*'],
      Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
    });
    const allow = doc({ Effect: 'Allow', Action: ['*'], Resource: ['*'] });
    const req = (secure: string) => ({
      action: 's3:GetObject',
      resource: '*',
      context: { 'aws:SecureTransport': secure },
    });
    expect(decide([allow, deny], req('false'))).toBe('ExplicitDeny');
    expect(decide([allow, deny], req('true'))).toBe('Allow');
  });
});

describe('evaluatePolicies: principals', () => {
  const role = 'arn:aws:iam::123456789012:role/Okta_Role';
  const assume = (principal: EvaluationRequest['principal']): EvaluationRequest => ({
    action: 'sts:AssumeRole',
    resource: role,
    ...(principal !== undefined ? { principal } : {}),
  });
  const trustFor = (Principal: '*' | Record<string, string[]>) =>
    doc({ Effect: 'Allow', Principal, Action: ['sts:AssumeRole'] });

  test.each<[string, '*' | Record<string, string[]>, EvaluationRequest['principal'], boolean]>([
    [
      'exact AWS ARN',
      { AWS: ['arn:aws:iam::123456789012:user/u'] },
      { aws: 'arn:aws:iam::123456789012:user/u' },
      true,
    ],
    [
      'other AWS ARN',
      { AWS: ['arn:aws:iam::123456789012:user/u'] },
      { aws: 'arn:aws:iam::123456789012:user/v' },
      false,
    ],
    [
      'account id covers its principals',
      { AWS: ['123456789012'] },
      { aws: 'arn:aws:iam::123456789012:role/r' },
      true,
    ],
    [
      'account root covers its principals',
      { AWS: ['arn:aws:iam::123456789012:root'] },
      { aws: 'arn:aws:sts::123456789012:assumed-role/r/s' },
      true,
    ],
    ['another account', { AWS: ['123456789012'] }, { aws: 'arn:aws:iam::210987654321:user/u' }, false],
    ['AWS "*" covers everyone', { AWS: ['*'] }, { federated: PROVIDER_ARN }, true],
    ['"*" covers everyone', '*', { service: 'ec2.amazonaws.com' }, true],
    ['service', { Service: ['ec2.amazonaws.com'] }, { service: 'ec2.amazonaws.com' }, true],
    ['other service', { Service: ['ec2.amazonaws.com'] }, { service: 'lambda.amazonaws.com' }, false],
    ['federated is exact', { Federated: [PROVIDER_ARN] }, { federated: PROVIDER_ARN.toLowerCase() }, false],
    ['type must match', { Federated: [PROVIDER_ARN] }, { aws: PROVIDER_ARN }, false],
  ])('Principal %s', (_name, principal, who, expected) => {
    expect(decide([trustFor(principal)], assume(who))).toBe(expected ? 'Allow' : 'ImplicitDeny');
  });

  test('Principal is ignored without a requesting principal', () => {
    expect(decide([trustFor({ Service: ['ec2.amazonaws.com'] })], assume(undefined))).toBe('Allow');
  });

  test('NotPrincipal with Deny denies everyone else', () => {
    const admin = 'arn:aws:iam::123456789012:role/Admin';
    const policies = [
      trustFor({ AWS: ['123456789012'] }),
      doc({ Effect: 'Deny', NotPrincipal: { AWS: [admin] }, Action: ['sts:AssumeRole'] }),
    ];
    expect(decide(policies, assume({ aws: admin }))).toBe('Allow');
    expect(decide(policies, assume({ aws: 'arn:aws:iam::123456789012:role/Other' }))).toBe('ExplicitDeny');
  });
});

describe('evaluatePolicies: caching', () => {
  test('evaluating the same documents repeatedly gives the same answers (compiled forms are reused)', () => {
    const federation = parseOk(FEDERATION_POLICY);
    for (let i = 0; i < 200; i++) {
      const user = `AROAEXAMPLE:user${i % 7}@acme.com`;
      const other = `AROAEXAMPLE:user${(i + 1) % 7}@acme.com`;
      const req = { action: 'connect:GetFederationToken', resource: `${INSTANCE_ARN}/user/${user}` };
      expect(decide([federation], { ...req, context: { 'aws:userid': user } })).toBe('Allow');
      expect(decide([federation], { ...req, context: { 'aws:userid': other } })).toBe('ImplicitDeny');
    }
  });
});
