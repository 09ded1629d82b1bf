/**
 * connect-okta-sso: Single Sign-On for Amazon Connect with Okta as the SAML 2.0 identity provider.
 *
 * Each step of the AWS guide is one typed, idempotent function that takes a context
 * ({@link createContext}) and its input; the sandbox that emulates AWS and Okta is
 * `connect-okta-sso/sandbox`.
 * @packageDocumentation
 */

export type { RelayDestination, RelayStateInput } from './aws/relay-state.js';
export { buildRelayState } from './aws/relay-state.js';
export type { Clock, CreateContextOptions, Logger, SsoContext } from './context.js';
export { createContext, silentLogger, systemClock } from './context.js';
export {
  ConfigError,
  ConflictError,
  ConnectSsoError,
  ManualActionRequiredError,
  ProviderError,
  VerificationError,
} from './errors.js';
export type { IdpMetadata, SigningCertificate } from './saml/metadata.js';
export { parseIdpMetadata } from './saml/metadata.js';
export { Secret } from './secret.js';
export type { StepAction, StepOptions, StepResultBase } from './step.js';
