/**
 * `connect-okta-sso/cloudformation`: the Lambda handler of a `Custom::ConnectOktaSso` CloudFormation
 * resource, for plain CloudFormation (it answers the pre-signed URL itself) and for the CDK Provider
 * framework (`onEvent` + `isComplete`). It never loads `aws-cdk-lib`.
 *
 * @example
 * ```ts
 * import { createCustomResourceHandler } from 'connect-okta-sso/cloudformation';
 * const handler = createCustomResourceHandler();
 * export const main = handler; // plain CloudFormation: ServiceToken = this function
 * export const onEvent = handler.onEvent; // CDK Provider framework
 * export const isComplete = handler.isComplete;
 * ```
 * @packageDocumentation
 */
export { createCustomResourceHandler } from './handler.js';
export type { OktaCredentials } from './okta-credentials.js';
export { parseOktaSecret } from './okta-credentials.js';
export { APP_ATTRIBUTE_PREFIX, APP_ATTRIBUTES, attributesOf, SETUP_ATTRIBUTES } from './outputs.js';
export type { ParsedProperties, ResourceSettings } from './properties.js';
export { parseProperties, physicalIdOf, RESOURCE_PROPERTY_NAMES } from './properties.js';
export type { Scrubber, SendResponseOptions } from './response.js';
export { buildResponse, MAX_RESPONSE_BYTES, sendResponse } from './response.js';
export type {
  ContinuationEvent,
  ContinuationState,
  CustomResourceEvent,
  CustomResourceHandler,
  CustomResourceHandlerOptions,
  CustomResourceResponse,
  IsCompleteRequest,
  IsCompleteResponse,
  LambdaContext,
  OnEventResponse,
} from './types.js';
export { CONTINUATION_KEY } from './types.js';
