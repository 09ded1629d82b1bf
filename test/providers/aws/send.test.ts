/**
 * The lazy, typed AWS command layer: `send` / `sendPages` run the SDK's own commands with the context's
 * client (built on first use, or the caller's own), through awsCall (onCall, errors as ProviderError),
 * and page with each service's token. The `expectTypeOf` / `@ts-expect-error` lines are checked by
 * `npm run typecheck`.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { awsClient, createContext, type SsoContext, withAwsClientsOf } from '../../../src/core/context.js';
import { ProviderError } from '../../../src/core/errors.js';
import { type AwsOperation, send, sendPages } from '../../../src/providers/aws/send.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { iamClient, sandboxContext, startTestSandbox } from '../../helpers.js';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startTestSandbox();
});

afterAll(async () => {
  await sb?.stop();
});

describe('send', () => {
  it('is typed from the SDK: input and output of the named operation', async () => {
    const ctx = sandboxContext(sb);
    expectTypeOf<'GetRole'>().toExtend<AwsOperation<'iam'>>();
    expectTypeOf<'DescribeInstance'>().toExtend<AwsOperation<'connect'>>();
    expectTypeOf<'DescribeInstance'>().not.toExtend<AwsOperation<'iam'>>();
    // @ts-expect-error — not an IAM operation
    const refused = () => send(ctx, 'iam', 'DescribeInstance', { InstanceId: 'x' });
    // @ts-expect-error — RoleName is a string
    const wrong = () => send(ctx, 'iam', 'GetRole', { RoleName: 1 });
    expect([typeof refused, typeof wrong]).toEqual(['function', 'function']);
    const created = await send(ctx, 'iam', 'CreateUser', { UserName: 'send-user' });
    expectTypeOf(created.User?.UserName).toEqualTypeOf<string | undefined>();
    expect(created.User?.UserName).toBe('send-user');
  });

  it("goes through awsCall: onCall is told, an AWS error is a ProviderError with AWS's code", async () => {
    const calls: string[] = [];
    const base = sandboxContext(sb);
    const ctx: SsoContext = {
      region: base.region,
      iam: base.iam,
      connect: base.connect,
      okta: base.okta,
      logger: base.logger,
      clock: base.clock,
      stack: base.stack,
      onCall: (c) => calls.push(`${c.service}:${c.operation}`),
    };
    const error = await send(ctx, 'iam', 'GetRole', { RoleName: 'no-such-role' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ service: 'iam', operation: 'GetRole', providerCode: 'NoSuchEntity' });
    expect(calls).toEqual(['iam:GetRole']);
  });

  it("uses the caller's own client as it is", async () => {
    const own = iamClient(sb);
    const seen: string[] = [];
    own.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'seen' },
    );
    const ctx = createContext({ region: sb.aws.region, iam: own });
    expect(ctx.iam).toBe(own);
    await send(ctx, 'iam', 'GetUser', { UserName: 'send-user' });
    expect(seen).toEqual(['GetUserCommand']);
  });

  it('sendPages adds the page token of each service: IAM Marker, Connect NextToken', async () => {
    const ctx = sandboxContext(sb);
    for (const name of ['page-a', 'page-b', 'page-c'])
      await send(ctx, 'iam', 'CreateUser', { UserName: name });
    const iamPages: string[][] = [];
    for await (const page of sendPages(ctx, 'iam', 'ListUsers', { MaxItems: 2 })) {
      iamPages.push((page.Users ?? []).map((u) => u.UserName ?? ''));
    }
    expect(iamPages.length).toBeGreaterThan(1);
    expect(iamPages.flat()).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c', 'send-user']));

    for (const alias of ['pages-one', 'pages-two', 'pages-three']) {
      await send(ctx, 'connect', 'CreateInstance', {
        IdentityManagementType: 'SAML',
        InstanceAlias: alias,
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      });
    }
    const connectPages: string[][] = [];
    for await (const page of sendPages(ctx, 'connect', 'ListInstances', { MaxResults: 2 })) {
      connectPages.push((page.InstanceSummaryList ?? []).map((i) => i.InstanceAlias ?? ''));
    }
    expect(connectPages.length).toBeGreaterThan(1);
    expect(connectPages.flat().sort()).toEqual(['pages-one', 'pages-three', 'pages-two']);
  });
});

describe('send and an abort during the request', () => {
  it('cancels the request in flight by default; { abortInFlight: false } lets the answer arrive', async () => {
    const slow = await startTestSandbox({ latencyMs: { CreateUser: 1500 } });
    try {
      const run = async (name: string, abortInFlight?: boolean) => {
        const controller = new AbortController();
        const ctx = createContext({
          region: slow.aws.region,
          endpoint: slow.aws.endpoint,
          credentials: slow.aws.credentials,
          maxAttempts: 1,
          signal: controller.signal,
        });
        const call = send(
          ctx,
          'iam',
          'CreateUser',
          { UserName: name },
          abortInFlight === undefined ? {} : { abortInFlight },
        );
        setTimeout(() => controller.abort(new Error('stop')), 50);
        return call.then(
          (out) => `created ${out.User?.UserName}`,
          (error: unknown) => `refused: ${(error as Error).message}`,
        );
      };
      expect(await run('cancelled')).toBe('refused: stop');
      expect(await run('kept', false)).toBe('created kept');
    } finally {
      await slow.stop();
    }
  });
});

describe("createContext's AWS clients", () => {
  it('are built on first use, once: awsClient and ctx.iam give the same SDK client', async () => {
    const ctx = createContext({
      region: 'us-east-1',
      endpoint: sb.aws.endpoint,
      credentials: sb.aws.credentials,
    });
    const viaStep = await awsClient(ctx, 'iam');
    expect(viaStep).toBeInstanceOf(IAMClient);
    expect(ctx.iam).toBe(viaStep);
    expect(ctx.iam).toBe(ctx.iam);
    // Read first, then a step: the same client too.
    const other = createContext({ region: 'us-east-1' });
    const read = other.connect;
    expect(read).toBeInstanceOf(ConnectClient);
    expect(await awsClient(other, 'connect')).toBe(read);
  });

  it('are built from the options given to createContext (region, endpoint, attempts)', async () => {
    const ctx = createContext({ region: 'eu-west-2', endpoint: sb.aws.endpoint, maxAttempts: 2 });
    const iam = await awsClient(ctx, 'iam');
    expect(await iam.config.region()).toBe('eu-west-2');
    expect(await iam.config.maxAttempts()).toBe(2);
    expect((await iam.config.endpoint?.())?.port).toBe(Number(new URL(sb.aws.endpoint).port));
  });

  it('a derived context (withAwsClientsOf, as contextForConfig makes) shares them, still unbuilt', async () => {
    const base = createContext({
      region: 'us-east-1',
      endpoint: sb.aws.endpoint,
      credentials: sb.aws.credentials,
    });
    const derived = withAwsClientsOf(base, { region: base.region, stack: 'derived' });
    // The same getter: deriving built nothing (reading base.iam would have).
    expect(Object.getOwnPropertyDescriptor(derived, 'iam')?.get).toBe(
      Object.getOwnPropertyDescriptor(base, 'iam')?.get,
    );
    const built = await awsClient(derived as SsoContext, 'iam');
    expect(base.iam).toBe(built);
    // A context with the caller's clients passes them on as values.
    const own = createContext({ region: 'us-east-1', iam: iamClient(sb) });
    const copy = withAwsClientsOf(own, {});
    expect(Object.getOwnPropertyDescriptor(copy, 'iam')?.value).toBe(own.iam);
  });
});
