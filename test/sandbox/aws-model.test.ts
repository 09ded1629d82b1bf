/**
 * The Smithy-driven AWS wire layer: validation wording, awsQuery parse/serialize, restJson routing and
 * serialize — and proof that the real SDK clients parse what it produces.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConnectClient,
  CreateUserCommand as ConnectCreateUserCommand,
  ListUsersCommand as ConnectListUsersCommand,
  DescribeInstanceCommand,
  ListInstancesCommand,
  ResourceNotFoundException,
  SearchUsersCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  IAMClient,
  IAMServiceException,
  ListAccountAliasesCommand,
  ListPoliciesCommand,
  NoSuchEntityException,
  TagRoleCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  __testing,
  collectViolations,
  errorInfo,
  errorStatus,
  escapeXml,
  isoSeconds,
  matchRestOperation,
  matchUriTemplate,
  modelError,
  operationInfo,
  parseQueryInput,
  parseRestInput,
  renderQueryError,
  serializeQueryOutput,
  serializeRestOutput,
  validateInput,
  validationError,
} from '../../src/sandbox/aws-model.js';
import { ServiceError } from '../../src/sandbox/emulator.js';

function thrown(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ServiceError) return err;
    throw err;
  }
  throw new Error('expected a ServiceError');
}

const form = (s: string) => new URLSearchParams(s);

describe('validateInput — IAM (ValidationError, values not echoed)', () => {
  it('reports a missing required member as AWS does', () => {
    const err = thrown(() => validateInput('iam', 'CreateRole', { AssumeRolePolicyDocument: '{}' }));
    expect(err.code).toBe('ValidationError');
    expect(err.status).toBe(400);
    expect(err.extra.fault).toBe('client');
    expect(err.message).toBe(
      "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
    );
  });

  it('words length, pattern (without ^$) and range like the recorded responses', () => {
    expect(
      collectViolations('iam', 'CreateRole', { RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: '{}' }),
    ).toEqual([
      "Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
    ]);
    const err = thrown(() =>
      validateInput('iam', 'CreateRole', {
        RoleName: 'my role',
        AssumeRolePolicyDocument: '{}',
        MaxSessionDuration: 50000,
      }),
    );
    expect(err.message).toBe(
      '2 validation errors detected: ' +
        "Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
        "Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
    );
  });

  it('words an enum violation exactly like the fixture (UpdateAccessKey Status)', () => {
    const err = thrown(() =>
      validateInput('iam', 'UpdateAccessKey', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'On' }),
    );
    expect(err.message).toBe(
      "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set",
    );
  });

  it('paths list items as name.N.member and nested members with dots', () => {
    expect(
      collectViolations('iam', 'TagRole', {
        RoleName: 'r',
        Tags: [
          { Key: 'ok', Value: 'v' },
          { Key: '', Value: 'x'.repeat(257) },
        ],
      }),
    ).toEqual([
      "Value at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
      "Value at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
      "Value at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
    ]);
  });

  it('checks list sizes and the SAML metadata length (1000 characters minimum)', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(collectViolations('iam', 'TagUser', { UserName: 'u', Tags: tags })).toEqual([
      "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    ]);
    expect(
      collectViolations('iam', 'CreateSAMLProvider', { Name: 'okta', SAMLMetadataDocument: '<x/>' }),
    ).toEqual([
      "Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000",
    ]);
  });

  it('accepts valid input, counts code points, and ignores unknown operations', () => {
    expect(() =>
      validateInput('iam', 'CreateRole', {
        RoleName: 'Okta-Connect_1',
        AssumeRolePolicyDocument: '{"a":1}',
        Path: '/',
      }),
    ).not.toThrow();
    // 200 mathematical letters (U+1D49C) are 400 UTF-16 units but 200 code points: within the 256 limit.
    const letters = '\u{1D49C}'.repeat(200);
    expect(
      collectViolations('iam', 'TagRole', { RoleName: 'r', Tags: [{ Key: 'k', Value: letters }] }),
    ).toEqual([]);
    expect(
      collectViolations('iam', 'TagRole', {
        RoleName: 'r',
        Tags: [{ Key: 'k', Value: `${letters}${letters}` }],
      }),
    ).toEqual([
      "Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
    ]);
    expect(collectViolations('iam', 'NoSuchOperation', {})).toEqual([]);
  });
});

describe('validateInput — Connect (values echoed unless sensitive)', () => {
  it('CreateInstance: enum set, hidden sensitive alias, null boolean, map key pattern', () => {
    const err = thrown(() =>
      validateInput('connect', 'CreateInstance', {
        IdentityManagementType: 'SAMLX',
        InboundCallsEnabled: true,
        InstanceAlias: 'd-bad',
        Tags: { 'aws:x': '1' },
      }),
    );
    expect(err.code).toBe('InvalidRequestException');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      '4 validation errors detected: ' +
        "Value 'SAMLX' at 'identityManagementType' failed to satisfy constraint: Member must satisfy enum value set: [SAML, CONNECT_MANAGED, EXISTING_DIRECTORY]; " +
        "Value at 'instanceAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?!d-)([\\da-zA-Z]+)([-]*[\\da-zA-Z])*$; " +
        "Value null at 'outboundCallsEnabled' failed to satisfy constraint: Member must not be null; " +
        "Value '{aws:x=1}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$]",
    );
  });

  it('CreateUser: InvalidParameterException, nested path, list size', () => {
    const err = thrown(() =>
      validateInput('connect', 'CreateUser', {
        InstanceId: 'i',
        Username: 'alice',
        PhoneConfig: { PhoneType: 'CELL_PHONE' },
        SecurityProfileIds: [],
        RoutingProfileId: 'rp',
      }),
    );
    expect(err.code).toBe('InvalidParameterException');
    expect(err.message).toBe(
      '2 validation errors detected: ' +
        "Value 'CELL_PHONE' at 'phoneConfig.phoneType' failed to satisfy constraint: Member must satisfy enum value set: [SOFT_PHONE, DESK_PHONE]; " +
        "Value '[]' at 'securityProfileIds' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('uses the patterns the model means where the published ones cannot match (Password, E.164 phone)', () => {
    const user = {
      InstanceId: 'i',
      Username: 'alice',
      PhoneConfig: { PhoneType: 'DESK_PHONE', DeskPhoneNumber: '+14155550100' },
      SecurityProfileIds: ['sp'],
      RoutingProfileId: 'rp',
      Password: 'Passw0rd!',
      IdentityInfo: { Mobile: '+33612345678' },
    };
    expect(collectViolations('connect', 'CreateUser', user)).toEqual([]);
    expect(
      collectViolations('connect', 'CreateUser', {
        ...user,
        Password: 'password',
        IdentityInfo: { Mobile: '0612345678' },
      }),
    ).toEqual([
      "Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)[a-zA-Z\\d\\S]{8,64}$",
      "Value '0612345678' at 'identityInfo.mobile' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\+[1-9]\\d{1,14}$",
    ]);
  });

  it('ListInstances MaxResults range and a valid DescribeInstance', () => {
    expect(collectViolations('connect', 'ListInstances', { MaxResults: 11 })).toEqual([
      "Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    ]);
    expect(() => validateInput('connect', 'DescribeInstance', { InstanceId: 'abc' })).not.toThrow();
  });

  it('validationError builds the same envelope for emulator checks', () => {
    const err = validationError('connect', 'CreateUser', ['a', 'b']);
    expect(err.code).toBe('InvalidParameterException');
    expect(err.message).toBe('2 validation errors detected: a; b');
    expect(validationError('iam', 'CreateRole', ['x']).code).toBe('ValidationError');
  });
});

describe('parseQueryInput (IAM awsQuery)', () => {
  it('reads scalars, lists of structures, integers and booleans, ignoring Action/Version', () => {
    const input = parseQueryInput(
      'CreateRole',
      form(
        'Action=CreateRole&Version=2010-05-08&RoleName=r&Path=%2F&AssumeRolePolicyDocument=%7B%22a%22%3A1%7D' +
          '&MaxSessionDuration=7200&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=b&Tags.member.2.Value=',
      ),
    );
    expect(input).toEqual({
      Path: '/',
      RoleName: 'r',
      AssumeRolePolicyDocument: '{"a":1}',
      MaxSessionDuration: 7200,
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '' },
      ],
    });
    expect(parseQueryInput('ListPolicies', form('Scope=Local&OnlyAttached=true&MaxItems=5'))).toEqual({
      Scope: 'Local',
      OnlyAttached: true,
      MaxItems: 5,
    });
  });

  it('fills model defaults, reads an empty list and lists of strings', () => {
    expect(parseQueryInput('ListPolicies', form(''))).toEqual({ OnlyAttached: false });
    expect(parseQueryInput('UntagRole', form('RoleName=r&TagKeys='))).toEqual({ RoleName: 'r', TagKeys: [] });
    expect(parseQueryInput('UntagRole', form('RoleName=r&TagKeys.member.1=a&TagKeys.member.2=b'))).toEqual({
      RoleName: 'r',
      TagKeys: ['a', 'b'],
    });
    expect(parseQueryInput('CreatePolicyVersion', form('PolicyArn=arn&PolicyDocument=%7B%7D'))).toEqual({
      PolicyArn: 'arn',
      PolicyDocument: '{}',
      SetAsDefault: false,
    });
  });

  it('rejects values of the wrong type and unknown actions with AWS-shaped errors', () => {
    const bad = thrown(() => parseQueryInput('ListRoles', form('MaxItems=ten')));
    expect(bad.code).toBe('ValidationError');
    expect(bad.status).toBe(400);
    const unknown = thrown(() => parseQueryInput('StealEverything', form('')));
    expect(unknown.code).toBe('InvalidAction');
    expect(unknown.message).toBe('Could not find operation StealEverything for version 2010-05-08');
  });
});

describe('awsQuery shapes the emulated IAM operations do not use (ad-hoc model)', () => {
  const model = {
    metadata: { service: 'test', protocol: 'awsQuery', version: '1' },
    operations: {},
    shapes: {
      Input: {
        type: 'structure',
        members: [
          { name: 'Attributes', target: 'AttrMap' },
          { name: 'Flat', target: 'Names', xmlFlattened: true },
          { name: 'Renamed', target: 'Str', xmlName: 'Other' },
          { name: 'When', target: 'Time' },
          { name: 'Data', target: 'Bytes' },
          { name: 'Ratio', target: 'Dbl' },
          { name: 'Nested', target: 'Inner' },
        ],
      },
      AttrMap: { type: 'map', key: { target: 'Str' }, value: { target: 'Str' } },
      Names: { type: 'list', member: { target: 'Str' } },
      Inner: { type: 'structure', members: [{ name: 'Names', target: 'Names' }] },
      Str: { type: 'string' },
      Time: { type: 'timestamp' },
      Bytes: { type: 'blob' },
      Dbl: { type: 'double' },
    },
  };

  it('reads maps, flattened lists, xmlName, timestamps, blobs, doubles and nested lists', () => {
    const input = __testing.readQuery(
      model,
      'Input',
      form(
        'Attributes.entry.1.key=a&Attributes.entry.1.value=1&Attributes.entry.2.key=b&Attributes.entry.2.value=2' +
          '&Flat.1=x&Flat.2=y&Other=r&When=2024-01-02T03%3A04%3A05Z&Data=aGk%3D&Ratio=0.5' +
          '&Nested.Names.member.1=n1',
      ),
    );
    expect(input).toEqual({
      Attributes: { a: '1', b: '2' },
      Flat: ['x', 'y'],
      Renamed: 'r',
      When: Date.UTC(2024, 0, 2, 3, 4, 5),
      Data: Buffer.from('hi'),
      Ratio: 0.5,
      Nested: { Names: ['n1'] },
    });
    expect(__testing.readQuery(model, 'Input', form('When=1704164645&Attributes='))).toEqual({
      When: Date.UTC(2024, 0, 2, 3, 4, 5),
      Attributes: {},
    });
    expect(thrown(() => __testing.readQuery(model, 'Input', form('When=yesterday'))).code).toBe(
      'ValidationError',
    );
  });

  it('writes maps as entry/key/value and flattened lists without a wrapper', () => {
    expect(
      __testing.writeXml(model, 'Input', {
        Attributes: { a: '<1>' },
        Flat: ['x', 'y'],
        Renamed: 'r',
        When: '2024-01-02T03:04:05.678Z',
        Data: Buffer.from('hi'),
        Ratio: 0.5,
      }),
    ).toBe(
      '<Attributes><entry><key>a</key><value>&lt;1&gt;</value></entry></Attributes><Flat>x</Flat><Flat>y</Flat>' +
        '<Other>r</Other><When>2024-01-02T03:04:05Z</When><Data>aGk=</Data><Ratio>0.5</Ratio>',
    );
  });
});

describe('serializeQueryOutput / renderQueryError (IAM XML)', () => {
  it('writes members in model order with ISO timestamps, lists as member, defaults and no unknown fields', () => {
    const xml = serializeQueryOutput(
      'ListPolicies',
      {
        Marker: 'm2',
        IsTruncated: true,
        Policies: [
          {
            UpdateDate: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
            PolicyName: 'p',
            CreateDate: Date.UTC(2024, 0, 2, 3, 4, 5),
            internalOnly: 'never printed',
          },
        ],
      },
      'req-1',
    );
    expect(xml).toBe(
      '<ListPoliciesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListPoliciesResult>' +
        '<Policies><member><PolicyName>p</PolicyName><IsAttachable>false</IsAttachable>' +
        '<CreateDate>2024-01-02T03:04:05Z</CreateDate><UpdateDate>2024-01-02T03:04:05Z</UpdateDate></member></Policies>' +
        '<IsTruncated>true</IsTruncated><Marker>m2</Marker></ListPoliciesResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListPoliciesResponse>',
    );
  });

  it('writes an empty list element and void outputs with ResponseMetadata only', () => {
    expect(serializeQueryOutput('ListAccountAliases', { AccountAliases: [] }, 'r')).toContain(
      '<ListAccountAliasesResult><AccountAliases/><IsTruncated>false</IsTruncated></ListAccountAliasesResult>',
    );
    expect(serializeQueryOutput('DeleteRole', undefined, 'r')).toBe(
      '<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId>' +
        '</ResponseMetadata></DeleteRoleResponse>',
    );
  });

  it('escapes markup and control characters', () => {
    expect(escapeXml('a<b>&"\'\r\n\t\u0001z')).toBe('a&lt;b&gt;&amp;&quot;&apos;&#xD;&#xA;&#x9;&#x1;z');
    expect(escapeXml('plain')).toBe('plain');
    expect(isoSeconds(Date.UTC(2024, 0, 2, 3, 4, 5, 999))).toBe('2024-01-02T03:04:05Z');
  });

  it('renders the ErrorResponse envelope', () => {
    expect(renderQueryError('NoSuchEntity', 'The role with name x cannot be found.', 'Sender', 'rid')).toBe(
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>' +
        '<Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error>' +
        '<RequestId>rid</RequestId></ErrorResponse>',
    );
    expect(renderQueryError('ServiceFailure', '<x>', 'server', 'r')).toContain('<Type>Receiver</Type>');
  });
});

describe('matchRestOperation (Connect routes)', () => {
  it('routes every emulated operation by method and URI template', () => {
    const cases: [string, string, string, Record<string, string>][] = [
      ['PUT', '/instance', 'CreateInstance', {}],
      ['GET', '/instance', 'ListInstances', {}],
      ['GET', '/instance/abc', 'DescribeInstance', { InstanceId: 'abc' }],
      ['DELETE', '/instance/abc', 'DeleteInstance', { InstanceId: 'abc' }],
      ['PUT', '/users/i1', 'CreateUser', { InstanceId: 'i1' }],
      ['GET', '/users/i1/u1', 'DescribeUser', { InstanceId: 'i1', UserId: 'u1' }],
      ['DELETE', '/users/i1/u1', 'DeleteUser', { InstanceId: 'i1', UserId: 'u1' }],
      ['GET', '/users-summary/i1', 'ListUsers', { InstanceId: 'i1' }],
      ['POST', '/search-users', 'SearchUsers', {}],
      [
        'POST',
        '/users/i1/u1/security-profiles',
        'UpdateUserSecurityProfiles',
        { InstanceId: 'i1', UserId: 'u1' },
      ],
      ['POST', '/users/i1/u1/identity-info', 'UpdateUserIdentityInfo', { InstanceId: 'i1', UserId: 'u1' }],
      [
        'POST',
        '/users/i1/u1/routing-profile',
        'UpdateUserRoutingProfile',
        { InstanceId: 'i1', UserId: 'u1' },
      ],
      ['GET', '/security-profiles-summary/i1', 'ListSecurityProfiles', { InstanceId: 'i1' }],
      ['GET', '/routing-profiles-summary/i1', 'ListRoutingProfiles', { InstanceId: 'i1' }],
      ['GET', '/user/federate/i1', 'GetFederationToken', { InstanceId: 'i1' }],
      ['POST', '/tags/arn', 'TagResource', { resourceArn: 'arn' }],
      ['DELETE', '/tags/arn', 'UntagResource', { resourceArn: 'arn' }],
      ['GET', '/tags/arn', 'ListTagsForResource', { resourceArn: 'arn' }],
    ];
    for (const [method, path, operation, labels] of cases) {
      expect(matchRestOperation(method, path), `${method} ${path}`).toEqual({ operation, labels });
    }
  });

  it('decodes percent-encoded labels (a full ARN in one segment)', () => {
    expect(
      matchRestOperation('POST', '/tags/arn%3Aaws%3Aconnect%3Aus-west-2%3A123456789012%3Ainstance%2Finst-1'),
    ).toEqual({
      operation: 'TagResource',
      labels: { resourceArn: 'arn:aws:connect:us-west-2:123456789012:instance/inst-1' },
    });
    expect(matchRestOperation('GET', '/users/i%201/u%2B1')?.labels).toEqual({
      InstanceId: 'i 1',
      UserId: 'u+1',
    });
  });

  it('matches generic templates: greedy labels keep their slashes, literal query parts are required', () => {
    expect(matchUriTemplate('/files/{Bucket}/{Key+}', '/files/b/a%2Fb/c%20d')).toEqual({
      Bucket: 'b',
      Key: 'a/b/c d',
    });
    expect(matchUriTemplate('/files/{Bucket}/{Key+}', '/files/b')).toBeUndefined();
    expect(matchUriTemplate('/x/{Id}?type=full', '/x/1', form('type=full'))).toEqual({ Id: '1' });
    expect(matchUriTemplate('/x/{Id}?type=full', '/x/1', form('type=short'))).toBeUndefined();
    expect(matchUriTemplate('/x/{Id}?flag', '/x/1', form('flag='))).toEqual({ Id: '1' });
    expect(matchUriTemplate('/x/{Id}?flag', '/x/1')).toBeUndefined();
    expect(matchUriTemplate('/a.b/{Id}', '/aXb/1')).toBeUndefined();
  });

  it('returns undefined for no match, a wrong method, extra segments or malformed encoding', () => {
    expect(matchRestOperation('GET', '/nope')).toBeUndefined();
    expect(matchRestOperation('PATCH', '/instance')).toBeUndefined();
    expect(matchRestOperation('POST', '/instance/abc')).toBeUndefined();
    expect(matchRestOperation('GET', '/users/i1/u1/extra')).toBeUndefined();
    expect(matchRestOperation('GET', '/instance/%E0%A4%A')).toBeUndefined();
    expect(matchRestOperation('GET', '/instance/')).toBeUndefined();
  });
});

describe('parseRestInput / serializeRestOutput (Connect restJson1)', () => {
  it('combines labels, query members (lists and integers) and the JSON body', () => {
    expect(
      parseRestInput('UntagResource', { resourceArn: 'arn:x' }, form('tagKeys=a&tagKeys=b'), undefined),
    ).toEqual({
      resourceArn: 'arn:x',
      tagKeys: ['a', 'b'],
    });
    expect(parseRestInput('ListUsers', { InstanceId: 'i' }, form('maxResults=25&nextToken=t'), '')).toEqual({
      InstanceId: 'i',
      NextToken: 't',
      MaxResults: 25,
    });
    const body = JSON.stringify({
      Username: 'alice',
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      SecurityProfileIds: ['sp'],
      RoutingProfileId: 'rp',
      IdentityInfo: { FirstName: 'A', LastName: 'L' },
      Unknown: 1,
    });
    expect(parseRestInput('CreateUser', { InstanceId: 'i' }, form(''), Buffer.from(body))).toEqual({
      Username: 'alice',
      IdentityInfo: { FirstName: 'A', LastName: 'L' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
      SecurityProfileIds: ['sp'],
      RoutingProfileId: 'rp',
      InstanceId: 'i',
    });
    expect(parseRestInput('TagResource', { resourceArn: 'a' }, form(''), '{"tags":{"k":"v"}}')).toEqual({
      resourceArn: 'a',
      tags: { k: 'v' },
    });
  });

  it('answers SerializationException for malformed JSON, wrong types and bad query integers', () => {
    for (const body of ['{"IdentityManagementType":', '[1]', '"x"']) {
      const err = thrown(() => parseRestInput('CreateInstance', {}, form(''), body));
      expect(err.code).toBe('SerializationException');
      expect(err.status).toBe(400);
    }
    const wrongType = thrown(() =>
      parseRestInput('CreateInstance', {}, form(''), '{"InboundCallsEnabled":"yes"}'),
    );
    expect(wrongType.code).toBe('SerializationException');
    expect(thrown(() => parseRestInput('ListInstances', {}, form('maxResults=x'), undefined)).code).toBe(
      'SerializationException',
    );
    // A body on an operation that reads none must still be JSON.
    expect(thrown(() => parseRestInput('DescribeInstance', { InstanceId: 'i' }, form(''), 'nope')).code).toBe(
      'SerializationException',
    );
  });

  it('serializes epoch-second timestamps, drops undefined and unknown members, answers {} for no output', () => {
    const out = serializeRestOutput('DescribeInstance', {
      Instance: {
        Id: 'i',
        CreatedTime: Date.UTC(2024, 0, 2, 3, 4, 5, 500),
        InstanceAlias: undefined,
        InstanceStatus: 'ACTIVE',
        secretState: 'x',
        Tags: { a: 'b' },
      },
    });
    expect(out.status).toBe(200);
    expect(out.headers['content-type']).toBe('application/json');
    expect(JSON.parse(out.body)).toEqual({
      Instance: { Id: 'i', CreatedTime: 1704164645.5, InstanceStatus: 'ACTIVE', Tags: { a: 'b' } },
    });
    expect(serializeRestOutput('DeleteInstance').body).toBe('{}');
    expect(JSON.parse(serializeRestOutput('ListInstances', { InstanceSummaryList: [] }).body)).toEqual({
      InstanceSummaryList: [],
    });
  });
});

describe('operationInfo / errorStatus', () => {
  it('describes operations with their modelled errors', () => {
    const createRole = operationInfo('iam', 'CreateRole');
    expect(createRole?.write).toBe(true);
    expect(createRole?.action).toBe('iam:CreateRole');
    expect(createRole?.errors).toContainEqual({
      shape: 'EntityAlreadyExistsException',
      code: 'EntityAlreadyExists',
      status: 409,
      fault: 'client',
    });
    expect(operationInfo('iam', 'ListRoles')?.readonly).toBe(true);
    expect(operationInfo('connect', 'SearchUsers')?.readonly).toBe(true);
    expect(operationInfo('connect', 'CreateInstance')?.http).toEqual({
      method: 'PUT',
      uri: '/instance',
      code: 200,
    });
    expect(operationInfo('connect', 'CreateInstance')?.errors.map((e) => e.code)).not.toContain(
      'InvalidParameterException',
    );
    expect(operationInfo('iam', 'Nope')).toBeUndefined();
  });

  it('maps error codes (wire code or shape name) to statuses', () => {
    expect(errorStatus('iam', 'NoSuchEntity')).toBe(404);
    expect(errorStatus('iam', 'NoSuchEntityException')).toBe(404);
    expect(errorStatus('iam', 'LimitExceeded')).toBe(409);
    expect(errorStatus('iam', 'ServiceFailure')).toBe(500);
    expect(errorStatus('iam', 'ValidationError')).toBe(400);
    expect(errorStatus('iam', 'AccessDenied')).toBe(403);
    expect(errorStatus('connect', 'ServiceQuotaExceededException')).toBe(402);
    expect(errorStatus('connect', 'LimitExceededException')).toBe(429);
    expect(errorStatus('connect', 'DuplicateResourceException')).toBe(409);
    expect(errorStatus('connect', 'UserNotFoundException')).toBe(404);
    expect(errorStatus('connect', 'Bogus')).toBeUndefined();
    expect(errorInfo('connect', 'InternalServiceException')?.fault).toBe('server');
    const err = modelError(
      'iam',
      'DeleteConflict',
      'Cannot delete entity, must remove referenced objects first.',
    );
    expect([err.code, err.status, err.extra.fault]).toEqual(['DeleteConflict', 409, 'client']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The real SDK clients against a tiny loopback server built on this module.

interface Captured {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}
type Reply = { status: number; headers: Record<string, string>; body: string };

describe('the AWS SDK parses what the wire layer produces', () => {
  let server: Server;
  let endpoint = '';
  let handler: (req: Captured) => Reply = () => ({ status: 500, headers: {}, body: '' });
  const seen: Captured[] = [];
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      void read(req).then((body) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const captured: Captured = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers,
          body,
        };
        seen.push(captured);
        let reply: Reply;
        try {
          reply = handler(captured);
        } catch (err) {
          reply = { status: 599, headers: {}, body: String(err) };
        }
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const iam = () => new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const connect = () => new ConnectClient({ endpoint, region: 'us-west-2', credentials, maxAttempts: 1 });

  /** An IAM handler: parse the form with parseQueryInput, answer with `fn`'s output. */
  const iamHandler =
    (fn: (operation: string, input: Record<string, unknown>) => object | undefined) =>
    (req: Captured): Reply => {
      const params = new URLSearchParams(req.body);
      const operation = params.get('Action') ?? '';
      try {
        const input = parseQueryInput(operation, params);
        validateInput('iam', operation, input);
        return {
          status: 200,
          headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-iam' },
          body: serializeQueryOutput(operation, fn(operation, input), 'req-iam'),
        };
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        return {
          status: err.status,
          headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-iam' },
          body: renderQueryError(err.code, err.message, err.extra.fault ?? 'client', 'req-iam'),
        };
      }
    };

  /** A Connect handler: route, parse, answer with `fn`'s output or its ServiceError. */
  const connectHandler =
    (fn: (operation: string, input: Record<string, unknown>) => object | undefined) =>
    (req: Captured): Reply => {
      const match = matchRestOperation(req.method, req.path, req.query);
      try {
        if (!match) throw new ServiceError('UnknownOperationException', '', 404);
        const input = parseRestInput(match.operation, match.labels, req.query, req.body, req.headers);
        validateInput('connect', match.operation, input);
        return serializeRestOutput(match.operation, fn(match.operation, input));
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        return {
          status: err.status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
          body: JSON.stringify({ Message: err.message }),
        };
      }
    };

  it('IAM CreateRole: the SDK sends what parseQueryInput reads, and reads the URL-encoded document back', async () => {
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:saml-provider/okta' } },
      ],
    });
    let received: Record<string, unknown> = {};
    handler = iamHandler((_op, input) => {
      received = input;
      return {
        Role: {
          Path: '/',
          RoleName: input.RoleName,
          RoleId: 'AROAEXAMPLE',
          Arn: 'arn:aws:iam::123456789012:role/Okta',
          CreateDate: Date.UTC(2024, 0, 2, 3, 4, 5),
          AssumeRolePolicyDocument: encodeURIComponent(String(input.AssumeRolePolicyDocument)),
          MaxSessionDuration: 3600,
          Description: input.Description,
          Tags: input.Tags,
        },
      };
    });
    const out = await iam().send(
      new CreateRoleCommand({
        RoleName: 'Okta',
        AssumeRolePolicyDocument: doc,
        Description: 'a&b <c> "d"',
        Tags: [{ Key: 'app', Value: 'connect sso' }],
      }),
    );
    expect(received).toEqual({
      RoleName: 'Okta',
      AssumeRolePolicyDocument: doc,
      Description: 'a&b <c> "d"',
      Tags: [{ Key: 'app', Value: 'connect sso' }],
    });
    expect(out.Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(doc));
    expect(decodeURIComponent(out.Role?.AssumeRolePolicyDocument ?? '')).toBe(doc);
    expect(out.Role?.CreateDate).toEqual(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    expect(out.Role?.Description).toBe('a&b <c> "d"');
    expect(out.Role?.Tags).toEqual([{ Key: 'app', Value: 'connect sso' }]);
    expect(out.$metadata.requestId).toBe('req-iam');
  });

  it('IAM ListPolicies: a truncated page with a marker; ListAccountAliases: an empty list', async () => {
    handler = iamHandler((op) =>
      op === 'ListPolicies'
        ? {
            Policies: [
              {
                PolicyName: 'p1',
                Arn: 'arn:aws:iam::123456789012:policy/p1',
                DefaultVersionId: 'v1',
                AttachmentCount: 2,
              },
            ],
            IsTruncated: true,
            Marker: 'next/+=',
          }
        : { AccountAliases: [] },
    );
    const page = await iam().send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 }));
    expect(page.IsTruncated).toBe(true);
    expect(page.Marker).toBe('next/+=');
    expect(page.Policies).toEqual([
      {
        PolicyName: 'p1',
        Arn: 'arn:aws:iam::123456789012:policy/p1',
        DefaultVersionId: 'v1',
        AttachmentCount: 2,
        IsAttachable: false,
      },
    ]);
    const aliases = await iam().send(new ListAccountAliasesCommand({}));
    expect(aliases.AccountAliases).toEqual([]);
    expect(aliases.IsTruncated).toBe(false);
  });

  it('IAM GetSAMLProvider: multi-line metadata with markup survives escaping', async () => {
    const metadata =
      '<?xml version="1.0"?>\r\n<md:EntityDescriptor entityID="http://www.okta.com/x">\n\t&amp;</md:EntityDescriptor>';
    handler = iamHandler(() => ({
      SAMLMetadataDocument: metadata,
      CreateDate: 0,
      ValidUntil: new Date('2124-01-01T00:00:00Z'),
    }));
    const out = await iam().send(
      new GetSAMLProviderCommand({ SAMLProviderArn: 'arn:aws:iam::123456789012:saml-provider/okta' }),
    );
    expect(out.SAMLMetadataDocument).toBe(metadata);
    expect(out.ValidUntil?.toISOString()).toBe('2124-01-01T00:00:00.000Z');
  });

  it('IAM errors: the SDK surfaces the modelled class, unmodelled codes and validation messages', async () => {
    handler = iamHandler(() => {
      throw modelError('iam', 'NoSuchEntity', 'The role with name Missing cannot be found.');
    });
    const notFound = await iam()
      .send(new GetRoleCommand({ RoleName: 'Missing' }))
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NoSuchEntityException);
    expect((notFound as NoSuchEntityException).message).toBe('The role with name Missing cannot be found.');
    expect((notFound as NoSuchEntityException).$metadata.httpStatusCode).toBe(404);

    handler = iamHandler(() => ({}));
    const invalid = await iam()
      .send(new UpdateAccessKeyCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Paused' as 'Active' }))
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(IAMServiceException);
    expect((invalid as IAMServiceException).name).toBe('ValidationError');
    expect((invalid as IAMServiceException).message).toBe(
      "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set",
    );
    expect((invalid as IAMServiceException).$metadata.httpStatusCode).toBe(400);

    // TagRole has no output: the void envelope parses.
    await expect(
      iam().send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'k', Value: 'v' }] })),
    ).resolves.toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
  });

  it('Connect DescribeInstance and ListInstances: epoch-second timestamps become Dates', async () => {
    const created = Date.UTC(2024, 0, 2, 3, 4, 5, 250);
    const instance = {
      Id: 'inst-1',
      Arn: 'arn:aws:connect:us-west-2:123456789012:instance/inst-1',
      IdentityManagementType: 'SAML',
      InstanceAlias: 'my-cc',
      CreatedTime: created,
      InstanceStatus: 'ACTIVE',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: false,
    };
    let query: Record<string, unknown> = {};
    handler = connectHandler((op, input) => {
      if (op === 'DescribeInstance') return { Instance: { ...instance, Id: input.InstanceId } };
      query = input;
      return { InstanceSummaryList: [instance], NextToken: 'tok' };
    });
    const described = await connect().send(new DescribeInstanceCommand({ InstanceId: 'inst-1' }));
    expect(described.Instance?.CreatedTime).toEqual(new Date(created));
    expect(described.Instance?.InstanceStatus).toBe('ACTIVE');
    expect(described.Instance?.OutboundCallsEnabled).toBe(false);
    const listed = await connect().send(new ListInstancesCommand({ MaxResults: 5, NextToken: 'a b' }));
    expect(query).toEqual({ MaxResults: 5, NextToken: 'a b' });
    expect(listed.NextToken).toBe('tok');
    expect(listed.InstanceSummaryList?.[0]?.CreatedTime).toEqual(new Date(created));
  });

  it('Connect: labels, query lists and bodies the SDK sends are parsed back', async () => {
    const inputs: [string, Record<string, unknown>][] = [];
    handler = connectHandler((op, input) => {
      inputs.push([op, input]);
      if (op === 'CreateUser') return { UserId: 'u1', UserArn: 'arn:u1' };
      if (op === 'ListUsers')
        return { UserSummaryList: [{ Id: 'u1', Username: 'alice', LastModifiedTime: 1000 }] };
      if (op === 'SearchUsers') return { Users: [], ApproximateTotalCount: 0 };
      return undefined;
    });
    const arn = 'arn:aws:connect:us-west-2:123456789012:instance/inst-1';
    const c = connect();
    await c.send(new TagResourceCommand({ resourceArn: arn, tags: { team: 'sso' } }));
    await c.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'b c'] }));
    const created = await c.send(
      new ConnectCreateUserCommand({
        InstanceId: 'inst-1',
        Username: 'alice@example.com',
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: ['sp-1'],
        RoutingProfileId: 'rp-1',
        IdentityInfo: { FirstName: 'Alice', LastName: 'Doe' },
      }),
    );
    expect(created.UserId).toBe('u1');
    const users = await c.send(new ConnectListUsersCommand({ InstanceId: 'inst-1', MaxResults: 100 }));
    expect(users.UserSummaryList?.[0]?.LastModifiedTime).toEqual(new Date(1000));
    const search = await c.send(
      new SearchUsersCommand({
        InstanceId: 'inst-1',
        SearchCriteria: {
          StringCondition: { FieldName: 'Username', Value: 'alice', ComparisonType: 'EXACT' },
        },
      }),
    );
    expect(search.ApproximateTotalCount).toBe(0);
    expect(inputs).toEqual([
      ['TagResource', { resourceArn: arn, tags: { team: 'sso' } }],
      ['UntagResource', { resourceArn: arn, tagKeys: ['a', 'b c'] }],
      [
        'CreateUser',
        {
          InstanceId: 'inst-1',
          Username: 'alice@example.com',
          PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
          SecurityProfileIds: ['sp-1'],
          RoutingProfileId: 'rp-1',
          IdentityInfo: { FirstName: 'Alice', LastName: 'Doe' },
        },
      ],
      ['ListUsers', { InstanceId: 'inst-1', MaxResults: 100 }],
      [
        'SearchUsers',
        {
          InstanceId: 'inst-1',
          SearchCriteria: {
            StringCondition: { FieldName: 'Username', Value: 'alice', ComparisonType: 'EXACT' },
          },
        },
      ],
    ]);
  });

  it('Connect errors: modelled class and message, and validation errors from the model', async () => {
    handler = connectHandler(() => {
      throw modelError('connect', 'ResourceNotFoundException', 'Instance not found');
    });
    const missing = await connect()
      .send(new DescribeInstanceCommand({ InstanceId: 'nope' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as ResourceNotFoundException).message).toBe('Instance not found');
    expect((missing as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);

    handler = connectHandler(() => ({}));
    const invalid = await connect()
      .send(new ListInstancesCommand({ MaxResults: 50 }))
      .catch((e: unknown) => e);
    expect((invalid as Error).name).toBe('InvalidRequestException');
    expect((invalid as Error).message).toBe(
      "1 validation error detected: Value '50' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
  });
});
