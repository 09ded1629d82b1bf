/**
 * destroySamlInstance against the sandbox with the real Connect client: kept unless asked, deleted when
 * asked, never someone else's.
 */
import { CreateInstanceCommand } from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import {
  destroySamlInstance,
  INSTANCE_DELETE_WARNING,
  readInstanceForDestroy,
} from '../../../src/resources/connect-instance/destroy.js';
import { createSamlInstance } from '../../../src/resources/connect-instance/ensure.js';
import { connectClient, sandboxSuite } from '../../helpers.js';

const suite = sandboxSuite();
const { ctx, writeOps } = suite;
const aliases = () => Object.values(suite.sb.state().connect.instances).map((i) => i.alias);

describe('destroySamlInstance', () => {
  it('keeps the instance unless deleteInstance is set, then deletes it; afterwards it is absent', async () => {
    const made = await createSamlInstance(ctx(), { alias: 'acme-cc', wait: true });
    suite.sb.resetRequests();

    const kept = await destroySamlInstance(ctx(), { alias: 'acme-cc' });
    expect(kept).toMatchObject({
      kind: 'connect-instance',
      resource: 'connect instance acme-cc',
      id: made.instanceArn,
      action: 'keep',
    });
    expect(kept.reason).toContain('it holds contact data');
    expect(kept.reason).toContain('deleteInstance: true');
    expect(writeOps()).toEqual([]);

    const planned = await destroySamlInstance(ctx(), {
      alias: 'ACME-CC',
      deleteInstance: true,
      dryRun: true,
    });
    expect(planned.action).toBe('delete');
    expect(planned.reason).toContain(INSTANCE_DELETE_WARNING);
    expect(planned.reason).toContain('100 instance creations and deletions');
    expect(writeOps()).toEqual([]);

    expect((await destroySamlInstance(ctx(), { alias: 'acme-cc', deleteInstance: true })).action).toBe(
      'delete',
    );
    expect(writeOps()).toEqual(['DeleteInstance']);
    expect(aliases()).not.toContain('acme-cc');

    suite.sb.resetRequests();
    expect((await destroySamlInstance(ctx(), { alias: 'acme-cc', deleteInstance: true })).action).toBe(
      'absent',
    );
    expect(writeOps()).toEqual([]);
  });

  it("never deletes an instance that is not this stack's, even when asked", async () => {
    await connectClient(suite.sb).send(
      new CreateInstanceCommand({
        IdentityManagementType: 'SAML',
        InstanceAlias: 'hand-made',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    await createSamlInstance(ctx('other-stack'), { alias: 'other-cc' });
    suite.sb.resetRequests();
    const foreign = await destroySamlInstance(ctx(), { alias: 'hand-made', deleteInstance: true });
    expect(foreign.action).toBe('foreign');
    expect(foreign.reason).toContain('was not created by connect-okta-sso');
    const other = await destroySamlInstance(ctx(), { alias: 'other-cc', deleteInstance: true });
    expect(other.reason).toContain("stack 'other-stack'");
    expect(writeOps()).toEqual([]);
    expect(aliases()).toEqual(expect.arrayContaining(['hand-made', 'other-cc']));
  });

  it('uses an instance already read, without listing again', async () => {
    await createSamlInstance(ctx(), { alias: 'read-once' });
    const known = await readInstanceForDestroy(ctx(), 'read-once');
    suite.sb.resetRequests();
    expect((await destroySamlInstance(ctx(), { alias: 'read-once' }, known)).action).toBe('keep');
    expect((await destroySamlInstance(ctx(), { alias: 'read-once' }, null)).action).toBe('absent');
    expect(suite.sb.requests()).toEqual([]);
  });

  it('refuses a bad alias before any request', async () => {
    await expect(destroySamlInstance(ctx(), { alias: 'd-bad' })).rejects.toBeInstanceOf(ConfigError);
    expect(suite.sb.requests()).toEqual([]);
  });
});
