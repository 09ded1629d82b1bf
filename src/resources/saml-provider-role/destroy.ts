/**
 * Teardown of guide step 7: the IAM role users assume (its policies detached first) and the IAM SAML
 * identity provider it trusts — in that order, the reverse of their creation.
 *
 * IAM refuses `DeleteRole` (`DeleteConflict`) while the role has attached managed policies, inline
 * policies or is in an instance profile. The step detaches the managed policies and deletes the inline
 * ones (they are part of this stack's role); an instance profile is someone else's resource, so a role
 * held by one is reported with the command that frees it.
 */
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send } from '../../providers/aws/send.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import { alreadyGone } from '../already-gone.js';
import { attachedPolicies, findProvider, findRole, inlinePolicies } from './read.js';

/** Input of {@link destroySamlRole}. */
export interface DestroySamlRoleInput extends DestroyStepOptions {
  /** The role's name. Default `Okta_Role`. */
  roleName?: string;
}

/** Input of {@link destroySamlProvider}. */
export interface DestroySamlProviderInput extends DestroyStepOptions {
  /** The IAM SAML provider's name. Default `Okta_Connect_Admin`. */
  providerName?: string;
}

const IAM_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Delete this stack's SAML role: detach its managed policies, delete its inline policies, then the role.
 *
 * Reads: `GetRole` (ownership tags), `ListAttachedRolePolicies`, `ListRolePolicies`. Writes:
 * `DetachRolePolicy`, `DeleteRolePolicy`, `DeleteRole`. A role without this stack's tags is `foreign`
 * and untouched; a missing one is `absent` (no write).
 *
 * @throws {ConfigError} a bad role name, before any call.
 * @throws {ConflictError} IAM answers `DeleteConflict` (the role is in an instance profile, or a policy
 *   was attached meanwhile): the message says what to check and the commands that free the role.
 * @throws {ProviderError} any other IAM error.
 */
export async function destroySamlRole(
  ctx: SsoContext,
  input: DestroySamlRoleInput = {},
): Promise<DestroyRecord> {
  const roleName = input.roleName ?? 'Okta_Role';
  if (typeof roleName !== 'string' || !IAM_NAME.test(roleName)) {
    throw new ConfigError('roleName', `expected an IAM role name, got ${String(roleName)}`);
  }
  const dryRun = input.dryRun === true;
  const resource = `iam role ${roleName}`;
  const record = (id: string | undefined, action: DestroyRecord['action'], reason: string) =>
    destroyRecord('iam-role', resource, id, action, reason, dryRun);

  const role = await findRole(ctx, roleName);
  if (!role) return record(undefined, 'absent', 'no such role');
  const arn = role.Arn;
  const owner = ownershipOf(ctx, role.Tags);
  if (owner !== 'ours') return record(arn, 'foreign', `it ${ownerDescription(ctx, owner, role.Tags)}`);

  const attached = await attachedPolicies(ctx, roleName);
  const inline = await inlinePolicies(ctx, roleName);
  const steps = [
    ...attached.map((p) => `detach ${p.split(':policy/')[1] ?? p}`),
    ...inline.map((p) => `delete inline policy ${p}`),
    'delete the role',
  ];
  const reason = steps.join(', then ');
  if (dryRun) return record(arn, 'delete', reason);

  for (const policyArn of attached) {
    await send(ctx, 'iam', 'DetachRolePolicy', { RoleName: roleName, PolicyArn: policyArn }).catch(
      alreadyGone,
    );
    ctx.logger.info(`detached ${policyArn} from ${resource}`);
  }
  for (const policyName of inline) {
    await send(ctx, 'iam', 'DeleteRolePolicy', { RoleName: roleName, PolicyName: policyName }).catch(
      alreadyGone,
    );
    ctx.logger.info(`deleted inline policy ${policyName} of ${resource}`);
  }
  try {
    await send(ctx, 'iam', 'DeleteRole', { RoleName: roleName });
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return record(arn, 'delete', reason);
    if (isAwsError(error, 'DeleteConflict')) {
      throw new ConflictError(
        resource,
        `IAM refused to delete ${resource}: the role is still in use (DeleteConflict: ${(error as Error).message}). ` +
          'A role cannot be deleted while it is in an instance profile or has policies: see ' +
          `aws iam list-instance-profiles-for-role --role-name ${roleName} (remove it with aws iam ` +
          `remove-role-from-instance-profile --role-name ${roleName} --instance-profile-name <name>) and ` +
          `aws iam list-attached-role-policies --role-name ${roleName}, then run the teardown again.`,
        { cause: error },
      );
    }
    if (isAwsError(error, 'UnmodifiableEntity')) {
      throw new ConflictError(
        resource,
        `IAM refused to delete ${resource} (UnmodifiableEntity): it is protected (a service-linked role or a ` +
          'role under an SCP); delete it where it is managed.',
        { cause: error },
      );
    }
    throw error;
  }
  ctx.logger.info(`deleted ${resource}`, { arn });
  return record(arn, 'delete', reason);
}

/**
 * Delete this stack's IAM SAML identity provider. Run it after the role that trusts it
 * ({@link destroySamlRole}) and the Okta app whose `identityProviderArn` names it.
 *
 * Reads: `ListSAMLProviders`, `GetSAMLProvider` (ownership tags). Writes: `DeleteSAMLProvider`. A
 * provider without this stack's tags is `foreign` and untouched; a missing one is `absent` (no write).
 *
 * @throws {ConfigError} a bad provider name, before any call.
 * @throws {ProviderError} an IAM error.
 */
export async function destroySamlProvider(
  ctx: SsoContext,
  input: DestroySamlProviderInput = {},
): Promise<DestroyRecord> {
  const providerName = input.providerName ?? 'Okta_Connect_Admin';
  if (typeof providerName !== 'string' || !/^[\w.-]{1,128}$/.test(providerName)) {
    throw new ConfigError('providerName', `expected an IAM SAML provider name, got ${String(providerName)}`);
  }
  const dryRun = input.dryRun === true;
  const resource = `iam saml-provider ${providerName}`;
  const record = (id: string | undefined, action: DestroyRecord['action'], reason: string) =>
    destroyRecord('iam-saml-provider', resource, id, action, reason, dryRun);

  const provider = await findProvider(ctx, providerName);
  if (!provider) return record(undefined, 'absent', 'no such provider');
  const owner = ownershipOf(ctx, provider.tags);
  if (owner !== 'ours') {
    return record(provider.arn, 'foreign', `it ${ownerDescription(ctx, owner, provider.tags)}`);
  }
  const reason = 'delete the provider';
  if (dryRun) return record(provider.arn, 'delete', reason);
  await send(ctx, 'iam', 'DeleteSAMLProvider', { SAMLProviderArn: provider.arn }).catch(alreadyGone);
  ctx.logger.info(`deleted ${resource}`, { arn: provider.arn });
  return record(provider.arn, 'delete', reason);
}
