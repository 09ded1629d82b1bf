/**
 * Managed policies attached to users and roles (the same rules for both).
 */
import type { AttachedPermissionsBoundary, AttachedPolicy } from '@aws-sdk/client-iam';
import {
  type Ctx,
  iamState,
  limitExceeded,
  type NamedBy,
  noSuchEntity,
  page,
  pagingOutput,
  required,
  underPath,
} from './common.js';
import { findPolicy, requireAttachablePolicy, requirePolicy } from './policies.js';

/** Managed policies per user or role (the default quota; 20 at most on request). */
export const MAX_ATTACHED_POLICIES = 10;

interface PolicyHolder {
  attachedPolicies: string[];
  permissionsBoundary?: string;
}

/** Attach a managed policy; attaching one already attached changes nothing. */
export function attachPolicy(ctx: Ctx, holder: PolicyHolder, kind: 'User' | 'Role', policyArn: string): void {
  const policy = requireAttachablePolicy(ctx, policyArn);
  if (holder.attachedPolicies.includes(policy.arn)) return;
  if (holder.attachedPolicies.length >= MAX_ATTACHED_POLICIES) {
    throw limitExceeded(`Cannot exceed quota for PoliciesPer${kind}: ${MAX_ATTACHED_POLICIES}`);
  }
  holder.attachedPolicies.push(policy.arn);
}

/** Detach a managed policy; one that is not attached is `NoSuchEntity` like one that does not exist. */
export function detachPolicy(ctx: Ctx, holder: PolicyHolder, policyArn: string): void {
  const policy = requirePolicy(ctx, policyArn);
  if (!holder.attachedPolicies.includes(policy.arn)) throw noSuchEntity(`Policy ${policyArn} was not found.`);
  holder.attachedPolicies = holder.attachedPolicies.filter((arn) => arn !== policy.arn);
}

export function listAttachedPolicies(
  ctx: Ctx,
  holder: PolicyHolder,
  input: { PathPrefix?: string | undefined; Marker?: string | undefined; MaxItems?: number | undefined },
): { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean; Marker?: string } {
  const state = iamState(ctx);
  const attached = holder.attachedPolicies
    .map((arn) => findPolicy(state, arn))
    .filter((p) => p !== undefined)
    .filter((p) => underPath(p.path, input.PathPrefix));
  const p = page(attached, (x) => `${x.name}\u0000${x.arn}`, input);
  return {
    AttachedPolicies: p.items.map((x) => ({ PolicyName: x.name, PolicyArn: x.arn })),
    ...pagingOutput(p),
  };
}

/** A permissions boundary given on create: it must name an existing managed policy. */
export function boundaryArn(ctx: Ctx, arn: string | undefined): { permissionsBoundary?: string } {
  if (arn === undefined) return {};
  return { permissionsBoundary: requireAttachablePolicy(ctx, arn).arn };
}

export function boundaryOutput(arn: string | undefined): {
  PermissionsBoundary?: AttachedPermissionsBoundary;
} {
  if (arn === undefined) return {};
  return {
    PermissionsBoundary: {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: arn,
    },
  };
}

/** `List…Policies` (inline policies): the sandbox has none, but the entity must exist. */
export function emptyInlineList(): { PolicyNames: string[]; IsTruncated: boolean } {
  return { PolicyNames: [], IsTruncated: false };
}

/** The attached-policy operations of a user or a role. */
export interface AttachmentOperations<M extends string> {
  /** `Attach…Policy` */
  attach(ctx: Ctx, input: NamedBy<M> & { PolicyArn?: string | undefined }): Record<string, never>;
  /** `Detach…Policy` */
  detach(ctx: Ctx, input: NamedBy<M> & { PolicyArn?: string | undefined }): Record<string, never>;
  /** `ListAttached…Policies` */
  listAttached(
    ctx: Ctx,
    input: NamedBy<M> & {
      PathPrefix?: string | undefined;
      Marker?: string | undefined;
      MaxItems?: number | undefined;
    },
  ): { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean; Marker?: string };
  /** `List…Policies` (inline) */
  listInline(ctx: Ctx, input: NamedBy<M>): { PolicyNames: string[]; IsTruncated: boolean };
}

/**
 * The attached-policy operations of the users or roles (`kind`) that `member` names; `find` throws the
 * entity's NoSuchEntity.
 */
export function attachmentOperations<M extends string>(
  kind: 'User' | 'Role',
  member: M,
  find: (ctx: Ctx, name: string) => PolicyHolder,
): AttachmentOperations<M> {
  const holder = (ctx: Ctx, input: NamedBy<M>): PolicyHolder =>
    find(ctx, required<string>(input[member], member));
  return {
    attach(ctx, input) {
      const entity = holder(ctx, input);
      attachPolicy(ctx, entity, kind, required(input.PolicyArn, 'PolicyArn'));
      return {};
    },
    detach(ctx, input) {
      const entity = holder(ctx, input);
      detachPolicy(ctx, entity, required(input.PolicyArn, 'PolicyArn'));
      return {};
    },
    listAttached: (ctx, input) => listAttachedPolicies(ctx, holder(ctx, input), input),
    listInline(ctx, input) {
      holder(ctx, input);
      return emptyInlineList();
    },
  };
}
