/**
 * The sandbox IAM driven by the real @aws-sdk/client-iam over HTTP: success shapes, the modelled errors
 * of each write operation, quotas, paging, URL-encoded documents, tags, SigV4 with issued keys and the
 * request log.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteSAMLProviderCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  GetUserCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  ListSAMLProvidersCommand,
  ListSAMLProviderTagsCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagSAMLProviderCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagSAMLProviderCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorContext, SandboxRequest } from '../../src/sandbox/emulator.js';
import { ServiceError } from '../../src/sandbox/emulator.js';
import { createIamEmulator, parseSamlMetadata } from '../../src/sandbox/iam/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createState } from '../../src/sandbox/state.js';
import { iamClient, startTestSandbox } from '../helpers.js';
import { guideTrustPolicy } from '../support/guide.js';

const ACCOUNT = '123456789012';
const METADATA = readFileSync(
  fileURLToPath(new URL('../fixtures/okta-metadata.xml', import.meta.url)),
  'utf8',
);

const allow = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

const serviceTrust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

interface Failure {
  name: string;
  message: string;
  status: number | undefined;
}

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<Failure> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

let sb: Sandbox;
let iam: IAMClient;

beforeAll(async () => {
  sb = await startTestSandbox({ accountId: ACCOUNT });
  iam = iamClient(sb);
});

afterAll(async () => {
  await sb.stop();
});

describe('managed policies and versions', () => {
  it('creates, reads, versions and deletes a policy as AWS does', async () => {
    const doc = allow('iam:ListRoles');
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'OktaListRoles',
        PolicyDocument: doc,
        Description: 'lets Okta read roles',
        Tags: [{ Key: 'app', Value: 'okta' }],
      }),
    );
    const policy = created.Policy;
    expect(policy).toMatchObject({
      PolicyName: 'OktaListRoles',
      Arn: `arn:aws:iam::${ACCOUNT}:policy/OktaListRoles`,
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Tags: [{ Key: 'app', Value: 'okta' }],
    });
    expect(policy?.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    expect(policy?.CreateDate).toBeInstanceOf(Date);
    const arn = policy?.Arn ?? '';

    const got = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy).toMatchObject({ Description: 'lets Okta read roles', DefaultVersionId: 'v1' });

    // The document comes back URL-encoded, as from AWS.
    const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(v1.PolicyVersion?.Document).toBe(encodeURIComponent(doc));
    expect(JSON.parse(decodeURIComponent(v1.PolicyVersion?.Document ?? ''))).toEqual(JSON.parse(doc));
    expect(v1.PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });

    // Up to 5 versions; the 6th is refused.
    for (let i = 2; i <= 5; i++) {
      const v = await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: allow(`iam:Get${i}`),
          SetAsDefault: i === 3,
        }),
      );
      expect(v.PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 });
      expect(v.PolicyVersion?.Document).toBeUndefined();
    }
    const sixth = await failure(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('iam:GetRole') })),
    );
    expect(sixth).toEqual({
      name: 'LimitExceededException',
      status: 409,
      message:
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });

    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v5', false],
      ['v4', false],
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ]);
    expect(versions.IsTruncated).toBe(false);

    const defaultDelete = await failure(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })),
    );
    expect(defaultDelete).toEqual({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete the default version of a policy.',
    });
    const missingVersion = await failure(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })),
    );
    expect(missingVersion.name).toBe('NoSuchEntityException');

    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v5');

    const withVersions = await failure(iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
    expect(withVersions.name).toBe('DeleteConflictException');
    expect(withVersions.message).toMatch(/^This policy has more than one version\./);

    for (const id of ['v1', 'v2', 'v3', 'v4']) {
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: id }));
    }
    // A new version after deletions continues the numbering.
    const v6 = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('iam:GetUser') }),
    );
    expect(v6.PolicyVersion?.VersionId).toBe('v6');
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));

    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    expect(await failure(iam.send(new GetPolicyCommand({ PolicyArn: arn })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `Policy ${arn} was not found.`,
    });
  });

  it('refuses duplicate names (without case), malformed documents and unparsable ARNs', async () => {
    await iam.send(
      new CreatePolicyCommand({ PolicyName: 'DupPolicy', PolicyDocument: allow('iam:ListRoles') }),
    );
    expect(
      await failure(
        iam.send(
          new CreatePolicyCommand({ PolicyName: 'DUPPOLICY', PolicyDocument: allow('iam:ListRoles') }),
        ),
      ),
    ).toEqual({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: 'A policy called DUPPOLICY already exists. Duplicate names are not allowed.',
    });

    const malformed = await failure(
      iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: '{not json' })),
    );
    expect(malformed).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    const withPrincipal = await failure(
      iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: serviceTrust })),
    );
    expect(withPrincipal.name).toBe('MalformedPolicyDocumentException');

    expect(await failure(iam.send(new GetPolicyCommand({ PolicyArn: 'DupPolicy-is-not-an-arn' })))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: 'Invalid ARN:  Could not be parsed!',
    });

    // The model's constraints: a name outside [\w+=,.@-]+.
    const invalidName = await failure(
      iam.send(new CreatePolicyCommand({ PolicyName: 'has space', PolicyDocument: allow('iam:ListRoles') })),
    );
    expect(invalidName.name).toBe('ValidationError');
    expect(invalidName.status).toBe(400);
    expect(invalidName.message).toContain("at 'policyName' failed to satisfy constraint");
  });

  it('pages ListPolicies with Marker and MaxItems, and filters by Scope, PathPrefix and OnlyAttached', async () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    for (const name of names) {
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: '/paged/',
          PolicyDocument: allow('s3:ListBucket'),
        }),
      );
    }
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new ListPoliciesCommand({
          Scope: 'Local',
          PathPrefix: '/paged/',
          MaxItems: 3,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      pageSizes.push(page.Policies?.length ?? 0);
      seen.push(...(page.Policies ?? []).map((p) => p.PolicyName ?? ''));
      expect(page.IsTruncated).toBe(page.Marker !== undefined);
      marker = page.Marker;
    } while (marker);
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(names);

    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    const admin = aws.Policies?.find((p) => p.PolicyName === 'AdministratorAccess');
    expect(admin?.Arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(aws.Policies?.some((p) => p.Arn?.includes(ACCOUNT))).toBe(false);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.some((p) => p.Arn?.startsWith('arn:aws:iam::aws:'))).toBe(false);
    // List entries carry no Description/Tags.
    expect(local.Policies?.[0]).not.toHaveProperty('Tags');

    await iam.send(
      new CreateRoleCommand({ RoleName: 'PagedHolder', AssumeRolePolicyDocument: serviceTrust }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'PagedHolder',
        PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/paged/p4`,
      }),
    );
    const attached = await iam.send(
      new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true, PathPrefix: '/paged/' }),
    );
    expect(attached.Policies?.map((p) => [p.PolicyName, p.AttachmentCount])).toEqual([['p4', 1]]);
    await iam.send(
      new DetachRolePolicyCommand({
        RoleName: 'PagedHolder',
        PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/paged/p4`,
      }),
    );
    await iam.send(new DeleteRoleCommand({ RoleName: 'PagedHolder' }));
  });

  it('tags policies', async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'TaggedPolicy', PolicyDocument: allow('iam:ListRoles') }),
    );
    const arn = Policy?.Arn ?? '';
    await iam.send(
      new TagPolicyCommand({
        PolicyArn: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['A'] }));
    const tags = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }));
    expect(tags.Tags).toEqual([{ Key: 'b', Value: '2' }]);
    expect(tags.IsTruncated).toBe(false);
  });
});

describe('users, attached policies and access keys', () => {
  it('creates, lists, reads and deletes users with the modelled errors', async () => {
    const { User } = await iam.send(
      new CreateUserCommand({ UserName: 'okta-sso', Path: '/okta/', Tags: [{ Key: 'team', Value: 'id' }] }),
    );
    expect(User).toMatchObject({
      UserName: 'okta-sso',
      Path: '/okta/',
      Arn: `arn:aws:iam::${ACCOUNT}:user/okta/okta-sso`,
      Tags: [{ Key: 'team', Value: 'id' }],
    });
    expect(User?.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);

    expect(await failure(iam.send(new CreateUserCommand({ UserName: 'OKTA-SSO' })))).toEqual({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: 'User with name OKTA-SSO already exists.',
    });

    const got = await iam.send(new GetUserCommand({ UserName: 'okta-sso' }));
    expect(got.User).toMatchObject({
      UserName: 'okta-sso',
      UserId: User?.UserId,
      Tags: [{ Key: 'team', Value: 'id' }],
    });

    const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/okta/' }));
    expect(listed.Users?.map((u) => u.UserName)).toEqual(['okta-sso']);
    expect(listed.Users?.[0]).not.toHaveProperty('Tags');

    await iam.send(new TagUserCommand({ UserName: 'okta-sso', Tags: [{ Key: 'TEAM', Value: 'identity' }] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'okta-sso' }))).Tags).toEqual([
      { Key: 'TEAM', Value: 'identity' },
    ]);
    await iam.send(new UntagUserCommand({ UserName: 'okta-sso', TagKeys: ['team'] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'okta-sso' }))).Tags).toEqual([]);
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'okta-sso' }))).PolicyNames).toEqual([]);

    await iam.send(new DeleteUserCommand({ UserName: 'okta-sso' }));
    expect(await failure(iam.send(new GetUserCommand({ UserName: 'okta-sso' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The user with name okta-sso cannot be found.',
    });
    expect((await failure(iam.send(new DeleteUserCommand({ UserName: 'okta-sso' })))).name).toBe(
      'NoSuchEntityException',
    );
  });

  it('issues at most two keys per user, which sign requests with the permissions of the user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'okta-api' }));
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'OktaApiAccess', PolicyDocument: allow('iam:ListRoles') }),
    );
    const policyArn = Policy?.Arn ?? '';
    await iam.send(new AttachUserPolicyCommand({ UserName: 'okta-api', PolicyArn: policyArn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'okta-api', PolicyArn: policyArn })); // idempotent
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'okta-api' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'OktaApiAccess', PolicyArn: policyArn }]);

    const notAttachable = await failure(
      iam.send(new AttachUserPolicyCommand({ UserName: 'okta-api', PolicyArn: `${policyArn}-missing` })),
    );
    expect(notAttachable).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `Policy ${policyArn}-missing does not exist or is not attachable.`,
    });

    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }));
    expect(entities.PolicyUsers?.map((u) => u.UserName)).toEqual(['okta-api']);
    expect(entities.PolicyRoles).toEqual([]);
    expect(entities.PolicyGroups).toEqual([]);

    const first = await iam.send(new CreateAccessKeyCommand({ UserName: 'okta-api' }));
    expect(first.AccessKey).toMatchObject({ UserName: 'okta-api', Status: 'Active' });
    expect(first.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(first.AccessKey?.SecretAccessKey).toHaveLength(40);
    const second = await iam.send(new CreateAccessKeyCommand({ UserName: 'okta-api' }));
    expect(await failure(iam.send(new CreateAccessKeyCommand({ UserName: 'okta-api' })))).toEqual({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
    });
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'okta-api' }));
    expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId).sort()).toEqual(
      [first.AccessKey?.AccessKeyId, second.AccessKey?.AccessKeyId].sort(),
    );
    expect(keys.AccessKeyMetadata?.[0]).not.toHaveProperty('SecretAccessKey');
    expect(JSON.stringify(sb.state().iam)).not.toContain(first.AccessKey?.SecretAccessKey);

    const lastUsed = await iam.send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: first.AccessKey?.AccessKeyId }),
    );
    expect(lastUsed).toMatchObject({
      UserName: 'okta-api',
      AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
    });

    // The issued key signs requests: allowed by the user's policy, denied otherwise.
    const asUser = iamClient(sb, {
      credentials: {
        accessKeyId: first.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: first.AccessKey?.SecretAccessKey ?? '',
      },
    });
    expect((await asUser.send(new ListRolesCommand({}))).Roles).toBeInstanceOf(Array);
    const denied = await failure(asUser.send(new ListUsersCommand({})));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('iam:ListUsers');

    // Inactive and deleted keys are refused.
    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'okta-api',
        AccessKeyId: first.AccessKey?.AccessKeyId,
        Status: 'Inactive',
      }),
    );
    expect(
      (await iam.send(new ListAccessKeysCommand({ UserName: 'okta-api' }))).AccessKeyMetadata?.find(
        (k) => k.AccessKeyId === first.AccessKey?.AccessKeyId,
      )?.Status,
    ).toBe('Inactive');
    expect(await failure(asUser.send(new ListRolesCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    const badStatus = await failure(
      iam.send(
        new UpdateAccessKeyCommand({
          UserName: 'okta-api',
          AccessKeyId: second.AccessKey?.AccessKeyId,
          Status: 'Off' as never,
        }),
      ),
    );
    expect(badStatus).toMatchObject({ name: 'ValidationError', status: 400 });

    // A user with keys or policies cannot be deleted.
    const withPolicies = await failure(iam.send(new DeleteUserCommand({ UserName: 'okta-api' })));
    expect(withPolicies).toEqual({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    expect((await failure(iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })))).message).toBe(
      'Cannot delete a policy attached to entities.',
    );
    await iam.send(new DetachUserPolicyCommand({ UserName: 'okta-api', PolicyArn: policyArn }));
    expect(
      (await failure(iam.send(new DetachUserPolicyCommand({ UserName: 'okta-api', PolicyArn: policyArn }))))
        .name,
    ).toBe('NoSuchEntityException');
    expect((await failure(iam.send(new DeleteUserCommand({ UserName: 'okta-api' })))).message).toBe(
      'Cannot delete entity, must delete access keys first.',
    );

    for (const key of [first, second]) {
      await iam.send(
        new DeleteAccessKeyCommand({ UserName: 'okta-api', AccessKeyId: key.AccessKey?.AccessKeyId }),
      );
    }
    expect(
      await failure(
        iam.send(
          new DeleteAccessKeyCommand({ UserName: 'okta-api', AccessKeyId: first.AccessKey?.AccessKeyId }),
        ),
      ),
    ).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `The Access Key with id ${first.AccessKey?.AccessKeyId} cannot be found.`,
    });
    expect((await failure(asUser.send(new ListRolesCommand({})))).name).toBe('InvalidClientTokenId');
    await iam.send(new DeleteUserCommand({ UserName: 'okta-api' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: policyArn }));
  });

  it('answers GetUser without a name for the caller', async () => {
    const root = await iam.send(new GetUserCommand({}));
    expect(root.User).toMatchObject({ UserId: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });

    await iam.send(new CreateUserCommand({ UserName: 'self' }));
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'SelfRead', PolicyDocument: allow('iam:GetUser') }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'self', PolicyArn: Policy?.Arn }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'self' }));
    const asSelf = iamClient(sb, {
      credentials: {
        accessKeyId: AccessKey?.AccessKeyId ?? '',
        secretAccessKey: AccessKey?.SecretAccessKey ?? '',
      },
    });
    expect((await asSelf.send(new GetUserCommand({}))).User?.UserName).toBe('self');
  });
});

describe('SAML providers', () => {
  it('creates, reads, updates, tags, lists and deletes a provider', async () => {
    const created = await iam.send(
      new CreateSAMLProviderCommand({
        Name: 'Okta',
        SAMLMetadataDocument: METADATA,
        Tags: [{ Key: 'idp', Value: 'okta' }],
      }),
    );
    const arn = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;
    expect(created).toMatchObject({ SAMLProviderArn: arn, Tags: [{ Key: 'idp', Value: 'okta' }] });

    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(got.SAMLMetadataDocument).toBe(METADATA);
    expect(got.SAMLProviderUUID).toMatch(/^[A-Z0-9]{22,64}$/);
    expect(got.Tags).toEqual([{ Key: 'idp', Value: 'okta' }]);
    const created_ = got.CreateDate as Date;
    const validUntil = got.ValidUntil as Date;
    expect(validUntil.getUTCFullYear()).toBe(created_.getUTCFullYear() + 100);

    expect(
      await failure(
        iam.send(new CreateSAMLProviderCommand({ Name: 'okta', SAMLMetadataDocument: METADATA })),
      ),
    ).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });

    const rotated = METADATA.replace('exkkwraz4e5opgu6j1d7"', 'exkrotated0000000001"');
    const updated = await iam.send(
      new UpdateSAMLProviderCommand({ SAMLProviderArn: arn, SAMLMetadataDocument: rotated }),
    );
    expect(updated.SAMLProviderArn).toBe(arn);
    expect((await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }))).SAMLMetadataDocument).toBe(
      rotated,
    );

    await iam.send(
      new TagSAMLProviderCommand({ SAMLProviderArn: arn, Tags: [{ Key: 'env', Value: 'dev' }] }),
    );
    await iam.send(new UntagSAMLProviderCommand({ SAMLProviderArn: arn, TagKeys: ['IDP'] }));
    expect((await iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn }))).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
    ]);

    const list = await iam.send(new ListSAMLProvidersCommand({}));
    const entry = list.SAMLProviderList?.find((p) => p.Arn === arn);
    expect(entry?.ValidUntil).toEqual(validUntil);
    expect(entry?.CreateDate).toEqual(created_);

    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(await failure(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: `Manifest not found for arn ${arn}`,
    });
  });

  it('refuses metadata that is not SAML 2.0 IdP metadata', async () => {
    const cases = [
      `<a>${'x'.repeat(1000)}</a>`,
      METADATA.replace(
        /<ds:X509Certificate>[^<]+<\/ds:X509Certificate>/,
        `<ds:X509Certificate>${Buffer.alloc(1200, 7).toString('base64')}</ds:X509Certificate>`,
      ),
      METADATA.replace('IDPSSODescriptor', 'SPSSODescriptor').replace('IDPSSODescriptor', 'SPSSODescriptor'),
      METADATA.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
      ),
      `${METADATA.slice(0, -10)}`,
    ];
    for (const document of cases) {
      expect(
        await failure(
          iam.send(new CreateSAMLProviderCommand({ Name: 'Bad', SAMLMetadataDocument: document })),
        ),
      ).toEqual({
        name: 'InvalidInputException',
        status: 400,
        message: 'Could not parse metadata',
      });
    }
    // Shorter than the model's 1,000 characters.
    const short = await failure(
      iam.send(new CreateSAMLProviderCommand({ Name: 'Bad', SAMLMetadataDocument: '<x/>' })),
    );
    expect(short.name).toBe('ValidationError');
    expect(short.message).toContain('greater than or equal to 1000');
  });
});

describe('roles', () => {
  let providerArn = '';

  beforeAll(async () => {
    providerArn =
      (await iam.send(new CreateSAMLProviderCommand({ Name: 'RoleIdp', SAMLMetadataDocument: METADATA })))
        .SAMLProviderArn ?? '';
  });

  it('creates a SAML role with its trust policy URL-encoded, reads, updates and deletes it', async () => {
    const trust = guideTrustPolicy(providerArn);
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'ConnectAgent',
        AssumeRolePolicyDocument: trust,
        Description: 'Okta SSO into Connect',
        Tags: [{ Key: 'app', Value: 'connect' }],
      }),
    );
    expect(created.Role).toMatchObject({
      RoleName: 'ConnectAgent',
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/ConnectAgent`,
      AssumeRolePolicyDocument: encodeURIComponent(trust),
      Description: 'Okta SSO into Connect',
      Tags: [{ Key: 'app', Value: 'connect' }],
    });
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);

    const got = await iam.send(new GetRoleCommand({ RoleName: 'connectagent' }));
    expect(got.Role).toMatchObject({ RoleName: 'ConnectAgent', MaxSessionDuration: 3600, RoleLastUsed: {} });
    expect(JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''))).toEqual(
      JSON.parse(trust),
    );

    expect(
      await failure(
        iam.send(new CreateRoleCommand({ RoleName: 'CONNECTAGENT', AssumeRolePolicyDocument: trust })),
      ),
    ).toEqual({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: 'Role with name CONNECTAGENT already exists.',
    });

    await iam.send(
      new UpdateRoleCommand({ RoleName: 'ConnectAgent', MaxSessionDuration: 43200, Description: 'new' }),
    );
    expect((await iam.send(new GetRoleCommand({ RoleName: 'ConnectAgent' }))).Role).toMatchObject({
      MaxSessionDuration: 43200,
      Description: 'new',
    });
    const tooLong = await failure(
      iam.send(new UpdateRoleCommand({ RoleName: 'ConnectAgent', MaxSessionDuration: 50000 })),
    );
    expect(tooLong).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(tooLong.message).toContain('maxSessionDuration');

    const regional = JSON.stringify({
      ...JSON.parse(trust),
      Statement: [
        {
          ...JSON.parse(trust).Statement[0],
          Condition: {
            StringEquals: {
              'SAML:aud': [
                'https://signin.aws.amazon.com/saml',
                'https://us-west-2.signin.aws.amazon.com/saml',
              ],
            },
          },
        },
      ],
    });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ConnectAgent', PolicyDocument: regional }));
    expect(
      (await iam.send(new GetRoleCommand({ RoleName: 'ConnectAgent' }))).Role?.AssumeRolePolicyDocument,
    ).toBe(encodeURIComponent(regional));
    const badUpdate = await failure(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: 'ConnectAgent',
          PolicyDocument: allow('iam:ListRoles'),
        }),
      ),
    );
    expect(badUpdate.name).toBe('MalformedPolicyDocumentException');

    // Managed policies on the role.
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ConnectAgent', PolicyArn: admin }));
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'ConnectAgent' }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: admin }]);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'ConnectAgent' }))).PolicyNames).toEqual(
      [],
    );
    expect(await failure(iam.send(new DeleteRoleCommand({ RoleName: 'ConnectAgent' })))).toEqual({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'ConnectAgent', PolicyArn: admin }));

    await iam.send(new DeleteRoleCommand({ RoleName: 'ConnectAgent' }));
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: 'ConnectAgent' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The role with name ConnectAgent cannot be found.',
    });
  });

  it('refuses a trust policy naming a SAML provider that does not exist', async () => {
    const missing = `arn:aws:iam::${ACCOUNT}:saml-provider/Missing`;
    expect(
      await failure(
        iam.send(
          new CreateRoleCommand({ RoleName: 'Orphan', AssumeRolePolicyDocument: guideTrustPolicy(missing) }),
        ),
      ),
    ).toEqual({
      name: 'MalformedPolicyDocumentException',
      status: 400,
      message: `Invalid principal in policy: "Federated":"${missing}"`,
    });
    expect(
      (
        await failure(
          iam.send(new CreateRoleCommand({ RoleName: 'Orphan', AssumeRolePolicyDocument: '{"Version":' })),
        )
      ).message,
    ).toBe('This policy contains invalid Json');
  });

  it('lists roles by path, page by page', async () => {
    for (const name of ['r-a', 'r-b', 'r-c', 'r-d', 'r-e']) {
      await iam.send(
        new CreateRoleCommand({ RoleName: name, Path: '/listed/', AssumeRolePolicyDocument: serviceTrust }),
      );
    }
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/listed/', MaxItems: 2 }));
    expect(first.Roles?.map((r) => r.RoleName)).toEqual(['r-a', 'r-b']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Roles?.[0]).toMatchObject({
      Arn: `arn:aws:iam::${ACCOUNT}:role/listed/r-a`,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: encodeURIComponent(serviceTrust),
    });
    const rest = await iam.send(new ListRolesCommand({ PathPrefix: '/listed/', Marker: first.Marker }));
    expect(rest.Roles?.map((r) => r.RoleName)).toEqual(['r-c', 'r-d', 'r-e']);
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Marker).toBeUndefined();
  });

  it('tags roles: merge without case, at most 50, no duplicate keys', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Tagged',
        AssumeRolePolicyDocument: serviceTrust,
        Tags: [{ Key: 'a', Value: '1' }],
      }),
    );
    await iam.send(
      new TagRoleCommand({
        RoleName: 'Tagged',
        Tags: [
          { Key: 'A', Value: '2' },
          { Key: 'b', Value: '3' },
        ],
      }),
    );
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'Tagged' }))).Tags).toEqual([
      { Key: 'A', Value: '2' },
      { Key: 'b', Value: '3' },
    ]);
    await iam.send(new UntagRoleCommand({ RoleName: 'Tagged', TagKeys: ['a'] }));
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await failure(iam.send(new TagRoleCommand({ RoleName: 'Tagged', Tags: many })))).toMatchObject({
      name: 'LimitExceededException',
      status: 409,
    });
    expect(
      await failure(
        iam.send(
          new TagRoleCommand({
            RoleName: 'Tagged',
            Tags: [
              { Key: 'x', Value: '1' },
              { Key: 'X', Value: '2' },
            ],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidInputException', status: 400 });
    const paged = await iam.send(new ListRoleTagsCommand({ RoleName: 'Tagged', MaxItems: 1 }));
    expect(paged).toMatchObject({ Tags: [{ Key: 'b', Value: '3' }], IsTruncated: false });
  });

  it('answers ListAccountAliases with an empty list', async () => {
    const aliases = await iam.send(new ListAccountAliasesCommand({}));
    expect(aliases.AccountAliases).toEqual([]);
    expect(aliases.IsTruncated).toBe(false);
  });
});

describe('eventual consistency of new SAML providers', () => {
  it('does not accept a provider as a principal until iamConsistencyMs has passed', async () => {
    let now = Date.now();
    const slow = await startTestSandbox({ accountId: ACCOUNT, iamConsistencyMs: 60_000, now: () => now });
    try {
      const client = iamClient(slow);
      const { SAMLProviderArn } = await client.send(
        new CreateSAMLProviderCommand({ Name: 'Fresh', SAMLMetadataDocument: METADATA }),
      );
      const trust = guideTrustPolicy(SAMLProviderArn ?? '');
      expect(
        await failure(
          client.send(new CreateRoleCommand({ RoleName: 'Early', AssumeRolePolicyDocument: trust })),
        ),
      ).toEqual({
        name: 'MalformedPolicyDocumentException',
        status: 400,
        message: `Invalid principal in policy: "Federated":"${SAMLProviderArn}"`,
      });
      now += 61_000;
      const role = await client.send(
        new CreateRoleCommand({ RoleName: 'Early', AssumeRolePolicyDocument: trust }),
      );
      expect(role.Role?.RoleName).toBe('Early');
    } finally {
      await slow.stop();
    }
  });
});

describe('writes on entities that do not exist', () => {
  it('answer NoSuchEntity in the words of each entity', async () => {
    const role = 'The role with name Ghost cannot be found.';
    const user = 'The user with name Ghost cannot be found.';
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/Ghost`;
    const policy = `Policy ${policyArn} was not found.`;
    const providerArn = `arn:aws:iam::${ACCOUNT}:saml-provider/Ghost`;
    const provider = `Manifest not found for arn ${providerArn}`;
    const tags = [{ Key: 'k', Value: 'v' }];
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const cases: [() => Promise<unknown>, string][] = [
      [() => iam.send(new UpdateRoleCommand({ RoleName: 'Ghost', Description: 'x' })), role],
      [
        () =>
          iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Ghost', PolicyDocument: serviceTrust })),
        role,
      ],
      [() => iam.send(new AttachRolePolicyCommand({ RoleName: 'Ghost', PolicyArn: admin })), role],
      [() => iam.send(new DetachRolePolicyCommand({ RoleName: 'Ghost', PolicyArn: admin })), role],
      [() => iam.send(new TagRoleCommand({ RoleName: 'Ghost', Tags: tags })), role],
      [() => iam.send(new UntagRoleCommand({ RoleName: 'Ghost', TagKeys: ['k'] })), role],
      [() => iam.send(new DeleteRoleCommand({ RoleName: 'Ghost' })), role],
      [() => iam.send(new AttachUserPolicyCommand({ UserName: 'Ghost', PolicyArn: admin })), user],
      [() => iam.send(new DetachUserPolicyCommand({ UserName: 'Ghost', PolicyArn: admin })), user],
      [() => iam.send(new TagUserCommand({ UserName: 'Ghost', Tags: tags })), user],
      [() => iam.send(new UntagUserCommand({ UserName: 'Ghost', TagKeys: ['k'] })), user],
      [() => iam.send(new CreateAccessKeyCommand({ UserName: 'Ghost' })), user],
      [() => iam.send(new ListAccessKeysCommand({ UserName: 'Ghost' })), user],
      [() => iam.send(new DeleteUserCommand({ UserName: 'Ghost' })), user],
      [
        () =>
          iam.send(
            new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: allow('iam:ListRoles') }),
          ),
        policy,
      ],
      [() => iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' })), policy],
      [() => iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' })), policy],
      [() => iam.send(new TagPolicyCommand({ PolicyArn: policyArn, Tags: tags })), policy],
      [() => iam.send(new UntagPolicyCommand({ PolicyArn: policyArn, TagKeys: ['k'] })), policy],
      [() => iam.send(new DeletePolicyCommand({ PolicyArn: policyArn })), policy],
      [
        () =>
          iam.send(
            new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn, SAMLMetadataDocument: METADATA }),
          ),
        provider,
      ],
      [() => iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: providerArn, Tags: tags })), provider],
      [
        () => iam.send(new UntagSAMLProviderCommand({ SAMLProviderArn: providerArn, TagKeys: ['k'] })),
        provider,
      ],
      [() => iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: providerArn })), provider],
    ];
    for (const [call, message] of cases) {
      expect(await failure(call())).toEqual({ name: 'NoSuchEntityException', status: 404, message });
    }
  });
});

describe('request log', () => {
  it('records each IAM operation with its write flag, status and error code', async () => {
    sb.resetRequests();
    await iam.send(new CreateRoleCommand({ RoleName: 'Logged', AssumeRolePolicyDocument: serviceTrust }));
    await iam.send(new ListRolesCommand({}));
    await failure(iam.send(new GetRoleCommand({ RoleName: 'NotThere' })));
    expect(sb.requests().map(({ ms: _ms, ...entry }) => entry)).toEqual([
      { service: 'iam', operation: 'CreateRole', write: true, status: 200 },
      { service: 'iam', operation: 'ListRoles', write: false, status: 200 },
      { service: 'iam', operation: 'GetRole', write: false, status: 404, errorCode: 'NoSuchEntity' },
    ]);
  });
});

describe('wire details', () => {
  const ctx = (): EmulatorContext => ({
    accountId: ACCOUNT,
    region: 'us-east-1',
    origin: 'http://127.0.0.1:1',
    instanceCreationMs: 0,
    iamConsistencyMs: 0,
    failInstanceAliases: [],
    state: createState({ accessKeyId: 'AKIAROOT', secretAccessKey: 's', oktaToken: 't', rng: 1 }),
    now: () => 0,
    randomId: (n) => 'A'.repeat(n),
    uuid: () => '00000000-0000-4000-8000-000000000000',
    requestId: () => 'req-1',
  });
  const request = (body: string): SandboxRequest => ({
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body),
  });

  it('answers InvalidAction for an operation IAM does not have, in the <ErrorResponse> envelope', () => {
    const emulator = createIamEmulator();
    const c = ctx();
    const resolve = (body: string): ServiceError => {
      try {
        emulator.resolve(request(body), c);
      } catch (error) {
        if (error instanceof ServiceError) return error;
        throw error;
      }
      throw new Error('expected resolve to throw');
    };
    const err = resolve('Action=CreateGizmo&Version=2010-05-08');
    expect([err.code, err.status]).toEqual(['InvalidAction', 400]);
    const rendered = emulator.renderError(err, c, request(''));
    expect(rendered.status).toBe(400);
    expect(String(rendered.body)).toContain('<Code>InvalidAction</Code>');
    expect(String(rendered.body)).toContain('<Type>Sender</Type>');
    // An operation IAM has but the sandbox does not emulate is named instead.
    const unemulated = resolve('Action=CreateGroup&Version=2010-05-08&GroupName=g');
    expect([unemulated.code, unemulated.status, unemulated.message]).toEqual([
      'NotImplemented',
      501,
      'The sandbox does not emulate AWS IAM CreateGroup.',
    ]);
    expect(String(emulator.renderError(unemulated, c, request('')).body)).toContain(
      '<Type>Receiver</Type><Code>NotImplemented</Code>',
    );
  });

  it('serializes a write as an XML response with the request id', async () => {
    const emulator = createIamEmulator();
    const op = emulator.resolve(request('Action=CreateUser&Version=2010-05-08&UserName=u1'), ctx());
    expect([op.operation, op.write, op.action]).toEqual(['CreateUser', true, 'iam:CreateUser']);
    const response = await op.run();
    expect(response.status).toBe(200);
    expect(String(response.body)).toMatch(
      /^<CreateUserResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/">/,
    );
    expect(String(response.body)).toContain('<RequestId>req-1</RequestId>');
  });

  it('reads the fixture as SAML metadata: entity id and one signing certificate', () => {
    const metadata = parseSamlMetadata(METADATA);
    expect(metadata?.entityId).toBe('http://www.okta.com/exkkwraz4e5opgu6j1d7');
    expect(metadata?.signingCertificates).toHaveLength(1);
    expect(metadata?.validUntil).toBeUndefined();
  });
});
