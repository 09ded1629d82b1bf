/** The one place that finds a Connect instance (by alias) and reads why its creation failed. */
import { DescribeInstanceCommand, type InstanceSummary, ListInstancesCommand } from '@aws-sdk/client-connect';
import type { SsoContext } from '../../core/context.js';
import { awsCall, awsPages, nextToken } from '../../providers/aws/call.js';

/** Every instance of the region, following `NextToken`, until one has the alias (case-insensitively). */
export async function findInstanceByAlias(
  ctx: SsoContext,
  alias: string,
): Promise<InstanceSummary | undefined> {
  const wanted = alias.toLowerCase();
  const pages = awsPages(
    ctx,
    'connect',
    'ListInstances',
    (token, o) =>
      ctx.connect.send(
        new ListInstancesCommand({ MaxResults: 10, ...(token ? { NextToken: token } : {}) }),
        o,
      ),
    nextToken,
  );
  for await (const page of pages) {
    const found = page.InstanceSummaryList?.find((i) => i.InstanceAlias?.toLowerCase() === wanted);
    if (found) return found;
  }
  return undefined;
}

export async function statusReason(ctx: SsoContext, instanceId: string): Promise<string | undefined> {
  const { Instance } = await awsCall(ctx, 'connect', 'DescribeInstance', (o) =>
    ctx.connect.send(new DescribeInstanceCommand({ InstanceId: instanceId }), o),
  );
  return Instance?.StatusReason?.Message;
}
