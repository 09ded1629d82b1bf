/**
 * The shape every teardown step shares, the mirror of `step.ts`: a step finds its resource by its
 * natural key, reads whose it is (the ownership tags, or for Okta the stack marker), and deletes it only
 * when it is this stack's; with `dryRun` it stops after deciding.
 */

/**
 * What a teardown does (or, planned, would do) to a resource:
 * - `delete`: it is this stack's and goes (`dryRun`: would go);
 * - `keep`: it is this stack's but stays, and the reason says why (the Connect instance, without
 *   `deleteInstance`);
 * - `foreign`: a resource with our name that this stack did not create: never touched;
 * - `absent`: nothing with that name exists (already deleted, or never created);
 * - `blocked`: it is this stack's but cannot be deleted yet; the reason says what holds it and the fix.
 */
export type DestroyAction = 'delete' | 'keep' | 'foreign' | 'absent' | 'blocked';

/** The kinds of resource a teardown removes, in the order it removes them. */
export type DestroyResourceKind =
  | 'connect-quick-connect'
  | 'connect-user'
  | 'connect-security-profile'
  | 'okta-group'
  | 'okta-app'
  | 'iam-role'
  | 'iam-saml-provider'
  | 'iam-access-key'
  | 'iam-user'
  | 'iam-policy'
  | 'connect-instance';

/** What a teardown step did (or, with `dryRun`, would do) to one resource. */
export interface DestroyRecord {
  /** The kind of resource. */
  kind: DestroyResourceKind;
  /** A readable name of the resource: `iam role Okta_Role`, `okta app "Amazon Connect CCP"`. */
  resource: string;
  /** Its ARN or provider id (`0oa…`, a Connect user id) when it exists; undefined when absent. */
  id: string | undefined;
  /** See {@link DestroyAction}. */
  action: DestroyAction;
  /**
   * Why: the writes in order (`detach okta_federation_policy, then delete`), whose the resource is
   * (`belongs to connect-okta-sso stack 'b'`), why it is kept, or what blocks it and the fix.
   */
  reason: string;
  /** True when nothing was written because `dryRun` was set. */
  dryRun: boolean;
}

/** Options every teardown step accepts. */
export interface DestroyStepOptions {
  /** Decide and report without writing anything. */
  dryRun?: boolean;
}

/** A record, with the fields every step fills the same way. */
export function destroyRecord(
  kind: DestroyResourceKind,
  resource: string,
  id: string | undefined,
  action: DestroyAction,
  reason: string,
  dryRun: boolean,
): DestroyRecord {
  return { kind, resource, id, action, reason, dryRun };
}
