/** The one place that reads the Okta API user: the IAM user, its attached policies and its access keys. */
import type { AccessKeyMetadata, User } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send, sendPages } from '../../providers/aws/send.js';

export async function getUser(ctx: SsoContext, userName: string): Promise<User | undefined> {
  try {
    const out = await send(ctx, 'iam', 'GetUser', { UserName: userName });
    return out.User;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

export async function attachedPolicies(ctx: SsoContext, userName: string): Promise<string[]> {
  const arns: string[] = [];
  const pages = sendPages(ctx, 'iam', 'ListAttachedUserPolicies', { UserName: userName });
  for await (const page of pages)
    for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
  return arns;
}

export async function listKeys(ctx: SsoContext, userName: string): Promise<AccessKeySummary[]> {
  const keys: AccessKeyMetadata[] = [];
  const pages = sendPages(ctx, 'iam', 'ListAccessKeys', { UserName: userName });
  for await (const page of pages) keys.push(...(page.AccessKeyMetadata ?? []));
  return keys
    .filter((k): k is AccessKeyMetadata & { AccessKeyId: string } => typeof k.AccessKeyId === 'string')
    .map((k) => ({
      accessKeyId: k.AccessKeyId,
      status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
      createdAt: k.CreateDate,
    }));
}

/** An access key of the user, without its secret. */
export interface AccessKeySummary {
  /** The access key id, e.g. `AKIA…` (not secret). */
  accessKeyId: string;
  /** IAM's key status: only an `Active` key can sign requests. */
  status: 'Active' | 'Inactive';
  /** When IAM created the key; undefined if IAM's answer has no `CreateDate`. */
  createdAt: Date | undefined;
}

/** The names of the user's inline policies (every page). */
export async function inlinePolicies(ctx: SsoContext, userName: string): Promise<string[]> {
  const names: string[] = [];
  const pages = sendPages(ctx, 'iam', 'ListUserPolicies', { UserName: userName });
  for await (const page of pages) names.push(...(page.PolicyNames ?? []));
  return names;
}
