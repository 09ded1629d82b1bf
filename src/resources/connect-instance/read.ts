/** The one place that finds a Connect instance (by alias) and reads why its creation failed. */
import type { InstanceSummary } from '@aws-sdk/client-connect';
import type { SsoContext } from '../../core/context.js';
import { send, sendPages } from '../../providers/aws/send.js';

/** Every instance of the region, following `NextToken`, until one has the alias (case-insensitively). */
export async function findInstanceByAlias(
  ctx: SsoContext,
  alias: string,
): Promise<InstanceSummary | undefined> {
  const wanted = alias.toLowerCase();
  const pages = sendPages(ctx, 'connect', 'ListInstances', { MaxResults: 10 });
  for await (const page of pages) {
    const found = page.InstanceSummaryList?.find((i) => i.InstanceAlias?.toLowerCase() === wanted);
    if (found) return found;
  }
  return undefined;
}

export async function statusReason(ctx: SsoContext, instanceId: string): Promise<string | undefined> {
  const { Instance } = await send(ctx, 'connect', 'DescribeInstance', { InstanceId: instanceId });
  return Instance?.StatusReason?.Message;
}
