/**
 * Teardown of guide step 4: the IAM user Okta's API integration signs in with. Its access keys go
 * first (each is its own resource: the key Okta holds stops working at once), then its policies are
 * detached, then the user — what IAM requires (`DeleteConflict` otherwise).
 */
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send } from '../../providers/aws/send.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import { alreadyGone } from '../already-gone.js';
import { attachedPolicies, getUser, inlinePolicies, listKeys } from './read.js';

/** Input of {@link destroyOktaApiUser}. */
export interface DestroyOktaApiUserInput extends DestroyStepOptions {
  /** The IAM user's name. Default `okta_cli_user`. */
  userName?: string;
}

/**
 * Delete this stack's Okta API user: every access key, then its managed policies detached and inline
 * policies deleted, then the user. Returns one record per access key, then the user's.
 *
 * Reads: `GetUser` (ownership tags), `ListAccessKeys`, `ListAttachedUserPolicies`, `ListUserPolicies`.
 * Writes: `DeleteAccessKey`, `DetachUserPolicy`, `DeleteUserPolicy`, `DeleteUser`. A user without this
 * stack's tags is `foreign` and untouched (its keys too); a missing one is `absent` (no write).
 *
 * @throws {ConfigError} a bad user name, before any call.
 * @throws {ConflictError} IAM answers `DeleteConflict` (the user has a console password, an MFA device,
 *   signing certificates, SSH keys, service credentials or groups that this library never makes): the
 *   message lists the commands that remove them.
 * @throws {ProviderError} any other IAM error.
 */
export async function destroyOktaApiUser(
  ctx: SsoContext,
  input: DestroyOktaApiUserInput = {},
): Promise<DestroyRecord[]> {
  const userName = input.userName ?? 'okta_cli_user';
  if (typeof userName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(userName)) {
    throw new ConfigError('userName', `expected an IAM user name, got ${String(userName)}`);
  }
  const dryRun = input.dryRun === true;
  const resource = `iam user ${userName}`;

  const user = await getUser(ctx, userName);
  if (!user) return [destroyRecord('iam-user', resource, undefined, 'absent', 'no such user', dryRun)];
  const arn = user.Arn;
  const owner = ownershipOf(ctx, user.Tags);
  if (owner !== 'ours') {
    return [
      destroyRecord(
        'iam-user',
        resource,
        arn,
        'foreign',
        `it ${ownerDescription(ctx, owner, user.Tags)}`,
        dryRun,
      ),
    ];
  }

  const keys = (await listKeys(ctx, userName)).map((k) => k.accessKeyId);
  const attached = await attachedPolicies(ctx, userName);
  const inline = await inlinePolicies(ctx, userName);
  const records: DestroyRecord[] = [];
  for (const keyId of keys) {
    if (!dryRun) {
      await send(ctx, 'iam', 'DeleteAccessKey', { UserName: userName, AccessKeyId: keyId }).catch(
        alreadyGone,
      );
      ctx.logger.info(`deleted access key ${keyId} of ${resource}`);
    }
    records.push(
      destroyRecord(
        'iam-access-key',
        `iam access key ${keyId} of ${userName}`,
        keyId,
        'delete',
        'delete the key (Okta can no longer import roles with it)',
        dryRun,
      ),
    );
  }
  const steps = [
    ...(keys.length > 0 ? [`after its ${keys.length} access key(s)`] : []),
    ...attached.map((p) => `detach ${p.split(':policy/')[1] ?? p}`),
    ...inline.map((p) => `delete inline policy ${p}`),
    'delete the user',
  ];
  const reason = steps.join(', then ');
  if (!dryRun) {
    for (const policyArn of attached) {
      await send(ctx, 'iam', 'DetachUserPolicy', { UserName: userName, PolicyArn: policyArn }).catch(
        alreadyGone,
      );
      ctx.logger.info(`detached ${policyArn} from ${resource}`);
    }
    for (const policyName of inline) {
      await send(ctx, 'iam', 'DeleteUserPolicy', { UserName: userName, PolicyName: policyName }).catch(
        alreadyGone,
      );
      ctx.logger.info(`deleted inline policy ${policyName} of ${resource}`);
    }
    try {
      await send(ctx, 'iam', 'DeleteUser', { UserName: userName });
      ctx.logger.info(`deleted ${resource}`, { arn });
    } catch (error) {
      if (isAwsError(error, 'DeleteConflict')) {
        const u = `--user-name ${userName}`;
        throw new ConflictError(
          resource,
          `IAM refused to delete ${resource} (DeleteConflict: ${(error as Error).message}). The library ` +
            'gives this user only access keys and one policy; something else was added to it. Remove ' +
            `each of: the console password (aws iam delete-login-profile ${u}), MFA devices (aws iam ` +
            `list-mfa-devices ${u}), signing certificates (aws iam list-signing-certificates ${u}), SSH keys ` +
            `(aws iam list-ssh-public-keys ${u}), service credentials (aws iam ` +
            `list-service-specific-credentials ${u}), groups (aws iam list-groups-for-user ${u}) and ` +
            `policies (aws iam list-attached-user-policies ${u}), then run the teardown again.`,
          { cause: error },
        );
      }
      alreadyGone(error);
    }
  }
  records.push(destroyRecord('iam-user', resource, arn, 'delete', reason, dryRun));
  return records;
}
