/** The doctor's checks of the Connect instance: it exists, is ACTIVE, uses SAML and is ours. */
import { DescribeInstanceCommand, ListTagsForResourceCommand } from '@aws-sdk/client-connect';
import { awsCall } from '../../providers/aws/call.js';
import { add, guard, learnAccount, ownershipFinding, RUN_PROVISION, type Run } from '../check-run.js';
import { findInstanceByAlias } from './ensure.js';

export async function checkInstance(run: Run): Promise<void> {
  const { ctx, config } = run;
  const alias = config.instance.alias;
  const resource = `connect instance ${alias}`;
  await guard(run, 'instance.exists', resource, async () => {
    const found = await findInstanceByAlias(ctx, alias);
    if (!found?.Id || !found.Arn) {
      add(
        run,
        'instance.exists',
        resource,
        'fail',
        `no Connect instance with alias '${alias}' in ${config.region}`,
        `${RUN_PROVISION} (it creates the instance), or correct instance.alias / region in the config.`,
      );
      return;
    }
    run.instance = { id: found.Id, arn: found.Arn, status: found.InstanceStatus ?? 'UNKNOWN' };
    learnAccount(run, found.Arn);
    add(run, 'instance.exists', resource, 'ok', `${found.Id} (${found.Arn})`);

    const status = found.InstanceStatus;
    if (status === 'ACTIVE') add(run, 'instance.active', resource, 'ok', 'ACTIVE');
    else if (status === 'CREATION_IN_PROGRESS') {
      add(
        run,
        'instance.active',
        resource,
        'warn',
        'still CREATION_IN_PROGRESS: users cannot sign in and no Connect user can be created yet',
        `Wait a minute or two, then run apply again (it waits for ACTIVE and creates the users).`,
      );
    } else {
      let reason: string | undefined;
      if (status === 'CREATION_FAILED') {
        const { Instance } = await awsCall(ctx, 'connect', 'DescribeInstance', (o) =>
          ctx.connect.send(new DescribeInstanceCommand({ InstanceId: found.Id }), o),
        );
        reason = Instance?.StatusReason?.Message;
      }
      add(
        run,
        'instance.active',
        resource,
        'fail',
        `is ${status ?? 'in an unknown state'}${reason ? `: ${reason}` : ''}`,
        `Delete the instance in the Amazon Connect console (Instances → ${alias} → Remove), then run apply again to create it (or choose another instance.alias).`,
      );
    }

    if (found.IdentityManagementType === 'SAML') {
      add(run, 'instance.identity', resource, 'ok', 'identity management: SAML 2.0');
    } else {
      add(
        run,
        'instance.identity',
        resource,
        'fail',
        `identity management is ${found.IdentityManagementType ?? 'unknown'}, not SAML: Okta sign-in cannot work with it`,
        'The identity management of an instance can never change: choose another instance.alias so that apply creates a SAML instance (and remove this one in the Amazon Connect console if it is unused).',
      );
    }

    const { tags } = await awsCall(ctx, 'connect', 'ListTagsForResource', (o) =>
      ctx.connect.send(new ListTagsForResourceCommand({ resourceArn: found.Arn }), o),
    );
    ownershipFinding(run, 'instance.ownership', resource, tags ?? {}, 'The instance', 'instance.alias');
  });
}

// ---------------------------------------------------------------------------------------------------------
// Managed policies and the Okta API user
