/**
 * Which AWS account a fleet target's credentials reach, to hold against the account the fleet file
 * says (`targets[].account`): a target planned with another account's profile would be applied there.
 */
import type { SsoContext } from '../../core/context.js';
import { parseArn } from '../../providers/aws/arn.js';
import { findInstanceByAlias } from '../../resources/connect-instance/read.js';
import { discoverIamAccount } from '../../resources/iam-policies/read.js';

/** The account and how it was learnt, or undefined when nothing tells it. */
export interface ReachedAccount {
  accountId: string;
  /** `the instance ARN …`, `the context's accountId`, `the IAM policy …`. */
  source: string;
}

/**
 * The account of the target's Connect instance ARN when it exists; else the context's `accountId`;
 * else the account of the first customer managed IAM policy (one `ListPolicies` read). A read that
 * fails tells nothing (the plan reports the failed reads itself).
 */
export async function reachedAccount(ctx: SsoContext, alias: string): Promise<ReachedAccount | undefined> {
  try {
    const arn = (await findInstanceByAlias(ctx, alias))?.Arn;
    const accountId = arn ? parseArn(arn)?.accountId : undefined;
    if (accountId) return { accountId, source: `the ARN of its Connect instance ${alias}` };
  } catch {
    // The plan has the failure.
  }
  try {
    // The context's accountId when it has one, else one ListPolicies read.
    const found = await discoverIamAccount(ctx);
    if (found) {
      const source = ctx.accountId ? "its context's accountId" : 'the ARNs of its IAM policies';
      return { accountId: found.accountId, source };
    }
  } catch {
    // As above.
  }
  return undefined;
}
