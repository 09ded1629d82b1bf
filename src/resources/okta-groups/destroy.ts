/**
 * Teardown of the group-mapping Okta group of an app. Deleting a group removes its memberships and its
 * app assignments with it; the Okta users themselves are people, never deleted.
 *
 * A group is this stack's when its description carries the stack's marker
 * (`managed-by connect-okta-sso stack <stack>`), as `ensureOktaGroup` writes it. An existing group the
 * setup only used (it had the name already) has no marker and stays.
 */
import type { SsoContext } from '../../core/context.js';
import { type DestroyRecord, type DestroyStepOptions, destroyRecord } from '../../core/destroy-step.js';
import { ConfigError } from '../../core/errors.js';
import { isOktaError, oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import { findOktaGroups, type OktaGroupJson } from './read.js';

/** Input of {@link destroyOktaGroup}. */
export interface DestroyOktaGroupInput extends DestroyStepOptions {
  /** The group's exact name (see `groupNameFor`). */
  name: string;
}

/** The stacks named by ownership markers in a group's description. */
export function groupOwnerStacks(group: OktaGroupJson): string[] {
  const description = group.profile?.description;
  if (typeof description !== 'string') return [];
  return [...description.matchAll(/(?:^|\s)managed-by connect-okta-sso stack (\S+)/g)]
    .map((m) => m[1] ?? '')
    .filter((s) => s.length > 0);
}

// read: how many members a group has (they lose the app's role with it).
async function memberCount(ctx: SsoContext, groupId: string): Promise<number> {
  let n = 0;
  for await (const page of oktaPages<unknown>(
    ctx,
    'ListGroupUsers',
    `/api/v1/groups/${encodeURIComponent(groupId)}/users`,
    { limit: 1000 },
  )) {
    n += page.length;
  }
  return n;
}

/**
 * Delete this stack's Okta group named exactly `name` (`DELETE /api/v1/groups/{id}`): its memberships
 * and app assignments go with it. A group with the name but without this stack's marker is `foreign`
 * and untouched; none is `absent` (no write).
 *
 * Reads: `ListGroups` (`q` = the name), `ListGroupUsers`. Writes: `DeleteGroup`.
 *
 * @throws {ConfigError} an empty name, before any call.
 * @throws {ProviderError} an Okta error.
 */
export async function destroyOktaGroup(
  ctx: SsoContext,
  input: DestroyOktaGroupInput,
): Promise<DestroyRecord> {
  const { name } = input;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
    throw new ConfigError('name', 'expected the group name, 1–255 characters');
  }
  const dryRun = input.dryRun === true;
  const resource = `okta group '${name}'`;
  const record = (id: string | undefined, action: DestroyRecord['action'], reason: string) =>
    destroyRecord('okta-group', resource, id, action, reason, dryRun);

  const group = (await findOktaGroups(ctx, name)).find((g) => g.profile?.name === name);
  if (!group) return record(undefined, 'absent', 'no such group');
  const stacks = groupOwnerStacks(group);
  if (!stacks.includes(ctx.stack)) {
    const whose =
      stacks.length > 0
        ? `it belongs to connect-okta-sso stack ${stacks.map((s) => `'${s}'`).join(', ')}, not '${ctx.stack}'`
        : 'it was not created by connect-okta-sso (its description carries no ownership marker)';
    return record(group.id, 'foreign', whose);
  }
  const members = await memberCount(ctx, group.id);
  const reason = `delete the group${members > 0 ? `; its ${members} membership(s) and app assignments go with it` : ''} (the Okta users stay)`;
  if (dryRun) return record(group.id, 'delete', reason);
  await oktaRequest<unknown>(ctx, 'DeleteGroup', {
    method: 'DELETE',
    path: `/api/v1/groups/${encodeURIComponent(group.id)}`,
  }).catch((error: unknown) => {
    if (!(isOktaError(error, 'E0000007') || isOktaError(error, 404))) throw error;
  });
  ctx.logger.info(`deleted ${resource} (${group.id})`, { groupId: group.id });
  return record(group.id, 'delete', reason);
}
