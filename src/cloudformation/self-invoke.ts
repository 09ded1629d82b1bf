/**
 * The plain-CloudFormation continuation: an asynchronous (`InvocationType: Event`) Lambda `Invoke` of
 * the invocation's own function with the request and its state, so that a long request goes on in a new
 * invocation with a deadline of its own. Needs `lambda:InvokeFunction` on the function itself.
 */
import type { ContinuationEvent, CustomResourceHandlerOptions, LambdaContext } from './types.js';

/** Invoke the invocation's own ARN with `event`; `@aws-sdk/client-lambda` loads on the first call. */
export async function invokeOwnFunction(
  event: ContinuationEvent,
  lambda: LambdaContext,
  aws: CustomResourceHandlerOptions['aws'],
  handlerRegion: string | undefined,
): Promise<void> {
  const arn = lambda.invokedFunctionArn;
  if (!arn) throw new Error('the Lambda context has no invokedFunctionArn to re-invoke');
  const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
  const region = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):/.exec(arn)?.[1] ?? handlerRegion;
  const client = new LambdaClient({
    ...(region ? { region } : {}),
    ...(aws?.lambdaEndpoint ? { endpoint: aws.lambdaEndpoint } : {}),
    ...(aws?.credentials ? { credentials: aws.credentials } : {}),
  });
  try {
    await client.send(
      new InvokeCommand({
        FunctionName: arn,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
  } finally {
    client.destroy();
  }
}
