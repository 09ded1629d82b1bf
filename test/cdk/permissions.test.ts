/**
 * The handler's least-privilege policy (`handlerPolicyStatements`, what `ConnectOktaSso` gives its Lambda
 * role) against what the handler really calls: a whole lifecycle through the custom resource handler —
 * Create, an Update that adds a user, a Delete that keeps the instance and one that deletes it — with the
 * sandbox logging every AWS request. Every action the log shows must be in the policy; a missing one is
 * an AccessDenied on AWS, and a stack stuck in DELETE_FAILED when it is a teardown's.
 */
import { CreateQuickConnectCommand, SearchUsersCommand } from '@aws-sdk/client-connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handlerPolicyStatements } from '../../src/cdk/permissions.js';
import { createCustomResourceHandler } from '../../src/cloudformation/handler.js';
import { parseProperties } from '../../src/cloudformation/properties.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import {
  baseProperties,
  cfnEvent,
  cfnUpdate,
  handlerOptions,
  lambdaContext,
  memoryLogger,
  type ResponseServer,
  startHandlerSetup,
  stopHandlerSetup,
  stringify,
  withAgent2,
} from '../cloudformation/helpers.js';
import { connectClient } from '../helpers.js';

/** Calls that need no permission of the role's policy, or that the construct grants on its own. */
const GRANTED_ELSEWHERE = new Set([
  'sts:GetCallerIdentity', // needs no permission
  'secretsmanager:GetSecretValue', // the construct grants it on the Okta credentials secret it is given
]);

/** `service:Operation` of every AWS request the sandbox served, in order, without repeats. */
function awsActions(sb: Sandbox): string[] {
  return [
    ...new Set(
      sb
        .requests()
        .filter((r) => r.service !== 'okta')
        .map((r) => `${r.service}:${r.operation}`),
    ),
  ];
}

describe('the handler policy covers every call of the handler', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let secret: string;
  beforeEach(async () => {
    ({ sb, responses, secret } = await startHandlerSetup({ instanceCreationMs: 0 }));
    sb.resetRequests(); // the setup's own calls (the Okta secret) are not the handler's
  });
  afterEach(() => stopHandlerSetup({ sb, responses }));

  for (const roleMapping of ['group-mapping', 'api-integration'] as const) {
    it(`${roleMapping}: Create, Update, Delete keeping the instance, Delete with it`, async () => {
      const handler = createCustomResourceHandler(handlerOptions(sb, { logger: memoryLogger() }));
      const props = baseProperties(sb, secret, { roleMapping });
      // The handler's calls, gathered after each of its answers; the test's own calls in between are dropped.
      const used = new Set<string>();
      const answer = async (event: ReturnType<typeof cfnEvent>) => {
        await handler(event, lambdaContext());
        const put = await responses.waitFor(event.RequestId);
        for (const action of awsActions(sb)) used.add(action);
        sb.resetRequests();
        expect(put.body.Status, put.body.Reason).toBe('SUCCESS');
        return put.body;
      };
      const create = cfnEvent(responses, 'Create', props);
      const created = await answer(create);
      const id = created.PhysicalResourceId;
      if (roleMapping === 'api-integration') {
        // The Okta admin's clicks, with the key the handler put in Secrets Manager.
        const { SecretsManagerClient, GetSecretValueCommand } = await import(
          '@aws-sdk/client-secrets-manager'
        );
        const sm = new SecretsManagerClient({
          endpoint: sb.aws.endpoint,
          region: sb.aws.region,
          credentials: sb.aws.credentials,
        });
        const name = created.Data?.AccessKeySecretName ?? '';
        const stored = JSON.parse(
          (await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '{}',
        ) as { accessKeyId: string; secretAccessKey: string };
        sm.destroy();
        for (const p of ['Admin', 'Ccp'])
          await sb.admin.enableApiIntegration(created.Data?.[`${p}AppId`] ?? '', stored);
        sb.resetRequests(); // the test's own calls are not the handler's
        await answer(cfnUpdate(responses, create, id, props));
      }
      const update = withAgent2(props);
      expect((await answer(cfnUpdate(responses, create, id, update))).Data?.Status).toBe('complete');
      // A quick connect naming one of the setup's users: the teardown deletes it before the user.
      const connect = connectClient(sb);
      const instanceId = created.Data?.InstanceId ?? '';
      const { Users = [] } = await connect.send(new SearchUsersCommand({ InstanceId: instanceId }));
      await connect.send(
        new CreateQuickConnectCommand({
          InstanceId: instanceId,
          Name: 'to-jane',
          QuickConnectConfig: {
            QuickConnectType: 'USER',
            UserConfig: { UserId: Users[0]?.Id ?? '', ContactFlowId: '00000000-0000-4000-8000-000000000001' },
          },
        }),
      );
      connect.destroy();
      sb.resetRequests();
      await answer(cfnEvent(responses, 'Delete', update, { PhysicalResourceId: id }));
      // Made again, then deleted with the instance.
      const again = cfnEvent(responses, 'Create', props);
      await answer(again);
      await answer(
        cfnEvent(responses, 'Delete', { ...props, DeleteInstance: true }, { PhysicalResourceId: id }),
      );
      expect(Object.values(sb.state().connect.instances)).toEqual([]);

      // The lifecycle did reach the teardown's calls, not only the provisioning's.
      expect([...used]).toEqual(
        expect.arrayContaining([
          'connect:DeleteQuickConnect',
          'connect:DeleteUser',
          'iam:DeleteRole',
          'connect:DeleteInstance',
        ]),
      );
      const resolved = parseProperties(stringify(props)).resolved;
      const allowed = new Set(
        handlerPolicyStatements(
          resolved,
          { partition: 'aws', account: '123456789012' },
          { accessKeySecretName: `connect-okta-sso/${resolved.instance.alias}/okta-access-key` },
        ).flatMap((s) => s.Action),
      );
      expect([...used].filter((a) => !allowed.has(a) && !GRANTED_ELSEWHERE.has(a))).toEqual([]);
    });
  }

  for (const roleMapping of ['group-mapping', 'api-integration'] as const) {
    it(`${roleMapping}: the teardown may read both managed policies and the API user (a switched setup has them)`, () => {
      const resolved = parseProperties(stringify(baseProperties(sb, secret, { roleMapping }))).resolved;
      const statements = handlerPolicyStatements(resolved, { partition: 'aws', account: '123456789012' });
      const resourcesOf = (action: string) =>
        statements.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
      expect(resourcesOf('iam:GetPolicy')).toEqual([
        `arn:aws:iam::123456789012:policy/${resolved.names.federationPolicy}`,
        `arn:aws:iam::123456789012:policy/${resolved.names.oktaAccessPolicy}`,
      ]);
      for (const action of ['iam:GetUser', 'iam:DeleteAccessKey', 'iam:DeleteUser'])
        expect(resourcesOf(action)).toEqual([`arn:aws:iam::123456789012:user/${resolved.names.oktaApiUser}`]);
      // Making the user and its keys stays api-integration's.
      expect(resourcesOf('iam:CreateAccessKey').length > 0).toBe(roleMapping === 'api-integration');
    });
  }
});
