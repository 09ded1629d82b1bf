/**
 * The sandbox's Secrets Manager, through the real @aws-sdk/client-secrets-manager.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox } from '../helpers.js';

describe('sandbox Secrets Manager', () => {
  let sb: Sandbox;
  let sm: SecretsManagerClient;
  beforeAll(async () => {
    sb = await startTestSandbox();
    sm = new SecretsManagerClient({ ...sb.aws, maxAttempts: 1 });
  });
  afterAll(() => sb.stop());

  it('creates, reads, versions, lists and deletes a secret', async () => {
    const created = await sm.send(
      new CreateSecretCommand({ Name: 'app/key', SecretString: 'one', Description: 'd' }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:123456789012:secret:app\/key-[A-Za-z]{6}$/,
    );
    const first = await sm.send(new GetSecretValueCommand({ SecretId: 'app/key' }));
    expect(first).toMatchObject({ SecretString: 'one', VersionStages: ['AWSCURRENT'], Name: 'app/key' });
    expect(first.CreatedDate).toBeInstanceOf(Date);

    await sm.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'two' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/key' }))).SecretString).toBe('two');
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: 'app/key', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('one');
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'app/key' }));
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([
      ['AWSCURRENT'],
      ['AWSPREVIOUS'],
    ]);
    expect((await sm.send(new ListSecretsCommand({}))).SecretList?.map((s) => s.Name)).toEqual(['app/key']);

    await sm.send(new DeleteSecretCommand({ SecretId: 'app/key', ForceDeleteWithoutRecovery: true }));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'app/key' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('answers with Secrets Manager’s errors', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'x' }));
    await expect(sm.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'y' }))).rejects.toMatchObject({
      name: 'ResourceExistsException',
      message: 'The operation failed because the secret dup already exists.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
    await sm.send(new DeleteSecretCommand({ SecretId: 'dup' }));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'dup' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    expect(JSON.stringify(sb.state())).not.toContain('"x"');
  });
});
