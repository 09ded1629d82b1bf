/** The one place that reads a managed policy by ARN. */
import type { Policy } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
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
