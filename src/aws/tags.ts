/**
 * Ownership tags (design §2): every AWS resource the library creates carries them, and teardown and
 * conflict checks read them. A resource with our name but without our tags is someone else's.
 */
import type { SsoContext } from '../context.js';

export const MANAGED_BY_KEY = 'managed-by';
export const MANAGED_BY_VALUE = 'connect-okta-sso';
export const STACK_KEY = 'connect-okta-sso:stack';

export interface Tag {
  Key: string;
  Value: string;
}

/** The ownership tags for the context's stack, plus the user's own (ours win on a clash). */
export function ownershipTags(ctx: Pick<SsoContext, 'stack'>, extra: Record<string, string> = {}): Tag[] {
  const tags: Record<string, string> = {
    ...extra,
    [MANAGED_BY_KEY]: MANAGED_BY_VALUE,
    [STACK_KEY]: ctx.stack,
  };
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** The same as a map (Connect takes `Tags` as `{ key: value }`). */
export function ownershipTagMap(
  ctx: Pick<SsoContext, 'stack'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(ownershipTags(ctx, extra).map((t) => [t.Key, t.Value]));
}

export type Ownership = 'ours' | 'other-stack' | 'foreign';

/** Whose a resource is, from its tags (IAM's `[{Key, Value}]` or Connect's map). */
export function ownershipOf(
  ctx: Pick<SsoContext, 'stack'>,
  tags:
    | readonly { Key?: string | undefined; Value?: string | undefined }[]
    | Record<string, string>
    | undefined,
): Ownership {
  const map: Record<string, string | undefined> = Array.isArray(tags)
    ? Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value]))
    : ((tags as Record<string, string> | undefined) ?? {});
  if (map[MANAGED_BY_KEY] !== MANAGED_BY_VALUE) return 'foreign';
  return map[STACK_KEY] === ctx.stack ? 'ours' : 'other-stack';
}
