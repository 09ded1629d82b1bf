/**
 * `Tag…`, `Untag…` and `List…Tags` of a taggable IAM resource (users, roles, managed policies, SAML
 * providers): the same rules for each, named by the input member that identifies the resource.
 */
import type { Tag } from '@aws-sdk/client-iam';
import {
  type Ctx,
  listTags,
  mergeTags,
  type NamedBy,
  removeTags,
  required,
  type TaggedKind,
} from './common.js';
import type { IamTag } from './state.js';

/** The three tag operations of `kind`. */
export interface TagOperations<M extends string> {
  tag(ctx: Ctx, input: NamedBy<M> & { Tags?: Tag[] | undefined }): Record<string, never>;
  untag(ctx: Ctx, input: NamedBy<M> & { TagKeys?: string[] | undefined }): Record<string, never>;
  list(
    ctx: Ctx,
    input: NamedBy<M> & { Marker?: string | undefined; MaxItems?: number | undefined },
  ): { Tags: Tag[]; IsTruncated: boolean; Marker?: string };
}

/**
 * The tag operations of the resources of `kind` that `member` names. `find` throws the resource's
 * NoSuchEntity; `findToChange` (default `find`) is given the operation (`TagPolicy`) and may refuse it
 * (AWS managed policies cannot be tagged).
 */
export function tagOperations<M extends string>(
  kind: TaggedKind,
  member: M,
  find: (ctx: Ctx, key: string) => { tags: IamTag[] },
  findToChange: (ctx: Ctx, key: string, operation: string) => { tags: IamTag[] } = find,
): TagOperations<M> {
  const key = (input: NamedBy<M>): string => required<string>(input[member], member);
  return {
    tag(ctx, input) {
      const resource = findToChange(ctx, key(input), `Tag${kind}`);
      resource.tags = mergeTags(kind, resource.tags, input.Tags);
      return {};
    },
    untag(ctx, input) {
      const resource = findToChange(ctx, key(input), `Untag${kind}`);
      resource.tags = removeTags(resource.tags, input.TagKeys);
      return {};
    },
    list: (ctx, input) => listTags(find(ctx, key(input)).tags, input),
  };
}
