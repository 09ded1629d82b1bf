/**
 * The emulated AWS Secrets Manager (awsJson1.1: `POST /`, `X-Amz-Target: secretsmanager.<Op>`, JSON in and
 * out, errors as `{"__type", "Message"}`), just enough for the library's `secrets-manager` secret sink
 * and for users who read the stored key back: CreateSecret, GetSecretValue, DescribeSecret,
 * PutSecretValue, DeleteSecret, ListSecrets.
 */
import type {
  EmulatorContext,
  ResolvedOperation,
  SandboxRequest,
  SandboxResponse,
  ServiceEmulator,
} from '../emulator.js';
import { notImplemented, ServiceError } from '../emulator.js';

import type { StoredSecret } from './state.js';

export { createSecretsManagerState, type SecretsManagerState, type StoredSecret } from './state.js';

const NAME = /^[\w/+=.@-]{1,512}$/;
const TARGET_PREFIX = 'secretsmanager.';

const err = (code: string, message: string, status = 400) => new ServiceError(code, message, status);
const notFound = () => err('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const epochSeconds = (ms: number) => ms / 1000;

function str(input: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (required) throw err('InvalidParameterException', `Invalid parameter: ${key} is required.`);
    return undefined;
  }
  if (typeof value !== 'string')
    throw err('InvalidParameterException', `Invalid parameter: ${key} must be a string.`);
  return value;
}

