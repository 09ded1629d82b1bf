/**
 * destroyOktaGroup against the sandbox's Okta: this stack's group (marked in its description) goes with
 * its memberships and app assignments; the people stay; a group the setup only used stays too.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { createOktaFederationApp } from '../../../src/resources/okta-app/ensure.js';
import { buildRelayState } from '../../../src/resources/okta-app/relay-state.js';
import { destroyOktaGroup, groupOwnerStacks } from '../../../src/resources/okta-groups/destroy.js';
import {
  addUserToGroup,
  ensureAppGroupAssignment,
  ensureOktaGroup,
} from '../../../src/resources/okta-groups/ensure.js';
import { sandboxSuite } from '../../helpers.js';

const RELAY = buildRelayState({ region: 'us-east-1', instanceId: '8f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e' });

const suite = sandboxSuite();
const { ctx, writeOps } = suite;
const groupNames = () => Object.values(suite.sb.state().okta.groups).map((g) => g.profile.name);

describe('destroyOktaGroup', () => {
  it("deletes this stack's group with its memberships and app assignment; the person stays", async () => {
    const app = await createOktaFederationApp(ctx(), { label: 'Connect Admin', relayState: RELAY });
    const group = await ensureOktaGroup(ctx(), { name: 'aws_123456789012_Okta_Role' });
    const groupId = group.groupId as string;
    await ensureAppGroupAssignment(ctx(), { appId: app.appId as string, groupId });
    const person = suite.sb.admin.createOktaUser({ login: 'jane.doe@acme.com' });
    await addUserToGroup(ctx(), { groupId, userId: person.id });
    suite.sb.resetRequests();

    const planned = await destroyOktaGroup(ctx(), { name: 'aws_123456789012_Okta_Role', dryRun: true });
    expect(planned).toMatchObject({
      kind: 'okta-group',
      resource: "okta group 'aws_123456789012_Okta_Role'",
      id: groupId,
      action: 'delete',
      reason: 'delete the group; its 1 membership(s) and app assignments go with it (the Okta users stay)',
    });
    expect(writeOps()).toEqual([]);

    expect((await destroyOktaGroup(ctx(), { name: 'aws_123456789012_Okta_Role' })).action).toBe('delete');
    expect(writeOps()).toEqual(['DeleteGroup']);
    const state = suite.sb.state().okta;
    expect(state.groups[groupId]).toBeUndefined();
    expect(Object.keys(state.appGroups[app.appId as string] ?? {})).toEqual([]);
    expect(state.users[person.id]).toBeDefined();

    suite.sb.resetRequests();
    expect((await destroyOktaGroup(ctx(), { name: 'aws_123456789012_Okta_Role' })).action).toBe('absent');
    expect(writeOps()).toEqual([]);
  });

  it("leaves a group without this stack's marker alone, and another stack's", async () => {
    await ensureOktaGroup(ctx(), { name: 'aws_hand_made', description: 'made by a person' });
    await ensureOktaGroup(ctx('other-stack'), { name: 'aws_other' });
    suite.sb.resetRequests();
    const foreign = await destroyOktaGroup(ctx(), { name: 'aws_hand_made' });
    expect(foreign.action).toBe('foreign');
    expect(foreign.reason).toContain('its description carries no ownership marker');
    const other = await destroyOktaGroup(ctx(), { name: 'aws_other' });
    expect(other.reason).toContain("stack 'other-stack', not 'acme-cc'");
    // A name that differs only in case is another group for the app's filter: not this one.
    expect((await destroyOktaGroup(ctx(), { name: 'AWS_OTHER' })).action).toBe('absent');
    expect(writeOps()).toEqual([]);
    expect(groupNames()).toEqual(expect.arrayContaining(['aws_hand_made', 'aws_other']));
  });

  it('reads the stack from the marker, wherever it is in the description', () => {
    const group = (description: string) => ({ id: 'g', profile: { name: 'n', description } });
    expect(
      groupOwnerStacks(group('Users of "X" (role R); managed-by connect-okta-sso stack acme-cc')),
    ).toEqual(['acme-cc']);
    expect(groupOwnerStacks(group('managed-by connect-okta-sso stack a.b and more'))).toEqual(['a.b']);
    expect(groupOwnerStacks(group('not-managed-by connect-okta-sso stack x'))).toEqual([]);
  });

  it('refuses an empty name before any request', async () => {
    await expect(destroyOktaGroup(ctx(), { name: '' })).rejects.toBeInstanceOf(ConfigError);
    expect(suite.sb.requests()).toEqual([]);
  });
});
