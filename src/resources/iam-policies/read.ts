/** The one place that reads a managed policy by ARN, and the account the context's IAM ARNs are in. */
import type { Policy } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { checkRegion } from '../../core/regions.js';
import { parseArn } from '../../providers/aws/arn.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send } from '../../providers/aws/send.js';

export async function getPolicy(ctx: SsoContext, policyArn: string): Promise<Policy | undefined> {
  try {
    const out = await send(ctx, 'iam', 'GetPolicy', { PolicyArn: policyArn });
    return out.Policy;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

/** The partition of a region (`aws` when the region is unknown). */
export function partitionOf(region: string): string {
  const check = checkRegion(region);
  return check.ok ? check.partition : 'aws';
}

// read: the account of the context's credentials, from the ARN of any customer managed policy.
/**
 * The account (and partition) IAM ARNs of this context are in: `ctx.accountId`, else the account of
 * the first customer managed policy `ListPolicies Scope=Local` lists. `undefined` when the account has
 * no customer managed policy at all (so none of ours exists either).
 */
export async function discoverIamAccount(
  ctx: SsoContext,
): Promise<{ partition: string; accountId: string } | undefined> {
  const partition = partitionOf(ctx.region);
  if (ctx.accountId) return { partition, accountId: ctx.accountId };
  const page = await send(ctx, 'iam', 'ListPolicies', { Scope: 'Local', MaxItems: 1 });
  const arn = page.Policies?.[0]?.Arn;
  const parsed = arn ? parseArn(arn) : undefined;
  return parsed?.accountId ? { partition: parsed.partition, accountId: parsed.accountId } : undefined;
}
