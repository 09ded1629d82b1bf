/**
 * Delivery of a newly created Okta access key's secret: straight to where it is needed, never to a log.
 */
import { open, readFile } from 'node:fs/promises';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConnectSsoError, ProviderError } from '../../core/errors.js';
import type { Secret } from '../../core/secret.js';
import { ownerDescription, ownershipOf, ownershipTags } from '../../providers/aws/tags.js';
import type { SecretSink } from '../plan.js';

/** A readable description of where a secret goes, for results and the manual-step instructions. */
export function describeSink(sink: SecretSink): string {
  switch (sink.kind) {
    case 'return':
      return 'the run result (accessKey.secretAccessKey)';
    case 'file':
      return `the file ${sink.path}`;
    case 'secrets-manager':
      return `the AWS Secrets Manager secret ${sink.name}`;
  }
}

/** Check a sink before the run writes anything. */
export function checkSink(sink: SecretSink): void {
  if (sink.kind === 'file' && (typeof sink.path !== 'string' || sink.path.length === 0)) {
    throw new ConfigError('secretSink.path', 'a file path is required');
  }
  if (sink.kind === 'secrets-manager' && !/^[\w/+=.@-]{1,512}$/.test(sink.name ?? '')) {
    throw new ConfigError(
      'secretSink.name',
      'a Secrets Manager secret name: 1–512 of A-Z a-z 0-9 / _ + = . @ -',
    );
  }
}

/**
 * Whether the sink already holds the secret of `accessKeyId` — a run that stopped after saving it but
 * before recording the delivery. Only a file can be checked (its CSV row names the key); `return` never
 * holds anything after its run, and a Secrets Manager secret is not read back (it would need
 * `secretsmanager:GetSecretValue`).
 */
export async function sinkHolds(sink: SecretSink, accessKeyId: string): Promise<boolean> {
  if (sink.kind !== 'file') return false;
  let text: string;
  try {
    text = await readFile(sink.path, 'utf8');
  } catch {
    return false;
  }
  return text.split(/\r?\n/).some((line) => line.split(',')[0]?.trim() === accessKeyId);
}

/**
 * Deliver the key. `return` leaves it in the result; `file` writes the AWS console's CSV layout to a
 * new 0600 file; `secrets-manager` stores `{"accessKeyId","secretAccessKey"}` in a secret (a new version
 * when the secret exists and is this stack's; never in another's).
 */
export async function deliverSecret(
  ctx: SsoContext,
  sink: SecretSink,
  key: { accessKeyId: string; secretAccessKey: Secret },
): Promise<void> {
  if (sink.kind === 'return') return;
  if (sink.kind === 'file') {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(sink.path, 'wx', 0o600);
    } catch (error) {
      throw new ConnectSsoError(
        'SECRET_DELIVERY_FAILED',
        `cannot create ${sink.path} for the access key ${key.accessKeyId}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. ` +
          'The key exists in IAM but its secret was not saved: run again with accessKey: "rotate" to make a new one.',
        { cause: error },
      );
    }
    try {
      await handle.writeFile(
        `Access key ID,Secret access key\n${key.accessKeyId},${key.secretAccessKey.reveal()}\n`,
      );
    } finally {
      await handle.close();
    }
    ctx.logger.info(`saved the secret of access key ${key.accessKeyId} to ${sink.path}`);
    return;
  }
  const { module, client } = await secretsManager(ctx);
  const secretString = JSON.stringify({
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey.reveal(),
  });
  const fail = (operation: string, error: unknown, why?: string) =>
    new ProviderError({
      service: 'secrets-manager',
      operation,
      message: `${why ?? (error as Error).message} — the key ${key.accessKeyId} exists in IAM but its secret was not stored: run again with accessKey: "rotate"`,
      providerCode: (error as { name?: string }).name,
      requestId: (error as { $metadata?: { requestId?: string } }).$metadata?.requestId,
      cause: error,
    });
  try {
    await client.send(
      new module.CreateSecretCommand({
        Name: sink.name,
        ...(sink.kmsKeyId ? { KmsKeyId: sink.kmsKeyId } : {}),
        Description: `Okta API integration key of connect-okta-sso stack ${ctx.stack}`,
        SecretString: secretString,
        Tags: ownershipTags(ctx),
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceExistsException') throw fail('CreateSecret', error);
    // The secret exists: a rotation, or a run that lost its answer. Ours gets a new version; another
    // stack's or a foreign one is never overwritten.
    let tags: { Key?: string | undefined; Value?: string | undefined }[] = [];
    try {
      tags = (await client.send(new module.DescribeSecretCommand({ SecretId: sink.name }))).Tags ?? [];
    } catch (describeError) {
      throw fail('DescribeSecret', describeError);
    }
    const owner = ownershipOf(ctx, tags);
    if (owner !== 'ours') {
      throw fail(
        'CreateSecret',
        error,
        `the secret ${sink.name} exists and ${ownerDescription(ctx, owner, tags)}`,
      );
    }
    try {
      await client.send(
        new module.PutSecretValueCommand({ SecretId: sink.name, SecretString: secretString }),
      );
    } catch (putError) {
      throw fail('PutSecretValue', putError);
    }
  }
  ctx.logger.info(
    `stored the secret of access key ${key.accessKeyId} in Secrets Manager secret ${sink.name}`,
  );
}

/** The Secrets Manager client, with the IAM client's account, credentials and endpoint override. */
async function secretsManager(ctx: SsoContext) {
  let module: typeof import('@aws-sdk/client-secrets-manager');
  try {
    module = await import('@aws-sdk/client-secrets-manager');
  } catch {
    throw new ConfigError(
      'secretSink',
      "the 'secrets-manager' sink needs the optional package @aws-sdk/client-secrets-manager (npm install @aws-sdk/client-secrets-manager)",
    );
  }
  // The same account, credentials and endpoint override (a sandbox, LocalStack) as the IAM client.
  const endpoint = await ctx.iam.config.endpoint?.();
  const client = new module.SecretsManagerClient({
    region: ctx.region,
    credentials: ctx.iam.config.credentials,
    maxAttempts: await ctx.iam.config.maxAttempts(),
    ...(endpoint
      ? {
          endpoint: `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}${endpoint.path}`,
        }
      : {}),
  });
  return { module, client };
}

/**
 * Before a run writes anything: a `secrets-manager` sink must not name another stack's or a foreign
 * secret (the run would create a key it then cannot store).
 * @throws {ConfigError} (`secretSink.name`).
 */
export async function preflightSink(ctx: SsoContext, sink: SecretSink): Promise<void> {
  if (sink.kind !== 'secrets-manager') return;
  const { module, client } = await secretsManager(ctx);
  let tags: { Key?: string | undefined; Value?: string | undefined }[];
  try {
    tags = (await client.send(new module.DescribeSecretCommand({ SecretId: sink.name }))).Tags ?? [];
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return;
    throw new ProviderError({
      service: 'secrets-manager',
      operation: 'DescribeSecret',
      message: (error as Error).message,
      providerCode: (error as { name?: string }).name,
      requestId: (error as { $metadata?: { requestId?: string } }).$metadata?.requestId,
      cause: error,
    });
  }
  const owner = ownershipOf(ctx, tags);
  if (owner !== 'ours') {
    throw new ConfigError(
      'secretSink.name',
      `the Secrets Manager secret ${sink.name} exists and ${ownerDescription(ctx, owner, tags)}; name another secret`,
    );
  }
}
