/** The one place that reads a managed policy by ARN. */
import { GetPolicyCommand, type Policy } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { awsCall, isAwsError } from '../../providers/aws/call.js';

export async function getPolicy(ctx: SsoContext, policyArn: string): Promise<Policy | undefined> {
  try {
    const out = await awsCall(ctx, 'iam', 'GetPolicy', (o) =>
      ctx.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }), o),
    );
    return out.Policy;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}
