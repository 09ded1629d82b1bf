/**
 * The Lambda entry of the custom resource, built into one file (`dist/lambda/handler/index.mjs`) that
 * the CDK construct and the StackSets template deploy. `index.handler` is the plain CloudFormation
 * handler; `index.onEvent` and `index.isComplete` are the CDK Provider framework's.
 *
 * The AWS SDK v3 clients are left to the Lambda runtime (Node.js 20 and later ship them); the Okta SDK
 * is bundled, reduced to what the library calls (`okta-slim.cjs`).
 */
import { createCustomResourceHandler } from '../handler.js';

const instance = createCustomResourceHandler();

/** Plain CloudFormation (`ServiceToken` = this function): answers the pre-signed URL itself. */
export const handler = instance;
/** CDK Provider framework: `onEventHandler`. */
export const onEvent = instance.onEvent;
/** CDK Provider framework: `isCompleteHandler`. */
export const isComplete = instance.isComplete;
