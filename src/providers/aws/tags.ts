/**
 * Ownership tags (design §2): every AWS resource the library creates carries them, and teardown and
 * conflict checks read them. A resource with our name but without our tags is someone else's.
 */
import type { SsoContext } from '../../core/context.js';
import { ConflictError } from '../../core/errors.js';

import { MANAGED_BY_KEY, MANAGED_BY_VALUE, STACK_KEY } from '../../core/ownership.js';

export { MANAGED_BY_KEY, MANAGED_BY_VALUE, STACK_KEY };

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

type AnyTags =
  | readonly { Key?: string | undefined; Value?: string | undefined }[]
  | Record<string, string>
  | undefined;

function tagValue(tags: AnyTags, key: string): string | undefined {
  if (Array.isArray(tags)) return tags.find((t) => t.Key === key)?.Value;
  return (tags as Record<string, string> | undefined)?.[key];
}

/** Why a resource is not ours, for messages: "belongs to connect-okta-sso stack 'a', not 'b'". */
export function ownerDescription(
  ctx: Pick<SsoContext, 'stack'>,
  ownership: Exclude<Ownership, 'ours'>,
  tags: AnyTags,
): string {
  return ownership === 'other-stack'
    ? `belongs to connect-okta-sso stack '${tagValue(tags, STACK_KEY) ?? '?'}', not '${ctx.stack}'`
    : 'was not created by connect-okta-sso (it has no managed-by tag)';
}

/**
 * The conflict for a resource that has our name but is not ours: never taken over silently.
 * @param subject what it is, e.g. `IAM role 'Okta_Role' (arn:…)`.
 * @param alternative what else the user can do, e.g. `choose another roleName`.
 */
export function notOursError(
  ctx: Pick<SsoContext, 'stack'>,
  resource: string,
  subject: string,
  ownership: Exclude<Ownership, 'ours'>,
  tags: AnyTags,
  alternative = 'choose another name',
): ConflictError {
  return new ConflictError(
    resource,
    `${subject} exists but ${ownerDescription(ctx, ownership, tags)}. Pass adopt: true to tag it as stack ` +
      `'${ctx.stack}' and manage it, or ${alternative}.`,
  );
}