function find(ctx: EmulatorContext, secretId: string): StoredSecret {
  const state = ctx.state.secretsmanager;
  const secret =
    state.secrets[secretId] ??
    Object.values(state.secrets).find((s) => s.arn === secretId || s.arn.startsWith(`${secretId}-`));
  if (!secret) throw notFound();
  if (secret.deletedAt !== undefined) {
    throw err(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
  }
  return secret;
}

function addVersion(ctx: EmulatorContext, secret: StoredSecret, secretString: string): string {
  for (const v of secret.versions) {
    v.stages = v.stages.includes('AWSCURRENT')
      ? ['AWSPREVIOUS']
      : v.stages.filter((s) => s !== 'AWSPREVIOUS');
  }
  const versionId = ctx.uuid();
  secret.versions = secret.versions.filter((v) => v.stages.length > 0);
  secret.versions.push({ versionId, secretString, createdAt: ctx.now(), stages: ['AWSCURRENT'] });
  secret.lastChangedAt = ctx.now();
  return versionId;
}

type Handler = (ctx: EmulatorContext, input: Record<string, unknown>) => object;

const HANDLERS: Record<string, { write: boolean; run: Handler }> = {
  CreateSecret: {
    write: true,
    run(ctx, input) {
      const name = str(input, 'Name', true) as string;
      if (!NAME.test(name)) {
        throw err(
          'InvalidParameterException',
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      }
      const state = ctx.state.secretsmanager;
      if (state.secrets[name]) {
        throw err(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      }
      const secretString = str(input, 'SecretString', false);
      const tags = Array.isArray(input.Tags) ? (input.Tags as { Key: string; Value: string }[]) : [];
      const secret: StoredSecret = {
        arn: `arn:aws:secretsmanager:${ctx.signedRegion ?? ctx.region}:${ctx.accountId}:secret:${name}-${ctx.randomId(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
        name,
        description: str(input, 'Description', false),
        kmsKeyId: str(input, 'KmsKeyId', false),
        tags: tags.map((t) => ({ Key: String(t.Key), Value: String(t.Value) })),
        createdAt: ctx.now(),
        lastChangedAt: ctx.now(),
        deletedAt: undefined,
        versions: [],
      };
      state.secrets[name] = secret;
      const versionId = secretString === undefined ? undefined : addVersion(ctx, secret, secretString);
      return { ARN: secret.arn, Name: name, ...(versionId ? { VersionId: versionId } : {}) };
    },
  },
  GetSecretValue: {
    write: false,
    run(ctx, input) {
      const secret = find(ctx, str(input, 'SecretId', true) as string);
      const versionId = str(input, 'VersionId', false);
      const stage = str(input, 'VersionStage', false) ?? 'AWSCURRENT';
      const version = versionId
        ? secret.versions.find((v) => v.versionId === versionId)
        : secret.versions.find((v) => v.stages.includes(stage));
      if (!version)
        throw err(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        );
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: version.stages,
        CreatedDate: epochSeconds(version.createdAt),
      };
    },
  },
  DescribeSecret: {
    write: false,
    run(ctx, input) {
      const secret = find(ctx, str(input, 'SecretId', true) as string);
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.description ? { Description: secret.description } : {}),
        ...(secret.kmsKeyId ? { KmsKeyId: secret.kmsKeyId } : {}),
        Tags: secret.tags,
        CreatedDate: epochSeconds(secret.createdAt),
        LastChangedDate: epochSeconds(secret.lastChangedAt),
        VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.versionId, v.stages])),
      };
    },
  },
  PutSecretValue: {
    write: true,
    run(ctx, input) {
      const secret = find(ctx, str(input, 'SecretId', true) as string);
      const versionId = addVersion(ctx, secret, str(input, 'SecretString', true) as string);
      return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: ['AWSCURRENT'] };
    },
  },
  DeleteSecret: {
    write: true,
    run(ctx, input) {
      const secret = find(ctx, str(input, 'SecretId', true) as string);
      const at = ctx.now();
      if (input.ForceDeleteWithoutRecovery === true) delete ctx.state.secretsmanager.secrets[secret.name];
      else secret.deletedAt = at;
      const days = typeof input.RecoveryWindowInDays === 'number' ? input.RecoveryWindowInDays : 30;
      const deletion = input.ForceDeleteWithoutRecovery === true ? at : at + days * 86_400_000;
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(deletion) };
    },
  },
  ListSecrets: {
    write: false,
    run(ctx) {
      const list = Object.values(ctx.state.secretsmanager.secrets)
        .filter((s) => s.deletedAt === undefined)
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((s) => ({
          ARN: s.arn,
          Name: s.name,
          Tags: s.tags,
          CreatedDate: epochSeconds(s.createdAt),
          LastChangedDate: epochSeconds(s.lastChangedAt),
        }));
      return { SecretList: list };
    },
  },
};

export function createSecretsManagerEmulator(): ServiceEmulator {
  return {
    service: 'secretsmanager',
    resolve(req: SandboxRequest, ctx: EmulatorContext): ResolvedOperation {
      const target = req.headers['x-amz-target'] ?? '';
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const handler = Object.hasOwn(HANDLERS, operation) ? HANDLERS[operation] : undefined;
      if (req.method === 'POST' && !handler && /^secretsmanager\.[A-Z][A-Za-z]+$/.test(target)) {
        // A Secrets Manager operation the sandbox does not emulate (RotateSecret, TagResource…), named.
        throw notImplemented('AWS Secrets Manager', operation);
      }
      if (req.method !== 'POST' || !handler) {
        throw err('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
      }
      return {
        operation,
        write: handler.write,
        action: `secretsmanager:${operation}`,
        run: () => {
          let input: unknown;
          try {
            input = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
          } catch {
            throw err('SerializationException', 'Start of structure or map found where not expected.');
          }
          if (typeof input !== 'object' || input === null || Array.isArray(input)) {
            throw err('SerializationException', 'Start of structure or map found where not expected.');
          }
          return json(200, handler.run(ctx, input as Record<string, unknown>), ctx);
        },
      };
    },
    renderError(error: ServiceError, ctx: EmulatorContext): SandboxResponse {
      return {
        status: error.status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': ctx.requestId(),
          ...error.extra.headers,
        },
        body: JSON.stringify({ __type: error.code, Message: error.message }),
      };
    },
    throttleError(): ServiceError {
      return err('ThrottlingException', 'Rate exceeded');
    },
    internalError(): ServiceError {
      return err('InternalServiceError', 'An error occurred on the server side.', 500);
    },
  };
}

function json(status: number, body: object, ctx: EmulatorContext): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': ctx.requestId() },
    body: JSON.stringify(body),
  };
}
