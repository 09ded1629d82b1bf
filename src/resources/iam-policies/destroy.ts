/**
 * Teardown of the customer managed policies (guide steps 2 and 3): the last IAM resources to go, once
 * the roles and the Okta API user they are attached to are gone.
 *
 * IAM refuses `DeletePolicy` (`DeleteConflict`) while the policy is attached to any user, group or role,
 * and while it has versions besides the default one. So the step lists what it is attached to — an
 * attachment to an entity this teardown does not remove (someone else's role) blocks it, and is reported
 * with the command that lifts the block, never detached behind its owner's back — then deletes the
 * non-default versions, then the policy.
 */
import type { PolicyVersion } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send, sendPages } from '../../providers/aws/send.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import { discoverIamAccount, getPolicy, partitionOf } from './read.js';

/** Input of {@link destroyManagedPolicy}. */
export interface DestroyManagedPolicyInput extends DestroyStepOptions {
  /** The policy's name (at path `/`), e.g. `okta_federation_policy`. */
  policyName: string;
  /**
   * The 12-digit account the policy is in. Default: the context's `accountId`, else read from the ARN
   * of any customer managed policy of the account (`ListPolicies`).
   */
  accountId?: string;
  /**
   * The entities this teardown detaches the policy from in its own earlier steps (the stack's roles
   * and API user). A dry run runs before those detaches, so their attachments do not count as blocking;
   * outside a dry run they are already gone. Default none.
   */
  detachedFrom?: {
    /** Role names. */
    roles?: readonly string[];
    /** User names. */
    users?: readonly string[];
  };
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

/** What a policy is attached to. */
interface PolicyEntities {
  roles: string[];
  users: string[];
  groups: string[];
}

// read: every entity a policy is attached to.
async function attachedEntities(ctx: SsoContext, policyArn: string): Promise<PolicyEntities> {
  const entities: PolicyEntities = { roles: [], users: [], groups: [] };
  const pages = sendPages(ctx, 'iam', 'ListEntitiesForPolicy', { PolicyArn: policyArn });
  for await (const page of pages) {
    for (const r of page.PolicyRoles ?? []) if (r.RoleName) entities.roles.push(r.RoleName);
    for (const u of page.PolicyUsers ?? []) if (u.UserName) entities.users.push(u.UserName);
    for (const g of page.PolicyGroups ?? []) if (g.GroupName) entities.groups.push(g.GroupName);
  }
  return entities;
}

// read: every version of a policy.
async function policyVersions(ctx: SsoContext, policyArn: string): Promise<PolicyVersion[]> {
  const versions: PolicyVersion[] = [];
  const pages = sendPages(ctx, 'iam', 'ListPolicyVersions', { PolicyArn: policyArn });
  for await (const page of pages) versions.push(...(page.Versions ?? []));
  return versions;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The attachments that block the delete, as readable text and as the commands that lift them. */
function blockers(
  entities: PolicyEntities,
  policyArn: string,
): { what: string[]; commands: string[] } | undefined {
  const what: string[] = [];
  const commands: string[] = [];
  for (const role of entities.roles) {
    what.push(`role ${role}`);
    commands.push(`aws iam detach-role-policy --role-name ${role} --policy-arn ${policyArn}`);
  }
  for (const user of entities.users) {
    what.push(`user ${user}`);
    commands.push(`aws iam detach-user-policy --user-name ${user} --policy-arn ${policyArn}`);
  }
  for (const group of entities.groups) {
    what.push(`group ${group}`);
    commands.push(`aws iam detach-group-policy --group-name ${group} --policy-arn ${policyArn}`);
  }
  return what.length > 0 ? { what, commands } : undefined;
}

/**
 * Delete a customer managed policy this stack created: its non-default versions first, then the policy.
 *
 * Reads: `GetPolicy` (ownership tags), `ListEntitiesForPolicy`, `ListPolicyVersions` (and
 * `ListPolicies` once, when the account is not known). Writes: `DeletePolicyVersion` per non-default
 * version, `DeletePolicy`. A policy without this stack's tags is `foreign` and untouched; a policy
 * that does not exist is `absent` (no write: a second teardown writes nothing).
 *
 * @throws {ConfigError} a bad policy name or account id, before any call.
 * @throws {ConflictError} (not in a dry run, which reports `blocked`) the policy is attached to a role,
 *   user or group that is not in `detachedFrom`; the message lists them with the commands to detach.
 *   Also when IAM answers `DeleteConflict` (an attachment made meanwhile), explained the same way.
 * @throws {ProviderError} any other IAM error.
 */
export async function destroyManagedPolicy(
  ctx: SsoContext,
  input: DestroyManagedPolicyInput,
): Promise<DestroyRecord> {
  const { policyName } = input;
  const issues: { field: string; message: string }[] = [];
  if (typeof policyName !== 'string' || !POLICY_NAME.test(policyName)) {
    issues.push({ field: 'policyName', message: `expected an IAM policy name, got ${String(policyName)}` });
  }
  if (input.accountId !== undefined && !/^\d{12}$/.test(input.accountId)) {
    issues.push({ field: 'accountId', message: `expected 12 digits, got '${input.accountId}'` });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
  const dryRun = input.dryRun === true;
  const resource = `iam policy ${policyName}`;
  const record = (id: string | undefined, action: DestroyRecord['action'], reason: string) =>
    destroyRecord('iam-policy', resource, id, action, reason, dryRun);

  const account = input.accountId
    ? { partition: partitionOf(ctx.region), accountId: input.accountId }
    : await discoverIamAccount(ctx);
  if (!account) return record(undefined, 'absent', 'the account has no customer managed policy');
  const policyArn = `arn:${account.partition}:iam::${account.accountId}:policy/${policyName}`;
  const policy = await getPolicy(ctx, policyArn);
  if (!policy) return record(undefined, 'absent', 'no such policy');
  const arn = policy.Arn ?? policyArn;
  const owner = ownershipOf(ctx, policy.Tags);
  if (owner !== 'ours') {
    return record(arn, 'foreign', `it ${ownerDescription(ctx, owner, policy.Tags)}`);
  }

  const attached = await attachedEntities(ctx, arn);
  const ours = input.detachedFrom ?? {};
  const others: PolicyEntities = {
    roles: attached.roles.filter((r) => !(dryRun && (ours.roles ?? []).some((o) => sameName(o, r)))),
    users: attached.users.filter((u) => !(dryRun && (ours.users ?? []).some((o) => sameName(o, u)))),
    groups: attached.groups,
  };
  const blocked = blockers(others, arn);
  if (blocked) {
    const reason =
      `still attached to ${blocked.what.join(', ')}, which this teardown does not remove (not this ` +
      `stack's). IAM deletes no policy that is attached; detach it first (${blocked.commands.join('; ')}), ` +
      'then run the teardown again';
    if (dryRun) return record(arn, 'blocked', reason);
    throw new ConflictError(resource, `Cannot delete ${resource}: it is ${reason}.`);
  }

  const versions = await policyVersions(ctx, arn);
  const old = versions
    .filter((v) => v.IsDefaultVersion !== true && v.VersionId)
    .map((v) => v.VersionId as string)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b));
  const detaching = dryRun ? [...attached.roles, ...attached.users] : [];
  const steps = [
    ...(detaching.length > 0 ? [`after it is detached from ${detaching.join(', ')}`] : []),
    ...(old.length > 0 ? [`delete non-default version(s) ${old.join(', ')}`] : []),
    'delete the policy',
  ];
  const reason = steps.join(', then ');
  if (dryRun) return record(arn, 'delete', reason);

  for (const versionId of old) {
    await send(ctx, 'iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: versionId }).catch(
      (error: unknown) => {
        // Deleted by an earlier, interrupted run whose answer was lost: fine.
        if (!isAwsError(error, 'NoSuchEntity')) throw error;
      },
    );
    ctx.logger.info(`deleted version ${versionId} of ${resource}`, { policyArn: arn });
  }
  try {
    await send(ctx, 'iam', 'DeletePolicy', { PolicyArn: arn });
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return record(arn, 'delete', reason);
    if (isAwsError(error, 'DeleteConflict')) {
      throw new ConflictError(
        resource,
        `IAM refused to delete ${resource} (DeleteConflict: ${(error as Error).message}): something was ` +
          `attached to it, or a version was added, after this run looked. See what holds it with ` +
          `aws iam list-entities-for-policy --policy-arn ${arn} and aws iam list-policy-versions ` +
          `--policy-arn ${arn}, detach or delete that, then run the teardown again.`,
        { cause: error },
      );
    }
    throw error;
  }
  ctx.logger.info(`deleted ${resource}`, { policyArn: arn });
  return record(arn, 'delete', reason);
}
