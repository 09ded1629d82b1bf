/**
 * The plain-CloudFormation async pattern with its DEFAULT continuation: the handler re-invokes its own
 * function through the real `@aws-sdk/client-lambda` (`Invoke`, `InvocationType: Event`) — here a local
 * HTTP server speaking Lambda's restJson1 `Invoke`, checking the SigV4 signature, answering 202 and then
 * running the function with the payload as a new invocation with its own deadline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCustomResourceHandler } from '../../src/cloudformation/handler.js';
import type { CustomResourceHandler, CustomResourceHandlerOptions } from '../../src/cloudformation/types.js';
import { CONTINUATION_KEY } from '../../src/cloudformation/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import {
  baseProperties,
  cfnEvent,
  connectUsernames,
  handlerOptions,
  type LambdaService,
  lambdaContext,
  memoryLogger,
  type ResponseServer,
  startHandlerSetup,
  startLambdaService,
  stopHandlerSetup,
} from './helpers.js';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:connect-okta-sso';

describe('plain CloudFormation: the default self re-invocation (a real Lambda Invoke)', () => {
  let sb: Sandbox;
  let responses: ResponseServer;
  let lambda: LambdaService | undefined;
  let secret: string;
  beforeEach(async () => {
    ({ sb, responses, secret } = await startHandlerSetup({ instanceCreationMs: 2_500 }));
  });
  afterEach(async () => {
    await lambda?.close();
    lambda = undefined;
    await stopHandlerSetup({ sb, responses });
  });

  function options(
    lambdaUrl: string,
    extra: CustomResourceHandlerOptions = {},
  ): CustomResourceHandlerOptions {
    const base = handlerOptions(sb);
    return { ...base, aws: { ...base.aws, lambdaEndpoint: lambdaUrl }, reserveMs: 300, ...extra };
  }

  it('continues a long Create through asynchronous Invokes of its own ARN, and answers once when done', async () => {
    const logger = memoryLogger();
    let handler: CustomResourceHandler | undefined;
    let runs = 1;
    lambda = await startLambdaService(sb, {
      // Lambda runs the queued event as a new invocation, with a deadline of its own.
      'connect-okta-sso': async (payload) => {
        runs++;
        await handler?.(payload, lambdaContext(900));
      },
    });
    handler = createCustomResourceHandler(options(lambda.url, { logger }));
    const event = cfnEvent(responses, 'Create', baseProperties(sb, secret));
    await handler(event, lambdaContext(900));
    const answer = await responses.waitFor(event.RequestId, 30_000);
    await lambda.idle();

    expect(answer.body.Status).toBe('SUCCESS');
    expect(answer.body.Data?.InstanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(responses.received.filter((r) => r.body.RequestId === event.RequestId)).toHaveLength(1);
    expect(connectUsernames(sb)).toEqual(['agent1@acme.com', 'jane.doe@acme.com']);

    // What went over the wire: signed Invokes (the stand-in refuses anything else) of the invocation's
    // own ARN, asynchronous, each carrying the request and the next attempt number — never a secret.
    expect(lambda.refused).toEqual([]);
    expect(lambda.invocations.length).toBeGreaterThanOrEqual(2);
    lambda.invocations.forEach((inv, i) => {
      expect(inv).toMatchObject({
        functionName: 'connect-okta-sso',
        requested: FUNCTION_ARN,
        invocationType: 'Event',
        accessKeyId: sb.aws.credentials.accessKeyId,
      });
      const { [CONTINUATION_KEY]: state, ...request } = inv.payload;
      expect(request).toEqual(event);
      expect(state).toMatchObject({ attempt: i + 1, createdInstance: true });
      expect(JSON.stringify(inv.payload)).not.toContain(sb.okta.token);
      expect(inv.bytes).toBeLessThan(16 * 1024);
    });
    expect(runs).toBe(lambda.invocations.length + 1);
    for (const line of logger.lines) expect(line).not.toContain(sb.okta.token);
  }, 60_000);

  it('a refused Invoke (the function is not found) fails the request with a reason naming lambda:InvokeFunction', async () => {
    lambda = await startLambdaService(sb, {});
    const handler = createCustomResourceHandler(options(lambda.url, { logger: memoryLogger() }));
    const event = cfnEvent(responses, 'Create', baseProperties(sb, secret));
    await handler(event, lambdaContext(900));
    const answer = await responses.waitFor(event.RequestId);
    expect(lambda.refused.map((r) => r.type)).toEqual(['ResourceNotFoundException']);
    expect(answer.body.Status).toBe('FAILED');
    expect(answer.body.Reason).toContain('lambda:InvokeFunction');
    expect(answer.body.Reason).toContain('Function not found');
  }, 30_000);
});
